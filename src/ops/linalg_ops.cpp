// Rows of the linalg family (tf.linalg), columns in OpDef order.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/families.h"

namespace ag {
namespace {

Tensor matrix_argument(CallArgs& a, const char* param) {
  Tensor x = a.tensor(param);
  if (x.rank() < 2)
    throw UserError(ExitCode::kEval, a.op_name() + "(): input must have rank >= 2, got shape " + tf_shape_str(x.shape()));
  return x;
}

Value eval_inv(CallArgs& a) {
  Tensor x = matrix_argument(a, "input");
  return Value::of(ops::matrix_inverse(a.boolean("adjoint") ? ops::matrix_transpose(x) : x));
}

Value eval_det(CallArgs& a) { return Value::of(ops::matrix_determinant(matrix_argument(a, "input"))); }

Value eval_solve(CallArgs& a) {
  Tensor matrix = matrix_argument(a, "matrix");
  Tensor rhs = a.tensor("rhs", matrix.dtype());
  return Value::of(ops::matrix_solve(a.boolean("adjoint") ? ops::matrix_transpose(matrix) : matrix, rhs));
}

Value eval_matrix_transpose(CallArgs& a) {
  Tensor x = matrix_argument(a, "a");
  if (a.boolean("conjugate")) x = ops::conj(x);
  return Value::of(ops::matrix_transpose(x));
}

// ---- Rows added with issue 4 ------------------------------------------------------------

[[noreturn]] void fail(const std::string& message) { throw UserError(ExitCode::kEval, message); }

Value tuple_of(std::vector<Tensor> tensors) {
  std::vector<Value> items;
  for (Tensor& t : tensors) items.push_back(Value::of(std::move(t)));
  return Value::list(std::move(items), ValueKind::kTuple);
}

// matmul(a, b[..., None])[..., 0]                                     (TF: linalg_ops.matvec)
Value eval_matvec(CallArgs& a) {
  auto [x, v] = a.tensor_pair("a", "b");
  if (x.rank() < 2) fail("matvec(): a must have rank >= 2, got shape " + tf_shape_str(x.shape()));
  bool transpose_a = a.boolean("transpose_a");
  if (a.boolean("adjoint_a")) {
    if (dtype_is_complex(x.dtype())) fail("matvec(): adjoint_a of complex tensors is not supported yet");
    if (transpose_a) fail("Only one of transpose_a and adjoint_a can be True.");
    transpose_a = true;
  }
  Tensor column = ops::expand_dims(v, v.rank());
  Tensor product = ops::matmul(x, column, transpose_a, false);
  return Value::of(ops::squeeze(product, {product.rank() - 1}));
}

Value eval_adjoint(CallArgs& a) {
  Tensor x = matrix_argument(a, "matrix");
  return Value::of(ops::matrix_transpose(ops::conj(x)));
}

Value eval_slogdet(CallArgs& a) {
  auto [sign, log_abs] = ops::log_matrix_determinant(matrix_argument(a, "input"));
  return Value::named_tuple("LogMatrixDeterminant", {"sign", "log_abs_determinant"}, {Value::of(sign), Value::of(log_abs)});
}

// 2 * sum(log(diag(cholesky(x))))                                     (TF: linalg_impl.logdet)
Value eval_logdet(CallArgs& a) {
  Tensor chol = ops::cholesky(matrix_argument(a, "matrix"));
  Tensor logs = ops::log(ops::matrix_diag_part(chol));
  return Value::of(ops::multiply(ops::scalar_like(logs, 2.0), ops::reduce_sum(logs, {logs.rank() - 1}, false)));
}

Value eval_cholesky(CallArgs& a) { return Value::of(ops::cholesky(matrix_argument(a, "input"))); }

Value eval_triangular_solve(CallArgs& a) {
  Tensor matrix = matrix_argument(a, "matrix");
  Tensor rhs = a.tensor("rhs", matrix.dtype());
  return Value::of(ops::matrix_triangular_solve(matrix, rhs, a.boolean("lower"), a.boolean("adjoint")));
}

// sum(diag_part(x), axis=-1)                                          (TF: math_ops.trace)
Value eval_trace(CallArgs& a) {
  Tensor diagonal = ops::matrix_diag_part(matrix_argument(a, "x"));
  return Value::of(ops::reduce_sum(diagonal, {diagonal.rank() - 1}, false));
}

/// TF's diagonal ops take k as one offset or a pair (k0, k1) naming a band of diagonals. One
/// diagonal (k0 == k1) is supported, with num_rows, num_cols and padding_value; a band, whose
/// packing depends on `align`, is not.
std::int64_t single_diagonal(CallArgs& a) {
  Tensor k = to_tensor(a["k"], std::nullopt, a.op_name());
  if (k.rank() > 1 || k.size() < 1 || k.size() > 2 || !dtype_is_integer(k.dtype()))
    fail(a.op_name() + "(): k must be an integer or a pair of integers");
  const auto k0 = static_cast<std::int64_t>(k.element_as_double(0));
  const auto k1 = static_cast<std::int64_t>(k.element_as_double(k.size() - 1));
  if (k0 > k1) fail("lower_diag_index must not be larger than upper_diag_index: " + std::to_string(k0) + " > " + std::to_string(k1));
  if (k0 != k1) fail(a.op_name() + "(): only a single diagonal is supported, not the band k = (" + std::to_string(k0) + ", " +
                     std::to_string(k1) + ")");
  return k0;
}

/// The integers [first, last) as an int64 index vector.
Tensor index_range(std::int64_t first, std::int64_t last) {
  Tensor out = Tensor::allocate(DType::kInt64, {std::max<std::int64_t>(last - first, 0)});
  auto* p = out.mutable_data<std::int64_t>();
  for (std::int64_t i = first; i < last; ++i) p[i - first] = i;
  return out;
}

// The vectors on diagonal k of num_rows x num_cols matrices (TF's MatrixDiagV3 for one diagonal):
// diag(diagonal - padding) + padding is the square block with the diagonal in place and the
// padding value elsewhere, and pad() places the block at row max(-k, 0), column max(k, 0).
Value eval_diag(CallArgs& a) {
  Tensor diagonal = a.tensor("diagonal");
  if (diagonal.rank() < 1) fail("diag(): input must be at least 1-dim, received shape: " + tf_shape_str(diagonal.shape()));
  const std::int64_t k = single_diagonal(a);
  std::int64_t rows = a.integer("num_rows");
  std::int64_t cols = a.integer("num_cols");
  Tensor padding = a.tensor("padding_value", diagonal.dtype());
  if (padding.rank() != 0) fail("diag(): padding_value must be a scalar, got shape " + tf_shape_str(padding.shape()));
  const bool zero_padding = padding.element_as_double(0) == 0;
  if (k == 0 && rows == -1 && cols == -1 && zero_padding) return Value::of(ops::matrix_diag(diagonal));
  const std::int64_t length = diagonal.shape().back();
  const std::int64_t min_rows = length + std::max<std::int64_t>(-k, 0);
  const std::int64_t min_cols = length + std::max<std::int64_t>(k, 0);
  if (rows == -1 && cols == -1) rows = cols = std::max(min_rows, min_cols);
  else if (rows == -1) rows = min_rows;
  else if (cols == -1) cols = min_cols;
  if ((rows != min_rows && cols != min_cols) || rows < min_rows || cols < min_cols)
    fail("The number of diagonal elements " + std::to_string(length) + " should match the length of the diagonal k = " + std::to_string(k) +
         " of a " + std::to_string(rows) + " x " + std::to_string(cols) + " matrix");
  Tensor block = zero_padding ? ops::matrix_diag(diagonal) : ops::add(ops::matrix_diag(ops::subtract(diagonal, padding)), padding);
  std::vector<std::pair<std::int64_t, std::int64_t>> paddings(static_cast<std::size_t>(diagonal.rank() - 1), {0, 0});
  const std::int64_t top = std::max<std::int64_t>(-k, 0);
  const std::int64_t left = std::max<std::int64_t>(k, 0);
  paddings.push_back({top, rows - length - top});
  paddings.push_back({left, cols - length - left});
  return Value::of(ops::pad(block, paddings, padding));
}

// Diagonal k of each matrix: the main diagonal of the matrices without their first k columns
// (k > 0) or first -k rows (k < 0).
Value eval_diag_part(CallArgs& a) {
  Tensor x = matrix_argument(a, "input");
  const std::int64_t k = single_diagonal(a);
  if (k == 0) return Value::of(ops::matrix_diag_part(x));
  const int rank = x.rank();
  const int axis = k > 0 ? rank - 1 : rank - 2;
  const std::int64_t size = x.shape()[static_cast<std::size_t>(axis)];
  const std::int64_t offset = k > 0 ? k : -k;
  if (offset >= size) fail("diag_part(): the diagonal k = " + std::to_string(k) + " lies outside matrices of shape " + tf_shape_str(x.shape()));
  return Value::of(ops::matrix_diag_part(ops::gather(x, index_range(offset, size), axis, 0)));
}

// The matrices with diagonal k replaced: the main-diagonal replacement on the columns from k on
// (k > 0) or the rows from -k on (k < 0), joined back to the ones before.
Value eval_set_diag(CallArgs& a) {
  Tensor x = matrix_argument(a, "input");
  Tensor diagonal = a.tensor("diagonal", x.dtype());
  const std::int64_t k = single_diagonal(a);
  if (k == 0) return Value::of(ops::matrix_set_diag(x, diagonal));
  const int rank = x.rank();
  const int axis = k > 0 ? rank - 1 : rank - 2;
  const std::int64_t size = x.shape()[static_cast<std::size_t>(axis)];
  const std::int64_t offset = k > 0 ? k : -k;
  if (offset >= size) fail("set_diag(): the diagonal k = " + std::to_string(k) + " lies outside matrices of shape " + tf_shape_str(x.shape()));
  Tensor before = ops::gather(x, index_range(0, offset), axis, 0);
  Tensor after = ops::matrix_set_diag(ops::gather(x, index_range(offset, size), axis, 0), diagonal);
  return Value::of(ops::concat({before, after}, axis));
}

Value eval_band_part(CallArgs& a) {
  return Value::of(ops::matrix_band_part(a.tensor("input"), a.integer("num_lower"), a.integer("num_upper")));
}

Value eval_qr(CallArgs& a) {
  auto [q, r] = ops::qr(matrix_argument(a, "input"), a.boolean("full_matrices"));
  return Value::named_tuple("Qr", {"q", "r"}, {Value::of(q), Value::of(r)});
}

Value eval_eigh(CallArgs& a) {
  auto [e, v] = ops::self_adjoint_eig(matrix_argument(a, "tensor"));
  return tuple_of({e, v});
}

Value eval_eigvalsh(CallArgs& a) { return Value::of(ops::self_adjoint_eig(matrix_argument(a, "tensor")).first); }

Value eval_svd(CallArgs& a) {
  ops::Svd result = ops::svd(matrix_argument(a, "tensor"), a.boolean("full_matrices"));
  if (!a.boolean("compute_uv")) return Value::of(result.s);
  return tuple_of({result.s, result.u, result.v});
}

Value eval_eye(CallArgs& a) {
  std::int64_t rows = a.integer("num_rows");
  std::int64_t columns = a.is_none("num_columns") ? rows : a.integer("num_columns");
  if (rows < 0 || columns < 0) fail("eye(): num_rows and num_columns must be non-negative, got " + std::to_string(rows) + " and " +
                                    std::to_string(columns));
  Shape batch = a.is_none("batch_shape") ? Shape{} : a.shape("batch_shape");
  return Value::of(ops::eye(a.dtype("dtype").value_or(DType::kFloat32), rows, columns, batch));
}

/// The norm's order: 'euclidean', 'fro', or a positive number (inf included).
struct NormOrder {
  std::string name;  ///< "euclidean", "fro", or empty for a number
  double p = 0;
};

std::string order_text(const NormOrder& order) {
  if (!order.name.empty()) return order.name;
  if (std::isinf(order.p)) return "inf";
  std::string text = std::to_string(order.p);
  return order.p == std::floor(order.p) ? std::to_string(static_cast<long long>(order.p)) : text;
}

// TF's linalg_ops.norm, op for op: sqrt(sum(x * x)) for 'euclidean'/'fro'/2 (vectors), sums and
// maxima of |x| for 1 and inf, the largest singular value for a matrix 2-norm, (sum |x|^p)^(1/p).
Value eval_norm(CallArgs& a) {
  Tensor x = a.tensor("tensor");
  if (!dtype_is_floating(x.dtype())) fail("norm(): dtype " + std::string(dtype_name(x.dtype())) + " is not supported (expected a float tensor)");
  NormOrder order;
  const Value& ord = a["ord"];
  if (ord.kind == ValueKind::kString) order.name = ord.text;
  else order.p = a.real("ord");
  std::optional<std::vector<std::int64_t>> axis_list = a.axes("axis");
  const Value& axis_value = a["axis"];
  bool matrix = axis_value.is_sequence() && axis_value.items.size() == 2;
  if (axis_value.is_sequence() && !matrix) fail("'axis' must be None, an integer, or a tuple of 2 unique integers");
  std::vector<int> axes;
  if (axis_list)
    for (std::int64_t axis : *axis_list) {
      if (axis < -x.rank() || axis >= x.rank())
        fail("Invalid reduction dimension " + std::to_string(axis) + " for input with " + std::to_string(x.rank()) + " dimensions.");
      axes.push_back(static_cast<int>(axis < 0 ? axis + x.rank() : axis));
    }
  if (matrix && axes[0] == axes[1]) fail("'axis' must be None, an integer, or a tuple of 2 unique integers");
  bool euclidean = order.name == "euclidean" || order.name == "fro" || (order.name.empty() && order.p == 2);
  bool inf = order.name.empty() && std::isinf(order.p) && order.p > 0;
  if (matrix && !(euclidean || inf || (order.name.empty() && order.p == 1)))
    fail("'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], got " + order_text(order));
  if (!matrix && (order.name == "fro" || (!order.name.empty() && order.name != "euclidean") || (order.name.empty() && !(order.p > 0))))
    fail("'ord' must be a supported vector norm, got " + order_text(order));
  std::vector<int> all_axes;
  for (int i = 0; i < x.rank(); ++i) all_axes.push_back(i);
  const std::vector<int>& reduced = axis_list ? axes : all_axes;
  Tensor result;
  if (matrix && order.name.empty() && order.p == 2) {
    // Move the two axes last, take the largest singular value, and put the axes back (size 1).
    std::vector<int> perm;
    for (int i = 0; i < x.rank(); ++i)
      if (i != axes[0] && i != axes[1]) perm.push_back(i);
    perm.push_back(axes[0]);
    perm.push_back(axes[1]);
    Tensor singular = ops::abs(ops::svd(ops::transpose(x, perm), false).s);
    Tensor largest = ops::expand_dims(ops::reduce(kernels::ReduceOp::kMax, singular, {singular.rank() - 1}, true), singular.rank());
    std::vector<int> inverse(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) inverse[static_cast<std::size_t>(perm[i])] = static_cast<int>(i);
    result = ops::transpose(largest, inverse);
  } else if (euclidean) {
    result = ops::sqrt(ops::reduce_sum(ops::multiply(x, x), reduced, true));
  } else {
    result = ops::abs(x);
    if (order.p == 1) {
      result = ops::reduce_sum(result, axis_list ? std::vector<int>{axes[0]} : all_axes, true);
      if (matrix) result = ops::reduce(kernels::ReduceOp::kMax, result, {axes[1]}, true);
    } else if (inf) {
      if (matrix) result = ops::reduce_sum(result, {axes[1]}, true);
      result = ops::reduce(kernels::ReduceOp::kMax, result, axis_list ? std::vector<int>{axes[0]} : all_axes, true);
    } else {
      Tensor p = ops::scalar_like(x, order.p);
      result = ops::pow(ops::reduce_sum(ops::pow(result, p), reduced, true), ops::scalar_like(x, 1.0 / order.p));
    }
  }
  if (!a.boolean("keepdims")) result = ops::squeeze(result, axis_list ? reduced : std::vector<int>{});
  return Value::of(result);
}

const std::vector<OpDef> kRows = {
    {"linalg.inv", "", MemberKind::kOp, "inv(input, adjoint=False, name=None)",
     "Computes the inverse of one or more square invertible matrices (the last two axes); TF raises "
     "'Input is not invertible.' for a singular one.",
     "linalg.inv([[2.0, 1.0], [1.0, 1.0]])", eval_inv},
    {"linalg.det", "", MemberKind::kOp, "det(input, name=None)",
     "Computes the determinant of one or more square matrices (the last two axes).",
     "linalg.det([[2.0, 1.0], [1.0, 3.0]])", eval_det},
    {"linalg.solve", "", MemberKind::kOp, "solve(matrix, rhs, adjoint=False, name=None)",
     "Solves systems of linear equations matrix @ x = rhs for x (batched over leading axes).",
     "linalg.solve([[2.0, 1.0], [1.0, 3.0]], [[1.0], [2.0]])", eval_solve},
    {"linalg.matrix_transpose", "", MemberKind::kOp, "matrix_transpose(a, name='matrix_transpose', conjugate=False)",
     "Transposes the last two dimensions of a tensor (the adjoint, for real tensors).",
     "linalg.matrix_transpose([[1.0, 2.0, 3.0]])", eval_matrix_transpose},
    // Rows added with issue 4.
    {"linalg.matvec", "", MemberKind::kOp,
     "matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None)",
     "Multiplies matrix a by vector b (batched over leading axes): matmul(a, b[..., None])[..., 0].",
     "linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])", eval_matvec},
    {"linalg.adjoint", "", MemberKind::kOp, "adjoint(matrix, name=None)",
     "The conjugate transpose of the last two axes (the transpose, for real tensors).", "linalg.adjoint([[1.0, 2.0, 3.0]])",
     eval_adjoint},
    {"linalg.slogdet", "", MemberKind::kOp, "slogdet(input, name=None)",
     "The sign and the log of the absolute value of the determinant, as the namedtuple LogMatrixDeterminant(sign, log_abs_determinant); only the "
     "second is differentiable, with gradient inv(input)ᵀ.",
     "linalg.slogdet([[2.0, 1.0], [1.0, 3.0]])", eval_slogdet},
    {"linalg.logdet", "", MemberKind::kOp, "logdet(matrix, name=None)",
     "The log of the determinant of Hermitian positive definite matrices, through their Cholesky factors.",
     "linalg.logdet([[2.0, 1.0], [1.0, 3.0]])", eval_logdet},
    {"linalg.cholesky", "", MemberKind::kOp, "cholesky(input, name=None)",
     "The lower triangular Cholesky factor of symmetric positive definite matrices (the lower triangle is read).",
     "linalg.cholesky([[4.0, 2.0], [2.0, 5.0]])", eval_cholesky},
    {"linalg.triangular_solve", "", MemberKind::kOp, "triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None)",
     "Solves matrix @ x = rhs for x with matrix triangular (only its lower, or upper, triangle is read).",
     "linalg.triangular_solve([[2.0, 0.0], [1.0, 4.0]], [[2.0], [9.0]])", eval_triangular_solve},
    {"linalg.trace", "", MemberKind::kOp, "trace(x, name=None)", "The sum of the main diagonal of each matrix.",
     "linalg.trace([[1.0, 2.0], [3.0, 4.0]])", eval_trace},
    {"linalg.diag", "", MemberKind::kOp,
     "diag(diagonal, name='diag', k=0, num_rows=-1, num_cols=-1, padding_value=0, align='RIGHT_LEFT')",
     "Matrices with the given vectors (last axis) on diagonal k (the main one by default); one diagonal, not a band.", "linalg.diag([1.0, 2.0])", eval_diag},
    {"linalg.diag_part", "", MemberKind::kOp, "diag_part(input, name='diag_part', k=0, padding_value=0, align='RIGHT_LEFT')",
     "Diagonal k of each matrix (the last two axes; the main one by default); one diagonal, not a band.", "linalg.diag_part([[1.0, 2.0], [3.0, 4.0]])", eval_diag_part},
    {"linalg.set_diag", "", MemberKind::kOp, "set_diag(input, diagonal, name='set_diag', k=0, align='RIGHT_LEFT')",
     "Matrices with diagonal k (the main one by default) replaced by the given vectors; one diagonal, not a band.", "linalg.set_diag([[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0])",
     eval_set_diag},
    {"linalg.band_part", "", MemberKind::kOp, "band_part(input, num_lower, num_upper, name=None)",
     "Keeps num_lower subdiagonals and num_upper superdiagonals (negative: all) and zeroes the rest.",
     "linalg.band_part([[1.0, 2.0], [3.0, 4.0]], 0, -1)", eval_band_part},
    {"linalg.qr", "", MemberKind::kOp, "qr(input, full_matrices=False, name=None)",
     "The QR decomposition as the namedtuple Qr(q, r): q with orthonormal columns, r upper triangular (LAPACK's signs).",
     "linalg.qr([[1.0, 2.0], [3.0, 4.0]])", eval_qr},
    {"linalg.eigh", "", MemberKind::kOp, "eigh(tensor, name=None)",
     "Eigenvalues (ascending) and eigenvectors (columns) of self-adjoint matrices as a tuple (e, v); the lower triangle is "
     "read. Eigenvectors are unique only up to sign (LAPACK's here).",
     "linalg.eigh([[2.0, 1.0], [1.0, 2.0]])", eval_eigh},
    {"linalg.eigvalsh", "", MemberKind::kOp, "eigvalsh(tensor, name=None)", "The eigenvalues (ascending) of self-adjoint matrices.",
     "linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]])", eval_eigvalsh},
    {"linalg.svd", "", MemberKind::kOp, "svd(tensor, full_matrices=False, compute_uv=True, name=None)",
     "The singular value decomposition as a tuple (s, u, v) with tensor = u @ diag(s) @ vᵀ (s only if compute_uv=False); "
     "singular vectors are unique only up to sign (LAPACK's here).",
     "linalg.svd([[3.0, 0.0], [4.0, 5.0]])", eval_svd},
    {"linalg.norm", "norm", MemberKind::kOp, "norm(tensor, ord='euclidean', axis=None, keepdims=None, name=None)",
     "Vector norms (ord 'euclidean', 1, 2, inf or any p > 0) over all elements or one axis, or matrix norms ('fro', 1, 2, "
     "inf) over two axes; computed as TF composes them, so the gradient of the Euclidean norm is x / norm.",
     "norm([3.0, 4.0])", eval_norm},
    {"linalg.eye", "eye", MemberKind::kOp, "eye(num_rows, num_columns=None, batch_shape=None, dtype=float32, name=None)",
     "Identity matrices (ones on the main diagonal), optionally batched.", "eye(2)", eval_eye},
};

}  // namespace

const std::vector<OpDef>& linalg_ops() { return kRows; }

}  // namespace ag
