// The spec runner: one GradientTape around the operations (and the derivatives, so that their
// results are recorded too and can be differentiated again), then the output items.
#include "spec/runner.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <string_view>

#include "autodiff/derivatives.h"
#include "autodiff/tape.h"
#include "core/limits.h"
#include "diag/error.h"
#include "diag/spellcheck.h"
#include "expr/evaluator.h"
#include "format/display.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/catalog.h"
#include "ops/convert.h"
#include "ops/random_state.h"
#include "spec/literal.h"

namespace ag {
namespace {

Value no_eval(CallArgs&) { return Value::none(); }

const OpDef kGradientDef{"gradient", "", MemberKind::kFunction,
                         "gradient(target, sources, output_gradients=None, unconnected_gradients='none', order=1)",
                         "", "", no_eval};

// The derivative calls beyond gradient (autodiff/derivatives.h), with TF's signatures.
const OpDef kJacobianDef{"jacobian", "", MemberKind::kFunction,
                         "jacobian(target, sources, unconnected_gradients='none', parallel_iterations=None, "
                         "experimental_use_pfor=True)",
                         "", "", no_eval};
const OpDef kBatchJacobianDef{"batch_jacobian", "", MemberKind::kFunction,
                              "batch_jacobian(target, source, unconnected_gradients='none', parallel_iterations=None, "
                              "experimental_use_pfor=True)",
                              "", "", no_eval};
const OpDef kHessianDef{"hessian", "", MemberKind::kFunction, "hessian(target, sources, unconnected_gradients='none')", "",
                        "", no_eval};
const OpDef kJvpDef{"jvp", "", MemberKind::kFunction, "jvp(target, sources, tangents, unconnected_gradients='none')", "",
                    "", no_eval};

std::string dtype_repr(DType dtype) { return "tf." + std::string(dtype_name(dtype)); }

/// A copy of a value whose variables and generators are frozen as they are now: an output item
/// shows the state at its own line, as a notebook cell does, even if a later item changes it.
Value snapshot(const Value& value) {
  Value copy = value;
  if (value.kind == ValueKind::kVariable && value.variable)
    copy.variable = std::make_shared<VariableState>(*value.variable);
  if (value.kind == ValueKind::kGenerator && value.generator) {
    copy.generator = std::make_shared<GeneratorState>(*value.generator);
    if (value.generator->state) copy.generator->state = std::make_shared<VariableState>(*value.generator->state);
  }
  for (Value& item : copy.items) item = snapshot(item);
  return copy;
}

/// The parser names a second place as "at column N" of the expression; in a spec, say where in
/// the file that is.
std::string parse_message(const SpecExpr& entry, const expr::ParseError& error) {
  std::string message = error.what();
  const std::string marker = " at column ";
  std::size_t at = message.find(marker);
  if (at == std::string::npos) return message;
  std::size_t digits = at + marker.size(), end = digits;
  while (end < message.size() && std::isdigit(static_cast<unsigned char>(message[end]))) ++end;
  if (end == digits) return message;
  std::size_t column = std::stoul(message.substr(digits, end - digits));
  if (column == 0 || column > entry.positions.size()) return message;
  SourceSpan place = entry.locate(column - 1, column);
  return message.substr(0, at) + " at line " + std::to_string(place.line) + ", column " + std::to_string(place.column) +
         message.substr(end);
}

/// "name 'z' is not defined" for a name the spec binds in a later entry says so, instead of
/// suggesting a similar name.
void explain_use_before_definition(const Spec& spec, UserError& error) {
  const std::string prefix = "name '";
  std::string message = error.what();
  std::size_t quote = message.find("' is not defined");
  if (message.rfind(prefix, 0) != 0 || quote == std::string::npos) return;
  std::string name = message.substr(prefix.size(), quote - prefix.size());
  for (const std::vector<SpecExpr>* entries : {&spec.operations, &spec.derivatives}) {
    for (const SpecExpr& entry : *entries) {
      try {
        for (const auto& target : expr::parse_statement(entry.text).targets) {
          if (target.name != name) continue;
          SourceSpan place = entry.locate(target.begin, target.begin + name.size());
          error = UserError(error.code(), error.span(),
                            "name '" + name + "' is used before it is defined (line " + std::to_string(place.line) +
                                " defines it; entries run in order)");
          return;
        }
      } catch (const expr::ParseError&) {
      }
    }
  }
}

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
  void run_statement(const SpecExpr& entry, const expr::Statement& statement);
  void bind_targets(const expr::Statement& statement, const SpecExpr& entry, Value&& value);
  void watch_name(const std::string& name, const SourceSpan& span);
  void collect_default_watches();
  std::optional<Value> hook(const expr::Node& call, Evaluator& evaluator);
  Value gradient(const expr::Node& call);
  Value single_sweep_gradient(const std::vector<Tensor>& targets, const std::vector<Value>& sources, bool single,
                              const std::vector<std::optional<Tensor>>& output_gradients, Unconnected unconnected);
  // jacobian, batch_jacobian, hessian, jvp: argument checks here, the work in autodiff/derivatives.
  Value derivative(const std::string& name, const expr::Node& call);
  std::vector<Tensor> flat_targets(const Value& target, const std::string& call) const;
  GradientSource to_source(const Value& source, const std::string& call) const;
  /// Warns on stderr when a selection's branch not taken puts nan into `result`. Without a
  /// selection on the tape this is one pass over the nodes; with one, a scan of the result, and
  /// the diagnosis only when it holds nan or inf.
  void warn_nan_traps(const Value& result, std::size_t node_limit, const std::vector<Tensor>& targets,
                      const std::vector<GradientSource>& sources, const std::string& call);
  SourceSpan place_of_node(std::size_t node, const std::string& op) const;
  Value render_output(const SpecExpr& entry, OutputItem& item);

