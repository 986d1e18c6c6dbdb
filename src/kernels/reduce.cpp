// Reductions (sum, mean, prod, max, min, all, any) over a set of axes. The axes are first
// simplified to one of two contiguous patterns, reducing rows or reducing columns; anything else
// is transposed into the row pattern. Float sums add short blocks sequentially and the blocks
// pairwise, in both patterns, so their error grows with log n rather than n.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/parallel.h"

namespace ag::kernels {
namespace {

// ---- reducers: accumulator type, identity, one step, merging two partial results -----------

template <class Tr>
struct SumAccumulator {
  // Integers wrap like TF's int sums; accumulating in uint64 and truncating at the end gives the
  // same bits for every integer width. float16/bfloat16 accumulate in float.
  using type = std::conditional_t<is_int_v<Tr>, std::uint64_t, typename Tr::Compute>;
};

template <class Tr, ReduceOp Op>
struct Reducer {
  using S = typename Tr::Storage;
  using C = typename Tr::Compute;
  static constexpr bool kAdditive = Op == ReduceOp::kSum || Op == ReduceOp::kMean || Op == ReduceOp::kProd;
  using Acc = std::conditional_t<kAdditive, typename SumAccumulator<Tr>::type, C>;

  static Acc identity() {
    if constexpr (Op == ReduceOp::kSum || Op == ReduceOp::kMean) return Acc(0);
    if constexpr (Op == ReduceOp::kProd) return Acc(1);
    if constexpr (Op == ReduceOp::kAll) return true;
    if constexpr (Op == ReduceOp::kAny) return false;
    // TF's empty max is -inf for floats and the lowest value for integers (and min mirrors it).
    if constexpr (Op == ReduceOp::kMax)
      return std::numeric_limits<C>::has_infinity ? -std::numeric_limits<C>::infinity() : std::numeric_limits<C>::lowest();
    if constexpr (Op == ReduceOp::kMin)
      return std::numeric_limits<C>::has_infinity ? std::numeric_limits<C>::infinity() : std::numeric_limits<C>::max();
  }

  static Acc to_acc(S value) {
    if constexpr (kAdditive && is_int_v<Tr>) {
      return static_cast<std::uint64_t>(value);  // sign-extends, so wrapping sums stay exact mod 2^64
    } else {
      return Tr::load(value);
    }
  }

  static Acc merge(Acc a, Acc b) {
    if constexpr (Op == ReduceOp::kSum || Op == ReduceOp::kMean) return a + b;
    if constexpr (Op == ReduceOp::kProd) return a * b;
    if constexpr (Op == ReduceOp::kAll) return a && b;
    if constexpr (Op == ReduceOp::kAny) return a || b;
    // Max and min of floats must propagate NaN (as tf.maximum does); a NaN-aware select does
    // not vectorise, so the select here is the plain one (maxps-like) and the loops below scan
    // for NaN separately when kScansNan is set.
    if constexpr (Op == ReduceOp::kMax) return a < b ? b : a;
    if constexpr (Op == ReduceOp::kMin) return b < a ? b : a;
  }

  static constexpr bool kScansNan = (Op == ReduceOp::kMax || Op == ReduceOp::kMin) && is_real_float_v<Tr>;
  static bool is_nan(S value) {
    C v = Tr::load(value);
    return v != v;
  }

  static Acc step(Acc a, S value) { return merge(a, to_acc(value)); }

