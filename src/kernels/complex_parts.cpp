// Complex from parts and parts of complex tensors, with NumPy broadcasting.
#include "kernels/complex_parts.h"

#include <complex>

#include "kernels/elementwise.h"

namespace ag::kernels {
namespace {

template <class R>
Tensor make_complex_of(const Tensor& real, const Tensor& imag, DType out_dtype) {
  Tensor out = Tensor::allocate(out_dtype, broadcast_shapes(real.shape(), imag.shape()));
  broadcast_binary_loop<R, std::complex<R>>(real, imag, out, [](R a, R b) { return std::complex<R>(a, b); });
  return out;
}

template <class R>
Tensor part_of(const Tensor& x, DType out_dtype, bool imaginary) {
  Tensor out = Tensor::allocate(out_dtype, x.shape());
  const std::complex<R>* in = x.data<std::complex<R>>();
  R* result = out.mutable_data<R>();
  for (std::int64_t i = 0; i < x.size(); ++i) result[i] = imaginary ? in[i].imag() : in[i].real();
  return out;
}

}  // namespace

Tensor make_complex(const Tensor& real, const Tensor& imag) {
  require_same_dtype("complex", real.dtype(), imag.dtype());
  if (real.dtype() == DType::kFloat32) return make_complex_of<float>(real, imag, DType::kComplex64);
  if (real.dtype() == DType::kFloat64) return make_complex_of<double>(real, imag, DType::kComplex128);
  require_dtype("complex", real.dtype(), dtype_bit(DType::kFloat32) | dtype_bit(DType::kFloat64));
  return real;
}

Tensor complex_part(const Tensor& x, bool imaginary) {
  if (x.dtype() == DType::kComplex64) return part_of<float>(x, DType::kFloat32, imaginary);
  if (x.dtype() == DType::kComplex128) return part_of<double>(x, DType::kFloat64, imaginary);
  if (!imaginary) return x.reshaped(x.shape());
  return fill(x.dtype(), x.shape(), 0.0);
}

}  // namespace ag::kernels
