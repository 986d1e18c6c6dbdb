// Numeric kernels: pure functions from tensors to new tensors. They know nothing of tapes,
// spans or the catalog; they throw UserError(kEval) with TF-style text on bad shapes or dtypes.
// Only the kernels/*.cpp files include xtensor.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ag::kernels {

enum class UnaryOp {
  kNegative, kAbs, kSign, kSquare, kSqrt, kRsqrt, kReciprocal, kExp, kExpm1, kLog, kLog1p,
  kSin, kCos, kTan, kAsin, kAcos, kAtan, kSinh, kCosh, kTanh, kAsinh, kAcosh, kAtanh,
  kSigmoid, kErf, kErfc, kLgamma, kDigamma, kFloor, kCeil, kRound, kLogicalNot, kRelu,
  // nn activations and predicates (issue 4)
  kRelu6, kElu, kSelu, kSoftplus, kSoftsign, kIsFinite, kIsNan, kIsInf,
};

enum class BinaryOp {
  kAdd, kSubtract, kMultiply, kDivide, kFloorDiv, kFloorMod, kPow, kMaximum, kMinimum, kAtan2,
  kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kLogicalAnd, kLogicalOr,
  // more arithmetic, and TF's fused gradient kernels: (output y or input x, incoming gradient g)
  kSquaredDifference, kMulNoNan, kPolygamma,
  kTanhGrad, kSigmoidGrad, kSqrtGrad, kRsqrtGrad, kReciprocalGrad,  // (y, g)
  kReluGrad, kRelu6Grad, kEluGrad, kSeluGrad,                        // (g, y), TF's argument order
};

enum class ReduceOp { kSum, kMean, kProd, kMax, kMin, kAll, kAny };

/// TF's Python name of an op ("add", "floordiv", "sin", "reduce_sum"), as kernel messages spell it.
const char* op_name(UnaryOp op);
const char* op_name(BinaryOp op);
const char* op_name(ReduceOp op);

/// Element-wise unary op; the result has x's dtype (kLogicalNot: bool), except kAbs of a complex
/// tensor, which gives its real dtype as tf.abs does.
Tensor unary(UnaryOp op, const Tensor& x);
/// g * op(x), or -g * op(x) when `negate_g`, with g of x's shape or a single element: the value
/// of binary(kMultiply, g or -g, unary(op, x)) bit for bit, in one pass over memory for float32
/// functions of TF's own path (a gradient rule's product without its intermediate tensor).
Tensor unary_times(UnaryOp op, const Tensor& x, const Tensor& g, bool negate_g);
/// unary_times written over g's own values and returned as g, when g has x's shape and dtype and
/// is its values' sole owner (Tensor::sole_owner); otherwise unary_times into a new tensor.
Tensor unary_times_in_place(UnaryOp op, const Tensor& x, Tensor&& g, bool negate_g);
/// binary(op, x, y) for kAdd or kMultiply, written over x's values and returned as x when x is
/// float32 or float64, has the result's shape and is its values' sole owner; otherwise (and for
/// any other op) binary(op, x, y) into a new tensor.
Tensor binary_in_place(BinaryOp op, Tensor&& x, const Tensor& y);
/// Element-wise binary op with NumPy broadcasting. x and y have the same dtype;
/// comparisons and logical ops give bool. Integers wrap on overflow; kFloorDiv/kFloorMod floor
/// (Python's // and %), kDivide on integers truncates (TF's Div), and a zero integer divisor
/// throws "Integer division by zero". kMaximum/kMinimum propagate NaN.
Tensor binary(BinaryOp op, const Tensor& x, const Tensor& y);
/// where(condition, x, y) with broadcasting of all three; condition is bool.
Tensor select(const Tensor& condition, const Tensor& x, const Tensor& y);

