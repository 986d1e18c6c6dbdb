// autograd-cli: TensorFlow 2's GradientTape on the command line. This file only wires the
// subcommands to CLI11 and is the one place that reports errors and sets the exit status.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/completion.h"
#include "core/limits.h"
#include "diag/error.h"

namespace {

const std::vector<std::string> kRunFormats{"text", "json"};
const std::vector<std::string> kCheckFormats{"text", "json", "junit"};
const std::vector<std::string> kColors{"auto", "always", "never"};

/// `check --format junit FILE` takes two words; CLI11 options take a fixed count, so the pair is
/// rewritten to `--format junit --junit FILE` before parsing.
std::vector<std::string> rewrite_junit(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool in_check = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (!in_check) {
      in_check = args[i] == "check";
      continue;
    }
    bool joined = args[i] == "--format=junit";
    bool split = args[i] == "--format" && i + 1 < args.size() && args[i + 1] == "junit";
    if (!joined && !split) continue;
    std::size_t file = i + (split ? 2 : 1);
    if (file < args.size() && !args[file].empty() && args[file][0] != '-')
      args.insert(args.begin() + static_cast<long>(file), "--junit");
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  return args;
}

/// The resource limits (core/limits.h), the same options on every command that runs specs.
struct LimitOptions {
  std::string max_memory;
  std::optional<double> timeout;
  std::optional<std::int64_t> max_order;
  std::vector<std::string> allow_read;
};

void add_limit_options(CLI::App* command, LimitOptions& options) {
  command->add_option("--max-memory", options.max_memory,
                      "Refuse tensors over SIZE bytes, each and all live at once (e.g. 512M, 8G; default 4G)")
      ->type_name("SIZE");
  command->add_option("--timeout", options.timeout, "Stop a spec after SECONDS (default 600; 0 for no limit)")
      ->type_name("SECONDS");
  command->add_option("--max-order", options.max_order, "Highest derivative order gradient(..., order=N) may ask (default 16)")
      ->type_name("N");
  command->add_option("--allow-read", options.allow_read, "Let load() read below DIR too (default: only the spec's directory)")
      ->type_name("DIR");
}

/// Applies the limit options; a bad value is a usage error.
void apply_limit_options(const LimitOptions& options) {
  ag::limits::Settings& settings = ag::limits::settings();
  if (!options.max_memory.empty()) settings.max_memory = ag::limits::parse_size(options.max_memory, "--max-memory");
  if (options.timeout) {
    if (!(*options.timeout >= 0)) throw ag::UserError(ag::ExitCode::kUsage, "--timeout: must be a number of seconds, at least 0");
    settings.timeout_seconds = *options.timeout;
  }
  if (options.max_order) {
    if (*options.max_order < 1) throw ag::UserError(ag::ExitCode::kUsage, "--max-order: must be at least 1");
    settings.max_order = *options.max_order;
  }
  settings.allow_read = options.allow_read;
}

}  // namespace

