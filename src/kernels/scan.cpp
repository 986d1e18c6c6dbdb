// Cumulative sums and products (TF's Cumsum/Cumprod through Eigen's scan: one sequential
// accumulator per line, starting from the identity) and ArgMax/ArgMin.
#include <limits>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/flush_denormal.h"
#include "kernels/kernels.h"

namespace ag::kernels {
namespace {

/// x viewed as [outer, length, inner] around `axis`.
struct Lines {
  std::int64_t outer = 1;
  std::int64_t length = 1;
  std::int64_t inner = 1;
};

Lines lines_of(const Shape& shape, int axis) {
  Lines lines;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    if (i < axis) lines.outer *= shape[static_cast<std::size_t>(i)];
    else if (i == axis) lines.length = shape[static_cast<std::size_t>(i)];
    else lines.inner *= shape[static_cast<std::size_t>(i)];
  }
  return lines;
}

template <class Tr>
Tensor scan_typed(ScanOp op, const Tensor& x, int axis, bool exclusive, bool reverse) {
  using S = typename Tr::Storage;
  using C = typename Tr::Compute;
  Tensor out = Tensor::allocate(Tr::dtype, x.shape());
  const S* px = x.data<S>();
  S* po = out.mutable_data<S>();
  const Lines lines = lines_of(x.shape(), axis);
  auto combine = [op](C accum, C value) -> C {
    if constexpr (is_int_v<Tr>) {
      return op == ScanOp::kSum ? wrap_add(accum, value) : wrap_mul(accum, value);
    } else {
      return op == ScanOp::kSum ? C(accum + value) : C(accum * value);
    }
  };
  for (std::int64_t o = 0; o < lines.outer; ++o) {
    for (std::int64_t i = 0; i < lines.inner; ++i) {
      const std::int64_t base = o * lines.length * lines.inner + i;
      C accum = op == ScanOp::kSum ? C(0) : C(1);
      for (std::int64_t step = 0; step < lines.length; ++step) {
        const std::int64_t k = reverse ? lines.length - 1 - step : step;
        const std::int64_t at = base + k * lines.inner;
        if (exclusive) {
          po[at] = Tr::store(accum);
          accum = combine(accum, Tr::load(px[at]));
        } else {
          accum = combine(accum, Tr::load(px[at]));
          po[at] = Tr::store(accum);
        }
      }
    }
  }
  return out;
}

template <class Tr, class I>
Tensor arg_reduce_typed(bool max, const Tensor& x, int axis, DType index_dtype) {
  using S = typename Tr::Storage;
  using C = typename Tr::Compute;
  Shape out_shape;
  for (int i = 0; i < x.rank(); ++i)
    if (i != axis) out_shape.push_back(x.shape()[static_cast<std::size_t>(i)]);
  Tensor out = Tensor::allocate(index_dtype, out_shape);
  const S* px = x.data<S>();
  I* po = out.mutable_data<I>();
  const Lines lines = lines_of(x.shape(), axis);
  for (std::int64_t o = 0; o < lines.outer; ++o) {
    for (std::int64_t i = 0; i < lines.inner; ++i) {
      const std::int64_t base = o * lines.length * lines.inner + i;
      // Eigen's ArgMax/ArgMinTupleReducer: a later element wins only when strictly better, so
      // ties keep the first index and NaN never wins.
      std::int64_t best = 0;
      C best_value = max ? std::numeric_limits<C>::lowest() : std::numeric_limits<C>::max();
      for (std::int64_t k = 0; k < lines.length; ++k) {
        C value = Tr::load(px[base + k * lines.inner]);
        if (max ? value > best_value : value < best_value) {
          best = k;
          best_value = value;
        }
      }
      po[o * lines.inner + i] = static_cast<I>(best);
    }
  }
  return out;
}

}  // namespace

Tensor scan(ScanOp op, const Tensor& x, int axis, bool exclusive, bool reverse) {
  const char* name = op == ScanOp::kSum ? "cumsum" : "cumprod";
  require_dtype(name, x.dtype(), kNumberSet);
  ScopedFlushDenormal flush;
  return visit_dtype(x.dtype(), [&](auto traits) -> Tensor {
    using Tr = decltype(traits);
    if constexpr (is_bool_v<Tr>) {
      unreachable_dtype(name, Tr::dtype);
    } else {
      return scan_typed<Tr>(op, x, axis, exclusive, reverse);
    }
  });
}

Tensor arg_reduce(bool max, const Tensor& x, int axis, DType index_dtype) {
  const char* name = max ? "argmax" : "argmin";
  require_dtype(name, x.dtype(), kRealSet | kBoolSet);
  if (x.shape()[static_cast<std::size_t>(axis)] == 0)
    throw UserError(ExitCode::kEval, std::string("Reduction axis ") + std::to_string(axis) + " is empty in shape " +
                                         tf_shape_str(x.shape()));
  return visit_dtype(x.dtype(), [&](auto traits) -> Tensor {
    using Tr = decltype(traits);
    if constexpr (is_complex_v<Tr>) {
      unreachable_dtype(name, Tr::dtype);
    } else {
      if (index_dtype == DType::kInt32) return arg_reduce_typed<Tr, std::int32_t>(max, x, axis, index_dtype);
      return arg_reduce_typed<Tr, std::int64_t>(max, x, axis, index_dtype);
    }
  });
}

}  // namespace ag::kernels
