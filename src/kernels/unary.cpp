// Element-wise functions of one tensor (negative ... relu), computed with the <cmath> and
// <complex> functions in the element's own precision (float for float16/bfloat16). float32 exp,
// log, expm1, log1p, sin, cos, tanh, sigmoid, erf, softplus, elu and selu, and float64 exp, log,
// expm1, log1p, sigmoid, softplus, elu and selu take TF's own path (eigen_math.h), and every kernel
// runs with denormals flushed, as TF's do.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "kernels/dispatch.h"
#include "kernels/eigen_math.h"
#include "kernels/flush_denormal.h"
#include "kernels/kernels.h"
#include "kernels/parallel.h"

namespace ag::kernels {
namespace {

template <class InTr, class OutTr, class F>
Tensor map_unary(const Tensor& x, F compute) {
  using In = typename InTr::Storage;
  using Out = typename OutTr::Storage;
  Tensor out = Tensor::allocate(OutTr::dtype, x.shape());
  const In* px = x.data<In>();
  Out* po = out.mutable_data<Out>();
  parallel_for(x.size(), 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) po[i] = OutTr::store(compute(InTr::load(px[i])));
  });
  return out;
}

template <class Tr, class F>
Tensor map_same(const Tensor& x, F compute) {
  return map_unary<Tr, Tr>(x, compute);
}

// Eigen's generic logistic (the float32 one lives in eigen_math.cpp): e / (1 + e), e = exp(x),
// and exactly 1 where e overflows.
template <class T>
T sigmoid(T x) {
  T e = std::exp(x);
  return std::isinf(e) ? T(1) : e / (T(1) + e);
}

// TF's Softplus kernel: x above -t, exp(x) below t, log1p(exp(x)) between, t = log(eps) + 2.
template <class T>
T softplus(T x) {
  static const T threshold = std::log(std::numeric_limits<T>::epsilon()) + T(2);
  T features_exp = std::exp(x);
  return x > -threshold ? x : (x < threshold ? features_exp : std::log1p(features_exp));
}

constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSeluScaleAlpha = 1.7580993408473768599402175208123;

// e^z - 1 and log(1 + z) keeping the accuracy of expm1/log1p near z = 0, where the plain
// formulas cancel: Re(e^z - 1) = expm1(a) cos b - 2 sin^2(b / 2), Re log(1 + z) = log1p(2a + a^2 + b^2) / 2.
template <class T>
std::complex<T> complex_expm1(std::complex<T> z) {
  T a = z.real(), b = z.imag();
  T half_sin = std::sin(b / T(2));
  return {std::expm1(a) * std::cos(b) - T(2) * half_sin * half_sin, std::exp(a) * std::sin(b)};
}
template <class T>
std::complex<T> complex_log1p(std::complex<T> z) {
  T a = z.real(), b = z.imag();
  if (std::abs(a) < T(0.5) && std::abs(b) < T(0.5))
    return {std::log1p(a * (T(2) + a) + b * b) / T(2), std::atan2(b, T(1) + a)};
  return std::log(T(1) + z);
}

