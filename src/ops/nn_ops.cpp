// Rows of the nn family (tf.nn; softmax, log_softmax, softsign and l2_normalize also in tf.math),
// columns in OpDef order. Where TF's Python composes ops (gelu, l2_normalize, moments, the sigmoid
// cross-entropy, dropout), the eval functions compose the same ops in the same order.
#include <algorithm>
#include <cmath>

#include "diag/error.h"
#include "format/display.h"
#include "kernels/random.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/families.h"
#include "ops/random_state.h"

namespace ag {
namespace {

using kernels::BinaryOp;
using kernels::ReduceOp;
using kernels::UnaryOp;

Tensor c(const Tensor& like, double value) { return ops::scalar_like(like, value); }

/// The features argument, which must be floating point for most activations.
Tensor float_features(CallArgs& a, const char* param = "features") {
  Tensor x = a.tensor(param);
  if (!dtype_is_floating(x.dtype()))
    throw UserError(ExitCode::kEval, a.op_name() + "(): `features.dtype` must be a floating point tensor. Received: features.dtype=" +
                                         std::string(dtype_name(x.dtype())));
  return x;
}

Value eval_relu(CallArgs& a) { return Value::of(ops::relu(a.tensor("features"))); }
Value eval_relu6(CallArgs& a) { return Value::of(ops::relu6(a.tensor("features"))); }
Value eval_elu(CallArgs& a) { return Value::of(ops::elu(float_features(a))); }
Value eval_selu(CallArgs& a) { return Value::of(ops::selu(float_features(a))); }
Value eval_softsign(CallArgs& a) { return Value::of(ops::softsign(float_features(a))); }

// TF casts integer features to float32 and rounds alpha to a float attribute before T.
Value eval_leaky_relu(CallArgs& a) {
  Tensor x = a.tensor("features");
  if (dtype_is_integer(x.dtype())) x = ops::cast(x, DType::kFloat32);
  double alpha = static_cast<double>(static_cast<float>(a.real("alpha")));
  return Value::of(ops::leaky_relu(x, Tensor::scalar(x.dtype(), alpha)));
}

// 0.5 x (1 + erf(x / sqrt 2)), or 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))  (TF: nn_ops.gelu)
Value eval_gelu(CallArgs& a) {
  Tensor x = float_features(a);
  Tensor half_x = ops::multiply(c(x, 0.5), x);
  if (a.boolean("approximate")) {
    Tensor cube = ops::pow(x, c(x, 3.0));
    Tensor inner = ops::multiply(c(x, 0.7978845608028654), ops::add(x, ops::multiply(c(x, 0.044715), cube)));
    return Value::of(ops::multiply(half_x, ops::add(c(x, 1.0), ops::tanh(inner))));
  }
  Tensor scaled = ops::divide(x, c(x, 1.4142135623730951));
  return Value::of(ops::multiply(half_x, ops::add(c(x, 1.0), ops::unary(UnaryOp::kErf, scaled))));
}

// features * sigmoid(beta * features) with TF's custom gradient       (TF: nn_impl.swish)
Value eval_silu(CallArgs& a) {
  Tensor x = a.tensor("features");
  Tensor beta = to_tensor(a["beta"], std::nullopt, "silu");
  return Value::of(ops::swish(x, ops::cast(beta, x.dtype())));
}

/// TF's _swap_axis permutation: axis and the last axis exchanged.
std::vector<int> swap_with_last(int axis, int rank) {
  std::vector<int> perm;
  for (int i = 0; i < rank; ++i) perm.push_back(i == axis ? rank - 1 : (i == rank - 1 ? axis : i));
  return perm;
}

/// Applies a last-axis op along `axis`, transposing around it as TF's _wrap_2d_function does.
template <Tensor (*kOp)(const Tensor&)>
Value eval_softmax(CallArgs& a) {
  Tensor x = a.tensor("logits");
  std::int64_t axis = a.is_none("axis") ? -1 : a.integer("axis");
  const int rank = x.rank();
  if (axis == -1 || axis == rank - 1) return Value::of(kOp(x));
  if (axis < -rank || axis >= rank)
    throw UserError(ExitCode::kEval, "`dim` must be in the range [" + std::to_string(-rank) + ", " + std::to_string(rank) +
                                         ") where " + std::to_string(rank) +
                                         " is the number of dimensions in the input. Received: dim=" + std::to_string(axis));
  std::vector<int> perm = swap_with_last(static_cast<int>(axis < 0 ? axis + rank : axis), rank);
  return Value::of(ops::transpose(kOp(ops::transpose(x, perm)), perm));
}

Value eval_l2_loss(CallArgs& a) { return Value::of(ops::l2_loss(a.tensor("t"))); }

// x * rsqrt(max(sum(x², axis, keepdims), epsilon))                    (TF: nn_impl.l2_normalize)
Value eval_l2_normalize(CallArgs& a) {
  Tensor x = a.tensor("x");
  const Value& axis_value = a.is_none("axis") ? a["dim"] : a["axis"];
  std::vector<int> axes;
  if (axis_value.is_none()) {
    for (int i = 0; i < x.rank(); ++i) axes.push_back(i);
  } else {
    std::vector<std::int64_t> listed;
    if (axis_value.kind == ValueKind::kInt) listed.push_back(axis_value.integer);
    else listed = a.shape(a.is_none("axis") ? "dim" : "axis");
    axes = ops::normalize_axes(listed, x.rank(), "l2_normalize");
  }
  Tensor square_sum = ops::reduce_sum(ops::square(x), axes, true);
  Tensor inverse_norm = ops::rsqrt(ops::maximum(square_sum, to_tensor(a["epsilon"], x.dtype(), "l2_normalize")));
  return Value::of(ops::multiply(x, inverse_norm));
}

// max(x, 0) - x z + log1p(exp(-|x|)), with where() for max and -|x|    (TF: sigmoid_cross_entropy_with_logits_v2)
Value eval_sigmoid_cross_entropy(CallArgs& a) {
  if (a.is_none("labels") || a.is_none("logits"))
    throw UserError(ExitCode::kEval, "Both `labels` and `logits` must be provided for sigmoid_cross_entropy_with_logits");
  Tensor logits = a.tensor("logits");
  Tensor labels = a.tensor("labels");
  if (labels.shape() != logits.shape())
    throw UserError(ExitCode::kEval, "`logits` and `labels` must have the same shape, received (" + shape_str(logits.shape()) +
                                         " vs " + shape_str(labels.shape()) + ").");
  Tensor zeros = ops::zeros_like(logits);
  Tensor cond = ops::compare(BinaryOp::kGreaterEqual, logits, zeros);
  Tensor relu_logits = ops::where(cond, logits, zeros);
  Tensor neg_abs_logits = ops::where(cond, ops::negative(logits), logits);
  return Value::of(ops::add(ops::subtract(relu_logits, ops::multiply(logits, labels)),
                            ops::unary(UnaryOp::kLog1p, ops::exp(neg_abs_logits))));
}

/// float16/bfloat16 logits are computed in float32 and the cost cast back, as TF does.
bool needs_float32(const Tensor& logits) {
  return logits.dtype() == DType::kFloat16 || logits.dtype() == DType::kBFloat16;
}

// Moves `axis` last, flattens to [batch, classes], and reshapes the cost back  (TF: softmax_cross_entropy_with_logits_v2)
Value eval_softmax_cross_entropy(CallArgs& a) {
  Tensor logits = a.tensor("logits");
  Tensor labels = a.tensor("labels");
  DType original = logits.dtype();
  if (needs_float32(logits)) logits = ops::cast(logits, DType::kFloat32);
  labels = ops::cast(labels, logits.dtype());
  const int rank = logits.rank();
  if (rank == 0) throw UserError(ExitCode::kEval, "logits must have at least one dimension, got shape ()");
  std::int64_t axis = a.integer("axis");
  if (axis < -rank || axis >= rank)
    throw UserError(ExitCode::kEval, "axis " + std::to_string(axis) + " is out of range for logits of rank " + std::to_string(rank));
  if (axis != -1 && axis != rank - 1) {
    int moved = static_cast<int>(axis < 0 ? axis + rank : axis);
    std::vector<int> perm;
    for (int i = 0; i < rank; ++i)
      if (i != moved) perm.push_back(i);
    perm.push_back(moved);
    logits = ops::transpose(logits, perm);
    labels = ops::transpose(labels, perm);
  }
  Shape outer(logits.shape().begin(), logits.shape().end() - 1);
  std::int64_t classes = logits.shape().back();
  Tensor cost = ops::softmax_cross_entropy(ops::reshape(logits, {-1, classes}), ops::reshape(labels, {-1, classes}));
  cost = ops::reshape(cost, outer);
  return Value::of(original != logits.dtype() ? ops::cast(cost, original) : cost);
}

// Flattens to [batch, classes] and [batch] and reshapes back  (TF: sparse_softmax_cross_entropy_with_logits_v2)
Value eval_sparse_softmax_cross_entropy(CallArgs& a) {
  Tensor logits = a.tensor("logits");
  Tensor labels = a.tensor("labels");
  DType original = logits.dtype();
  if (needs_float32(logits)) logits = ops::cast(logits, DType::kFloat32);
  if (labels.rank() != logits.rank() - 1)
    throw UserError(ExitCode::kEval, "Rank mismatch: Rank of labels (received " + std::to_string(labels.rank()) +
                                         ") should equal rank of logits minus 1 (received " + std::to_string(logits.rank()) + ").");
  Shape outer(logits.shape().begin(), logits.shape().end() - 1);
  if (labels.shape() != outer)
    throw UserError(ExitCode::kEval, "Shape mismatch: The shape of labels (received " + shape_str(labels.shape()) +
                                         ") should equal the shape of logits except for the last dimension (received " +
                                         shape_str(logits.shape()) + ").");
  std::int64_t classes = logits.shape().back();
  Tensor cost = ops::sparse_softmax_cross_entropy(ops::reshape(logits, {-1, classes}), labels.reshaped({shape_size(outer)}));
  cost = ops::reshape(cost, outer);
  return Value::of(original != logits.dtype() ? ops::cast(cost, original) : cost);
}

// mean over axes, and the mean of squared_difference(x, stop_gradient(mean))  (TF: nn_impl.moments_v2)
Value eval_moments(CallArgs& a) {
  Tensor x = a.tensor("x");
  Tensor y = x.dtype() == DType::kFloat16 ? ops::cast(x, DType::kFloat32) : x;
  std::vector<int> axes = ops::normalize_axes(a.shape("axes"), y.rank(), "moments");
  Tensor mean = ops::reduce_mean(y, axes, true);
  Tensor variance = ops::reduce_mean(ops::squared_difference(y, ops::stop_gradient(mean)), axes, true);
  if (!a.boolean("keepdims")) {
    Shape squeezed;
    for (int i = 0; i < y.rank(); ++i)
      if (std::find(axes.begin(), axes.end(), i) == axes.end()) squeezed.push_back(y.shape()[static_cast<std::size_t>(i)]);
    mean = ops::reshape(mean, squeezed);
    variance = ops::reshape(variance, squeezed);
  }
  if (x.dtype() == DType::kFloat16) {
    mean = ops::cast(mean, DType::kFloat16);
    variance = ops::cast(variance, DType::kFloat16);
  }
  return Value::list({Value::of(mean), Value::of(variance)}, ValueKind::kTuple);
}

// where(uniform(noise_shape, seed) >= rate, x * (1 / (1 - rate)), 0)   (TF: nn_ops.dropout_v2)
Value eval_dropout(CallArgs& a) {
  const Value& rate_value = a["rate"];
  bool rate_is_number = rate_value.kind == ValueKind::kFloat || rate_value.kind == ValueKind::kInt;
  double rate = rate_is_number ? a.real("rate") : 0.0;
  if (rate_is_number && (rate < 0 || rate >= 1))
    throw UserError(ExitCode::kEval, "`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate=" +
                                         std::string(rate_value.kind == ValueKind::kInt ? std::to_string(rate_value.integer) : format::python_float_repr(rate)));
  Tensor x = a.tensor("x");
  if (!dtype_is_floating(x.dtype()))
    throw UserError(ExitCode::kEval, "`x.dtype` must be a floating point tensor as `x` will be scaled. Received: x_dtype=" +
                                         std::string(dtype_name(x.dtype())));
  std::optional<std::int64_t> seed = optional_seed(a, "seed");
  if (rate_is_number && rate == 0) {
    op_seeds(seed);  // TF's dummy_rng_step keeps the op-seed sequence where it would be
    return Value::of(x);
  }
  Tensor kept;
  Tensor rate_tensor;
  if (rate_is_number) {
    kept = ops::multiply(x, Tensor::scalar(x.dtype(), 1.0 / (1.0 - rate)));
    rate_tensor = Tensor::scalar(x.dtype(), rate);
  } else {
    rate_tensor = a.tensor("rate");
    if (rate_tensor.rank() != 0) throw UserError(ExitCode::kEval, "Shape " + shape_str(rate_tensor.shape()) + " must have rank 0");
    rate_tensor = ops::cast(rate_tensor, x.dtype());
    kept = ops::divide(x, ops::subtract(ops::ones_like(rate_tensor), rate_tensor));
  }
  Shape noise_shape = a.is_none("noise_shape") ? x.shape() : a.shape("noise_shape");
  auto seeds = op_seeds(seed);
  kernels::random::Philox gen = reserve_kernel_samples("RandomUniform", x.dtype(), seeds, 256 * static_cast<std::uint64_t>(shape_size(noise_shape)));
  Tensor random = kernels::random::fill_uniform(x.dtype(), noise_shape, gen);
  Tensor keep_mask = ops::compare(BinaryOp::kGreaterEqual, random, rate_tensor);
  return Value::of(ops::where(keep_mask, kept, ops::zeros(x.dtype(), {})));
}

const std::vector<OpDef> kRows = {
    {"nn.relu", "", MemberKind::kOp, "relu(features, name=None)",
     "Computes rectified linear: max(features, 0); the gradient is 0 at 0 and its second derivative zeros.",
     "nn.relu([-1.0, 0.0, 2.0])", eval_relu},
    {"nn.relu6", "", MemberKind::kOp, "relu6(features, name=None)", "Computes Rectified Linear 6: min(max(features, 0), 6).",
     "nn.relu6([-1.0, 3.0, 7.0])", eval_relu6},
    {"nn.elu", "", MemberKind::kOp, "elu(features, name=None)",
     "Computes the exponential linear function: exp(features) - 1 if < 0, features otherwise.", "nn.elu([-1.0, 0.0, 2.0])",
     eval_elu},
    {"nn.selu", "", MemberKind::kOp, "selu(features, name=None)",
     "Computes scaled exponential linear: scale * alpha * (exp(features) - 1) if < 0, scale * features otherwise.",
     "nn.selu([-1.0, 0.0, 2.0])", eval_selu},
    {"nn.gelu", "", MemberKind::kOp, "gelu(features, approximate=False, name=None)",
     "Compute the Gaussian Error Linear Unit: 0.5 x (1 + erf(x / sqrt 2)), or its tanh approximation.",
     "nn.gelu([-3.0, -1.0, 0.0, 1.0, 3.0])", eval_gelu},
    {"nn.leaky_relu", "", MemberKind::kOp, "leaky_relu(features, alpha=0.2, name=None)",
     "Compute the Leaky ReLU activation function: features if > 0, alpha * features otherwise.",
     "nn.leaky_relu([-1.0, 2.0])", eval_leaky_relu},
    {"nn.softmax", "math.softmax", MemberKind::kOp, "softmax(logits, axis=None, name=None)",
     "Computes softmax activations along an axis (the last by default); the gradient is (g - sum(g s)) s.",
     "nn.softmax([[1.0, 2.0, 3.0]])", eval_softmax<ops::softmax>},
    {"nn.log_softmax", "math.log_softmax", MemberKind::kOp, "log_softmax(logits, axis=None, name=None)",
     "Computes log softmax activations: logits - log(reduce_sum(exp(logits), axis)).", "nn.log_softmax([[1.0, 2.0, 3.0]])",
     eval_softmax<ops::log_softmax>},
    {"nn.softsign", "math.softsign", MemberKind::kOp, "softsign(features, name=None)",
     "Computes softsign: features / (abs(features) + 1).", "nn.softsign([-1.0, 0.0, 3.0])", eval_softsign},
    {"nn.silu", "nn.swish", MemberKind::kOp, "silu(features, beta=1.0)",
     "Computes the SiLU or Swish activation function: x * sigmoid(beta * x), with TF's custom gradient.",
     "nn.silu([-1.0, 0.0, 2.0])", eval_silu},
    {"nn.l2_loss", "", MemberKind::kOp, "l2_loss(t, name=None)", "Computes half the L2 norm of a tensor: sum(t ** 2) / 2.",
     "nn.l2_loss([1.0, 2.0, 3.0])", eval_l2_loss},
    {"nn.l2_normalize", "math.l2_normalize", MemberKind::kOp, "l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None)",
     "Normalizes along an axis using the L2 norm: x * rsqrt(max(sum(x ** 2), epsilon)).", "nn.l2_normalize([3.0, 4.0])",
     eval_l2_normalize},
    {"nn.sigmoid_cross_entropy_with_logits", "", MemberKind::kOp,
     "sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None)",
     "Computes sigmoid cross entropy given logits, as max(x, 0) - x * z + log(1 + exp(-abs(x))).",
     "nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 1.0, 0.5], logits=[1.0, -1.0, 0.0])", eval_sigmoid_cross_entropy},
    {"nn.softmax_cross_entropy_with_logits", "", MemberKind::kOp,
     "softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None)",
     "Computes softmax cross entropy between logits and labels; both get gradients, and second derivatives work.",
     "nn.softmax_cross_entropy_with_logits(labels=[[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]], logits=[[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])",
     eval_softmax_cross_entropy},
    {"nn.sparse_softmax_cross_entropy_with_logits", "", MemberKind::kOp,
     "sparse_softmax_cross_entropy_with_logits(labels, logits, name=None)",
     "Computes sparse softmax cross entropy between logits and integer class labels; labels get no gradient.",
     "nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=[[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])",
     eval_sparse_softmax_cross_entropy},
    {"nn.moments", "", MemberKind::kOp, "moments(x, axes, shift=None, keepdims=False, name=None)",
     "Calculates the mean and variance of x over axes; the variance treats the mean as a constant.",
     "nn.moments([[1.0, 2.0], [3.0, 5.0]], axes=[0])", eval_moments},
    {"nn.dropout", "", MemberKind::kOp, "dropout(x, rate, noise_shape=None, seed=None, name=None)",
     "Zeros elements with probability rate (uniform samples < rate) and scales the rest by 1 / (1 - rate); seeded like "
     "random.uniform.",
     "nn.dropout([1.0, 2.0, 3.0, 4.0], 0.5, seed=1)", eval_dropout},
};

}  // namespace

const std::vector<OpDef>& nn_ops() { return kRows; }

}  // namespace ag
