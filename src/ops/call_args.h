// Binding a call's arguments to a catalog row's signature, and converting them to what ops need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/op_def.h"
#include "ops/value.h"

namespace ag {

class Evaluator;

/// A parsed signature: parameter names and default values (evaluated once).
struct Signature {
  std::string name;
  std::vector<std::string> params;
  std::vector<std::optional<Value>> defaults;  ///< nullopt: required
  /// Index of a `*name` parameter (Python's *args), which collects the remaining positional
  /// arguments as a tuple; -1 when there is none.
  int variadic = -1;
};

/// The signature of a row, parsed from its text on first use.
const Signature& signature_of(const OpDef& op);

/// The bound arguments of one call, by parameter name, with conversions that raise TF-style
/// errors naming the op.
class CallArgs {
 public:
  CallArgs(const OpDef& op, std::vector<Value> values, Evaluator* evaluator);

  const OpDef& op() const { return op_; }
  const std::string& op_name() const;
  Evaluator* evaluator() const { return evaluator_; }
  const Value& operator[](std::string_view param) const;
  bool is_none(std::string_view param) const { return (*this)[param].is_none(); }

  /// A tensor from any tensor-like argument; Python scalars and lists take `hint` if given.
  Tensor tensor(std::string_view param, std::optional<DType> hint = std::nullopt) const;
  /// Two tensors of one dtype: a Python value takes the dtype of the tensor it meets (as TF's
  /// binary ops convert it).
  std::pair<Tensor, Tensor> tensor_pair(std::string_view first, std::string_view second) const;
  std::int64_t integer(std::string_view param) const;
  double real(std::string_view param) const;
  bool boolean(std::string_view param) const;
  std::string string(std::string_view param) const;
  std::optional<DType> dtype(std::string_view param) const;
  /// A shape from a list, tuple, TensorShape or 1-D int tensor.
  Shape shape(std::string_view param) const;
  /// Axes: None → nullopt, an int or a list of ints.
  std::optional<std::vector<std::int64_t>> axes(std::string_view param) const;

 private:
  /// signature_of(op_), looked up on first use (a constant's row has no call signature).
  const Signature& signature() const;

  const OpDef& op_;
  std::vector<Value> values_;
  Evaluator* evaluator_;
  mutable const Signature* signature_ = nullptr;
};

/// The error for a keyword op's signature does not have (TF's TypeError, plus the closest parameter
/// name and the signature), or "" when op takes `keyword`.
std::string unexpected_keyword_error(const OpDef& op, const std::string& keyword);

/// Binds positional and keyword arguments to op's signature (TF's TypeError texts on mismatch).
CallArgs bind_arguments(const OpDef& op, std::vector<Value> positional,
                        std::vector<std::pair<std::string, Value>> keywords, Evaluator* evaluator);

}  // namespace ag
