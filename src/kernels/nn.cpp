// TF's Softmax, LogSoftmax, (sparse) softmax cross-entropy and L2Loss kernels, step for step as
// their Eigen expressions evaluate: element-wise parts over the flat buffer (packets of 8 floats,
// then a scalar tail), exp inside a row sum on packets counted from the row's start, and row sums
// in the order of Eigen's vectorised inner-most reducer (four packet accumulators, the scalar tail
// from zero, then tail + horizontal sum). float32 and float64 use TF's exp and log (eigen_math.h);
// float16/bfloat16 compute in float with the C library's.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/eigen_math.h"
#include "kernels/flush_denormal.h"
#include "kernels/kernels.h"

namespace ag::kernels {
namespace {

/// Lanes of TF's AVX packets for a compute type.
template <class T>
constexpr std::int64_t kLanes = sizeof(T) == 8 ? 4 : 8;

/// Eigen's predux on an AVX packet: the halves added, then SSE's (b0 + b2) + (b1 + b3).
template <class T>
T horizontal_sum(const T* lanes) {
  if constexpr (kLanes<T> == 8) {
    T b[4];
    for (int i = 0; i < 4; ++i) b[i] = lanes[i] + lanes[i + 4];
    return (b[0] + b[2]) + (b[1] + b[3]);
  } else {
    T b0 = lanes[0] + lanes[2];
    T b1 = lanes[1] + lanes[3];
    return b0 + b1;
  }
}

/// Eigen's InnerMostDimReducer for a sum of n values starting at flat index `first`: halves split
/// on a packet boundary above 1024 packets, else four packet accumulators, one more for the rest
/// of the packets, the scalar tail from zero, and finally tail + horizontal sum.
template <class T>
T tf_sum(const T* v, std::int64_t n, std::int64_t first) {
  constexpr std::int64_t P = kLanes<T>;
  if (n > P * 1024) {
    std::int64_t split = P * ((first + (n + 1) / 2 + P - 1) / P);
    std::int64_t left = std::min(split - first, n);
    T total = T(0) + tf_sum(v, left, first);
    if (left < n) total = total + tf_sum(v + left, n - left, split);
    return total;
  }
  T acc[4][P] = {};
  std::int64_t start = 0;
  if (n >= 4 * P) {
    const std::int64_t vectorized4 = n / (4 * P) * (4 * P);
    for (std::int64_t j = 0; j < vectorized4; j += 4 * P)
      for (int a = 0; a < 4; ++a)
        for (std::int64_t l = 0; l < P; ++l) acc[a][l] = acc[a][l] + v[j + a * P + l];
    for (int a = 1; a < 4; ++a)
      for (std::int64_t l = 0; l < P; ++l) acc[0][l] = acc[0][l] + acc[a][l];
    start = vectorized4;
  }
  if (start <= n - P) {
    const std::int64_t vectorized = n / P * P;
    for (std::int64_t j = start; j < vectorized; j += P)
      for (std::int64_t l = 0; l < P; ++l) acc[0][l] = acc[0][l] + v[j + l];
    start = vectorized;
  }
  T tail = T(0);
  for (std::int64_t j = start; j < n; ++j) tail = tail + v[j];
  return tail + horizontal_sum<T>(acc[0]);
}

/// y = exp(x) / log(x) over n elements as TF's kernels compute them for T.
template <class T>
void exp_n(const T* x, T* y, std::int64_t n) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    tf_float::apply(tf_float::Function::kExp, x, y, n);
  } else {
    for (std::int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
  }
}
template <class T>
void log_n(const T* x, T* y, std::int64_t n) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    tf_float::apply(tf_float::Function::kLog, x, y, n);
  } else {
    for (std::int64_t i = 0; i < n; ++i) y[i] = std::log(x[i]);
  }
}

/// The logits as [rows, classes] in T, with shifted = logits - row max and the sum of exp(shifted)
/// per row (exp on packets counted from each row's start, as inside TF's reduction).
template <class T>
struct Shifted {
  std::int64_t rows = 0;
  std::int64_t classes = 0;
  std::vector<T> shifted;
  std::vector<T> sum_exp;
};

template <class T>
Shifted<T> shift_rows(const std::vector<T>& logits, std::int64_t classes) {
  Shifted<T> s;
  s.classes = classes;
  s.rows = classes == 0 ? 0 : static_cast<std::int64_t>(logits.size()) / classes;
  s.shifted.resize(logits.size());
  s.sum_exp.resize(static_cast<std::size_t>(s.rows));
  std::vector<T> row_exp(static_cast<std::size_t>(classes));
  for (std::int64_t r = 0; r < s.rows; ++r) {
    const T* row = logits.data() + r * classes;
    T max = -std::numeric_limits<T>::infinity();
    for (std::int64_t c = 0; c < classes; ++c) max = max < row[c] ? row[c] : max;
    T* out = s.shifted.data() + r * classes;
    for (std::int64_t c = 0; c < classes; ++c) out[c] = row[c] - max;
    exp_n(out, row_exp.data(), classes);
    s.sum_exp[static_cast<std::size_t>(r)] = tf_sum(row_exp.data(), classes, r * classes);
  }
  return s;
}

