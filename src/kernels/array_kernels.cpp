// Data movement with indices: concat, gather and its adjoint (a scatter that adds), gather_nd's
// offsets, one_hot, and the diagonal and band kernels of tf.linalg. Copies move raw elements
// (any dtype); only the scatter adds, in each dtype's own arithmetic.
#include <algorithm>
#include <cstring>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"

namespace ag::kernels {
namespace {

std::int64_t product(const Shape& shape, std::size_t from, std::size_t to) {
  std::int64_t n = 1;
  for (std::size_t i = from; i < to; ++i) n *= shape[i];
  return n;
}

/// The elements of an int32/int64 tensor as int64.
std::vector<std::int64_t> index_values(const Tensor& indices, const char* op) {
  if (indices.dtype() != DType::kInt32 && indices.dtype() != DType::kInt64)
    throw UserError(ExitCode::kEval, std::string(op) + ": indices must be int32 or int64, got " + std::string(dtype_name(indices.dtype())));
  std::vector<std::int64_t> values(static_cast<std::size_t>(indices.size()));
  for (std::int64_t i = 0; i < indices.size(); ++i)
    values[static_cast<std::size_t>(i)] =
        indices.dtype() == DType::kInt32 ? indices.data<std::int32_t>()[i] : indices.data<std::int64_t>()[i];
  return values;
}

/// TF's SliceDebugString: "" for rank 0, "[i]" for rank 1, "[i,j,...]" otherwise.
std::string slice_debug_string(const Shape& shape, std::int64_t flat) {
  if (shape.empty()) return "";
  std::vector<std::int64_t> index(shape.size());
  for (std::size_t i = shape.size(); i-- > 0;) {
    index[i] = shape[i] == 0 ? 0 : flat % shape[i];
    flat = shape[i] == 0 ? 0 : flat / shape[i];
  }
  std::string text = "[";
  for (std::size_t i = 0; i < index.size(); ++i) text += (i ? "," : "") + std::to_string(index[i]);
  return text + "]";
}

std::size_t element_bytes(const Tensor& x, const char* op) {
  std::size_t bytes = storage_element_size(x.dtype());
  if (bytes == 0) throw UserError(ExitCode::kEval, std::string(op) + ": dtype " + std::string(dtype_name(x.dtype())) + " is not supported");
  return bytes;
}

/// The geometry shared by gather and its scatter: batch x pre x [n or m] x post blocks.
struct GatherGeometry {
  std::int64_t batch = 1, pre = 1, n = 0, post = 1, m = 1;
};

GatherGeometry gather_geometry(const Shape& params, const Shape& indices, int axis, int batch_dims) {
  GatherGeometry g;
  std::size_t a = static_cast<std::size_t>(axis);
  std::size_t b = static_cast<std::size_t>(batch_dims);
  g.batch = product(params, 0, b);
  g.pre = product(params, b, a);
  g.n = params[a];
  g.post = product(params, a + 1, params.size());
  g.m = product(indices, b, indices.size());
  return g;
}

void check_gather_index(std::int64_t index, std::int64_t limit, const Tensor& indices, std::int64_t flat) {
  if (index < 0 || index >= limit)
    throw UserError(ExitCode::kEval, "indices" + slice_debug_string(indices.shape(), flat) + " = " + std::to_string(index) +
                                         " is not in [0, " + std::to_string(limit) + ")");
}

}  // namespace

Tensor concat(const std::vector<Tensor>& inputs, int axis) {
  if (inputs.empty()) throw UserError(ExitCode::kEval, "ConcatOp : Expected at least one input");
  const Tensor& first = inputs[0];
  const std::size_t a = static_cast<std::size_t>(axis);
  Shape shape = first.shape();
  std::int64_t total = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& in = inputs[i];
    if (in.rank() != first.rank())
      throw UserError(ExitCode::kEval, "ConcatOp : Ranks of all input tensors should match: shape[0] = " + tf_shape_str(first.shape()) +
                                           " vs. shape[" + std::to_string(i) + "] = " + tf_shape_str(in.shape()));
    for (std::size_t j = 0; j < shape.size(); ++j) {
      if (j == a || in.shape()[j] == shape[j]) continue;
      throw UserError(ExitCode::kEval, "ConcatOp : Dimension " + std::to_string(j) + " in both shapes must be equal: shape[0] = " +
                                           tf_shape_str(first.shape()) + " vs. shape[" + std::to_string(i) +
                                           "] = " + tf_shape_str(in.shape()));
    }
    require_same_dtype("concat", first.dtype(), in.dtype());
    total += in.shape()[a];
  }
  shape[a] = total;
  Tensor out = Tensor::allocate(first.dtype(), shape);
  const std::size_t bytes = element_bytes(first, "concat");
  const std::int64_t outer = product(shape, 0, a);
  const std::int64_t inner = product(shape, a + 1, shape.size());
  auto* to = static_cast<char*>(out.raw_mutable());
  std::int64_t row = total * inner;  // elements of one outer block of the output
  std::int64_t offset = 0;
  for (const Tensor& in : inputs) {
    std::int64_t block = in.shape()[a] * inner;
    const auto* from = static_cast<const char*>(in.raw());
    for (std::int64_t o = 0; o < outer; ++o)
      std::memcpy(to + (o * row + offset) * bytes, from + o * block * bytes, static_cast<std::size_t>(block) * bytes);
    offset += block;
  }
  return out;
}

