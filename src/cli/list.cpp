// `autograd-cli list [MODULE]`: the modules, or a module's public members as dir() orders them,
// laid out as IPython shows a list.
#include <iostream>

#include "cli/commands.h"
#include "diag/spellcheck.h"
#include "format/display.h"
#include "ops/catalog.h"

namespace ag::cli {
namespace {

void print_names(const std::vector<std::string>& names, bool json) {
  if (json) {
    std::cout << "[";
    for (std::size_t i = 0; i < names.size(); ++i) std::cout << (i ? ", " : "") << "\"" << names[i] << "\"";
    std::cout << "]\n";
    return;
  }
  std::vector<Value> items;
  for (const std::string& name : names) items.push_back(Value::of_string(name));
  std::cout << format::display(Value::list(std::move(items))) << "\n";
}

}  // namespace

ExitCode list_command(const ListOptions& options) {
  std::string module = options.module;
  if (module.rfind("tf.", 0) == 0) module = module.substr(3);
  if (module == "tf" || module == "tensorflow") module.clear();
  if (options.module.empty()) {
    std::vector<std::string> modules;
    for (const std::string& m : catalog_modules())
      if (!m.empty()) modules.push_back(m);
    print_names(modules, options.json);
    return ExitCode::kOk;
  }
  if (!module.empty() && !is_module(module))
    throw UserError(ExitCode::kUsage, "unknown module '" + options.module + "'" + did_you_mean(module, catalog_modules()));
  print_names(module_members(module), options.json);
  return ExitCode::kOk;
}

}  // namespace ag::cli
