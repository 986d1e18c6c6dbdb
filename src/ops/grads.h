// The recordable primitives and their gradient rules (TF's math_grad.py / array_grad.py).
#pragma once

#include "autodiff/tape.h"

namespace ag::grads {

extern const Primitive kAdd, kSubtract, kMultiply, kDivide, kPow, kMaximum, kMinimum, kFloorMod;
extern const Primitive kNegative, kExp, kLog, kSin, kCos, kTanh, kSqrt, kSquare, kReciprocal, kAbs, kSigmoid, kSign;
extern const Primitive kMatMul, kTranspose, kReshape, kBroadcastTo, kSum, kMean, kMaxMin, kCast, kIdentity;
extern const Primitive kStridedSlice, kStridedSliceGrad, kSelect;
/// Ops with no gradient (TF's NotDifferentiable / None): never recorded.
extern const Primitive kNoGradUnary, kNoGradBinary, kNotDifferentiableUnary;

}  // namespace ag::grads
