// `autograd-cli completion bash`: a bash completion script generated from the CLI definition
// (subcommands, options, option values) and the catalog (module names for `list`).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ag::cli {

/// Fixed values of options, keyed "SUBCOMMAND --option" ("run --format" → text, json).
using OptionChoices = std::map<std::string, std::vector<std::string>>;

/// The script: defines _autograd_cli and registers it with `complete` for autograd-cli.
std::string bash_completion(const CLI::App& app, const OptionChoices& choices);

}  // namespace ag::cli
