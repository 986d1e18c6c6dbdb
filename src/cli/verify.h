// `autograd-cli verify`: every derivative a spec asks for, recomputed by central finite
// differences in float64 and compared with the tape's result (also computed in float64).
#pragma once

#include <string>
#include <vector>

#include "spec/spec.h"

namespace ag::cli {

struct VerifySettings {
  double rtol = 1e-4;
  double atol = 1e-6;
};

/// The comparison of one derivative result (one element of a list result) with finite differences.
struct DerivativeCheck {
  enum class Status { kPass, kFail, kSkip };
  std::string name;       ///< "dy_dx", or "grads[1]" for an element of a list result
  std::string call;       ///< what was checked: "gradient, order 2", "jacobian", "jvp"
  double max_abs = 0;     ///< largest |ad - fd|
  double max_rel = 0;     ///< largest |ad - fd| / max(|fd|, atol)
  std::int64_t evaluations = 0;  ///< forward runs the differences took
  Status status = Status::kPass;
  std::string note;       ///< why a check was skipped or failed other than by tolerance
};

struct VerifyReport {
  std::string precision;  ///< "float64", or a note on why the spec's own dtypes were kept
  double step = 0;        ///< relative finite-difference step
  std::vector<DerivativeCheck> checks;
};

/// Verifies every derivative of a loaded spec (`path` is where load() paths resolve from).
/// Throws UserError when the spec itself fails to run.
VerifyReport verify_spec(const Spec& spec, const std::string& path, const VerifySettings& settings);

/// The text `verify` prints for one spec's report.
std::string render_verify_report(const std::string& name, const VerifyReport& report, const VerifySettings& settings);

}  // namespace ag::cli
