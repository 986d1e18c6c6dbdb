// Element-wise arithmetic on two broadcast tensors (add ... atan2), with TF's integer semantics:
// wrapping overflow, floor division, and errors for division by zero and negative powers.
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/eigen_math.h"
#include "kernels/elementwise.h"
#include "kernels/flush_denormal.h"

namespace ag::kernels {
namespace {

// ---- integer division and powers --------------------------------------------------------------
// Divisors are checked for zero before any of these run. x86 traps on INT_MIN / -1, so a
// divisor of -1 is handled as a (wrapping) negation.

template <class T>
T truncate_div(T a, T b) {
  if constexpr (std::is_signed_v<T>) {
    if (b == T(-1)) return wrap_neg(a);
  }
  return static_cast<T>(a / b);
}

// TF's floor_div for integers: the truncated quotient, minus one when there is a remainder and
// the operands have opposite signs (Python's // semantics).
template <class T>
T floor_div(T a, T b) {
  if constexpr (std::is_signed_v<T>) {
    if (b == T(-1)) return wrap_neg(a);
    T q = static_cast<T>(a / b);
    return (static_cast<T>(q * b) != a && ((a < 0) != (b < 0))) ? static_cast<T>(q - 1) : q;
  } else {
    return static_cast<T>(a / b);
  }
}

// TF's floor_mod: the remainder takes the sign of the divisor (Python's % semantics).
template <class T>
T floor_mod(T a, T b) {
  if constexpr (std::is_signed_v<T>) {
    if (b == T(-1)) return T(0);
    T r = static_cast<T>(a % b);
    return (r != 0 && ((b < 0) != (r < 0))) ? static_cast<T>(r + b) : r;
  } else {
    return static_cast<T>(a % b);
  }
}

template <class T>
T floor_mod_float(T a, T b) {
  T r = std::fmod(a, b);
  return (r != T(0) && ((b < T(0)) != (r < T(0)))) ? r + b : r;
}

// Exponentiation by squaring with wrapping products; the exponent is known to be >= 0.
template <class T>
T int_pow(T base, T exponent) {
  using W = WrapType<T>;
  W result = 1;
  W factor = static_cast<W>(base);
  auto e = static_cast<std::make_unsigned_t<T>>(exponent);
  while (e != 0) {
    if (e & 1u) result = static_cast<W>(result * factor);
    e = static_cast<decltype(e)>(e >> 1);
    if (e != 0) factor = static_cast<W>(factor * factor);
  }
  return static_cast<T>(result);
}

// TF's maximum/minimum use Eigen's PropagateNaN: a NaN on either side is the result.
template <class T>
T max_nan(T a, T b) {
  if (std::isnan(a)) return a;
  if (std::isnan(b)) return b;
  return a < b ? b : a;
}
template <class T>
T min_nan(T a, T b) {
  if (std::isnan(a)) return a;
  if (std::isnan(b)) return b;
  return b < a ? b : a;
}

// Eigen's zeta_impl (Cephes' Hurwitz zeta by Euler-Maclaurin summation) in T's precision; float
// sums at most 9 terms before the tail, double until the terms pass 9 as well.
template <class T>
T hurwitz_zeta(T x, T q) {
  static const T kA[] = {T(12.0), T(-720.0), T(30240.0), T(-1209600.0), T(47900160.0), T(-1.8924375803183791606e9),
                         T(7.47242496e10), T(-2.950130727918164224e12), T(1.1646782814350067249e14),
                         T(-4.5979787224074726105e15), T(1.8152105401943546773e17), T(-7.1661652561756670113e18)};
  const T machep = std::numeric_limits<T>::epsilon() / T(2);
  if (x == T(1)) return std::numeric_limits<T>::infinity();
  if (x < T(1)) return std::numeric_limits<T>::quiet_NaN();
  if (q <= T(0)) {
    if (q == std::floor(q)) {
      if (x == std::floor(x) && static_cast<long>(x) % 2 == 0) return std::numeric_limits<T>::infinity();
      return std::numeric_limits<T>::quiet_NaN();
    }
    if (x != std::floor(x)) return std::numeric_limits<T>::quiet_NaN();
  }
  T s = std::pow(q, -x);
  T a = q;
  T b = T(0);
  int i = 0;
  while (i < 9 || (std::is_same_v<T, double> && a <= T(9))) {
    i += 1;
    a += T(1);
    b = std::pow(a, -x);
    s += b;
    if (std::abs(b / s) < machep) return s;
  }
  if (b == T(0)) return s;
  T w = a;
  s += b * w / (x - T(1));
  s -= T(0.5) * b;
  a = T(1);
  T k = T(0);
  for (int j = 0; j < 12; ++j) {
    a *= x + k;
    b /= w;
    T t = a * b / kA[j];
    s = s + t;
    t = std::abs(t / s);
    if (t < machep) return s;
    k += T(1);
    a *= x + k;
    b /= w;
    k += T(1);
  }
  return s;
}

// Eigen's polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x); digamma for n = 0, NaN for fractional n.
template <class T>
T polygamma(T n, T x) {
  if (n == T(0)) return tf_float::digamma(x);
  if (std::floor(n) != n) return std::numeric_limits<T>::quiet_NaN();
  T nplus = n + T(1);
  T factorial = std::exp(std::lgamma(nplus));
  return std::pow(T(-1), nplus) * factorial * hurwitz_zeta(nplus, x);
}

template <class S, class Pred>
bool any_element(const Tensor& t, Pred pred) {
  const S* p = t.data<S>();
  for (std::int64_t i = 0; i < t.size(); ++i)
    if (pred(p[i])) return true;
  return false;
}

/// Applies `compute` (on Compute values) over the broadcast, storing in x's dtype.
template <class Tr, class F>
Tensor map_binary(const Tensor& x, const Tensor& y, const Shape& shape, F compute) {
  using S = typename Tr::Storage;
  Tensor out = Tensor::allocate(Tr::dtype, shape);
  broadcast_binary_loop<S, S>(x, y, out, [compute](S a, S b) { return Tr::store(compute(Tr::load(a), Tr::load(b))); });
  return out;
}

template <class Tr>
Tensor arithmetic(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape) {
  using C = typename Tr::Compute;
  using S = typename Tr::Storage;
  constexpr bool kInt = is_int_v<Tr>;
  constexpr bool kReal = is_real_float_v<Tr>;
  constexpr bool kComplex = is_complex_v<Tr>;
  if constexpr (kInt) {
    // TF's safe_div/safe_floor_div/safe_floor_mod fail the whole op on any zero divisor. With a
    // non-empty result every element of y is used, so scanning y up front is equivalent.
    if ((op == BinaryOp::kDivide || op == BinaryOp::kFloorDiv || op == BinaryOp::kFloorMod) && shape_size(shape) > 0 &&
        any_element<S>(y, [](S v) { return v == S(0); }))
      throw UserError(ExitCode::kEval, "Integer division by zero");
    if constexpr (std::is_signed_v<S>) {
      if (op == BinaryOp::kPow && shape_size(shape) > 0 && any_element<S>(y, [](S v) { return v < S(0); }))
        throw UserError(ExitCode::kEval, "Integers to negative integer powers are not allowed");
    }
  }
  switch (op) {
    case BinaryOp::kAdd:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return wrap_add(a, b); });
      if constexpr (kReal || kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { return C(a + b); });
      break;
    case BinaryOp::kSubtract:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return wrap_sub(a, b); });
      if constexpr (kReal || kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { return C(a - b); });
      break;
    case BinaryOp::kMultiply:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return wrap_mul(a, b); });
      if constexpr (kReal || kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { return C(a * b); });
      break;
    case BinaryOp::kDivide:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return truncate_div(a, b); });
      if constexpr (kReal || kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { return C(a / b); });
      break;
    case BinaryOp::kFloorDiv:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return floor_div(a, b); });
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C a, C b) { return std::floor(a / b); });
      break;
    case BinaryOp::kFloorMod:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return floor_mod(a, b); });
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C a, C b) { return floor_mod_float(a, b); });
      break;
    case BinaryOp::kPow:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return int_pow(a, b); });
      if constexpr (kReal || kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { return C(std::pow(a, b)); });
      break;
    case BinaryOp::kMaximum:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return a < b ? b : a; });
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C a, C b) { return max_nan(a, b); });
      break;
    case BinaryOp::kMinimum:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { return b < a ? b : a; });
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C a, C b) { return min_nan(a, b); });
      break;
    case BinaryOp::kAtan2:
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C a, C b) { return std::atan2(a, b); });
      break;
    case BinaryOp::kSquaredDifference:
      if constexpr (kInt) return map_binary<Tr>(x, y, shape, [](C a, C b) { C d = wrap_sub(a, b); return wrap_mul(d, d); });
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C a, C b) { C d = a - b; return C(d * d); });
      if constexpr (kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { C d = a - b; return C(d * std::conj(d)); });
      break;
    case BinaryOp::kMulNoNan:  // TF's mul_no_nan_op: 0 wherever the second operand is 0
      if constexpr (kReal || kComplex) return map_binary<Tr>(x, y, shape, [](C a, C b) { return b == C(0) ? C(0) : C(a * b); });
      break;
    case BinaryOp::kPolygamma:
      if constexpr (kReal) return map_binary<Tr>(x, y, shape, [](C n, C v) { return C(polygamma(n, v)); });
      break;
    default: break;
  }
  unreachable_dtype(op_name(op), Tr::dtype);
}

