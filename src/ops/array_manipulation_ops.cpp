// Rows of the array family that move, join, split and index tensors (expand_dims to boolean_mask,
// einsum, tensordot), columns in OpDef order. Where TF's Python composes ops (stack, split,
// tensordot, boolean_mask, gather_nd's offsets) the eval functions compose the same ops, so the
// gradients are those of the pieces; gather's is densified (duplicate indices summed).
#include <algorithm>
#include <cctype>
#include <string>

#include "diag/error.h"
#include "kernels/unique.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/families.h"
#include "ops/record.h"

namespace ag {
namespace {

[[noreturn]] void fail(const std::string& message) { throw UserError(ExitCode::kEval, message); }

/// axis in [-rank, rank) normalised, or TF's "Expected <what> in the range" error.
int normalized_axis(std::int64_t axis, int rank, const std::string& what) {
  if (axis < -rank || axis >= rank)
    fail("Expected " + what + " in the range [" + std::to_string(-rank) + ", " + std::to_string(rank) + "), but got " + std::to_string(axis));
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

/// Python's ValueError for a Python-level axis check (stack, unstack).
int python_axis(std::int64_t axis, int rank) {
  if (axis < -rank || axis >= rank)
    fail("Argument `axis` = " + std::to_string(axis) + " not in range [" + std::to_string(-rank) + ", " + std::to_string(rank) + ")");
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

/// The integers of a list, tuple or integer tensor argument (any rank), row-major.
std::vector<std::int64_t> integers(CallArgs& a, const char* param) {
  Tensor t = to_tensor(a[param], std::nullopt, a.op_name());
  if (!dtype_is_integer(t.dtype()))
    fail(a.op_name() + "(): argument '" + param + "' must hold integers, got " + std::string(dtype_name(t.dtype())));
  std::vector<std::int64_t> values;
  for (std::int64_t i = 0; i < t.size(); ++i) values.push_back(static_cast<std::int64_t>(t.element_as_double(i)));
  return values;
}

/// A list argument's items, each converted as tf.convert_to_tensor does, then to one dtype: a
/// Python value takes the dtype of the first tensor among them.
std::vector<Tensor> tensor_list(CallArgs& a, const char* param) {
  const Value& value = a[param];
  if (!value.is_sequence()) {
    if (value.is_tensor_like()) {
      // A tensor is a list of its rows (TF unpacks it along axis 0).
      Tensor t = to_tensor(value, std::nullopt, a.op_name());
      if (t.rank() == 0) fail(a.op_name() + "(): '" + param + "' must be a list of tensors, not a 0-d tensor");
      std::vector<Tensor> rows;
      for (std::int64_t i = 0; i < t.shape()[0]; ++i) {
        std::vector<std::int64_t> begin(t.shape().size(), 0), size(t.shape().begin(), t.shape().end());
        begin[0] = i;
        size[0] = 1;
        rows.push_back(ops::squeeze(ops::slice(t, begin, size), {0}));
      }
      return rows;
    }
    fail(a.op_name() + "(): '" + param + "' must be a list of tensors, not " + value_type_name(value));
  }
  std::optional<DType> dtype;
  for (const Value& item : value.items)
    if (!dtype && (item.is_tensor_like() || item.kind == ValueKind::kNumpy)) dtype = to_tensor(item).dtype();
  std::vector<Tensor> tensors;
  for (const Value& item : value.items) {
    bool is_tensor = item.is_tensor_like() || item.kind == ValueKind::kNumpy;
    tensors.push_back(to_tensor(item, is_tensor ? std::nullopt : dtype, a.op_name()));
  }
  return tensors;
}

Value tensors_value(const std::vector<Tensor>& tensors) {
  std::vector<Value> items;
  for (const Tensor& t : tensors) items.push_back(Value::of(t));
  return Value::list(std::move(items));
}

Value eval_expand_dims(CallArgs& a) {
  Tensor x = a.tensor("input");
  std::int64_t axis = a.integer("axis");
  if (axis < -x.rank() - 1 || axis > x.rank())
    fail("Tried to expand dim index " + std::to_string(axis) + " for tensor with " + std::to_string(x.rank()) + " dimensions.");
  return Value::of(ops::expand_dims(x, static_cast<int>(axis < 0 ? axis + x.rank() + 1 : axis)));
}

Value eval_squeeze(CallArgs& a) {
  Tensor x = a.tensor("input");
  std::vector<int> axes;
  for (std::int64_t axis : a.axes("axis").value_or(std::vector<std::int64_t>{})) {
    if (axis < -x.rank() || axis >= x.rank())
      fail("Tried to squeeze dim index " + std::to_string(axis) + " for tensor with " + std::to_string(x.rank()) + " dimensions.");
    int normalised = static_cast<int>(axis < 0 ? axis + x.rank() : axis);
    if (x.shape()[static_cast<std::size_t>(normalised)] != 1)
      fail("Can not squeeze dim[" + std::to_string(normalised) + "], expected a dimension of 1, got " +
           std::to_string(x.shape()[static_cast<std::size_t>(normalised)]));
    axes.push_back(normalised);
  }
  return Value::of(ops::squeeze(x, axes));
}

Value eval_concat(CallArgs& a) {
  // TF wraps a lone tensor in a list, and concat of one tensor is its identity.
  if (a["values"].is_tensor_like()) return Value::of(ops::identity(a.tensor("values")));
  std::vector<Tensor> values = tensor_list(a, "values");
  if (values.empty()) fail("concat(): 'values' must be a non-empty list of tensors");
  int rank = values[0].rank();
  std::int64_t axis = a.integer("axis");
  if (axis < -rank || axis >= rank || rank == 0)
    fail("ConcatOp : Expected concatenating dimensions in the range [" + std::to_string(-rank) + ", " + std::to_string(rank) +
         "), but got " + std::to_string(axis));
  return Value::of(ops::concat(values, static_cast<int>(axis < 0 ? axis + rank : axis)));
}

Value eval_stack(CallArgs& a) {
  std::vector<Tensor> values = tensor_list(a, "values");
  if (values.empty()) fail("stack(): 'values' must be a non-empty list of tensors");
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i].shape() != values[0].shape())
      fail("Shapes of all inputs must match: values[0].shape = " + tf_shape_str(values[0].shape()) + " != values[" + std::to_string(i) +
           "].shape = " + tf_shape_str(values[i].shape()));
  int axis = python_axis(a.integer("axis"), values[0].rank() + 1);
  std::vector<Tensor> expanded;
  for (const Tensor& t : values) expanded.push_back(ops::expand_dims(t, axis));
  return Value::of(ops::concat(expanded, axis));
}

Value eval_unstack(CallArgs& a) {
  Tensor x = a.tensor("value");
  if (x.rank() == 0) fail("Input shape axis 0 must equal " + std::string(a.is_none("num") ? "?" : std::to_string(a.integer("num"))) +
                          ", got shape []");
  int axis = python_axis(a.integer("axis"), x.rank());
  std::int64_t count = x.shape()[static_cast<std::size_t>(axis)];
  if (!a.is_none("num") && a.integer("num") != count)
    fail("Input shape axis " + std::to_string(axis) + " must equal " + std::to_string(a.integer("num")) + ", got shape " +
         tf_shape_str(x.shape()));
  Shape row = x.shape();
  row.erase(row.begin() + axis);
  std::vector<Tensor> parts;
  for (std::int64_t i = 0; i < count; ++i) {
    std::vector<kernels::SliceAxis> grid;
    for (int k = 0; k < x.rank(); ++k)
      grid.push_back(k == axis ? kernels::SliceAxis{i, 1, 1} : kernels::SliceAxis{0, 1, x.shape()[static_cast<std::size_t>(k)]});
    parts.push_back(ops::strided_slice(x, grid, row));
  }
  return tensors_value(parts);
}

Value eval_split(CallArgs& a) {
  Tensor x = a.tensor("value");
  int axis = normalized_axis(a.integer("axis"), std::max(x.rank(), 1), "axis");
  if (x.rank() == 0) fail("split(): cannot split a 0-d tensor");
  const std::int64_t length = x.shape()[static_cast<std::size_t>(axis)];
  std::vector<std::int64_t> sizes;
  const Value& how = a["num_or_size_splits"];
  if (how.kind == ValueKind::kInt || (how.kind == ValueKind::kTensor && how.tensor.rank() == 0)) {
    std::int64_t ways = a.integer("num_or_size_splits");
    if (ways <= 0 || length % ways != 0)
      fail("Number of ways to split should evenly divide the split dimension, but got split_dim " + std::to_string(axis) +
           " (size = " + std::to_string(length) + ") and num_split " + std::to_string(ways));
    sizes.assign(static_cast<std::size_t>(ways), length / ways);
  } else {
    sizes = integers(a, "num_or_size_splits");
    std::int64_t known = 0;
    int unknown = -1;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == -1 && unknown < 0) unknown = static_cast<int>(i);
      else known += sizes[i];
    }
    if (unknown >= 0 && known <= length) sizes[static_cast<std::size_t>(unknown)] = length - known;
    std::int64_t total = 0;
    for (std::int64_t size : sizes) total += size;
    if (total != length || std::any_of(sizes.begin(), sizes.end(), [](std::int64_t s) { return s < 0; }))
      fail("Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size "
           "of the input along split_dim if not fully specified.  Got: " + std::to_string(known));
  }
  std::vector<Tensor> parts;
  std::int64_t offset = 0;
  for (std::int64_t size : sizes) {
    std::vector<std::int64_t> begin(x.shape().size(), 0), extent(x.shape().begin(), x.shape().end());
    begin[static_cast<std::size_t>(axis)] = offset;
    extent[static_cast<std::size_t>(axis)] = size;
    parts.push_back(ops::slice(x, begin, extent));
    offset += size;
  }
  return tensors_value(parts);
}

