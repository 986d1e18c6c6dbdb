// Gradient rules. Each is written with the public ops of ops/api.h, so its computation is
// recorded on the tapes still active: that is what makes a gradient differentiable again.
// Each rule states its math and the TF function it mirrors; operation order follows TF's so
// float results match TF's digits.
#include "ops/grads.h"

#include <algorithm>

#include "ops/api.h"
#include "ops/dtypes_values.h"

namespace ag::grads {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;

Tensor c(const Tensor& like, double value) { return ops::scalar_like(like, value); }

/// TF's convention for complex inputs: a rule multiplies the incoming gradient by the conjugate of
/// the partial derivative, so each rule conjugates the values its partial is built from (as TF's
/// rules call math_ops.conj). For real tensors this is the tensor itself and records nothing.
Tensor cj(const Tensor& t) { return ops::conj(t); }
bool is_complex(const Tensor& t) { return dtype_is_complex(t.dtype()); }

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

// z = x * y: gx = g * conj(y), gy = conj(x) * g                         (TF: _MulGrad)
Grads grad_multiply(const GradArgs& a) {
  Grads out(2);
  if (a.reusable_grad && !is_complex(a.grad)) {
    // The last product is written over g (products commute exactly: the same numbers).
    if (a.needs(0) && a.needs(1)) out[0] = ops::sum_to(ops::multiply(a.grad, a.x(1)), a.x(0).shape());
    const std::size_t last = a.needs(1) ? 1 : 0;
    if (a.needs(last))
      out[last] = ops::sum_to(kernels::binary_in_place(BinaryOp::kMultiply, std::move(*a.reusable_grad), a.x(1 - last)), a.x(last).shape());
    return out;
  }
  if (a.needs(0)) out[0] = ops::sum_to(ops::multiply(a.grad, cj(a.x(1))), a.x(0).shape());
  if (a.needs(1)) out[1] = ops::sum_to(ops::multiply(cj(a.x(0)), a.grad), a.x(1).shape());
  return out;
}

// z = x / y: gx = g / y, gy = g * ((-x / y) / y), x and y conjugated   (TF: _RealDivGrad, _DivGrad)
Grads grad_divide(const GradArgs& a) {
  Tensor x = cj(a.x(0));
  Tensor y = cj(a.x(1));
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(ops::divide(a.grad, y), a.x(0).shape());
  if (a.needs(1)) {
    Tensor q = ops::divide(ops::divide(ops::negative(x), y), y);
    out[1] = ops::sum_to(ops::multiply(a.grad, q), a.x(1).shape());
  }
  return out;
}

// z = x ** y: gx = g * y * x ** (y - 1); gy = g * z * log(x), log(x) taken as 0 where x <= 0
// (complex: where x == 0); x, y and z conjugated                        (TF: _PowGrad)
Grads grad_pow(const GradArgs& a) {
  Tensor x = cj(a.x(0));
  Tensor y = cj(a.x(1));
  Grads out(2);
  if (a.needs(0)) {
    Tensor power = ops::pow(x, ops::subtract(y, c(y, 1.0)));
    out[0] = ops::sum_to(ops::multiply(ops::multiply(a.grad, y), power), x.shape());
  }
  if (a.needs(1)) {
    Tensor usable = is_complex(x) ? ops::compare(BinaryOp::kNotEqual, x, c(x, 0.0)) : ops::compare(BinaryOp::kGreater, x, c(x, 0.0));
    Tensor safe_x = ops::where(usable, x, ops::ones_like(x));
    Tensor log_x = ops::where(usable, ops::log(safe_x), ops::zeros_like(x));
    out[1] = ops::sum_to(ops::multiply(ops::multiply(a.grad, cj(a.output)), log_x), y.shape());
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

// z = floormod(x, y): gx = g, gy = g * -floordiv(x, y)                 (TF: _FloorModGrad)
Grads grad_floormod(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(a.grad, a.x(0).shape());
  if (a.needs(1)) {
    Tensor floor_xy = ops::floordiv(a.x(0), a.x(1));
    out[1] = ops::sum_to(ops::multiply(a.grad, ops::negative(floor_xy)), a.x(1).shape());
  }
  return out;
}

// d(-x) = -g                                                            (TF: _NegGrad)
Grads grad_negative(const GradArgs& a) { return {ops::negative(a.grad)}; }
// d exp(x) = g * exp(x), using the recorded output                       (TF: _ExpGrad)
Grads grad_exp(const GradArgs& a) {
  if (a.reusable_grad && !is_complex(a.output)) return {kernels::binary_in_place(BinaryOp::kMultiply, std::move(*a.reusable_grad), a.output)};
  return {ops::multiply(a.grad, cj(a.output))};
}
// d log(x) = g * (1 / x)                                                (TF: _LogGrad)
Grads grad_log(const GradArgs& a) { return {ops::multiply(a.grad, ops::reciprocal(cj(a.x(0))))}; }
/// Whether a rule's ops would be recorded by no tape, so that it may compute a product of TF's rule
/// in one fused kernel (the same numbers, without the intermediate tensor) instead of recorded ops.
bool unrecorded(const GradArgs& a) { return active_tapes().empty() && !is_complex(a.grad) && !is_complex(a.x(0)); }

// d sin(x) = g * cos(x)                                                 (TF: _SinGrad)
Grads grad_sin(const GradArgs& a) {
  if (a.reusable_grad && !is_complex(a.x(0))) return {kernels::unary_times_in_place(UnaryOp::kCos, a.x(0), std::move(*a.reusable_grad), false)};
  if (unrecorded(a)) return {kernels::unary_times(UnaryOp::kCos, a.x(0), a.grad, false)};
  return {ops::multiply(a.grad, ops::cos(cj(a.x(0))))};
}
// d cos(x) = -g * sin(x)                                                (TF: _CosGrad)
Grads grad_cos(const GradArgs& a) {
  if (a.reusable_grad && !is_complex(a.x(0))) return {kernels::unary_times_in_place(UnaryOp::kSin, a.x(0), std::move(*a.reusable_grad), true)};
  if (unrecorded(a)) return {kernels::unary_times(UnaryOp::kSin, a.x(0), a.grad, true)};
  return {ops::multiply(ops::negative(a.grad), ops::sin(cj(a.x(0))))};
}
// TF's fused gradient kernels (TanhGrad, SigmoidGrad, ...) are real here; for complex tensors the
// rules build the same products from recorded ops, with the output conjugated as TF's kernels do.

// d tanh(x) = TanhGrad(y, g) = g * (1 - y * y), y = tanh(x)          (TF: _TanhGrad)
Grads grad_tanh(const GradArgs& a) {
  if (!is_complex(a.output)) return {ops::tanh_grad(a.output, a.grad)};
  Tensor y = cj(a.output);
  return {ops::multiply(a.grad, ops::subtract(c(y, 1.0), ops::multiply(y, y)))};
}
// d sigmoid(x) = SigmoidGrad(y, g) = g * y * (1 - y), y = sigmoid(x)   (TF: _SigmoidGrad)
Grads grad_sigmoid(const GradArgs& a) {
  if (!is_complex(a.output)) return {ops::sigmoid_grad(a.output, a.grad)};
  Tensor y = cj(a.output);
  return {ops::multiply(ops::multiply(a.grad, y), ops::subtract(c(y, 1.0), y))};
}
// d sqrt(x) = SqrtGrad(y, g) = 0.5 * g / y, y = sqrt(x)                (TF: _SqrtGrad)
Grads grad_sqrt(const GradArgs& a) {
  if (!is_complex(a.output)) return {ops::sqrt_grad(a.output, a.grad)};
  return {ops::divide(ops::multiply(c(a.grad, 0.5), a.grad), cj(a.output))};
}
// d x² = g * (x * 2)                                                    (TF: _SquareGrad)
Grads grad_square(const GradArgs& a) {
  Tensor x = cj(a.x(0));
  return {ops::multiply(a.grad, ops::multiply(x, c(x, 2.0)))};
}
// d (1/x) = ReciprocalGrad(y, g) = -g * y², y = 1/x                   (TF: _ReciprocalGrad)
Grads grad_reciprocal(const GradArgs& a) {
  if (!is_complex(a.output)) return {ops::reciprocal_grad(a.output, a.grad)};
  Tensor y = cj(a.output);
  return {ops::multiply(ops::negative(a.grad), ops::multiply(y, y))};
}
// d |x| = g * sign(x); 0 at x = 0                                       (TF: _AbsGrad)
// complex x (TF's ComplexAbs, real result): dx = complex(g, 0) * x / complex(|x|, 0), 0 where
// |x| = 0                                                               (TF: _ComplexAbsGrad)
Grads grad_abs(const GradArgs& a) {
  const Tensor& x = a.x(0);
  if (!is_complex(x)) return {ops::multiply(a.grad, ops::sign(x))};
  Tensor numerator = ops::multiply(ops::complex(a.grad, ops::zeros_like(a.grad)), x);
  Tensor magnitude = ops::complex(a.output, ops::zeros_like(a.output));
  Tensor nonzero = ops::compare(BinaryOp::kNotEqual, a.output, c(a.output, 0.0));
  Tensor safe = ops::where(nonzero, magnitude, ops::ones_like(magnitude));
  return {ops::where(nonzero, ops::divide(numerator, safe), ops::zeros_like(numerator))};
}

// d sign(x) = 0 (TF registers zeros, not None, so d²|x| is zeros)     (TF: _SignGrad)
Grads grad_sign(const GradArgs& a) { return {ops::zeros_like(a.x(0))}; }

// z = a @ b (with transposes): the four cases of TF's _MatMulGrad.
Grads grad_matmul(const GradArgs& a) {
  Tensor x = cj(a.x(0));
  Tensor y = cj(a.x(1));
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
// The broadcast itself is left to the tape (tape.cpp), which skips it when the next rule takes the
// gradient as it is (Primitive::takes_broadcast_grad): reduce_sum(f(x)) then never fills a tensor
// of x's size with copies of one number.
Grads grad_sum(const GradArgs& a) { return {keep_reduced_axes(a)}; }
// reduce_mean: the sum's gradient divided by the count N                 (TF: _MeanGrad)
// Dividing before the broadcast divides the same numbers: each element is TF's g / N.
Grads grad_mean(const GradArgs& a) {
  std::int64_t count = a.output.size() == 0 ? 0 : a.x(0).size() / a.output.size();
  Tensor kept = keep_reduced_axes(a);
  return {ops::divide(kept, c(kept, static_cast<double>(count)))};
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

// ---- Math ops of issue 4 ------------------------------------------------------------------

// d rsqrt(x) = RsqrtGrad(y, g) = -0.5 * g * y³, y = rsqrt(x)           (TF: _RsqrtGrad)
Grads grad_rsqrt(const GradArgs& a) {
  if (!is_complex(a.output)) return {ops::rsqrt_grad(a.output, a.grad)};
  Tensor y = cj(a.output);
  return {ops::multiply(ops::multiply(c(y, -0.5), a.grad), ops::multiply(ops::multiply(y, y), y))};
}
// d expm1(x) = g * exp(x)                                              (TF: _Expm1Grad)
Grads grad_expm1(const GradArgs& a) { return {ops::multiply(a.grad, ops::exp(cj(a.x(0))))}; }
// d log1p(x) = g * (1 / (1 + x))                                       (TF: _Log1pGrad)
Grads grad_log1p(const GradArgs& a) {
  Tensor x = cj(a.x(0));
  return {ops::multiply(a.grad, ops::reciprocal(ops::add(c(x, 1.0), x)))};
}
// d tan(x) = sec²(x) * g, sec = 1 / cos(x)                             (TF: _TanGrad)
Grads grad_tan(const GradArgs& a) { return {ops::multiply(ops::square(ops::reciprocal(ops::cos(cj(a.x(0))))), a.grad)}; }
/// 1 / sqrt(1 - x²), as _AsinGrad and _AcosGrad build it.
Tensor inverse_sqrt_one_minus_square(const Tensor& x) {
  return ops::reciprocal(ops::sqrt(ops::subtract(c(x, 1.0), ops::square(x))));
}
// d asin(x) = g * (1 / sqrt(1 - x²))                                   (TF: _AsinGrad)
Grads grad_asin(const GradArgs& a) { return {ops::multiply(a.grad, inverse_sqrt_one_minus_square(a.x(0)))}; }
// d acos(x) = -g * (1 / sqrt(1 - x²))                                  (TF: _AcosGrad)
Grads grad_acos(const GradArgs& a) {
  return {ops::multiply(ops::negative(a.grad), inverse_sqrt_one_minus_square(a.x(0)))};
}
// d atan(x) = g * (1 / (1 + x²))                                       (TF: _AtanGrad)
Grads grad_atan(const GradArgs& a) {
  return {ops::multiply(a.grad, ops::reciprocal(ops::add(c(a.x(0), 1.0), ops::square(a.x(0)))))};
}
// d sinh(x) = g * cosh(x)                                              (TF: _SinhGrad)
Grads grad_sinh(const GradArgs& a) { return {ops::multiply(a.grad, ops::cosh(cj(a.x(0))))}; }
// d cosh(x) = g * sinh(x)                                              (TF: _CoshGrad)
Grads grad_cosh(const GradArgs& a) { return {ops::multiply(a.grad, ops::sinh(cj(a.x(0))))}; }
// d asinh(x) = g / cosh(y), y = asinh(x)                               (TF: _AsinhGrad)
Grads grad_asinh(const GradArgs& a) { return {ops::divide(a.grad, ops::cosh(cj(a.output)))}; }
// d acosh(x) = g / sinh(y), y = acosh(x)                               (TF: _AcoshGrad)
Grads grad_acosh(const GradArgs& a) { return {ops::divide(a.grad, ops::sinh(cj(a.output)))}; }
// d atanh(x) = g * (1 / (1 - x²))                                      (TF: _AtanhGrad)
Grads grad_atanh(const GradArgs& a) {
  Tensor x = cj(a.x(0));
  return {ops::multiply(a.grad, ops::reciprocal(ops::subtract(c(x, 1.0), ops::square(x))))};
}
// d erf(x) = g * 2/sqrt(pi) * exp(-x²)                                 (TF: _ErfGrad)
Grads grad_erf(const GradArgs& a) {
  Tensor gaussian = ops::exp(ops::negative(ops::square(a.x(0))));
  return {ops::multiply(ops::multiply(a.grad, c(a.grad, 1.1283791670955126)), gaussian)};
}
// d erfc(x) = g * -2/sqrt(pi) * exp(-x²)                               (TF: _ErfcGrad)
Grads grad_erfc(const GradArgs& a) {
  Tensor gaussian = ops::exp(ops::negative(ops::square(a.x(0))));
  return {ops::multiply(ops::multiply(a.grad, c(a.grad, -1.1283791670955126)), gaussian)};
}
// d lgamma(x) = g * digamma(x)                                         (TF: _LgammaGrad)
Grads grad_lgamma(const GradArgs& a) { return {ops::multiply(a.grad, ops::digamma(a.x(0)))}; }
// d digamma(x) = g * polygamma(1, x)                                   (TF: _DigammaGrad)
Grads grad_digamma(const GradArgs& a) { return {ops::multiply(a.grad, ops::polygamma(c(a.x(0), 1.0), a.x(0)))}; }
// d polygamma(n, x) / dx = g * polygamma(n + 1, x); n gets None        (TF: _PolygammaGrad)
Grads grad_polygamma(const GradArgs& a) {
  Grads out(2);
  if (a.needs(1)) {
    Tensor partial = ops::polygamma(ops::add(a.x(0), c(a.x(0), 1.0)), a.x(1));
    out[1] = ops::sum_to(ops::multiply(partial, a.grad), a.x(1).shape());
  }
  return out;
}
// atan2(y, x): gy = x * g / (x² + y²), gx = -y * g / (x² + y²)       (TF: _Atan2Grad)
Grads grad_atan2(const GradArgs& a) {
  const Tensor& y = a.x(0);
  const Tensor& x = a.x(1);
  Tensor grad_inv = ops::divide(a.grad, ops::add(ops::square(x), ops::square(y)));
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(ops::multiply(x, grad_inv), y.shape());
  if (a.needs(1)) out[1] = ops::sum_to(ops::multiply(ops::negative(y), grad_inv), x.shape());
  return out;
}
// (x - y)²: gx = 2g * (x - y), gy = -(that, reduced)                   (TF: _SquaredDifferenceGrad)
Grads grad_squared_difference(const GradArgs& a) {
  Tensor x_grad = ops::multiply(ops::multiply(c(a.grad, 2.0), a.grad), ops::subtract(a.x(0), a.x(1)));
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(x_grad, a.x(0).shape());
  if (a.needs(1)) out[1] = ops::negative(ops::sum_to(x_grad, a.x(1).shape()));
  return out;
}
// mul_no_nan(x, y): gx = mul_no_nan(g, y), gy = mul_no_nan(x, g)       (TF: _MulNoNanGrad)
Grads grad_mul_no_nan(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::sum_to(ops::multiply_no_nan(a.grad, a.x(1)), a.x(0).shape());
  if (a.needs(1)) out[1] = ops::sum_to(ops::multiply_no_nan(a.x(0), a.grad), a.x(1).shape());
  return out;
}

// reduce_prod: g times the product of all other elements, from an exclusive cumprod each way
// over the reduced axes moved first and flattened, so zeros are handled       (TF: _ProdGrad)
Grads grad_prod(const GradArgs& a) {
  const Tensor& x = a.x(0);
  const Shape& shape = x.shape();
  std::vector<int> reduced(a.attrs.ints.begin(), a.attrs.ints.end());
  std::vector<int> perm = reduced;
  for (int axis = 0; axis < x.rank(); ++axis)
    if (std::find(reduced.begin(), reduced.end(), axis) == reduced.end()) perm.push_back(axis);
  std::int64_t reduced_num = 1;
  std::int64_t other_num = 1;
  for (std::size_t i = 0; i < perm.size(); ++i)
    (i < reduced.size() ? reduced_num : other_num) *= shape[static_cast<std::size_t>(perm[i])];
  Tensor g = ops::broadcast_to(keep_reduced_axes(a), shape);
  Tensor permuted = ops::transpose(x, perm);
  Tensor reshaped = ops::reshape(permuted, {reduced_num, other_num});
  Tensor left = cj(ops::cumprod(reshaped, 0, true, false));
  Tensor right = cj(ops::cumprod(reshaped, 0, true, true));
  Tensor y = ops::reshape(ops::multiply(left, right), permuted.shape());
  std::vector<int> inverse(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) inverse[static_cast<std::size_t>(perm[i])] = static_cast<int>(i);
  return {ops::reshape(ops::multiply(g, ops::transpose(y, inverse)), shape)};
}
// cumsum: the cumsum of g in the other direction                      (TF: _CumsumGrad)
Grads grad_cumsum(const GradArgs& a) {
  return {ops::cumsum(a.grad, static_cast<int>(a.attrs.ints[0]), a.attrs.flag_a, !a.attrs.flag_b)};
}
// cumprod: cumsum(cumprod(x) * g, other direction) / x (NaN where x is 0, as TF)  (TF: _CumprodGrad)
Grads grad_cumprod(const GradArgs& a) {
  int axis = static_cast<int>(a.attrs.ints[0]);
  Tensor prod = cj(ops::cumprod(a.x(0), axis, a.attrs.flag_a, a.attrs.flag_b));
  Tensor out = ops::cumsum(ops::multiply(prod, a.grad), axis, a.attrs.flag_a, !a.attrs.flag_b);
  return {ops::divide(out, cj(a.x(0)))};
}
// add_n: g for every input                                             (TF: _AddNGrad)
Grads grad_add_n(const GradArgs& a) { return Grads(a.inputs.size(), a.grad); }

// ---- TF's fused gradient kernels and their gradients --------------------------------------

// TanhGrad(a, b) = b (1 - a²): da = g * -2 * b * a, db = TanhGrad(a, g)    (TF: _TanhGradGrad)
Grads grad_tanh_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::multiply(ops::multiply(ops::multiply(a.grad, c(a.grad, -2.0)), a.x(1)), a.x(0));
  if (a.needs(1)) out[1] = ops::tanh_grad(a.x(0), a.grad);
  return out;
}
// SigmoidGrad(a, b) = b a (1 - a): da = gb - 2 gb a, gb = g b; db = SigmoidGrad(a, g)  (TF: _SigmoidGradGrad)
Grads grad_sigmoid_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) {
    Tensor gb = ops::multiply(a.grad, a.x(1));
    out[0] = ops::subtract(gb, ops::multiply(ops::multiply(c(gb, 2.0), gb), a.x(0)));
  }
  if (a.needs(1)) out[1] = ops::sigmoid_grad(a.x(0), a.grad);
  return out;
}
// SqrtGrad(a, b) = 0.5 b / a =: y: da = -(g / a) * y, db = 0.5 * (g / a)   (TF: _SqrtGradGrad)
Grads grad_sqrt_grad(const GradArgs& a) {
  Tensor ga = ops::divide(a.grad, a.x(0));
  Grads out(2);
  if (a.needs(0)) out[0] = ops::multiply(ops::negative(ga), a.output);
  if (a.needs(1)) out[1] = ops::multiply(c(ga, 0.5), ga);
  return out;
}
// RsqrtGrad(a, b) = -0.5 b a³: da = -1.5 * g * b * a², db = RsqrtGrad(a, g)  (TF: _RsqrtGradGrad)
Grads grad_rsqrt_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::multiply(ops::multiply(ops::multiply(c(a.grad, -1.5), a.grad), a.x(1)), ops::square(a.x(0)));
  if (a.needs(1)) out[1] = ops::rsqrt_grad(a.x(0), a.grad);
  return out;
}
// ReciprocalGrad(a, b) = -b a²: da = g * -2 * b * a, db = ReciprocalGrad(a, g)  (TF: _ReciprocalGradGrad)
Grads grad_reciprocal_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::multiply(ops::multiply(ops::multiply(a.grad, c(a.grad, -2.0)), a.x(1)), a.x(0));
  if (a.needs(1)) out[1] = ops::reciprocal_grad(a.x(0), a.grad);
  return out;
}

}  // namespace

