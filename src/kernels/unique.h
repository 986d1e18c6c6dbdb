// tf.unique's kernel: the distinct elements of a vector in order of first appearance.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ag::kernels {

/// For a 1-D x: `first[j]` is the position in x of the j-th distinct value (in order of first
/// appearance), `index[i]` the j with x[i] == x[first[j]], and `count[j]` how often it occurs.
/// Equality is the element type's ==, as TF's hash map uses it: 0.0 and -0.0 are one value, and
/// every NaN is distinct. Numeric, bool and string dtypes; complex is refused as in TF.
struct UniqueIndices {
  std::vector<std::int64_t> first;
  std::vector<std::int64_t> index;
  std::vector<std::int64_t> count;
};
UniqueIndices unique_indices(const Tensor& x);

}  // namespace ag::kernels
