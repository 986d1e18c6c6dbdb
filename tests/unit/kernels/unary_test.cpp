// Tests of kernels::unary: values per dtype group, TF's rounding and sign rules, digamma, errors.
#include <limits>

#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;
const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
constexpr std::int32_t kIntMin = std::numeric_limits<std::int32_t>::min();

TEST_CASE("kernels: unary round is half to even") {
  Tensor x = f32({8}, {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4f, -2.6f});
  CHECK(same_doubles(doubles(unary(UnaryOp::kRound, x)), {-2, -2, -0.0, 0, 2, 2, 2, -3}));
  CHECK(same_doubles(doubles(unary(UnaryOp::kRound, f16({2}, {0.5f, 1.5f}))), {0, 2}));
  CHECK(values<std::int32_t>(unary(UnaryOp::kRound, i32({2}, {-3, 4}))) == std::vector<std::int32_t>{-3, 4});
}

TEST_CASE("kernels: unary sign gives -1, 0, 1 and keeps NaN") {
  CHECK(same_doubles(doubles(unary(UnaryOp::kSign, f64({5}, {-3, 0, -0.0, 2, kNan}))), {-1, 0, 0, 1, kNan}));
  CHECK(values<std::int32_t>(unary(UnaryOp::kSign, i32({3}, {-5, 0, 7}))) == std::vector<std::int32_t>{-1, 0, 1});
  using C = std::complex<double>;
  std::vector<C> s = values<C>(unary(UnaryOp::kSign, c128({2}, {C(3, 4), C(0, 0)})));
  CHECK(s[0].real() == doctest::Approx(0.6));
  CHECK(s[0].imag() == doctest::Approx(0.8));
  CHECK(s[1] == C(0, 0));
}

TEST_CASE("kernels: unary relu keeps NaN and clamps negatives to zero") {
  // TF's cwiseMax(0) returns its first operand on equality, so -0.0 stays -0.0.
  CHECK(same_doubles(doubles(unary(UnaryOp::kRelu, f32({5}, {-1, -0.0f, 0, 2, float(kNan)}))), {0, -0.0, 0, 2, kNan}));
  CHECK(values<std::int64_t>(unary(UnaryOp::kRelu, i64({2}, {-4, 4}))) == std::vector<std::int64_t>{0, 4});
}

TEST_CASE("kernels: unary integer negative, abs and square wrap") {
  CHECK(values<std::int32_t>(unary(UnaryOp::kNegative, i32({3}, {kIntMin, 5, -5}))) ==
        std::vector<std::int32_t>{kIntMin, -5, 5});
  CHECK(values<std::int32_t>(unary(UnaryOp::kAbs, i32({3}, {kIntMin, 5, -5}))) ==
        std::vector<std::int32_t>{kIntMin, 5, 5});
  CHECK(values<std::int32_t>(unary(UnaryOp::kSquare, i32({2}, {65536, -7}))) == std::vector<std::int32_t>{0, 49});
}

TEST_CASE("kernels: unary float functions run in the element's precision") {
  CHECK(values<float>(unary(UnaryOp::kSin, f32({}, {1}))) == std::vector<float>{0.84147096f});
  CHECK(values<double>(unary(UnaryOp::kSin, f64({}, {1}))) == std::vector<double>{0.8414709848078965});
  CHECK(values<double>(unary(UnaryOp::kErf, f64({}, {1}))) == std::vector<double>{0.8427007929497149});
  CHECK(doubles(unary(UnaryOp::kExp, f16({}, {1}))) == std::vector<double>{2.71875});
  CHECK(doubles(unary(UnaryOp::kExp, bf16({}, {1}))) == std::vector<double>{2.71875});
  CHECK(values<float>(unary(UnaryOp::kRsqrt, f32({}, {4}))) == std::vector<float>{0.5f});
  CHECK(values<float>(unary(UnaryOp::kReciprocal, f32({2}, {4, 0}))) == std::vector<float>{0.25f, float(kInf)});
  CHECK(values<double>(unary(UnaryOp::kFloor, f64({2}, {-1.5, 1.5}))) == std::vector<double>{-2, 1});
  CHECK(values<double>(unary(UnaryOp::kCeil, f64({2}, {-1.5, 1.5}))) == std::vector<double>{-1, 2});
  CHECK(same_doubles(doubles(unary(UnaryOp::kLog, f64({3}, {1, 0, -1}))), {0, -kInf, kNan}));
  CHECK(values<double>(unary(UnaryOp::kSquare, f64({}, {-3}))) == std::vector<double>{9});
  CHECK(values<std::uint16_t>(unary(UnaryOp::kNegative, f16({}, {2}))) == std::vector<std::uint16_t>{0xc000});
}

TEST_CASE("kernels: unary sigmoid is stable at both tails") {
  std::vector<double> s = doubles(unary(UnaryOp::kSigmoid, f64({3}, {-1000, 0, 1000})));
  CHECK(s == std::vector<double>{0, 0.5, 1});
  // 3.8e-44 is a denormal, and TF's kernels flush denormals to zero (tf.sigmoid(-100.) is 0.0).
  float tiny = values<float>(unary(UnaryOp::kSigmoid, f32({}, {-100})))[0];
  CHECK(tiny == 0.0f);
  CHECK(values<float>(unary(UnaryOp::kSigmoid, f32({}, {-87})))[0] > 0.0f);
}

