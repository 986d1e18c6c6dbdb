// Rows of the math family (tf.math, most also at tf's top level), columns in OpDef order.
#include <algorithm>

#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/families.h"

namespace ag {
namespace {

using kernels::BinaryOp;
using kernels::ReduceOp;
using kernels::UnaryOp;

template <UnaryOp kOp>
Value eval_unary(CallArgs& a) {
  return Value::of(ops::unary(kOp, a.tensor("x")));
}

template <Tensor (*kFn)(const Tensor&, const Tensor&)>
Value eval_binary(CallArgs& a) {
  auto [x, y] = a.tensor_pair("x", "y");
  return Value::of(kFn(x, y));
}

template <BinaryOp kOp>
Value eval_compare(CallArgs& a) {
  auto [x, y] = a.tensor_pair("x", "y");
  return Value::of(ops::compare(kOp, x, y));
}

Value eval_divide(CallArgs& a) {
  auto [x, y] = a.tensor_pair("x", "y");
  // tf.divide is truediv: integer tensors become floating first (int8/16 → float32, wider → float64).
  if (dtype_is_integer(x.dtype())) {
    DType target = dtype_info(x.dtype()).size <= 2 ? DType::kFloat32 : DType::kFloat64;
    x = ops::cast(x, target);
    y = ops::cast(y, target);
  }
  return Value::of(ops::divide(x, y));
}

Value eval_pow(CallArgs& a) {
  auto [x, y] = a.tensor_pair("x", "y");
  return Value::of(ops::pow(x, y));
}

template <ReduceOp kOp>
Value eval_reduce(CallArgs& a) {
  Tensor x = a.tensor("input_tensor");
  std::optional<std::vector<std::int64_t>> axes = a.axes("axis");
  std::vector<int> normalised;
  if (axes) {
    normalised = ops::normalize_axes(*axes, x.rank(), a.op_name().c_str());
  } else {
    for (int i = 0; i < x.rank(); ++i) normalised.push_back(i);
  }
  return Value::of(ops::reduce(kOp, x, normalised, a.boolean("keepdims")));
}

Value eval_cast(CallArgs& a) {
  std::optional<DType> dtype = a.dtype("dtype");
  if (!dtype) throw UserError(ExitCode::kEval, "cast(): dtype must be given");
  return Value::of(ops::cast(a.tensor("x"), *dtype));
}

Value eval_where(CallArgs& a) {
  Tensor condition = a.tensor("condition", DType::kBool);
  if (a.is_none("x") && a.is_none("y"))
    throw UserError(ExitCode::kEval, "where(condition) without x and y (the indices form) is not supported yet");
  auto [x, y] = a.tensor_pair("x", "y");
  return Value::of(ops::where(condition, x, y));
}

const std::vector<OpDef> kRows = {
    {"math.add", "add", MemberKind::kOp, "add(x, y, name=None)",
     "Returns x + y element-wise, with broadcasting.", "add([1.0, 2.0], 3.0)", eval_binary<ops::add>},
    {"math.subtract", "subtract", MemberKind::kOp, "subtract(x, y, name=None)",
     "Returns x - y element-wise, with broadcasting.", "subtract([1.0, 2.0], 3.0)", eval_binary<ops::subtract>},
    {"math.multiply", "multiply", MemberKind::kOp, "multiply(x, y, name=None)",
     "Returns x * y element-wise, with broadcasting.", "multiply([1.0, 2.0], [3.0, 4.0])", eval_binary<ops::multiply>},
    {"math.divide", "divide", MemberKind::kOp, "divide(x, y, name=None)",
     "Computes Python style division of x by y; integer tensors are converted to floating point first.",
     "divide([1.0, 2.0], 4.0)", eval_divide},
    {"math.truediv", "truediv", MemberKind::kOp, "truediv(x, y, name=None)",
     "Divides x / y elementwise, converting integer tensors to floating point first.", "truediv([1, 2], 4)", eval_divide},
    {"math.pow", "pow", MemberKind::kOp, "pow(x, y, name=None)",
     "Computes the power of one value to another, x ** y element-wise.", "pow([2.0, 3.0], 2.0)", eval_pow},
    {"math.maximum", "maximum", MemberKind::kOp, "maximum(x, y, name=None)",
     "Returns the max of x and y element-wise; on ties the gradient goes to x.", "maximum([1.0, 5.0], 3.0)",
     eval_binary<ops::maximum>},
    {"math.minimum", "minimum", MemberKind::kOp, "minimum(x, y, name=None)",
     "Returns the min of x and y element-wise; on ties the gradient goes to x.", "minimum([1.0, 5.0], 3.0)",
     eval_binary<ops::minimum>},
    {"math.negative", "negative", MemberKind::kOp, "negative(x, name=None)", "Computes numerical negative value element-wise.",
     "negative([1.0, -2.0])", eval_unary<UnaryOp::kNegative>},
    {"math.abs", "abs", MemberKind::kOp, "abs(x, name=None)",
     "Computes the absolute value of a tensor; its gradient is 0 at x = 0.", "abs([-1.5, 0.0, 2.0])",
     eval_unary<UnaryOp::kAbs>},
    {"math.exp", "exp", MemberKind::kOp, "exp(x, name=None)", "Computes exponential of x element-wise: e ** x.",
     "exp([0.0, 1.0])", eval_unary<UnaryOp::kExp>},
    {"math.log", "", MemberKind::kOp, "log(x, name=None)", "Computes natural logarithm of x element-wise; log(0) is -inf.",
     "log([1.0, 2.0])", eval_unary<UnaryOp::kLog>},
    {"math.sin", "sin", MemberKind::kOp, "sin(x, name=None)", "Computes sine of x element-wise.", "sin([0.0, 1.0])",
     eval_unary<UnaryOp::kSin>},
    {"math.cos", "cos", MemberKind::kOp, "cos(x, name=None)", "Computes cos of x element-wise.", "cos([0.0, 1.0])",
     eval_unary<UnaryOp::kCos>},
    {"math.tanh", "tanh nn.tanh", MemberKind::kOp, "tanh(x, name=None)", "Computes hyperbolic tangent of x element-wise.",
     "tanh([0.0, 1.0])", eval_unary<UnaryOp::kTanh>},
    {"math.sigmoid", "sigmoid nn.sigmoid", MemberKind::kOp, "sigmoid(x, name=None)",
     "Computes sigmoid of x element-wise: 1 / (1 + exp(-x)).", "sigmoid([0.0, 2.0])", eval_unary<UnaryOp::kSigmoid>},
    {"math.sqrt", "sqrt", MemberKind::kOp, "sqrt(x, name=None)", "Computes element-wise square root; sqrt(-1) is nan.",
     "sqrt([4.0, 2.0])", eval_unary<UnaryOp::kSqrt>},
    {"math.square", "square", MemberKind::kOp, "square(x, name=None)", "Computes square of x element-wise.",
     "square([3.0, -2.0])", eval_unary<UnaryOp::kSquare>},
    {"math.reciprocal", "", MemberKind::kOp, "reciprocal(x, name=None)", "Computes the reciprocal of x element-wise: 1 / x.",
     "reciprocal([2.0, 4.0])", eval_unary<UnaryOp::kReciprocal>},
    {"math.sign", "sign", MemberKind::kOp, "sign(x, name=None)", "Returns an element-wise indication of the sign of a number.",
     "sign([-2.0, 0.0, 3.0])", eval_unary<UnaryOp::kSign>},
    {"math.equal", "equal", MemberKind::kOp, "equal(x, y, name=None)", "Returns the truth value of (x == y) element-wise.",
     "equal([1, 2], [1, 3])", eval_compare<BinaryOp::kEqual>},
    {"math.not_equal", "not_equal", MemberKind::kOp, "not_equal(x, y, name=None)",
     "Returns the truth value of (x != y) element-wise.", "not_equal([1, 2], [1, 3])", eval_compare<BinaryOp::kNotEqual>},
    {"math.less", "less", MemberKind::kOp, "less(x, y, name=None)", "Returns the truth value of (x < y) element-wise.",
     "less([1, 2], 2)", eval_compare<BinaryOp::kLess>},
    {"math.less_equal", "less_equal", MemberKind::kOp, "less_equal(x, y, name=None)",
     "Returns the truth value of (x <= y) element-wise.", "less_equal([1, 2], 2)", eval_compare<BinaryOp::kLessEqual>},
    {"math.greater", "greater", MemberKind::kOp, "greater(x, y, name=None)", "Returns the truth value of (x > y) element-wise.",
     "greater([1, 2], 1)", eval_compare<BinaryOp::kGreater>},
    {"math.greater_equal", "greater_equal", MemberKind::kOp, "greater_equal(x, y, name=None)",
     "Returns the truth value of (x >= y) element-wise.", "greater_equal([1, 2], 2)", eval_compare<BinaryOp::kGreaterEqual>},
    {"math.reduce_sum", "reduce_sum", MemberKind::kOp, "reduce_sum(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the sum of elements across dimensions of a tensor.", "reduce_sum([[1.0, 2.0], [3.0, 4.0]], axis=0)",
     eval_reduce<ReduceOp::kSum>},
    {"math.reduce_mean", "reduce_mean", MemberKind::kOp, "reduce_mean(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the mean of elements across dimensions of a tensor.", "reduce_mean([[1.0, 2.0], [3.0, 4.0]], axis=1)",
     eval_reduce<ReduceOp::kMean>},
    {"math.reduce_max", "reduce_max", MemberKind::kOp, "reduce_max(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the maximum of elements across dimensions; tied maxima share the gradient equally.",
     "reduce_max([[1.0, 5.0], [3.0, 4.0]], axis=1)", eval_reduce<ReduceOp::kMax>},
    {"math.reduce_min", "reduce_min", MemberKind::kOp, "reduce_min(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the minimum of elements across dimensions; tied minima share the gradient equally.",
     "reduce_min([[1.0, 5.0], [3.0, 4.0]], axis=1)", eval_reduce<ReduceOp::kMin>},
    {"dtypes.cast", "cast", MemberKind::kOp, "cast(x, dtype, name=None)",
     "Casts a tensor to a new type; floats to integers truncate toward zero.", "cast([1.8, -1.8], tf.int32)", eval_cast},
    {"where", "", MemberKind::kOp, "where(condition, x=None, y=None, name=None)",
     "Returns the elements of x where condition is true and of y elsewhere, with broadcasting.",
     "where([True, False], [1.0, 2.0], [3.0, 4.0])", eval_where},
};

}  // namespace

const std::vector<OpDef>& math_ops() { return kRows; }

}  // namespace ag
