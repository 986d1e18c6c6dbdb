// Output items as named values, rendered as JSON lines or saved as .npy files.
#include "cli/outputs.h"

#include <cctype>
#include <filesystem>

#include "cli/files.h"
#include "diag/error.h"
#include "format/json_lines.h"
#include "format/npy.h"

namespace ag::cli {
namespace {

constexpr std::size_t kMaxFileNameBytes = 100;

void add_named(std::vector<NamedOutput>& out, const std::string& name, const Value& value) {
  if (value.is_sequence()) {
    // A namedtuple's items are named by their fields (u.y, u.idx), as a script would read them.
    for (std::size_t i = 0; i < value.items.size(); ++i)
      add_named(out, value.fields.empty() ? name + "[" + std::to_string(i) + "]" : name + "." + value.fields[i], value.items[i]);
    return;
  }
  out.push_back({name, value});
}

bool is_safe(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-';
}

}  // namespace

std::vector<NamedOutput> named_outputs(const SpecResult& result) {
  std::vector<NamedOutput> out;
  for (const OutputItem& item : result.items) {
    if (item.is_print) {
      for (std::size_t i = 0; i < item.values.size(); ++i) add_named(out, item.argument_texts[i], item.values[i]);
    } else {
      add_named(out, item.text, item.values[0]);
    }
  }
  return out;
}

std::string render_json(const SpecResult& result, const std::string& spec) {
  std::string text;
  for (const NamedOutput& output : named_outputs(result)) text += format::json_object(spec, output.name, output.value) + "\n";
  return text;
}

std::string output_file_name(const std::string& name, std::set<std::string>& taken) {
  std::string safe;
  bool pending_separator = false;
  for (char ch : name) {
    if (!is_safe(ch)) {
      pending_separator = !safe.empty();
      continue;
    }
    if (pending_separator) safe += '_';
    pending_separator = false;
    safe += ch;
  }
  if (!safe.empty() && (safe[0] == '.' || safe[0] == '-')) safe[0] = '_';
  if (safe.size() > kMaxFileNameBytes) safe.resize(kMaxFileNameBytes);
  if (safe.empty()) safe = "output";
  std::string chosen = safe;
  for (int n = 2; taken.count(chosen); ++n) chosen = safe + "~" + std::to_string(n);
  taken.insert(chosen);
  return chosen;
}

void save_outputs(const SpecResult& result, const std::string& directory, std::string& notes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) throw UserError(ExitCode::kUsage, "--save: cannot create directory " + directory + ": " + ec.message());
  std::set<std::string> taken;
  for (const NamedOutput& output : named_outputs(result)) {
    std::optional<Tensor> tensor = format::value_tensor(output.value);
    if (!tensor) {
      notes += "autograd-cli: note: --save: output '" + output.name + "' is " +
               (output.value.is_none() ? std::string("None") : "a " + value_type_name(output.value)) + ", not a tensor; not saved\n";
      continue;
    }
    std::string path = (fs::path(directory) / (output_file_name(output.name, taken) + ".npy")).string();
    std::string error;
    if (!write_atomically(path, format::write_npy(*tensor), error)) throw UserError(ExitCode::kUsage, "--save: " + error);
  }
}

}  // namespace ag::cli
