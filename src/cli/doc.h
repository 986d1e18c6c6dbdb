// `autograd-cli doc`: what the catalog knows about a name, with the gradient rule shown by tracing
// it (the rule that runs is the rule that is printed) and the example evaluated when printed.
#pragma once

#include <string>
#include <vector>

#include "ops/op_def.h"

namespace ag::cli {

/// A gradient rule as the tape recorded it on the row's example.
struct TracedRule {
  enum class Kind { kRule, kNotDifferentiable, kNotApplicable } kind = Kind::kNotApplicable;
  std::vector<std::string> lines;  ///< "dx = mul(g, cos(x))", temporaries first ("t1 = ...")
  std::string note;                ///< for kNotDifferentiable / kNotApplicable: why
};

/// Runs the row's example under a tape with its float arguments watched, differentiates it with a
/// watched seed `g`, and prints the backward ops recorded on a second tape, in terms of the
/// arguments (by parameter name), the op's output `out` and `g`.
TracedRule trace_rule(const OpDef& op);

/// What the catalog-wide gradient test (tests/unit/catalog/gradcheck_test.cpp) checks for a row.
struct VerifiedOrders {
  std::vector<int> orders;  ///< derivative orders compared with an independent reference
  std::string text;         ///< the statement `doc` prints
};
VerifiedOrders verified_orders(const OpDef& op);

/// The facts behind verified_orders, read from gradcheck_test.cpp's table at configure time
/// (tests/unit/catalog/gradcheck_rows.cmake): rows checked at orders 1 and 2, rows checked to give None, and
/// rows whose orders 3 to 5 are checked against closed forms.
const std::vector<std::string>& gradcheck_differentiable_rows();
const std::vector<std::string>& gradcheck_not_differentiable_rows();
const std::vector<std::string>& gradcheck_closed_form_rows();

/// The text (or JSON object, one line) `doc NAME` prints; throws UserError(kUsage) for an unknown
/// name, with a suggestion.
std::string render_doc(const std::string& name, bool json);

}  // namespace ag::cli
