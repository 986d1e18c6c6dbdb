// Element-wise arithmetic on two broadcast tensors (add ... atan2), with TF's integer semantics:
// wrapping overflow, floor division, and errors for division by zero and negative powers.
#include <cmath>
#include <type_traits>

#include "kernels/elementwise.h"

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
    default: break;
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
    case BinaryOp::kAtan2: return kRealFloatSet;
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
  Shape shape = broadcast_pair(x.shape(), y.shape());
  switch (op) {
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

}  // namespace ag::kernels
