// Helpers shared by the unit tests (see support.h).
#include "support.h"

#include <algorithm>
#include <cmath>

#include "cli/spec_io.h"
#include "diag/error.h"
#include "expr/ast.h"
#include "expr/evaluator.h"
#include "kernels/kernels.h"

namespace ag::testing {

Tensor tensor_of(DType dtype, Shape shape, const std::vector<double>& values) {
  Tensor t = Tensor::allocate(DType::kFloat64, std::move(shape));
  if (static_cast<std::int64_t>(values.size()) != t.size())
    throw std::invalid_argument("tensor_of: " + std::to_string(values.size()) + " values for " + std::to_string(t.size()) +
                                " elements");
  std::copy(values.begin(), values.end(), t.mutable_data<double>());
  return dtype == DType::kFloat64 ? t : kernels::cast(t, dtype);
}

std::vector<double> doubles(const Tensor& t) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(t.size()));
  for (std::int64_t i = 0; i < t.size(); ++i) out.push_back(t.element_as_double(i));
  return out;
}

Tensor converted(const Tensor& t, DType dtype) { return t.dtype() == dtype ? t : kernels::cast(t, dtype); }

Value evaluate(const std::string& expression, const Bindings& names) {
  Evaluator evaluator;
  for (const auto& [name, value] : names) evaluator.bind(name, value);
  expr::NodePtr node = expr::parse_expression(expression);
  return evaluator.evaluate(*node);
}

Tensor evaluate_tensor(const std::string& expression, const Bindings& names) {
  Value value = evaluate(expression, names);
  if (value.kind != ValueKind::kTensor)
    throw std::logic_error("'" + expression + "' gave a " + value_type_name(value) + ", not a tensor");
  return value.tensor;
}

SpecRun run_spec_text(const std::string& yaml, const std::string& path) {
  cli::SpecOutcome outcome = cli::run_spec_text(yaml, path);
  return {outcome.out, outcome.err, static_cast<int>(outcome.code)};
}

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Rng::uniform(double low, double high) {
  double unit = static_cast<double>(next() >> 11) * 0x1.0p-53;
  return low + (high - low) * unit;
}

double Rng::signed_uniform(double low, double high) {
  double magnitude = uniform(low, high);
  return (next() & 1) ? -magnitude : magnitude;
}

bool all_close(const std::vector<double>& actual, const std::vector<double>& expected, double rtol, long* where) {
  if (where) *where = -1;
  if (actual.size() != expected.size()) return false;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    double bound = rtol * std::max(1.0, std::fabs(expected[i]));
    if (!(std::fabs(actual[i] - expected[i]) <= bound)) {
      if (where) *where = static_cast<long>(i);
      return false;
    }
  }
  return true;
}

}  // namespace ag::testing
