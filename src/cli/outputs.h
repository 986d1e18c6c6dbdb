// A spec's output items as named values: what `run --format json` prints one line for and what
// `run --save DIR` writes one .npy file for.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ops/value.h"
#include "spec/runner.h"

namespace ag::cli {

struct NamedOutput {
  std::string name;  ///< the expression's text; list elements append [i]
  Value value;
};

/// Each output item in order: a plain item by its text, each argument of print(a, b) by its own
/// text; a list or tuple value gives one entry per element, named NAME[0], NAME[1], ... (nested
/// lists NAME[0][1]).
std::vector<NamedOutput> named_outputs(const SpecResult& result);

/// One JSON object per named output, each on its own line (format/json_lines.h).
std::string render_json(const SpecResult& result, const std::string& spec);

/// The file name (without .npy) for an output name: each run of characters other than ASCII
/// letters, digits, '_', '.' and '-' becomes one '_' (dropped at either end), a leading '.' or '-'
/// becomes '_', at most 100 bytes are kept, and an empty result is "output". `taken` holds the
/// names already used in the directory: a repeat gets "~2", "~3", ... appended (and is added).
std::string output_file_name(const std::string& name, std::set<std::string>& taken);

/// Writes each output that is a tensor (value_tensor in format/json_lines.h) as DIR/NAME.npy,
/// creating DIR; outputs that are not tensors (None, a DType, ...) are skipped with a note in
/// `notes`. Throws UserError(kUsage) naming the file when one cannot be written.
void save_outputs(const SpecResult& result, const std::string& directory, std::string& notes);

}  // namespace ag::cli
