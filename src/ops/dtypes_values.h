// DType properties beyond the table's flags, as TF's DType class computes them: NumPy types,
// limits as NumPy scalars, and the reference dtypes (tf.qint8_ref) of QUANTIZED_DTYPES.
#pragma once

#include <optional>
#include <string>

#include "ops/value.h"

namespace ag {

/// The attribute `name` of a DType value if this file defines it (as_numpy_dtype, min, max,
/// name/base_dtype/real_dtype of reference dtypes, ...); nullopt to let the caller decide.
std::optional<Value> dtype_extra_attribute(const Value& dtype, const std::string& name);

/// A DType value, optionally a reference dtype.
Value dtype_value(DType dtype, bool ref = false);

}  // namespace ag

namespace ag::ops {

/// tf.complex(real, imag), recorded: d/dreal = real(g), d/dimag = imag(g) (TF: _ComplexGrad).
Tensor complex(const Tensor& real, const Tensor& imag);
/// tf.math.real / tf.math.imag, recorded (TF: _RealGrad, _ImagGrad).
Tensor real(const Tensor& x);
Tensor imag(const Tensor& x);

}  // namespace ag::ops
