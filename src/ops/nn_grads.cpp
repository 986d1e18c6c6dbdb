// Gradient rules of the nn ops (TF's nn_grad.py and nn_impl.py), written with the recorded ops
// of ops/api.h so every rule is differentiable again. TF's fused backward kernels (ReluGrad,
// EluGrad, ...) are recorded ops with the gradients TF registers for them.
#include "ops/api.h"
#include "ops/grads.h"

namespace ag::grads {
namespace {

using kernels::BinaryOp;

Tensor c(const Tensor& like, double value) { return ops::scalar_like(like, value); }

/// vec[..., None] * mat (TF's _BroadcastMul for a [batch] vector and a [batch, classes] matrix).
Tensor broadcast_mul(const Tensor& vec, const Tensor& mat) {
  Shape column = vec.shape();
  column.push_back(1);
  return ops::multiply(ops::reshape(vec, column), mat);
}

// d relu(x) = ReluGrad(g, y): g where y > 0, else 0                   (TF: _ReluGrad)
Grads grad_relu(const GradArgs& a) { return {ops::relu_grad(a.grad, a.output)}; }
// d relu6(x) = Relu6Grad(g, y): g where 0 < y < 6                      (TF: _Relu6Grad)
Grads grad_relu6(const GradArgs& a) { return {ops::relu6_grad(a.grad, a.output)}; }
// d elu(x) = EluGrad(g, y): (y + 1) g where y < 0, else g              (TF: _EluGrad)
Grads grad_elu(const GradArgs& a) { return {ops::elu_grad(a.grad, a.output)}; }
// d selu(x) = SeluGrad(g, y): g (y + scale alpha) where y < 0, else g scale   (TF: _SeluGrad)
Grads grad_selu(const GradArgs& a) { return {ops::selu_grad(a.grad, a.output)}; }
// d leaky_relu(x) = LeakyReluGrad(g, x): g where x > 0, else g alpha   (TF: _LeakyReluGrad)
Grads grad_leaky_relu(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::leaky_relu_grad(a.grad, a.x(0), a.x(1));
  return out;
}
// d softplus(x) = g * sigmoid(x)                                       (TF: _SoftplusGrad)
Grads grad_softplus(const GradArgs& a) { return {ops::multiply(a.grad, ops::sigmoid(a.x(0)))}; }
// d softsign(x) = g / (|x| + 1)², TF's SoftsignGrad kernel as ops      (TF: _SoftsignGrad)
Grads grad_softsign(const GradArgs& a) {
  return {ops::divide(a.grad, ops::square(ops::add(ops::abs(a.x(0)), c(a.x(0), 1.0))))};
}
// swish(x, b) = x s, s = sigmoid(b x): dx = g s (1 + b x (1 - s)), db = sum(g x² s (1 - s))
//                                                                      (TF: swish's custom_gradient)
Grads grad_swish(const GradArgs& a) {
  const Tensor& x = a.x(0);
  const Tensor& beta = a.x(1);
  Tensor scaled = ops::multiply(beta, x);
  Tensor s = ops::sigmoid(scaled);
  Tensor one_minus_s = ops::subtract(c(s, 1.0), s);
  Grads out(2);
  if (a.needs(0)) {
    Tensor activation_grad = ops::multiply(s, ops::add(c(s, 1.0), ops::multiply(scaled, one_minus_s)));
    out[0] = ops::multiply(a.grad, activation_grad);
  }
  if (a.needs(1)) {
    Tensor terms = ops::multiply(ops::multiply(ops::multiply(a.grad, ops::square(x)), s), one_minus_s);
    std::vector<int> axes;
    for (int i = 0; i < terms.rank(); ++i) axes.push_back(i);
    out[1] = ops::sum_to(ops::reduce_sum(terms, axes, false), beta.shape());
  }
  return out;
}
// d softmax = (g - sum(g * s, -1)) * s, s = softmax(x)                 (TF: _SoftmaxGrad)
Grads grad_softmax(const GradArgs& a) {
  const Tensor& s = a.output;
  Tensor sum_channels = ops::reduce_sum(ops::multiply(a.grad, s), {s.rank() - 1}, true);
  return {ops::multiply(ops::subtract(a.grad, sum_channels), s)};
}
// d log_softmax = g - sum(g, -1) * exp(y)                              (TF: _LogSoftmaxGrad)
Grads grad_log_softmax(const GradArgs& a) {
  Tensor softmax = ops::exp(a.output);
  return {ops::subtract(a.grad, ops::multiply(ops::reduce_sum(a.grad, {a.output.rank() - 1}, true), softmax))};
}
// cross-entropy loss: logits get g * (softmax - labels), labels get g * -log_softmax(logits)
//                                                 (TF: _SoftmaxCrossEntropyWithLogitsGrad)
Grads grad_softmax_xent(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = broadcast_mul(a.grad, ops::softmax_cross_entropy_backprop(a.x(0), a.x(1)));
  if (a.needs(1)) out[1] = broadcast_mul(a.grad, ops::negative(ops::log_softmax(a.x(0))));
  return out;
}
Grads grad_sparse_softmax_xent(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = broadcast_mul(a.grad, ops::sparse_softmax_cross_entropy_backprop(a.x(0), a.x(1)));
  return out;
}
// The backprop output softmax(x) - labels: x gets (gg - gg·s) * s with the row dot product as a
// batched matmul; the labels get nothing (TF drops it)   (TF: the grad_grad term of the same rule)
Grads grad_xent_backprop(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) {
    Tensor softmax = ops::softmax(a.x(0));
    const Shape& shape = a.grad.shape();
    Tensor dot = ops::matmul(ops::reshape(a.grad, {shape[0], 1, shape[1]}), ops::reshape(softmax, {shape[0], shape[1], 1}), false,
                             false);
    out[0] = ops::multiply(ops::subtract(a.grad, ops::reshape(dot, {shape[0], 1})), softmax);
  }
  return out;
}
// l2_loss(x) = sum(x²) / 2: x * g                                      (TF: _L2LossGrad)
Grads grad_l2_loss(const GradArgs& a) { return {ops::multiply(a.x(0), a.grad)}; }

// ReluGrad(g, y): (ReluGrad(gg, y), zeros)                             (TF: _ReluGradGrad)
Grads grad_relu_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::relu_grad(a.grad, a.x(1));
  if (a.needs(1)) out[1] = ops::zeros_like(a.x(1));
  return out;
}
// Relu6Grad(g, y): (Relu6Grad(gg, y), zeros)                           (TF: _Relu6GradGrad)
Grads grad_relu6_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::relu6_grad(a.grad, a.x(1));
  if (a.needs(1)) out[1] = ops::zeros_like(a.x(1));
  return out;
}
/// where(y < 0, gg * g, 0): the y side of EluGrad's and SeluGrad's gradients.
Tensor negative_side(const GradArgs& a) {
  const Tensor& y = a.x(1);
  Tensor negative = ops::compare(BinaryOp::kLess, y, c(y, 0.0));
  return ops::where(negative, ops::multiply(a.grad, a.x(0)), ops::zeros_like(y));
}
// EluGrad(g, y): (EluGrad(gg, y), where(y < 0, gg * g, 0))            (TF: _EluGradGrad)
Grads grad_elu_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::elu_grad(a.grad, a.x(1));
  if (a.needs(1)) out[1] = negative_side(a);
  return out;
}
// SeluGrad(g, y): (SeluGrad(gg, y), where(y < 0, gg * g, 0))          (TF: _SeluGradGrad)
Grads grad_selu_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::selu_grad(a.grad, a.x(1));
  if (a.needs(1)) out[1] = negative_side(a);
  return out;
}
// LeakyReluGrad(g, x): (LeakyReluGrad(gg, x), zeros)                  (TF: _LeakyReluGradGrad)
Grads grad_leaky_relu_grad(const GradArgs& a) {
  Grads out(3);
  if (a.needs(0)) out[0] = ops::leaky_relu_grad(a.grad, a.x(1), a.x(2));
  if (a.needs(1)) out[1] = ops::zeros_like(a.x(1));
  return out;
}

}  // namespace

