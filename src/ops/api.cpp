// The differentiable ops: one kernel call, then a record on the active tapes.
#include "ops/api.h"

#include <algorithm>
#include <string>
#include <vector>

#include "autodiff/tape.h"
#include "diag/error.h"
#include "ops/grads.h"
#include "ops/record.h"

namespace ag::ops {
namespace {

using kernels::BinaryOp;
using kernels::ReduceOp;
using kernels::UnaryOp;

Tensor binary(const Primitive& prim, BinaryOp op, const char* tf_op, const Tensor& x, const Tensor& y) {
  check_binary_dtypes(x, y, tf_op);
  Tensor out = kernels::binary(op, x, y);
  if (active_tapes().empty()) return out;  // no list of inputs to build (a backward pass's ops)
  return record_op(prim, {x, y}, std::move(out));
}

const Primitive& unary_primitive(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNegative: return grads::kNegative;
    case UnaryOp::kExp: return grads::kExp;
    case UnaryOp::kLog: return grads::kLog;
    case UnaryOp::kSin: return grads::kSin;
    case UnaryOp::kCos: return grads::kCos;
    case UnaryOp::kTanh: return grads::kTanh;
    case UnaryOp::kSqrt: return grads::kSqrt;
    case UnaryOp::kSquare: return grads::kSquare;
    case UnaryOp::kReciprocal: return grads::kReciprocal;
    case UnaryOp::kAbs: return grads::kAbs;
    case UnaryOp::kSigmoid: return grads::kSigmoid;
    case UnaryOp::kSign: return grads::kSign;
    // Math and nn ops of issue 4 (rules in grads.cpp and nn_grads.cpp).
    case UnaryOp::kRsqrt: return grads::kRsqrt;
    case UnaryOp::kExpm1: return grads::kExpm1;
    case UnaryOp::kLog1p: return grads::kLog1p;
    case UnaryOp::kTan: return grads::kTan;
    case UnaryOp::kAsin: return grads::kAsin;
    case UnaryOp::kAcos: return grads::kAcos;
    case UnaryOp::kAtan: return grads::kAtan;
    case UnaryOp::kSinh: return grads::kSinh;
    case UnaryOp::kCosh: return grads::kCosh;
    case UnaryOp::kAsinh: return grads::kAsinh;
    case UnaryOp::kAcosh: return grads::kAcosh;
    case UnaryOp::kAtanh: return grads::kAtanh;
    case UnaryOp::kErf: return grads::kErf;
    case UnaryOp::kErfc: return grads::kErfc;
    case UnaryOp::kLgamma: return grads::kLgamma;
    case UnaryOp::kDigamma: return grads::kDigamma;
    case UnaryOp::kRelu: return grads::kRelu;
    case UnaryOp::kRelu6: return grads::kRelu6;
    case UnaryOp::kElu: return grads::kElu;
    case UnaryOp::kSelu: return grads::kSelu;
    case UnaryOp::kSoftplus: return grads::kSoftplus;
    case UnaryOp::kSoftsign: return grads::kSoftsign;
    default: return grads::kNotDifferentiableUnary;
  }
}

}  // namespace

Tensor string_positions(const Tensor& t) {
  Tensor positions = Tensor::allocate(DType::kInt64, t.shape());
  auto* p = positions.mutable_data<std::int64_t>();
  for (std::int64_t i = 0; i < positions.size(); ++i) p[i] = i;
  return positions;
}
Tensor strings_at(const Tensor& source, const Tensor& positions) {
  std::vector<std::string> values;
  values.reserve(static_cast<std::size_t>(positions.size()));
  const auto* p = positions.data<std::int64_t>();
  for (std::int64_t i = 0; i < positions.size(); ++i) values.push_back(source.strings()[static_cast<std::size_t>(p[i])]);
  return Tensor::from_strings(positions.shape(), std::move(values));
}

Tensor add(const Tensor& x, const Tensor& y) { return binary(grads::kAdd, BinaryOp::kAdd, "AddV2", x, y); }
Tensor subtract(const Tensor& x, const Tensor& y) { return binary(grads::kSubtract, BinaryOp::kSubtract, "Sub", x, y); }
Tensor multiply(const Tensor& x, const Tensor& y) { return binary(grads::kMultiply, BinaryOp::kMultiply, "Mul", x, y); }
Tensor divide(const Tensor& x, const Tensor& y) {
  return binary(grads::kDivide, BinaryOp::kDivide, dtype_is_integer(x.dtype()) ? "Div" : "RealDiv", x, y);
}
Tensor floordiv(const Tensor& x, const Tensor& y) {
  return binary(grads::kNoGradBinary, BinaryOp::kFloorDiv, "FloorDiv", x, y);
}
Tensor floormod(const Tensor& x, const Tensor& y) {
  return binary(grads::kFloorMod, BinaryOp::kFloorMod, "FloorMod", x, y);
}
Tensor pow(const Tensor& x, const Tensor& y) { return binary(grads::kPow, BinaryOp::kPow, "Pow", x, y); }
Tensor maximum(const Tensor& x, const Tensor& y) { return binary(grads::kMaximum, BinaryOp::kMaximum, "Maximum", x, y); }
Tensor minimum(const Tensor& x, const Tensor& y) { return binary(grads::kMinimum, BinaryOp::kMinimum, "Minimum", x, y); }

