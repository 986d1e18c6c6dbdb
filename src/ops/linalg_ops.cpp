// Rows of the linalg family (tf.linalg), columns in OpDef order.
#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
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
  if (a.boolean("conjugate") && dtype_is_complex(x.dtype()))
    throw UserError(ExitCode::kEval, "matrix_transpose: conjugate=True for complex tensors is not supported yet");
  return Value::of(ops::matrix_transpose(x));
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
};

}  // namespace

const std::vector<OpDef>& linalg_ops() { return kRows; }

}  // namespace ag
