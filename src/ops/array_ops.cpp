// Rows of the array family: makers, shape manipulation, matmul, and the tape helpers.
#include <cmath>
#include <cstring>

#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/families.h"

namespace ag {
namespace {

Value eval_reshape(CallArgs& a) { return Value::of(ops::reshape(a.tensor("tensor"), a.shape("shape"))); }

Value eval_transpose(CallArgs& a) {
  Tensor x = a.tensor("a");
  std::vector<int> perm;
  if (a.is_none("perm")) {
    for (int i = x.rank() - 1; i >= 0; --i) perm.push_back(i);
  } else {
    for (std::int64_t axis : a.shape("perm")) perm.push_back(static_cast<int>(axis < 0 ? axis + x.rank() : axis));
  }
  // conjugate=True conjugates complex tensors (the conjugate of a real tensor is itself).
  if (a.boolean("conjugate")) x = ops::conj(x);
  return Value::of(ops::transpose(x, perm));
}

Value eval_matmul(CallArgs& a) {
  auto [x, y] = a.tensor_pair("a", "b");
  bool transpose_a = a.boolean("transpose_a");
  bool transpose_b = a.boolean("transpose_b");
  // The adjoint is the conjugate transpose (the transpose, for real tensors); the transpose is folded
  // into the product.
  if (a.boolean("adjoint_a")) {
    if (transpose_a) throw UserError(ExitCode::kEval, "Only one of transpose_a and adjoint_a can be True.");
    x = ops::conj(x);
    transpose_a = true;
  }
  if (a.boolean("adjoint_b")) {
    if (transpose_b) throw UserError(ExitCode::kEval, "Only one of transpose_b and adjoint_b can be True.");
    y = ops::conj(y);
    transpose_b = true;
  }
  return Value::of(ops::matmul(x, y, transpose_a, transpose_b));
}

DType maker_dtype(const CallArgs& a, DType fallback) { return a.dtype("dtype").value_or(fallback); }

Value eval_zeros(CallArgs& a) { return Value::of(ops::zeros(maker_dtype(a, DType::kFloat32), a.shape("shape"))); }
Value eval_ones(CallArgs& a) { return Value::of(ops::ones(maker_dtype(a, DType::kFloat32), a.shape("shape"))); }

Value eval_fill(CallArgs& a) {
  Tensor value = a.tensor("value");
  if (value.rank() != 0) throw UserError(ExitCode::kEval, "fill: value must be a scalar, got shape " + shape_str(value.shape()));
  return Value::of(ops::broadcast_to(value, a.shape("dims")));
}

Value eval_zeros_like(CallArgs& a) {
  Tensor x = a.tensor("input");
  return Value::of(ops::zeros(maker_dtype(a, x.dtype()), x.shape()));
}
Value eval_ones_like(CallArgs& a) {
  Tensor x = a.tensor("input");
  return Value::of(ops::ones(maker_dtype(a, x.dtype()), x.shape()));
}

Value eval_range(CallArgs& a) {
  Value start = a["start"];
  Value limit = a["limit"];
  if (limit.is_none()) {
    limit = start;
    start = Value::of_int(0);
  }
  // TF infers the widest argument dtype (int32 < int64 < float16 < bfloat16 < float32 < float64, the
  // enum's order): Python ints count as int32, Python floats as float32, tensors as their own dtype.
  DType dtype = DType::kInt32;
  const Value& delta = a["delta"];
  for (const Value* v : {static_cast<const Value*>(&start), static_cast<const Value*>(&limit), &delta}) {
    if (v->kind == ValueKind::kFloat) dtype = std::max(dtype, DType::kFloat32);
    if (v->kind == ValueKind::kTensor) dtype = std::max(dtype, v->tensor.dtype());
  }
  if (std::optional<DType> requested = a.dtype("dtype")) dtype = *requested;
  auto number = [](const Value& v) {
    if (v.kind == ValueKind::kInt) return static_cast<double>(v.integer);
    if (v.kind == ValueKind::kFloat) return v.real;
    if (v.kind == ValueKind::kTensor && v.tensor.rank() == 0) return v.tensor.element_as_double(0);
    throw UserError(ExitCode::kEval, "range(): arguments must be numbers, got " + value_type_name(v));
  };
  return Value::of(kernels::range(dtype, number(start), number(limit), number(a["delta"])));
}

Value eval_linspace(CallArgs& a) {
  Tensor start = a.tensor("start");
  DType dtype = dtype_is_floating(start.dtype()) ? start.dtype() : DType::kFloat32;
  std::int64_t num = a.integer("num");
  if (num < 0) throw UserError(ExitCode::kEval, "linspace: num must be non-negative, got " + std::to_string(num));
  Tensor stop = a.tensor("stop", dtype);
  if (start.rank() == 0 && stop.rank() == 0) {
    std::int64_t axis = a.integer("axis");
    if (axis < -1 || axis > 0)
      throw UserError(ExitCode::kEval, "linspace: axis " + std::to_string(axis) + " is out of range [-1, 0] for scalar start and stop");
    return Value::of(kernels::linspace(dtype, start.element_as_double(0), stop.element_as_double(0), num));
  }
  // TF's linspace_nd: start and stop broadcast together, and each pair of elements gives a sequence
  // laid along `axis` (inserted into the broadcast shape as by expand_dims). Each sequence is the
  // scalar kernel's, so the digits are those of TF's start + delta * i in the dtype.
  Shape shape = broadcast_shapes(start.shape(), stop.shape());
  start = ops::broadcast_to(start, shape);
  stop = ops::broadcast_to(stop, shape);
  const int rank = static_cast<int>(shape.size());
  std::int64_t axis = a.integer("axis");
  if (axis < -(rank + 1) || axis > rank)
    throw UserError(ExitCode::kEval, "linspace: axis " + std::to_string(axis) + " is out of range [" + std::to_string(-(rank + 1)) + ", " +
                                         std::to_string(rank) + "]");
  if (axis < 0) axis += rank + 1;
  Shape out_shape = shape;
  out_shape.insert(out_shape.begin() + axis, num);
  Tensor out = Tensor::allocate(dtype, out_shape);
  const std::size_t bytes = storage_element_size(dtype);
  std::int64_t inner = 1;
  for (int i = static_cast<int>(axis); i < rank; ++i) inner *= shape[static_cast<std::size_t>(i)];
  auto* to = static_cast<char*>(out.raw_mutable());
  for (std::int64_t e = 0; e < start.size(); ++e) {
    Tensor line = kernels::linspace(dtype, start.element_as_double(e), stop.element_as_double(e), num);
    const auto* from = static_cast<const char*>(line.raw());
    const std::int64_t o = e / inner, i = e % inner;
    for (std::int64_t n = 0; n < num; ++n) std::memcpy(to + ((o * num + n) * inner + i) * bytes, from + n * bytes, bytes);
  }
  return Value::of(out);
}

Value eval_constant(CallArgs& a) {
  std::optional<DType> dtype = a.dtype("dtype");
  Tensor value = a.tensor("value", dtype);
  if (dtype && value.dtype() != *dtype) value = ops::cast(value, *dtype);
  if (!a.is_none("shape")) {
    Shape shape = a.shape("shape");
    if (value.size() == 1 && shape_size(shape) != 1) return Value::of(ops::broadcast_to(value.reshaped({}), shape));
    if (shape_size(shape) != value.size())
      throw UserError(ExitCode::kEval, "Eager execution of tf.constant with unsupported shape. Tried to convert tensor of shape " +
                                           shape_str(value.shape()) + " to a tensor of shape " + shape_str(shape) + ".");
    value = value.reshaped(shape);
  }
  return Value::of(value);
}

Value eval_convert_to_tensor(CallArgs& a) {
  std::optional<DType> dtype = a.dtype("dtype");
  return Value::of(to_tensor(a["value"], dtype, "convert_to_tensor"));
}

Value eval_variable(CallArgs& a) {
  auto state = std::make_shared<VariableState>();
  std::optional<DType> dtype = a.dtype("dtype");
  Tensor initial = a.tensor("initial_value", dtype);
  if (dtype && initial.dtype() != *dtype) initial = ops::cast(initial, *dtype);
  state->value = initial.reshaped(initial.shape());
  state->name = a.is_none("name") ? "Variable" : a.string("name");
  state->trainable = a.is_none("trainable") ? true : a.boolean("trainable");
  Value v;
  v.kind = ValueKind::kVariable;
  v.variable = std::move(state);
  return v;
}

Value eval_identity(CallArgs& a) { return Value::of(ops::identity(a.tensor("input"))); }
Value eval_stop_gradient(CallArgs& a) { return Value::of(ops::stop_gradient(a.tensor("input"))); }
Value eval_broadcast_to(CallArgs& a) { return Value::of(ops::broadcast_to(a.tensor("input"), a.shape("shape"))); }

Value shape_tensor(const Shape& shape, DType dtype) {
  Tensor t = Tensor::allocate(dtype, {static_cast<std::int64_t>(shape.size())});
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (dtype == DType::kInt64) t.mutable_data<std::int64_t>()[i] = shape[i];
    else t.mutable_data<std::int32_t>()[i] = static_cast<std::int32_t>(shape[i]);
  }
  return Value::of(t);
}

Value eval_shape(CallArgs& a) { return shape_tensor(a.tensor("input").shape(), a.dtype("out_type").value_or(DType::kInt32)); }
Value eval_size(CallArgs& a) {
  DType dtype = a.dtype("out_type").value_or(DType::kInt32);
  return Value::of(Tensor::scalar(dtype, static_cast<double>(a.tensor("input").size())));
}
Value eval_rank(CallArgs& a) { return Value::of(Tensor::scalar(DType::kInt32, a.tensor("input").rank())); }

// tf.newaxis is None, as in NumPy: an index that inserts an axis of length 1 (x[tf.newaxis]).
Value eval_newaxis(CallArgs&) { return Value::none(); }

const std::vector<OpDef> kRows = {
    {"newaxis", "", MemberKind::kConstant, "newaxis()", "None: as an index, inserts an axis of length 1 (x[tf.newaxis, :]).",
     "newaxis", eval_newaxis},
    {"reshape", "", MemberKind::kOp, "reshape(tensor, shape, name=None)",
     "Reshapes a tensor; one dimension may be -1 and is inferred.", "reshape(range(6), [2, -1])", eval_reshape},
    {"transpose", "linalg.transpose", MemberKind::kOp, "transpose(a, perm=None, conjugate=False, name=None)",
     "Transposes a, permuting its dimensions by perm (default: reversed).", "transpose([[1, 2, 3], [4, 5, 6]])", eval_transpose},
    {"linalg.matmul", "matmul", MemberKind::kOp,
     "matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False, "
     "b_is_sparse=False, output_type=None, name=None)",
     "Multiplies matrix a by matrix b (batched over leading axes), transposing either first if asked.",
     "matmul([[1.0, 2.0]], [[3.0], [4.0]])", eval_matmul},
    {"zeros", "", MemberKind::kOp, "zeros(shape, dtype=float32, name=None)", "Creates a tensor with all elements set to zero.",
     "zeros([2, 3])", eval_zeros},
    {"ones", "", MemberKind::kOp, "ones(shape, dtype=float32, name=None)", "Creates a tensor with all elements set to one.",
     "ones([2, 3], dtype=int32)", eval_ones},
    {"fill", "", MemberKind::kOp, "fill(dims, value, name=None)", "Creates a tensor of shape dims filled with a scalar value.",
     "fill([2, 3], 9.0)", eval_fill},
    {"zeros_like", "", MemberKind::kOp, "zeros_like(input, dtype=None, name=None)",
     "Creates a tensor of zeros with the shape (and dtype, unless given) of input.", "zeros_like([[1, 2], [3, 4]])",
     eval_zeros_like},
    {"ones_like", "", MemberKind::kOp, "ones_like(input, dtype=None, name=None)",
     "Creates a tensor of ones with the shape (and dtype, unless given) of input.", "ones_like([[1.0, 2.0]])", eval_ones_like},
    {"range", "", MemberKind::kOp, "range(start, limit=None, delta=1, dtype=None, name='range')",
     "Creates a sequence of numbers from start up to (not including) limit by delta; int32 unless an argument is a float.",
     "range(4)", eval_range},
    {"linspace", "lin_space", MemberKind::kOp, "linspace(start, stop, num, name=None, axis=0)",
     "Generates num evenly-spaced values from start to stop inclusive; tensor endpoints broadcast, the values laid along axis.", "linspace(0.0, 1.0, 5)", eval_linspace},
    {"constant", "", MemberKind::kOp, "constant(value, dtype=None, shape=None, name='Const')",
     "Creates a constant tensor from a Python value; floats default to float32 and ints to int32.",
     "constant([[1, 2], [3, 4]])", eval_constant},
    {"convert_to_tensor", "", MemberKind::kOp, "convert_to_tensor(value, dtype=None, dtype_hint=None, name=None)",
     "Converts a Python value or tensor to a tensor.", "convert_to_tensor([1.5, 2.0])", eval_convert_to_tensor},
    {"Variable", "", MemberKind::kClass,
     "Variable(initial_value=None, trainable=None, validate_shape=True, caching_device=None, name=None, "
     "variable_def=None, dtype=None, import_scope=None, constraint=None, synchronization=None, aggregation=None, "
     "shape=None)",
     "A mutable tensor; trainable variables are watched automatically by tapes that read them.",
     "Variable([1.0, 2.0], name='v')", eval_variable},
    {"identity", "", MemberKind::kOp, "identity(input, name=None)", "Returns a tensor with the same shape and contents as input.",
     "identity([1.0, 2.0])", eval_identity},
    {"stop_gradient", "", MemberKind::kOp, "stop_gradient(input, name=None)",
     "Returns input unchanged but blocks gradients: sources reached only through it get None.",
     "stop_gradient([1.0, 2.0])", eval_stop_gradient},
    {"broadcast_to", "", MemberKind::kOp, "broadcast_to(input, shape, name=None)",
     "Broadcasts input to shape with NumPy's rules.", "broadcast_to([1.0, 2.0], [2, 2])", eval_broadcast_to},
    {"shape", "", MemberKind::kOp, "shape(input, out_type=int32, name=None)", "Returns the shape of a tensor as a 1-D tensor.",
     "shape([[1, 2, 3], [4, 5, 6]])", eval_shape},
    {"size", "", MemberKind::kOp, "size(input, out_type=int32, name=None)", "Returns the number of elements of a tensor.",
     "size([[1, 2, 3], [4, 5, 6]])", eval_size},
    {"rank", "", MemberKind::kOp, "rank(input, name=None)", "Returns the rank (number of dimensions) of a tensor.",
     "rank([[1, 2, 3], [4, 5, 6]])", eval_rank},
};

}  // namespace

const std::vector<OpDef>& array_ops() { return kRows; }

}  // namespace ag
