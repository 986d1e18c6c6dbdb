// The math ops of ops/api.h added with issue 4: binary special functions, add_n, scans, arg
// reductions, and TF's fused gradient kernels (recorded like any op, with their own rules).
#include <string>

#include "diag/error.h"
#include "ops/api.h"
#include "ops/grads.h"
#include "ops/record.h"

namespace ag::ops {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;

Tensor binary_op(const Primitive& prim, BinaryOp op, const char* tf_op, const Tensor& x, const Tensor& y) {
  check_binary_dtypes(x, y, tf_op);
  Tensor out = kernels::binary(op, x, y);
  if (active_tapes().empty()) return out;  // no list of inputs to build (a backward pass's ops)
  return record_op(prim, {x, y}, std::move(out));
}

Tensor scan_op(const Primitive& prim, kernels::ScanOp op, const Tensor& x, int axis, bool exclusive, bool reverse) {
  Attrs attrs;
  attrs.ints = {axis};
  attrs.flag_a = exclusive;
  attrs.flag_b = reverse;
  return record_op(prim, {x}, kernels::scan(op, x, axis, exclusive, reverse), std::move(attrs));
}

}  // namespace

std::string tf_type_string(DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return "float";
    case DType::kFloat64: return "double";
    case DType::kFloat16: return "half";
    default: return std::string(dtype_name(dtype));
  }
}

Tensor record_op(const Primitive& op, TensorList inputs, Tensor output, Attrs attrs) {
  if (op.grad != nullptr && !active_tapes().empty()) record_on_active_tapes(op, std::move(inputs), output, std::move(attrs));
  return output;
}

void check_binary_dtypes(const Tensor& x, const Tensor& y, const char* tf_op) {
  if (x.dtype() == y.dtype()) return;
  throw UserError(ExitCode::kEval, std::string("cannot compute ") + tf_op + " as input #1(zero-based) was expected to be a " +
                                       tf_type_string(x.dtype()) + " tensor but is a " + tf_type_string(y.dtype()) +
                                       " tensor [Op:" + tf_op + "]");
}

Tensor tanh(const Tensor& x) { return ops::unary(UnaryOp::kTanh, x); }
Tensor sigmoid(const Tensor& x) { return ops::unary(UnaryOp::kSigmoid, x); }
Tensor abs(const Tensor& x) { return ops::unary(UnaryOp::kAbs, x); }
Tensor rsqrt(const Tensor& x) { return ops::unary(UnaryOp::kRsqrt, x); }
Tensor sinh(const Tensor& x) { return ops::unary(UnaryOp::kSinh, x); }
Tensor cosh(const Tensor& x) { return ops::unary(UnaryOp::kCosh, x); }
Tensor digamma(const Tensor& x) { return ops::unary(UnaryOp::kDigamma, x); }

Tensor atan2(const Tensor& y, const Tensor& x) { return binary_op(grads::kAtan2, BinaryOp::kAtan2, "Atan2", y, x); }
Tensor squared_difference(const Tensor& x, const Tensor& y) {
  return binary_op(grads::kSquaredDifference, BinaryOp::kSquaredDifference, "SquaredDifference", x, y);
}
Tensor multiply_no_nan(const Tensor& x, const Tensor& y) {
  return binary_op(grads::kMulNoNan, BinaryOp::kMulNoNan, "MulNoNan", x, y);
}
Tensor polygamma(const Tensor& a, const Tensor& x) {
  return binary_op(grads::kPolygamma, BinaryOp::kPolygamma, "Polygamma", a, x);
}

Tensor add_n(const std::vector<Tensor>& inputs) {
  if (inputs.empty()) throw UserError(ExitCode::kEval, "inputs must be a list of at least one Tensor with the same dtype and shape");
  for (const Tensor& input : inputs) {
    if (input.dtype() != inputs[0].dtype())
      throw UserError(ExitCode::kEval, "cannot compute AddN as input #1(zero-based) was expected to be a " +
                                           tf_type_string(inputs[0].dtype()) + " tensor but is a " +
                                           tf_type_string(input.dtype()) + " tensor [Op:AddN]");
    if (input.shape() != inputs[0].shape())
      throw UserError(ExitCode::kEval, "Inputs to operation AddN of type AddN must have the same size and shape.  Input 0: " +
                                           tf_shape_str(inputs[0].shape()) + " != input 1: " + tf_shape_str(input.shape()) +
                                           " [Op:AddN]");
  }
  // TF's AddN adds left to right: ((x0 + x1) + x2) + ...
  Tensor total = inputs[0].reshaped(inputs[0].shape());  // one input: TF's identity
  for (std::size_t i = 1; i < inputs.size(); ++i) total = kernels::binary(BinaryOp::kAdd, total, inputs[i]);
  return record_op(grads::kAddN, inputs, total);
}

Tensor cumsum(const Tensor& x, int axis, bool exclusive, bool reverse) {
  return scan_op(grads::kCumsum, kernels::ScanOp::kSum, x, axis, exclusive, reverse);
}
Tensor cumprod(const Tensor& x, int axis, bool exclusive, bool reverse) {
  return scan_op(grads::kCumprod, kernels::ScanOp::kProd, x, axis, exclusive, reverse);
}

Tensor arg_reduce(bool max, const Tensor& x, int axis, DType index_dtype) { return kernels::arg_reduce(max, x, axis, index_dtype); }

Tensor tanh_grad(const Tensor& y, const Tensor& g) {
  return binary_op(grads::kTanhGrad, BinaryOp::kTanhGrad, "TanhGrad", y, g);
}
Tensor sigmoid_grad(const Tensor& y, const Tensor& g) {
  return binary_op(grads::kSigmoidGrad, BinaryOp::kSigmoidGrad, "SigmoidGrad", y, g);
}
Tensor sqrt_grad(const Tensor& y, const Tensor& g) {
  return binary_op(grads::kSqrtGrad, BinaryOp::kSqrtGrad, "SqrtGrad", y, g);
}
Tensor rsqrt_grad(const Tensor& y, const Tensor& g) {
  return binary_op(grads::kRsqrtGrad, BinaryOp::kRsqrtGrad, "RsqrtGrad", y, g);
}
Tensor reciprocal_grad(const Tensor& y, const Tensor& g) {
  return binary_op(grads::kReciprocalGrad, BinaryOp::kReciprocalGrad, "ReciprocalGrad", y, g);
}

}  // namespace ag::ops