template <class Tr>
Tensor unary_typed(UnaryOp op, const Tensor& x) {
  using C = typename Tr::Compute;
  if constexpr (is_real_float_v<Tr>) {
    switch (op) {
      case UnaryOp::kNegative: return map_same<Tr>(x, [](C v) { return -v; });
      case UnaryOp::kAbs: return map_same<Tr>(x, [](C v) { return std::abs(v); });
      case UnaryOp::kSign:  // Eigen's sign: NaN stays NaN, zeros give +0.
        return map_same<Tr>(x, [](C v) { return std::isnan(v) ? v : C((v > C(0)) - (v < C(0))); });
      case UnaryOp::kSquare: return map_same<Tr>(x, [](C v) { return v * v; });
      case UnaryOp::kSqrt: return map_same<Tr>(x, [](C v) { return std::sqrt(v); });
      case UnaryOp::kRsqrt: return map_same<Tr>(x, [](C v) { return C(1) / std::sqrt(v); });
      case UnaryOp::kReciprocal: return map_same<Tr>(x, [](C v) { return C(1) / v; });
      case UnaryOp::kExp: return map_same<Tr>(x, [](C v) { return std::exp(v); });
      case UnaryOp::kExpm1: return map_same<Tr>(x, [](C v) { return std::expm1(v); });
      case UnaryOp::kLog: return map_same<Tr>(x, [](C v) { return std::log(v); });
      case UnaryOp::kLog1p: return map_same<Tr>(x, [](C v) { return std::log1p(v); });
      case UnaryOp::kSin: return map_same<Tr>(x, [](C v) { return std::sin(v); });
      case UnaryOp::kCos: return map_same<Tr>(x, [](C v) { return std::cos(v); });
      case UnaryOp::kTan: return map_same<Tr>(x, [](C v) { return std::tan(v); });
      case UnaryOp::kAsin: return map_same<Tr>(x, [](C v) { return std::asin(v); });
      case UnaryOp::kAcos: return map_same<Tr>(x, [](C v) { return std::acos(v); });
      case UnaryOp::kAtan: return map_same<Tr>(x, [](C v) { return std::atan(v); });
      case UnaryOp::kSinh: return map_same<Tr>(x, [](C v) { return std::sinh(v); });
      case UnaryOp::kCosh: return map_same<Tr>(x, [](C v) { return std::cosh(v); });
      case UnaryOp::kTanh: return map_same<Tr>(x, [](C v) { return std::tanh(v); });
      case UnaryOp::kAsinh: return map_same<Tr>(x, [](C v) { return std::asinh(v); });
      case UnaryOp::kAcosh: return map_same<Tr>(x, [](C v) { return std::acosh(v); });
      case UnaryOp::kAtanh: return map_same<Tr>(x, [](C v) { return std::atanh(v); });
      case UnaryOp::kSigmoid: return map_same<Tr>(x, [](C v) { return sigmoid(v); });
      case UnaryOp::kErf: return map_same<Tr>(x, [](C v) { return std::erf(v); });
      case UnaryOp::kErfc: return map_same<Tr>(x, [](C v) { return std::erfc(v); });
      case UnaryOp::kLgamma: return map_same<Tr>(x, [](C v) { return std::lgamma(v); });
      case UnaryOp::kDigamma: return map_same<Tr>(x, [](C v) { return C(tf_float::digamma(double(v))); });
      case UnaryOp::kFloor: return map_same<Tr>(x, [](C v) { return std::floor(v); });
      case UnaryOp::kCeil: return map_same<Tr>(x, [](C v) { return std::ceil(v); });
      // nearbyint in the default rounding mode rounds half to even, as TF's Round (rint) does.
      case UnaryOp::kRound: return map_same<Tr>(x, [](C v) { return std::nearbyint(v); });
      // TF's cwiseMax(0) keeps a NaN and -0.0; relu6 then takes cwiseMin(6).
      case UnaryOp::kRelu: return map_same<Tr>(x, [](C v) { return v < C(0) ? C(0) : v; });
      case UnaryOp::kRelu6:
        return map_same<Tr>(x, [](C v) {
          C low = v < C(0) ? C(0) : v;
          return C(6) < low ? C(6) : low;
        });
      case UnaryOp::kElu: return map_same<Tr>(x, [](C v) { return v < C(0) ? std::exp(v) - C(1) : v; });
      case UnaryOp::kSelu:
        return map_same<Tr>(x, [](C v) { return v < C(0) ? C(kSeluScaleAlpha) * (std::exp(v) - C(1)) : C(kSeluScale) * v; });
      case UnaryOp::kSoftplus: return map_same<Tr>(x, [](C v) { return softplus(v); });
      case UnaryOp::kSoftsign: return map_same<Tr>(x, [](C v) { return v / (std::abs(v) + C(1)); });
      case UnaryOp::kIsFinite: return map_unary<Tr, Traits<DType::kBool>>(x, [](C v) { return std::isfinite(v); });
      case UnaryOp::kIsNan: return map_unary<Tr, Traits<DType::kBool>>(x, [](C v) { return std::isnan(v); });
      case UnaryOp::kIsInf: return map_unary<Tr, Traits<DType::kBool>>(x, [](C v) { return std::isinf(v); });
      default: break;
    }
  } else if constexpr (is_complex_v<Tr>) {
    using R = typename C::value_type;
    switch (op) {
      case UnaryOp::kNegative: return map_same<Tr>(x, [](C v) { return -v; });
      case UnaryOp::kAbs: {
        using RealTr = Traits<Tr::dtype == DType::kComplex64 ? DType::kFloat32 : DType::kFloat64>;
        return map_unary<Tr, RealTr>(x, [](C v) { return std::abs(v); });
      }
      case UnaryOp::kSign:  // x / |x|, and 0 at 0.
        return map_same<Tr>(x, [](C v) {
          R magnitude = std::abs(v);
          return magnitude == R(0) ? C(0) : C(v.real() / magnitude, v.imag() / magnitude);
        });
      case UnaryOp::kSquare: return map_same<Tr>(x, [](C v) { return v * v; });
      case UnaryOp::kSqrt: return map_same<Tr>(x, [](C v) { return std::sqrt(v); });
      case UnaryOp::kRsqrt: return map_same<Tr>(x, [](C v) { return C(1) / std::sqrt(v); });
      case UnaryOp::kReciprocal: return map_same<Tr>(x, [](C v) { return C(1) / v; });
      case UnaryOp::kExp: return map_same<Tr>(x, [](C v) { return std::exp(v); });
      case UnaryOp::kExpm1: return map_same<Tr>(x, [](C v) { return complex_expm1(v); });
      case UnaryOp::kLog: return map_same<Tr>(x, [](C v) { return std::log(v); });
      case UnaryOp::kLog1p: return map_same<Tr>(x, [](C v) { return complex_log1p(v); });
      case UnaryOp::kSin: return map_same<Tr>(x, [](C v) { return std::sin(v); });
      case UnaryOp::kCos: return map_same<Tr>(x, [](C v) { return std::cos(v); });
      case UnaryOp::kTan: return map_same<Tr>(x, [](C v) { return std::tan(v); });
      case UnaryOp::kSinh: return map_same<Tr>(x, [](C v) { return std::sinh(v); });
      case UnaryOp::kCosh: return map_same<Tr>(x, [](C v) { return std::cosh(v); });
      case UnaryOp::kTanh: return map_same<Tr>(x, [](C v) { return std::tanh(v); });
      case UnaryOp::kAsinh: return map_same<Tr>(x, [](C v) { return std::asinh(v); });
      case UnaryOp::kAcosh: return map_same<Tr>(x, [](C v) { return std::acosh(v); });
      case UnaryOp::kAtanh: return map_same<Tr>(x, [](C v) { return std::atanh(v); });
      case UnaryOp::kSigmoid: return map_same<Tr>(x, [](C v) { return C(1) / (C(1) + std::exp(-v)); });
      default: break;
    }
  } else if constexpr (is_int_v<Tr>) {
    switch (op) {
      case UnaryOp::kNegative: return map_same<Tr>(x, [](C v) { return wrap_neg(v); });
      case UnaryOp::kAbs: return map_same<Tr>(x, [](C v) { return v < C(0) ? wrap_neg(v) : v; });
      case UnaryOp::kSign: return map_same<Tr>(x, [](C v) { return C((v > C(0)) - (v < C(0))); });
      case UnaryOp::kSquare: return map_same<Tr>(x, [](C v) { return wrap_mul(v, v); });
      case UnaryOp::kRound: return map_same<Tr>(x, [](C v) { return v; });
      case UnaryOp::kRelu: return map_same<Tr>(x, [](C v) { return v > C(0) ? v : C(0); });
      case UnaryOp::kRelu6: return map_same<Tr>(x, [](C v) { return v > C(0) ? (v < C(6) ? v : C(6)) : C(0); });
      default: break;
    }
  } else if constexpr (is_bool_v<Tr>) {
    if (op == UnaryOp::kLogicalNot) return map_same<Tr>(x, [](bool v) { return !v; });
  }
  unreachable_dtype(op_name(op), Tr::dtype);
}

