// tf.unique's kernel (TF's UniqueOp): one hash map from value to its slot in y.
#include "kernels/unique.h"

#include <cmath>
#include <functional>
#include <string>
#include <unordered_map>

#include "kernels/dispatch.h"

namespace ag::kernels {
namespace {

/// Hashes a value so that values equal under == hash alike: 0.0 and -0.0 (equal, different bits)
/// share one hash; NaN never compares equal, so its hash does not matter.
struct ValueHash {
  template <class T>
  std::size_t operator()(const T& v) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (v == T(0)) return 0;
    }
    return std::hash<T>{}(v);
  }
};

template <class Key, class Load>
UniqueIndices unique_by(std::int64_t n, Load load) {
  UniqueIndices out;
  out.index.resize(static_cast<std::size_t>(n));
  std::unordered_map<Key, std::int64_t, ValueHash> slot;
  slot.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    auto [it, inserted] = slot.try_emplace(load(i), static_cast<std::int64_t>(out.first.size()));
    if (inserted) {
      out.first.push_back(i);
      out.count.push_back(0);
    }
    out.index[static_cast<std::size_t>(i)] = it->second;
    ++out.count[static_cast<std::size_t>(it->second)];
  }
  return out;
}

}  // namespace

UniqueIndices unique_indices(const Tensor& x) {
  if (x.rank() != 1) throw UserError(ExitCode::kEval, "unique expects a 1D vector. [Op:Unique]");
  if (x.dtype() == DType::kString) {
    const std::vector<std::string>& values = x.strings();
    return unique_by<std::string>(x.size(), [&](std::int64_t i) { return values[static_cast<std::size_t>(i)]; });
  }
  if (dtype_is_complex(x.dtype()) || !(dtype_is_numeric(x.dtype()) || x.dtype() == DType::kBool))
    throw UserError(ExitCode::kEval, "unique: dtype " + std::string(dtype_name(x.dtype())) +
                                         " is not supported (TF registers Unique for real numbers, bool and string) [Op:Unique]");
  return visit_dtype(x.dtype(), [&](auto traits) -> UniqueIndices {
    using Tr = decltype(traits);
    if constexpr (is_complex_v<Tr>) {
      unreachable_dtype("Unique", Tr::dtype);
    } else {
      const auto* data = x.data<typename Tr::Storage>();
      return unique_by<typename Tr::Compute>(x.size(), [&](std::int64_t i) { return Tr::load(data[i]); });
    }
  });
}

}  // namespace ag::kernels
