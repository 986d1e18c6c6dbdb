// `autograd-cli verify`: finite differences for every derivative entry of a spec.
//
// The spec runs once with its float inputs in float64 to get the tape's derivatives. Then, for
// each derivative, a probe entry replaces the call — the target itself, or the order n-1
// derivative for an order-n gradient or a hessian — and the spec is re-run with the source
// shifted by ±h (one element at a time; along the tangent for a jvp). Central differences of the
// probe give the derivative again, independently of the rule that produced it at the last order.
#include "cli/verify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/spec_io.h"
#include "core/limits.h"
#include "diag/error.h"
#include "expr/ast.h"
#include "kernels/kernels.h"
#include "ops/convert.h"
#include "ops/io_ops.h"
#include "spec/runner.h"

namespace ag::cli {
namespace {

const char* const kProbe = "__verify_probe";

/// Parameter names of each derivative call, in positional order (runner.cpp's signatures).
const std::map<std::string, std::vector<std::string>>& call_parameters() {
  static const std::map<std::string, std::vector<std::string>> parameters = {
      {"gradient", {"target", "sources", "output_gradients", "unconnected_gradients", "order"}},
      {"jacobian", {"target", "sources", "unconnected_gradients", "parallel_iterations", "experimental_use_pfor"}},
      {"batch_jacobian", {"target", "source", "unconnected_gradients", "parallel_iterations", "experimental_use_pfor"}},
      {"hessian", {"target", "sources", "unconnected_gradients"}},
      {"jvp", {"target", "sources", "tangents", "unconnected_gradients"}},
  };
  return parameters;
}

/// One derivative entry, taken apart: the call, its argument texts, the names of its sources.
struct Plan {
  std::size_t entry = 0;
  std::string kind;
  std::map<std::string, std::string> args;  ///< parameter → argument text
  std::vector<std::string> sources;
  bool source_list = false;
  int order = 1;
  std::string skip;  ///< non-empty: why this entry cannot be verified
};

std::string format_number(double value, const char* format = "%.2e") {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string text_of(const std::string& text, const expr::Node& node) { return text.substr(node.begin, node.end - node.begin); }

void collect_names(const expr::Node& node, std::set<std::string>& names) {
  if (node.kind == expr::NodeKind::kName) names.insert(node.text);
  for (const expr::NodePtr& child : node.children)
    if (child) collect_names(*child, names);
  for (const expr::Keyword& keyword : node.keywords)
    if (keyword.value) collect_names(*keyword.value, names);
}

std::set<std::string> names_in(const std::string& text) {
  std::set<std::string> names;
  try {
    collect_names(*expr::parse_statement(text).value, names);
  } catch (const expr::ParseError&) {
  }
  return names;
}

std::vector<std::string> targets_of(const SpecExpr& entry) {
  std::vector<std::string> names;
  try {
    for (const auto& target : expr::parse_statement(entry.text).targets) names.push_back(target.name);
  } catch (const expr::ParseError&) {
  }
  return names;
}

Plan plan_for(const Spec& spec, std::size_t index) {
  Plan plan;
  plan.entry = index;
  const SpecExpr& entry = spec.derivatives[index];
  expr::Statement statement = expr::parse_statement(entry.text);
  const expr::Node& call = *statement.value;
  if (call.kind != expr::NodeKind::kCall || call.children[0]->kind != expr::NodeKind::kName ||
      !call_parameters().count(call.children[0]->text)) {
    plan.skip = "not a derivative call";
    return plan;
  }
  plan.kind = call.children[0]->text;
  const std::vector<std::string>& parameters = call_parameters().at(plan.kind);
  for (std::size_t i = 1; i < call.children.size() && i - 1 < parameters.size(); ++i)
    plan.args[parameters[i - 1]] = text_of(entry.text, *call.children[i]);
  for (const expr::Keyword& keyword : call.keywords) plan.args[keyword.name] = text_of(entry.text, *keyword.value);
  if (plan.args.count("order")) {
    try {
      plan.order = std::stoi(plan.args["order"]);
    } catch (const std::exception&) {
      plan.skip = "order is not an integer literal";
      return plan;
    }
  }
  const std::string source_key = plan.kind == "batch_jacobian" ? "source" : "sources";
  if (!plan.args.count("target") || !plan.args.count(source_key)) {
    plan.skip = "the call has no target or no sources";
    return plan;
  }
  // Sources must be names, so that a run can shift them: x, [w, b], or trainable_variables.
  expr::NodePtr sources = expr::parse_expression(plan.args[source_key]);
  if (sources->kind == expr::NodeKind::kName && sources->text == "trainable_variables") {
    plan.source_list = true;
    for (const InputSpec& input : spec.inputs)
      if (input.variable && input.trainable.value_or(true)) plan.sources.push_back(input.name);
  } else if (sources->kind == expr::NodeKind::kName) {
    plan.sources.push_back(sources->text);
  } else if (sources->kind == expr::NodeKind::kList || sources->kind == expr::NodeKind::kTuple) {
    plan.source_list = true;
    for (const expr::NodePtr& item : sources->children) {
      if (item->kind != expr::NodeKind::kName) {
        plan.skip = "a source is not a name";
        return plan;
      }
      plan.sources.push_back(item->text);
    }
  } else {
    plan.skip = "the sources are not names";
  }
  return plan;
}

/// Shifts of named values, applied at one binding of each name (the last before the probe).
struct Shift {
  std::int64_t occurrence = 0;  ///< which binding of the name to shift (1-based)
  std::vector<double> delta;
};

Tensor shifted(const Tensor& base, const std::vector<double>& delta) {
  Tensor out = Tensor::allocate(DType::kFloat64, base.shape());
  double* data = out.mutable_data<double>();
  for (std::int64_t i = 0; i < base.size(); ++i) data[i] = base.element_as_double(i) + delta[static_cast<std::size_t>(i)];
  return base.dtype() == DType::kFloat64 ? out : kernels::cast(out, base.dtype());
}

std::vector<double> doubles_of(const Tensor& t) {
  std::vector<double> values;
  for (std::int64_t i = 0; i < t.size(); ++i) values.push_back(t.element_as_double(i));
  return values;
}

/// Every tensor of a (nested) value, in order; variables give their value.
void flatten(const Value& value, std::vector<Tensor>& out) {
  if (value.is_sequence()) {
    for (const Value& item : value.items) flatten(item, out);
  } else if (value.kind == ValueKind::kTensor) {
    out.push_back(value.tensor);
  } else if (value.kind == ValueKind::kVariable) {
    out.push_back(value.variable->value);
  }
}

class Verifier {
 public:
  Verifier(const Spec& spec, std::string directory, const VerifySettings& settings)
      : spec_(spec), directory_(std::move(directory)), settings_(settings) {}

  VerifyReport run();

 private:
  SpecResult run_spec_with(const Spec& spec, const RunAdjustments& adjustments) const {
    LoadDirectoryScope scope(directory_);
    std::ostringstream ignored;
    return ag::run_spec(spec, ignored, adjustments);
  }
  /// The spec cut before entry `plan.entry`, keeping only the earlier derivative entries the probe
  /// needs, then `__verify_probe = probe`.
  Spec probe_spec(const Plan& plan, const std::string& probe) const;
  /// The probe's value with the given names shifted.
  Value probe_value(const Spec& probe, const std::map<std::string, Shift>& shifts, std::int64_t& evaluations) const;
  std::int64_t bindings_of(const Spec& probe, const std::string& name) const;
  const Value* reference(const std::string& name) const {
    for (const auto& [bound, value] : reference_.names)
      if (bound == name) return &value;
    return nullptr;
  }
  void check_plan(const Plan& plan, std::vector<DerivativeCheck>& checks);
  std::vector<double> along_tangents(const Plan& plan, const Spec& probe, std::int64_t& evaluations) const;
  std::vector<double> per_element(const Plan& plan, const Spec& probe, const std::string& source, const Tensor& base,
                                  std::int64_t& evaluations) const;
  void compare(const std::vector<double>& ad, const std::vector<double>& fd, DerivativeCheck& check) const;

  const Spec& spec_;
  std::string directory_;
  VerifySettings settings_;
  bool float64_ = true;
  double step_ = 0;
  SpecResult reference_;
};

Spec Verifier::probe_spec(const Plan& plan, const std::string& probe) const {
  Spec cut = spec_;
  cut.output = std::vector<SpecExpr>{};
  // Without a watch list the runner watches the sources named by derivative calls; the probe is
  // not such a call, so name the same watches explicitly.
  if (!cut.tape.watch) {
    std::set<std::string> recorded;
    for (const InputSpec& input : spec_.inputs) recorded.insert(input.name);
    for (const SpecExpr& entry : spec_.operations)
      for (const std::string& target : targets_of(entry)) recorded.insert(target);
    std::vector<std::pair<std::string, SourceSpan>> watch;
    for (std::size_t i = 0; i < spec_.derivatives.size(); ++i)
      for (const std::string& source : plan_for(spec_, i).sources)
        if (recorded.count(source) &&
            std::none_of(watch.begin(), watch.end(), [&](const auto& w) { return w.first == source; }))
          watch.emplace_back(source, spec_.derivatives[i].span);
    cut.tape.watch = watch;
  }
  std::set<std::string> needed = names_in(probe);
  std::vector<SpecExpr> kept;
  for (std::size_t i = plan.entry; i-- > 0;) {
    const SpecExpr& entry = spec_.derivatives[i];
    std::vector<std::string> targets = targets_of(entry);
    if (std::none_of(targets.begin(), targets.end(), [&](const std::string& t) { return needed.count(t) != 0; })) continue;
    kept.insert(kept.begin(), entry);
    std::set<std::string> more = names_in(entry.text);
    needed.insert(more.begin(), more.end());
  }
  SpecExpr entry = spec_.derivatives[plan.entry];
  entry.text = std::string(kProbe) + " = " + probe;
  entry.positions.clear();
  kept.push_back(entry);
  cut.derivatives = kept;
  return cut;
}

std::int64_t Verifier::bindings_of(const Spec& probe, const std::string& name) const {
  std::int64_t count = 0;
  for (const InputSpec& input : probe.inputs) count += input.name == name;
  for (const std::vector<SpecExpr>* entries : {&probe.operations, &probe.derivatives})
    for (const SpecExpr& entry : *entries)
      for (const std::string& target : targets_of(entry)) count += target == name;
  return count;
}

Value Verifier::probe_value(const Spec& probe, const std::map<std::string, Shift>& shifts, std::int64_t& evaluations) const {
  RunAdjustments adjustments;
  adjustments.float64_inputs = float64_;
  std::map<std::string, std::int64_t> seen;
  adjustments.rebind = [&](const std::string& name, const Tensor& value) {
    auto it = shifts.find(name);
    if (it == shifts.end() || ++seen[name] != it->second.occurrence) return value;
    if (!dtype_is_floating(value.dtype()) || static_cast<std::size_t>(value.size()) != it->second.delta.size()) return value;
    return shifted(value, it->second.delta);
  };
  ++evaluations;
  SpecResult result = run_spec_with(probe, adjustments);
  for (const auto& [name, value] : result.names)
    if (name == kProbe) return value;
  return Value::none();
}

void Verifier::compare(const std::vector<double>& ad, const std::vector<double>& fd, DerivativeCheck& check) const {
  using Status = DerivativeCheck::Status;
  if (ad.size() != fd.size()) {
    check.status = Status::kFail;
    check.note = "the tape's result has " + std::to_string(ad.size()) + " elements, finite differences " + std::to_string(fd.size());
    return;
  }
  std::int64_t tape_only = 0, differences_only = 0;
  for (std::size_t i = 0; i < ad.size(); ++i) {
    bool ad_finite = std::isfinite(ad[i]), fd_finite = std::isfinite(fd[i]);
    if (!ad_finite || !fd_finite) {
      // nan against nan, or the same infinity, agree; anything else is a failure, counted apart.
      if (!ad_finite && !fd_finite && (std::isnan(ad[i]) ? std::isnan(fd[i]) : ad[i] == fd[i])) continue;
      ++(ad_finite ? differences_only : tape_only);
      check.status = Status::kFail;
      continue;
    }
    double error = std::fabs(ad[i] - fd[i]);
    check.max_abs = std::max(check.max_abs, error);
    check.max_rel = std::max(check.max_rel, error / std::max(std::fabs(fd[i]), settings_.atol));
    if (!(error <= settings_.atol + settings_.rtol * std::fabs(fd[i]))) check.status = Status::kFail;
  }
  if (tape_only > 0)
    check.note = "the tape gives nan or inf at " + std::to_string(tape_only) + " element(s) where finite differences are finite";
  if (differences_only > 0)
    check.note += std::string(check.note.empty() ? "" : "; ") + "finite differences are nan or inf at " +
                  std::to_string(differences_only) + " element(s) where the tape's result is finite";
}

/// Σ sum(target * weight) of a probe value (targets, weights): gradient's scalar.
double weighted_total(const Value& probe) {
  const Value& targets_value = probe.items[0];
  const Value& weights_value = probe.items[1];
  std::vector<Tensor> targets;
  flatten(targets_value, targets);
  std::vector<Value> weights;
  if (!weights_value.is_none()) {
    weights = weights_value.is_sequence() && targets.size() != 1 ? weights_value.items : std::vector<Value>{weights_value};
    if (weights_value.is_sequence() && targets.size() == 1 && weights_value.items.size() == 1 && weights_value.items[0].is_tensor_like())
      weights = weights_value.items;
  }
  double total = 0;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    std::vector<double> t = doubles_of(targets[k]);
    std::vector<double> w(t.size(), 1.0);
    if (k < weights.size() && !weights[k].is_none()) w = doubles_of(to_tensor(weights[k], DType::kFloat64));
    for (std::size_t e = 0; e < t.size(); ++e) total += t[e] * w[e % std::max<std::size_t>(w.size(), 1)];
  }
  return total;
}

std::vector<double> flat_values(const Value& probe) {
  std::vector<Tensor> tensors;
  flatten(probe.items[0], tensors);
  std::vector<double> values;
  for (const Tensor& t : tensors) {
    std::vector<double> more = doubles_of(t);
    values.insert(values.end(), more.begin(), more.end());
  }
  return values;
}

std::string describe(const Plan& plan) {
  if (plan.kind == "gradient") return "gradient, order " + std::to_string(plan.order);
  return plan.kind;
}

/// The probe whose differences give the derivative: the target (with its output gradients for a
/// gradient), or the derivative one order lower.
std::string probe_text(const Plan& plan, const std::string& source) {
  const std::string& target = plan.args.at("target");
  if (plan.kind == "gradient" && plan.order > 1) {
    std::string weights = plan.args.count("output_gradients") ? ", output_gradients=" + plan.args.at("output_gradients") : "";
    return "(gradient(" + target + ", " + source + ", order=" + std::to_string(plan.order - 1) + weights + "), None)";
  }
  if (plan.kind == "gradient")
    return "(" + target + ", " + (plan.args.count("output_gradients") ? plan.args.at("output_gradients") : "None") + ")";
  if (plan.kind == "hessian") return "(gradient(" + target + ", " + source + "), None)";
  return "(" + target + ", None)";
}

std::vector<double> Verifier::along_tangents(const Plan& plan, const Spec& probe, std::int64_t& evaluations) const {
  // One central difference along the tangents, all sources moving together.
  std::string tangents = plan.args.count("tangents") ? plan.args.at("tangents") : "None";
  Value tangent_value = probe_value(probe_spec(plan, "(" + tangents + ", None)"), {}, evaluations).items[0];
  std::vector<Value> per_source =
      plan.source_list && tangent_value.is_sequence() ? tangent_value.items : std::vector<Value>{tangent_value};
  double scale = 1, size = 0;
  std::vector<std::vector<double>> directions;
  for (std::size_t s = 0; s < plan.sources.size() && s < per_source.size(); ++s) {
    std::vector<Tensor> tensors;
    if (const Value* source_value = reference(plan.sources[s])) flatten(*source_value, tensors);
    for (const Tensor& t : tensors)
      for (double x : doubles_of(t)) scale = std::max(scale, std::fabs(x));
    directions.push_back(doubles_of(to_tensor(per_source[s], DType::kFloat64)));
    for (double v : directions.back()) size = std::max(size, std::fabs(v));
  }
  double h = size > 0 ? step_ * scale / size : 0;
  std::map<std::string, Shift> plus, minus;
  for (std::size_t s = 0; s < directions.size(); ++s) {
    std::int64_t occurrence = bindings_of(probe, plan.sources[s]);
    std::vector<double> up = directions[s], down = directions[s];
    for (double& v : up) v *= h;
    for (double& v : down) v *= -h;
    plus[plan.sources[s]] = {occurrence, up};
    minus[plan.sources[s]] = {occurrence, down};
  }
  std::vector<double> high = flat_values(probe_value(probe, plus, evaluations));
  std::vector<double> low = flat_values(probe_value(probe, minus, evaluations));
  std::vector<double> fd;
  for (std::size_t e = 0; e < high.size() && e < low.size(); ++e) fd.push_back(h > 0 ? (high[e] - low[e]) / (2 * h) : 0.0);
  return fd;
}

std::vector<double> Verifier::per_element(const Plan& plan, const Spec& probe, const std::string& source, const Tensor& base,
                                          std::int64_t& evaluations) const {
  // One central difference per element of the source: a gradient's scalar, or a column of a
  // jacobian (row i: output element i, column e: source element e).
  std::vector<double> x = doubles_of(base);
  std::int64_t occurrence = bindings_of(probe, source);
  std::vector<double> gradient;
  std::vector<std::vector<double>> columns;
  for (std::size_t e = 0; e < x.size(); ++e) {
    double h = step_ * std::max(1.0, std::fabs(x[e]));
    std::vector<double> up(x.size(), 0.0), down(x.size(), 0.0);
    up[e] = h;
    down[e] = -h;
    // The step the source's dtype can hold.
    double realised = doubles_of(shifted(base, up))[e] - doubles_of(shifted(base, down))[e];
    if (realised == 0) realised = 2 * h;
    Value high = probe_value(probe, {{source, {occurrence, up}}}, evaluations);
    Value low = probe_value(probe, {{source, {occurrence, down}}}, evaluations);
    if (plan.kind == "gradient") {
      gradient.push_back((weighted_total(high) - weighted_total(low)) / realised);
      continue;
    }
    std::vector<double> a = flat_values(high), b = flat_values(low), column;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) column.push_back((a[i] - b[i]) / realised);
    columns.push_back(column);
  }
  if (plan.kind == "gradient") return gradient;
  std::vector<double> fd;
  std::size_t rows = columns.empty() ? 0 : columns[0].size();
  if (plan.kind == "batch_jacobian") {
    // Keep the blocks of one batch row: [b, y..., x...] from the full [b*Y, b*X].
    std::size_t batch = base.shape().empty() ? 1 : static_cast<std::size_t>(base.shape()[0]);
    std::size_t ys = batch ? rows / batch : 0, xs = batch ? x.size() / batch : 0;
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t i = 0; i < ys; ++i)
        for (std::size_t e = 0; e < xs; ++e) fd.push_back(columns[b * xs + e][b * ys + i]);
    return fd;
  }
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t e = 0; e < columns.size(); ++e) fd.push_back(columns[e][i]);
  return fd;
}

