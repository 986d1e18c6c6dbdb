// Runs a loaded spec: inputs, the tape, operations, derivatives, then the output items.
#pragma once

#include <iosfwd>
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

struct SpecResult {
  std::vector<OutputItem> items;
  /// Every name bound by the spec, in binding order, with its final value (for `expect`).
  std::vector<std::pair<std::string, Value>> names;
};

/// Evaluates the spec. Warnings (TF's logging lines) go to `warnings` as they happen.
/// Throws UserError with the place of the failing entry.
SpecResult run_spec(const Spec& spec, std::ostream& warnings);

/// The text `run` prints for a result: each display item as IPython shows it, each print item
/// as Python's print writes it.
std::string render_text(const SpecResult& result);

}  // namespace ag
