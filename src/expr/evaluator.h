// Evaluates expression trees to values: names resolve to spec names first, then to the catalog;
// operators follow Python and TF's conversion rules; errors get the place of the failing node.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "diag/source_span.h"
#include "expr/ast.h"
#include "ops/value.h"

namespace ag {

class Evaluator {
 public:
  /// Maps a byte range of the expression being evaluated to a place in the spec.
  using Locator = std::function<SourceSpan(std::size_t begin, std::size_t end)>;
  /// Handles calls the spec layer owns (gradient, print, dir, ...): returns a value if it did.
  using CallHook = std::function<std::optional<Value>(const expr::Node& call, Evaluator& evaluator)>;

  Value evaluate(const expr::Node& node);

  /// Binds `name` to `value`, taking it (a statement's result is moved in, not copied).
  void bind(const std::string& name, Value&& value);
  void bind(const std::string& name, const Value& value) { bind(name, Value(value)); }
  /// A spec name, or null.
  const Value* lookup(const std::string& name) const;
  const std::vector<std::string>& bound_names() const { return order_; }

  void set_locator(Locator locator) { locator_ = std::move(locator); }
  /// The hook sees every call but those of a catalog op of one tensor (OpDef::on_tensor, such as
  /// sin) under its own name, which the evaluator runs itself: the spec layer's calls are not
  /// catalog rows.
  void set_call_hook(CallHook hook) { hook_ = std::move(hook); }
  SourceSpan span_of(const expr::Node& node) const;

  /// Calls a function or method value with evaluated arguments.
  Value call(const Value& callee, std::vector<Value> positional, std::vector<std::pair<std::string, Value>> keywords);

  /// Evaluates the positional and keyword arguments of a call node.
  void evaluate_arguments(const expr::Node& call, std::vector<Value>& positional,
                          std::vector<std::pair<std::string, Value>>& keywords);

 private:
  Value evaluate_node(const expr::Node& node);
  Value resolve_name(const expr::Node& node);
  /// The value a name node is bound to in the spec, or null (not a name, or not a spec name).
  const Value* bound_name(const expr::Node& node) const;
  /// A binary or comparison node: both operands, then binary_operator.
  Value evaluate_operands(const expr::Node& node);
  Value evaluate_call(const expr::Node& node);
  /// The function a call node calls.
  Value evaluate_callee(const expr::Node& callee_node);
  /// The catalog row a call node calls when the call is `f(e)` and f is an elementwise op of one
  /// tensor (OpDef::on_tensor) that no spec name hides; null otherwise.
  const OpDef* elementwise_callee(const expr::Node& call);

  std::unordered_map<std::string, Value> names_;
  /// elementwise_callee's last answer: the callee name, names_.size() then, and the row (or null).
  struct CalleeCache {
    std::string name;
    std::size_t names = 0;
    const OpDef* op = nullptr;
  } last_callee_;
  std::vector<std::string> order_;
  Locator locator_;
  CallHook hook_;
};

/// Python / TF semantics of the operators (expr/operators.cpp).
Value binary_operator(const std::string& op, const Value& left, const Value& right);
Value unary_operator(const std::string& op, const Value& operand);
bool truthy(const Value& value);
/// Attribute lookup on a value (expr/attributes.cpp).
Value get_attribute(const Value& object, const std::string& name);
/// A method call on a bound object (expr/attributes.cpp).
Value call_method(const BoundMethod& method, std::vector<Value> positional,
                  std::vector<std::pair<std::string, Value>> keywords);
/// object[index...] (expr/subscript.cpp); index items are values, slices as kTuple(start, stop, step)
/// tagged by the evaluator.
struct IndexItem {
  enum class Kind { kValue, kSlice, kEllipsis, kNewAxis } kind = Kind::kValue;
  Value value;                                   ///< kValue
  std::optional<Value> start, stop, step;        ///< kSlice parts (absent = nullopt)
};
Value subscript(const Value& object, const std::vector<IndexItem>& items);

}  // namespace ag