void Verifier::check_plan(const Plan& plan, std::vector<DerivativeCheck>& checks) {
  using Status = DerivativeCheck::Status;
  const SpecExpr& entry = spec_.derivatives[plan.entry];
  std::vector<std::string> names = targets_of(entry);
  // The results to check: (display name, value, index of its source, or of its target for jvp).
  std::vector<std::tuple<std::string, Value, std::size_t>> results;
  if (names.size() == 1) {
    const Value* value = reference(names[0]);
    if (!value) return;
    if (value->is_sequence())
      for (std::size_t i = 0; i < value->items.size(); ++i) results.emplace_back(names[0] + "[" + std::to_string(i) + "]", value->items[i], i);
    else
      results.emplace_back(names[0], *value, 0);
  } else {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (const Value* value = reference(names[i])) results.emplace_back(names[i], *value, i);
  }
  if (!plan.skip.empty()) {
    for (auto& [name, value, index] : results) checks.push_back({name, "", 0, 0, 0, Status::kSkip, plan.skip});
    if (results.empty()) checks.push_back({names.empty() ? entry.text : names[0], "", 0, 0, 0, Status::kSkip, plan.skip});
    return;
  }
  std::vector<double> jvp_differences;  // one run serves every target of a jvp
  for (auto& [name, value, index] : results) {
    DerivativeCheck check{name, describe(plan), 0, 0, 0, Status::kPass, ""};
    const std::string& source = plan.sources[plan.kind == "jvp" ? 0 : std::min(index, plan.sources.size() - 1)];
    const Value* base_value = reference(source);
    Tensor base;
    if (base_value && base_value->kind == ValueKind::kTensor) base = base_value->tensor;
    if (base_value && base_value->kind == ValueKind::kVariable) base = base_value->variable->value;
    if (!base.defined() || !dtype_is_floating(base.dtype())) {
      check.status = Status::kSkip;
      check.note = "source '" + source + "' is not a float tensor";
      checks.push_back(check);
      continue;
    }
    std::vector<double> ad;
    if (value.kind == ValueKind::kTensor) ad = doubles_of(value.tensor);
    Spec probe = probe_spec(plan, probe_text(plan, source));
    std::vector<double> fd;
    if (plan.kind == "jvp") {
      if (jvp_differences.empty()) jvp_differences = along_tangents(plan, probe, check.evaluations);
      fd = jvp_differences;
      if (results.size() > 1) {
        // A list of targets: this result's slice of the flat differences.
        std::size_t offset = 0;
        for (std::size_t r = 0; r < index; ++r) {
          const Value& earlier = std::get<1>(results[r]);
          offset += earlier.kind == ValueKind::kTensor ? static_cast<std::size_t>(earlier.tensor.size()) : 0;
        }
        std::size_t from = std::min(offset, fd.size()), to = std::min(offset + ad.size(), fd.size());
        fd = std::vector<double>(fd.begin() + static_cast<long>(from), fd.begin() + static_cast<long>(to));
      }
    } else {
      fd = per_element(plan, probe, source, base, check.evaluations);
    }
    if (value.is_none()) {
      double largest = 0;
      for (double d : fd) largest = std::max(largest, std::fabs(d));
      if (largest <= settings_.atol) {
        check.note = "None, and finite differences are zero";
      } else {
        check.status = Status::kSkip;
        check.note = "the tape gives None (no recorded path) but finite differences reach " + format_number(largest, "%.3g");
      }
    } else {
      compare(ad, fd, check);
    }
    checks.push_back(check);
  }
}

