// autograd-cli: TensorFlow 2's GradientTape on the command line. This file only wires the
// subcommands to CLI11 and is the one place that reports errors and sets the exit status.
#include <CLI/CLI.hpp>

#include <iostream>
#include <new>

#include "cli/commands.h"
#include "diag/error.h"

int main(int argc, char** argv) {
  using ag::ExitCode;
  CLI::App app{"autograd-cli: TensorFlow 2's GradientTape without Python.\n"
               "Evaluates YAML specs and prints tensors exactly as TensorFlow prints them."};
  app.set_version_flag("--version", std::string("autograd-cli ") + AUTOGRAD_VERSION);
  app.require_subcommand(1);

  ag::cli::RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Evaluate specs and print their output (- reads standard input)");
  run_cmd->add_option("spec", run.specs, "Spec files")->required();
  run_cmd->add_option("--format", run.format, "Output format")->check(CLI::IsMember({"text", "json"}));

  ag::cli::ListOptions list;
  CLI::App* list_cmd = app.add_subcommand("list", "List the modules, or a module's members as dir() shows them");
  list_cmd->add_option("module", list.module, "Module, e.g. random, dtypes, math, or tf for the top level");
  list_cmd->add_flag("--json", list.json, "Print a JSON array");

  ag::cli::CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "Run specs and compare them with their golden files");
  check_cmd->add_option("path", check.paths, "Spec files or directories")->required();
  check_cmd->add_flag("--update", check.update, "Rewrite missing or changed golden files");
  check_cmd->add_option("--rtol", check.rtol, "Relative tolerance for numbers (default 1e-5)");
  check_cmd->add_option("--atol", check.atol, "Absolute tolerance for numbers (default 1e-8)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int status = app.exit(error);
    return status == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }

  try {
    ExitCode status = ExitCode::kOk;
    if (*run_cmd) status = ag::cli::run_command(run);
    if (*list_cmd) status = ag::cli::list_command(list);
    if (*check_cmd) status = ag::cli::check_command(check);
    return static_cast<int>(status);
  } catch (const ag::UserError& error) {
    std::cerr << ag::format_error(error) << "\n";
    return static_cast<int>(error.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "autograd-cli: error: out of memory (resource limit)\n";
    return static_cast<int>(ExitCode::kEval);
  } catch (const std::exception& error) {
    std::cerr << "autograd-cli: error: internal error: " << error.what() << "\n";
    return static_cast<int>(ExitCode::kEval);
  }
}
