// Signature parsing (with the expression parser: a signature is a call with defaults) and
// argument binding with Python's TypeError wording.
#include "ops/call_args.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "diag/error.h"
#include "diag/spellcheck.h"
#include "expr/ast.h"
#include "expr/evaluator.h"
#include "ops/convert.h"

namespace ag {
namespace {

Signature parse_signature(const OpDef& op) {
  Signature sig;
  expr::NodePtr call;
  // A `*name` parameter (einsum's *inputs) is parsed as a plain name and marked variadic.
  std::string text(op.signature);
  std::string variadic_name;
  std::size_t star = text.find(", *");
  if (star != std::string::npos) {
    std::size_t end = text.find_first_of(",)", star + 3);
    variadic_name = text.substr(star + 3, end - star - 3);
    text.erase(star + 2, 1);
  }
  try {
    call = expr::parse_expression(text);
  } catch (const expr::ParseError& error) {
    throw std::logic_error("catalog signature of " + std::string(op.path) + " does not parse: " + error.what());
  }
  if (call->kind != expr::NodeKind::kCall || call->children[0]->kind != expr::NodeKind::kName)
    throw std::logic_error("catalog signature of " + std::string(op.path) + " is not a call");
  sig.name = call->children[0]->text;
  for (std::size_t i = 1; i < call->children.size(); ++i) {
    if (call->children[i]->kind != expr::NodeKind::kName)
      throw std::logic_error("catalog signature of " + std::string(op.path) + " has a non-name parameter");
    sig.params.push_back(call->children[i]->text);
    sig.defaults.emplace_back(std::nullopt);
    if (call->children[i]->text == variadic_name) {
      sig.variadic = static_cast<int>(i - 1);
      sig.defaults.back() = Value::list({}, ValueKind::kTuple);
    }
  }
  Evaluator constants;
  for (const expr::Keyword& keyword : call->keywords) {
    sig.params.push_back(keyword.name);
    sig.defaults.emplace_back(constants.evaluate(*keyword.value));
  }
  return sig;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    text += "'" + names[i] + "'";
  }
  return text;
}

}  // namespace

const Signature& signature_of(const OpDef& op) {
  static std::map<const OpDef*, Signature> cache;
  auto it = cache.find(&op);
  if (it == cache.end()) it = cache.emplace(&op, parse_signature(op)).first;
  return it->second;
}

std::string unexpected_keyword_error(const OpDef& op, const std::string& keyword) {
  const Signature& sig = signature_of(op);
  std::vector<std::string> accepted;
  for (std::size_t i = 0; i < sig.params.size(); ++i)
    if (static_cast<int>(i) != sig.variadic) accepted.push_back(sig.params[i]);
  if (std::find(accepted.begin(), accepted.end(), keyword) != accepted.end()) return "";
  return sig.name + "() got an unexpected keyword argument '" + keyword + "'" + did_you_mean(keyword, accepted) +
         "; signature: " + std::string(op.signature);
}