TEST_CASE("kernels: unary digamma and lgamma") {
  constexpr double kEuler = 0.57721566490153286;
  std::vector<double> psi = doubles(unary(UnaryOp::kDigamma, f64({6}, {1, 0.5, 10, -0.5, 1e-3, 30.5})));
  // psi(1) = -gamma, psi(1/2) = -gamma - 2 ln 2, psi(10) = H_9 - gamma, psi(-1/2) = psi(1/2) + 2,
  // psi(x) = psi(x + 1) - 1/x.
  const double h9 = 1 + 1. / 2 + 1. / 3 + 1. / 4 + 1. / 5 + 1. / 6 + 1. / 7 + 1. / 8 + 1. / 9;
  CHECK(psi[0] == doctest::Approx(-kEuler).epsilon(1e-15));
  CHECK(psi[1] == doctest::Approx(-kEuler - 2 * std::log(2.0)).epsilon(1e-15));
  CHECK(psi[2] == doctest::Approx(h9 - kEuler).epsilon(1e-15));
  CHECK(psi[3] == doctest::Approx(-kEuler - 2 * std::log(2.0) + 2).epsilon(1e-14));
  // Near 0: psi(x) = -1/x - gamma + zeta(2) x - zeta(3) x^2 + zeta(4) x^3 - zeta(5) x^4 ...
  CHECK(psi[4] == doctest::Approx(-1000.0 - kEuler + 1.6449340668482264e-3 - 1.2020569031595942e-6 +
                                  1.0823232337111382e-9 - 1.0369277551433699e-12)
                      .epsilon(1e-15));
  double psi_30_5 = -kEuler - 2 * std::log(2.0);
  for (int k = 0; k < 30; ++k) psi_30_5 += 1.0 / (k + 0.5);
  CHECK(psi[5] == doctest::Approx(psi_30_5).epsilon(1e-14));
  // Eigen's digamma (TF's kernel) gives +inf at the poles.
  CHECK(same_doubles(doubles(unary(UnaryOp::kDigamma, f64({3}, {0, -2, kInf}))), {kInf, kInf, kInf}));
  std::vector<double> lg = doubles(unary(UnaryOp::kLgamma, f64({2}, {0.5, 10})));
  CHECK(lg[0] == doctest::Approx(0.5723649429247001).epsilon(1e-15));
  CHECK(lg[1] == doctest::Approx(12.801827480081469).epsilon(1e-15));
  // float32 runs Cephes' psi in float arithmetic, as TF does: within a few ulps of -gamma.
  CHECK(doubles(unary(UnaryOp::kDigamma, f32({}, {1})))[0] == doctest::Approx(-kEuler).epsilon(3e-7));
}

TEST_CASE("kernels: unary complex functions") {
  using C = std::complex<float>;
  Tensor magnitude = unary(UnaryOp::kAbs, c64({2}, {C(3, 4), C(0, -2)}));
  CHECK(magnitude.dtype() == DType::kFloat32);
  CHECK(values<float>(magnitude) == std::vector<float>{5, 2});
  C e = values<C>(unary(UnaryOp::kExp, c64({}, {C(0, 3.14159265f)})))[0];
  CHECK(e.real() == doctest::Approx(-1.0));
  CHECK(e.imag() == doctest::Approx(0.0));
  using Z = std::complex<double>;
  // Near zero expm1 and log1p keep full relative accuracy where exp(z) - 1 would cancel.
  Z m = values<Z>(unary(UnaryOp::kExpm1, c128({}, {Z(1e-10, 1e-10)})))[0];
  CHECK(m.real() == doctest::Approx(1e-10).epsilon(1e-9));
  CHECK(m.imag() == doctest::Approx(1e-10).epsilon(1e-9));
  Z l = values<Z>(unary(UnaryOp::kLog1p, c128({}, {Z(1e-10, 0)})))[0];
  CHECK(l.real() == doctest::Approx(1e-10).epsilon(1e-9));
  CHECK(values<Z>(unary(UnaryOp::kSquare, c128({}, {Z(1, 2)}))) == std::vector<Z>{Z(-3, 4)});
}

TEST_CASE("kernels: unary logical_not") {
  CHECK(bools(unary(UnaryOp::kLogicalNot, boolean({2}, {true, false}))) == std::vector<bool>{false, true});
}

TEST_CASE("kernels: unary rejects dtypes TF has no kernel for") {
  CHECK(eval_error([] { unary(UnaryOp::kSin, i32({}, {1})); }) ==
        "sin: dtype int32 is not supported (expected one of bfloat16, float16, float32, float64, complex64, "
        "complex128)");
  CHECK(eval_error([] { unary(UnaryOp::kFloor, c64({}, {1})); }) ==
        "floor: dtype complex64 is not supported (expected one of bfloat16, float16, float32, float64)");
  CHECK(eval_error([] { unary(UnaryOp::kLogicalNot, f32({}, {1})); }) ==
        "logical_not: dtype float32 is not supported (expected one of bool)");
  CHECK(eval_error([] { unary(UnaryOp::kNegative, boolean({}, {true})); }) ==
        "negative: dtype bool is not supported (expected one of bfloat16, float16, float32, float64, int8, int16, "
        "int32, int64, complex64, complex128)");
}

}  // namespace
}  // namespace ag::kernels
