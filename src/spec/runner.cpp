// The spec runner: one GradientTape around the operations (and the derivatives, so that their
// results are recorded too and can be differentiated again), then the output items.
#include "spec/runner.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>

#include "autodiff/tape.h"
#include "diag/error.h"
#include "diag/spellcheck.h"
#include "expr/evaluator.h"
#include "format/display.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/catalog.h"
#include "ops/convert.h"
#include "spec/literal.h"

namespace ag {
namespace {

Value no_eval(CallArgs&) { return Value::none(); }

const OpDef kGradientDef{"gradient", "", MemberKind::kFunction,
                         "gradient(target, sources, output_gradients=None, unconnected_gradients='none', order=1)",
                         "", "", no_eval};

std::string dtype_repr(DType dtype) { return "tf." + std::string(dtype_name(dtype)); }

class Runner {
 public:
  Runner(const Spec& spec, std::ostream& warnings) : spec_(spec), warnings_(warnings) {}
  SpecResult run();

 private:
  expr::Statement parse(const SpecExpr& entry) const;
  expr::NodePtr parse_expr(const SpecExpr& entry) const;
  void use_locator(const SpecExpr& entry) {
    evaluator_.set_locator([&entry](std::size_t begin, std::size_t end) { return entry.locate(begin, end); });
  }
  void bind_input(const InputSpec& input);
  void run_statement(const SpecExpr& entry);
  void bind_targets(const expr::Statement& statement, const SpecExpr& entry, Value value);
  void watch_name(const std::string& name, const SourceSpan& span);
  void collect_default_watches();
  std::optional<Value> hook(const expr::Node& call, Evaluator& evaluator);
  Value gradient(const expr::Node& call);
  Value render_output(const SpecExpr& entry, OutputItem& item);