CallArgs bind_arguments(const OpDef& op, std::vector<Value> positional, std::vector<std::pair<std::string, Value>> keywords,
                        Evaluator* evaluator) {
  // Every call of a catalog function comes here: the error texts are only built on error.
  const Signature& sig = signature_of(op);
  auto where = [&op] { return "; signature: " + std::string(op.signature); };
  if (sig.variadic >= 0 && positional.size() > static_cast<std::size_t>(sig.variadic)) {
    std::vector<Value> rest(std::make_move_iterator(positional.begin() + sig.variadic), std::make_move_iterator(positional.end()));
    positional.resize(static_cast<std::size_t>(sig.variadic));
    positional.push_back(Value::list(std::move(rest), ValueKind::kTuple));
  }
  const std::size_t count = sig.params.size();
  if (positional.size() > count) {
    std::size_t required = 0;
    for (const auto& d : sig.defaults)
      if (!d) ++required;
    std::string takes = required == count ? std::to_string(required)
                                          : "from " + std::to_string(required) + " to " + std::to_string(count);
    throw UserError(ExitCode::kUsage, sig.name + "() takes " + takes + " positional argument" +
                                          (count == 1 && required == 1 ? "" : "s") + " but " +
                                          std::to_string(positional.size()) + (positional.size() == 1 ? " was" : " were") +
                                          " given" + where());
  }
  // The positional arguments stay where they are; the rest of the parameters follow them.
  const std::size_t given = positional.size();
  std::vector<Value> values = std::move(positional);
  values.resize(count);
  // Parameters bound by keyword (positional ones are those below `given`).
  std::vector<bool> by_keyword(keywords.empty() ? 0 : count, false);
  auto bound = [&](std::size_t i) { return i < given || (!by_keyword.empty() && by_keyword[i]); };
  for (auto& [name, value] : keywords) {
    std::size_t index = 0;
    while (index < count && sig.params[index] != name) ++index;
    if (index == count || static_cast<int>(index) == sig.variadic)
      throw UserError(ExitCode::kUsage, unexpected_keyword_error(op, name));
    if (bound(index)) throw UserError(ExitCode::kUsage, sig.name + "() got multiple values for argument '" + name + "'" + where());
    values[index] = std::move(value);
    by_keyword[index] = true;
  }
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < count; ++i) {
    if (bound(i)) continue;
    if (!sig.defaults[i]) {
      missing.push_back(sig.params[i]);
    } else if (sig.defaults[i]->kind != ValueKind::kNone) {
      values[i] = *sig.defaults[i];  // a None default (name=None, the usual one) is what resize() left
    }
  }
  if (!missing.empty())
    throw UserError(ExitCode::kUsage, sig.name + "() missing " + std::to_string(missing.size()) + " required positional argument" +
                                          (missing.size() == 1 ? "" : "s") + ": " + quoted_list(missing) + where());
  return CallArgs(op, std::move(values), evaluator);
}

CallArgs::CallArgs(const OpDef& op, std::vector<Value> values, Evaluator* evaluator)
    : op_(op), values_(std::move(values)), evaluator_(evaluator) {}

const Signature& CallArgs::signature() const {
  if (signature_ == nullptr) signature_ = &signature_of(op_);
  return *signature_;
}

const std::string& CallArgs::op_name() const { return signature().name; }

const Value& CallArgs::operator[](std::string_view param) const {
  const Signature& sig = signature();
  for (std::size_t i = 0; i < sig.params.size() && i < values_.size(); ++i)
    if (sig.params[i] == param) return values_[i];
  throw std::logic_error("catalog row " + std::string(op_.path) + " reads unknown parameter " + std::string(param));
}

Tensor CallArgs::tensor(std::string_view param, std::optional<DType> hint) const {
  const Value& value = (*this)[param];
  if (value.is_none())
    throw UserError(ExitCode::kEval, op_name() + "(): argument '" + std::string(param) + "' must be a tensor, not None");
  if (hint && (value.is_tensor_like() || value.kind == ValueKind::kNumpy)) return to_tensor(value, std::nullopt, op_name());
  return to_tensor(value, hint, op_name());
}

std::pair<Tensor, Tensor> CallArgs::tensor_pair(std::string_view first, std::string_view second) const {
  const Value& a = (*this)[first];
  const Value& b = (*this)[second];
  auto is_tensor = [](const Value& v) { return v.is_tensor_like() || v.kind == ValueKind::kNumpy; };
  if (is_tensor(a) || !is_tensor(b)) {
    Tensor x = tensor(first);
    return {x, tensor(second, x.dtype())};
  }
  Tensor y = tensor(second);
  return {tensor(first, y.dtype()), y};
}

std::int64_t CallArgs::integer(std::string_view param) const {
  const Value& value = (*this)[param];
  if (value.kind == ValueKind::kInt) return value.integer;
  if (value.kind == ValueKind::kBool) return value.boolean ? 1 : 0;
  if ((value.kind == ValueKind::kTensor || value.kind == ValueKind::kNumpy) && value.tensor.rank() == 0 &&
      dtype_is_integer(value.tensor.dtype()))
    return static_cast<std::int64_t>(value.tensor.element_as_double(0));
  throw UserError(ExitCode::kEval, op_name() + "(): argument '" + std::string(param) + "' must be an int, not " + value_type_name(value));
}

