// Tests for check's report formats: text (plain and coloured), the summary line, JSON and JUnit.
#include <doctest/doctest.h>

#include <string>

#include "cli/check_report.h"

namespace {

ag::cli::SpecReport failed_report() {
  ag::cli::SpecReport report;
  report.path = "specs/ops/a.yaml";
  report.status = ag::cli::SpecStatus::kFailed;
  report.description = "adds <things> & \"more\"";
  report.diff = "--- specs/ops/a.out\n+++ output\n@@ -1 +1 @@\n-1.0\n+2.0\n";
  report.message = "specs/ops/a.yaml:3:4: expect y: element 0 is 2.0, expected 1.0\n";
  report.seconds = 0.25;
  return report;
}

}  // namespace

TEST_CASE("report: a failure shows the path, description, diff and messages") {
  CHECK(ag::cli::text_report(failed_report(), false) ==
        "FAIL specs/ops/a.yaml (adds <things> & \"more\")\n--- specs/ops/a.out\n+++ output\n@@ -1 +1 @@\n-1.0\n+2.0\n"
        "specs/ops/a.yaml:3:4: expect y: element 0 is 2.0, expected 1.0\n");
  ag::cli::SpecReport passed;
  passed.status = ag::cli::SpecStatus::kPassed;
  CHECK(ag::cli::text_report(passed, false).empty());
}

TEST_CASE("report: colour marks FAIL and the diff lines, and nothing when off") {
  std::string text = ag::cli::text_report(failed_report(), true);
  CHECK(text.find("\033[1m\033[31mFAIL\033[0m specs/ops/a.yaml") == 0);
  CHECK(text.find("\033[31m-1.0\033[0m\n") != std::string::npos);
  CHECK(text.find("\033[32m+2.0\033[0m\n") != std::string::npos);
  CHECK(text.find("\033[36m@@ -1 +1 @@\033[0m\n") != std::string::npos);
  CHECK(ag::cli::text_report(failed_report(), false).find('\033') == std::string::npos);
}

TEST_CASE("report: the summary adds skipped and updated only when non-zero") {
  CHECK(ag::cli::summary_line(3, 0, 0, 0) == "3 passed, 0 failed");
  CHECK(ag::cli::summary_line(3, 1, 2, 0) == "3 passed, 1 failed, 2 skipped");
  CHECK(ag::cli::summary_line(3, 0, 0, 2) == "3 passed, 0 failed, 2 updated");
}

TEST_CASE("report: JSON has one object per spec") {
  CHECK(ag::cli::json_report(failed_report()) ==
        "{\"path\": \"specs/ops/a.yaml\", \"status\": \"failed\", \"description\": \"adds <things> & \\\"more\\\"\", "
        "\"diff\": \"--- specs/ops/a.out\\n+++ output\\n@@ -1 +1 @@\\n-1.0\\n+2.0\\n\", "
        "\"message\": \"specs/ops/a.yaml:3:4: expect y: element 0 is 2.0, expected 1.0\\n\", \"seconds\": 0.250}");
}

TEST_CASE("report: JUnit XML escapes text and counts failures") {
  ag::cli::SpecReport passed;
  passed.path = "b.yaml";
  passed.status = ag::cli::SpecStatus::kPassed;
  std::string xml = ag::cli::junit_report({failed_report(), passed}, 1.5);
  CHECK(xml.find("<testsuites name=\"autograd-cli check\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"1.500\">") !=
        std::string::npos);
  CHECK(xml.find("<testcase name=\"specs/ops/a.yaml\" classname=\"specs.ops\" file=\"specs/ops/a.yaml\" time=\"0.250\">") !=
        std::string::npos);
  CHECK(xml.find("<failure message=\"specs/ops/a.yaml:3:4: expect y: element 0 is 2.0, expected 1.0\" type=\"mismatch\">"
                 "--- specs/ops/a.out\n") != std::string::npos);
  CHECK(xml.find("<testcase name=\"b.yaml\" classname=\"specs\" file=\"b.yaml\" time=\"0.000\"/>") != std::string::npos);
}

TEST_CASE("report: a report survives the trip from a worker process") {
  ag::cli::SpecReport back = ag::cli::deserialize_report(ag::cli::serialize_report(failed_report()));
  CHECK(back.path == "specs/ops/a.yaml");
  CHECK(back.status == ag::cli::SpecStatus::kFailed);
  CHECK(back.diff == failed_report().diff);
  CHECK(back.message == failed_report().message);
  CHECK(back.seconds == 0.25);
}