Tensor gather(const Tensor& params, const Tensor& indices, int axis, int batch_dims) {
  std::vector<std::int64_t> index = index_values(indices, "gather");
  GatherGeometry g = gather_geometry(params.shape(), indices.shape(), axis, batch_dims);
  Shape shape(params.shape().begin(), params.shape().begin() + axis);
  shape.insert(shape.end(), indices.shape().begin() + batch_dims, indices.shape().end());
  shape.insert(shape.end(), params.shape().begin() + axis + 1, params.shape().end());
  Tensor out = Tensor::allocate(params.dtype(), shape);
  const std::size_t bytes = element_bytes(params, "gather");
  const auto* from = static_cast<const char*>(params.raw());
  auto* to = static_cast<char*>(out.raw_mutable());
  const std::size_t slice = static_cast<std::size_t>(g.post) * bytes;
  for (std::int64_t b = 0; b < g.batch; ++b)
    for (std::int64_t i = 0; i < g.m; ++i) check_gather_index(index[static_cast<std::size_t>(b * g.m + i)], g.n, indices, b * g.m + i);
  for (std::int64_t b = 0; b < g.batch; ++b)
    for (std::int64_t p = 0; p < g.pre; ++p)
      for (std::int64_t i = 0; i < g.m; ++i) {
        std::int64_t k = index[static_cast<std::size_t>(b * g.m + i)];
        std::memcpy(to + (((b * g.pre + p) * g.m + i) * g.post) * bytes, from + (((b * g.pre + p) * g.n + k) * g.post) * bytes, slice);
      }
  return out;
}

Tensor gather_scatter_add(const Tensor& updates, const Tensor& indices, int axis, int batch_dims, const Shape& params_shape) {
  require_dtype("gather gradient", updates.dtype(), kNumberSet);
  std::vector<std::int64_t> index = index_values(indices, "gather");
  GatherGeometry g = gather_geometry(params_shape, indices.shape(), axis, batch_dims);
  if (updates.size() != g.batch * g.pre * g.m * g.post)
    throw UserError(ExitCode::kEval, "gather gradient: updates of shape " + tf_shape_str(updates.shape()) + " do not fit params " +
                                         tf_shape_str(params_shape) + " and indices " + tf_shape_str(indices.shape()));
  Tensor out = Tensor::allocate(updates.dtype(), params_shape);
  visit_dtype(updates.dtype(), [&](auto traits) {
    using Tr = decltype(traits);
    using S = typename Tr::Storage;
    using C = typename Tr::Compute;
    if constexpr (!is_bool_v<Tr>) {
      // Accumulate in the compute type (float for half types), then store once.
      std::vector<C> sums(static_cast<std::size_t>(out.size()), C(0));
      const S* from = updates.data<S>();
      for (std::int64_t b = 0; b < g.batch; ++b)
        for (std::int64_t p = 0; p < g.pre; ++p)
          for (std::int64_t i = 0; i < g.m; ++i) {
            std::int64_t k = index[static_cast<std::size_t>(b * g.m + i)];
            check_gather_index(k, g.n, indices, b * g.m + i);
            const S* src = from + ((b * g.pre + p) * g.m + i) * g.post;
            C* dst = sums.data() + ((b * g.pre + p) * g.n + k) * g.post;
            for (std::int64_t q = 0; q < g.post; ++q) {
              if constexpr (is_int_v<Tr>) dst[q] = wrap_add(dst[q], Tr::load(src[q]));
              else dst[q] = dst[q] + Tr::load(src[q]);
            }
          }
      S* to = out.mutable_data<S>();
      for (std::size_t i = 0; i < sums.size(); ++i) to[i] = Tr::store(sums[i]);
    }
  });
  return out;
}