template <class Tr>
std::vector<typename Tr::Compute> load_all(const Tensor& t) {
  using S = typename Tr::Storage;
  std::vector<typename Tr::Compute> out(static_cast<std::size_t>(t.size()));
  const S* p = t.data<S>();
  for (std::int64_t i = 0; i < t.size(); ++i) out[static_cast<std::size_t>(i)] = Tr::load(p[i]);
  return out;
}

template <class Tr>
Tensor store_all(const std::vector<typename Tr::Compute>& values, const Shape& shape) {
  using S = typename Tr::Storage;
  Tensor out = Tensor::allocate(Tr::dtype, shape);
  S* p = out.mutable_data<S>();
  for (std::size_t i = 0; i < values.size(); ++i) p[i] = Tr::store(values[i]);
  return out;
}

template <class Tr>
Tensor softmax_typed(const Tensor& logits, bool log) {
  using T = typename Tr::Compute;
  const std::int64_t classes = logits.rank() == 0 ? 1 : logits.shape().back();
  std::vector<T> x = load_all<Tr>(logits);
  std::vector<T> y(x.size());
  if (log) {
    // softmax - log(sum(exp(softmax))), the log taken over the [rows] vector.
    Shifted<T> s = shift_rows(x, classes);
    std::vector<T> log_sum(s.sum_exp.size());
    log_n(s.sum_exp.data(), log_sum.data(), s.rows);
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(x.size()); ++i)
      y[static_cast<std::size_t>(i)] = s.shifted[static_cast<std::size_t>(i)] - log_sum[static_cast<std::size_t>(i / classes)];
  } else {
    // exp(shifted) over the flat buffer, times the reciprocal of its row sum.
    const std::int64_t rows = classes == 0 ? 0 : static_cast<std::int64_t>(x.size()) / classes;
    std::vector<T> shifted(x.size());
    for (std::int64_t r = 0; r < rows; ++r) {
      const T* row = x.data() + r * classes;
      T max = -std::numeric_limits<T>::infinity();
      for (std::int64_t c = 0; c < classes; ++c) max = max < row[c] ? row[c] : max;
      for (std::int64_t c = 0; c < classes; ++c) shifted[static_cast<std::size_t>(r * classes + c)] = row[c] - max;
    }
    exp_n(shifted.data(), y.data(), static_cast<std::int64_t>(y.size()));
    for (std::int64_t r = 0; r < rows; ++r) {
      T inverse = T(1) / tf_sum(y.data() + r * classes, classes, r * classes);
      for (std::int64_t c = 0; c < classes; ++c) y[static_cast<std::size_t>(r * classes + c)] *= inverse;
    }
  }
  return store_all<Tr>(y, logits.shape());
}

template <class Tr>
std::pair<Tensor, Tensor> xent_typed(const Tensor& logits, const Tensor& labels) {
  using T = typename Tr::Compute;
  const std::int64_t classes = logits.shape()[1];
  Shifted<T> s = shift_rows(load_all<Tr>(logits), classes);
  std::vector<T> z = load_all<Tr>(labels);
  std::vector<T> log_sum(s.sum_exp.size());
  log_n(s.sum_exp.data(), log_sum.data(), s.rows);
  // loss = sum over classes of labels * (log(sum_exp) - shifted)
  std::vector<T> product(z.size());
  for (std::size_t i = 0; i < z.size(); ++i) product[i] = z[i] * (log_sum[i / static_cast<std::size_t>(classes)] - s.shifted[i]);
  std::vector<T> loss(static_cast<std::size_t>(s.rows));
  for (std::int64_t r = 0; r < s.rows; ++r) loss[static_cast<std::size_t>(r)] = tf_sum(product.data() + r * classes, classes, r * classes);
  // backprop = exp(shifted) / sum_exp - labels
  std::vector<T> backprop(z.size());
  exp_n(s.shifted.data(), backprop.data(), static_cast<std::int64_t>(backprop.size()));
  for (std::size_t i = 0; i < z.size(); ++i) backprop[i] = backprop[i] / s.sum_exp[i / static_cast<std::size_t>(classes)] - z[i];
  return {store_all<Tr>(loss, {s.rows}), store_all<Tr>(backprop, logits.shape())};
}

