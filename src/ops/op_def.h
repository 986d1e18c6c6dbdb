// One row of the catalog: a public name the tool knows. Evaluation, `list`, `doc` and the
// catalog-wide tests read only these rows, so nothing can be listed that does not run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ops/value.h"

namespace ag {

class CallArgs;

/// What dir() would show the member as.
enum class MemberKind { kOp, kFunction, kConstant, kClass, kModule };

using EvalFn = Value (*)(CallArgs& args);

struct OpDef {
  std::string_view path;       ///< TF path without "tf.": "math.exp", "matmul", "dtypes.float32"
  std::string_view aliases;    ///< other paths, space separated: "exp"
  MemberKind kind;
  std::string_view signature;  ///< Python-style: "exp(x, name=None)"; binds call arguments
  std::string_view summary;    ///< one paragraph for `doc`
  std::string_view example;    ///< a spec expression that `doc` evaluates
  EvalFn eval;                 ///< calls the op (kOp, kFunction) or returns the value (kConstant)
  /// For an elementwise op of one tensor (signature "name(x, name=None)"): what `eval` computes
  /// when x is bound to a tensor. The evaluator calls it directly for `sin(y)`, without binding
  /// arguments. Null for every other row.
  Tensor (*on_tensor)(const Tensor& x) = nullptr;
};

}  // namespace ag