Tensor gather_nd_offsets(const Tensor& indices, const Shape& params_shape) {
  std::vector<std::int64_t> index = index_values(indices, "gather_nd");
  if (indices.rank() < 1) throw UserError(ExitCode::kEval, "indices must be at least a vector, got shape " + tf_shape_str(indices.shape()));
  const std::int64_t k = indices.shape().back();
  if (k > static_cast<std::int64_t>(params_shape.size()))
    throw UserError(ExitCode::kEval, "index innermost dimension length must be <= params rank; saw: " + std::to_string(k) + " vs. " +
                                         std::to_string(params_shape.size()));
  Shape batch(indices.shape().begin(), indices.shape().end() - 1);
  Tensor out = Tensor::allocate(DType::kInt64, batch);
  const std::int64_t count = shape_size(batch);
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t offset = 0;
    bool inside = true;
    for (std::int64_t j = 0; j < k; ++j) {
      std::int64_t v = index[static_cast<std::size_t>(i * k + j)];
      inside = inside && v >= 0 && v < params_shape[static_cast<std::size_t>(j)];
      offset = offset * params_shape[static_cast<std::size_t>(j)] + v;
    }
    if (!inside) {
      std::string tuple;
      for (std::int64_t j = 0; j < k; ++j) tuple += (j ? ", " : "") + std::to_string(index[static_cast<std::size_t>(i * k + j)]);
      throw UserError(ExitCode::kEval, "indices" + slice_debug_string(batch, i) + " = [" + tuple + "] does not index into param shape " +
                                           tf_shape_str(params_shape) + ", node name: GatherNd");
    }
    out.mutable_data<std::int64_t>()[i] = offset;
  }
  return out;
}

Tensor true_positions(const Tensor& mask) {
  if (mask.dtype() != DType::kBool)
    throw UserError(ExitCode::kEval, "boolean_mask: mask must be a bool tensor, got " + std::string(dtype_name(mask.dtype())));
  std::vector<std::int64_t> positions;
  for (std::int64_t i = 0; i < mask.size(); ++i)
    if (mask.data<bool>()[i]) positions.push_back(i);
  Tensor out = Tensor::allocate(DType::kInt64, {static_cast<std::int64_t>(positions.size())});
  std::copy(positions.begin(), positions.end(), out.mutable_data<std::int64_t>());
  return out;
}

Tensor one_hot(const Tensor& indices, std::int64_t depth, const Tensor& on_value, const Tensor& off_value, int axis) {
  if (indices.dtype() != DType::kInt32 && indices.dtype() != DType::kInt64 && indices.dtype() != DType::kUInt8)
    throw UserError(ExitCode::kEval, "one_hot: indices must be uint8, int32 or int64, got " + std::string(dtype_name(indices.dtype())));
  if (depth < 0) throw UserError(ExitCode::kEval, "depth must be non-negative, got: " + std::to_string(depth));
  require_same_dtype("one_hot", on_value.dtype(), off_value.dtype());
  std::vector<std::int64_t> index(static_cast<std::size_t>(indices.size()));
  for (std::int64_t i = 0; i < indices.size(); ++i) index[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(indices.element_as_double(i));
  const std::size_t a = static_cast<std::size_t>(axis);
  Shape shape = indices.shape();
  shape.insert(shape.begin() + static_cast<std::ptrdiff_t>(a), depth);
  Tensor out = Tensor::allocate(on_value.dtype(), shape);
  const std::size_t bytes = element_bytes(on_value, "one_hot");
  const std::int64_t outer = product(indices.shape(), 0, a);
  const std::int64_t inner = product(indices.shape(), a, indices.shape().size());
  auto* to = static_cast<char*>(out.raw_mutable());
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t d = 0; d < depth; ++d)
      for (std::int64_t i = 0; i < inner; ++i) {
        bool on = index[static_cast<std::size_t>(o * inner + i)] == d;
        std::memcpy(to + ((o * depth + d) * inner + i) * bytes, on ? on_value.raw() : off_value.raw(), bytes);
      }
  return out;
}

Tensor eye(DType dtype, std::int64_t rows, std::int64_t columns, const Shape& batch_shape) {
  Shape shape = batch_shape;
  shape.push_back(rows);
  shape.push_back(columns);
  Tensor out = fill(dtype, shape, 0.0);
  Tensor one = fill(dtype, {}, 1.0);
  const std::size_t bytes = element_bytes(out, "eye");
  auto* to = static_cast<char*>(out.raw_mutable());
  for (std::int64_t b = 0; b < shape_size(batch_shape); ++b)
    for (std::int64_t i = 0; i < std::min(rows, columns); ++i) std::memcpy(to + ((b * rows + i) * columns + i) * bytes, one.raw(), bytes);
  return out;
}