// ---- TF's fused gradient kernels -----------------------------------------------------------
// Some of TF's gradient functors (cwise_ops_gradients.h) order their products differently in
// packetOp and operator(): Eigen applies the packet form to the first n - n % P elements (P = 8
// floats or 4 doubles, TF's AVX packets) and the scalar form to the rest. Equal shapes are the
// rule here (an output and its gradient); a broadcast pair takes the scalar form throughout.

/// Elements per packet of TF's AVX kernels for a compute type.
template <class C>
constexpr std::int64_t packet_size() { return sizeof(C) == 8 ? 4 : 8; }

template <class Tr, class Packet, class Scalar>
Tensor map_split(const Tensor& x, const Tensor& y, const Shape& shape, Packet packet, Scalar scalar) {
  using S = typename Tr::Storage;
  using C = typename Tr::Compute;
  if (x.shape() != shape || y.shape() != shape)
    return map_binary<Tr>(x, y, shape, scalar);
  Tensor out = Tensor::allocate(Tr::dtype, shape);
  const S* px = x.data<S>();
  const S* py = y.data<S>();
  S* po = out.mutable_data<S>();
  const std::int64_t n = out.size();
  const std::int64_t packed = n - n % packet_size<C>();
  std::int64_t i = 0;
  for (; i < packed; ++i) po[i] = Tr::store(packet(Tr::load(px[i]), Tr::load(py[i])));
  for (; i < n; ++i) po[i] = Tr::store(scalar(Tr::load(px[i]), Tr::load(py[i])));
  return out;
}

