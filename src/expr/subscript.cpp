// Indexing: TF's strided-slice rules on tensors (ints shrink an axis, slices keep it, None adds
// one, ... expands), Python's rules on lists, tuples and shapes.
#include <algorithm>

#include "diag/error.h"
#include "expr/evaluator.h"
#include "kernels/kernels.h"
#include "ops/api.h"
#include "ops/convert.h"

namespace ag {
namespace {

std::optional<std::int64_t> index_integer(const std::optional<Value>& value, const char* what) {
  if (!value || value->is_none()) return std::nullopt;
  if (value->kind == ValueKind::kInt) return value->integer;
  if (value->kind == ValueKind::kBool) return value->boolean ? 1 : 0;
  if (value->kind == ValueKind::kTensor && value->tensor.rank() == 0 && dtype_is_integer(value->tensor.dtype()))
    return static_cast<std::int64_t>(value->tensor.element_as_double(0));
  throw UserError(ExitCode::kEval, std::string("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                                               "tf.int32/tf.int64 tensors are valid indices, got ") +
                                       value_type_name(*value) + " as " + what);
}

/// Python's slice.indices(length): clamped start, step and element count.
kernels::SliceAxis python_slice(std::int64_t length, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                                std::optional<std::int64_t> step) {
  std::int64_t s = step.value_or(1);
  if (s == 0) throw UserError(ExitCode::kEval, "slice step cannot be zero");
  std::int64_t lower = s < 0 ? -1 : 0;
  std::int64_t upper = s < 0 ? length - 1 : length;
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t fallback) {
    if (!v) return fallback;
    std::int64_t x = *v < 0 ? *v + length : *v;
    return std::clamp(x, lower, upper);
  };
  std::int64_t begin = clamp(start, s < 0 ? upper : lower);
  std::int64_t end = clamp(stop, s < 0 ? lower : upper);
  std::int64_t count = 0;
  if (s > 0 && end > begin) count = (end - begin + s - 1) / s;
  if (s < 0 && begin > end) count = (begin - end + (-s) - 1) / (-s);
  return {begin, s, count};
}

Value subscript_tensor(const Tensor& x, const std::vector<IndexItem>& given) {
  // An index that evaluates to None (tf.newaxis, a name bound to None) adds an axis, as the
  // literal None does.
  std::vector<IndexItem> items = given;
  for (IndexItem& item : items)
    if (item.kind == IndexItem::Kind::kValue && item.value.is_none()) item.kind = IndexItem::Kind::kNewAxis;
  // A bool tensor as the whole index is TF's boolean_mask (x[x > 2]): the mask's axes collapse
  // into one, gathered at the true positions.
  if (items.size() == 1 && items[0].kind == IndexItem::Kind::kValue && items[0].value.kind == ValueKind::kTensor &&
      items[0].value.tensor.dtype() == DType::kBool) {
    const Tensor& mask = items[0].value.tensor;
    if (mask.rank() == 0) throw UserError(ExitCode::kEval, "mask cannot be scalar.");
    bool compatible = mask.shape().size() <= x.shape().size();
    for (std::size_t i = 0; compatible && i < mask.shape().size(); ++i) compatible = x.shape()[i] == mask.shape()[i];
    if (!compatible) {
      Shape part(x.shape().begin(), x.shape().begin() + static_cast<std::ptrdiff_t>(std::min(mask.shape().size(), x.shape().size())));
      throw UserError(ExitCode::kEval, "Shapes " + shape_str(part) + " and " + shape_str(mask.shape()) + " are incompatible");
    }
    Shape collapsed{shape_size(mask.shape())};
    collapsed.insert(collapsed.end(), x.shape().begin() + static_cast<std::ptrdiff_t>(mask.shape().size()), x.shape().end());
    return Value::of(ops::gather(ops::reshape(x, collapsed), kernels::true_positions(mask), 0, 0));
  }
  std::size_t consuming = 0;
  std::size_t ellipses = 0;
  for (const IndexItem& item : items) {
    if (item.kind == IndexItem::Kind::kEllipsis) ++ellipses;
    else if (item.kind != IndexItem::Kind::kNewAxis) ++consuming;
  }
  if (ellipses > 1) throw UserError(ExitCode::kEval, "Multiple ellipses in slice spec not allowed");
  if (consuming > static_cast<std::size_t>(x.rank()))
    throw UserError(ExitCode::kEval, "Index out of range using input dim " + std::to_string(x.rank()) + "; input has only " +
                                         std::to_string(x.rank()) + " dims");
  std::vector<kernels::SliceAxis> axes;
  Shape result;
  int axis = 0;
  for (const IndexItem& item : items) {
    switch (item.kind) {
      case IndexItem::Kind::kNewAxis: result.push_back(1); break;
      case IndexItem::Kind::kEllipsis: {
        std::size_t span = static_cast<std::size_t>(x.rank()) - consuming;
        for (std::size_t k = 0; k < span; ++k, ++axis) {
          std::int64_t length = x.shape()[static_cast<std::size_t>(axis)];
          axes.push_back({0, 1, length});
          result.push_back(length);
        }
        break;
      }
      case IndexItem::Kind::kSlice: {
        std::int64_t length = x.shape()[static_cast<std::size_t>(axis)];
        kernels::SliceAxis slice = python_slice(length, index_integer(item.start, "a slice start"),
                                                index_integer(item.stop, "a slice stop"), index_integer(item.step, "a slice step"));
        axes.push_back(slice);
        result.push_back(slice.count);
        ++axis;
        break;
      }
      case IndexItem::Kind::kValue: {
        std::int64_t length = x.shape()[static_cast<std::size_t>(axis)];
        std::int64_t index = *index_integer(item.value, "an index");
        if (index < -length || index >= length)
          throw UserError(ExitCode::kEval, "slice index " + std::to_string(index) + " of dimension " + std::to_string(axis) +
                                               " out of bounds.");
        axes.push_back({index < 0 ? index + length : index, 1, 1});
        ++axis;
        break;
      }
    }
  }
  for (; axis < x.rank(); ++axis) {
    std::int64_t length = x.shape()[static_cast<std::size_t>(axis)];
    axes.push_back({0, 1, length});
    result.push_back(length);
  }
  return Value::of(ops::strided_slice(x, axes, result));
}

Value subscript_sequence(const Value& object, const std::vector<IndexItem>& items) {
  if (items.size() != 1) throw UserError(ExitCode::kEval, value_type_name(object) + " indices must be integers or slices, not tuple");
  const IndexItem& item = items[0];
  std::int64_t length = static_cast<std::int64_t>(object.kind == ValueKind::kShape ? object.dims.size() : object.items.size());
  auto element = [&](std::int64_t i) {
    if (object.kind != ValueKind::kShape) return object.items[static_cast<std::size_t>(i)];
    std::int64_t dim = object.dims[static_cast<std::size_t>(i)];
    return Value::of_int(dim);
  };
  if (item.kind == IndexItem::Kind::kSlice) {
    kernels::SliceAxis slice = python_slice(length, index_integer(item.start, "a slice start"),
                                            index_integer(item.stop, "a slice stop"), index_integer(item.step, "a slice step"));
    Value out = object;
    out.items.clear();
    out.dims.clear();
    for (std::int64_t k = 0; k < slice.count; ++k) {
      std::int64_t i = slice.start + k * slice.step;
      if (object.kind == ValueKind::kShape) out.dims.push_back(object.dims[static_cast<std::size_t>(i)]);
      else out.items.push_back(object.items[static_cast<std::size_t>(i)]);
    }
    return out;
  }
  if (item.kind != IndexItem::Kind::kValue)
    throw UserError(ExitCode::kEval, value_type_name(object) + " indices must be integers or slices");
  std::int64_t index = *index_integer(item.value, "an index");
  if (index < -length || index >= length) throw UserError(ExitCode::kEval, value_type_name(object) + " index out of range");
  return element(index < 0 ? index + length : index);
}

}  // namespace

Value subscript(const Value& object, const std::vector<IndexItem>& items) {
  if (object.is_sequence() || object.kind == ValueKind::kShape) return subscript_sequence(object, items);
  if (object.is_tensor_like() || object.kind == ValueKind::kNumpy) {
    Value sliced = subscript_tensor(to_tensor(object), items);
    if (object.kind == ValueKind::kNumpy) sliced.kind = ValueKind::kNumpy;
    return sliced;
  }
  throw UserError(ExitCode::kEval, "'" + value_type_name(object) + "' object is not subscriptable");
}

}  // namespace ag
