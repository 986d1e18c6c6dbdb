// Gradient rules of the array primitives of issue 4 (TF's array_grad.py), written with the
// recorded ops of ops/api.h so that every order works. Each of these ops is linear in its tensor
// input, so each rule is the adjoint op, and the adjoint's rule is the op again.
#include "ops/array_grads.h"

#include "ops/api.h"

namespace ag::grads {
namespace {

// concat: each input gets the slice of g at its offset along the axis  (TF: _ConcatGradV2)
Grads grad_concat(const GradArgs& a) {
  const std::size_t axis = static_cast<std::size_t>(a.attrs.ints[0]);
  Grads out(a.inputs.size());
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    const Shape& shape = a.x(i).shape();
    if (a.needs(i)) {
      std::vector<std::int64_t> begin(shape.size(), 0);
      begin[axis] = offset;
      out[i] = ops::slice(a.grad, begin, std::vector<std::int64_t>(shape.begin(), shape.end()));
    }
    offset += shape[axis];
  }
  return out;
}

// gather: g's slices summed into zeros of params' shape at the indices, duplicates added
// (TF: _GatherV2Grad, whose IndexedSlices a dense consumer turns into this sum); indices: None
Grads grad_gather(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) {
    out[0] = ops::gather_grad(a.grad, a.x(1), static_cast<int>(a.attrs.ints[0]), static_cast<int>(a.attrs.ints[1]), a.x(0).shape());
  }
  return out;
}

// the scatter-add is linear: its gradient gathers g at the same indices
Grads grad_gather_grad(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::gather(a.grad, a.x(1), static_cast<int>(a.attrs.ints[0]), static_cast<int>(a.attrs.ints[1]));
  return out;
}

// diag(d) -> matrix: the gradient is g's diagonal                    (TF: _MatrixDiagGrad)
Grads grad_matrix_diag(const GradArgs& a) { return {ops::matrix_diag_part(a.grad)}; }

// diag_part(x): g on the diagonal of zeros of x's shape               (TF: _MatrixDiagPartGrad)
Grads grad_matrix_diag_part(const GradArgs& a) {
  const Tensor& x = a.x(0);
  if (x.rank() >= 2 && x.shape()[x.shape().size() - 1] == x.shape()[x.shape().size() - 2]) return {ops::matrix_diag(a.grad)};
  return {ops::matrix_set_diag(ops::zeros_like(x), a.grad)};
}

// set_diag(x, d): x gets g with a zero diagonal, d gets g's diagonal     (TF: _MatrixSetDiagGrad)
Grads grad_matrix_set_diag(const GradArgs& a) {
  Grads out(2);
  if (a.needs(0)) out[0] = ops::matrix_set_diag(a.grad, ops::zeros_like(a.x(1)));
  if (a.needs(1)) out[1] = ops::matrix_diag_part(a.grad);
  return out;
}

// band_part keeps a fixed set of elements: g masked the same way     (TF: _MatrixBandPartGrad)
Grads grad_matrix_band_part(const GradArgs& a) { return {ops::matrix_band_part(a.grad, a.attrs.ints[0], a.attrs.ints[1])}; }

}  // namespace

const Primitive kConcat{"ConcatV2", grad_concat};
const Primitive kGather{"GatherV2", grad_gather};
const Primitive kGatherGrad{"UnsortedSegmentSum", grad_gather_grad};
const Primitive kMatrixDiag{"MatrixDiagV3", grad_matrix_diag};
const Primitive kMatrixDiagPart{"MatrixDiagPartV3", grad_matrix_diag_part};
const Primitive kMatrixSetDiag{"MatrixSetDiagV3", grad_matrix_set_diag};
const Primitive kMatrixBandPart{"MatrixBandPart", grad_matrix_band_part};

}  // namespace ag::grads