template <class Tr>
Tensor gradient_kernel(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape) {
  using C = typename Tr::Compute;
  if constexpr (is_real_float_v<Tr>) {
    const C zero(0);
    const C one(1);
    switch (op) {
      case BinaryOp::kTanhGrad:  // g * (1 - y * y)
        return map_binary<Tr>(x, y, shape, [one](C out, C g) { return C(g * (one - out * out)); });
      case BinaryOp::kSigmoidGrad:  // scalar (g * y) * (1 - y); packet g * (y * (1 - y))
        return map_split<Tr>(
            x, y, shape, [one](C out, C g) { return C(g * (out * (one - out))); },
            [one](C out, C g) { return C(g * out * (one - out)); });
      case BinaryOp::kReciprocalGrad:  // -y * y * g, 0 where g is 0
        return map_binary<Tr>(x, y, shape, [zero](C out, C g) { return g == zero ? zero : C(-out * out * g); });
      case BinaryOp::kSqrtGrad:  // scalar (0.5 * g) / y; packet (0.5 / y) * g; 0 where g is 0
        return map_split<Tr>(
            x, y, shape, [zero](C out, C g) { return g == zero ? zero : C((C(0.5) / out) * g); },
            [zero](C out, C g) { return g == zero ? zero : C((C(0.5) * g) / out); });
      case BinaryOp::kRsqrtGrad:  // scalar -0.5 * (g * y) * (y * y); packet with two mul_no_nan
        return map_split<Tr>(
            x, y, shape,
            [zero](C out, C g) {
              C inner = g == zero ? zero : C(out * g);
              return inner == zero ? zero : C(C(C(-0.5) * C(out * out)) * inner);
            },
            [zero](C out, C g) { return g == zero ? zero : C(C(C(-0.5) * C(g * out)) * C(out * out)); });
      case BinaryOp::kReluGrad:  // g * (y > 0)
        return map_binary<Tr>(x, y, shape, [zero, one](C g, C out) { return C(g * (out > zero ? one : zero)); });
      case BinaryOp::kRelu6Grad:  // g * (0 < y < 6)
        return map_binary<Tr>(x, y, shape,
                              [zero, one](C g, C out) { return C(g * ((out > zero && out < C(6)) ? one : zero)); });
      case BinaryOp::kEluGrad:  // y < 0 ? (y + 1) * g : g
        return map_binary<Tr>(x, y, shape, [zero, one](C g, C out) { return out < zero ? C((out + one) * g) : g; });
      case BinaryOp::kSeluGrad:  // y < 0 ? g * (y + scale * alpha) : g * scale
        return map_binary<Tr>(x, y, shape, [zero](C g, C out) {
          return out < zero ? C(g * (out + C(1.7580993408473768599402175208123)))
                            : C(g * C(1.0507009873554804934193349852946));
        });
      default: break;
    }
  }
  unreachable_dtype(op_name(op), Tr::dtype);
}

