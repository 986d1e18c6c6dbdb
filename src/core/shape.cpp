// Shape arithmetic shared by kernels, ops and printing.
#include "core/shape.h"

#include <algorithm>
#include <limits>

#include "diag/error.h"

namespace ag {

std::int64_t shape_size(const Shape& shape) {
  std::int64_t size = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0) throw UserError(ExitCode::kEval, "negative dimension " + std::to_string(dim) + " in shape " + shape_str(shape));
    if (dim != 0 && size > std::numeric_limits<std::int64_t>::max() / dim)
      throw UserError(ExitCode::kEval, "shape " + shape_str(shape) + " has too many elements");
    size *= dim;
  }
  return size;
}

std::string shape_str(const Shape& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1) text += ",";
  return text + ")";
}

std::string shape_list_str(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::vector<std::int64_t> shape_strides(const Shape& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

std::string tf_shape_str(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ",";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  if (a == b) return a;
  std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      throw UserError(ExitCode::kEval, "Incompatible shapes: " + tf_shape_str(a) + " vs. " + tf_shape_str(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

}  // namespace ag