/// Matrix product of the last two axes, batch axes broadcast; transposes folded into BLAS.
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b);
/// Axis permutation (perm is a permutation of 0..rank-1). When no element moves (only size-1
/// axes change place) the result shares x's storage; so do no-op broadcast_to and cast.
Tensor transpose(const Tensor& x, const std::vector<int>& perm);
/// Reduction over the given axes (normalised to 0..rank-1, sorted, unique; empty = none).
/// Float sums are pairwise (float16/bfloat16 accumulate in float); max/min propagate NaN; an empty
/// max/min gives -inf/+inf (lowest/highest for integers); integer mean truncates toward zero.
Tensor reduce(ReduceOp op, const Tensor& x, const std::vector<int>& axes, bool keepdims);
/// Broadcast x to shape (must be broadcast-compatible).
Tensor broadcast_to(const Tensor& x, const Shape& shape);
/// Element conversion with TF's Cast rules (float to int truncates toward zero). Out-of-range
/// float to int saturates and NaN gives 0 (TF leaves both implementation-defined).
Tensor cast(const Tensor& x, DType dtype);

/// One axis of a strided slice after normalisation: element `start + k * step` for k < count.
struct SliceAxis {
  std::int64_t start = 0;
  std::int64_t step = 1;
  std::int64_t count = 0;
};
/// Gathers x at a regular grid; axes.size() == rank. Result shape: the counts.
Tensor strided_slice(const Tensor& x, const std::vector<SliceAxis>& axes);
/// The adjoint: a zero tensor of `shape` (and g's dtype) with g scattered to the grid positions.
Tensor strided_slice_grad(const Tensor& g, const Shape& shape, const std::vector<SliceAxis>& axes);

/// A tensor of `shape` with every element `value` converted by the Cast rules.
Tensor fill(DType dtype, const Shape& shape, double value);
/// TF's Range kernel: start, limit and delta are first converted to dtype; the count is
/// ceil((limit - start) / delta) and values accumulate by repeated addition in dtype.
Tensor range(DType dtype, double start, double limit, double delta);
/// TF2's tf.linspace: start + i * ((stop - start) / (num - 1)) in dtype, stop stored exactly at
/// the end; num == 1 gives [start] and num == 0 an empty tensor.
Tensor linspace(DType dtype, double start, double stop, std::int64_t num);

// ---- Scans, arg reductions and the nn row kernels (issue 4: scan.cpp, nn.cpp) ----------------

enum class ScanOp { kSum, kProd };
/// TF's Cumsum/Cumprod along `axis` (normalised): sequential from the identity, the identity first
/// when exclusive, from the far end when reverse.
Tensor scan(ScanOp op, const Tensor& x, int axis, bool exclusive, bool reverse);
/// TF's ArgMax/ArgMin along `axis` (normalised): the first index of the extreme value; NaN is never
/// picked unless nothing else is. `index_dtype` is int32 or int64.
Tensor arg_reduce(bool max, const Tensor& x, int axis, DType index_dtype);

/// TF's Softmax / LogSoftmax kernels over the last axis (float16 to float64), step for step:
/// shifted = x - max, then exp(shifted) * (1 / sum) or shifted - log(sum(exp(shifted))).
Tensor softmax(const Tensor& logits, bool log);
/// TF's SoftmaxCrossEntropyWithLogits on [batch, classes]: the loss [batch] and the backprop
/// softmax(logits) - labels [batch, classes].
std::pair<Tensor, Tensor> softmax_cross_entropy(const Tensor& logits, const Tensor& labels);
/// TF's SparseSoftmaxCrossEntropyWithLogits: labels [batch] of class indices (int32/int64); an
/// index outside [0, classes) is TF's InvalidArgument error.
std::pair<Tensor, Tensor> sparse_softmax_cross_entropy(const Tensor& logits, const Tensor& labels);
/// TF's L2Loss: sum(x * x * 0.5) as one full reduction, a 0-d tensor.
Tensor l2_loss(const Tensor& x);

