// Gradient rules. Each is written with the public ops of ops/api.h, so its computation is
// recorded on the tapes still active: that is what makes a gradient differentiable again.
// Each rule states its math and the TF function it mirrors; operation order follows TF's so
// float results match TF's digits.
#include "ops/grads.h"

#include "ops/api.h"

namespace ag::grads {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;

Tensor c(const Tensor& like, double value) { return ops::scalar_like(like, value); }

// z = x + y: gx = g, gy = g, each summed back to its input's shape     (TF: _AddGrad)
Grads grad_add(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(a.grad, a.x(0).shape());
  if (a.needs(1)) out[1] = ops::sum_to(a.grad, a.x(1).shape());
  return out;
}

// z = x - y: gx = g, gy = -g                                            (TF: _SubGrad)
Grads grad_subtract(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(a.grad, a.x(0).shape());
  if (a.needs(1)) out[1] = ops::sum_to(ops::negative(a.grad), a.x(1).shape());
  return out;
}

// z = x * y: gx = g * y, gy = x * g                                     (TF: _MulGrad)
Grads grad_multiply(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(ops::multiply(a.grad, a.x(1)), a.x(0).shape());
  if (a.needs(1)) out[1] = ops::sum_to(ops::multiply(a.x(0), a.grad), a.x(1).shape());
  return out;
}

// z = x / y: gx = g / y, gy = g * ((-x / y) / y)                        (TF: _RealDivGrad)
Grads grad_divide(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(ops::divide(a.grad, a.x(1)), a.x(0).shape());
  if (a.needs(1)) {
    Tensor q = ops::divide(ops::divide(ops::negative(a.x(0)), a.x(1)), a.x(1));
    out[1] = ops::sum_to(ops::multiply(a.grad, q), a.x(1).shape());
  }
  return out;
}

// z = x ** y: gx = g * y * x ** (y - 1); gy = g * z * log(x), log(x) taken as 0 where x <= 0
//                                                                       (TF: _PowGrad)
Grads grad_pow(const GradArgs& a) {
  const Tensor& x = a.x(0);
  const Tensor& y = a.x(1);
  Grads out(2);
  if (a.needs(0)) {
    Tensor power = ops::pow(x, ops::subtract(y, c(y, 1.0)));
    out[0] = ops::sum_to(ops::multiply(ops::multiply(a.grad, y), power), x.shape());
  }
  if (a.needs(1)) {
    Tensor positive = ops::compare(BinaryOp::kGreater, x, c(x, 0.0));
    Tensor safe_x = ops::where(positive, x, ops::ones_like(x));
    Tensor log_x = ops::where(positive, ops::log(safe_x), ops::zeros_like(x));
    out[1] = ops::sum_to(ops::multiply(ops::multiply(a.grad, a.output), log_x), y.shape());
  }
  return out;
}

// maximum / minimum: x gets g where x wins (ties go to x), y gets the rest  (TF: _MaximumGrad)
Grads grad_max_min(const GradArgs& a, BinaryOp x_wins) {
  Tensor mask = ops::compare(x_wins, a.x(0), a.x(1));
  Tensor zero = ops::zeros_like(a.grad);
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(ops::where(mask, a.grad, zero), a.x(0).shape());
  if (a.needs(1)) out[1] = ops::sum_to(ops::where(mask, zero, a.grad), a.x(1).shape());
  return out;
}
Grads grad_maximum(const GradArgs& a) { return grad_max_min(a, BinaryOp::kGreaterEqual); }
Grads grad_minimum(const GradArgs& a) { return grad_max_min(a, BinaryOp::kLessEqual); }

// z = floormod(x, y): gx = g, gy = -g * floor(x / y)                    (TF: _FloorModGrad)
Grads grad_floormod(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(a.grad, a.x(0).shape());
  if (a.needs(1)) {
    Tensor q = ops::unary(UnaryOp::kFloor, ops::divide(a.x(0), a.x(1)));
    out[1] = ops::sum_to(ops::multiply(ops::negative(a.grad), q), a.x(1).shape());
  }
  return out;
}

// d(-x) = -g                                                            (TF: _NegGrad)
Grads grad_negative(const GradArgs& a) { return {ops::negative(a.grad)}; }
// d exp(x) = g * exp(x), using the recorded output                       (TF: _ExpGrad)
Grads grad_exp(const GradArgs& a) { return {ops::multiply(a.grad, a.output)}; }
// d log(x) = g * (1 / x)                                                (TF: _LogGrad)
Grads grad_log(const GradArgs& a) { return {ops::multiply(a.grad, ops::reciprocal(a.x(0)))}; }
// d sin(x) = g * cos(x)                                                 (TF: _SinGrad)
Grads grad_sin(const GradArgs& a) { return {ops::multiply(a.grad, ops::cos(a.x(0)))}; }
// d cos(x) = -g * sin(x)                                                (TF: _CosGrad)
Grads grad_cos(const GradArgs& a) { return {ops::multiply(ops::negative(a.grad), ops::sin(a.x(0)))}; }
// d tanh(x) = g * (1 - y * y), y = tanh(x)                              (TF: TanhGrad kernel)
Grads grad_tanh(const GradArgs& a) {
  const Tensor& y = a.output;
  return {ops::multiply(a.grad, ops::subtract(c(y, 1.0), ops::multiply(y, y)))};
}
// d sigmoid(x) = g * y * (1 - y), y = sigmoid(x)                        (TF: SigmoidGrad kernel)
Grads grad_sigmoid(const GradArgs& a) {
  const Tensor& y = a.output;
  return {ops::multiply(ops::multiply(a.grad, y), ops::subtract(c(y, 1.0), y))};
}
// d sqrt(x) = 0.5 * g / y, y = sqrt(x)                                  (TF: SqrtGrad kernel)
Grads grad_sqrt(const GradArgs& a) {
  return {ops::divide(ops::multiply(c(a.grad, 0.5), a.grad), a.output)};
}
// d x² = g * (x * 2)                                                    (TF: _SquareGrad)
Grads grad_square(const GradArgs& a) { return {ops::multiply(a.grad, ops::multiply(a.x(0), c(a.x(0), 2.0)))}; }
// d (1/x) = -g * y²  , y = 1/x                                          (TF: ReciprocalGrad kernel)
Grads grad_reciprocal(const GradArgs& a) {
  const Tensor& y = a.output;
  return {ops::multiply(ops::negative(a.grad), ops::multiply(y, y))};
}
// d |x| = g * sign(x); 0 at x = 0                                       (TF: _AbsGrad)
Grads grad_abs(const GradArgs& a) { return {ops::multiply(a.grad, ops::sign(a.x(0)))}; }

// d sign(x) = 0 (TF registers zeros, not None, so d²|x| is zeros)     (TF: _SignGrad)
Grads grad_sign(const GradArgs& a) { return {ops::zeros_like(a.x(0))}; }

// z = a @ b (with transposes): the four cases of TF's _MatMulGrad.
Grads grad_matmul(const GradArgs& a) {
  const Tensor& x = a.x(0);
  const Tensor& y = a.x(1);
  const Tensor& g = a.grad;
  bool ta = a.attrs.flag_a;
  bool tb = a.attrs.flag_b;
  Grads out(2);
  if (!ta && !tb) {
    if (a.needs(0)) out[0] = ops::matmul(g, y, false, true);
    if (a.needs(1)) out[1] = ops::matmul(x, g, true, false);
  } else if (!ta && tb) {
    if (a.needs(0)) out[0] = ops::matmul(g, y, false, false);
    if (a.needs(1)) out[1] = ops::matmul(g, x, true, false);
  } else if (ta && !tb) {
    if (a.needs(0)) out[0] = ops::matmul(y, g, false, true);
    if (a.needs(1)) out[1] = ops::matmul(x, g, false, false);
  } else {
    if (a.needs(0)) out[0] = ops::matmul(y, g, true, true);
    if (a.needs(1)) out[1] = ops::matmul(g, x, true, true);
  }
  // Batched products broadcast their batch axes: sum each gradient back to its input's shape.
  for (std::size_t i = 0; i < 2; ++i)
    if (out[i] && out[i]->shape() != a.x(i).shape()) out[i] = ops::sum_to(*out[i], a.x(i).shape());
  return out;
}

// transpose(x, perm): transpose(g, inverse(perm))                       (TF: _TransposeGrad)
Grads grad_transpose(const GradArgs& a) {
  std::vector<int> inverse(a.attrs.ints.size());
  for (std::size_t i = 0; i < inverse.size(); ++i) inverse[static_cast<std::size_t>(a.attrs.ints[i])] = static_cast<int>(i);
  return {ops::transpose(a.grad, inverse)};
}
// reshape: reshape(g, shape(x))                                         (TF: _ReshapeGrad)
Grads grad_reshape(const GradArgs& a) { return {ops::reshape(a.grad, a.attrs.shape)}; }
// broadcast_to: g summed over the broadcast axes                        (TF: _BroadcastToGrad)
Grads grad_broadcast_to(const GradArgs& a) { return {ops::sum_to(a.grad, a.x(0).shape())}; }

/// g reshaped with the reduced axes kept as 1 (the shape of a keepdims reduction).
Tensor keep_reduced_axes(const GradArgs& a) {
  if (a.attrs.flag_a) return a.grad;
  Shape kept = a.x(0).shape();
  for (std::int64_t axis : a.attrs.ints) kept[static_cast<std::size_t>(axis)] = 1;
  return ops::reshape(a.grad, kept);
}
// reduce_sum: g broadcast back over the reduced axes                    (TF: _SumGrad)
Grads grad_sum(const GradArgs& a) { return {ops::broadcast_to(keep_reduced_axes(a), a.x(0).shape())}; }
// reduce_mean: the sum's gradient divided by the count N                 (TF: _MeanGrad)
Grads grad_mean(const GradArgs& a) {
  std::int64_t count = a.output.size() == 0 ? 0 : a.x(0).size() / a.output.size();
  Tensor summed = ops::broadcast_to(keep_reduced_axes(a), a.x(0).shape());
  return {ops::divide(summed, c(summed, static_cast<double>(count)))};
}
// reduce_max / reduce_min: g shared equally among the elements equal to the result  (TF: _MinOrMaxGrad)
Grads grad_max_min_reduce(const GradArgs& a) {
  const Tensor& x = a.x(0);
  Shape kept = x.shape();
  for (std::int64_t axis : a.attrs.ints) kept[static_cast<std::size_t>(axis)] = 1;
  Tensor y = a.attrs.flag_a ? a.output : ops::reshape(a.output, kept);
  Tensor indicators = ops::cast(ops::compare(BinaryOp::kEqual, x, ops::broadcast_to(y, x.shape())), x.dtype());
  std::vector<int> axes(a.attrs.ints.begin(), a.attrs.ints.end());
  Tensor count = ops::reduce_sum(indicators, axes, true);
  Tensor g = keep_reduced_axes(a);
  return {ops::multiply(ops::divide(indicators, count), g)};
}
// cast: the gradient cast back to the input's dtype                     (TF: _CastGrad)
Grads grad_cast(const GradArgs& a) { return {ops::cast(a.grad, a.x(0).dtype())}; }
// identity: g                                                           (TF: _IdGrad)
Grads grad_identity(const GradArgs& a) { return {a.grad}; }
// strided slice: g scattered into zeros of the input's shape            (TF: _StridedSliceGrad)
Grads grad_strided_slice(const GradArgs& a) { return {ops::strided_slice_grad(a.grad, a.attrs.shape, a.attrs.slices)}; }
// the scatter is linear: its gradient slices the same grid back out     (TF: _StridedSliceGradGrad)
Grads grad_strided_slice_grad(const GradArgs& a) {
  return {ops::strided_slice(a.grad, a.attrs.slices, a.x(0).shape())};
}
// where(c, x, y): x gets g where c, y gets g elsewhere; c gets none     (TF: _SelectGradV2)
Grads grad_select(const GradArgs& a) {
  Tensor zero = ops::zeros_like(a.grad);
  Grads out(3);
  if (a.needs(1)) out[1] = ops::sum_to(ops::where(a.x(0), a.grad, zero), a.x(1).shape());
  if (a.needs(2)) out[2] = ops::sum_to(ops::where(a.x(0), zero, a.grad), a.x(2).shape());
  return out;
}

}  // namespace