DTypeSet allowed_dtypes(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNegative:
    case UnaryOp::kAbs:
    case UnaryOp::kSign: return kRealFloatSet | kSignedSet | kComplexSet;
    case UnaryOp::kSquare: return kNumberSet;
    case UnaryOp::kSqrt:
    case UnaryOp::kRsqrt:
    case UnaryOp::kReciprocal:
    case UnaryOp::kExp:
    case UnaryOp::kExpm1:
    case UnaryOp::kLog:
    case UnaryOp::kLog1p:
    case UnaryOp::kSin:
    case UnaryOp::kCos:
    case UnaryOp::kTan:
    case UnaryOp::kSinh:
    case UnaryOp::kCosh:
    case UnaryOp::kTanh:
    case UnaryOp::kAsinh:
    case UnaryOp::kAcosh:
    case UnaryOp::kAtanh:
    case UnaryOp::kSigmoid: return kRealFloatSet | kComplexSet;
    case UnaryOp::kAsin:
    case UnaryOp::kAcos:
    case UnaryOp::kAtan:
    case UnaryOp::kErf:
    case UnaryOp::kErfc:
    case UnaryOp::kLgamma:
    case UnaryOp::kDigamma:
    case UnaryOp::kFloor:
    case UnaryOp::kCeil: return kRealFloatSet;
    case UnaryOp::kRound: return kRealFloatSet | kSignedSet;
    case UnaryOp::kRelu:
    case UnaryOp::kRelu6: return kRealSet;
    case UnaryOp::kElu:
    case UnaryOp::kSelu:
    case UnaryOp::kSoftplus:
    case UnaryOp::kSoftsign:
    case UnaryOp::kIsFinite:
    case UnaryOp::kIsNan:
    case UnaryOp::kIsInf: return kRealFloatSet;
    case UnaryOp::kLogicalNot: return kBoolSet;
  }
  return 0;
}

}  // namespace

