// TF's float32 digits (kernels/eigen_math.h): expected values are TF's own docstring outputs,
// the C library's function (for the scalar tail), or correctly rounded values from double; the
// accuracy sweep bounds Eigen's algorithms without using them as their own reference.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "../support.h"
#include "ops/api.h"

namespace ag {
namespace {

using kernels::UnaryOp;
using testing::evaluate_tensor;

std::vector<float> floats(const Tensor& t) {
  REQUIRE(t.dtype() == DType::kFloat32);
  return {t.data<float>(), t.data<float>() + t.size()};
}

Tensor f32(const std::vector<float>& values) {
  Tensor t = Tensor::allocate(DType::kFloat32, {static_cast<std::int64_t>(values.size())});
  std::memcpy(t.mutable_data<float>(), values.data(), values.size() * sizeof(float));
  return t;
}

std::uint32_t bits(float value) {
  std::uint32_t b;
  std::memcpy(&b, &value, sizeof b);
  return b;
}

/// Distance in units in the last place between two finite floats of the same sign.
long ulps(float a, float b) { return std::labs(static_cast<long>(bits(a)) - static_cast<long>(bits(b))); }

TEST_CASE("math float32: tanh on 8 elements is Eigen's rational tanh, as TF's docstring prints it") {
  // tf.math.tanh docstring; the C library gives -0.9999092, 0.83365464 and 0.9950548 instead.
  std::vector<float> t = floats(evaluate_tensor("tanh([-1000.0, -5.0, -0.5, 1.0, 1.2, 2.0, 3.0, 1000.0])"));
  CHECK(t == std::vector<float>{-1.0f, -0.99990916f, -0.46211717f, 0.7615942f, 0.8336547f, 0.9640276f, 0.9950547f, 1.0f});
}

TEST_CASE("math float32: gelu uses Eigen's fast erf and tanh, as TF's docstring prints it") {
  // The docstring prints 8 decimals; every element but the first shows its full shortest repr.
  std::vector<float> exact = floats(evaluate_tensor("nn.gelu([-3.0, -1.0, 0.0, 1.0, 3.0])"));
  CHECK(std::abs(exact[0] - -0.00404951f) < 5e-9f);
  CHECK(std::vector<float>(exact.begin() + 1, exact.end()) == std::vector<float>{-0.15865529f, 0.0f, 0.8413447f, 2.9959507f});
  std::vector<float> approximate = floats(evaluate_tensor("nn.gelu([-3.0, -1.0, 0.0, 1.0, 3.0], approximate=True)"));
  CHECK(std::abs(approximate[0] - -0.00363752f) < 5e-9f);
  CHECK(std::vector<float>(approximate.begin() + 1, approximate.end()) ==
        std::vector<float>{-0.15880796f, 0.0f, 0.841192f, 2.9963627f});
  // The C library's erf would give 2.9959502 and -0.15865526.
  CHECK(exact[4] != 0.5f * 3.0f * (1.0f + std::erf(3.0f / 1.41421356f)));
}

TEST_CASE("math float32: tiny results are flushed to zero, as in TF's kernels") {
  // tf.math.sigmoid and tf.math.log_sigmoid docstrings.
  std::vector<float> s = floats(evaluate_tensor("sigmoid([-100.0, -50.0, -1.0, 0.0])"));
  CHECK(s == std::vector<float>{0.0f, 1.9287499e-22f, 0.26894143f, 0.5f});
  std::vector<float> ls = floats(evaluate_tensor("math.log_sigmoid([0.0, 1.0, 50.0, 100.0])"));
  CHECK(ls == std::vector<float>{-0.69314718f, -0.31326169f, -1.9287499e-22f, -0.0f});
  CHECK(std::signbit(ls[3]));
  // Denormal inputs read as zero inside a kernel: 1e-40 * 2 is 0.
  Tensor denormal = f32({1e-40f});
  CHECK(floats(ops::multiply(denormal, f32({2.0f}))) == std::vector<float>{0.0f});
  // ... while the tensor itself still holds its denormal value.
  CHECK(floats(denormal)[0] == 1e-40f);
}

TEST_CASE("math float32: exp, log, softplus and the cross-entropies print TF's docstring digits") {
  CHECK(floats(evaluate_tensor("exp([2.0, 8.0])")) == std::vector<float>{7.389056f, 2980.958f});
  std::vector<float> log = floats(evaluate_tensor("math.log([0.0, 0.5, 1.0, 5.0])"));
  CHECK(std::isinf(log[0]));
  CHECK(log[1] == -0.6931472f);
  CHECK(log[3] == 1.609438f);
  CHECK(floats(evaluate_tensor("math.softplus([0.0, 1.0])")) == std::vector<float>{0.6931472f, 1.3132616f});
  CHECK(floats(evaluate_tensor("nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5], "
                               "logits=[1.0, -1.0, 0.0, 1.0, -1.0, 0.0, 0.0])")) ==
        std::vector<float>{1.3132617f, 0.3132617f, 0.6931472f, 0.3132617f, 1.3132617f, 0.6931472f, 0.6931472f});
  CHECK(floats(evaluate_tensor("nn.softmax_cross_entropy_with_logits(labels=[[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]], "
                               "logits=[[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])")) == std::vector<float>{0.16984604f, 0.82474494f});
}

TEST_CASE("math float32: the first n - n % 8 elements take Eigen's packet path, the rest the C library's") {
  const float x = 280.41303540865516f;  // TF issue 31619: log of 100 copies of this was not uniform
  std::vector<float> y = floats(ops::unary(UnaryOp::kLog, f32(std::vector<float>(9, x))));
  for (int i = 1; i < 8; ++i) CHECK(bits(y[i]) == bits(y[0]));
  CHECK(bits(y[8]) == bits(std::log(x)));
  CHECK(bits(y[0]) != bits(y[8]));
  CHECK(ulps(y[0], y[8]) == 1);
}

TEST_CASE("math float32: Eigen's packet functions stay within a few ulps of the correctly rounded result") {
  struct Case {
    UnaryOp op;
    std::function<double(double)> exact;
    double low, high;
    long max_ulps;
  };
  std::vector<Case> cases = {
      {UnaryOp::kExp, [](double v) { return std::exp(v); }, -87.0, 88.0, 2},
      {UnaryOp::kLog, [](double v) { return std::log(v); }, 1e-30, 1e30, 2},
      {UnaryOp::kSin, [](double v) { return std::sin(v); }, -100.0, 100.0, 2},
      {UnaryOp::kCos, [](double v) { return std::cos(v); }, -100.0, 100.0, 2},
      {UnaryOp::kTanh, [](double v) { return std::tanh(v); }, -9.0, 9.0, 5},
      {UnaryOp::kSigmoid, [](double v) { return 1.0 / (1.0 + std::exp(-v)); }, -80.0, 20.0, 5},
      {UnaryOp::kExpm1, [](double v) { return std::expm1(v); }, -10.0, 10.0, 3},
      {UnaryOp::kLog1p, [](double v) { return std::log1p(v); }, -0.9, 100.0, 3},
  };
  for (const Case& c : cases) {
    std::vector<float> x;
    testing::Rng rng(static_cast<std::uint64_t>(c.op) + 11);
    const bool logarithmic = c.op == UnaryOp::kLog;
    for (int i = 0; i < 4096; ++i) {
      double u = rng.uniform(0.0, 1.0);
      x.push_back(static_cast<float>(logarithmic ? std::exp(std::log(c.low) + u * (std::log(c.high) - std::log(c.low)))
                                                 : c.low + u * (c.high - c.low)));
    }
    std::vector<float> y = floats(ops::unary(c.op, f32(x)));
    long worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      float exact = static_cast<float>(c.exact(static_cast<double>(x[i])));
      if (exact == 0.0f || std::abs(exact) < 1e-37f) continue;
      worst = std::max(worst, ulps(y[i], exact));
    }
    CHECK_MESSAGE(worst <= c.max_ulps, std::string(kernels::op_name(c.op)) << ": " << worst << " ulps");
  }
}

TEST_CASE("math float64: exp runs Eigen's pexp_double on packets of 4 and the C library on the rest") {
  // exp(0.17) = 1.18530485132036551...: the C library rounds correctly (...654); Cephes' rational
  // form, which TF's float64 packets use, lands one ulp above (...657).
  Tensor x = Tensor::allocate(DType::kFloat64, {5});
  for (int i = 0; i < 5; ++i) x.mutable_data<double>()[i] = 0.17;
  std::vector<double> y = testing::doubles(ops::unary(UnaryOp::kExp, x));
  for (int i = 0; i < 4; ++i) CHECK(y[i] == 1.1853048513203657);
  CHECK(y[4] == std::exp(0.17));
  CHECK(y[4] == 1.1853048513203654);
}

TEST_CASE("math float32: the scalar tail of exp agrees with the C library bit for bit") {
  std::vector<float> x = {0.1f, -3.7f, 12.25f, 50.5f, -80.0f, 0.0f, 1.0f};
  std::vector<float> y = floats(ops::unary(UnaryOp::kExp, f32(x)));  // 7 elements: all scalar
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(bits(y[i]) == bits(std::exp(x[i])));
}

}  // namespace
}  // namespace ag
