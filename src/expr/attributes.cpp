// Attributes and methods of values: module members, tensor and variable properties, TensorShape
// and DType properties, as TF exposes them.
#include <cmath>
#include <limits>

#include "autodiff/tape.h"
#include "diag/error.h"
#include "diag/spellcheck.h"
#include "expr/evaluator.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/catalog.h"
#include "ops/convert.h"
#include "ops/dtypes_values.h"
#include "ops/random_generator.h"

namespace ag {
namespace {

Value method(const Value& self, const std::string& name) {
  Value v;
  v.kind = ValueKind::kMethod;
  v.method = std::make_shared<BoundMethod>(BoundMethod{std::make_shared<Value>(self), name});
  return v;
}

Value shape_value(const Shape& shape) {
  Value v;
  v.kind = ValueKind::kShape;
  v.dims = shape;
  return v;
}

[[noreturn]] void no_attribute(const Value& object, const std::string& name, const std::vector<std::string>& known) {
  throw UserError(ExitCode::kEval, "'" + value_type_name(object) + "' object has no attribute '" + name + "'" +
                                       did_you_mean(name, known));
}

/// The smallest and largest values of a dtype, as TF's DType.min / DType.max give them.
Value dtype_limit(DType dtype, bool maximum) {
  switch (dtype) {
    case DType::kBool: return Value::of_bool(maximum);
    case DType::kInt8: return Value::of_int(maximum ? 127 : -128);
    case DType::kInt16: return Value::of_int(maximum ? 32767 : -32768);
    case DType::kInt32: return Value::of_int(maximum ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int32_t>::min());
    case DType::kInt64: return Value::of_int(maximum ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min());
    case DType::kUInt8: return Value::of_int(maximum ? 255 : 0);
    case DType::kUInt16: return Value::of_int(maximum ? 65535 : 0);
    case DType::kUInt32: return Value::of_int(maximum ? 4294967295LL : 0);
    case DType::kUInt64:
      if (maximum) throw UserError(ExitCode::kEval, "uint64.max (18446744073709551615) does not fit the tool's Python int");
      return Value::of_int(0);
    case DType::kFloat16: return Value::of_float(maximum ? 65504.0 : -65504.0);
    case DType::kBFloat16: return Value::of_float(maximum ? 3.3895313892515355e+38 : -3.3895313892515355e+38);
    case DType::kFloat32: return Value::of_float(maximum ? std::numeric_limits<float>::max() : -std::numeric_limits<float>::max());
    case DType::kFloat64: return Value::of_float(maximum ? std::numeric_limits<double>::max() : -std::numeric_limits<double>::max());
    default:
      throw UserError(ExitCode::kEval, "Cannot find " + std::string(maximum ? "maximum" : "minimum") + " value of " +
                                           std::string(dtype_name(dtype)) + ".");
  }
}

Value dtype_attribute(const Value& object, const std::string& name) {
  if (std::optional<Value> extra = dtype_extra_attribute(object, name)) return *extra;
  DType d = object.dtype;
  DTypeKind kind = dtype_info(d).kind;
  if (name == "name") return Value::of_string(std::string(dtype_name(d)));
  if (name == "size") return Value::of_int(dtype_info(d).size);
  if (name == "is_floating") return Value::of_bool(dtype_is_floating(d));
  if (name == "is_integer") return Value::of_bool(dtype_is_integer(d));
  if (name == "is_complex") return Value::of_bool(dtype_is_complex(d));
  if (name == "is_bool") return Value::of_bool(kind == DTypeKind::kBool);
  if (name == "is_unsigned") return Value::of_bool(dtype_is_unsigned(d));
  if (name == "is_quantized") return Value::of_bool(kind == DTypeKind::kQuantized);
  if (name == "is_numpy_compatible") return Value::of_bool(d != DType::kResource && d != DType::kVariant);
  if (name == "as_datatype_enum") return Value::of_int(dtype_info(d).tf_enum);
  if (name == "base_dtype") return object;
  if (name == "real_dtype")
    return Value::of_dtype(d == DType::kComplex64 ? DType::kFloat32 : d == DType::kComplex128 ? DType::kFloat64 : d);
  if (name == "min") return dtype_limit(d, false);
  if (name == "max") return dtype_limit(d, true);
  no_attribute(object, name, {"name", "size", "is_floating", "is_integer", "is_complex", "is_bool", "is_unsigned",
                              "is_quantized", "base_dtype", "real_dtype", "min", "max", "as_datatype_enum"});
}

Value module_attribute(const Value& object, const std::string& name) {
  std::string path = object.text.empty() ? name : object.text + "." + name;
  if (is_module(path)) {
    Value v;
    v.kind = ValueKind::kModule;
    v.text = path;
    return v;
  }
  if (const OpDef* op = find_op(path)) {
    if (op->kind == MemberKind::kConstant) {
      CallArgs args(*op, {}, nullptr);
      return op->eval(args);
    }
    Value v;
    v.kind = ValueKind::kFunction;
    v.function = op;
    return v;
  }
  std::string module = object.text.empty() ? "tensorflow" : "tensorflow." + object.text;
  throw UserError(ExitCode::kUsage, "module '" + module + "' has no attribute '" + name + "'" +
                                        did_you_mean(name, module_members(object.text)));
}

}  // namespace

Value get_attribute(const Value& object, const std::string& name) {
  switch (object.kind) {
    case ValueKind::kModule: return module_attribute(object, name);
    case ValueKind::kDType: return dtype_attribute(object, name);
    case ValueKind::kTensor:
    case ValueKind::kNumpy: {
      const Tensor& t = object.tensor;
      if (name == "shape") return shape_value(t.shape());
      if (name == "dtype") return Value::of_dtype(t.dtype());
      if (name == "ndim") return Value::of_int(t.rank());
      if (name == "size" && object.kind == ValueKind::kNumpy) return Value::of_int(t.size());
      if (name == "numpy" || name == "get_shape") return method(object, name);
      no_attribute(object, name, {"shape", "dtype", "ndim", "numpy", "get_shape"});
    }
    case ValueKind::kVariable: {
      const VariableState& v = *object.variable;
      if (name == "shape") return shape_value(v.value.shape());
      if (name == "dtype") return Value::of_dtype(v.value.dtype());
      if (name == "name") return Value::of_string(v.name + ":0");
      if (name == "trainable") return Value::of_bool(v.trainable);
      if (name == "ndim") return Value::of_int(v.value.rank());
      if (name == "numpy" || name == "assign" || name == "assign_add" || name == "assign_sub" || name == "read_value" ||
          name == "value" || name == "get_shape")
        return method(object, name);
      no_attribute(object, name, {"shape", "dtype", "name", "trainable", "numpy", "assign", "assign_add", "assign_sub", "read_value", "value"});
    }
    case ValueKind::kGenerator:
    case ValueKind::kAlgorithm: return random_attribute(object, name);
    case ValueKind::kFunction:
      if (is_random_class(object)) return random_attribute(object, name);
      no_attribute(object, name, {});
    case ValueKind::kTuple:
      // A namedtuple's fields (TF's Unique(y, idx).y); a plain tuple has no attributes.
      for (std::size_t i = 0; i < object.fields.size(); ++i)
        if (object.fields[i] == name) return object.items[i];
      no_attribute(object, name, object.fields);
    case ValueKind::kShape:
      if (name == "rank" || name == "ndims") return Value::of_int(static_cast<std::int64_t>(object.dims.size()));
      if (name == "as_list" || name == "num_elements") return method(object, name);
      no_attribute(object, name, {"rank", "ndims", "as_list", "num_elements"});
    default: no_attribute(object, name, {});
  }
}

Value call_method(const BoundMethod& bound, std::vector<Value> positional, std::vector<std::pair<std::string, Value>> keywords) {
  const Value& self = *bound.self;
  const std::string& name = bound.name;
  auto expect_arguments = [&](std::size_t count) {
    if (positional.size() + keywords.size() != count)
      throw UserError(ExitCode::kEval, name + "() takes " + std::to_string(count) + " argument" + (count == 1 ? "" : "s") +
                                           " but " + std::to_string(positional.size() + keywords.size()) + " were given");
  };
  if (self.kind == ValueKind::kGenerator || self.kind == ValueKind::kFunction)
    return call_random_method(bound, std::move(positional), std::move(keywords));
  if (self.kind == ValueKind::kShape) {
    expect_arguments(0);
    if (name == "as_list") {
      std::vector<Value> dims;
      for (std::int64_t d : self.dims) dims.push_back(Value::of_int(d));
      return Value::list(std::move(dims));
    }
    return Value::of_int(shape_size(self.dims));
  }
  if (self.kind == ValueKind::kTensor || self.kind == ValueKind::kNumpy) {
    expect_arguments(0);
    if (name == "get_shape") return get_attribute(self, "shape");
    Value numpy = self;
    numpy.kind = ValueKind::kNumpy;
    return numpy;
  }
  if (self.kind == ValueKind::kVariable) {
    VariableState& v = *self.variable;
    if (name == "numpy") {
      expect_arguments(0);
      Value numpy = Value::of(v.value);
      numpy.kind = ValueKind::kNumpy;
      return numpy;
    }
    if (name == "get_shape") return shape_value(v.value.shape());
    if (name == "read_value" || name == "value") {
      expect_arguments(0);
      return Value::of(read_variable(v));
    }
    // assign, assign_add, assign_sub: not differentiable in TF; computed without recording.
    if (positional.empty() && !keywords.empty()) positional.push_back(keywords.front().second);
    if (positional.size() != 1) throw UserError(ExitCode::kEval, name + "() takes exactly one value");
    Tensor delta;
    {
      RecordingPause pause;
      delta = to_tensor(positional[0], v.value.dtype(), "Variable." + name);
      if (delta.shape() != v.value.shape() && name == "assign")
        throw UserError(ExitCode::kEval, "Cannot assign value of shape " + shape_str(delta.shape()) + " to a variable of shape " +
                                             shape_str(v.value.shape()));
      Tensor updated = name == "assign" ? delta
                       : name == "assign_add" ? ops::add(v.value, delta)
                                              : ops::subtract(v.value, delta);
      if (updated.shape() != v.value.shape())
        throw UserError(ExitCode::kEval, "Cannot update variable with shape " + shape_str(v.value.shape()) +
                                             " using a Tensor with shape " + shape_str(delta.shape()) + ", shapes must be equal.");
      v.value = updated;
    }
    return self;
  }
  throw UserError(ExitCode::kEval, "unknown method " + name);
}

}  // namespace ag