Tensor compare(BinaryOp op, const Tensor& x, const Tensor& y) {
  const char* name = "Equal";
  switch (op) {
    case BinaryOp::kNotEqual: name = "NotEqual"; break;
    case BinaryOp::kLess: name = "Less"; break;
    case BinaryOp::kLessEqual: name = "LessEqual"; break;
    case BinaryOp::kGreater: name = "Greater"; break;
    case BinaryOp::kGreaterEqual: name = "GreaterEqual"; break;
    case BinaryOp::kLogicalAnd: name = "LogicalAnd"; break;
    case BinaryOp::kLogicalOr: name = "LogicalOr"; break;
    default: break;
  }
  check_binary_dtypes(x, y, name);
  return kernels::binary(op, x, y);
}

Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y) {
  check_binary_dtypes(x, y, "SelectV2");
  if (condition.dtype() != DType::kBool)
    throw UserError(ExitCode::kEval, "where: condition must be a bool tensor, got " + std::string(dtype_name(condition.dtype())));
  return record_op(grads::kSelect, {condition, x, y}, kernels::select(condition, x, y));
}

Tensor unary(UnaryOp op, const Tensor& x) {
  Tensor out = kernels::unary(op, x);
  if (active_tapes().empty()) return out;  // no list of inputs to build (a backward pass's ops)
  return record_op(unary_primitive(op), {x}, std::move(out));
}
Tensor negative(const Tensor& x) { return ops::unary(UnaryOp::kNegative, x); }
Tensor exp(const Tensor& x) { return ops::unary(UnaryOp::kExp, x); }
Tensor log(const Tensor& x) { return ops::unary(UnaryOp::kLog, x); }
Tensor sin(const Tensor& x) { return ops::unary(UnaryOp::kSin, x); }
Tensor cos(const Tensor& x) { return ops::unary(UnaryOp::kCos, x); }
Tensor square(const Tensor& x) { return ops::unary(UnaryOp::kSquare, x); }
Tensor sqrt(const Tensor& x) { return ops::unary(UnaryOp::kSqrt, x); }
Tensor reciprocal(const Tensor& x) { return ops::unary(UnaryOp::kReciprocal, x); }
Tensor sign(const Tensor& x) { return ops::unary(UnaryOp::kSign, x); }

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  check_binary_dtypes(a, b, "MatMul");
  Attrs attrs;
  attrs.flag_a = transpose_a;
  attrs.flag_b = transpose_b;
  return record_op(grads::kMatMul, {a, b}, kernels::matmul(a, b, transpose_a, transpose_b), std::move(attrs));
}

Tensor transpose(const Tensor& x, const std::vector<int>& perm) {
  if (static_cast<int>(perm.size()) != x.rank())
    throw UserError(ExitCode::kEval, "transpose expects a vector of size " + std::to_string(x.rank()) +
                                         ". But input(1) is a vector of size " + std::to_string(perm.size()));
  std::vector<bool> seen(perm.size(), false);
  for (int axis : perm) {
    if (axis < 0 || axis >= x.rank() || seen[static_cast<std::size_t>(axis)])
      throw UserError(ExitCode::kEval, "transpose: perm is not a permutation of 0.." + std::to_string(x.rank() - 1));
    seen[static_cast<std::size_t>(axis)] = true;
  }
  Attrs attrs;
  attrs.ints.assign(perm.begin(), perm.end());
  return record_op(grads::kTranspose, {x}, kernels::transpose(x, perm), std::move(attrs));
}