const Primitive kRelu{"Relu", grad_relu};
const Primitive kRelu6{"Relu6", grad_relu6};
const Primitive kElu{"Elu", grad_elu};
const Primitive kSelu{"Selu", grad_selu};
const Primitive kLeakyRelu{"LeakyRelu", grad_leaky_relu};
const Primitive kSoftplus{"Softplus", grad_softplus};
const Primitive kSoftsign{"Softsign", grad_softsign};
const Primitive kSwish{"Swish", grad_swish};
const Primitive kSoftmax{"Softmax", grad_softmax};
const Primitive kLogSoftmax{"LogSoftmax", grad_log_softmax};
const Primitive kSoftmaxXent{"SoftmaxCrossEntropyWithLogits", grad_softmax_xent};
const Primitive kSoftmaxXentBackprop{"SoftmaxCrossEntropyWithLogits:1", grad_xent_backprop};
const Primitive kSparseSoftmaxXent{"SparseSoftmaxCrossEntropyWithLogits", grad_sparse_softmax_xent};
const Primitive kSparseSoftmaxXentBackprop{"SparseSoftmaxCrossEntropyWithLogits:1", grad_xent_backprop};
const Primitive kL2Loss{"L2Loss", grad_l2_loss};
const Primitive kReluGrad{"ReluGrad", grad_relu_grad};
const Primitive kRelu6Grad{"Relu6Grad", grad_relu6_grad};
const Primitive kEluGrad{"EluGrad", grad_elu_grad};
const Primitive kSeluGrad{"SeluGrad", grad_selu_grad};
const Primitive kLeakyReluGrad{"LeakyReluGrad", grad_leaky_relu_grad};

}  // namespace ag::grads
