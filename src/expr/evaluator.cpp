// Expression evaluation: literals, names, calls, operators, attributes and subscripts.
#include "expr/evaluator.h"

#include <cerrno>
#include <cstdlib>
#include <string_view>

#include "diag/error.h"
#include "diag/spellcheck.h"
#include "ops/call_args.h"
#include "ops/catalog.h"

namespace ag {
namespace {

Value module_value(const std::string& path) {
  Value v;
  v.kind = ValueKind::kModule;
  v.text = path;
  return v;
}

/// A catalog row as a value: constants evaluate to what they stand for.
Value row_value(const OpDef& op, Evaluator* evaluator) {
  if (op.kind == MemberKind::kConstant) {
    CallArgs args(op, {}, evaluator);
    return op.eval(args);
  }
  Value v;
  v.kind = ValueKind::kFunction;
  v.function = &op;
  return v;
}

std::int64_t parse_int_literal(const std::string& text) {
  std::string digits;
  for (char ch : text)
    if (ch != '_') digits += ch;
  int base = 10;
  std::size_t skip = 0;
  if (digits.size() > 2 && digits[0] == '0') {
    char prefix = static_cast<char>(digits[1] | 0x20);
    if (prefix == 'x') base = 16, skip = 2;
    if (prefix == 'o') base = 8, skip = 2;
    if (prefix == 'b') base = 2, skip = 2;
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long value = std::strtoull(digits.c_str() + skip, &end, base);
  if (errno == ERANGE || value > static_cast<unsigned long long>(INT64_MAX))
    throw UserError(ExitCode::kEval, "integer literal " + text + " is too large (the limit is 2**63 - 1)");
  return static_cast<std::int64_t>(value);
}

}  // namespace

void Evaluator::bind(const std::string& name, Value&& value) {
  auto it = names_.find(name);
  if (it == names_.end()) {
    order_.push_back(name);
    names_.emplace(name, std::move(value));
  } else {
    it->second = std::move(value);
  }
}

const Value* Evaluator::lookup(const std::string& name) const {
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : &it->second;
}

SourceSpan Evaluator::span_of(const expr::Node& node) const {
  return locator_ ? locator_(node.begin, node.end) : SourceSpan{};
}

Value Evaluator::evaluate(const expr::Node& node) {
  try {
    return evaluate_node(node);
  } catch (UserError& error) {
    error.set_span_if_unknown(span_of(node));
    throw;
  }
}

Value Evaluator::evaluate_node(const expr::Node& node) {
  using expr::NodeKind;
  switch (node.kind) {
    case NodeKind::kInt: return Value::of_int(parse_int_literal(node.text));
    case NodeKind::kFloat: return Value::of_float(node.number);
    case NodeKind::kImaginary: {
      Value v;
      v.kind = ValueKind::kComplex;
      v.complex_value = {0.0, node.number};
      return v;
    }
    case NodeKind::kString: return Value::of_string(node.text);
    case NodeKind::kTrue: return Value::of_bool(true);
    case NodeKind::kFalse: return Value::of_bool(false);
    case NodeKind::kNone: return Value::none();
    case NodeKind::kEllipsis: throw UserError(ExitCode::kUsage, "'...' is only allowed inside an index");
    case NodeKind::kName: return resolve_name(node);
    case NodeKind::kList:
    case NodeKind::kTuple: {
      std::vector<Value> items;
      items.reserve(node.children.size());
      for (const expr::NodePtr& child : node.children) items.push_back(evaluate(*child));
      return Value::list(std::move(items), node.kind == NodeKind::kList ? ValueKind::kList : ValueKind::kTuple);
    }
    case NodeKind::kUnary: return unary_operator(node.text, evaluate(*node.children[0]));
    case NodeKind::kBinary: {
      const std::string_view op = node.text;  // a view compares without strlen or a library call
      if (op == "and" || op == "or") {
        Value left = evaluate(*node.children[0]);
        bool decided = truthy(left) == (op == "or");
        return decided ? left : evaluate(*node.children[1]);
      }
      return evaluate_operands(node);
    }
    case NodeKind::kCompare: return evaluate_operands(node);
    case NodeKind::kCall: return evaluate_call(node);
    case NodeKind::kAttribute: return get_attribute(evaluate(*node.children[0]), node.text);
    case NodeKind::kSubscript: {
      Value object = evaluate(*node.children[0]);
      std::vector<IndexItem> items;
      for (std::size_t i = 1; i < node.children.size(); ++i) {
        const expr::Node& child = *node.children[i];
        IndexItem item;
        if (child.kind == NodeKind::kSlice) {
          item.kind = IndexItem::Kind::kSlice;
          if (child.children[0]) item.start = evaluate(*child.children[0]);
          if (child.children[1]) item.stop = evaluate(*child.children[1]);
          if (child.children[2]) item.step = evaluate(*child.children[2]);
        } else if (child.kind == NodeKind::kEllipsis) {
          item.kind = IndexItem::Kind::kEllipsis;
        } else if (child.kind == NodeKind::kNone) {
          item.kind = IndexItem::Kind::kNewAxis;
        } else {
          item.value = evaluate(child);
        }
        items.push_back(std::move(item));
      }
      return subscript(object, items);
    }
    case NodeKind::kSlice: throw UserError(ExitCode::kUsage, "a slice is only allowed inside an index");
  }
  throw UserError(ExitCode::kUsage, "unsupported expression");
}

const Value* Evaluator::bound_name(const expr::Node& node) const {
  return node.kind == expr::NodeKind::kName ? lookup(node.text) : nullptr;
}

Value Evaluator::evaluate_operands(const expr::Node& node) {
  // Spec names are read where they are bound, not copied (evaluating an expression binds no
  // name, so a bound value stays put while the other operand runs); the rest is evaluated left
  // to right as usual.
  const expr::Node& left_node = *node.children[0];
  const expr::Node& right_node = *node.children[1];
  const Value* left = bound_name(left_node);
  const Value* right = bound_name(right_node);
  if (left != nullptr && right != nullptr) return binary_operator(node.text, *left, *right);
  if (left != nullptr) return binary_operator(node.text, *left, evaluate(right_node));
  if (right != nullptr) return binary_operator(node.text, evaluate(left_node), *right);
  Value left_value = evaluate(left_node);
  Value right_value = evaluate(right_node);
  return binary_operator(node.text, left_value, right_value);
}

Value Evaluator::resolve_name(const expr::Node& node) {
  const std::string& name = node.text;
  if (const Value* bound = lookup(name)) return *bound;
  if (name == "tf") return module_value("");
  if (is_module(name)) return module_value(name);
  if (const OpDef* op = find_op(name)) return row_value(*op, this);
  std::vector<std::string> modules = modules_with_member(name);
  if (modules.size() == 1) return row_value(*find_op(modules[0] + "." + name), this);
  if (modules.size() > 1) {
    std::string list;
    for (const std::string& module : modules) list += (list.empty() ? "" : ", ") + module + "." + name;
    throw UserError(ExitCode::kUsage, "name '" + name + "' is ambiguous: it could be " + list);
  }
  std::vector<std::string> candidates = order_;
  for (const std::string& catalog_name : catalog_names()) candidates.push_back(catalog_name);
  throw UserError(ExitCode::kUsage, "name '" + name + "' is not defined" + did_you_mean(name, candidates));
}

void Evaluator::evaluate_arguments(const expr::Node& call, std::vector<Value>& positional,
                                   std::vector<std::pair<std::string, Value>>& keywords) {
  positional.reserve(positional.size() + call.children.size() - 1);
  for (std::size_t i = 1; i < call.children.size(); ++i) positional.push_back(evaluate(*call.children[i]));
  for (const expr::Keyword& keyword : call.keywords) keywords.emplace_back(keyword.name, evaluate(*keyword.value));
}

Value Evaluator::evaluate_callee(const expr::Node& callee_node) {
  if (callee_node.kind == expr::NodeKind::kName && !lookup(callee_node.text)) {
    const std::string& name = callee_node.text;
    const bool tf = std::string_view(name) == "tf";
    const OpDef* op = !tf && !is_module(name) ? find_op(name) : nullptr;
    // An unknown function gets its own wording; other unknown names are "not defined".
    if (op == nullptr && !tf && !is_module(name) && modules_with_member(name).empty())
      throw UserError(ExitCode::kUsage, span_of(callee_node), "unknown function '" + name + "'" + did_you_mean(name, catalog_names()));
    // A catalog function, the usual callee, is resolved here once (resolve_name would look it up
    // again); constants, modules and the rest go through evaluate().
    if (op != nullptr && op->kind != MemberKind::kConstant) return row_value(*op, this);
  }
  return evaluate(callee_node);
}

const OpDef* Evaluator::elementwise_callee(const expr::Node& call) {
  if (call.children.size() != 2 || !call.keywords.empty()) return nullptr;
  const expr::Node& callee = *call.children[0];
  if (callee.kind != expr::NodeKind::kName) return nullptr;
  const std::string& name = callee.text;
  // The answer for a name changes only when a spec name is added (one may hide the catalog's):
  // the last answer is kept with the count of names it was given under. A chain calls one
  // function line after line.
  if (name == last_callee_.name && names_.size() == last_callee_.names) return last_callee_.op;
  const OpDef* op = nullptr;
  // evaluate_callee's resolution of a name: spec names first; "tf" and module names are never
  // catalog functions.
  if (!lookup(name) && std::string_view(name) != "tf" && !is_module(name)) {
    op = find_op(name);
    if (op != nullptr && (op->kind != MemberKind::kOp || op->on_tensor == nullptr)) op = nullptr;
  }
  last_callee_ = {name, names_.size(), op};
  return op;
}

Value Evaluator::evaluate_call(const expr::Node& node) {
  // sin(y) with y a tensor: the row's op on the tensor, which is what binding x and calling the
  // row would compute, without building the bound arguments. Any other argument is bound as usual.
  // (Such a call is the catalog's, never the hook's: see set_call_hook.)
  if (const OpDef* op = elementwise_callee(node)) {
    const expr::Node& argument_node = *node.children[1];
    const Value* bound = bound_name(argument_node);
    if (bound != nullptr && bound->kind == ValueKind::kTensor) return Value::of(op->on_tensor(bound->tensor));
    Value argument = bound != nullptr ? *bound : evaluate(argument_node);
    if (argument.kind == ValueKind::kTensor) return Value::of(op->on_tensor(argument.tensor));
    std::vector<Value> positional;
    positional.reserve(signature_of(*op).params.size());
    positional.push_back(std::move(argument));
    return call(row_value(*op, this), std::move(positional), {});
  }
  if (hook_) {
    if (std::optional<Value> handled = hook_(node, *this)) return std::move(*handled);
  }
  const Value callee = evaluate_callee(*node.children[0]);
  // An unknown keyword is reported at the keyword itself, before any argument is evaluated.
  if (callee.kind == ValueKind::kFunction)
    for (const expr::Keyword& keyword : node.keywords)
      if (std::string error = unexpected_keyword_error(*callee.function, keyword.name); !error.empty())
        throw UserError(ExitCode::kUsage, locator_ ? locator_(keyword.name_begin, keyword.name_begin + keyword.name.size()) : SourceSpan{},
                        error);
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
  // Room for every parameter: binding fills the ones not given in place (ops/call_args.cpp).
  if (callee.kind == ValueKind::kFunction) positional.reserve(signature_of(*callee.function).params.size());
  evaluate_arguments(node, positional, keywords);
  return call(callee, std::move(positional), std::move(keywords));
}

Value Evaluator::call(const Value& callee, std::vector<Value> positional,
                      std::vector<std::pair<std::string, Value>> keywords) {
  if (callee.kind == ValueKind::kFunction) {
    CallArgs args = bind_arguments(*callee.function, std::move(positional), std::move(keywords), this);
    return callee.function->eval(args);
  }
  if (callee.kind == ValueKind::kMethod) return call_method(*callee.method, std::move(positional), std::move(keywords));
  throw UserError(ExitCode::kEval, "'" + value_type_name(callee) + "' object is not callable");
}

}  // namespace ag
