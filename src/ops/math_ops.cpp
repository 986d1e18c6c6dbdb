// Rows of the math family (tf.math, most also at tf's top level), columns in OpDef order.
#include <algorithm>

#include "autodiff/tape.h"
#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/dtypes_values.h"
#include "ops/families.h"
#include "ops/record.h"

namespace ag {
namespace {

using kernels::BinaryOp;
using kernels::ReduceOp;
using kernels::UnaryOp;

template <UnaryOp kOp>
Tensor unary_on_tensor(const Tensor& x) {
  return ops::unary(kOp, x);
}

template <UnaryOp kOp>
Value eval_unary(CallArgs& a) {
  return Value::of(unary_on_tensor<kOp>(a.tensor("x")));
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

/// tf.math.divide_no_nan: x / y, and 0 wherever y is 0. Composed of recorded ops (the division
/// sees 1 where y is 0), so its gradient is TF's _DivNoNanGrad at every order: 0 where y is 0.
Value eval_divide_no_nan(CallArgs& a) {
  auto [x, y] = a.tensor_pair("x", "y");
  if (!dtype_is_floating(x.dtype()) && !dtype_is_complex(x.dtype()))
    throw UserError(ExitCode::kEval, "Value for attr 'T' of " + std::string(dtype_name(x.dtype())) +
                                         " is not in the list of allowed values: half, float, bfloat16, double, complex64, "
                                         "complex128 [Op:DivNoNan]");
  ops::check_binary_dtypes(x, y, "DivNoNan");
  Tensor zero_divisor = ops::compare(BinaryOp::kEqual, y, ops::scalar_like(y, 0.0));
  Tensor safe_y = ops::where(zero_divisor, ops::ones_like(y), y);
  Tensor quotient = ops::divide(x, safe_y);
  return Value::of(ops::where(zero_divisor, ops::zeros_like(quotient), quotient));
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

/// The coordinates of the true elements, row-major: int64 [count, rank] (TF's Where).
Tensor true_coordinates(const Tensor& condition) {
  const Shape& shape = condition.shape();
  std::vector<std::int64_t> found;
  std::int64_t count = 0;
  for (std::int64_t i = 0; i < condition.size(); ++i) {
    if (condition.element_as_double(i) == 0) continue;
    ++count;
    std::vector<std::int64_t> index(shape.size());
    std::int64_t rest = i;
    for (std::size_t d = shape.size(); d-- > 0;) {
      index[d] = rest % shape[d];
      rest /= shape[d];
    }
    found.insert(found.end(), index.begin(), index.end());
  }
  Tensor out = Tensor::allocate(DType::kInt64, {count, static_cast<std::int64_t>(shape.size())});
  std::copy(found.begin(), found.end(), out.mutable_data<std::int64_t>());
  return out;
}

Value eval_where(CallArgs& a) {
  if (a.is_none("x") != a.is_none("y"))
    throw UserError(ExitCode::kEval, "x and y must both be non-None or both be None.");
  if (a.is_none("x")) {
    // The indices form: any dtype is read as its truth value.
    Tensor condition = a.tensor("condition");
    if (condition.dtype() != DType::kBool)
      condition = ops::compare(kernels::BinaryOp::kNotEqual, condition, ops::zeros_like(condition));
    return Value::of(true_coordinates(condition));
  }
  Tensor condition = a.tensor("condition", DType::kBool);
  auto [x, y] = a.tensor_pair("x", "y");
  return Value::of(ops::where(condition, x, y));
}

// ---- issue 4: the rest of the math family ---------------------------------------------------

Value eval_floordiv(CallArgs& a) {
  auto [x, y] = a.tensor_pair("x", "y");
  return Value::of(ops::floordiv(x, y));
}

Value eval_atan2(CallArgs& a) {
  auto [y, x] = a.tensor_pair("y", "x");
  return Value::of(ops::atan2(y, x));
}

Value eval_polygamma(CallArgs& a) {
  auto [n, x] = a.tensor_pair("a", "x");
  return Value::of(ops::polygamma(n, x));
}

Value eval_conj(CallArgs& a) { return Value::of(ops::conj(a.tensor("x"))); }
Value eval_real(CallArgs& a) { return Value::of(ops::real(a.tensor("input"))); }
Value eval_imag(CallArgs& a) { return Value::of(ops::imag(a.tensor("input"))); }

Value eval_logical_not(CallArgs& a) { return Value::of(ops::unary(UnaryOp::kLogicalNot, a.tensor("x", DType::kBool))); }

template <BinaryOp kOp>
Value eval_logical(CallArgs& a) {
  return Value::of(ops::compare(kOp, a.tensor("x", DType::kBool), a.tensor("y", DType::kBool)));
}

Value eval_softplus(CallArgs& a) { return Value::of(ops::softplus(a.tensor("features"))); }

// log_sigmoid(x) = -softplus(-x)                                         (TF: math_ops.log_sigmoid)
Value eval_log_sigmoid(CallArgs& a) { return Value::of(ops::negative(ops::softplus(ops::negative(a.tensor("x"))))); }

/// The reduction axes of a reduce_* call: None is every axis.
std::vector<int> reduction_axes(CallArgs& a, const Tensor& x) {
  std::optional<std::vector<std::int64_t>> axes = a.axes("axis");
  if (axes) return ops::normalize_axes(*axes, x.rank(), a.op_name().c_str());
  std::vector<int> all;
  for (int i = 0; i < x.rank(); ++i) all.push_back(i);
  return all;
}

// log(sum(exp(x - m))) + m with m the finite max, held constant     (TF: math_ops.reduce_logsumexp)
Value eval_reduce_logsumexp(CallArgs& a) {
  Tensor x = a.tensor("input_tensor");
  std::vector<int> axes = reduction_axes(a, x);
  bool keepdims = a.boolean("keepdims");
  Tensor my_max;
  {
    RecordingPause pause;  // stop_gradient(where(is_finite(raw_max), raw_max, 0))
    Tensor raw_max = ops::reduce(ReduceOp::kMax, x, axes, true);
    my_max = ops::where(ops::unary(UnaryOp::kIsFinite, raw_max), raw_max, ops::zeros_like(raw_max));
  }
  Tensor result = ops::log(ops::reduce_sum(ops::exp(ops::subtract(x, my_max)), axes, keepdims));
  if (!keepdims) my_max = my_max.reshaped(result.shape());
  return Value::of(ops::add(result, my_max));
}

/// mean((x - mean(x))²) over the axes                                 (TF: math_ops.reduce_variance)
Tensor reduce_variance(CallArgs& a) {
  Tensor x = a.tensor("input_tensor");
  std::vector<int> axes = reduction_axes(a, x);
  Tensor means = ops::reduce_mean(x, axes, true);
  if (dtype_is_integer(means.dtype()))
    throw UserError(ExitCode::kEval, "Input must be either real or complex. Received integer type " +
                                         std::string(dtype_name(means.dtype())) + ".");
  Tensor squared_deviations = ops::square(ops::subtract(x, means));
  return ops::reduce_mean(squared_deviations, axes, a.boolean("keepdims"));
}
Value eval_reduce_variance(CallArgs& a) { return Value::of(reduce_variance(a)); }
// sqrt(reduce_variance)                                               (TF: math_ops.reduce_std)
Value eval_reduce_std(CallArgs& a) { return Value::of(ops::sqrt(reduce_variance(a))); }

/// One axis argument normalised against rank with TF's range error.
int single_axis(std::int64_t axis, int rank, const char* what) {
  if (axis < -rank || axis >= rank)
    throw UserError(ExitCode::kEval, std::string("Expected ") + what + " in the range [" + std::to_string(-rank) + ", " +
                                         std::to_string(rank) + "), but got " + std::to_string(axis));
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

template <bool kMax>
Value eval_arg_reduce(CallArgs& a) {
  Tensor x = a.tensor("input");
  std::int64_t axis = a.is_none("axis") ? 0 : a.integer("axis");
  DType index_dtype = a.dtype("output_type").value_or(DType::kInt64);
  if (index_dtype != DType::kInt32 && index_dtype != DType::kInt64)
    throw UserError(ExitCode::kEval, a.op_name() + "(): output_type must be int32 or int64, not " + std::string(dtype_name(index_dtype)));
  int normalised = single_axis(axis, std::max(x.rank(), 1), "dimension");
  if (x.rank() == 0) throw UserError(ExitCode::kEval, "Expected dimension in the range [0, 0), but got 0");
  return Value::of(ops::arg_reduce(kMax, x, normalised, index_dtype));
}

template <bool kSum>
Value eval_scan(CallArgs& a) {
  Tensor x = a.tensor("x");
  int axis = single_axis(a.integer("axis"), std::max(x.rank(), 1), "scan axis");
  if (x.rank() == 0) throw UserError(ExitCode::kEval, std::string(kSum ? "cumsum" : "cumprod") + "(): input must be at least 1-D");
  bool exclusive = a.boolean("exclusive");
  bool reverse = a.boolean("reverse");
  return Value::of(kSum ? ops::cumsum(x, axis, exclusive, reverse) : ops::cumprod(x, axis, exclusive, reverse));
}

/// A list argument's items, each converted as tf.convert_to_tensor does on its own.
std::vector<Tensor> tensor_list(CallArgs& a, const char* param) {
  const Value& value = a[param];
  if (!value.is_sequence())
    throw UserError(ExitCode::kEval, a.op_name() + "(): '" + param + "' must be a list of tensors, not " + value_type_name(value));
  std::vector<Tensor> tensors;
  for (const Value& item : value.items) tensors.push_back(to_tensor(item, std::nullopt, a.op_name()));
  return tensors;
}

Value eval_add_n(CallArgs& a) { return Value::of(ops::add_n(tensor_list(a, "inputs"))); }

// p = c0; p = c + p * x for each further coefficient                  (TF: math_ops.polyval)
Value eval_polyval(CallArgs& a) {
  if (!a["coeffs"].is_sequence())
    throw UserError(ExitCode::kEval, "Argument coeffs must be list type. Received type: " + value_type_name(a["coeffs"]) + ".");
  Tensor x = a.tensor("x");
  std::vector<Tensor> coeffs = tensor_list(a, "coeffs");
  if (coeffs.empty()) return Value::of(ops::zeros_like(x));
  Tensor p = coeffs[0];
  for (std::size_t i = 1; i < coeffs.size(); ++i) p = ops::add(coeffs[i], ops::multiply(p, x));
  return Value::of(p);
}

// minimum(t, max) then maximum(that, min); no broadcasting past t's shape  (TF: clip_ops.clip_by_value)
Value eval_clip_by_value(CallArgs& a) {
  Tensor t = a.tensor("t");
  auto check = [&t](const Tensor& result) {
    if (result.shape() != t.shape())
      throw UserError(ExitCode::kEval, "Shapes " + shape_str(t.shape()) + " and " + shape_str(result.shape()) + " are incompatible");
  };
  Tensor t_min = ops::minimum(t, to_tensor(a["clip_value_max"], t.dtype(), "clip_by_value"));
  check(t_min);
  Tensor t_max = ops::maximum(t_min, to_tensor(a["clip_value_min"], t.dtype(), "clip_by_value"));
  check(t_max);
  return Value::of(t_max);
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
     "negative([1.0, -2.0])", eval_unary<UnaryOp::kNegative>, unary_on_tensor<UnaryOp::kNegative>},
    {"math.conj", "", MemberKind::kOp, "conj(x, name=None)",
     "Returns the complex conjugate of a complex tensor; a real tensor is returned unchanged. Its gradient is the "
     "conjugate of the incoming gradient.",
     "math.conj([1+2j, -3-4j])", eval_conj},
    {"math.real", "", MemberKind::kOp, "real(input, name=None)",
     "Returns the real part of a complex tensor as float32 (complex64) or float64 (complex128); a real tensor is "
     "returned unchanged. The gradient is complex(g, 0).",
     "math.real([1+2j, -3-4j])", eval_real},
    {"math.imag", "", MemberKind::kOp, "imag(input, name=None)",
     "Returns the imaginary part of a complex tensor as float32 (complex64) or float64 (complex128); a real tensor "
     "gives zeros. The gradient is complex(0, g).",
     "math.imag([1+2j, -3-4j])", eval_imag},
    {"math.abs", "abs", MemberKind::kOp, "abs(x, name=None)",
     "Computes the absolute value of a tensor; its gradient is 0 at x = 0.", "abs([-1.5, 0.0, 2.0])",
     eval_unary<UnaryOp::kAbs>, unary_on_tensor<UnaryOp::kAbs>},
    {"math.exp", "exp", MemberKind::kOp, "exp(x, name=None)", "Computes exponential of x element-wise: e ** x.",
     "exp([0.0, 1.0])", eval_unary<UnaryOp::kExp>, unary_on_tensor<UnaryOp::kExp>},
    {"math.log", "", MemberKind::kOp, "log(x, name=None)", "Computes natural logarithm of x element-wise; log(0) is -inf.",
     "log([1.0, 2.0])", eval_unary<UnaryOp::kLog>, unary_on_tensor<UnaryOp::kLog>},
    {"math.sin", "sin", MemberKind::kOp, "sin(x, name=None)", "Computes sine of x element-wise.", "sin([0.0, 1.0])",
     eval_unary<UnaryOp::kSin>, unary_on_tensor<UnaryOp::kSin>},
    {"math.cos", "cos", MemberKind::kOp, "cos(x, name=None)", "Computes cos of x element-wise.", "cos([0.0, 1.0])",
     eval_unary<UnaryOp::kCos>, unary_on_tensor<UnaryOp::kCos>},
    {"math.tanh", "tanh nn.tanh", MemberKind::kOp, "tanh(x, name=None)", "Computes hyperbolic tangent of x element-wise.",
     "tanh([0.0, 1.0])", eval_unary<UnaryOp::kTanh>, unary_on_tensor<UnaryOp::kTanh>},
    {"math.sigmoid", "sigmoid nn.sigmoid", MemberKind::kOp, "sigmoid(x, name=None)",
     "Computes sigmoid of x element-wise: 1 / (1 + exp(-x)).", "sigmoid([0.0, 2.0])", eval_unary<UnaryOp::kSigmoid>, unary_on_tensor<UnaryOp::kSigmoid>},
    {"math.sqrt", "sqrt", MemberKind::kOp, "sqrt(x, name=None)", "Computes element-wise square root; sqrt(-1) is nan.",
     "sqrt([4.0, 2.0])", eval_unary<UnaryOp::kSqrt>, unary_on_tensor<UnaryOp::kSqrt>},
    {"math.square", "square", MemberKind::kOp, "square(x, name=None)", "Computes square of x element-wise.",
     "square([3.0, -2.0])", eval_unary<UnaryOp::kSquare>, unary_on_tensor<UnaryOp::kSquare>},
    {"math.reciprocal", "", MemberKind::kOp, "reciprocal(x, name=None)", "Computes the reciprocal of x element-wise: 1 / x.",
     "reciprocal([2.0, 4.0])", eval_unary<UnaryOp::kReciprocal>, unary_on_tensor<UnaryOp::kReciprocal>},
    {"math.sign", "sign", MemberKind::kOp, "sign(x, name=None)", "Returns an element-wise indication of the sign of a number.",
     "sign([-2.0, 0.0, 3.0])", eval_unary<UnaryOp::kSign>, unary_on_tensor<UnaryOp::kSign>},
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
     "Returns the elements of x where condition is true and of y elsewhere, with broadcasting; with neither x nor y, "
     "the int64 coordinates of the true elements.",
     "where([True, False], [1.0, 2.0], [3.0, 4.0])", eval_where},
    // ---- issue 4 -------------------------------------------------------------------------
    {"math.floordiv", "", MemberKind::kOp, "floordiv(x, y, name=None)",
     "Divides x / y elementwise, rounding toward the most negative integer; not differentiable.",
     "math.floordiv([7.0, -7.0], 2.0)", eval_floordiv},
    {"math.floormod", "math.mod", MemberKind::kOp, "floormod(x, y, name=None)",
     "Returns the remainder of x / y with the sign of y (Python's %); the gradient is (g, -g * floor(x / y)).",
     "math.floormod([7.0, -7.0], 3.0)", eval_binary<ops::floormod>},
    {"math.squared_difference", "", MemberKind::kOp, "squared_difference(x, y, name=None)",
     "Returns (x - y)(x - y) element-wise, with broadcasting.", "math.squared_difference([1.0, 4.0], 2.0)",
     eval_binary<ops::squared_difference>},
    {"math.divide_no_nan", "", MemberKind::kOp, "divide_no_nan(x, y, name=None)",
     "Computes x / y, giving 0 wherever y is 0 (even if x is 0, inf or nan); the gradient is 0 there too.",
     "math.divide_no_nan([3.0, 1.0], [4.0, 0.0])", eval_divide_no_nan},
    {"math.multiply_no_nan", "", MemberKind::kOp, "multiply_no_nan(x, y, name=None)",
     "Computes x * y, giving 0 wherever y is 0 even if x is inf or nan.", "math.multiply_no_nan([1.0, 2.0], [0.0, 3.0])",
     eval_binary<ops::multiply_no_nan>},
    {"math.atan2", "atan2", MemberKind::kOp, "atan2(y, x, name=None)",
     "Computes arctangent of y/x element-wise, respecting the signs of the arguments.", "atan2([1.0, -1.0], [-1.0, -1.0])",
     eval_atan2},
    {"math.rsqrt", "", MemberKind::kOp, "rsqrt(x, name=None)", "Computes reciprocal of square root of x element-wise.",
     "math.rsqrt([4.0, 0.25])", eval_unary<UnaryOp::kRsqrt>, unary_on_tensor<UnaryOp::kRsqrt>},
    {"math.expm1", "", MemberKind::kOp, "expm1(x, name=None)", "Computes exp(x) - 1 element-wise, accurate near 0.",
     "math.expm1([0.0, 1e-5, 1.0])", eval_unary<UnaryOp::kExpm1>, unary_on_tensor<UnaryOp::kExpm1>},
    {"math.log1p", "", MemberKind::kOp, "log1p(x, name=None)", "Computes natural logarithm of (1 + x) element-wise.",
     "math.log1p([0.0, 1e-5, 1.0])", eval_unary<UnaryOp::kLog1p>, unary_on_tensor<UnaryOp::kLog1p>},
    {"math.tan", "tan", MemberKind::kOp, "tan(x, name=None)", "Computes tan of x element-wise.", "tan([0.0, 1.0])",
     eval_unary<UnaryOp::kTan>, unary_on_tensor<UnaryOp::kTan>},
    {"math.asin", "asin", MemberKind::kOp, "asin(x, name=None)", "Computes the trignometric inverse sine of x element-wise.",
     "asin([0.0, 0.5])", eval_unary<UnaryOp::kAsin>, unary_on_tensor<UnaryOp::kAsin>},
    {"math.acos", "acos", MemberKind::kOp, "acos(x, name=None)", "Computes acos of x element-wise.", "acos([0.0, 0.5])",
     eval_unary<UnaryOp::kAcos>, unary_on_tensor<UnaryOp::kAcos>},
    {"math.atan", "atan", MemberKind::kOp, "atan(x, name=None)", "Computes the trignometric inverse tangent of x element-wise.",
     "atan([0.0, 1.0])", eval_unary<UnaryOp::kAtan>, unary_on_tensor<UnaryOp::kAtan>},
    {"math.sinh", "sinh", MemberKind::kOp, "sinh(x, name=None)", "Computes hyperbolic sine of x element-wise.",
     "sinh([0.0, 1.0])", eval_unary<UnaryOp::kSinh>, unary_on_tensor<UnaryOp::kSinh>},
    {"math.cosh", "cosh", MemberKind::kOp, "cosh(x, name=None)", "Computes hyperbolic cosine of x element-wise.",
     "cosh([0.0, 1.0])", eval_unary<UnaryOp::kCosh>, unary_on_tensor<UnaryOp::kCosh>},
    {"math.asinh", "asinh", MemberKind::kOp, "asinh(x, name=None)", "Computes inverse hyperbolic sine of x element-wise.",
     "asinh([0.0, 1.0])", eval_unary<UnaryOp::kAsinh>, unary_on_tensor<UnaryOp::kAsinh>},
    {"math.acosh", "acosh", MemberKind::kOp, "acosh(x, name=None)", "Computes inverse hyperbolic cosine of x element-wise.",
     "acosh([1.0, 2.0])", eval_unary<UnaryOp::kAcosh>, unary_on_tensor<UnaryOp::kAcosh>},
    {"math.atanh", "atanh", MemberKind::kOp, "atanh(x, name=None)", "Computes inverse hyperbolic tangent of x element-wise.",
     "atanh([0.0, 0.5])", eval_unary<UnaryOp::kAtanh>, unary_on_tensor<UnaryOp::kAtanh>},
    {"math.log_sigmoid", "", MemberKind::kOp, "log_sigmoid(x, name=None)",
     "Computes log(1 / (1 + exp(-x))) element-wise, as -softplus(-x).", "math.log_sigmoid([0.0, 1.0, 50.0, 100.0])",
     eval_log_sigmoid},
    {"math.softplus", "nn.softplus", MemberKind::kOp, "softplus(features, name=None)",
     "Computes log(exp(x) + 1) element-wise; the gradient is g * sigmoid(x).", "math.softplus([-20.0, 0.0, 1.0])",
     eval_softplus},
    {"math.erf", "", MemberKind::kOp, "erf(x, name=None)", "Computes the Gauss error function of x element-wise.",
     "math.erf([0.0, 1.0])", eval_unary<UnaryOp::kErf>, unary_on_tensor<UnaryOp::kErf>},
    {"math.erfc", "", MemberKind::kOp, "erfc(x, name=None)", "Computes the complementary error function of x element-wise.",
     "math.erfc([0.0, 1.0])", eval_unary<UnaryOp::kErfc>, unary_on_tensor<UnaryOp::kErfc>},
    {"math.lgamma", "", MemberKind::kOp, "lgamma(x, name=None)",
     "Computes the log of the absolute value of Gamma(x) element-wise.", "math.lgamma([0.5, 3.0])", eval_unary<UnaryOp::kLgamma>, unary_on_tensor<UnaryOp::kLgamma>},
    {"math.digamma", "", MemberKind::kOp, "digamma(x, name=None)",
     "Computes Psi, the derivative of lgamma, element-wise; +inf at 0, -1, -2, ...", "math.digamma([1.0, 0.5])",
     eval_unary<UnaryOp::kDigamma>, unary_on_tensor<UnaryOp::kDigamma>},
    {"math.polygamma", "", MemberKind::kOp, "polygamma(a, x, name=None)",
     "Computes the polygamma function psi^(a)(x) for integer-valued a; only x has a gradient.", "math.polygamma(1.0, [1.0, 2.0])",
     eval_polygamma},
    {"math.floor", "floor", MemberKind::kOp, "floor(x, name=None)", "Returns element-wise largest integer not greater than x.",
     "floor([-1.5, 1.5])", eval_unary<UnaryOp::kFloor>, unary_on_tensor<UnaryOp::kFloor>},
    {"math.ceil", "", MemberKind::kOp, "ceil(x, name=None)", "Returns element-wise smallest integer not less than x.",
     "math.ceil([-1.5, 1.5])", eval_unary<UnaryOp::kCeil>, unary_on_tensor<UnaryOp::kCeil>},
    {"math.round", "round", MemberKind::kOp, "round(x, name=None)", "Rounds the values of a tensor to the nearest integer, half to even.",
     "round([0.5, 1.5, 2.5])", eval_unary<UnaryOp::kRound>, unary_on_tensor<UnaryOp::kRound>},
    {"clip_by_value", "", MemberKind::kOp, "clip_by_value(t, clip_value_min, clip_value_max, name=None)",
     "Clips tensor values to [clip_value_min, clip_value_max] as maximum(minimum(t, max), min).",
     "clip_by_value([-2.0, 0.5, 3.0], -1.0, 1.0)", eval_clip_by_value},
    {"math.logical_and", "logical_and", MemberKind::kOp, "logical_and(x, y, name=None)",
     "Returns the truth value of x AND y element-wise.", "logical_and([True, True], [True, False])",
     eval_logical<BinaryOp::kLogicalAnd>},
    {"math.logical_or", "logical_or", MemberKind::kOp, "logical_or(x, y, name=None)",
     "Returns the truth value of x OR y element-wise.", "logical_or([True, False], [False, False])",
     eval_logical<BinaryOp::kLogicalOr>},
    {"math.logical_not", "logical_not", MemberKind::kOp, "logical_not(x, name=None)",
     "Returns the truth value of NOT x element-wise.", "logical_not([True, False])", eval_logical_not},
    {"math.reduce_prod", "reduce_prod", MemberKind::kOp, "reduce_prod(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the product of elements across dimensions; the gradient uses exclusive cumulative products, so zeros are fine.",
     "reduce_prod([[1.0, 2.0], [3.0, 4.0]], axis=1)", eval_reduce<ReduceOp::kProd>},
    {"math.reduce_all", "reduce_all", MemberKind::kOp, "reduce_all(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the logical and of elements across dimensions of a tensor.", "reduce_all([[True, True], [False, True]], axis=1)",
     eval_reduce<ReduceOp::kAll>},
    {"math.reduce_any", "reduce_any", MemberKind::kOp, "reduce_any(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the logical or of elements across dimensions of a tensor.", "reduce_any([[True, False], [False, False]], axis=1)",
     eval_reduce<ReduceOp::kAny>},
    {"math.reduce_logsumexp", "reduce_logsumexp", MemberKind::kOp,
     "reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes log(sum(exp(x))) across dimensions, shifted by the (constant) maximum for stability.",
     "reduce_logsumexp([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])", eval_reduce_logsumexp},
    {"math.reduce_variance", "", MemberKind::kOp, "reduce_variance(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the (biased) variance of elements across dimensions.", "math.reduce_variance([[1.0, 2.0], [3.0, 4.0]])",
     eval_reduce_variance},
    {"math.reduce_std", "", MemberKind::kOp, "reduce_std(input_tensor, axis=None, keepdims=False, name=None)",
     "Computes the standard deviation of elements across dimensions.", "math.reduce_std([[1.0, 2.0], [3.0, 4.0]], axis=0)",
     eval_reduce_std},
    {"math.argmax", "argmax", MemberKind::kOp, "argmax(input, axis=None, output_type=int64, name=None)",
     "Returns the index with the largest value across an axis (0 by default); ties give the first.",
     "argmax([[1.0, 5.0, 5.0], [3.0, 2.0, 1.0]], axis=1)", eval_arg_reduce<true>},
    {"math.argmin", "argmin", MemberKind::kOp, "argmin(input, axis=None, output_type=int64, name=None)",
     "Returns the index with the smallest value across an axis (0 by default); ties give the first.",
     "argmin([[1.0, 5.0, 1.0], [3.0, 2.0, 1.0]], axis=1)", eval_arg_reduce<false>},
    {"math.cumsum", "cumsum", MemberKind::kOp, "cumsum(x, axis=0, exclusive=False, reverse=False, name=None)",
     "Computes the cumulative sum along an axis, exclusive and/or reversed.", "cumsum([1.0, 2.0, 3.0], exclusive=True)",
     eval_scan<true>},
    {"math.cumprod", "", MemberKind::kOp, "cumprod(x, axis=0, exclusive=False, reverse=False, name=None)",
     "Computes the cumulative product along an axis; its gradient divides by x, as TF's.",
     "math.cumprod([1.0, 2.0, 3.0], reverse=True)", eval_scan<false>},
    {"math.add_n", "add_n", MemberKind::kOp, "add_n(inputs, name=None)",
     "Adds all input tensors element-wise; every input gets the whole gradient.", "add_n([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])",
     eval_add_n},
    {"math.polyval", "", MemberKind::kOp, "polyval(coeffs, x, name=None)",
     "Computes the polynomial sum(coeffs[i] * x^(n-1-i)) by Horner's rule.", "math.polyval([1.0, 0.0, -2.0], [1.0, 2.0])",
     eval_polyval},
};

}  // namespace

const std::vector<OpDef>& math_ops() { return kRows; }

}  // namespace ag
