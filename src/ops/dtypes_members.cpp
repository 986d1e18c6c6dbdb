// Rows of tf.dtypes: the DType constants (also at tf's top level), DType itself and as_dtype.
#include "diag/error.h"
#include "ops/call_args.h"
#include "ops/families.h"

namespace ag {
namespace {

template <DType kDType>
Value eval_dtype(CallArgs&) {
  return Value::of_dtype(kDType);
}

Value eval_as_dtype(CallArgs& a) {
  const Value& value = a["type_value"];
  if (value.kind == ValueKind::kDType) return value;
  if (value.kind == ValueKind::kString) {
    if (std::optional<DType> d = dtype_from_name(value.text)) return Value::of_dtype(*d);
    throw UserError(ExitCode::kEval, "Cannot convert value '" + value.text + "' to a TensorFlow DType.");
  }
  if (value.kind == ValueKind::kInt) {
    for (int i = 0; i <= static_cast<int>(DType::kVariant); ++i)
      if (dtype_info(static_cast<DType>(i)).tf_enum == value.integer) return Value::of_dtype(static_cast<DType>(i));
    throw UserError(ExitCode::kEval, "Cannot convert value " + std::to_string(value.integer) + " to a TensorFlow DType.");
  }
  throw UserError(ExitCode::kEval, "Cannot convert value " + value_type_name(value) + " to a TensorFlow DType.");
}

Value eval_dtype_class(CallArgs& a) {
  if (a["type_enum"].kind != ValueKind::kInt)
    throw UserError(ExitCode::kEval, "DType(): type_enum must be an int (a DataType enum number)");
  return eval_as_dtype(a);
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