  static S finish(Acc a, std::int64_t count) {
    if constexpr (Op == ReduceOp::kMean) {
      if constexpr (is_int_v<Tr>) {
        // Integer mean truncates toward zero; the sum is taken in 64 bits (wider than TF's int32
        // accumulator, which can only differ once that overflows). An empty mean gives 0.
        if (count == 0) return S(0);
        if constexpr (std::is_signed_v<S>) {
          return static_cast<S>(static_cast<std::int64_t>(a) / count);
        } else {
          return static_cast<S>(a / static_cast<std::uint64_t>(count));
        }
      } else if constexpr (is_complex_v<Tr>) {
        return Tr::store(a / typename C::value_type(count));
      } else {
        return Tr::store(a / static_cast<C>(count));  // 0 / 0 = NaN for an empty mean, as TF
      }
    } else if constexpr (kAdditive && is_int_v<Tr>) {
      return static_cast<S>(a);
    } else {
      return Tr::store(a);
    }
  }
};

// ---- the two loop shapes ------------------------------------------------------------------

/// Reduces one contiguous run: eight independent lanes (vectorisable, and the lanes are summed
/// pairwise) inside pairwise recursion over blocks of 256.
template <class R>
typename R::Acc reduce_run(const typename R::S* p, std::int64_t n) {
  using Acc = typename R::Acc;
  if (n > 256) {
    std::int64_t half = (n / 2 + 7) / 8 * 8;
    return R::merge(reduce_run<R>(p, half), reduce_run<R>(p + half, n - half));
  }
  Acc lanes[8];
  for (Acc& lane : lanes) lane = R::identity();
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) lanes[j] = R::step(lanes[j], p[i + j]);
  Acc total = R::merge(R::merge(R::merge(lanes[0], lanes[1]), R::merge(lanes[2], lanes[3])),
                       R::merge(R::merge(lanes[4], lanes[5]), R::merge(lanes[6], lanes[7])));
  for (; i < n; ++i) total = R::step(total, p[i]);
  return total;
}

/// Rows [begin, end) of x viewed as [outer, inner], each reduced by `run` (reduce_run or a
/// variant giving the same bits).
template <class R, class Run>
void reduce_row_range(const typename R::S* in, typename R::S* out, std::int64_t begin, std::int64_t end,
                      std::int64_t inner, Run run) {
  for (std::int64_t o = begin; o < end; ++o) {
    const typename R::S* row = in + o * inner;
    typename R::Acc total = run(row, inner);
    if constexpr (R::kScansNan) {
      // Eight flag lanes keep the scan vectorisable; any NaN makes the result NaN.
      int seen[8] = {};
      std::int64_t i = 0;
      for (; i + 8 <= inner; i += 8)
        for (int j = 0; j < 8; ++j) seen[j] |= R::is_nan(row[i + j]);
      for (; i < inner; ++i) seen[0] |= R::is_nan(row[i]);
      for (int j = 0; j < 8; ++j)
        if (seen[j]) total = std::numeric_limits<typename R::Acc>::quiet_NaN();
    }
    out[o] = R::finish(total, inner);
  }
}

/// reduce_run with its two top-level halves on two threads when the run is long: the same halves
/// merged the same way, so the same bits.
template <class R>
typename R::Acc reduce_long_run(const typename R::S* p, std::int64_t n) {
  if (n < 2 * kParallelMinElements) return reduce_run<R>(p, n);
  const std::int64_t half = (n / 2 + 7) / 8 * 8;  // reduce_run's split
  typename R::Acc first{}, second{};
  parallel_pair([&] { first = reduce_run<R>(p, half); }, [&] { second = reduce_run<R>(p + half, n - half); });
  return R::merge(first, second);
}

/// x viewed as [outer, inner]: each output reduces one row; many rows are shared among threads
/// (a row at a time, so each row's sum is the serial one).
template <class R>
void reduce_rows(const typename R::S* in, typename R::S* out, std::int64_t outer, std::int64_t inner) {
  if (outer == 1) {
    reduce_row_range<R>(in, out, 0, 1, inner, reduce_long_run<R>);
    return;
  }
  const std::int64_t min_rows = std::max<std::int64_t>(2, kParallelMinElements / std::max<std::int64_t>(1, inner));
  parallel_for(outer, 1, [&](std::int64_t begin, std::int64_t end) {
    reduce_row_range<R>(in, out, begin, end, inner, reduce_run<R>);
  }, min_rows);
}

/// Reduces `rows` contiguous rows of length `inner` into out[0, inner): whole rows are combined
/// at a time (vectorisable), sequentially within blocks of 32 rows and pairwise above that, so
/// float error grows with 32 + log2(rows) rather than rows. `scratch` holds inner * depth values.
template <class R>
void reduce_row_block(const typename R::S* rows_in, std::int64_t rows, std::int64_t inner, typename R::Acc* out,
                      typename R::Acc* scratch) {
  if (rows > 32) {
    const std::int64_t half = rows / 2;
    reduce_row_block<R>(rows_in, half, inner, out, scratch + inner);
    reduce_row_block<R>(rows_in + half * inner, rows - half, inner, scratch, scratch + inner);
    for (std::int64_t k = 0; k < inner; ++k) out[k] = R::merge(out[k], scratch[k]);
    return;
  }
  for (std::int64_t k = 0; k < inner; ++k) out[k] = R::to_acc(rows_in[k]);
  for (std::int64_t r = 1; r < rows; ++r) {
    const typename R::S* row = rows_in + r * inner;
    for (std::int64_t k = 0; k < inner; ++k) out[k] = R::step(out[k], row[k]);
  }
}

/// x viewed as [outer, middle, inner], reducing the middle axis (middle >= 1).
template <class R>
void reduce_columns(const typename R::S* in, typename R::S* out, std::int64_t outer, std::int64_t middle,
                    std::int64_t inner) {
  using Acc = typename R::Acc;
  std::size_t depth = 1;  // buffers needed: one per halving until blocks of 32 rows remain
  for (std::int64_t rows = middle; rows > 32; rows -= rows / 2) ++depth;
  std::unique_ptr<Acc[]> total(new Acc[static_cast<std::size_t>(inner)]);
  std::unique_ptr<Acc[]> scratch(new Acc[static_cast<std::size_t>(inner) * depth]);
  std::unique_ptr<unsigned char[]> seen_nan(new unsigned char[static_cast<std::size_t>(inner)]);
  for (std::int64_t o = 0; o < outer; ++o) {
    const typename R::S* slab = in + o * middle * inner;
    reduce_row_block<R>(slab, middle, inner, total.get(), scratch.get());
    if constexpr (R::kScansNan) {
      std::fill(seen_nan.get(), seen_nan.get() + inner, 0);
      for (std::int64_t r = 0; r < middle; ++r)
        for (std::int64_t k = 0; k < inner; ++k) seen_nan[k] |= R::is_nan(slab[r * inner + k]);
      for (std::int64_t k = 0; k < inner; ++k)
        if (seen_nan[k]) total[k] = std::numeric_limits<Acc>::quiet_NaN();
    }
    for (std::int64_t k = 0; k < inner; ++k) out[o * inner + k] = R::finish(total[k], middle);
  }
}

/// Axes after dropping size-1 dimensions and merging neighbours of the same kind.
struct Segment {
  std::int64_t size;
  bool reduced;
};

template <class R>
Tensor reduce_typed(const Tensor& x, const std::vector<bool>& reduced, const Shape& out_shape) {
  using S = typename R::S;
  Tensor out = Tensor::allocate(x.dtype(), out_shape);
  S* po = out.mutable_data<S>();
  const std::int64_t out_size = out.size();
  if (out_size == 0) return out;
  const std::int64_t count = x.size() / out_size;
  if (x.size() == 0) {  // reducing an empty axis: every output is the identity
    for (std::int64_t i = 0; i < out_size; ++i) po[i] = R::finish(R::identity(), 0);
    return out;
  }
  std::vector<Segment> segments;
  for (std::size_t axis = 0; axis < reduced.size(); ++axis) {
    std::int64_t size = x.shape()[axis];
    if (size == 1) continue;
    if (!segments.empty() && segments.back().reduced == reduced[axis]) {
      segments.back().size *= size;
    } else {
      segments.push_back({size, reduced[axis]});
    }
  }
  const S* px = x.data<S>();
  const std::size_t n = segments.size();
  if (count == 1) {
    for (std::int64_t i = 0; i < out_size; ++i) po[i] = R::finish(R::to_acc(px[i]), 1);
  } else if (segments.back().reduced && n <= 2) {  // [R] or [K, R]
    reduce_rows<R>(px, po, out_size, count);
  } else if (!segments.back().reduced && segments[n - 2].reduced && n <= 3) {  // [R, K] or [K, R, K]
    reduce_columns<R>(px, po, n == 3 ? segments[0].size : 1, segments[n - 2].size, segments[n - 1].size);
  } else {
    // Interleaved kept and reduced axes: move the reduced ones last, then reduce rows.
    std::vector<int> perm;
    for (std::size_t axis = 0; axis < reduced.size(); ++axis)
      if (!reduced[axis]) perm.push_back(static_cast<int>(axis));
    for (std::size_t axis = 0; axis < reduced.size(); ++axis)
      if (reduced[axis]) perm.push_back(static_cast<int>(axis));
    Tensor moved = transpose(x, perm);
    reduce_rows<R>(moved.data<S>(), po, out_size, count);
  }
  return out;
}

template <class Tr>
Tensor reduce_dispatch(ReduceOp op, const Tensor& x, const std::vector<bool>& reduced, const Shape& out_shape) {
  if constexpr (is_bool_v<Tr>) {
    if (op == ReduceOp::kAll) return reduce_typed<Reducer<Tr, ReduceOp::kAll>>(x, reduced, out_shape);
    if (op == ReduceOp::kAny) return reduce_typed<Reducer<Tr, ReduceOp::kAny>>(x, reduced, out_shape);
  } else {
    switch (op) {
      case ReduceOp::kSum: return reduce_typed<Reducer<Tr, ReduceOp::kSum>>(x, reduced, out_shape);
      case ReduceOp::kMean: return reduce_typed<Reducer<Tr, ReduceOp::kMean>>(x, reduced, out_shape);
      case ReduceOp::kProd: return reduce_typed<Reducer<Tr, ReduceOp::kProd>>(x, reduced, out_shape);
      case ReduceOp::kMax:
        if constexpr (!is_complex_v<Tr>) return reduce_typed<Reducer<Tr, ReduceOp::kMax>>(x, reduced, out_shape);
        break;
      case ReduceOp::kMin:
        if constexpr (!is_complex_v<Tr>) return reduce_typed<Reducer<Tr, ReduceOp::kMin>>(x, reduced, out_shape);
        break;
      default: break;
    }
  }
  unreachable_dtype(op_name(op), Tr::dtype);
}

DTypeSet allowed_dtypes(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
    case ReduceOp::kMean:
    case ReduceOp::kProd: return kNumberSet;
    case ReduceOp::kMax:
    case ReduceOp::kMin: return kRealSet;
    case ReduceOp::kAll:
    case ReduceOp::kAny: return kBoolSet;
  }
  return 0;
}

}  // namespace