  const Spec& spec_;
  std::ostream& warnings_;
  /// The parsed entries, kept with the rest of the run's state (see keep_until_exit).
  std::vector<expr::Statement> operations_;
  std::vector<expr::Statement> derivatives_;
  Evaluator evaluator_;
  std::unique_ptr<GradientTape> tape_;
  int tape_calls_ = 0;
  std::vector<GradientSource> gradient_sources_;  ///< the sources of the last gradient() call
  std::vector<Tensor> gradient_targets_;          ///< and its targets
  /// The tape's node count when each operation or derivative entry started (nan-trap warnings).
  std::vector<std::pair<std::size_t, const SpecExpr*>> entry_nodes_;
  const RunAdjustments* adjustments_ = nullptr;

 public:
  void set_adjustments(const RunAdjustments* adjustments) { adjustments_ = adjustments; }

 private:
  std::set<std::string> watch_names_;
  std::vector<std::string> derivative_names_;
  int watch_warnings_ = 0;
  bool in_output_ = false;
};

expr::Statement Runner::parse(const SpecExpr& entry) const {
  try {
    return expr::parse_statement(entry.text);
  } catch (const expr::ParseError& error) {
    throw UserError(ExitCode::kUsage, entry.locate(error.offset(), error.offset() + 1), parse_message(entry, error));
  }
}

expr::NodePtr Runner::parse_expr(const SpecExpr& entry) const {
  try {
    return expr::parse_expression(entry.text);
  } catch (const expr::ParseError& error) {
    throw UserError(ExitCode::kUsage, entry.locate(error.offset(), error.offset() + 1), parse_message(entry, error));
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
  if (adjustments_) {
    // verify: float inputs in float64, then a finite-difference step.
    if (adjustments_->float64_inputs && dtype_is_floating(tensor.dtype()) && tensor.dtype() != DType::kFloat64) {
      RecordingPause pause;
      tensor = ops::cast(tensor, DType::kFloat64);
    }
    if (adjustments_->rebind) tensor = adjustments_->rebind(input.name, tensor);
  }
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

void Runner::bind_targets(const expr::Statement& statement, const SpecExpr& entry, Value&& value) {
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
  if (adjustments_ && adjustments_->rebind)
    for (const auto& target : targets) {
      const Value* bound = evaluator_.lookup(target.name);
      if (bound && bound->kind == ValueKind::kTensor)
        evaluator_.bind(target.name, Value::of(adjustments_->rebind(target.name, bound->tensor)));
    }
  for (const auto& target : targets)
    if (watch_names_.count(target.name) && tape_ && tape_->recording())
      watch_name(target.name, entry.locate(target.begin, target.begin + target.name.size()));
}

void Runner::run_statement(const SpecExpr& entry, const expr::Statement& statement) {
  use_locator(entry);
  if (tape_) entry_nodes_.emplace_back(tape_->node_count(), &entry);
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

  std::vector<Tensor> targets = flat_targets(args["target"], "gradient");
  gradient_targets_ = targets;
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
  if (order > limits::settings().max_order)
    throw UserError(ExitCode::kEval, "gradient(): order " + std::to_string(order) + " is over the limit of " +
                                         std::to_string(limits::settings().max_order) + " (raise it with --max-order)");

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
  gradient_sources_.clear();
  if (order == 1) return single_sweep_gradient(targets, sources, single, output_gradients, unconnected);
  for (const Value& source : sources) {
    GradientSource gs = to_source(source, "gradient");
    gradient_sources_.push_back(gs);
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
      // As TF's GradientTape.gradient does, a non-persistent tape stops recording before its
      // last sweeps: nothing can use their record, and keeping it would keep every intermediate.
      if (k + 1 == order && (order == 1 || &source == &sources.back()) && !tape_->persistent() && tape_->recording())
        tape_->pop();
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

Value Runner::single_sweep_gradient(const std::vector<Tensor>& targets, const std::vector<Value>& sources, bool single,
                                    const std::vector<std::optional<Tensor>>& output_gradients, Unconnected unconnected) {
  // A first derivative for every source in one reverse sweep, as TF's GradientTape.gradient
  // computes it: the shared part of the backward pass runs once, not once per source.
  std::vector<Value> results(sources.size());
  std::vector<GradientSource> swept;
  std::vector<std::size_t> swept_index;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    GradientSource gs = to_source(sources[i], "gradient");
    gradient_sources_.push_back(gs);
    if (!dtype_is_differentiable(gs.dtype)) {
      warnings_ << "WARNING:tensorflow:The dtype of the source tensor must be floating (e.g. tf.float32) when calling "
                   "GradientTape.gradient, got "
                << dtype_repr(gs.dtype) << "\n";
      if (unconnected == Unconnected::kZero) results[i] = Value::of(ops::zeros(gs.dtype, gs.shape));
      continue;
    }
    swept.push_back(gs);
    swept_index.push_back(i);
  }
  // As TF does, a non-persistent tape stops recording before its one sweep: nothing can use the
  // record, and keeping it would keep every intermediate.
  if (!tape_->persistent() && tape_->recording()) tape_->pop();
  if (!swept.empty()) {
    std::vector<std::optional<Tensor>> grads = tape_->gradient(targets, swept, output_gradients, unconnected);
    for (std::size_t k = 0; k < swept.size(); ++k) {
      std::optional<Tensor>& g = grads[k];
      if (!g && unconnected == Unconnected::kZero) g = ops::zeros(swept[k].dtype, swept[k].shape);
      if (g) results[swept_index[k]] = Value::of(*g);
    }
  }
  return single ? results[0] : Value::list(std::move(results));
}

std::vector<Tensor> Runner::flat_targets(const Value& target, const std::string& call) const {
  if (target.is_none())
    throw UserError(ExitCode::kEval, "Argument `target` should be a list or nested structure of Tensors, Variables or "
                                     "CompositeTensors to be differentiated, but received None.");
  std::vector<Tensor> targets;
  std::vector<const Value*> pending{&target};
  while (!pending.empty()) {
    const Value* v = pending.back();
    pending.pop_back();
    if (v->is_sequence()) {
      for (auto it = v->items.rbegin(); it != v->items.rend(); ++it) pending.push_back(&*it);
    } else if (v->kind == ValueKind::kVariable) {
      targets.push_back(v->variable->value);
    } else if (v->kind == ValueKind::kTensor) {
      targets.push_back(v->tensor);
    } else if (!v->is_none()) {  // a None inside a list of targets contributes nothing
      throw UserError(ExitCode::kEval, call + "(): target must be a tensor, a variable or a list of them, not " + value_type_name(*v));
    }
  }
  return targets;
}

GradientSource Runner::to_source(const Value& source, const std::string& call) const {
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
    throw UserError(ExitCode::kEval, call + "(): sources must be tensors or variables, not " + value_type_name(source));
  }
  return gs;
}

Value Runner::derivative(const std::string& name, const expr::Node& call) {
  const OpDef& def = name == "jacobian" ? kJacobianDef
                     : name == "batch_jacobian" ? kBatchJacobianDef
                     : name == "hessian"        ? kHessianDef
                                                : kJvpDef;
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
  evaluator_.evaluate_arguments(call, positional, keywords);
  CallArgs args = bind_arguments(def, std::move(positional), std::move(keywords), &evaluator_);
  if (!tape_) throw UserError(ExitCode::kEval, name + "() needs the spec's tape");

  const Value& mode = args["unconnected_gradients"];
  std::string mode_text = mode.kind == ValueKind::kString ? mode.text : "";
  if (mode_text != "none" && mode_text != "zero")
    throw UserError(ExitCode::kEval, "Unknown value for unconnected_gradients: " + format::python_repr(mode));
  Unconnected unconnected = mode_text == "zero" ? Unconnected::kZero : Unconnected::kNone;

  // jvp is a ForwardAccumulator's, not a use of the tape; the others count as its one call.
  bool counted = name != "jvp";
  if (counted) {
    bool jacobian_kind = name == "jacobian" || name == "batch_jacobian";
    if (jacobian_kind && !tape_->persistent() && !truthy(args["experimental_use_pfor"]))
      throw UserError(ExitCode::kEval, name == "jacobian"
                                           ? "GradientTape must be created with persistent=True to compute the jacobian with "
                                             "eager execution enabled and with  experimental_use_pfor set to False."
                                           : "GradientTape must be created with persistent=True to compute the batch_jacobian "
                                             "with eager execution enabled and  with experimental_use_pfor set to False.");
    if (!tape_->persistent() && tape_calls_ > 0)
      throw UserError(ExitCode::kEval, "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)");
    ++tape_calls_;
  }

  const Value& target_value = args["target"];
  std::vector<Tensor> targets = flat_targets(target_value, name);
  const Value& sources_value = args[name == "batch_jacobian" ? "source" : "sources"];
  bool single = !sources_value.is_sequence();
  std::vector<Value> source_values = single ? std::vector<Value>{sources_value} : sources_value.items;
  std::vector<GradientSource> sources;
  for (const Value& source : source_values) sources.push_back(to_source(source, name));

  std::size_t before = tape_->node_count();
  std::vector<std::optional<Tensor>> results;
  bool list_result = !single;
  if (name == "jacobian" || name == "batch_jacobian") {
    if (target_value.is_sequence() || targets.size() != 1)
      throw UserError(ExitCode::kEval, name + "(): target must be one tensor, not " + value_type_name(target_value));
    if (name == "batch_jacobian" && !single)
      throw UserError(ExitCode::kEval, "batch_jacobian(): source must be one tensor, not " + value_type_name(sources_value));
    if (name == "jacobian")
      results = jacobian(*tape_, targets[0], sources, unconnected);
    else
      results = {batch_jacobian(*tape_, targets[0], sources[0], unconnected)};
  } else if (name == "hessian") {
    results = hessian(*tape_, targets, sources, unconnected);
  } else {
    const Value& given = args["tangents"];
    std::vector<Value> tangent_values = single ? std::vector<Value>{given} : given.is_sequence() ? given.items : std::vector<Value>{};
    if (tangent_values.size() != sources.size())
      throw UserError(ExitCode::kEval, "jvp(): tangents must match the structure of the sources: " + std::to_string(sources.size()) +
                                           " source(s), " + (given.is_sequence() ? std::to_string(given.items.size()) : "one") +
                                           " tangent(s)");
    std::vector<Tensor> tangents;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      Tensor tangent = to_tensor(tangent_values[i], sources[i].dtype, "tangents");
      if (tangent.dtype() != sources[i].dtype) tangent = ops::cast(tangent, sources[i].dtype);
      if (tangent.shape() != sources[i].shape)
        throw UserError(ExitCode::kEval, "jvp(): the tangent of source " + std::to_string(i) + " has shape " +
                                             shape_str(tangent.shape()) + " but the source has shape " + shape_str(sources[i].shape));
      tangents.push_back(tangent);
    }
    results = jvp(*tape_, targets, sources, tangents, unconnected);
    list_result = target_value.is_sequence();
  }
  // TF stops a non-persistent tape's recording when it computes its one set of gradients.
  if (counted && !tape_->persistent() && tape_->recording()) tape_->pop();
  std::vector<Value> values;
  for (const std::optional<Tensor>& r : results) values.push_back(r ? Value::of(*r) : Value::none());
  Value result = list_result ? Value::list(std::move(values)) : values[0];
  warn_nan_traps(result, before, targets, sources, name);
  return result;
}

SourceSpan Runner::place_of_node(std::size_t node, const std::string& op) const {
  // The entry that recorded the node, and the index of the node among that entry's `op` nodes.
  const SpecExpr* entry = nullptr;
  std::size_t first = 0;
  for (const auto& [start, e] : entry_nodes_)
    if (start <= node) entry = e, first = start;
  if (!entry) return SourceSpan{};
  const std::string_view primitive = tape_->node(node).op->name;
  std::size_t rank = 0;
  for (std::size_t i = first; i < node; ++i) rank += tape_->node(i).op->name == primitive;
  // The entry's calls of `op` in evaluation order (arguments first), e.g. where(...) or tf.where(...).
  std::vector<const expr::Node*> calls;
  std::function<void(const expr::Node&)> walk = [&](const expr::Node& n) {
    for (const expr::NodePtr& child : n.children)
      if (child) walk(*child);
    for (const expr::Keyword& keyword : n.keywords)
      if (keyword.value) walk(*keyword.value);
    if (n.kind != expr::NodeKind::kCall) return;
    const expr::Node& callee = *n.children[0];
    if ((callee.kind == expr::NodeKind::kName || callee.kind == expr::NodeKind::kAttribute) && callee.text == op)
      calls.push_back(&n);
  };
  // `calls` points into the parsed tree, so the statement must outlive their use below.
  expr::Statement statement;
  try {
    statement = expr::parse_statement(entry->text);
    walk(*statement.value);
  } catch (const expr::ParseError&) {
  }
  if (calls.empty()) return entry->locate(0, entry->text.size());
  const expr::Node* call = calls[std::min(rank, calls.size() - 1)];
  return entry->locate(call->begin, call->end);
}

void Runner::warn_nan_traps(const Value& result, std::size_t node_limit, const std::vector<Tensor>& targets,
                            const std::vector<GradientSource>& sources, const std::string& call) {
  // Whether the tape holds a selection is known without a walk; only then are the results read.
  if (!tape_ || !records_selection(*tape_, node_limit)) return;
  bool non_finite = result.kind == ValueKind::kTensor && has_non_finite(result.tensor);
  for (const Value& item : result.items) non_finite = non_finite || (item.kind == ValueKind::kTensor && has_non_finite(item.tensor));
  if (!non_finite) return;
  for (const NanTrap& trap : find_nan_traps(*tape_, node_limit, targets, sources)) {
    const std::string_view primitive = tape_->node(trap.node).op->name;
    std::string op = primitive == "SelectV2" ? "where" : primitive == "Maximum" ? "maximum" : "minimum";
    std::string branch = (primitive == "SelectV2" ? trap.input == 1 : trap.input == 0) ? "x" : "y";
    SourceSpan place = place_of_node(trap.node, op);
    std::string where = place.known() ? place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column) + ": "
                        : place.file.empty() ? "autograd-cli: " : place.file + ": ";
    warnings_ << where << "warning: " << call << "() is nan at " << trap.elements << " element(s) because of '" << op
              << "': where it does not take its " << branch << " argument, it sends that branch a zero gradient, which "
              << "meets an infinite or nan derivative there (0 * inf = nan); keep the branch's input finite where it is "
              << "not taken, e.g. where(x > 0, log(where(x > 0, x, 1.0)), 0.0)\n";
  }
}

/// Whether `name` is one of the calls Runner::hook handles (checked before anything else: every
/// call of a spec passes through the hook).
bool is_spec_call(std::string_view name) {
  return name == "gradient" || name == "jacobian" || name == "batch_jacobian" || name == "hessian" || name == "jvp" ||
         name == "dir" || name == "print";
}

std::optional<Value> Runner::hook(const expr::Node& call, Evaluator& evaluator) {
  const expr::Node& callee = *call.children[0];
  if (callee.kind != expr::NodeKind::kName || !is_spec_call(callee.text) || evaluator.lookup(callee.text)) return std::nullopt;
  const std::string& name = callee.text;
  if (name == "gradient") {
    std::size_t before = tape_ ? tape_->node_count() : 0;
    Value result = gradient(call);
    warn_nan_traps(result, before, gradient_targets_, gradient_sources_, name);
    return result;
  }
  if (name == "jacobian" || name == "batch_jacobian" || name == "hessian" || name == "jvp") return derivative(name, call);
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
      item.values.push_back(snapshot(evaluator_.evaluate(*node->children[i])));
      item.argument_texts.push_back(entry.text.substr(node->children[i]->begin, node->children[i]->end - node->children[i]->begin));
    }
    for (const expr::Keyword& keyword : node->keywords)
      throw UserError(ExitCode::kUsage, entry.locate(keyword.name_begin, keyword.name_begin + keyword.name.size()),
                      "print(): keyword arguments are not supported");
    return Value::none();
  }
  Value value = snapshot(evaluator_.evaluate(*node));
  item.values.push_back(value);
  return value;
}