Tensor matrix_diag(const Tensor& diagonal) {
  if (diagonal.rank() < 1)
    throw UserError(ExitCode::kEval, "diag: input must be at least 1-dim, received shape: " + tf_shape_str(diagonal.shape()));
  const std::int64_t k = diagonal.shape().back();
  Shape batch(diagonal.shape().begin(), diagonal.shape().end() - 1);
  Tensor out = eye(diagonal.dtype(), k, k, batch);
  const std::size_t bytes = element_bytes(diagonal, "diag");
  auto* to = static_cast<char*>(out.raw_mutable());
  const auto* from = static_cast<const char*>(diagonal.raw());
  for (std::int64_t b = 0; b < shape_size(batch); ++b)
    for (std::int64_t i = 0; i < k; ++i) std::memcpy(to + ((b * k + i) * k + i) * bytes, from + (b * k + i) * bytes, bytes);
  return out;
}

Tensor matrix_diag_part(const Tensor& x) {
  if (x.rank() < 2) throw UserError(ExitCode::kEval, "diag_part: input must be at least 2-dim, received shape: " + tf_shape_str(x.shape()));
  const std::int64_t rows = x.shape()[x.shape().size() - 2];
  const std::int64_t columns = x.shape().back();
  const std::int64_t k = std::min(rows, columns);
  Shape shape(x.shape().begin(), x.shape().end() - 2);
  const std::int64_t batch = shape_size(shape);
  shape.push_back(k);
  Tensor out = Tensor::allocate(x.dtype(), shape);
  const std::size_t bytes = element_bytes(x, "diag_part");
  auto* to = static_cast<char*>(out.raw_mutable());
  const auto* from = static_cast<const char*>(x.raw());
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < k; ++i) std::memcpy(to + (b * k + i) * bytes, from + ((b * rows + i) * columns + i) * bytes, bytes);
  return out;
}

Tensor matrix_set_diag(const Tensor& x, const Tensor& diagonal) {
  if (x.rank() < 2) throw UserError(ExitCode::kEval, "set_diag: input must be at least 2-dim, received shape: " + tf_shape_str(x.shape()));
  require_same_dtype("set_diag", x.dtype(), diagonal.dtype());
  const std::int64_t rows = x.shape()[x.shape().size() - 2];
  const std::int64_t columns = x.shape().back();
  const std::int64_t k = std::min(rows, columns);
  Shape expected(x.shape().begin(), x.shape().end() - 2);
  const std::int64_t batch = shape_size(expected);
  expected.push_back(k);
  if (diagonal.shape() != expected)
    throw UserError(ExitCode::kEval, "set_diag: diagonal must have shape " + tf_shape_str(expected) + ", got " + tf_shape_str(diagonal.shape()));
  Tensor out = Tensor::allocate(x.dtype(), x.shape());
  const std::size_t bytes = element_bytes(x, "set_diag");
  std::memcpy(out.raw_mutable(), x.raw(), static_cast<std::size_t>(x.size()) * bytes);
  auto* to = static_cast<char*>(out.raw_mutable());
  const auto* from = static_cast<const char*>(diagonal.raw());
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < k; ++i) std::memcpy(to + ((b * rows + i) * columns + i) * bytes, from + (b * k + i) * bytes, bytes);
  return out;
}

Tensor matrix_band_part(const Tensor& x, std::int64_t lower, std::int64_t upper) {
  if (x.rank() < 2) throw UserError(ExitCode::kEval, "band_part: input must be at least 2-dim, received shape: " + tf_shape_str(x.shape()));
  const std::int64_t rows = x.shape()[x.shape().size() - 2];
  const std::int64_t columns = x.shape().back();
  const std::int64_t batch = x.size() / std::max<std::int64_t>(1, rows * columns);
  Tensor out = fill(x.dtype(), x.shape(), 0.0);
  const std::size_t bytes = element_bytes(x, "band_part");
  auto* to = static_cast<char*>(out.raw_mutable());
  const auto* from = static_cast<const char*>(x.raw());
  for (std::int64_t b = 0; b < (rows * columns == 0 ? 0 : batch); ++b)
    for (std::int64_t i = 0; i < rows; ++i)
      for (std::int64_t j = 0; j < columns; ++j) {
        bool keep = (lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper);
        std::int64_t at = (b * rows + i) * columns + j;
        if (keep) std::memcpy(to + at * bytes, from + at * bytes, bytes);
      }
  return out;
}

}  // namespace ag::kernels
