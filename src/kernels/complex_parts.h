// Building complex tensors from parts and taking them apart (TF's Complex, Real and Imag ops),
// which the kernels' binary and cast families do not provide.
#pragma once

#include "core/tensor.h"

namespace ag::kernels {

/// complex(real, imag) with broadcasting: float32 parts give complex64, float64 parts complex128.
Tensor make_complex(const Tensor& real, const Tensor& imag);
/// The real (or imaginary) part of a complex tensor, in its real dtype; a real tensor's real part
/// is itself and its imaginary part zeros.
Tensor complex_part(const Tensor& x, bool imaginary);

}  // namespace ag::kernels