int main(int argc, char** argv) {
  using ag::ExitCode;
  CLI::App app{"autograd-cli: TensorFlow 2's GradientTape without Python.\n"
               "Evaluates YAML specs and prints tensors exactly as TensorFlow prints them.",
               "autograd-cli"};
  app.set_version_flag("--version", std::string("autograd-cli ") + AUTOGRAD_VERSION);
  app.require_subcommand(1);
  app.footer("Examples:\n"
             "  autograd-cli run specs/notebook/first_derivative.yaml\n"
             "  autograd-cli check specs/\n"
             "  autograd-cli list math\n"
             "\n"
             "Exit status: 0 success, 1 check found a mismatch, 2 usage error or a spec that cannot be read\n"
             "or resolved, 3 evaluation error. See man autograd-cli.");

  ag::cli::RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Evaluate specs and print their output (- reads standard input)");
  run_cmd->add_option("spec", run.specs, "Spec files (- is standard input)")->required()->type_name("SPEC");
  run_cmd->add_option("--format", run.format, "Output format: text (as TensorFlow prints) or json (one object per tensor per line)")
      ->check(CLI::IsMember(kRunFormats));
  run_cmd->add_option("--save", run.save, "Write each output tensor as DIR/NAME.npy (a subdirectory per spec when there are several)")
      ->type_name("DIR");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Do not print TensorFlow's warnings (errors are still printed)");
  run_cmd->add_flag("--profile", run.profile,
                    "Print to stderr, per spec, the wall time of each phase: parse, inputs, record, backward, print");
  LimitOptions limit_options;
  add_limit_options(run_cmd, limit_options);
  run_cmd->footer("Examples:\n"
                  "  autograd-cli run specs/notebook/first_derivative.yaml\n"
                  "  autograd-cli run --format json spec.yaml | jq -c '.value'\n"
                  "  autograd-cli run --save out/ spec.yaml        # out/dy_dx.npy, ...\n"
                  "  echo 'output: [range(3)]' | autograd-cli run -");

  ag::cli::ListOptions list;
  CLI::App* list_cmd = app.add_subcommand("list", "List the modules, or a module's members as dir() shows them");
  list_cmd->add_option("module", list.module, "Module, e.g. random, dtypes, math, or tf for the top level")->type_name("MODULE");
  list_cmd->add_flag("--json", list.json, "Print a JSON array");
  list_cmd->footer("Examples:\n"
                   "  autograd-cli list\n"
                   "  autograd-cli list math\n"
                   "  autograd-cli list --json dtypes");

  ag::cli::CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "Run specs and compare them with their golden files");
  check_cmd->add_option("path", check.paths, "Spec files or directories (every *.yaml below, in sorted order)")
      ->required()
      ->type_name("PATH");
  check_cmd->add_flag("-u,--update", check.update, "Write missing or changed golden files (never for a spec that fails)");
  check_cmd->add_option("--rtol", check.rtol, "Relative tolerance for numbers (default: the spec's, else 1e-5)")->type_name("R");
  check_cmd->add_option("--atol", check.atol, "Absolute tolerance for numbers (default: the spec's, else 1e-8)")->type_name("A");
  check_cmd->add_option("-j,--jobs", check.jobs, "Check N specs at a time (output keeps the specs' order)")->type_name("N");
  check_cmd->add_option("--color", check.color, "Colour the diffs: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember(kColors));
  check_cmd->add_option("--format", check.format,
                        "Report format: text, json (one object per spec), junit FILE (text, plus a JUnit XML file)")
      ->check(CLI::IsMember(kCheckFormats));
  check_cmd->add_option("--junit", check.junit_file, "Write a JUnit XML report to FILE (what --format junit FILE does)")
      ->type_name("FILE");
  check_cmd->add_option("--shard", check.shard,
                        "Check only shard I of N (1-based), e.g. 2/4; default: TEST_SHARD_INDEX/TEST_TOTAL_SHARDS")
      ->type_name("I/N");
  check_cmd->add_flag("-q,--quiet", check.quiet, "Text report: print only failures (and the summary when something failed)");
  add_limit_options(check_cmd, limit_options);
  check_cmd->footer("Examples:\n"
                    "  autograd-cli check specs/\n"
                    "  autograd-cli check --update specs/ops/math.yaml\n"
                    "  autograd-cli check -j 4 --shard 1/3 --format junit report.xml specs/\n"
                    "  autograd-cli check --format json specs/ | jq -r 'select(.status == \"failed\") | .path'\n"
                    "\n"
                    "Exit status: 0 all passed, 1 a spec failed, 2 usage error or no spec found.");

  ag::cli::DocOptions doc;
  CLI::App* doc_cmd = app.add_subcommand("doc", "Show an op: signature, gradient rule (traced), verified orders, live example");
  doc_cmd->add_option("name", doc.name, "Op or module, e.g. sin, tf.math.exp, linalg.matmul, math")->required()->type_name("NAME");
  doc_cmd->add_flag("--json", doc.json, "Print one JSON object");
  doc_cmd->footer("Examples:\n"
                  "  autograd-cli doc sin\n"
                  "  autograd-cli doc --json tf.matmul\n"
                  "  autograd-cli doc math");

  ag::cli::VerifyOptions verify;
  CLI::App* verify_cmd = app.add_subcommand("verify", "Check every derivative of specs against central finite differences in float64");
  verify_cmd->add_option("spec", verify.specs, "Spec files")->required()->type_name("SPEC");
  verify_cmd->add_option("--rtol", verify.rtol, "Relative tolerance (default 1e-4)")->type_name("R");
  verify_cmd->add_option("--atol", verify.atol, "Absolute tolerance (default 1e-6)")->type_name("A");
  add_limit_options(verify_cmd, limit_options);
  verify_cmd->footer("Examples:\n"
                     "  autograd-cli verify specs/derivatives/hessian_quadratic.yaml\n"
                     "  autograd-cli verify --rtol 1e-6 my_formula.yaml\n"
                     "\n"
                     "Exit status: 0 all within tolerance, 1 a derivative is not, 2 usage error, 3 evaluation error.");

  ag::cli::CompletionOptions completion;
  CLI::App* completion_cmd = app.add_subcommand("completion", "Print a shell completion script");
  completion_cmd->group("");  // hidden: for packagers and the install rule
  completion_cmd->add_option("shell", completion.shell, "Shell (bash)")->check(CLI::IsMember({"bash"}));

  try {
    app.parse(rewrite_junit(argc, argv));
    if (check.format == "junit" && check.junit_file.empty())
      throw CLI::ValidationError("--format", "--format junit needs a FILE: --format junit report.xml");
  } catch (const CLI::ParseError& error) {
    // `check --format junit specs/`: the directory was taken as the report FILE.
    if (*check_cmd && check.paths.empty() && !check.junit_file.empty()) {
      std::cerr << "autograd-cli: error: --format junit needs a report FILE before the paths (e.g. --format junit "
                   "report.xml specs/); got only '"
                << check.junit_file << "'\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    int status = app.exit(error);
    return status == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }

  try {
    ExitCode status = ExitCode::kOk;
    apply_limit_options(limit_options);
    // The backstop for one op that runs far past --timeout (see limits::start_watchdog).
    ag::limits::start_watchdog();
    if (*run_cmd) status = ag::cli::run_command(run);
    if (*list_cmd) status = ag::cli::list_command(list);
    if (*check_cmd) status = ag::cli::check_command(check);
    if (*doc_cmd) status = ag::cli::doc_command(doc);
    if (*verify_cmd) status = ag::cli::verify_command(verify);
    if (*completion_cmd)
      std::cout << ag::cli::bash_completion(app, {{"run --format", kRunFormats},
                                                  {"check --format", kCheckFormats},
                                                  {"check --color", kColors}});
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