VerifyReport Verifier::run() {
  VerifyReport report;
  Spec reference_spec = spec_;
  reference_spec.output = std::vector<SpecExpr>{};
  RunAdjustments adjustments;
  adjustments.float64_inputs = true;
  report.precision = "float64";
  try {
    reference_ = run_spec_with(reference_spec, adjustments);
  } catch (const UserError& error) {
    // A spec mixing its inputs with float32 constants cannot run in float64: keep its dtypes.
    float64_ = false;
    adjustments.float64_inputs = false;
    reference_ = run_spec_with(reference_spec, adjustments);
    report.precision = std::string("the spec's own dtypes (in float64 it fails: ") + error.what() + ")";
  }
  step_ = float64_ ? 6.0555e-6 : 4.9e-3;  // about the cube root of each precision's epsilon
  report.step = step_;
  for (std::size_t i = 0; i < spec_.derivatives.size(); ++i) check_plan(plan_for(spec_, i), report.checks);
  return report;
}

}  // namespace

VerifyReport verify_spec(const Spec& spec, const std::string& path, const VerifySettings& settings) {
  std::string directory = path == "-" || path.empty() ? "" : std::filesystem::path(path).parent_path().string();
  Verifier verifier(spec, directory, settings);
  return verifier.run();
}

std::string render_verify_report(const std::string& name, const VerifyReport& report, const VerifySettings& settings) {
  std::ostringstream out;
  out << name << ": central differences in " << report.precision << ", step " << format_number(report.step)
      << " * max(1, |x|), rtol " << format_number(settings.rtol) << ", atol " << format_number(settings.atol) << "\n";
  std::size_t name_width = 4, call_width = 4;
  for (const DerivativeCheck& check : report.checks) {
    name_width = std::max(name_width, check.name.size());
    call_width = std::max(call_width, check.call.size());
  }
  for (const DerivativeCheck& check : report.checks) {
    out << "  " << check.name << std::string(name_width - check.name.size() + 2, ' ') << check.call
        << std::string(call_width - check.call.size() + 2, ' ');
    if (check.status == DerivativeCheck::Status::kSkip) {
      out << "SKIP  " << check.note << "\n";
      continue;
    }
    out << "max abs error " << format_number(check.max_abs) << "  max rel error " << format_number(check.max_rel) << "  "
        << (check.status == DerivativeCheck::Status::kPass ? "PASS" : "FAIL");
    if (!check.note.empty()) out << "  (" << check.note << ")";
    out << "\n";
  }
  if (report.checks.empty()) out << "  (no derivatives)\n";
  return out.str();
}

