// Constant makers: fill, range and linspace, reproducing TF's kernels operation for operation
// (tf.range accumulates by repeated addition in the dtype, so its rounding is part of the result).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kernels/convert.h"
#include "kernels/kernels.h"

namespace ag::kernels {
namespace {

using Float64Tr = Traits<DType::kFloat64>;

/// A double converted to Tr's compute type with Cast's rules (so it is what TF would hold).
template <class Tr>
typename Tr::Compute to_compute(double value) {
  return Tr::load(convert_element<Tr, Float64Tr>(value));
}

/// How TF's StrCat prints a number in a message: integers in decimal; floats with the fewest of
/// 6 / 9 (float) or 15 / 17 (double) significant digits that round-trip, in %g style.
template <class Tr>
std::string tf_number_str(typename Tr::Compute value) {
  if constexpr (is_int_v<Tr>) {
    return std::to_string(value);
  } else {
    constexpr bool kDouble = std::is_same_v<typename Tr::Compute, double>;
    char text[64];
    std::snprintf(text, sizeof text, "%.*g", kDouble ? 15 : 6, static_cast<double>(value));
    bool round_trips = kDouble ? std::strtod(text, nullptr) == static_cast<double>(value)
                               : std::strtof(text, nullptr) == static_cast<float>(value);
    if (!round_trips && !std::isnan(value))
      std::snprintf(text, sizeof text, "%.*g", kDouble ? 17 : 9, static_cast<double>(value));
    return text;
  }
}

template <class Tr>
Tensor range_typed(double start_value, double limit_value, double delta_value) {
  using C = typename Tr::Compute;
  using S = typename Tr::Storage;
  const C start = to_compute<Tr>(start_value);
  const C limit = to_compute<Tr>(limit_value);
  const C delta = to_compute<Tr>(delta_value);
  if (delta == C(0)) throw UserError(ExitCode::kEval, "Requires delta != 0: " + tf_number_str<Tr>(delta));
  if (delta > C(0) && start > limit)
    throw UserError(ExitCode::kEval, "Requires start <= limit when delta > 0: " + tf_number_str<Tr>(start) + "/" +
                                         tf_number_str<Tr>(limit));
  if (delta < C(0) && start < limit)
    throw UserError(ExitCode::kEval, "Requires start >= limit when delta < 0: " + tf_number_str<Tr>(start) + "/" +
                                         tf_number_str<Tr>(limit));
  std::int64_t size = 0;
  if constexpr (is_int_v<Tr>) {
    // ceil(|limit - start| / |delta|), in unsigned 64-bit so that no difference can overflow.
    std::uint64_t span = start <= limit ? static_cast<std::uint64_t>(limit) - static_cast<std::uint64_t>(start)
                                        : static_cast<std::uint64_t>(start) - static_cast<std::uint64_t>(limit);
    std::uint64_t step = delta > C(0) ? static_cast<std::uint64_t>(delta) : std::uint64_t{0} - static_cast<std::uint64_t>(delta);
    std::uint64_t count = span / step + (span % step != 0 ? 1 : 0);
    if (count > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw UserError(ExitCode::kEval, "Requires ((limit - start) / delta) <= 9223372036854775807");
    size = static_cast<std::int64_t>(count);
  } else {
    // TF computes the count in the dtype: ceil(|(limit - start) / delta|).
    C count = std::ceil(std::abs((limit - start) / delta));
    if (!(count <= C(9.2e18)))
      throw UserError(ExitCode::kEval, "Requires ((limit - start) / delta) <= 9223372036854775807");
    size = static_cast<std::int64_t>(count);
  }
  Tensor out = Tensor::allocate(Tr::dtype, {size});
  S* values = out.mutable_data<S>();
  C value = start;
  for (std::int64_t i = 0; i < size; ++i) {
    S stored = Tr::store(value);
    values[i] = stored;
    if constexpr (is_int_v<Tr>) {
      value = wrap_add(value, delta);
    } else {
      // The running value lives in the dtype, so float16/bfloat16 round after every step.
      value = Tr::load(stored) + delta;
    }
  }
  return out;
}

}  // namespace

Tensor fill(DType dtype, const Shape& shape, double value) {
  require_dtype("fill", dtype, kAllSet);
  Tensor out = Tensor::allocate(dtype, shape);
  visit_dtype(dtype, [&](auto traits) {
    using Tr = decltype(traits);
    using S = typename Tr::Storage;
    const S element = convert_element<Tr, Float64Tr>(value);
    S* data = out.mutable_data<S>();
    for (std::int64_t i = 0; i < out.size(); ++i) data[i] = element;
  });
  return out;
}

Tensor range(DType dtype, double start, double limit, double delta) {
  require_dtype("range", dtype, kRealSet);
  return visit_dtype(dtype, [&](auto traits) -> Tensor {
    using Tr = decltype(traits);
    if constexpr (is_int_v<Tr> || is_real_float_v<Tr>) {
      return range_typed<Tr>(start, limit, delta);
    } else {
      unreachable_dtype("range", dtype);
    }
  });
}

Tensor linspace(DType dtype, double start, double stop, std::int64_t num) {
  require_dtype("linspace", dtype, kRealFloatSet);
  // TF2's tf.linspace (linspace_nd) returns an empty tensor for num == 0; the LinSpace kernel's
  // text is kept for negative counts.
  if (num < 0) throw UserError(ExitCode::kEval, "Requires num > 0: " + std::to_string(num));
  Tensor out = Tensor::allocate(dtype, {num});
  visit_dtype(dtype, [&](auto traits) {
    using Tr = decltype(traits);
    if constexpr (is_real_float_v<Tr>) {
      using C = typename Tr::Compute;
      using S = typename Tr::Storage;
      S* values = out.mutable_data<S>();
      if (num == 0) return;
      const C first = to_compute<Tr>(start);
      const C last = to_compute<Tr>(stop);
      // As TF: delta = (stop - start) / max(num - 1, 1) in the dtype, then start + delta * i,
      // with the exact endpoints stored at both ends.
      const C delta = (last - first) / static_cast<C>(num > 1 ? num - 1 : 1);
      values[0] = Tr::store(first);
      for (std::int64_t i = 1; i + 1 < num; ++i) values[i] = Tr::store(first + delta * static_cast<C>(i));
      if (num > 1) values[num - 1] = Tr::store(last);
    }
  });
  return out;
}

}  // namespace ag::kernels