const Primitive kAdd{"AddV2", grad_add};
const Primitive kSubtract{"Sub", grad_subtract};
const Primitive kMultiply{"Mul", grad_multiply, true};
const Primitive kDivide{"RealDiv", grad_divide, true};
const Primitive kPow{"Pow", grad_pow};
const Primitive kMaximum{"Maximum", grad_maximum, false, true};
const Primitive kMinimum{"Minimum", grad_minimum, false, true};
const Primitive kFloorMod{"FloorMod", grad_floormod};
const Primitive kNegative{"Neg", grad_negative};
const Primitive kExp{"Exp", grad_exp, true};
const Primitive kLog{"Log", grad_log, true};
const Primitive kSin{"Sin", grad_sin, true};
const Primitive kCos{"Cos", grad_cos, true};
const Primitive kTanh{"Tanh", grad_tanh, true};
const Primitive kSqrt{"Sqrt", grad_sqrt};
const Primitive kSquare{"Square", grad_square, true};
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
const Primitive kSelect{"SelectV2", grad_select, false, true};
const Primitive kRsqrt{"Rsqrt", grad_rsqrt};
const Primitive kExpm1{"Expm1", grad_expm1};
const Primitive kLog1p{"Log1p", grad_log1p};
const Primitive kTan{"Tan", grad_tan};
const Primitive kAsin{"Asin", grad_asin};
const Primitive kAcos{"Acos", grad_acos};
const Primitive kAtan{"Atan", grad_atan};
const Primitive kSinh{"Sinh", grad_sinh, true};
const Primitive kCosh{"Cosh", grad_cosh, true};
const Primitive kAsinh{"Asinh", grad_asinh};
const Primitive kAcosh{"Acosh", grad_acosh};
const Primitive kAtanh{"Atanh", grad_atanh};
const Primitive kErf{"Erf", grad_erf};
const Primitive kErfc{"Erfc", grad_erfc};
const Primitive kLgamma{"Lgamma", grad_lgamma};
const Primitive kDigamma{"Digamma", grad_digamma};
const Primitive kPolygamma{"Polygamma", grad_polygamma};
const Primitive kAtan2{"Atan2", grad_atan2};
const Primitive kSquaredDifference{"SquaredDifference", grad_squared_difference};
const Primitive kMulNoNan{"MulNoNan", grad_mul_no_nan};
const Primitive kProd{"Prod", grad_prod};
const Primitive kCumsum{"Cumsum", grad_cumsum};
const Primitive kCumprod{"Cumprod", grad_cumprod};
const Primitive kAddN{"AddN", grad_add_n};
const Primitive kTanhGrad{"TanhGrad", grad_tanh_grad};
const Primitive kSigmoidGrad{"SigmoidGrad", grad_sigmoid_grad};
const Primitive kSqrtGrad{"SqrtGrad", grad_sqrt_grad};
const Primitive kRsqrtGrad{"RsqrtGrad", grad_rsqrt_grad};
const Primitive kReciprocalGrad{"ReciprocalGrad", grad_reciprocal_grad};
const Primitive kNoGradUnary{"NoGradient", nullptr};
const Primitive kNoGradBinary{"NoGradient", nullptr};
const Primitive kNotDifferentiableUnary{"NoGradient", nullptr};

}  // namespace ag::grads