Tensor reshape(const Tensor& x, const Shape& shape) {
  Shape resolved = shape;
  int unknown = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (unknown >= 0) throw UserError(ExitCode::kEval, "reshape: only one input size may be -1, not both " +
                                                             std::to_string(unknown) + " and " + std::to_string(i));
      unknown = static_cast<int>(i);
    } else if (shape[i] < 0) {
      throw UserError(ExitCode::kEval, "reshape: size " + std::to_string(i) + " must be non-negative, not " +
                                           std::to_string(shape[i]));
    } else if (__builtin_mul_overflow(known, shape[i], &known)) {
      throw UserError(ExitCode::kEval, "shape " + shape_str(shape) + " has too many elements");
    }
  }
  if (unknown >= 0) {
    if (known == 0 || x.size() % known != 0)
      throw UserError(ExitCode::kEval, "Input to reshape is a tensor with " + std::to_string(x.size()) +
                                           " values, but the requested shape requires a multiple of " + std::to_string(known));
    resolved[static_cast<std::size_t>(unknown)] = x.size() / known;
  }
  if (shape_size(resolved) != x.size())
    throw UserError(ExitCode::kEval, "Input to reshape is a tensor with " + std::to_string(x.size()) +
                                         " values, but the requested shape has " + std::to_string(shape_size(resolved)));
  Attrs attrs;
  attrs.shape = x.shape();
  return record_op(grads::kReshape, {x}, x.reshaped(resolved), std::move(attrs));
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return record_op(grads::kBroadcastTo, {x}, kernels::broadcast_to(x, shape));
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  const Shape& from = x.shape();
  std::size_t lead = from.size() - shape.size();
  std::vector<int> axes;
  for (std::size_t i = 0; i < from.size(); ++i)
    if (i < lead || (shape[i - lead] == 1 && from[i] != 1)) axes.push_back(static_cast<int>(i));
  Tensor summed = axes.empty() ? x : reduce_sum(x, axes, true);
  if (lead > 0 || summed.shape() != shape) summed = reshape(summed, shape);
  return summed;
}

Tensor reduce(ReduceOp op, const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  Attrs attrs;
  attrs.ints.assign(axes.begin(), axes.end());
  attrs.flag_a = keepdims;
  const Primitive* prim = &grads::kNoGradUnary;
  switch (op) {
    case ReduceOp::kSum: prim = &grads::kSum; break;
    case ReduceOp::kMean: prim = &grads::kMean; break;
    case ReduceOp::kMax:
    case ReduceOp::kMin: prim = &grads::kMaxMin; break;
    case ReduceOp::kProd: prim = &grads::kProd; break;  // issue 4: TF's _ProdGrad
    default: break;
  }
  return record_op(*prim, {x}, kernels::reduce(op, x, axes, keepdims), std::move(attrs));
}

Tensor reduce_sum(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return ops::reduce(ReduceOp::kSum, x, axes, keepdims);
}
Tensor reduce_mean(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return ops::reduce(ReduceOp::kMean, x, axes, keepdims);
}

Tensor cast(const Tensor& x, DType dtype) {
  if (x.dtype() == dtype) return x;
  Attrs attrs;
  attrs.dtype = dtype;
  bool differentiable = dtype_is_differentiable(x.dtype()) && dtype_is_differentiable(dtype);
  return record_op(differentiable ? grads::kCast : grads::kNoGradUnary, {x}, kernels::cast(x, dtype), std::move(attrs));
}

Tensor stop_gradient(const Tensor& x) { return x.reshaped(x.shape()); }

Tensor identity(const Tensor& x) { return record_op(grads::kIdentity, {x}, x.reshaped(x.shape())); }

Tensor strided_slice(const Tensor& x, const std::vector<kernels::SliceAxis>& axes, const Shape& result_shape) {
  if (x.dtype() == DType::kString) return strings_at(x, kernels::strided_slice(string_positions(x), axes)).reshaped(result_shape);
  Attrs attrs;
  attrs.slices = axes;
  attrs.shape = x.shape();
  Tensor sliced = kernels::strided_slice(x, axes);
  return record_op(grads::kStridedSlice, {x}, sliced.reshaped(result_shape), std::move(attrs));
}

Tensor strided_slice_grad(const Tensor& g, const Shape& shape, const std::vector<kernels::SliceAxis>& axes) {
  Attrs attrs;
  attrs.slices = axes;
  attrs.shape = shape;
  Shape grid;
  for (const kernels::SliceAxis& axis : axes) grid.push_back(axis.count);
  Tensor flat = g.shape() == grid ? g : g.reshaped(grid);
  return record_op(grads::kStridedSliceGrad, {g}, kernels::strided_slice_grad(flat, shape, axes), std::move(attrs));
}

Tensor zeros(DType dtype, const Shape& shape) { return kernels::fill(dtype, shape, 0.0); }
Tensor ones(DType dtype, const Shape& shape) { return kernels::fill(dtype, shape, 1.0); }
Tensor zeros_like(const Tensor& x) { return zeros(x.dtype(), x.shape()); }
Tensor ones_like(const Tensor& x) { return ones(x.dtype(), x.shape()); }
Tensor scalar_like(const Tensor& x, double value) { return Tensor::scalar(x.dtype(), value); }

std::vector<int> normalize_axes(const std::vector<std::int64_t>& axes, int rank, const char* op_name) {
  std::vector<int> out;
  for (std::int64_t axis : axes) {
    if (axis < -rank || axis >= std::max(rank, 1) || (rank == 0 && axis != 0 && axis != -1))
      throw UserError(ExitCode::kEval, std::string(op_name) + ": Invalid reduction dimension (" + std::to_string(axis) +
                                           " for input with " + std::to_string(rank) + " dimension(s)");
    int normalised = static_cast<int>(axis < 0 ? axis + rank : axis);
    if (rank == 0) continue;
    out.push_back(normalised);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace ag::ops