Value eval_tile(CallArgs& a) {
  Tensor x = a.tensor("input");
  std::vector<std::int64_t> multiples = integers(a, "multiples");
  if (static_cast<int>(multiples.size()) != x.rank())
    fail("Expected multiples argument to be a vector of length " + std::to_string(x.rank()) + " but got length " +
         std::to_string(multiples.size()));
  for (std::size_t i = 0; i < multiples.size(); ++i)
    if (multiples[i] < 0) fail("Expected multiples[" + std::to_string(i) + "] >= 0, but got " + std::to_string(multiples[i]));
  return Value::of(ops::tile(x, multiples));
}

/// REFLECT (edge not repeated) and SYMMETRIC (edge repeated) padding as slices and concat per axis.
Tensor mirror_pad(Tensor x, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings, bool symmetric) {
  const std::int64_t offset = symmetric ? 0 : 1;
  for (std::size_t axis = 0; axis < paddings.size(); ++axis) {
    auto [before, after] = paddings[axis];
    std::int64_t length = x.shape()[axis];
    if (symmetric && (before > length || after > length))
      fail("paddings must be no greater than the dimension size: " + std::to_string(before) + ", " + std::to_string(after) +
           " greater than " + std::to_string(length));
    if (!symmetric && (before >= length || after >= length))
      fail("paddings must be less than the dimension size: " + std::to_string(before) + ", " + std::to_string(after) +
           " not less than " + std::to_string(length));
    if (before == 0 && after == 0) continue;
    auto reversed_run = [&](std::int64_t start, std::int64_t count) {
      std::vector<std::int64_t> begin(x.shape().size(), 0), size(x.shape().begin(), x.shape().end());
      begin[axis] = start;
      size[axis] = count;
      return ops::reverse(ops::slice(x, begin, size), {static_cast<int>(axis)});
    };
    std::vector<Tensor> pieces;
    if (before > 0) pieces.push_back(reversed_run(offset, before));
    pieces.push_back(x);
    if (after > 0) pieces.push_back(reversed_run(length - offset - after, after));
    x = ops::concat(pieces, static_cast<int>(axis));
  }
  return x;
}