DTypeSet allowed_dtypes(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
    case BinaryOp::kMultiply:
    case BinaryOp::kDivide:
    case BinaryOp::kPow: return kNumberSet;
    case BinaryOp::kFloorDiv:
    case BinaryOp::kFloorMod:
    case BinaryOp::kMaximum:
    case BinaryOp::kMinimum:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual: return kRealSet;
    case BinaryOp::kAtan2:
    case BinaryOp::kPolygamma: return kRealFloatSet;
    case BinaryOp::kSquaredDifference: return kRealFloatSet | kSignedSet | kComplexSet;
    case BinaryOp::kMulNoNan: return kRealFloatSet | kComplexSet;
    case BinaryOp::kTanhGrad:
    case BinaryOp::kSigmoidGrad:
    case BinaryOp::kSqrtGrad:
    case BinaryOp::kRsqrtGrad:
    case BinaryOp::kReciprocalGrad:
    case BinaryOp::kReluGrad:
    case BinaryOp::kRelu6Grad:
    case BinaryOp::kEluGrad:
    case BinaryOp::kSeluGrad: return kRealFloatSet;
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual: return kAllSet;
    case BinaryOp::kLogicalAnd:
    case BinaryOp::kLogicalOr: return kBoolSet;
  }
  return 0;
}

}  // namespace

const char* op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "add";
    case BinaryOp::kSubtract: return "subtract";
    case BinaryOp::kMultiply: return "multiply";
    case BinaryOp::kDivide: return "divide";
    case BinaryOp::kFloorDiv: return "floordiv";
    case BinaryOp::kFloorMod: return "floormod";
    case BinaryOp::kPow: return "pow";
    case BinaryOp::kMaximum: return "maximum";
    case BinaryOp::kMinimum: return "minimum";
    case BinaryOp::kAtan2: return "atan2";
    case BinaryOp::kEqual: return "equal";
    case BinaryOp::kNotEqual: return "not_equal";
    case BinaryOp::kLess: return "less";
    case BinaryOp::kLessEqual: return "less_equal";
    case BinaryOp::kGreater: return "greater";
    case BinaryOp::kGreaterEqual: return "greater_equal";
    case BinaryOp::kLogicalAnd: return "logical_and";
    case BinaryOp::kLogicalOr: return "logical_or";
    case BinaryOp::kSquaredDifference: return "squared_difference";
    case BinaryOp::kMulNoNan: return "multiply_no_nan";
    case BinaryOp::kPolygamma: return "polygamma";
    case BinaryOp::kTanhGrad: return "tanh_grad";
    case BinaryOp::kSigmoidGrad: return "sigmoid_grad";
    case BinaryOp::kSqrtGrad: return "sqrt_grad";
    case BinaryOp::kRsqrtGrad: return "rsqrt_grad";
    case BinaryOp::kReciprocalGrad: return "reciprocal_grad";
    case BinaryOp::kReluGrad: return "relu_grad";
    case BinaryOp::kRelu6Grad: return "relu6_grad";
    case BinaryOp::kEluGrad: return "elu_grad";
    case BinaryOp::kSeluGrad: return "selu_grad";
  }
  return "binary";
}

