// Helpers shared by the unit tests above the kernel layer: tensors from plain values, expressions
// run through the real evaluator, whole specs run from text, and a portable deterministic RNG.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/tape.h"
#include "core/tensor.h"
#include "ops/value.h"

namespace ag::testing {

/// A tensor of a numeric dtype (float16/32/64, integer, bool) holding `values`, row-major.
Tensor tensor_of(DType dtype, Shape shape, const std::vector<double>& values);
inline Tensor f64(Shape shape, const std::vector<double>& values) { return tensor_of(DType::kFloat64, std::move(shape), values); }
inline Tensor f32(Shape shape, const std::vector<double>& values) { return tensor_of(DType::kFloat32, std::move(shape), values); }
/// A 0-d float tensor.
inline Tensor scalar(double value, DType dtype = DType::kFloat32) { return tensor_of(dtype, {}, {value}); }

/// A gradient source for the tensor x itself (tape.gradient's sources).
inline GradientSource source_of(const Tensor& x) { return {{x.id()}, x.shape(), x.dtype()}; }

/// Every element widened to double.
std::vector<double> doubles(const Tensor& t);
/// The tensor's values converted to `dtype` (no tape sees this).
Tensor converted(const Tensor& t, DType dtype);

/// Names bound for an expression, in binding order.
using Bindings = std::vector<std::pair<std::string, Value>>;

/// Parses `expression` and evaluates it with the spec evaluator (names first, then the catalog).
Value evaluate(const std::string& expression, const Bindings& names = {});
/// evaluate(), requiring a tensor result.
Tensor evaluate_tensor(const std::string& expression, const Bindings& names = {});

/// What running a spec gives: its standard output, its standard error (warnings, then the error
/// of a failed spec) and its exit status.
struct SpecRun {
  std::string output;
  std::string errors;
  int exit_code = 0;
};
/// Loads a spec from YAML text (named `path` in errors) and runs it as `autograd-cli run` does.
SpecRun run_spec_text(const std::string& yaml, const std::string& path = "test.yaml");

/// SplitMix64: the same numbers on every platform (std:: distributions are not portable).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// Uniform in [low, high).
  double uniform(double low, double high);
  /// Uniform in [-high, -low) or [low, high): away from zero.
  double signed_uniform(double low, double high);

 private:
  std::uint64_t state_;
};

/// Whether |actual - expected| <= rtol * max(1, |expected|) element-wise; the first failing index
/// (or -1) goes to `where`.
bool all_close(const std::vector<double>& actual, const std::vector<double>& expected, double rtol, long* where = nullptr);

}  // namespace ag::testing