const char* op_name(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNegative: return "negative";
    case UnaryOp::kAbs: return "abs";
    case UnaryOp::kSign: return "sign";
    case UnaryOp::kSquare: return "square";
    case UnaryOp::kSqrt: return "sqrt";
    case UnaryOp::kRsqrt: return "rsqrt";
    case UnaryOp::kReciprocal: return "reciprocal";
    case UnaryOp::kExp: return "exp";
    case UnaryOp::kExpm1: return "expm1";
    case UnaryOp::kLog: return "log";
    case UnaryOp::kLog1p: return "log1p";
    case UnaryOp::kSin: return "sin";
    case UnaryOp::kCos: return "cos";
    case UnaryOp::kTan: return "tan";
    case UnaryOp::kAsin: return "asin";
    case UnaryOp::kAcos: return "acos";
    case UnaryOp::kAtan: return "atan";
    case UnaryOp::kSinh: return "sinh";
    case UnaryOp::kCosh: return "cosh";
    case UnaryOp::kTanh: return "tanh";
    case UnaryOp::kAsinh: return "asinh";
    case UnaryOp::kAcosh: return "acosh";
    case UnaryOp::kAtanh: return "atanh";
    case UnaryOp::kSigmoid: return "sigmoid";
    case UnaryOp::kErf: return "erf";
    case UnaryOp::kErfc: return "erfc";
    case UnaryOp::kLgamma: return "lgamma";
    case UnaryOp::kDigamma: return "digamma";
    case UnaryOp::kFloor: return "floor";
    case UnaryOp::kCeil: return "ceil";
    case UnaryOp::kRound: return "round";
    case UnaryOp::kLogicalNot: return "logical_not";
    case UnaryOp::kRelu: return "relu";
    case UnaryOp::kRelu6: return "relu6";
    case UnaryOp::kElu: return "elu";
    case UnaryOp::kSelu: return "selu";
    case UnaryOp::kSoftplus: return "softplus";
    case UnaryOp::kSoftsign: return "softsign";
    case UnaryOp::kIsFinite: return "is_finite";
    case UnaryOp::kIsNan: return "is_nan";
    case UnaryOp::kIsInf: return "is_inf";
  }
  return "unary";
}

namespace {

/// The float32 functions TF computes with Eigen's packet algorithms, or false.
bool tf_float_function(UnaryOp op, tf_float::Function* function) {
  switch (op) {
    case UnaryOp::kExp: *function = tf_float::Function::kExp; return true;
    case UnaryOp::kLog: *function = tf_float::Function::kLog; return true;
    case UnaryOp::kExpm1: *function = tf_float::Function::kExpm1; return true;
    case UnaryOp::kLog1p: *function = tf_float::Function::kLog1p; return true;
    case UnaryOp::kSin: *function = tf_float::Function::kSin; return true;
    case UnaryOp::kCos: *function = tf_float::Function::kCos; return true;
    case UnaryOp::kTanh: *function = tf_float::Function::kTanh; return true;
    case UnaryOp::kSigmoid: *function = tf_float::Function::kSigmoid; return true;
    case UnaryOp::kErf: *function = tf_float::Function::kErf; return true;
    case UnaryOp::kSoftplus: *function = tf_float::Function::kSoftplus; return true;
    case UnaryOp::kElu: *function = tf_float::Function::kElu; return true;
    case UnaryOp::kSelu: *function = tf_float::Function::kSelu; return true;
    default: return false;
  }
}

/// function(x) on TF's own path (eigen_math.h), for float or double x.
template <class T>
Tensor apply_tf_path(tf_float::Function function, const Tensor& x) {
  Tensor out = Tensor::allocate(x.dtype(), x.shape());
  const T* px = x.data<T>();
  T* po = out.mutable_data<T>();
  // Ranges split at whole packets: every element takes the packet or scalar path it takes over
  // the whole tensor.
  parallel_for(x.size(), tf_float::kPacketSize, [&](std::int64_t begin, std::int64_t end) {
    tf_float::apply(function, px + begin, po + begin, end - begin);
  });
  return out;
}

}  // namespace

