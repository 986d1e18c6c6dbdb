// The recordable primitives of the array and linalg ops of issue 4 (rules in array_grads.cpp and
// linalg_grads.cpp, the ops that record them in array_api.cpp and linalg_api.cpp).
#pragma once

#include "autodiff/tape.h"

namespace ag::grads {

// Array primitives (array_grads.cpp).
extern const Primitive kConcat, kGather, kGatherGrad, kMatrixDiag, kMatrixDiagPart, kMatrixSetDiag, kMatrixBandPart;

// linalg primitives (linalg_grads.cpp). kQr, kSelfAdjointEig and kSvd output their results packed
// along one last axis (see ops::qr); attrs.ints holds the matrix rows and columns.
extern const Primitive kLogMatrixDeterminant, kCholesky, kMatrixTriangularSolve, kQr, kSelfAdjointEig, kSvd;

}  // namespace ag::grads

namespace ag::ops {

/// The parts of a packed multi-output result: consecutive runs of the last axis, each reshaped to
/// the batch shape (all axes but the last) followed by its tail. Recorded slices and reshapes.
std::vector<Tensor> unpack_last_axis(const Tensor& packed, const std::vector<Shape>& tails);

}  // namespace ag::ops