  const Spec& spec_;
  std::ostream& warnings_;
  Evaluator evaluator_;
  std::unique_ptr<GradientTape> tape_;
  int tape_calls_ = 0;
  std::set<std::string> watch_names_;
  std::vector<std::string> derivative_names_;
  int watch_warnings_ = 0;
  bool in_output_ = false;
};

expr::Statement Runner::parse(const SpecExpr& entry) const {
  try {
    return expr::parse_statement(entry.text);
  } catch (const expr::ParseError& error) {
    throw UserError(ExitCode::kUsage, entry.locate(error.offset(), error.offset() + 1), error.what());
  }
}

expr::NodePtr Runner::parse_expr(const SpecExpr& entry) const {
  try {
    return expr::parse_expression(entry.text);
  } catch (const expr::ParseError& error) {
    throw UserError(ExitCode::kUsage, entry.locate(error.offset(), error.offset() + 1), error.what());
  }
}

void Runner::watch_name(const std::string& name, const SourceSpan& span) {
  const Value* value = evaluator_.lookup(name);
  if (!value) throw UserError(ExitCode::kUsage, span, "cannot watch '" + name + "': no such name");
  if (value->kind == ValueKind::kVariable) {
    watch_variable(*value->variable, tape_.get());
    return;
  }
  if (value->kind != ValueKind::kTensor)
    throw UserError(ExitCode::kEval, span, "Passed in object of type " + value_type_name(*value) + ", not tf.Tensor or tf.Variable");
  if (!dtype_is_differentiable(value->tensor.dtype()) && watch_warnings_++ < 5)
    warnings_ << "WARNING:tensorflow:The dtype of the watched tensor must be floating (e.g. tf.float32), got "
              << dtype_repr(value->tensor.dtype()) << "\n";
  tape_->watch(value->tensor);
}

/// Without a `watch` list, every source named in a derivative call is watched.
void Runner::collect_default_watches() {
  for (const SpecExpr& entry : spec_.derivatives) {
    expr::Statement statement = parse(entry);
    const expr::Node& value = *statement.value;
    if (value.kind != expr::NodeKind::kCall || value.children.size() < 3) continue;
    if (value.children[0]->kind != expr::NodeKind::kName) continue;
    const expr::Node& source = *value.children[2];
    if (source.kind == expr::NodeKind::kName) watch_names_.insert(source.text);
    if (source.kind == expr::NodeKind::kList || source.kind == expr::NodeKind::kTuple)
      for (const expr::NodePtr& item : source.children)
        if (item->kind == expr::NodeKind::kName) watch_names_.insert(item->text);
  }
}

void Runner::bind_input(const InputSpec& input) {
  std::optional<DType> dtype;
  if (input.dtype) {
    dtype = dtype_from_name(*input.dtype);
    if (!dtype) {
      std::vector<std::string> names;
      for (int i = 0; i <= static_cast<int>(DType::kVariant); ++i) names.emplace_back(dtype_name(static_cast<DType>(i)));
      throw UserError(ExitCode::kUsage, input.dtype_span, "unknown dtype '" + *input.dtype + "'" + did_you_mean(*input.dtype, names));
    }
  }
  Tensor tensor;
  if (input.literal) {
    tensor = literal_to_tensor(*input.literal, dtype);
  } else {
    RecordingPause pause;
    const SpecExpr& entry = *input.expression;
    use_locator(entry);
    expr::NodePtr node = parse_expr(entry);
    Value value = evaluator_.evaluate(*node);
    try {
      tensor = to_tensor(value);
      if (dtype && tensor.dtype() != *dtype) tensor = ops::cast(tensor, *dtype);
    } catch (UserError& error) {
      error.set_span_if_unknown(input.value_span);
      throw;
    }
  }
  if (input.shape) {
    try {
      tensor = ops::reshape(tensor, *input.shape);
    } catch (UserError& error) {
      error.set_span_if_unknown(input.shape_span);
      throw;
    }
  }
  // A fresh identity, so an input is never the same tensor as anything else.
  tensor = tensor.reshaped(tensor.shape());
  if (input.variable) {
    auto state = std::make_shared<VariableState>();
    state->name = input.name;
    state->value = tensor;
    state->trainable = input.trainable.value_or(true);
    Value v;
    v.kind = ValueKind::kVariable;
    v.variable = std::move(state);
    evaluator_.bind(input.name, std::move(v));
  } else {
    evaluator_.bind(input.name, Value::of(tensor));
  }
}

void Runner::bind_targets(const expr::Statement& statement, const SpecExpr& entry, Value value) {
  const auto& targets = statement.targets;
  if (targets.empty()) return;
  if (targets.size() == 1) {
    evaluator_.bind(targets[0].name, std::move(value));
  } else {
    if (!value.is_sequence())
      throw UserError(ExitCode::kEval, entry.locate(0, entry.text.size()),
                      "cannot unpack non-sequence " + value_type_name(value) + " into " + std::to_string(targets.size()) + " names");
    if (value.items.size() != targets.size()) {
      std::string problem = value.items.size() < targets.size() ? "not enough" : "too many";
      throw UserError(ExitCode::kEval, entry.locate(0, entry.text.size()),
                      problem + " values to unpack (expected " + std::to_string(targets.size()) + ", got " +
                          std::to_string(value.items.size()) + ")");
    }
    for (std::size_t i = 0; i < targets.size(); ++i) evaluator_.bind(targets[i].name, value.items[i]);
  }
  for (const auto& target : targets)
    if (watch_names_.count(target.name) && tape_ && tape_->recording())
      watch_name(target.name, entry.locate(target.begin, target.begin + target.name.size()));
}

void Runner::run_statement(const SpecExpr& entry) {
  use_locator(entry);
  expr::Statement statement = parse(entry);
  Value value = evaluator_.evaluate(*statement.value);
  bind_targets(statement, entry, std::move(value));
}

Value Runner::gradient(const expr::Node& call) {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
  evaluator_.evaluate_arguments(call, positional, keywords);
  CallArgs args = bind_arguments(kGradientDef, std::move(positional), std::move(keywords), &evaluator_);

  if (!tape_) throw UserError(ExitCode::kEval, "gradient() needs the spec's tape");
  if (!tape_->persistent() && tape_calls_ > 0)
    throw UserError(ExitCode::kEval, "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)");
  ++tape_calls_;

  const Value& target_value = args["target"];
  if (target_value.is_none())
    throw UserError(ExitCode::kEval, "Argument `target` should be a list or nested structure of Tensors, Variables or "
                                     "CompositeTensors to be differentiated, but received None.");
  std::vector<Tensor> targets;
  std::vector<const Value*> pending{&target_value};
  while (!pending.empty()) {
    const Value* v = pending.back();
    pending.pop_back();
    if (v->is_sequence()) {
      for (auto it = v->items.rbegin(); it != v->items.rend(); ++it) pending.push_back(&*it);
    } else if (v->kind == ValueKind::kVariable) {
      targets.push_back(v->variable->value);
    } else if (v->kind == ValueKind::kTensor) {
      targets.push_back(v->tensor);
    } else if (!v->is_none()) {
      throw UserError(ExitCode::kEval, "gradient(): target must be a tensor, a variable or a list of them, not " + value_type_name(*v));
    }
  }
  for (const Tensor& target : targets)
    if (!dtype_is_differentiable(target.dtype()))
      warnings_ << "WARNING:tensorflow:The dtype of the target tensor must be floating (e.g. tf.float32) when calling "
                   "GradientTape.gradient, got "
                << dtype_repr(target.dtype()) << "\n";

  std::string unconnected_text = args["unconnected_gradients"].kind == ValueKind::kString ? args["unconnected_gradients"].text : "";
  Unconnected unconnected;
  if (unconnected_text == "none") unconnected = Unconnected::kNone;
  else if (unconnected_text == "zero") unconnected = Unconnected::kZero;
  else
    throw UserError(ExitCode::kEval, "Unknown value for unconnected_gradients: " + format::python_repr(args["unconnected_gradients"]));

  std::int64_t order = args.integer("order");
  if (order < 1) throw UserError(ExitCode::kEval, "gradient(): order must be at least 1, got " + std::to_string(order));

  std::vector<std::optional<Tensor>> output_gradients;
  const Value& given = args["output_gradients"];
  if (!given.is_none()) {
    std::vector<Value> list = given.is_sequence() && targets.size() != 1 ? given.items : std::vector<Value>{given};
    if (given.is_sequence() && targets.size() == 1 && given.items.size() == 1 && given.items[0].is_tensor_like())
      list = given.items;
    if (list.size() != targets.size())
      throw UserError(ExitCode::kEval, "gradient(): output_gradients must have one entry per target (" +
                                           std::to_string(targets.size()) + "), got " + std::to_string(list.size()));
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].is_none()) {
        output_gradients.emplace_back();
        continue;
      }
      Tensor g = to_tensor(list[i], targets[i].dtype(), "output_gradients");
      if (g.shape() != targets[i].shape())
        throw UserError(ExitCode::kEval, "gradient(): output_gradients entry " + std::to_string(i) + " has shape " +
                                             shape_str(g.shape()) + " but its target has shape " + shape_str(targets[i].shape()));
      output_gradients.emplace_back(g);
    }
  }

  // The structure of the result follows the sources: one value, or a list.
  const Value& sources_value = args["sources"];
  bool single = !sources_value.is_sequence();
  std::vector<Value> sources = single ? std::vector<Value>{sources_value} : sources_value.items;
  std::vector<Value> results;
  for (const Value& source : sources) {
    GradientSource gs;
    if (source.kind == ValueKind::kVariable) {
      for (const Tensor& read : source.variable->reads) gs.ids.push_back(read.id());
      gs.shape = source.variable->value.shape();
      gs.dtype = source.variable->value.dtype();
    } else if (source.kind == ValueKind::kTensor) {
      gs.ids.push_back(source.tensor.id());
      gs.shape = source.tensor.shape();
      gs.dtype = source.tensor.dtype();
    } else {
      throw UserError(ExitCode::kEval, "gradient(): sources must be tensors or variables, not " + value_type_name(source));
    }
    if (!dtype_is_differentiable(gs.dtype)) {
      warnings_ << "WARNING:tensorflow:The dtype of the source tensor must be floating (e.g. tf.float32) when calling "
                   "GradientTape.gradient, got "
                << dtype_repr(gs.dtype) << "\n";
      results.push_back(unconnected == Unconnected::kZero ? Value::of(ops::zeros(gs.dtype, gs.shape)) : Value::none());
      continue;
    }
    // order = n: n reverse sweeps, each recorded on the spec's tape, so the next can differentiate it.
    std::vector<Tensor> current = targets;
    std::vector<std::optional<Tensor>> seeds = output_gradients;
    std::optional<Tensor> result;
    for (std::int64_t k = 0; k < order; ++k) {
      Unconnected mode = k + 1 == order ? unconnected : Unconnected::kNone;
      result = tape_->gradient(current, {gs}, seeds, mode)[0];
      if (!result) break;
      current = {*result};
      seeds.clear();
    }
    if (!result && unconnected == Unconnected::kZero) result = ops::zeros(gs.dtype, gs.shape);
    results.push_back(result ? Value::of(*result) : Value::none());
  }
  // TF stops a non-persistent tape's recording when it computes its one gradient.
  if (!tape_->persistent() && tape_->recording()) tape_->pop();
  return single ? results[0] : Value::list(std::move(results));
}

