// Tensor shapes: a list of dimension sizes, and the arithmetic every layer needs on them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ag {

using Shape = std::vector<std::int64_t>;

/// Product of the dimensions (1 for a scalar). Throws UserError(kEval) on overflow.
std::int64_t shape_size(const Shape& shape);
/// TF's TensorShape text: "()", "(4,)", "(4, 1)".
std::string shape_str(const Shape& shape);
/// Python list text of the dimensions: "[4, 1]".
std::string shape_list_str(const Shape& shape);
/// Row-major strides in elements.
std::vector<std::int64_t> shape_strides(const Shape& shape);
/// TF's spelling of a shape in kernel messages: "[4,1]".
std::string tf_shape_str(const Shape& shape);
/// NumPy broadcasting of two shapes; throws UserError(kEval) with TF's wording if incompatible
/// ("Incompatible shapes: [4,1] vs. [3,2]").
Shape broadcast_shapes(const Shape& a, const Shape& b);

}  // namespace ag
