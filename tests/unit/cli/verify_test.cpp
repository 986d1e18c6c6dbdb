// Tests of `verify`: finite differences agree with correct derivatives of every kind, and
// disagree where the tape follows a convention (a kink) or produces the nan trap.
#include <doctest/doctest.h>

#include <string>

#include "cli/verify.h"
#include "spec/spec.h"

namespace ag::cli {
namespace {

using Status = DerivativeCheck::Status;

VerifyReport verify_text(const std::string& yaml) { return verify_spec(load_spec(yaml, "test.yaml"), "test.yaml", {}); }

TEST_CASE("verify: every kind of derivative call agrees with central differences in float64") {
  VerifyReport report = verify_text(
      "inputs:\n  x: [[1.0, 2.0], [3.0, 4.0]]\n  v: [0.5, -1.5]\n  w: {value: [0.25, 2.0], variable: true}\n"
      "operations:\n  - y = sin(x) * x\n  - z = reduce_sum(exp(v) * v ** 3.0) + reduce_sum(w * v)\n"
      "derivatives:\n  - g = gradient(z, v)\n  - g3 = gradient(z, v, order=3)\n  - j = jacobian(y, x)\n"
      "  - bj = batch_jacobian(y, x)\n  - h = hessian(z, v)\n  - t = jvp(z, v, [1.0, -2.0])\n"
      "  - tv = gradient(z, trainable_variables)\n  - og = gradient(y, x, output_gradients=[[1.0, 0.0], [2.0, -1.0]])\n"
      "  - d2 = gradient(g, v)\n");
  CHECK(report.precision == "float64");
  REQUIRE(report.checks.size() == 9);
  const char* names[] = {"g", "g3", "j", "bj", "h", "t", "tv[0]", "og", "d2"};
  for (std::size_t i = 0; i < report.checks.size(); ++i) {
    INFO(report.checks[i].name << ": " << report.checks[i].max_abs << " " << report.checks[i].note);
    CHECK(report.checks[i].name == names[i]);
    CHECK(report.checks[i].status == Status::kPass);
    CHECK(report.checks[i].max_rel < 1e-6);
  }
  CHECK(report.checks[1].call == "gradient, order 3");
}

TEST_CASE("verify: a kink's convention fails, and a None with zero differences passes") {
  // maximum(x, 0.) at 0 gives x the whole gradient (TF's tie rule); the central difference is 0.5.
  VerifyReport report = verify_text("inputs:\n  x: [0.0, 1.0]\n  u: 2.0\noperations:\n  - y = maximum(x, 0.)\n"
                                    "derivatives:\n  - g = gradient(y, x)\n  - n = gradient(y, u)\n");
  REQUIRE(report.checks.size() == 2);
  CHECK(report.checks[0].status == Status::kFail);
  CHECK(report.checks[0].max_abs == doctest::Approx(0.5));
  CHECK(report.checks[1].status == Status::kPass);
  CHECK(report.checks[1].note == "None, and finite differences are zero");
}

TEST_CASE("verify: stop_gradient's None is reported, not failed") {
  VerifyReport report = verify_text("inputs:\n  x: 3.0\noperations:\n  - z = stop_gradient(x ** 2)\nderivatives:\n  - g = gradient(z, x)\n");
  REQUIRE(report.checks.size() == 1);
  CHECK(report.checks[0].status == Status::kSkip);
  CHECK(report.checks[0].note.rfind("the tape gives None (no recorded path) but finite differences reach 6", 0) == 0);
}

TEST_CASE("verify: the nan trap fails with the element count") {
  VerifyReport report = verify_text("inputs:\n  x: [0.0, 4.0]\noperations:\n  - y = where(x > 0, math.log(x), 0.)\n"
                                    "derivatives:\n  - g = gradient(y, x)\n");
  REQUIRE(report.checks.size() == 1);
  CHECK(report.checks[0].status == Status::kFail);
  CHECK(report.checks[0].note == "the tape gives nan or inf at 1 element(s) where finite differences are finite");
}

TEST_CASE("verify: the report is one line per derivative") {
  VerifySettings settings;
  VerifyReport report;
  report.precision = "float64";
  report.step = 6.0555e-6;
  report.checks.push_back({"dy_dx", "gradient, order 1", 1.5e-11, 2.5e-12, 2, Status::kPass, ""});
  report.checks.push_back({"H", "hessian", 0.5, 0.5, 4, Status::kFail, ""});
  CHECK(render_verify_report("a.yaml", report, settings) ==
        "a.yaml: central differences in float64, step 6.06e-06 * max(1, |x|), rtol 1.00e-04, atol 1.00e-06\n"
        "  dy_dx  gradient, order 1  max abs error 1.50e-11  max rel error 2.50e-12  PASS\n"
        "  H      hessian            max abs error 5.00e-01  max rel error 5.00e-01  FAIL\n");
}

}  // namespace
}  // namespace ag::cli