ExitCode verify_command(const VerifyOptions& options) {
  VerifySettings settings;
  if (options.rtol) settings.rtol = *options.rtol;
  if (options.atol) settings.atol = *options.atol;
  ExitCode status = ExitCode::kOk;
  std::size_t passed = 0, failed = 0, skipped = 0;
  bool first = true;
  for (const std::string& path : options.specs) {
    std::string name = spec_display_name(path);
    try {
      Spec spec = load_spec(read_spec_file(path), name);
      // The spec's time limit covers all of its re-runs (limits as for run and check).
      std::optional<VerifyReport> checked;
      {
        limits::DeadlineScope deadline(name);
        checked = verify_spec(spec, path, settings);
      }
      VerifyReport report = std::move(*checked);
      std::cout << (first ? "" : "\n") << render_verify_report(name, report, settings);
      first = false;
      for (const DerivativeCheck& check : report.checks) {
        if (check.status == DerivativeCheck::Status::kPass) ++passed;
        if (check.status == DerivativeCheck::Status::kFail) ++failed;
        if (check.status == DerivativeCheck::Status::kSkip) ++skipped;
      }
    } catch (UserError& error) {
      if (error.span().file.empty()) {
        SourceSpan span = error.span();
        span.file = name;
        error = UserError(error.code(), span, error.what());
      }
      std::cerr << format_error(error) << "\n";
      if (status == ExitCode::kOk || status == ExitCode::kMismatch) status = error.code();
    }
  }
  std::cout << (first ? "" : "\n") << passed + failed + skipped << " derivatives: " << passed << " passed, " << failed
            << " failed, " << skipped << " skipped\n";
  if (status == ExitCode::kOk && failed > 0) status = ExitCode::kMismatch;
  return status;
}

}  // namespace ag::cli