Tensor binary_arithmetic(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape) {
  return visit_dtype(x.dtype(), [&](auto traits) -> Tensor {
    return arithmetic<decltype(traits)>(op, x, y, shape);
  });
}

Tensor binary(BinaryOp op, const Tensor& x, const Tensor& y) {
  const char* name = op_name(op);
  require_same_dtype(name, x.dtype(), y.dtype());
  require_dtype(name, x.dtype(), allowed_dtypes(op));
  Shape shape = broadcast_shapes(x.shape(), y.shape());
  ScopedFlushDenormal flush;
  switch (op) {
    case BinaryOp::kTanhGrad:
    case BinaryOp::kSigmoidGrad:
    case BinaryOp::kSqrtGrad:
    case BinaryOp::kRsqrtGrad:
    case BinaryOp::kReciprocalGrad:
    case BinaryOp::kReluGrad:
    case BinaryOp::kRelu6Grad:
    case BinaryOp::kEluGrad:
    case BinaryOp::kSeluGrad:
      return visit_dtype(x.dtype(), [&](auto traits) -> Tensor { return gradient_kernel<decltype(traits)>(op, x, y, shape); });
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
    case BinaryOp::kLogicalAnd:
    case BinaryOp::kLogicalOr: return binary_comparison(op, x, y, shape);
    default: return binary_arithmetic(op, x, y, shape);
  }
}

Tensor binary_in_place(BinaryOp op, Tensor&& x, const Tensor& y) {
  const bool in_place = (op == BinaryOp::kAdd || op == BinaryOp::kMultiply) && x.sole_owner() &&
                        x.dtype() == y.dtype() && (x.dtype() == DType::kFloat32 || x.dtype() == DType::kFloat64) &&
                        (y.shape() == x.shape() || (y.size() == 1 && y.shape().size() <= x.shape().size()));
  if (!in_place) return binary(op, x, y);
  ScopedFlushDenormal flush;
  Tensor out = std::move(x);
  visit_dtype(out.dtype(), [&](auto traits) {
    using S = typename decltype(traits)::Storage;
    if constexpr (std::is_same_v<S, float> || std::is_same_v<S, double>) {
      S* po = out.mutable_data<S>();
      const S* py = y.data<S>();
      // binary's x[i] op y[i], written where x[i] was. The four loops are written out so that
      // each is a plain contiguous loop the compiler vectorises (an index i * step is not).
      const bool scalar_y = y.size() == 1;
      parallel_for(out.size(), 16, [&](std::int64_t begin, std::int64_t end) {
        if (scalar_y) {
          const S b = py[0];
          if (op == BinaryOp::kAdd) {
            for (std::int64_t i = begin; i < end; ++i) po[i] = po[i] + b;
          } else {
            for (std::int64_t i = begin; i < end; ++i) po[i] = po[i] * b;
          }
        } else if (op == BinaryOp::kAdd) {
          for (std::int64_t i = begin; i < end; ++i) po[i] = po[i] + py[i];
        } else {
          for (std::int64_t i = begin; i < end; ++i) po[i] = po[i] * py[i];
        }
      });
    }
    return 0;
  });
  return out;
}

}  // namespace ag::kernels
