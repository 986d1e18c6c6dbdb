// Runs a loaded spec: inputs, the tape, operations, derivatives, then the output items.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "ops/value.h"
#include "spec/spec.h"

namespace ag {

/// One item of the `output` section, evaluated.
struct OutputItem {
  std::string text;           ///< the expression as written
  bool is_print = false;      ///< print(a, b, ...): values are the arguments
  std::vector<Value> values;  ///< one value (display) or the print arguments
  std::vector<std::string> argument_texts;  ///< for print: each argument's text
};

/// Wall time of each phase of a run, in milliseconds (for `run --profile`).
struct PhaseTimes {
  double inputs = 0;    ///< evaluating the inputs
  double record = 0;    ///< the operations, recorded on the tape
  double backward = 0;  ///< the derivatives
  double output = 0;    ///< evaluating the output items
};

/// The latest run_spec of this process (for `run --profile`, which times around it): its phase
/// times and the steady-clock instants, in ms, where evaluation started (after parsing the
/// entries) and ended. `runs` counts the runs that completed.
struct RunProfile {
  PhaseTimes times;
  double started_ms = 0;
  double finished_ms = 0;
  unsigned long runs = 0;
};
const RunProfile& last_run_profile();
/// Now on the steady clock, in milliseconds (the clock of RunProfile's instants).
double steady_now_ms();

struct SpecResult {
  std::vector<OutputItem> items;
  PhaseTimes times;
  /// Every name bound by the spec, in binding order, with its final value (for `expect`).
  std::vector<std::pair<std::string, Value>> names;
};

/// Evaluates the spec. Warnings (TF's logging lines) go to `warnings` as they happen.
/// Throws UserError with the place of the failing entry.
SpecResult run_spec(const Spec& spec, std::ostream& warnings);

/// What `verify` changes in a run: float inputs promoted to float64, and names rebound to other
/// values (a finite-difference step) the moment they are bound, as inputs or as results.
struct RunAdjustments {
  bool float64_inputs = false;
  /// Called for every input and every tensor result bound to a name; returns the value to bind.
  std::function<Tensor(const std::string& name, const Tensor& value)> rebind;
};
SpecResult run_spec(const Spec& spec, std::ostream& warnings, const RunAdjustments& adjustments);

/// Freeing what a long run built (its tape, syntax trees and values: a few allocations per op, on
/// the order of a microsecond per op) takes as long as a good part of the run itself. A process that
/// ends right after a run can leave that memory to its exit instead:
/// keep_until_exit holds `state` reachable (so leak checkers do not report it) and never frees it.
void keep_until_exit(std::shared_ptr<const void> state);
/// The next run_spec on this thread keeps its state with keep_until_exit instead of freeing it.
/// For a process about to end: the memory (and the --max-memory budget its tensors hold) is not
/// given back.
void keep_next_run_until_exit();

/// The text `run` prints for a result: each display item as IPython shows it, each print item
/// as Python's print writes it.
std::string render_text(const SpecResult& result);

}  // namespace ag