RunProfile g_last_run_profile;  // see last_run_profile()

SpecResult Runner::run() {
  using Clock = std::chrono::steady_clock;
  auto elapsed_ms = [](Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
  };
  SpecResult result;
  // TF's random state is per process; each spec starts from a fresh one, as a fresh notebook does.
  reset_random_state();
  // Every entry is parsed before anything runs: a syntax error anywhere is reported first, and
  // the timed phases below measure evaluation only.
  std::vector<expr::Statement>& operations = operations_;
  std::vector<expr::Statement>& derivatives = derivatives_;
  operations.reserve(spec_.operations.size());
  derivatives.reserve(spec_.derivatives.size());
  for (const SpecExpr& entry : spec_.operations) operations.push_back(parse(entry));
  for (const SpecExpr& entry : spec_.derivatives) derivatives.push_back(parse(entry));
  Clock::time_point phase_start = Clock::now();
  double started_ms = steady_now_ms();
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
      bool is_input = std::any_of(spec_.inputs.begin(), spec_.inputs.end(), [&watched = name](const InputSpec& in) { return in.name == watched; });
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

  result.times.inputs = elapsed_ms(phase_start);
  phase_start = Clock::now();
  for (std::size_t i = 0; i < operations.size(); ++i) run_statement(spec_.operations[i], operations[i]);
  result.times.record = elapsed_ms(phase_start);
  phase_start = Clock::now();
  for (std::size_t i = 0; i < derivatives.size(); ++i) {
    const SpecExpr& entry = spec_.derivatives[i];
    const expr::Statement& statement = derivatives[i];
    use_locator(entry);
    entry_nodes_.emplace_back(tape_->node_count(), &entry);
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
  result.times.backward = elapsed_ms(phase_start);
  phase_start = Clock::now();

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
  result.times.output = elapsed_ms(phase_start);
  g_last_run_profile.times = result.times;
  g_last_run_profile.started_ms = started_ms;
  g_last_run_profile.finished_ms = steady_now_ms();
  ++g_last_run_profile.runs;
  return result;
}

}  // namespace