Value eval_pad(CallArgs& a) {
  Tensor x = a.tensor("tensor");
  std::vector<std::int64_t> flat = integers(a, "paddings");
  if (static_cast<int>(flat.size()) != 2 * x.rank())
    fail("The first dimension of paddings must be the rank of inputs" + tf_shape_str({static_cast<std::int64_t>(flat.size() / 2), 2}) +
         " " + tf_shape_str(x.shape()));
  std::vector<std::pair<std::int64_t, std::int64_t>> paddings;
  for (std::size_t i = 0; i < flat.size(); i += 2) {
    if (flat[i] < 0 || flat[i + 1] < 0) fail("Paddings must be non-negative: " + std::to_string(flat[i]) + " " + std::to_string(flat[i + 1]));
    paddings.emplace_back(flat[i], flat[i + 1]);
  }
  std::string mode = a.string("mode");
  for (char& ch : mode) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (mode == "REFLECT" || mode == "SYMMETRIC") return Value::of(mirror_pad(x, paddings, mode == "SYMMETRIC"));
  if (mode != "CONSTANT") fail("Value of argument `mode` expected to be one of \"CONSTANT\", \"REFLECT\", or \"SYMMETRIC\". Received `mode` = " + a.string("mode"));
  Tensor constant = a.tensor("constant_values", x.dtype());
  if (constant.dtype() != x.dtype()) constant = ops::cast(constant, x.dtype());
  if (constant.rank() != 0) fail("constant_values must be a scalar. Got: " + tf_shape_str(constant.shape()));
  return Value::of(ops::pad(x, paddings, constant));
}