Tensor unary(UnaryOp op, const Tensor& x) {
  require_dtype(op_name(op), x.dtype(), allowed_dtypes(op));
  ScopedFlushDenormal flush;
  if (x.dtype() == DType::kFloat32) {
    tf_float::Function function;
    if (tf_float_function(op, &function)) return apply_tf_path<float>(function, x);
    if (op == UnaryOp::kDigamma) return map_same<Traits<DType::kFloat32>>(x, [](float v) { return tf_float::digamma(v); });
  }
  if (x.dtype() == DType::kFloat64) {
    tf_float::Function function;
    if (tf_float_function(op, &function)) {
      // Zero elements: only asks whether TF computes this function with its own packets.
      if (tf_float::apply(function, static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0))
        return apply_tf_path<double>(function, x);
    }
  }
  return visit_dtype(x.dtype(), [&](auto traits) -> Tensor { return unary_typed<decltype(traits)>(op, x); });
}

namespace {

/// out = g * op(x) (or -g * op(x)) for float32 and a TF-path function; out may be g itself.
void unary_times_loop(tf_float::Function function, const Tensor& x, const Tensor& g, bool negate_g, Tensor& out) {
  ScopedFlushDenormal flush;
  const float* px = x.data<float>();
  const float* pg = g.data<float>();
  const bool scalar_g = g.size() == 1;
  float* po = out.mutable_data<float>();
  if (x.size() == 1) {  // a scalar: the same two steps, without blocks
    float fx = 0;
    tf_float::apply(function, px, &fx, 1);
    po[0] = (negate_g ? -pg[0] : pg[0]) * fx;
    return;
  }
  // Blocks of whole packets: op(x) goes to a block on the stack that stays in the first-level
  // cache until the product reads it, and every element takes the packet or scalar path it takes
  // over the whole tensor.
  constexpr std::int64_t kBlock = 2048;
  static_assert(kBlock % tf_float::kPacketSize == 0, "blocks must be whole packets");
  parallel_for(x.size(), tf_float::kPacketSize, [&](std::int64_t begin, std::int64_t end) {
    alignas(64) float fx[kBlock];
    for (std::int64_t block = begin; block < end; block += kBlock) {
      const std::int64_t length = std::min(end, block + kBlock) - block;
      tf_float::apply(function, px + block, fx, length);
      float* o = po + block;
      if (scalar_g) {
        const float factor = negate_g ? -pg[0] : pg[0];
        for (std::int64_t i = 0; i < length; ++i) o[i] = factor * fx[i];
      } else if (negate_g) {
        const float* gb = pg + block;
        for (std::int64_t i = 0; i < length; ++i) o[i] = -gb[i] * fx[i];
      } else {
        const float* gb = pg + block;
        for (std::int64_t i = 0; i < length; ++i) o[i] = gb[i] * fx[i];
      }
    }
  });
}

bool fusable(UnaryOp op, const Tensor& x, const Tensor& g, tf_float::Function* function) {
  return x.dtype() == DType::kFloat32 && g.dtype() == DType::kFloat32 && tf_float_function(op, function) &&
         (g.shape() == x.shape() || (g.size() == 1 && g.shape().size() <= x.shape().size()));
}

}  // namespace

Tensor unary_times(UnaryOp op, const Tensor& x, const Tensor& g, bool negate_g) {
  tf_float::Function function;
  if (!fusable(op, x, g, &function))
    return binary(BinaryOp::kMultiply, negate_g ? unary(UnaryOp::kNegative, g) : g, unary(op, x));
  Tensor out = Tensor::allocate(DType::kFloat32, x.shape());
  unary_times_loop(function, x, g, negate_g, out);
  return out;
}

Tensor unary_times_in_place(UnaryOp op, const Tensor& x, Tensor&& g, bool negate_g) {
  tf_float::Function function;
  if (!g.sole_owner() || g.shape() != x.shape() || !fusable(op, x, g, &function)) return unary_times(op, x, g, negate_g);
  Tensor out = std::move(g);
  unary_times_loop(function, x, out, negate_g, out);
  return out;
}

}  // namespace ag::kernels
