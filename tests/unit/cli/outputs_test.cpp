// Tests for naming outputs (JSON lines, --save file names) and for what `run --format json` and
// `run --save` produce from a spec.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

#include "cli/outputs.h"
#include "cli/spec_io.h"
#include "format/npy.h"
#include "spec/runner.h"
#include "spec/spec.h"

namespace {

namespace fs = std::filesystem;

ag::SpecResult run(const std::string& yaml) {
  std::ostringstream warnings;
  return ag::run_spec(ag::load_spec(yaml, "t.yaml"), warnings);
}

std::string file_name(const std::string& name) {
  std::set<std::string> taken;
  return ag::cli::output_file_name(name, taken);
}

fs::path temporary_directory() {
  fs::path dir = fs::temp_directory_path() / ("autograd-outputs-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("outputs: file names keep letters, digits, _ . - and squeeze the rest into one _") {
  CHECK(file_name("dy_dx") == "dy_dx");
  CHECK(file_name("g[0]") == "g_0");
  CHECK(file_name("reduce_sum(x, axis=0)") == "reduce_sum_x_axis_0");
  CHECK(file_name("x.shape") == "x.shape");
  CHECK(file_name("-x") == "_x");
  CHECK(file_name(".hidden") == "_hidden");
  CHECK(file_name("..") == "_.");
  CHECK(file_name("**") == "output");
  CHECK(file_name("\xc3\xa9t\xc3\xa9") == "t");
  CHECK(file_name(std::string(300, 'a')).size() == 100);
  std::set<std::string> taken;
  CHECK(ag::cli::output_file_name("x + y", taken) == "x_y");
  CHECK(ag::cli::output_file_name("x - y", taken) == "x_-_y");
  CHECK(ag::cli::output_file_name("x * y", taken) == "x_y~2");
  CHECK(ag::cli::output_file_name("x / y", taken) == "x_y~3");
}

TEST_CASE("outputs: list results are named by index, print arguments by their own text") {
  ag::SpecResult result = run(
      "inputs:\n  x: {value: [1.0, 2.0], dtype: float32}\n  w: {value: 3.0, variable: true}\n"
      "operations:\n  - y = x * w\n"
      "derivatives:\n  - g = gradient(y, [x, w])\n"
      "output:\n  - g\n  - print(y, [x, None])\n");
  std::vector<ag::cli::NamedOutput> named = ag::cli::named_outputs(result);
  REQUIRE(named.size() == 5);
  CHECK(named[0].name == "g[0]");
  CHECK(named[1].name == "g[1]");
  CHECK(named[2].name == "y");
  CHECK(named[3].name == "[x, None][0]");
  CHECK(named[4].name == "[x, None][1]");
  CHECK(ag::cli::render_json(result, "t.yaml") ==
        "{\"spec\": \"t.yaml\", \"name\": \"g[0]\", \"dtype\": \"float32\", \"shape\": [2], \"value\": [3.0, 3.0]}\n"
        "{\"spec\": \"t.yaml\", \"name\": \"g[1]\", \"dtype\": \"float32\", \"shape\": [], \"value\": 3.0}\n"
        "{\"spec\": \"t.yaml\", \"name\": \"y\", \"dtype\": \"float32\", \"shape\": [2], \"value\": [3.0, 6.0]}\n"
        "{\"spec\": \"t.yaml\", \"name\": \"[x, None][0]\", \"dtype\": \"float32\", \"shape\": [2], \"value\": [1.0, 2.0]}\n"
        "{\"spec\": \"t.yaml\", \"name\": \"[x, None][1]\", \"dtype\": null, \"shape\": null, \"value\": null}\n");
}

TEST_CASE("outputs: run --format json prints nothing for a failed spec") {
  ag::cli::SpecSettings settings;
  settings.format = ag::cli::OutputFormat::kJson;
  ag::cli::SpecOutcome outcome = ag::cli::run_spec_text("output:\n  - matmull(1)\n", "t.yaml", settings);
  CHECK(outcome.out.empty());
  CHECK(outcome.code == ag::ExitCode::kUsage);
}

TEST_CASE("outputs: --save writes each tensor output as NAME.npy and skips the rest") {
  fs::path dir = temporary_directory();
  ag::cli::SpecSettings settings;
  settings.save_directory = (dir / "out").string();
  ag::cli::SpecOutcome outcome = ag::cli::run_spec_text(
      "inputs:\n  x: {value: [[1.0], [2.0]], dtype: float64}\noutput:\n  - x\n  - x.dtype\n  - print(x * 2)\n",
      "t.yaml", settings);
  REQUIRE(outcome.code == ag::ExitCode::kOk);
  CHECK(outcome.err == "autograd-cli: note: --save: output 'x.dtype' is a DType, not a tensor; not saved\n");
  std::ifstream file(dir / "out" / "x_2.npy", std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  ag::Tensor back = ag::format::read_npy(bytes.str(), "x_2.npy");
  CHECK(back.dtype() == ag::DType::kFloat64);
  CHECK(back.shape() == ag::Shape{2, 1});
  CHECK(back.element_as_double(1) == 4.0);
  CHECK(fs::exists(dir / "out" / "x.npy"));
  CHECK(fs::directory_iterator(dir / "out") != fs::directory_iterator());
  fs::remove_all(dir);
}

TEST_CASE("outputs: a failed spec saves nothing") {
  fs::path dir = temporary_directory();
  ag::cli::SpecSettings settings;
  settings.save_directory = (dir / "out").string();
  ag::cli::SpecOutcome outcome =
      ag::cli::run_spec_text("inputs:\n  x: 1.0\noutput:\n  - x\n  - reshape(x, [2])\n", "t.yaml", settings);
  CHECK(outcome.code == ag::ExitCode::kEval);
  CHECK_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}