std::optional<Value> Runner::hook(const expr::Node& call, Evaluator& evaluator) {
  const expr::Node& callee = *call.children[0];
  if (callee.kind != expr::NodeKind::kName || evaluator.lookup(callee.text)) return std::nullopt;
  const std::string& name = callee.text;
  if (name == "gradient") return gradient(call);
  if (name == "dir") {
    if (call.children.size() != 2 || !call.keywords.empty())
      throw UserError(ExitCode::kUsage, "dir() takes exactly one argument");
    Value module = evaluator.evaluate(*call.children[1]);
    std::vector<Value> names;
    if (module.kind == ValueKind::kModule) {
      for (const std::string& member : module_dir(module.text)) names.push_back(Value::of_string(member));
    } else {
      throw UserError(ExitCode::kEval, "dir() of a " + value_type_name(module) + " is not supported; pass a module such as random");
    }
    return Value::list(std::move(names));
  }
  if (name == "print" && !in_output_)
    throw UserError(ExitCode::kUsage, "print(...) is only allowed as an item of output");
  return std::nullopt;
}

Value Runner::render_output(const SpecExpr& entry, OutputItem& item) {
  use_locator(entry);
  expr::NodePtr node = parse_expr(entry);
  item.text = entry.text;
  if (node->kind == expr::NodeKind::kCall && node->children[0]->kind == expr::NodeKind::kName &&
      node->children[0]->text == "print" && !evaluator_.lookup("print")) {
    item.is_print = true;
    for (std::size_t i = 1; i < node->children.size(); ++i) {
      item.values.push_back(evaluator_.evaluate(*node->children[i]));
      item.argument_texts.push_back(entry.text.substr(node->children[i]->begin, node->children[i]->end - node->children[i]->begin));
    }
    for (const expr::Keyword& keyword : node->keywords)
      throw UserError(ExitCode::kUsage, entry.locate(keyword.name_begin, keyword.name_begin + keyword.name.size()),
                      "print(): keyword arguments are not supported");
    return Value::none();
  }
  Value value = evaluator_.evaluate(*node);
  item.values.push_back(value);
  return value;
}