template <class Tr>
std::pair<Tensor, Tensor> sparse_xent_typed(const Tensor& logits, const std::vector<std::int64_t>& labels) {
  using T = typename Tr::Compute;
  const std::int64_t classes = logits.shape()[1];
  Shifted<T> s = shift_rows(load_all<Tr>(logits), classes);
  std::vector<T> loss(static_cast<std::size_t>(s.rows));
  for (std::int64_t r = 0; r < s.rows; ++r)
    loss[static_cast<std::size_t>(r)] =
        std::log(s.sum_exp[static_cast<std::size_t>(r)]) - s.shifted[static_cast<std::size_t>(r * classes + labels[static_cast<std::size_t>(r)])];
  std::vector<T> backprop(s.shifted.size());
  exp_n(s.shifted.data(), backprop.data(), static_cast<std::int64_t>(backprop.size()));
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(backprop.size()); ++i) {
    const std::int64_t r = i / classes;
    T subtract = (i % classes) == labels[static_cast<std::size_t>(r)] ? T(1) : T(0);
    backprop[static_cast<std::size_t>(i)] = backprop[static_cast<std::size_t>(i)] / s.sum_exp[static_cast<std::size_t>(r)] - subtract;
  }
  return {store_all<Tr>(loss, {s.rows}), store_all<Tr>(backprop, logits.shape())};
}

template <class F>
decltype(auto) visit_float(const char* name, DType dtype, F&& f) {
  require_dtype(name, dtype, kRealFloatSet);
  switch (dtype) {
    case DType::kFloat16: return f(Traits<DType::kFloat16>{});
    case DType::kBFloat16: return f(Traits<DType::kBFloat16>{});
    case DType::kFloat32: return f(Traits<DType::kFloat32>{});
    default: return f(Traits<DType::kFloat64>{});
  }
}

void require_matrix(const char* name, const Tensor& logits) {
  if (logits.rank() != 2)
    throw UserError(ExitCode::kEval, std::string(name) + ": logits must be 2-dimensional, got shape " + tf_shape_str(logits.shape()));
}

}  // namespace

Tensor softmax(const Tensor& logits, bool log) {
  if (logits.rank() < 1)
    throw UserError(ExitCode::kEval, "logits must have >= 1 dimension, got " + tf_shape_str(logits.shape()));
  ScopedFlushDenormal flush;
  return visit_float(log ? "log_softmax" : "softmax", logits.dtype(),
                     [&](auto traits) { return softmax_typed<decltype(traits)>(logits, log); });
}

std::pair<Tensor, Tensor> softmax_cross_entropy(const Tensor& logits, const Tensor& labels) {
  require_matrix("softmax_cross_entropy_with_logits", logits);
  require_same_dtype("softmax_cross_entropy_with_logits", logits.dtype(), labels.dtype());
  if (labels.shape() != logits.shape())
    throw UserError(ExitCode::kEval, "logits and labels must be broadcastable: logits_size=" + tf_shape_str(logits.shape()) +
                                         " labels_size=" + tf_shape_str(labels.shape()));
  ScopedFlushDenormal flush;
  return visit_float("softmax_cross_entropy_with_logits", logits.dtype(),
                     [&](auto traits) { return xent_typed<decltype(traits)>(logits, labels); });
}

std::pair<Tensor, Tensor> sparse_softmax_cross_entropy(const Tensor& logits, const Tensor& labels) {
  require_matrix("sparse_softmax_cross_entropy_with_logits", logits);
  require_dtype("sparse_softmax_cross_entropy_with_logits", labels.dtype(),
                dtype_bit(DType::kInt32) | dtype_bit(DType::kInt64));
  if (labels.rank() != 1 || labels.shape()[0] != logits.shape()[0])
    throw UserError(ExitCode::kEval, "logits and labels must have the same first dimension, got logits shape " +
                                         tf_shape_str(logits.shape()) + " and labels shape " + tf_shape_str(labels.shape()));
  const std::int64_t classes = logits.shape()[1];
  std::vector<std::int64_t> values;
  bool valid = true;
  for (std::int64_t i = 0; i < labels.size(); ++i) {
    values.push_back(static_cast<std::int64_t>(labels.element_as_double(i)));
    valid = valid && values.back() >= 0 && values.back() < classes;
  }
  if (!valid) {
    std::string listed;
    for (std::int64_t v : values) listed += (listed.empty() ? "" : " ") + std::to_string(v);
    for (std::int64_t v : values)
      if (v < 0 || v >= classes)
        throw UserError(ExitCode::kEval, "Received a label value of " + std::to_string(v) +
                                             " which is outside the valid range of [0, " + std::to_string(classes) +
                                             ").  Label values: " + listed);
  }
  ScopedFlushDenormal flush;
  return visit_float("sparse_softmax_cross_entropy_with_logits", logits.dtype(),
                     [&](auto traits) { return sparse_xent_typed<decltype(traits)>(logits, values); });
}

Tensor l2_loss(const Tensor& x) {
  ScopedFlushDenormal flush;
  return visit_float("l2_loss", x.dtype(), [&](auto traits) {
    using Tr = decltype(traits);
    using T = typename Tr::Compute;
    std::vector<T> values = load_all<Tr>(x);
    for (T& v : values) v = (v * v) * T(0.5);
    return store_all<Tr>({tf_sum(values.data(), static_cast<std::int64_t>(values.size()), 0)}, {});
  });
}

}  // namespace ag::kernels
