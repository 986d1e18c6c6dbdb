// Rows of tf.dtypes: the DType constants (also at tf's top level), DType itself, as_dtype,
// QUANTIZED_DTYPES, complex and saturate_cast (tf.dtypes.cast is a math row).
#include <cmath>
#include <limits>

#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/dtypes_values.h"
#include "ops/families.h"

namespace ag {
namespace {

template <DType kDType>
Value eval_dtype(CallArgs&) {
  return Value::of_dtype(kDType);
}

Value as_dtype_of(const Value& value) {
  if (value.kind == ValueKind::kDType) return value;
  if (value.kind == ValueKind::kString) {
    if (std::optional<DType> d = dtype_from_name(value.text)) return Value::of_dtype(*d);
    const std::string suffix = "_ref";
    if (value.text.size() > suffix.size() && value.text.compare(value.text.size() - suffix.size(), suffix.size(), suffix) == 0)
      if (std::optional<DType> d = dtype_from_name(value.text.substr(0, value.text.size() - suffix.size())))
        return dtype_value(*d, true);
    throw UserError(ExitCode::kEval, "Cannot convert value '" + value.text + "' to a TensorFlow DType.");
  }
  if (value.kind == ValueKind::kInt) {
    for (int i = 0; i <= static_cast<int>(DType::kVariant); ++i)
      if (dtype_info(static_cast<DType>(i)).tf_enum == value.integer) return Value::of_dtype(static_cast<DType>(i));
    throw UserError(ExitCode::kEval, "Cannot convert value " + std::to_string(value.integer) + " to a TensorFlow DType.");
  }
  throw UserError(ExitCode::kEval, "Cannot convert value " + value_type_name(value) + " to a TensorFlow DType.");
}

Value eval_as_dtype(CallArgs& a) { return as_dtype_of(a["type_value"]); }

Value eval_dtype_class(CallArgs& a) {
  if (a["type_enum"].kind != ValueKind::kInt)
    throw UserError(ExitCode::kEval, "DType(): type_enum must be an int (a DataType enum number)");
  return as_dtype_of(a["type_enum"]);
}

/// The frozenset TF builds of the quantized DTypes and their reference types, in the order
/// CPython iterates it (hashes are the DataType enum numbers).
Value eval_quantized_dtypes(CallArgs&) {
  Value set;
  set.kind = ValueKind::kFrozenSet;
  for (DType d : {DType::kQInt8, DType::kQUInt8, DType::kQInt32, DType::kQInt16, DType::kQUInt16}) set.items.push_back(dtype_value(d));
  for (DType d : {DType::kQInt8, DType::kQUInt8, DType::kQInt16, DType::kQUInt16, DType::kQInt32}) set.items.push_back(dtype_value(d, true));
  return set;
}

Value eval_complex(CallArgs& a) {
  Tensor real = a.tensor("real");
  Tensor imag = a.tensor("imag");
  bool ok = real.dtype() == imag.dtype() && (real.dtype() == DType::kFloat32 || real.dtype() == DType::kFloat64);
  if (!ok)
    throw UserError(ExitCode::kEval, "The `real` and `imag` components have incorrect types: " + std::string(dtype_name(real.dtype())) +
                                         " " + std::string(dtype_name(imag.dtype())) +
                                         ". They must be consistent, and one of [tf.float32, tf.float64]");
  return Value::of(ops::complex(real, imag));
}

/// The range of a real dtype as doubles (bool and non-numeric dtypes have none, as in TF).
std::pair<long double, long double> real_range(DType d) {
  switch (d) {
    case DType::kInt8: return {-128.0L, 127.0L};
    case DType::kInt16: return {-32768.0L, 32767.0L};
    case DType::kInt32: return {-2147483648.0L, 2147483647.0L};
    case DType::kInt64: return {-9223372036854775808.0L, 9223372036854775807.0L};
    case DType::kUInt8: return {0, 255.0L};
    case DType::kUInt16: return {0, 65535.0L};
    case DType::kUInt32: return {0, 4294967295.0L};
    case DType::kUInt64: return {0, 18446744073709551615.0L};
    case DType::kFloat16: return {-65504.0L, 65504.0L};
    case DType::kBFloat16: return {-3.3895313892515355e+38L, 3.3895313892515355e+38L};
    case DType::kFloat32: return {-static_cast<long double>(std::numeric_limits<float>::max()), std::numeric_limits<float>::max()};
    case DType::kFloat64: return {-static_cast<long double>(std::numeric_limits<double>::max()), std::numeric_limits<double>::max()};
    default:
      throw UserError(ExitCode::kEval, "Cannot find minimum value of <dtype: '" + std::string(dtype_name(d)) + "'>.");
  }
}

/// A limit of `of` as a scalar of dtype `as` (convert_to_tensor(dtype.min, dtype=value.dtype)).
Tensor limit_tensor(long double limit, DType as) {
  if (dtype_is_integer(as)) {
    Value v = Value::of_int(limit >= 9223372036854775807.0L ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(limit));
    if (as == DType::kUInt64 && limit >= 9223372036854775807.0L) {
      Tensor t = Tensor::allocate(DType::kUInt64, {});
      t.mutable_data<std::uint64_t>()[0] = static_cast<std::uint64_t>(limit);
      return t;
    }
    return to_tensor(v, as, "saturate_cast");
  }
  return Tensor::scalar(as, static_cast<double>(limit));
}

Value eval_saturate_cast(CallArgs& a) {
  Tensor value = a.tensor("value");
  std::optional<DType> target = a.dtype("dtype");
  if (!target) throw UserError(ExitCode::kEval, "saturate_cast(): dtype must be given");
  DType dtype = *target;
  if (dtype_is_complex(value.dtype())) {
    if (!dtype_is_complex(dtype)) {
      value = ops::real(value);  // TF warns: "Casting complex to real discards imaginary part."
    } else {
      // Both complex: complex128 parts clamp to float32's range when narrowing.
      if (value.dtype() == DType::kComplex128 && dtype == DType::kComplex64) {
        Tensor hi = Tensor::scalar(DType::kFloat64, std::numeric_limits<float>::max());
        Tensor lo = Tensor::scalar(DType::kFloat64, -static_cast<double>(std::numeric_limits<float>::max()));
        Tensor re = ops::minimum(ops::maximum(ops::real(value), lo), hi);
        Tensor im = ops::minimum(ops::maximum(ops::imag(value), lo), hi);
        value = ops::complex(re, im);
      }
      return Value::of(ops::cast(value, dtype));
    }
  }
  if (value.dtype() == DType::kBool || !dtype_is_numeric(value.dtype()))
    throw UserError(ExitCode::kEval, "Cannot find minimum value of <dtype: '" + std::string(dtype_name(value.dtype())) + "'>.");
  if (dtype_is_complex(dtype)) return Value::of(ops::cast(value, dtype));
  auto [in_min, in_max] = real_range(value.dtype());
  auto [out_min, out_max] = real_range(dtype);
  // Clamp to the target's range in the value's own dtype, then cast (TF's order).
  if (in_min < out_min) value = ops::maximum(value, limit_tensor(out_min, value.dtype()));
  if (in_max > out_max) value = ops::minimum(value, limit_tensor(out_max, value.dtype()));
  return Value::of(ops::cast(value, dtype));
}

#define AG_DTYPE_ROW(NAME, ALIASES, DTYPE)                                                                         \
  {                                                                                                                \
    "dtypes." NAME, ALIASES, MemberKind::kConstant, NAME "()", "The DType " NAME ".", "dtypes." NAME, eval_dtype<DTYPE> \
  }

const std::vector<OpDef> kRows = {
    {"dtypes.DType", "DType", MemberKind::kClass, "DType(type_enum)",
     "Represents the type of the elements in a tensor; DType(1) is float32 (TF's DataType enum numbers).", "DType(1)",
     eval_dtype_class},
    {"dtypes.as_dtype", "as_dtype", MemberKind::kFunction, "as_dtype(type_value)",
     "Converts a name ('float32'), an enum number or a DType to a DType.", "as_dtype('float32')", eval_as_dtype},
    {"dtypes.QUANTIZED_DTYPES", "", MemberKind::kConstant, "QUANTIZED_DTYPES()",
     "The frozenset of quantized DTypes (qint8, quint8, qint16, quint16, qint32) and their reference types.",
     "dtypes.QUANTIZED_DTYPES", eval_quantized_dtypes},
    {"dtypes.complex", "complex", MemberKind::kFunction, "complex(real, imag, name=None)",
     "Converts two real tensors to a complex tensor: float32 parts give complex64, float64 parts complex128; the "
     "gradient of each part is the real or imaginary part of the incoming gradient.",
     "complex([2.25, 3.25], [4.75, 5.75])", eval_complex},
    {"dtypes.saturate_cast", "saturate_cast", MemberKind::kFunction, "saturate_cast(value, dtype, name=None)",
     "Casts value to dtype, first clamping it to the range dtype can represent (unlike cast, which wraps or truncates).",
     "saturate_cast([-1.5, 300.0], uint8)", eval_saturate_cast},
    AG_DTYPE_ROW("bfloat16", "bfloat16", DType::kBFloat16),
    AG_DTYPE_ROW("bool", "bool", DType::kBool),
    AG_DTYPE_ROW("complex128", "complex128", DType::kComplex128),
    AG_DTYPE_ROW("complex64", "complex64", DType::kComplex64),
    AG_DTYPE_ROW("double", "double", DType::kFloat64),
    AG_DTYPE_ROW("float16", "float16", DType::kFloat16),
    AG_DTYPE_ROW("float32", "float32", DType::kFloat32),
    AG_DTYPE_ROW("float64", "float64", DType::kFloat64),
    AG_DTYPE_ROW("half", "half", DType::kFloat16),
    AG_DTYPE_ROW("int16", "int16", DType::kInt16),
    AG_DTYPE_ROW("int32", "int32", DType::kInt32),
    AG_DTYPE_ROW("int64", "int64", DType::kInt64),
    AG_DTYPE_ROW("int8", "int8", DType::kInt8),
    AG_DTYPE_ROW("qint16", "qint16", DType::kQInt16),
    AG_DTYPE_ROW("qint32", "qint32", DType::kQInt32),
    AG_DTYPE_ROW("qint8", "qint8", DType::kQInt8),
    AG_DTYPE_ROW("quint16", "quint16", DType::kQUInt16),
    AG_DTYPE_ROW("quint8", "quint8", DType::kQUInt8),
    AG_DTYPE_ROW("resource", "resource", DType::kResource),
    AG_DTYPE_ROW("string", "string", DType::kString),
    AG_DTYPE_ROW("uint16", "uint16", DType::kUInt16),
    AG_DTYPE_ROW("uint32", "uint32", DType::kUInt32),
    AG_DTYPE_ROW("uint64", "uint64", DType::kUInt64),
    AG_DTYPE_ROW("uint8", "uint8", DType::kUInt8),
    AG_DTYPE_ROW("variant", "variant", DType::kVariant),
};

#undef AG_DTYPE_ROW

}  // namespace

const std::vector<OpDef>& dtypes_members() { return kRows; }

}  // namespace ag