double CallArgs::real(std::string_view param) const {
  const Value& value = (*this)[param];
  switch (value.kind) {
    case ValueKind::kInt: return static_cast<double>(value.integer);
    case ValueKind::kFloat: return value.real;
    case ValueKind::kBool: return value.boolean ? 1 : 0;
    case ValueKind::kTensor:
    case ValueKind::kNumpy:
      if (value.tensor.rank() == 0 && dtype_is_numeric(value.tensor.dtype())) return value.tensor.element_as_double(0);
      break;
    default: break;
  }
  throw UserError(ExitCode::kEval, op_name() + "(): argument '" + std::string(param) + "' must be a number, not " + value_type_name(value));
}

bool CallArgs::boolean(std::string_view param) const {
  const Value& value = (*this)[param];
  if (value.kind == ValueKind::kBool) return value.boolean;
  if (value.kind == ValueKind::kInt) return value.integer != 0;
  if (value.is_none()) return false;
  if ((value.kind == ValueKind::kTensor) && value.tensor.rank() == 0 && value.tensor.dtype() == DType::kBool)
    return value.tensor.element_as_double(0) != 0;
  throw UserError(ExitCode::kEval, op_name() + "(): argument '" + std::string(param) + "' must be a bool, not " + value_type_name(value));
}

std::string CallArgs::string(std::string_view param) const {
  const Value& value = (*this)[param];
  if (value.kind == ValueKind::kString) return value.text;
  throw UserError(ExitCode::kEval, op_name() + "(): argument '" + std::string(param) + "' must be a str, not " + value_type_name(value));
}

std::optional<DType> CallArgs::dtype(std::string_view param) const {
  const Value& value = (*this)[param];
  if (value.is_none()) return std::nullopt;
  if (value.kind == ValueKind::kDType) return value.dtype;
  if (value.kind == ValueKind::kString) {
    if (std::optional<DType> d = dtype_from_name(value.text)) return d;
    throw UserError(ExitCode::kEval, "Cannot convert value '" + value.text + "' to a TensorFlow DType.");
  }
  throw UserError(ExitCode::kEval, "Cannot convert value " + value_type_name(value) + " to a TensorFlow DType.");
}

Shape CallArgs::shape(std::string_view param) const {
  const Value& value = (*this)[param];
  Shape shape;
  if (value.kind == ValueKind::kShape) return value.dims;
  if (value.kind == ValueKind::kInt) return {value.integer};
  if (value.is_sequence()) {
    for (const Value& item : value.items) {
      if (item.kind == ValueKind::kInt) shape.push_back(item.integer);
      else if (item.kind == ValueKind::kTensor && item.tensor.rank() == 0 && dtype_is_integer(item.tensor.dtype()))
        shape.push_back(static_cast<std::int64_t>(item.tensor.element_as_double(0)));
      else
        throw UserError(ExitCode::kEval, op_name() + "(): shape entries must be ints, got " + value_type_name(item));
    }
    return shape;
  }
  if ((value.kind == ValueKind::kTensor || value.kind == ValueKind::kNumpy) && value.tensor.rank() <= 1 &&
      dtype_is_integer(value.tensor.dtype())) {
    for (std::int64_t i = 0; i < value.tensor.size(); ++i) shape.push_back(static_cast<std::int64_t>(value.tensor.element_as_double(i)));
    return shape;
  }
  throw UserError(ExitCode::kEval, op_name() + "(): argument '" + std::string(param) + "' must be a shape (a list of ints), not " +
                                       value_type_name(value));
}

std::optional<std::vector<std::int64_t>> CallArgs::axes(std::string_view param) const {
  const Value& value = (*this)[param];
  if (value.is_none()) return std::nullopt;
  if (value.kind == ValueKind::kInt) return std::vector<std::int64_t>{value.integer};
  return shape(param);
}

}  // namespace ag
