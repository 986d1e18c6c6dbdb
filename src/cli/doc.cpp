// `autograd-cli doc NAME`: one catalog row, or a module's members. The gradient rule is traced:
// the example runs under a tape, a second tape records what the reverse sweep does, and those
// recorded ops are printed (autodidax's pp_jaxpr idea), so the printed rule is the rule that runs.
#include "cli/doc.h"

#include <algorithm>
#include <functional>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "autodiff/tape.h"
#include "cli/commands.h"
#include "diag/error.h"
#include "diag/spellcheck.h"
#include "expr/ast.h"
#include "expr/evaluator.h"
#include "format/display.h"
#include "format/json_lines.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/catalog.h"
#include "ops/convert.h"

namespace ag::cli {
namespace {

// ---------------------------------------------------------------------------------------------
// What tests/unit/catalog/gradcheck_test.cpp checks, read from its table by CMake
// (tests/unit/catalog/gradcheck_rows.cmake); doc_test.cpp parses the table itself and compares.

#if __has_include("gradcheck_rows.inc")
#include "gradcheck_rows.inc"
#else
#define AG_GRADCHECK_DIFFERENTIABLE
#define AG_GRADCHECK_NOT_DIFFERENTIABLE
#define AG_GRADCHECK_CLOSED_FORMS
#endif

const std::vector<std::string> kDifferentiableRows = {AG_GRADCHECK_DIFFERENTIABLE};
const std::vector<std::string> kNotDifferentiableRows = {AG_GRADCHECK_NOT_DIFFERENTIABLE};

/// The closed forms name their op by a call ("sin(x)", "math.log(x)"): the rows those calls reach.
const std::vector<std::string>& closed_form_rows() {
  static const std::vector<std::string> rows = [] {
    std::vector<std::string> paths;
    for (const char* callee : std::vector<const char*>{AG_GRADCHECK_CLOSED_FORMS})
      if (const OpDef* op = find_op(callee)) paths.emplace_back(op->path);
    return paths;
  }();
  return rows;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// ---------------------------------------------------------------------------------------------
// Printing recorded nodes

/// TF's op name in snake case: Mul → mul, RealDiv → real_div, AddV2 → add, MatMul → matmul.
std::string snake_name(std::string_view tf_name) {
  std::string name(tf_name);
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "V2") == 0) name.resize(name.size() - 2);
  if (name == "MatMul" || name == "BatchMatMul") return "matmul";
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    bool upper = ch >= 'A' && ch <= 'Z';
    if (upper && i > 0 && !(name[i - 1] >= 'A' && name[i - 1] <= 'Z')) out += '_';
    out += upper ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  return out;
}

std::string int_list(const std::vector<std::int64_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

std::string element_text(const Tensor& t, std::int64_t index) {
  double value = t.element_as_double(index);
  if (t.dtype() == DType::kBool) return value != 0 ? "True" : "False";
  if (dtype_is_integer(t.dtype())) return std::to_string(static_cast<std::int64_t>(value));
  return format::python_float_repr(value);
}

/// A tensor the trace did not record: a constant of the rule (0.5, zeros([2]), a mask).
std::string constant_text(const Tensor& t) {
  if (t.rank() == 0 && t.size() == 1) return element_text(t, 0);
  bool uniform = t.size() > 0;
  for (std::int64_t i = 1; i < t.size() && uniform; ++i) uniform = t.element_as_double(i) == t.element_as_double(0);
  std::string shape = int_list(t.shape());
  if (uniform && t.dtype() != DType::kBool) {
    double v = t.element_as_double(0);
    if (v == 0) return "zeros(" + shape + ")";
    if (v == 1) return "ones(" + shape + ")";
    return "fill(" + shape + ", " + element_text(t, 0) + ")";
  }
  if (t.rank() == 1 && t.size() <= 6) {
    std::string text = "[";
    for (std::int64_t i = 0; i < t.size(); ++i) text += (i ? ", " : "") + element_text(t, i);
    return text + "]";
  }
  return "constant(shape=" + shape + ", dtype=" + std::string(dtype_name(t.dtype())) + ")";
}

/// The attributes worth showing for a recorded op, as keyword text (with a leading ", ").
std::string attribute_text(const TapeNode& node) {
  std::string_view name = node.op->name;
  const Attrs& attrs = node.attrs;
  if (name == "Sum" || name == "Mean" || name == "Max" || name == "Min" || name == "Prod")
    return ", axis=" + int_list(attrs.ints) + (attrs.flag_a ? ", keepdims=True" : "");
  if (name == "Transpose") return ", perm=" + int_list(attrs.ints);
  if (name == "Reshape" || name == "BroadcastTo" || name == "StridedSliceGrad") return ", " + int_list(node.output.shape());
  if (name == "MatMul") return std::string(attrs.flag_a ? ", transpose_a=True" : "") + (attrs.flag_b ? ", transpose_b=True" : "");
  if (name == "Cast") return ", " + std::string(dtype_name(node.output.dtype()));
  if (name == "Cumsum" || name == "Cumprod")
    return ", axis=" + std::to_string(attrs.ints.empty() ? 0 : attrs.ints[0]) + (attrs.flag_a ? ", exclusive=True" : "") +
           (attrs.flag_b ? ", reverse=True" : "");
  return "";
}

/// The nodes of `trace` as lines, naming the tensors in `symbols`; `results` are the gradients.
/// A forward intermediate the rule reads (neither an input nor the result) is written as the
/// forward expression that made it, from `forward`.
std::vector<std::string> print_trace(const GradientTape& forward, const GradientTape& trace,
                                     std::unordered_map<std::uint64_t, std::string> symbols,
                                     const std::vector<std::pair<std::string, std::optional<Tensor>>>& results) {
  std::unordered_map<std::uint64_t, std::size_t> forward_producer;
  for (std::size_t i = 0; i < forward.node_count(); ++i) forward_producer[forward.node(i).output.id()] = i;
  std::unordered_map<std::uint64_t, std::size_t> producer;
  for (std::size_t i = 0; i < trace.node_count(); ++i) producer[trace.node(i).output.id()] = i;
  std::vector<int> uses(trace.node_count(), 0);
  auto count_use = [&](const Tensor& t) {
    if (symbols.count(t.id())) return;
    auto it = producer.find(t.id());
    if (it != producer.end()) ++uses[it->second];
  };
  for (std::size_t i = 0; i < trace.node_count(); ++i)
    for (const Tensor& input : trace.node(i).inputs) count_use(input);
  for (const auto& [name, result] : results)
    if (result) count_use(*result);

  std::vector<std::string> lines;
  std::vector<std::string> texts(trace.node_count());
  int temporaries = 0;
  std::function<std::string(const Tensor&)> text_of = [&](const Tensor& t) -> std::string {
    auto symbol = symbols.find(t.id());
    if (symbol != symbols.end()) return symbol->second;
    auto it = producer.find(t.id());
    if (it != producer.end()) return texts[it->second];
    auto made = forward_producer.find(t.id());
    if (made == forward_producer.end()) return constant_text(t);
    const TapeNode& node = forward.node(made->second);
    std::string text = snake_name(node.op->name) + "(";
    for (std::size_t k = 0; k < node.inputs.size(); ++k) text += (k ? ", " : "") + text_of(node.inputs[k]);
    return text + attribute_text(node) + ")";
  };
  for (std::size_t i = 0; i < trace.node_count(); ++i) {
    if (uses[i] == 0) continue;
    const TapeNode& node = trace.node(i);
    std::string text = snake_name(node.op->name) + "(";
    for (std::size_t k = 0; k < node.inputs.size(); ++k) text += (k ? ", " : "") + text_of(node.inputs[k]);
    text += attribute_text(node) + ")";
    if (uses[i] > 1) {
      std::string temporary = "t" + std::to_string(++temporaries);
      lines.push_back(temporary + " = " + text);
      symbols[node.output.id()] = temporary;
      text = temporary;
    }
    texts[i] = text;
  }
  for (const auto& [name, result] : results) lines.push_back(name + " = " + (result ? text_of(*result) : "None"));
  return lines;
}

/// "dx" for short parameter names, "d(input_tensor)" for long ones.
std::string gradient_name(const std::string& parameter) {
  return parameter.size() <= 2 ? "d" + parameter : "d(" + parameter + ")";
}

/// How the example's arguments are turned into watched tensors, most faithful first: float
/// tensors and lists plus Python floats; without the Python floats (the op may want a number);
/// each item of the first list argument on its own (add_n([a, b]), polyval's coeffs); the first argument only, read as
/// float32 (an int example such as reshape([[1, 2]], [2, 1])); every numeric list, read as float32
/// (equal([1, 2], [1, 3])). The last two only stand in for an example written without floats.
enum class Watch { kFloatsAndScalars, kFloats, kItems, kFirstAsFloat, kNumbers };

/// An argument of the example that can be watched under `mode` (kNumbers: any numeric list).
std::optional<Tensor> watchable(const Value& value, Watch mode) {
  if (value.kind == ValueKind::kFloat && mode != Watch::kFloatsAndScalars) return std::nullopt;
  if (value.kind != ValueKind::kTensor && value.kind != ValueKind::kFloat && !value.is_sequence()) return std::nullopt;
  try {
    Tensor t = to_tensor(value);
    if (mode == Watch::kNumbers && (dtype_is_integer(t.dtype()) || t.dtype() == DType::kBool)) {
      RecordingPause pause;
      t = ops::cast(t, DType::kFloat32);
    }
    if (!dtype_is_floating(t.dtype()) && !dtype_is_complex(t.dtype())) return std::nullopt;
    return t.reshaped(t.shape());  // a fresh identity, so each argument is its own source
  } catch (const UserError&) {
    return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

std::string kind_name(MemberKind kind) {
  switch (kind) {
    case MemberKind::kOp: return "op";
    case MemberKind::kFunction: return "function";
    case MemberKind::kConstant: return "constant";
    case MemberKind::kClass: return "class";
    case MemberKind::kModule: return "module";
  }
  return "op";
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string first_sentence(std::string_view text) {
  std::size_t end = text.find(". ");
  return std::string(end == std::string_view::npos ? text : text.substr(0, end + 1));
}

/// The example's value as the tool prints it, evaluated now (or the error it gives).
std::string example_output(const OpDef& op) {
  if (op.example.empty()) return "";
  try {
    Evaluator evaluator;
    return format::display(evaluator.evaluate(*expr::parse_expression(std::string(op.example))));
  } catch (const std::exception& error) {
    return std::string("error: ") + error.what();
  }
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char ch : text) {
    out += ch;
    if (ch == '\n') out += prefix;
  }
  return out;
}

std::string json_strings(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + format::json_string(items[i]);
  return text + "]";
}

std::string render_module(const std::string& module, bool json) {
  std::vector<std::string> members = module_members(module);
  std::string title = module.empty() ? "tf" : "tf." + module;
  std::ostringstream out;
  if (json) out << "{\"module\": " << format::json_string(title) << ", \"members\": [";
  else out << title << ": " << members.size() << " members\n";
  std::size_t width = 0;
  for (const std::string& member : members) width = std::max(width, member.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    std::string path = module.empty() ? members[i] : module + "." + members[i];
    const OpDef* op = find_op(path);
    std::string summary = op ? first_sentence(op->summary) : is_module(path) ? "(module)" : "";
    if (json)
      out << (i ? ", " : "") << "{\"name\": " << format::json_string(members[i]) << ", \"path\": "
          << format::json_string("tf." + path) << ", \"summary\": " << format::json_string(summary) << "}";
    else
      out << "  " << members[i] << std::string(width - members[i].size() + 2, ' ') << summary << "\n";
  }
  if (json) out << "]}\n";
  return out.str();
}

std::string render_row(const OpDef& op, bool json) {
  std::string path = "tf." + std::string(op.path);
  std::vector<std::string> aliases;
  for (const std::string& alias : split_words(op.aliases)) aliases.push_back("tf." + alias);
  std::string signature(op.signature);
  std::size_t paren = signature.find('(');
  std::string full_signature =
      paren == std::string::npos || op.kind == MemberKind::kConstant ? path : path + signature.substr(paren);
  TracedRule rule = trace_rule(op);
  VerifiedOrders verified = verified_orders(op);
  std::string output = example_output(op);
  std::ostringstream out;
  if (json) {
    const char* status = rule.kind == TracedRule::Kind::kRule ? "rule"
                         : rule.kind == TracedRule::Kind::kNotDifferentiable ? "not differentiable"
                                                                            : "not applicable";
    std::string orders = "[";
    for (std::size_t i = 0; i < verified.orders.size(); ++i) orders += (i ? ", " : "") + std::to_string(verified.orders[i]);
    orders += "]";
    out << "{\"name\": " << format::json_string(path) << ", \"aliases\": " << json_strings(aliases)
        << ", \"kind\": " << format::json_string(kind_name(op.kind)) << ", \"signature\": " << format::json_string(full_signature)
        << ", \"summary\": " << format::json_string(op.summary) << ", \"gradient\": {\"status\": " << format::json_string(status)
        << ", \"rule\": " << json_strings(rule.lines) << ", \"note\": " << format::json_string(rule.note)
        << "}, \"verified_orders\": " << orders << ", \"verified\": " << format::json_string(verified.text)
        << ", \"example\": {\"expression\": " << format::json_string(op.example) << ", \"output\": " << format::json_string(output)
        << "}}\n";
    return out.str();
  }
  out << full_signature << "\n";
  if (!aliases.empty()) {
    out << "Also:";
    for (const std::string& alias : aliases) out << " " << alias;
    out << "\n";
  }
  out << "\n" << op.summary << "\n\n";
  if (rule.kind == TracedRule::Kind::kRule) {
    out << "Gradient rule (traced on the example: g is the incoming gradient, out the result):\n";
    for (const std::string& line : rule.lines) out << "    " << line << "\n";
    if (!rule.note.empty()) out << "    (" << rule.note << ")\n";
  } else {
    out << "Gradient: " << rule.note << "\n";
  }
  out << "\nVerified by the test suite: " << verified.text << "\n";
  std::string shown = op.example.substr(0, 3) == "tf." ? std::string(op.example) : "tf." + std::string(op.example);
  if (!op.example.empty()) out << "\nExample:\n    >>> " << shown << "\n" << indent(output, "    ") << "\n";
  return out.str();
}

}  // namespace

const std::vector<std::string>& gradcheck_differentiable_rows() { return kDifferentiableRows; }
const std::vector<std::string>& gradcheck_not_differentiable_rows() { return kNotDifferentiableRows; }
const std::vector<std::string>& gradcheck_closed_form_rows() { return closed_form_rows(); }

VerifiedOrders verified_orders(const OpDef& op) {
  VerifiedOrders verified;
  if (contains(kDifferentiableRows, op.path)) {
    verified.orders = {1, 2};
    verified.text = "orders 1 and 2 against central finite differences in float64 (each case of the row at 3 random "
                    "points; float32 order 1 against float64)";
    if (contains(closed_form_rows(), op.path)) {
      verified.orders = {1, 2, 3, 4, 5};
      verified.text += ", orders 3 to 5 against closed forms";
    }
    verified.text += "; tests/unit/catalog/gradcheck_test.cpp.";
  } else if (contains(kNotDifferentiableRows, op.path)) {
    verified.text = "no order (not differentiable): every watched float input gets None, zeros with "
                    "unconnected_gradients='zero', and nothing is recorded; tests/unit/catalog/gradcheck_test.cpp.";
  } else if (op.kind == MemberKind::kOp) {
    verified.text = "nothing yet (the row has no entry in tests/unit/catalog/gradcheck_test.cpp).";
  } else {
    verified.text = "not applicable (not an op).";
  }
  return verified;
}

TracedRule trace_rule(const OpDef& op) {
  TracedRule rule;
  if (op.kind != MemberKind::kOp && op.kind != MemberKind::kFunction) {
    rule.note = "not applicable: a " + kind_name(op.kind) + " has no gradient";
    return rule;
  }
  expr::NodePtr example;
  try {
    example = expr::parse_expression(std::string(op.example));
  } catch (const expr::ParseError&) {
  }
  if (!example || example->kind != expr::NodeKind::kCall) {
    rule.note = "not applicable: the row has no call example to trace";
    return rule;
  }
  const Signature& signature = signature_of(op);
  std::string failure;
  // The most faithful reading of the example's arguments first (see Watch).
  for (Watch mode : {Watch::kFloatsAndScalars, Watch::kFloats, Watch::kItems, Watch::kFirstAsFloat, Watch::kNumbers}) {
    try {
      Evaluator evaluator;
      std::vector<Value> positional;
      std::vector<std::pair<std::string, Value>> keywords;
      evaluator.evaluate_arguments(*example, positional, keywords);
      std::vector<std::pair<std::string, Tensor>> inputs;
      bool split = false;  // kItems: the first list argument only is taken item by item
      auto watch = [&](Value& value, const std::string& parameter, bool first) {
        if (mode == Watch::kFirstAsFloat && !first) return;
        if (mode == Watch::kItems && value.is_sequence() && !split) {
          split = true;
          for (std::size_t k = 0; k < value.items.size(); ++k)
            if (std::optional<Tensor> t = watchable(value.items[k], Watch::kFloatsAndScalars)) {
              inputs.emplace_back(parameter + "[" + std::to_string(k) + "]", *t);
              value.items[k] = Value::of(*t);
            }
          return;
        }
        Watch reading = mode == Watch::kFirstAsFloat ? Watch::kNumbers : mode == Watch::kItems ? Watch::kFloats : mode;
        if (std::optional<Tensor> t = watchable(value, reading)) {
          inputs.emplace_back(parameter, *t);
          value = Value::of(*t);
        }
      };
      for (std::size_t i = 0; i < positional.size() && i < signature.params.size(); ++i) {
        // Arguments collected by a *name parameter (einsum's *inputs) are named name[k].
        std::size_t variadic = static_cast<std::size_t>(signature.variadic);
        if (signature.variadic >= 0 && i >= variadic) {
          watch(positional[i], signature.params[variadic] + "[" + std::to_string(i - variadic) + "]", false);
          continue;
        }
        watch(positional[i], signature.params[i], i == 0);
      }
      for (std::size_t i = signature.params.size(); signature.variadic >= 0 && i < positional.size(); ++i)
        watch(positional[i], signature.params[static_cast<std::size_t>(signature.variadic)] + "[" +
                                 std::to_string(i - static_cast<std::size_t>(signature.variadic)) + "]", false);
      for (auto& [name, value] : keywords) watch(value, name, positional.empty() && !signature.params.empty() && name == signature.params[0]);
      if (inputs.empty()) continue;
      GradientTape forward(false, false);
      for (const auto& [name, t] : inputs) forward.watch(t);
      forward.push();
      Value result;
      try {
        Value callee;
        callee.kind = ValueKind::kFunction;
        callee.function = &op;
        result = evaluator.call(callee, positional, keywords);
      } catch (...) {
        forward.pop();
        throw;
      }
      forward.pop();
      // The outputs: one tensor (out), or a tuple of them (out0, out1, ... with seeds g0, g1, ...).
      std::vector<Tensor> outs;
      if (result.kind == ValueKind::kTensor) outs.push_back(result.tensor);
      for (const Value& item : result.items)
        if (item.kind == ValueKind::kTensor) outs.push_back(item.tensor);
      if (outs.empty() || (result.is_sequence() && outs.size() != result.items.size())) {
        rule.note = "not applicable: the example returns a " + value_type_name(result);
        return rule;
      }
      bool several = outs.size() > 1;
      std::vector<Tensor> targets;
      std::vector<std::optional<Tensor>> seeds;
      std::unordered_map<std::uint64_t, std::string> symbols;
      for (std::size_t k = 0; k < outs.size(); ++k) {
        if (!dtype_is_differentiable(outs[k].dtype())) continue;
        targets.push_back(outs[k]);
        seeds.emplace_back(ops::ones_like(outs[k]));
        symbols.emplace(seeds.back()->id(), several ? "g" + std::to_string(k) : "g");
      }
      if (targets.empty()) {
        rule.kind = TracedRule::Kind::kNotDifferentiable;
        rule.note = "none for this example: its result is " + std::string(dtype_name(outs[0].dtype())) +
                    ", which carries no gradient (TF's None)";
        return rule;
      }
      // The sweep, recorded by a second tape that watches the seeds, the inputs and the results.
      GradientTape trace(false, false);
      for (const auto& seed : seeds) trace.watch(*seed);
      for (std::size_t k = 0; k < outs.size(); ++k) {
        trace.watch(outs[k]);
        symbols.emplace(outs[k].id(), several ? "out" + std::to_string(k) : "out");
      }
      std::vector<GradientSource> sources;
      for (const auto& [name, t] : inputs) {
        trace.watch(t);
        sources.push_back({{t.id()}, t.shape(), t.dtype()});
        symbols.emplace(t.id(), name);
      }
      trace.push();
      std::vector<std::optional<Tensor>> grads;
      try {
        grads = forward.gradient(targets, sources, seeds, Unconnected::kNone);
      } catch (...) {
        trace.pop();
        throw;
      }
      trace.pop();
      if (std::none_of(grads.begin(), grads.end(), [](const std::optional<Tensor>& t) { return t.has_value(); })) {
        rule.kind = TracedRule::Kind::kNotDifferentiable;
        rule.note = "none: not differentiable, every input gets None (TF's NotDifferentiable)";
        return rule;
      }
      std::vector<std::pair<std::string, std::optional<Tensor>>> results;
      for (std::size_t i = 0; i < inputs.size(); ++i) results.emplace_back(gradient_name(inputs[i].first), grads[i]);
      rule.kind = TracedRule::Kind::kRule;
      rule.lines = print_trace(forward, trace, symbols, results);
      std::string shapes;
      for (const auto& [name, t] : inputs) shapes += (shapes.empty() ? "" : ", ") + name + ": " + shape_str(t.shape());
      for (std::size_t k = 0; k < outs.size(); ++k)
        shapes += "; " + (several ? "out" + std::to_string(k) : std::string("out")) + ": " + shape_str(outs[k].shape());
      rule.note = "shapes of the example: " + shapes;
      return rule;
    } catch (const UserError& error) {
      // Reading ints as floats is a guess; only a failure with the example's own floats counts.
      if (failure.empty() && mode != Watch::kFirstAsFloat && mode != Watch::kNumbers) failure = error.what();
    }
  }
  rule.note = failure.empty() ? "not applicable: the example has no float argument to differentiate"
                              : "could not trace the example: " + failure;
  return rule;
}

std::string render_doc(const std::string& name, bool json) {
  std::string key = name;
  if (key.rfind("tf.", 0) == 0) key = key.substr(3);
  if (key == "tf" || key == "tensorflow") return render_module("", json);
  if (const OpDef* op = find_op(key)) return render_row(*op, json);
  if (is_module(key)) return render_module(key, json);
  // A bare name resolves as in a spec expression: to the one module member of that name (`log` is
  // tf.math.log); several modules having it is ambiguous, and the error lists them.
  if (key.find('.') == std::string::npos) {
    std::vector<std::string> modules = modules_with_member(key);
    // Paths that are aliases of one row (tf.math.softplus is tf.nn.softplus) are one function.
    std::vector<const OpDef*> rows;
    for (const std::string& module : modules)
      if (const OpDef* op = find_op(module + "." + key); op && std::find(rows.begin(), rows.end(), op) == rows.end()) rows.push_back(op);
    if (rows.size() == 1) return render_row(*rows[0], json);
    if (modules.size() > 1) {
      std::string listed;
      for (const std::string& module : modules) listed += (listed.empty() ? "" : ", ") + std::string("tf.") + module + "." + key;
      throw UserError(ExitCode::kUsage, "'" + name + "' is ambiguous: it is " + listed);
    }
  }
  std::vector<std::string> candidates = catalog_names();
  for (const std::string& module : catalog_modules())
    if (!module.empty()) candidates.push_back(module);
  throw UserError(ExitCode::kUsage, "unknown name '" + name + "'" + did_you_mean(key, candidates));
}

ExitCode doc_command(const DocOptions& options) {
  std::cout << render_doc(options.name, options.json);
  return ExitCode::kOk;
}

}  // namespace ag::cli
