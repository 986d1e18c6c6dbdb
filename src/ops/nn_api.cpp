// The nn ops of ops/api.h (issue 4): activations, softmax, cross-entropies and l2_loss, each one
// recorded node whose rule is in nn_grads.cpp, and the fused gradient kernels of the activations.
#include "diag/error.h"
#include "ops/api.h"
#include "ops/grads.h"
#include "ops/record.h"

namespace ag::ops {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;

Tensor zero_like_scalar(const Tensor& x) { return Tensor::scalar(x.dtype(), 0.0); }

/// select(x > 0, positive, negative * alpha), TF's LeakyRelu and LeakyReluGrad expression.
Tensor leaky_select(const Tensor& x, const Tensor& positive, const Tensor& negative, const Tensor& alpha) {
  Tensor mask = kernels::binary(BinaryOp::kGreater, x, zero_like_scalar(x));
  return kernels::select(mask, positive, kernels::binary(BinaryOp::kMultiply, negative, alpha));
}

}  // namespace

Tensor relu(const Tensor& x) { return ops::unary(UnaryOp::kRelu, x); }
Tensor relu6(const Tensor& x) { return ops::unary(UnaryOp::kRelu6, x); }
Tensor elu(const Tensor& x) { return ops::unary(UnaryOp::kElu, x); }
Tensor selu(const Tensor& x) { return ops::unary(UnaryOp::kSelu, x); }
Tensor softplus(const Tensor& x) { return ops::unary(UnaryOp::kSoftplus, x); }
Tensor softsign(const Tensor& x) { return ops::unary(UnaryOp::kSoftsign, x); }

Tensor leaky_relu(const Tensor& x, const Tensor& alpha) {
  check_binary_dtypes(x, alpha, "LeakyRelu");
  return record_op(grads::kLeakyRelu, {x, alpha}, leaky_select(x, x, x, alpha));
}

Tensor swish(const Tensor& x, const Tensor& beta) {
  check_binary_dtypes(x, beta, "Mul");
  Tensor scaled = kernels::binary(BinaryOp::kMultiply, beta, x);
  Tensor out = kernels::binary(BinaryOp::kMultiply, x, kernels::unary(UnaryOp::kSigmoid, scaled));
  return record_op(grads::kSwish, {x, beta}, out);
}

Tensor softmax(const Tensor& logits) { return record_op(grads::kSoftmax, {logits}, kernels::softmax(logits, false)); }
Tensor log_softmax(const Tensor& logits) { return record_op(grads::kLogSoftmax, {logits}, kernels::softmax(logits, true)); }

Tensor softmax_cross_entropy(const Tensor& logits, const Tensor& labels) {
  return record_op(grads::kSoftmaxXent, {logits, labels}, kernels::softmax_cross_entropy(logits, labels).first);
}
Tensor softmax_cross_entropy_backprop(const Tensor& logits, const Tensor& labels) {
  return record_op(grads::kSoftmaxXentBackprop, {logits, labels}, kernels::softmax_cross_entropy(logits, labels).second);
}
Tensor sparse_softmax_cross_entropy(const Tensor& logits, const Tensor& labels) {
  return record_op(grads::kSparseSoftmaxXent, {logits, labels}, kernels::sparse_softmax_cross_entropy(logits, labels).first);
}
Tensor sparse_softmax_cross_entropy_backprop(const Tensor& logits, const Tensor& labels) {
  return record_op(grads::kSparseSoftmaxXentBackprop, {logits, labels},
                   kernels::sparse_softmax_cross_entropy(logits, labels).second);
}

Tensor l2_loss(const Tensor& x) { return record_op(grads::kL2Loss, {x}, kernels::l2_loss(x)); }

Tensor relu_grad(const Tensor& g, const Tensor& y) {
  check_binary_dtypes(g, y, "ReluGrad");
  return record_op(grads::kReluGrad, {g, y}, kernels::binary(BinaryOp::kReluGrad, g, y));
}
Tensor relu6_grad(const Tensor& g, const Tensor& y) {
  check_binary_dtypes(g, y, "Relu6Grad");
  return record_op(grads::kRelu6Grad, {g, y}, kernels::binary(BinaryOp::kRelu6Grad, g, y));
}
Tensor elu_grad(const Tensor& g, const Tensor& y) {
  check_binary_dtypes(g, y, "EluGrad");
  return record_op(grads::kEluGrad, {g, y}, kernels::binary(BinaryOp::kEluGrad, g, y));
}
Tensor selu_grad(const Tensor& g, const Tensor& y) {
  check_binary_dtypes(g, y, "SeluGrad");
  return record_op(grads::kSeluGrad, {g, y}, kernels::binary(BinaryOp::kSeluGrad, g, y));
}
Tensor leaky_relu_grad(const Tensor& g, const Tensor& x, const Tensor& alpha) {
  check_binary_dtypes(g, x, "LeakyReluGrad");
  return record_op(grads::kLeakyReluGrad, {g, x, alpha}, leaky_select(x, g, g, alpha));
}

}  // namespace ag::ops
