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

// Math ops of issue 4 (grads.cpp).
extern const Primitive kRsqrt, kExpm1, kLog1p, kTan, kAsin, kAcos, kAtan, kSinh, kCosh, kAsinh, kAcosh, kAtanh;
extern const Primitive kErf, kErfc, kLgamma, kDigamma, kPolygamma, kAtan2, kSquaredDifference, kMulNoNan;
extern const Primitive kProd, kCumsum, kCumprod, kAddN;
/// TF's fused gradient kernels, each with its registered gradient (TanhGrad's is _TanhGradGrad, ...).
extern const Primitive kTanhGrad, kSigmoidGrad, kSqrtGrad, kRsqrtGrad, kReciprocalGrad;

// nn ops (nn_grads.cpp).
extern const Primitive kRelu, kRelu6, kElu, kSelu, kLeakyRelu, kSoftplus, kSoftsign, kSwish, kSoftmax, kLogSoftmax;
extern const Primitive kSoftmaxXent, kSoftmaxXentBackprop, kSparseSoftmaxXent, kSparseSoftmaxXentBackprop, kL2Loss;
extern const Primitive kReluGrad, kRelu6Grad, kEluGrad, kSeluGrad, kLeakyReluGrad;

}  // namespace ag::grads