SpecResult Runner::run() {
  evaluator_.set_call_hook([this](const expr::Node& call, Evaluator& evaluator) { return hook(call, evaluator); });
  for (const InputSpec& input : spec_.inputs) bind_input(input);

  // trainable_variables: the trainable variable inputs, in declaration order.
  if (!evaluator_.lookup("trainable_variables")) {
    std::vector<Value> trainable;
    for (const InputSpec& input : spec_.inputs) {
      const Value* value = evaluator_.lookup(input.name);
      if (value && value->kind == ValueKind::kVariable && value->variable->trainable) trainable.push_back(*value);
    }
    evaluator_.bind("trainable_variables", Value::list(std::move(trainable)));
  }

  tape_ = std::make_unique<GradientTape>(spec_.tape.persistent, spec_.tape.watch_accessed_variables);
  tape_->push();
  if (spec_.tape.watch) {
    for (const auto& [name, span] : *spec_.tape.watch) {
      bool is_input = std::any_of(spec_.inputs.begin(), spec_.inputs.end(), [&](const InputSpec& in) { return in.name == name; });
      if (is_input) {
        watch_name(name, span);
      } else {
        bool is_result = false;
        for (const SpecExpr& entry : spec_.operations)
          for (const auto& target : parse(entry).targets) is_result = is_result || target.name == name;
        if (!is_result) {
          std::vector<std::string> known;
          for (const InputSpec& in : spec_.inputs) known.push_back(in.name);
          throw UserError(ExitCode::kUsage, span, "cannot watch '" + name + "': it is neither an input nor an operation result" +
                                                      did_you_mean(name, known));
        }
        watch_names_.insert(name);
      }
    }
  } else {
    collect_default_watches();
    for (const InputSpec& input : spec_.inputs)
      if (watch_names_.count(input.name)) watch_name(input.name, input.span);
  }

  for (const SpecExpr& entry : spec_.operations) run_statement(entry);
  for (const SpecExpr& entry : spec_.derivatives) {
    use_locator(entry);
    expr::Statement statement = parse(entry);
    try {
      Value value = evaluator_.evaluate(*statement.value);
      bind_targets(statement, entry, std::move(value));
    } catch (UserError& error) {
      // Tape misuse is reported at the entry that asked for the derivative.
      error.set_span_if_unknown(entry.locate(0, entry.text.size()));
      throw;
    }
    for (const auto& target : statement.targets) derivative_names_.push_back(target.name);
  }
  if (tape_->recording()) tape_->pop();

  SpecResult result;
  in_output_ = true;
  if (spec_.output) {
    for (const SpecExpr& entry : *spec_.output) {
      OutputItem item;
      render_output(entry, item);
      result.items.push_back(std::move(item));
    }
  } else {
    for (const std::string& name : derivative_names_) {
      OutputItem item;
      item.text = name;
      item.values.push_back(*evaluator_.lookup(name));
      result.items.push_back(std::move(item));
    }
  }
  for (const std::string& name : evaluator_.bound_names()) result.names.emplace_back(name, *evaluator_.lookup(name));
  return result;
}

}  // namespace

SpecResult run_spec(const Spec& spec, std::ostream& warnings) {
  Runner runner(spec, warnings);
  return runner.run();
}

std::string render_text(const SpecResult& result) {
  std::string text;
  for (const OutputItem& item : result.items) {
    if (item.is_print) {
      for (std::size_t i = 0; i < item.values.size(); ++i) text += (i ? " " : "") + format::python_str(item.values[i]);
    } else {
      text += format::display(item.values[0]);
    }
    text += "\n";
  }
  return text;
}

}  // namespace ag