const RunProfile& last_run_profile() { return g_last_run_profile; }

double steady_now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {

thread_local bool keep_next_run = false;

/// Runs `runner`, then frees it or, when keep_next_run_until_exit asked for it, keeps it.
SpecResult run_and_release(std::unique_ptr<Runner> runner, const Spec& spec) {
  const bool keep = keep_next_run;
  keep_next_run = false;
  try {
    SpecResult result = runner->run();
    if (keep) keep_until_exit(std::shared_ptr<const Runner>(std::move(runner)));
    return result;
  } catch (UserError& error) {
    explain_use_before_definition(spec, error);
    throw;
  }
}

}  // namespace

void keep_until_exit(std::shared_ptr<const void> state) {
  // Allocated once and reachable through this static for the life of the process; never freed.
  static std::mutex* const mutex = new std::mutex;
  static auto* const kept = new std::vector<std::shared_ptr<const void>>;
  std::lock_guard<std::mutex> lock(*mutex);
  kept->push_back(std::move(state));
}

void keep_next_run_until_exit() { keep_next_run = true; }

SpecResult run_spec(const Spec& spec, std::ostream& warnings, const RunAdjustments& adjustments) {
  auto runner = std::make_unique<Runner>(spec, warnings);
  runner->set_adjustments(&adjustments);
  return run_and_release(std::move(runner), spec);
}

SpecResult run_spec(const Spec& spec, std::ostream& warnings) {
  return run_and_release(std::make_unique<Runner>(spec, warnings), spec);
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