Value eval_gather(CallArgs& a) {
  Tensor params = a.tensor("params");
  Tensor indices = a.tensor("indices");
  std::int64_t batch_dims = a.integer("batch_dims");
  if (batch_dims < 0) batch_dims += indices.rank();
  if (batch_dims < 0 || batch_dims > indices.rank())
    fail("Expected batch_dims in the range [" + std::to_string(-indices.rank()) + ", " + std::to_string(indices.rank()) + "], but got " +
         std::to_string(a.integer("batch_dims")));
  std::int64_t axis = a.is_none("axis") ? batch_dims : a.integer("axis");
  int normalised = normalized_axis(axis, std::max(params.rank(), 1), "axis");
  if (params.rank() == 0) fail("params must be at least 1 dimensional");
  if (normalised < batch_dims) fail("batch_dims (" + std::to_string(batch_dims) + ") must be less than or equal to axis (" + std::to_string(axis) + ").");
  for (std::int64_t i = 0; i < batch_dims; ++i)
    if (params.shape()[static_cast<std::size_t>(i)] != indices.shape()[static_cast<std::size_t>(i)])
      fail("params.shape[" + std::to_string(i) + "]: " + std::to_string(params.shape()[static_cast<std::size_t>(i)]) +
           " should be equal to indices.shape[" + std::to_string(i) + "]: " + std::to_string(indices.shape()[static_cast<std::size_t>(i)]));
  return Value::of(ops::gather(params, indices, normalised, static_cast<int>(batch_dims)));
}

// params reshaped to [prod(leading K axes), rest...] and gathered at the row-major offsets of
// the index tuples, so the gradient is gather's (duplicates summed). With batch_dims = B the
// index tuples address params[b1..bB] (TF's batch_gather_nd): the leading B axes join the
// flattened ones and each offset is shifted by its batch position, one gather as before.
Value eval_gather_nd(CallArgs& a) {
  Tensor params = a.tensor("params");
  Tensor indices = a.tensor("indices");
  std::int64_t batch_dims = a.integer("batch_dims");
  if (batch_dims < 0) fail("tf.gather_nd does not allow negative batch_dims.");
  if (batch_dims > 0 && batch_dims >= indices.rank())
    fail("Argument `batch_dims` = " + std::to_string(batch_dims) + " must be less than rank(`indices`) = " + std::to_string(indices.rank()));
  if (batch_dims > 0 && batch_dims >= params.rank())
    fail("Argument `batch_dims` = " + std::to_string(batch_dims) + " must be less than rank(`params`) = " + std::to_string(params.rank()));
  const std::size_t nb = static_cast<std::size_t>(batch_dims);
  for (std::size_t i = 0; i < nb; ++i)
    if (params.shape()[i] != indices.shape()[i])
      fail("gather_nd: batch dimension " + std::to_string(i) + " of params " + tf_shape_str(params.shape()) + " and indices " +
           tf_shape_str(indices.shape()) + " differ");
  Shape inner(params.shape().begin() + static_cast<std::ptrdiff_t>(nb), params.shape().end());
  Tensor offsets = kernels::gather_nd_offsets(indices, inner);
  std::size_t k = static_cast<std::size_t>(indices.shape().back());
  std::int64_t block = 1;  // elements of params[b1..bB] addressed by one index tuple's axes
  for (std::size_t i = 0; i < k; ++i) block *= inner[i];
  Shape flat{block};
  for (std::size_t i = 0; i < nb; ++i) flat[0] *= params.shape()[i];
  flat.insert(flat.end(), inner.begin() + static_cast<std::ptrdiff_t>(k), inner.end());
  if (nb > 0) {
    std::int64_t per_batch = 1;  // index tuples in one batch entry
    for (std::size_t i = nb; i + 1 < indices.shape().size(); ++i) per_batch *= indices.shape()[i];
    auto* off = offsets.mutable_data<std::int64_t>();
    for (std::int64_t e = 0; e < offsets.size(); ++e) off[e] += (e / std::max<std::int64_t>(per_batch, 1)) * block;
  }
  return Value::of(ops::gather(ops::reshape(params, flat), offsets, 0, 0));
}

/// begin and size resolved against shape (size -1: to the end), with TF's Slice errors.
Value eval_slice(CallArgs& a) {
  Tensor x = a.tensor("input_");
  std::vector<std::int64_t> begin = integers(a, "begin");
  std::vector<std::int64_t> size = integers(a, "size");
  if (static_cast<int>(begin.size()) != x.rank() || static_cast<int>(size.size()) != x.rank())
    fail("Expected begin and size arguments to be 1-D tensors of size " + std::to_string(x.rank()) + ", but got shapes [" +
         std::to_string(begin.size()) + "] and [" + std::to_string(size.size()) + "] instead.");
  for (std::size_t i = 0; i < begin.size(); ++i) {
    std::int64_t length = x.shape()[i];
    if (size[i] == -1) size[i] = length - begin[i];
    if (begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > length)
      fail("Expected size[" + std::to_string(i) + "] in [0, " + std::to_string(std::max<std::int64_t>(0, length - begin[i])) +
           "], but got " + std::to_string(size[i]));
  }
  return Value::of(ops::slice(x, begin, size));
}

