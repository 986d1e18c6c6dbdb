// Checking `expect` entries against the final values of the spec's names.
#include "spec/expect.h"

#include <cmath>

#include "diag/error.h"
#include "format/display.h"
#include "ops/convert.h"
#include "spec/literal.h"

namespace ag {
namespace {

std::string where(const ExpectSpec& e) {
  return e.span.file + ":" + std::to_string(e.span.line) + ":" + std::to_string(e.span.column) + ": ";
}

/// `None` as the spec format writes it (a bare word), or YAML's own null (`~`, `null`).
bool expects_none(const Literal& expected) {
  return expected.kind == Literal::Kind::kNull ||
         (expected.kind == Literal::Kind::kScalar && !expected.quoted && expected.text == "None");
}

std::string compare(const Value& actual, const Literal& expected, const Tolerance& tolerance) {
  if (expects_none(expected)) return actual.is_none() ? "" : "expected None, got " + value_type_name(actual);
  if (actual.is_none()) return "expected a value, got None";
  Tensor got;
  if (actual.is_tensor_like() || actual.kind == ValueKind::kNumpy) {
    got = actual.kind == ValueKind::kVariable ? actual.variable->value : actual.tensor;
  } else if (actual.is_python_number()) {
    got = to_tensor(actual, DType::kFloat64);
  } else {
    return "cannot compare a " + value_type_name(actual) + " with a literal";
  }
  if (!dtype_is_numeric(got.dtype())) return "cannot compare a " + std::string(dtype_name(got.dtype())) + " tensor with a literal";
  Tensor want = literal_to_tensor(expected, DType::kFloat64);
  if (want.shape() != got.shape() && !(want.size() == 1 && got.size() == 1))
    return "expected shape " + shape_str(want.shape()) + ", got " + shape_str(got.shape());
  for (std::int64_t i = 0; i < got.size(); ++i) {
    double x = got.element_as_double(i);
    double y = want.element_as_double(i);
    bool same = (std::isnan(x) && std::isnan(y)) || x == y ||
                (std::isfinite(x) && std::isfinite(y) && std::fabs(x - y) <= tolerance.atol + tolerance.rtol * std::fabs(y));
    if (!same)
      return "element " + std::to_string(i) + " is " + format::python_float_repr(x) + ", expected " + format::python_float_repr(y);
  }
  return "";
}

}  // namespace

std::vector<std::string> check_expectations(const Spec& spec, const SpecResult& result, const Tolerance& tolerance) {
  std::vector<std::string> failures;
  for (const ExpectSpec& e : spec.expect) {
    const Value* actual = nullptr;
    for (const auto& [name, value] : result.names)
      if (name == e.name) actual = &value;
    if (!actual) {
      failures.push_back(where(e) + "expect: no name '" + e.name + "' in the spec");
      continue;
    }
    std::string problem;
    try {
      problem = compare(*actual, e.value, tolerance);
    } catch (const UserError& error) {
      problem = error.what();
    }
    if (!problem.empty()) failures.push_back(where(e) + "expect " + e.name + ": " + problem);
  }
  return failures;
}

}  // namespace ag
