// tf.complex and the real/imaginary parts as recorded ops, each gradient written with the others
// so that every order works (TF's _ComplexGrad, _RealGrad, _ImagGrad in math_grad.py).
#include "autodiff/tape.h"
#include "kernels/complex_parts.h"
#include "ops/api.h"
#include "ops/dtypes_values.h"

namespace ag {
namespace {

Tensor recorded(const Primitive& op, std::vector<Tensor> inputs, Tensor output) {
  if (!active_tapes().empty()) record_on_active_tapes(op, inputs, output, Attrs{});
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

const Primitive kComplex{"Complex", grad_complex};
const Primitive kReal{"Real", grad_real};
const Primitive kImag{"Imag", grad_imag};

}  // namespace

namespace ops {

Tensor complex(const Tensor& real, const Tensor& imag) { return recorded(kComplex, {real, imag}, kernels::make_complex(real, imag)); }
Tensor real(const Tensor& x) { return recorded(kReal, {x}, kernels::complex_part(x, false)); }
Tensor imag(const Tensor& x) { return recorded(kImag, {x}, kernels::complex_part(x, true)); }

}  // namespace ops
}  // namespace ag