/// Python's slice.indices(length) for one axis: clamped start, step and count.
kernels::SliceAxis clamp_slice(std::int64_t length, std::optional<std::int64_t> start, std::optional<std::int64_t> stop, std::int64_t step) {
  std::int64_t lower = step < 0 ? -1 : 0;
  std::int64_t upper = step < 0 ? length - 1 : length;
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t fallback) {
    if (!v) return fallback;
    return std::clamp(*v < 0 ? *v + length : *v, lower, upper);
  };
  std::int64_t begin = clamp(start, step < 0 ? upper : lower);
  std::int64_t end = clamp(stop, step < 0 ? lower : upper);
  std::int64_t count = 0;
  if (step > 0 && end > begin) count = (end - begin + step - 1) / step;
  if (step < 0 && begin > end) count = (begin - end - step - 1) / -step;
  return {begin, step, count};
}

// TF's StridedSlice with its masks: bit i of a mask refers to entry i of begin/end/strides.
Value eval_strided_slice(CallArgs& a) {
  Tensor x = a.tensor("input_");
  std::vector<std::int64_t> begin = integers(a, "begin");
  std::vector<std::int64_t> end = integers(a, "end");
  std::vector<std::int64_t> strides = a.is_none("strides") ? std::vector<std::int64_t>(begin.size(), 1) : integers(a, "strides");
  if (end.size() != begin.size() || strides.size() != begin.size())
    fail("Expected begin, end, and strides to be 1D equal size tensors, but got shapes [" + std::to_string(begin.size()) + "], [" +
         std::to_string(end.size()) + "], and [" + std::to_string(strides.size()) + "] instead.");
  auto bit = [&](const char* mask, std::size_t i) { return ((a.integer(mask) >> i) & 1) != 0; };
  std::size_t consuming = 0;
  bool ellipsis = false;
  for (std::size_t i = 0; i < begin.size(); ++i) {
    if (bit("ellipsis_mask", i)) {
      if (ellipsis) fail("Multiple ellipses in slice spec not allowed");
      ellipsis = true;
    } else if (!bit("new_axis_mask", i)) {
      ++consuming;
    }
  }
  if (consuming > static_cast<std::size_t>(x.rank()))
    fail("Index out of range using input dim " + std::to_string(x.rank()) + "; input has only " + std::to_string(x.rank()) + " dims");
  std::vector<kernels::SliceAxis> grid;
  Shape result;
  std::size_t axis = 0;
  auto full_axis = [&]() {
    std::int64_t length = x.shape()[axis++];
    grid.push_back({0, 1, length});
    result.push_back(length);
  };
  for (std::size_t i = 0; i < begin.size(); ++i) {
    if (bit("ellipsis_mask", i)) {
      for (std::size_t k = 0, span = static_cast<std::size_t>(x.rank()) - consuming; k < span; ++k) full_axis();
    } else if (bit("new_axis_mask", i)) {
      result.push_back(1);
    } else if (bit("shrink_axis_mask", i)) {
      std::int64_t length = x.shape()[axis];
      std::int64_t index = begin[i];
      if (index < -length || index >= length)
        fail("slice index " + std::to_string(index) + " of dimension " + std::to_string(axis) + " out of bounds.");
      grid.push_back({index < 0 ? index + length : index, 1, 1});
      ++axis;
    } else {
      if (strides[i] == 0) fail("strides[" + std::to_string(i) + "] must be non-zero");
      std::optional<std::int64_t> start, stop;
      if (!bit("begin_mask", i)) start = begin[i];
      if (!bit("end_mask", i)) stop = end[i];
      kernels::SliceAxis slice = clamp_slice(x.shape()[axis++], start, stop, strides[i]);
      grid.push_back(slice);
      result.push_back(slice.count);
    }
  }
  while (axis < static_cast<std::size_t>(x.rank())) full_axis();
  return Value::of(ops::strided_slice(x, grid, result));
}

Value eval_reverse(CallArgs& a) {
  Tensor x = a.tensor("tensor");
  std::vector<int> axes;
  for (std::int64_t axis : integers(a, "axis")) {
    if (axis < -x.rank() || axis >= x.rank())
      // TF's ReverseV2 text, whose range has no closing bracket.
      fail("'axis'[" + std::to_string(axes.size()) + "] = " + std::to_string(axis) + " is out of valid range [0, " +
           std::to_string(x.rank() - 1));
    int normalised = static_cast<int>(axis < 0 ? axis + x.rank() : axis);
    if (std::find(axes.begin(), axes.end(), normalised) != axes.end())
      fail("axis " + std::to_string(normalised) + " specified more than once.");
    axes.push_back(normalised);
  }
  return Value::of(ops::reverse(x, axes));
}