/// Matrix functions of the last two axes, batched over the leading ones (LAPACK through
/// xtensor-blas; float32 and float64). TF's errors for singular input.
Tensor matrix_inverse(const Tensor& x);
Tensor matrix_determinant(const Tensor& x);
/// Solves a @ x = rhs for x; rhs has a's batch shape and rows, any number of columns.
Tensor matrix_solve(const Tensor& a, const Tensor& rhs);

// ---- Array and linalg kernels of issue 4 (array_kernels.cpp, linalg.cpp) ----------------------

/// TF's ConcatV2 along a normalised axis; inputs share dtype, rank and every other dimension.
Tensor concat(const std::vector<Tensor>& inputs, int axis);
/// TF's GatherV2: out[b, p, i, q] = params[b, p, indices[b, i], q], with b the first batch_dims axes
/// of both, p the params axes before `axis` (normalised), q those after. indices int32/int64;
/// an index outside [0, params.shape[axis]) is TF's InvalidArgument error.
Tensor gather(const Tensor& params, const Tensor& indices, int axis, int batch_dims);
/// The adjoint of gather: zeros of `params_shape` with each slice of `updates` added at its index
/// (TF's UnsortedSegmentSum of the densified IndexedSlices; duplicates sum in index order).
Tensor gather_scatter_add(const Tensor& updates, const Tensor& indices, int axis, int batch_dims, const Shape& params_shape);
/// gather_nd's indices [..., K] as int64 row-major offsets into params' first K axes, bounds-checked
/// with TF's message (shape [...]).
Tensor gather_nd_offsets(const Tensor& indices, const Shape& params_shape);
/// Row-major positions of the true elements of a bool tensor, int64 [count].
Tensor true_positions(const Tensor& mask);
/// TF's OneHot: `axis` (normalised against the output rank) gets `depth` entries, on where the
/// index matches and off elsewhere (negative or too large indices give an all-off row).
Tensor one_hot(const Tensor& indices, std::int64_t depth, const Tensor& on_value, const Tensor& off_value, int axis);
/// Identity matrices [batch..., rows, columns] of dtype.
Tensor eye(DType dtype, std::int64_t rows, std::int64_t columns, const Shape& batch_shape);
/// [..., k] -> [..., k, k] with the vector on the diagonal (TF's MatrixDiag, k = 0).
Tensor matrix_diag(const Tensor& diagonal);
/// [..., m, n] -> [..., min(m, n)], the main diagonal (TF's MatrixDiagPart).
Tensor matrix_diag_part(const Tensor& x);
/// x with its main diagonal replaced by `diagonal` [..., min(m, n)] (TF's MatrixSetDiag).
Tensor matrix_set_diag(const Tensor& x, const Tensor& diagonal);
/// TF's MatrixBandPart: keeps x[i, j] where (lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper).
Tensor matrix_band_part(const Tensor& x, std::int64_t lower, std::int64_t upper);

/// log|det| of each matrix and the determinant's sign (TF's LogMatrixDeterminant): {sign, log_abs}.
std::pair<Tensor, Tensor> log_matrix_determinant(const Tensor& x);
/// Lower Cholesky factor; TF's error for a matrix that is not positive definite.
Tensor cholesky(const Tensor& x);
/// Solves a @ x = rhs (or adjoint(a) @ x = rhs) with a triangular (lower or upper part read).
Tensor matrix_triangular_solve(const Tensor& a, const Tensor& rhs, bool lower, bool adjoint);
/// Reduced QR (q [..., m, k], r [..., k, n], k = min(m, n)); full_matrices gives q [..., m, m],
/// r [..., m, n].
std::pair<Tensor, Tensor> qr(const Tensor& x, bool full_matrices);
/// Eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices, the lower triangle read.
std::pair<Tensor, Tensor> self_adjoint_eig(const Tensor& x);
/// Singular values (descending) [..., k], and u [..., m, k], v [..., n, k] (full_matrices: m x m and
/// n x n), k = min(m, n).
struct SvdResult {
  Tensor s, u, v;
};
SvdResult svd(const Tensor& x, bool full_matrices);

}  // namespace ag::kernels