const Primitive kAdd{"AddV2", grad_add};
const Primitive kSubtract{"Sub", grad_subtract};
const Primitive kMultiply{"Mul", grad_multiply};
const Primitive kDivide{"RealDiv", grad_divide};
const Primitive kPow{"Pow", grad_pow};
const Primitive kMaximum{"Maximum", grad_maximum};
const Primitive kMinimum{"Minimum", grad_minimum};
const Primitive kFloorMod{"FloorMod", grad_floormod};
const Primitive kNegative{"Neg", grad_negative};
const Primitive kExp{"Exp", grad_exp};
const Primitive kLog{"Log", grad_log};
const Primitive kSin{"Sin", grad_sin};
const Primitive kCos{"Cos", grad_cos};
const Primitive kTanh{"Tanh", grad_tanh};
const Primitive kSqrt{"Sqrt", grad_sqrt};
const Primitive kSquare{"Square", grad_square};
const Primitive kReciprocal{"Reciprocal", grad_reciprocal};
const Primitive kAbs{"Abs", grad_abs};
const Primitive kSigmoid{"Sigmoid", grad_sigmoid};
const Primitive kSign{"Sign", grad_sign};
const Primitive kMatMul{"MatMul", grad_matmul};
const Primitive kTranspose{"Transpose", grad_transpose};
const Primitive kReshape{"Reshape", grad_reshape};
const Primitive kBroadcastTo{"BroadcastTo", grad_broadcast_to};
const Primitive kSum{"Sum", grad_sum};
const Primitive kMean{"Mean", grad_mean};
const Primitive kMaxMin{"Max", grad_max_min_reduce};
const Primitive kCast{"Cast", grad_cast};
const Primitive kIdentity{"Identity", grad_identity};
const Primitive kStridedSlice{"StridedSlice", grad_strided_slice};
const Primitive kStridedSliceGrad{"StridedSliceGrad", grad_strided_slice_grad};
const Primitive kSelect{"SelectV2", grad_select};
const Primitive kNoGradUnary{"NoGradient", nullptr};
const Primitive kNoGradBinary{"NoGradient", nullptr};
const Primitive kNotDifferentiableUnary{"NoGradient", nullptr};

}  // namespace ag::grads