// TF infers the dtype from on_value, then off_value, else float32; the values default to 1 and 0.
Value eval_one_hot(CallArgs& a) {
  Tensor indices = a.tensor("indices");
  std::optional<DType> dtype = a.dtype("dtype");
  for (const char* param : {"on_value", "off_value"})
    if (!dtype && !a.is_none(param) && !a[param].is_python_number()) dtype = a.tensor(param).dtype();
  if (!dtype)
    for (const char* param : {"on_value", "off_value"})
      if (!dtype && !a.is_none(param)) dtype = a.tensor(param).dtype();
  DType out = dtype.value_or(DType::kFloat32);
  auto value = [&](const char* param, double fallback) {
    Tensor t = a.is_none(param) ? Tensor::scalar(out, fallback) : a.tensor(param, out);
    if (t.dtype() != out)
      fail("one_hot(): " + std::string(param) + " dtype " + std::string(dtype_name(t.dtype())) + " is not the expected dtype " +
           std::string(dtype_name(out)));
    return t;
  };
  Tensor on = value("on_value", 1.0);
  Tensor off = value("off_value", 0.0);
  std::int64_t axis = a.is_none("axis") ? -1 : a.integer("axis");
  if (axis < -1 || axis > indices.rank()) fail("Expected axis to be -1 or between [0, " + std::to_string(indices.rank() + 1) + ").  But received: " + std::to_string(axis));
  int normalised = static_cast<int>(axis == -1 ? indices.rank() : axis);
  return Value::of(kernels::one_hot(indices, a.integer("depth"), on, off, normalised));
}

Value eval_einsum(CallArgs& a) {
  std::vector<Tensor> inputs = tensor_list(a, "inputs");
  if (inputs.empty()) fail("einsum(): at least one operand is required");
  return Value::of(ops::einsum(a.string("equation"), inputs));
}

// a's free axes then its contracted ones, b's contracted then free, one matmul, and the free
// shapes back                                                           (TF: math_ops.tensordot)
Value eval_tensordot(CallArgs& a) {
  auto [x, y] = a.tensor_pair("a", "b");
  std::vector<std::int64_t> x_axes, y_axes;
  const Value& axes = a["axes"];
  if (axes.kind == ValueKind::kInt || (axes.kind == ValueKind::kTensor && axes.tensor.rank() == 0)) {
    std::int64_t n = a.integer("axes");
    if (n < 0) fail("'axes' must be at least 0.");
    if (n > x.rank() || n > y.rank()) fail("'axes' must not be larger than the number of dimensions of tensor " + tf_shape_str(n > x.rank() ? x.shape() : y.shape()) + ".");
    for (std::int64_t i = 0; i < n; ++i) {
      x_axes.push_back(x.rank() - n + i);
      y_axes.push_back(i);
    }
  } else {
    if (!axes.is_sequence() || axes.items.size() != 2) fail("'axes' must be an integer or have length 2.");
    auto read = [&](const Value& v) {
      std::vector<std::int64_t> out;
      Tensor t = to_tensor(v, std::nullopt, "tensordot");
      for (std::int64_t i = 0; i < t.size(); ++i) out.push_back(static_cast<std::int64_t>(t.element_as_double(i)));
      return out;
    };
    x_axes = read(axes.items[0]);
    y_axes = read(axes.items[1]);
    if (x_axes.size() != y_axes.size())
      fail("Different number of contraction axes 'a' and 'b', " + std::to_string(x_axes.size()) + " != " + std::to_string(y_axes.size()) + ".");
  }
  auto arrange = [](const Tensor& t, std::vector<std::int64_t> contracted, bool contracted_first, Shape& free_shape) {
    std::vector<int> free, summed;
    for (std::int64_t& axis : contracted) {
      if (axis < -t.rank() || axis >= t.rank()) fail("tensordot: axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(t.rank()));
      summed.push_back(static_cast<int>(axis < 0 ? axis + t.rank() : axis));
    }
    for (int i = 0; i < t.rank(); ++i)
      if (std::find(summed.begin(), summed.end(), i) == summed.end()) free.push_back(i);
    std::int64_t free_size = 1, summed_size = 1;
    for (int i : free) {
      free_shape.push_back(t.shape()[static_cast<std::size_t>(i)]);
      free_size *= t.shape()[static_cast<std::size_t>(i)];
    }
    for (int i : summed) summed_size *= t.shape()[static_cast<std::size_t>(i)];
    std::vector<int> perm = contracted_first ? summed : free;
    const std::vector<int>& rest = contracted_first ? free : summed;
    perm.insert(perm.end(), rest.begin(), rest.end());
    bool identity = true;
    for (std::size_t i = 0; i < perm.size(); ++i) identity = identity && perm[i] == static_cast<int>(i);
    Tensor moved = identity ? t : ops::transpose(t, perm);
    return ops::reshape(moved, contracted_first ? Shape{summed_size, free_size} : Shape{free_size, summed_size});
  };
  Shape x_free, y_free;
  Tensor product = ops::matmul(arrange(x, x_axes, false, x_free), arrange(y, y_axes, true, y_free), false, false);
  Shape shape = x_free;
  shape.insert(shape.end(), y_free.begin(), y_free.end());
  return Value::of(ops::reshape(product, shape));
}

// The mask's axes collapsed into one and gathered at the true positions     (TF: array_ops.boolean_mask)
Value eval_boolean_mask(CallArgs& a) {
  Tensor x = a.tensor("tensor");
  Tensor mask = a.tensor("mask");
  if (mask.rank() == 0) fail("mask cannot be scalar.");
  std::int64_t axis = a.is_none("axis") ? 0 : a.integer("axis");
  if (axis < 0) axis += x.rank();
  std::size_t first = static_cast<std::size_t>(axis);
  bool compatible = axis >= 0 && first + mask.shape().size() <= x.shape().size();
  for (std::size_t i = 0; compatible && i < mask.shape().size(); ++i) compatible = x.shape()[first + i] == mask.shape()[i];
  if (!compatible) {
    Shape part(x.shape().begin() + static_cast<std::ptrdiff_t>(std::min(first, x.shape().size())),
               x.shape().begin() + static_cast<std::ptrdiff_t>(std::min(first + mask.shape().size(), x.shape().size())));
    fail("Shapes " + shape_str(part) + " and " + shape_str(mask.shape()) + " are incompatible");
  }
  Shape collapsed(x.shape().begin(), x.shape().begin() + static_cast<std::ptrdiff_t>(first));
  collapsed.push_back(shape_size(mask.shape()));
  collapsed.insert(collapsed.end(), x.shape().begin() + static_cast<std::ptrdiff_t>(first + mask.shape().size()), x.shape().end());
  return Value::of(ops::gather(ops::reshape(x, collapsed), kernels::true_positions(mask), static_cast<int>(first), 0));
}

// ---- unique ----------------------------------------------------------------------------------

/// An int32 or int64 vector (TF's out_idx) of `values`.
Tensor index_vector(const std::vector<std::int64_t>& values, DType dtype) {
  Tensor t = Tensor::allocate(dtype, {static_cast<std::int64_t>(values.size())});
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::kInt32) t.mutable_data<std::int32_t>()[i] = static_cast<std::int32_t>(values[i]);
    else t.mutable_data<std::int64_t>()[i] = values[i];
  }
  return t;
}