const char* op_name(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum: return "reduce_sum";
    case ReduceOp::kMean: return "reduce_mean";
    case ReduceOp::kProd: return "reduce_prod";
    case ReduceOp::kMax: return "reduce_max";
    case ReduceOp::kMin: return "reduce_min";
    case ReduceOp::kAll: return "reduce_all";
    case ReduceOp::kAny: return "reduce_any";
  }
  return "reduce";
}

Tensor reduce(ReduceOp op, const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  const char* name = op_name(op);
  require_dtype(name, x.dtype(), allowed_dtypes(op));
  std::vector<bool> reduced(static_cast<std::size_t>(x.rank()), false);
  int previous = -1;
  for (int axis : axes) {
    if (axis <= previous || axis >= x.rank())
      throw UserError(ExitCode::kEval, std::string(name) + ": internal error: axes must be sorted, unique and in [0, " +
                                           std::to_string(x.rank()) + ")");
    reduced[static_cast<std::size_t>(axis)] = true;
    previous = axis;
  }
  if (axes.empty()) return x.reshaped(x.shape());
  Shape out_shape;
  for (std::size_t axis = 0; axis < reduced.size(); ++axis) {
    if (!reduced[axis]) {
      out_shape.push_back(x.shape()[axis]);
    } else if (keepdims) {
      out_shape.push_back(1);
    }
  }
  return visit_dtype(x.dtype(), [&](auto traits) -> Tensor {
    return reduce_dispatch<decltype(traits)>(op, x, reduced, out_shape);
  });
}

}  // namespace ag::kernels
