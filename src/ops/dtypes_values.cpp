// DType properties computed as tensorflow/python/framework/dtypes.py does: as_numpy_dtype from
// its _TF_TO_NP table, min/max from np.finfo / np.iinfo, and the "_ref" variants.
#include "ops/dtypes_values.h"

#include <cmath>
#include <limits>

#include "diag/error.h"

namespace ag {
namespace {

Value py_class(std::string repr) {
  Value v;
  v.kind = ValueKind::kPyClass;
  v.text = std::move(repr);
  return v;
}

/// A NumPy scalar of `dtype` (what np.finfo(...).max returns), shown with numpy's repr.
Value numpy_scalar(DType dtype, double value) {
  Value v = Value::of(Tensor::scalar(dtype, value));
  v.kind = ValueKind::kNumpy;
  return v;
}

std::string dtype_str(const Value& d) {
  return "<dtype: '" + std::string(dtype_name(d.dtype)) + (d.dtype_ref ? "_ref" : "") + "'>";
}

std::optional<Value> numpy_type(DType dtype) {
  switch (dtype) {
    case DType::kBool: return py_class("<class 'numpy.bool_'>");
    case DType::kString: return py_class("<class 'object'>");
    case DType::kBFloat16: return py_class("<class 'bfloat16'>");
    case DType::kQInt8: return py_class("dtype([('qint8', 'i1')])");
    case DType::kQUInt8: return py_class("dtype([('quint8', 'u1')])");
    case DType::kQInt16: return py_class("dtype([('qint16', 'i2')])");
    case DType::kQUInt16: return py_class("dtype([('quint16', 'u2')])");
    case DType::kQInt32: return py_class("dtype([('qint32', 'i4')])");
    case DType::kResource:
    case DType::kVariant: return std::nullopt;
    default: return py_class("<class 'numpy." + std::string(dtype_name(dtype)) + "'>");
  }
}

/// DType.min / DType.max: NumPy float scalars, Python ints, TypeError for the rest.
Value limit(const Value& d, bool maximum) {
  DType dtype = d.dtype;
  DTypeKind kind = dtype_info(dtype).kind;
  double sign = maximum ? 1.0 : -1.0;
  switch (dtype) {
    case DType::kFloat16: return numpy_scalar(dtype, sign * 65504.0);
    case DType::kBFloat16: return numpy_scalar(dtype, sign * 3.3895313892515355e+38);
    case DType::kFloat32: return numpy_scalar(dtype, sign * static_cast<double>(std::numeric_limits<float>::max()));
    case DType::kFloat64: return numpy_scalar(dtype, sign * std::numeric_limits<double>::max());
    case DType::kUInt64:
      if (maximum) {
        // 2**64 - 1 does not fit a Python-int value here; a uint64 NumPy scalar prints the same digits.
        Value v = Value::of(Tensor::allocate(DType::kUInt64, {}));
        v.tensor.mutable_data<std::uint64_t>()[0] = std::numeric_limits<std::uint64_t>::max();
        v.kind = ValueKind::kNumpy;
        return v;
      }
      return Value::of_int(0);
    default: break;
  }
  if (kind == DTypeKind::kSigned || kind == DTypeKind::kUnsigned) {
    int bits = dtype_info(dtype).size * 8;
    if (kind == DTypeKind::kUnsigned) return Value::of_int(maximum ? static_cast<std::int64_t>((std::uint64_t{1} << bits) - 1) : 0);
    if (bits == 64) return Value::of_int(maximum ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min());
    return Value::of_int(maximum ? (std::int64_t{1} << (bits - 1)) - 1 : -(std::int64_t{1} << (bits - 1)));
  }
  throw UserError(ExitCode::kEval, std::string("Cannot find ") + (maximum ? "maximum" : "minimum") + " value of " + dtype_str(d) + ".");
}

}  // namespace

Value dtype_value(DType dtype, bool ref) {
  Value v = Value::of_dtype(dtype);
  v.dtype_ref = ref;
  return v;
}

std::optional<Value> dtype_extra_attribute(const Value& d, const std::string& name) {
  if (name == "as_numpy_dtype") {
    if (std::optional<Value> type = numpy_type(d.dtype)) return type;
    throw UserError(ExitCode::kEval, "KeyError: " + std::to_string(dtype_info(d.dtype).tf_enum + (d.dtype_ref ? 100 : 0)) +
                                         " (" + dtype_str(d) + " has no NumPy type)");
  }
  if (name == "size") {
    // np.dtype(as_numpy_dtype).itemsize: strings are object pointers; TF says 1 for handles.
    if (d.dtype == DType::kString) return Value::of_int(8);
    if (d.dtype == DType::kResource || d.dtype == DType::kVariant) return Value::of_int(1);
    return std::nullopt;
  }
  if (name == "min") return limit(d, false);
  if (name == "max") return limit(d, true);
  if (name == "is_numpy_compatible") return Value::of_bool(d.dtype != DType::kResource && d.dtype != DType::kVariant);
  if (!d.dtype_ref) return std::nullopt;
  // Reference dtypes: their own name and enum number (base + 100), otherwise the base's facts.
  if (name == "name") return Value::of_string(std::string(dtype_name(d.dtype)) + "_ref");
  if (name == "base_dtype") return dtype_value(d.dtype);
  if (name == "real_dtype") return d;
  if (name == "as_datatype_enum") return Value::of_int(dtype_info(d.dtype).tf_enum + 100);
  return std::nullopt;
}

}  // namespace ag
