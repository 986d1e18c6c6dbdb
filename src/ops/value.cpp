// Python-facing names of value types, for error messages.
#include "ops/value.h"

namespace ag {

std::string value_type_name(const Value& value) {
  switch (value.kind) {
    case ValueKind::kNone: return "NoneType";
    case ValueKind::kTensor: return "tf.Tensor";
    case ValueKind::kVariable: return "tf.Variable";
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kFloat: return "float";
    case ValueKind::kComplex: return "complex";
    case ValueKind::kString: return "str";
    case ValueKind::kList: return "list";
    case ValueKind::kTuple: return "tuple";
    case ValueKind::kDType: return "DType";
    case ValueKind::kShape: return "TensorShape";
    case ValueKind::kModule: return "module";
    case ValueKind::kFunction: return "function";
    case ValueKind::kMethod: return "method";
    case ValueKind::kNumpy: return "numpy.ndarray";
    case ValueKind::kGenerator: return "Generator";
    case ValueKind::kFrozenSet: return "frozenset";
    case ValueKind::kAlgorithm: return "Algorithm";
    case ValueKind::kPyClass: return "type";
  }
  return "object";
}

}  // namespace ag