template <bool kCounts>
Value eval_unique(CallArgs& a) {
  Tensor x = a.tensor("x");
  DType out_idx = a.dtype("out_idx").value_or(DType::kInt32);
  if (out_idx != DType::kInt32 && out_idx != DType::kInt64)
    fail(a.op_name() + "(): out_idx must be int32 or int64, got " + std::string(dtype_name(out_idx)));
  kernels::UniqueIndices u = kernels::unique_indices(x);
  // y: the first occurrences, gathered directly (Unique has no gradient in TF, so nothing is
  // recorded and a gradient through y is None).
  Tensor first = index_vector(u.first, DType::kInt64);
  Tensor y = x.dtype() == DType::kString ? ops::strings_at(x, first) : kernels::gather(x, first, 0, 0);
  std::vector<Value> items{Value::of(y), Value::of(index_vector(u.index, out_idx))};
  if constexpr (kCounts) {
    items.push_back(Value::of(index_vector(u.count, out_idx)));
    return Value::named_tuple("UniqueWithCounts", {"y", "idx", "count"}, std::move(items));
  } else {
    return Value::named_tuple("Unique", {"y", "idx"}, std::move(items));
  }
}

const std::vector<OpDef> kRows = {
    {"expand_dims", "", MemberKind::kOp, "expand_dims(input, axis, name=None)",
     "Inserts a dimension of length 1 at index axis of input's shape.", "expand_dims([1.0, 2.0], 1)", eval_expand_dims},
    {"squeeze", "", MemberKind::kOp, "squeeze(input, axis=None, name=None)",
     "Removes dimensions of size 1 from the shape (all of them, or those listed in axis).", "squeeze([[1.0], [2.0]])", eval_squeeze},
    {"concat", "", MemberKind::kOp, "concat(values, axis, name='concat')",
     "Concatenates a list of tensors along one dimension; each gets back its own slice of the gradient.",
     "concat([[[1.0, 2.0]], [[3.0, 4.0]]], 0)", eval_concat},
    {"stack", "", MemberKind::kOp, "stack(values, axis=0, name='stack')",
     "Stacks a list of equally shaped tensors into one tensor of rank one higher along a new axis.",
     "stack([[1.0, 2.0], [3.0, 4.0]], axis=1)", eval_stack},
    {"unstack", "", MemberKind::kOp, "unstack(value, num=None, axis=0, name='unstack')",
     "Unpacks a tensor along axis into a Python list of tensors of rank one lower.", "unstack([[1.0, 2.0], [3.0, 4.0]])", eval_unstack},
    {"split", "", MemberKind::kOp, "split(value, num_or_size_splits, axis=0, num=None, name='split')",
     "Splits a tensor along axis into a list of equal parts (an int) or parts of the given sizes (a list, one entry may be -1).",
     "split([1.0, 2.0, 3.0, 4.0, 5.0], [2, -1])", eval_split},
    {"tile", "", MemberKind::kOp, "tile(input, multiples, name=None)",
     "Repeats input multiples[i] times along axis i; the gradient sums the copies.", "tile([[1.0, 2.0]], [2, 2])", eval_tile},
    {"pad", "", MemberKind::kOp, "pad(tensor, paddings, mode='CONSTANT', constant_values=0, name=None)",
     "Pads a tensor by paddings[i] = [before, after] along axis i with a constant, or by mirroring (REFLECT, SYMMETRIC).",
     "pad([[1.0, 2.0]], [[1, 0], [0, 2]])", eval_pad},
    {"gather", "", MemberKind::kOp, "gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None)",
     "Gathers slices of params along axis at indices. The gradient is dense: slices taken more than once get the sum of their "
     "gradients (TF hands back IndexedSlices, which convert to the same values).",
     "gather([10.0, 20.0, 30.0], [2, 0, 2])", eval_gather},
    {"gather_nd", "", MemberKind::kOp, "gather_nd(params, indices, batch_dims=0, name=None)",
     "Gathers slices of params at index tuples: the last axis of indices indexes params' leading axes (after batch_dims shared leading axes).",
     "gather_nd([[1.0, 2.0], [3.0, 4.0]], [[1, 0], [0, 1]])", eval_gather_nd},
    {"slice", "", MemberKind::kOp, "slice(input_, begin, size, name=None)",
     "Extracts the block starting at begin with the given size (-1: to the end of the axis).",
     "slice([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [0, 1], [2, -1])", eval_slice},
    {"strided_slice", "", MemberKind::kOp,
     "strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0, "
     "shrink_axis_mask=0, var=None, name=None)",
     "Extracts a strided slice (what x[begin:end:stride] indexing does), with TF's bit masks per entry.",
     "strided_slice([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [0, 2], [2, 0], [1, -1])", eval_strided_slice},
    {"reverse", "", MemberKind::kOp, "reverse(tensor, axis, name=None)", "Reverses the given axes of a tensor.",
     "reverse([[1.0, 2.0], [3.0, 4.0]], [1])", eval_reverse},
    {"one_hot", "", MemberKind::kOp, "one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None)",
     "A one-hot tensor: on_value where the index matches the position along the new axis, off_value elsewhere.",
     "one_hot([0, 2], 3)", eval_one_hot},
    {"einsum", "linalg.einsum", MemberKind::kOp, "einsum(equation, *inputs, name=None)",
     "Tensor contraction over subscripts ('ij,jk->ik', traces 'ii', sums, transposes, '...' batches); the gradient of each "
     "operand is an einsum of the gradient with the others.",
     "einsum('ij,jk->ik', [[1.0, 2.0]], [[3.0], [4.0]])", eval_einsum},
    {"tensordot", "linalg.tensordot", MemberKind::kOp, "tensordot(a, b, axes, name=None)",
     "Contracts a and b over the given axes (an int n: a's last n with b's first n; or two lists).",
     "tensordot([[1.0, 2.0], [3.0, 4.0]], [[1.0], [1.0]], 1)", eval_tensordot},
    {"boolean_mask", "", MemberKind::kOp, "boolean_mask(tensor, mask, axis=None, name='boolean_mask')",
     "Keeps the entries (or slices from axis on) where mask is True, flattened along the mask's axes.",
     "boolean_mask([1.0, 2.0, 3.0], [True, False, True])", eval_boolean_mask},
    {"unique", "", MemberKind::kOp, "unique(x, out_idx=int32, name=None)",
     "The distinct elements of a 1-D tensor in order of first appearance, as the namedtuple Unique(y, idx) with "
     "y[idx[i]] == x[i]; 0.0 and -0.0 are one value and every NaN is its own. Not differentiable: TF registers no "
     "gradient for Unique, so a gradient through y is None.",
     "unique([1, 1, 2, 4, 4, 4, 7, 8, 8])", eval_unique<false>},
    {"unique_with_counts", "", MemberKind::kOp, "unique_with_counts(x, out_idx=int32, name=None)",
     "Like unique, and also how often each distinct element occurs: the namedtuple UniqueWithCounts(y, idx, count). "
     "Not differentiable.",
     "unique_with_counts([1, 1, 2, 4, 4, 4, 7, 8, 8])", eval_unique<true>},
};

}  // namespace

const std::vector<OpDef>& array_manipulation_ops() { return kRows; }

}  // namespace ag
