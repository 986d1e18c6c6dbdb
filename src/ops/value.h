// What a spec name or expression can hold: tensors and variables, Python scalars, lists and
// tuples, DTypes, modules and functions of the catalog, shapes, and None.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/tensor.h"

namespace ag {

class GradientTape;
struct OpDef;
struct Value;

/// A tf.Variable: a name, a current value, and every tensor read from it (each read is its own
/// tensor, as TF's ReadVariableOp outputs are; a gradient with respect to the variable sums them).
struct VariableState {
  std::string name;
  Tensor value;
  bool trainable = true;
  std::vector<Tensor> reads;
  std::vector<const GradientTape*> watchers;  ///< tapes told to watch it explicitly
};

/// A tf.random.Generator: its algorithm (TF's Algorithm enum value) and its state, a non-trainable
/// int64 tf.Variable shared with `g.state` (so reading g.state sees every update).
struct GeneratorState {
  int algorithm = 1;
  std::shared_ptr<VariableState> state;
  std::uint64_t serial = 0;  ///< stands in for the object's address in its repr
};

/// A method bound to the object it was looked up on (`x.numpy`, `x.shape.as_list`).
struct BoundMethod {
  std::shared_ptr<Value> self;
  std::string name;
};

enum class ValueKind {
  kNone,
  kTensor,
  kVariable,
  kBool,     ///< Python bool
  kInt,      ///< Python int
  kFloat,    ///< Python float
  kComplex,  ///< Python complex
  kString,   ///< Python str
  kList,
  kTuple,
  kDType,
  kShape,    ///< TensorShape
  kModule,   ///< a catalog module ("random", "math"; "" is tf itself)
  kFunction, ///< a catalog row
  kMethod,
  kNumpy,    ///< the result of .numpy(): a tensor shown with numpy's own repr
  kGenerator,  ///< tf.random.Generator (`generator`)
  kFrozenSet,  ///< a Python frozenset (`items`, in CPython's iteration order)
  kAlgorithm,  ///< a member of tf.random.Algorithm (`integer` is its value)
  kPyClass,    ///< a Python type object, e.g. numpy.float32 (`text` is its full repr)
};

struct Value {
  ValueKind kind = ValueKind::kNone;
  Tensor tensor;                                   ///< kTensor, kNumpy
  std::shared_ptr<VariableState> variable;         ///< kVariable
  bool boolean = false;                            ///< kBool
  std::int64_t integer = 0;                        ///< kInt
  double real = 0;                                 ///< kFloat
  std::complex<double> complex_value;              ///< kComplex
  std::string text;                                ///< kString; kModule: module path
  std::vector<Value> items;                        ///< kList, kTuple
  /// kTuple: the field names of a namedtuple (TF's Unique(y, idx), Qr(q, r)); its type name is in
  /// `text`. Empty for a plain tuple.
  std::vector<std::string> fields;
  DType dtype = DType::kFloat32;                   ///< kDType
  std::vector<std::int64_t> dims;                  ///< kShape
  const OpDef* function = nullptr;                 ///< kFunction
  std::shared_ptr<BoundMethod> method;             ///< kMethod
  std::shared_ptr<GeneratorState> generator;       ///< kGenerator
  bool dtype_ref = false;                          ///< kDType: a reference dtype (tf.qint8_ref)

  static Value none() { return Value{}; }
  static Value of(Tensor t) {
    Value v;
    v.kind = ValueKind::kTensor;
    v.tensor = std::move(t);
    return v;
  }
  static Value of_bool(bool b) {
    Value v;
    v.kind = ValueKind::kBool;
    v.boolean = b;
    return v;
  }
  static Value of_int(std::int64_t i) {
    Value v;
    v.kind = ValueKind::kInt;
    v.integer = i;
    return v;
  }
  static Value of_float(double d) {
    Value v;
    v.kind = ValueKind::kFloat;
    v.real = d;
    return v;
  }
  static Value of_string(std::string s) {
    Value v;
    v.kind = ValueKind::kString;
    v.text = std::move(s);
    return v;
  }
  static Value of_dtype(DType d) {
    Value v;
    v.kind = ValueKind::kDType;
    v.dtype = d;
    return v;
  }
  static Value list(std::vector<Value> items, ValueKind kind = ValueKind::kList) {
    Value v;
    v.kind = kind;
    v.items = std::move(items);
    return v;
  }

  /// A namedtuple `type_name(fields[0]=items[0], ...)`, as TF's ops return for several outputs.
  static Value named_tuple(std::string type_name, std::vector<std::string> field_names, std::vector<Value> items) {
    Value v = list(std::move(items), ValueKind::kTuple);
    v.text = std::move(type_name);
    v.fields = std::move(field_names);
    return v;
  }

  bool is_none() const { return kind == ValueKind::kNone; }
  bool is_tensor_like() const { return kind == ValueKind::kTensor || kind == ValueKind::kVariable; }
  bool is_python_number() const {
    return kind == ValueKind::kBool || kind == ValueKind::kInt || kind == ValueKind::kFloat ||
           kind == ValueKind::kComplex;
  }
  bool is_sequence() const { return kind == ValueKind::kList || kind == ValueKind::kTuple; }
};

/// Python's type name of a value, for error messages ("int", "list", "tf.Tensor").
std::string value_type_name(const Value& value);

}  // namespace ag
