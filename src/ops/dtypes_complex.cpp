// tf.complex, the real/imaginary parts and the conjugate as recorded ops, each gradient written with
// the others so that every order works (TF's _ComplexGrad, _RealGrad, _ImagGrad, _ConjGrad in
// math_grad.py).
#include "autodiff/tape.h"
#include "kernels/complex_parts.h"
#include "kernels/kernels.h"
#include "ops/api.h"
#include "ops/dtypes_values.h"

namespace ag {
namespace {

Tensor recorded(const Primitive& op, std::vector<Tensor> inputs, Tensor output) {
  if (!active_tapes().empty()) record_on_active_tapes(op, std::move(inputs), output, Attrs{});
  return output;
}

// z = complex(x, y): dx = real(g), dy = imag(g), each summed over its broadcast axes.
Grads grad_complex(const GradArgs& a) {
  return {ops::sum_to(ops::real(a.grad), a.x(0).shape()), ops::sum_to(ops::imag(a.grad), a.x(1).shape())};
}
// y = real(x): dx = complex(g, 0).
Grads grad_real(const GradArgs& a) { return {ops::complex(a.grad, ops::zeros_like(a.grad))}; }
// y = imag(x): dx = complex(0, g).
Grads grad_imag(const GradArgs& a) { return {ops::complex(ops::zeros_like(a.grad), a.grad)}; }

// y = conj(x): dx = conj(g).
Grads grad_conj(const GradArgs& a) { return {ops::conj(a.grad)}; }

const Primitive kComplex{"Complex", grad_complex};
const Primitive kConj{"Conj", grad_conj};
const Primitive kReal{"Real", grad_real};
const Primitive kImag{"Imag", grad_imag};

}  // namespace

namespace ops {

Tensor complex(const Tensor& real, const Tensor& imag) { return recorded(kComplex, {real, imag}, kernels::make_complex(real, imag)); }
// As TF: the real part of a real tensor is the tensor itself, its imaginary part zeros that no
// gradient flows through.
Tensor real(const Tensor& x) {
  if (!dtype_is_complex(x.dtype())) return x;
  return recorded(kReal, {x}, kernels::complex_part(x, false));
}
Tensor imag(const Tensor& x) {
  if (!dtype_is_complex(x.dtype())) return kernels::complex_part(x, true);
  return recorded(kImag, {x}, kernels::complex_part(x, true));
}
Tensor conj(const Tensor& x) {
  // TF returns a real (or integer) input itself: nothing is computed or recorded.
  if (!dtype_is_complex(x.dtype())) return x;
  Tensor negated_imag = kernels::unary(kernels::UnaryOp::kNegative, kernels::complex_part(x, true));
  return recorded(kConj, {x}, kernels::make_complex(kernels::complex_part(x, false), negated_imag));
}

}  // namespace ops
}  // namespace ag
