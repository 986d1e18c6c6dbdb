// Tests of fill, range and linspace: counts, TF's accumulated float values, and error text.
#include <limits>

#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;

TEST_CASE("kernels: fill converts the value with cast rules") {
  CHECK(values<float>(fill(DType::kFloat32, {2, 2}, 1.5)) == std::vector<float>(4, 1.5f));
  CHECK(values<std::int32_t>(fill(DType::kInt32, {2}, -3.7)) == std::vector<std::int32_t>{-3, -3});
  CHECK(bools(fill(DType::kBool, {1}, 2)) == std::vector<bool>{true});
  CHECK(values<std::uint16_t>(fill(DType::kFloat16, {1}, 0.1)) == std::vector<std::uint16_t>{0x2e66});
  CHECK(values<std::complex<double>>(fill(DType::kComplex128, {1}, -2)) ==
        std::vector<std::complex<double>>{{-2, 0}});
  CHECK(fill(DType::kFloat64, {0, 3}, 1).shape() == Shape{0, 3});
  CHECK(fill(DType::kInt64, {}, 7).shape() == Shape{});
}

TEST_CASE("kernels: range counts ceil((limit - start) / delta) elements") {
  CHECK(values<std::int32_t>(range(DType::kInt32, 0, 5, 1)) == std::vector<std::int32_t>{0, 1, 2, 3, 4});
  CHECK(values<std::int32_t>(range(DType::kInt32, 0, 10, 3)) == std::vector<std::int32_t>{0, 3, 6, 9});
  CHECK(values<std::int64_t>(range(DType::kInt64, 5, 0, -2)) == std::vector<std::int64_t>{5, 3, 1});
  CHECK(range(DType::kInt32, 3, 3, 1).shape() == Shape{0});
  CHECK(values<double>(range(DType::kFloat64, 1, 2, 0.25)) == std::vector<double>{1, 1.25, 1.5, 1.75});
  CHECK(range(DType::kFloat64, 0, 1, 0.1).size() == 10);
}

TEST_CASE("kernels: range accumulates by repeated addition in the dtype, as TF's kernel") {
  // TF prints tf.range(0, 1, 0.1) as [0. 0.1 0.2 0.3 0.4 0.5 0.6 0.70000005 0.8000001 0.9000001].
  Tensor r = range(DType::kFloat32, 0, 1, 0.1);
  REQUIRE(r.size() == 10);
  std::vector<float> expected;
  float value = 0;
  for (int i = 0; i < 10; ++i, value += 0.1f) expected.push_back(value);
  CHECK(values<float>(r) == expected);
  CHECK(values<float>(r)[7] == 0.70000005f);
  CHECK(values<float>(r)[9] == 0.9000001f);
}

TEST_CASE("kernels: range errors use TF's text") {
  CHECK(eval_error([] { range(DType::kInt32, 0, 5, 0); }) == "Requires delta != 0: 0");
  CHECK(eval_error([] { range(DType::kInt32, 5, 1, 1); }) == "Requires start <= limit when delta > 0: 5/1");
  CHECK(eval_error([] { range(DType::kFloat32, 1, 5, -0.5); }) == "Requires start >= limit when delta < 0: 1/5");
  CHECK(eval_error([] { range(DType::kFloat32, 0.1, 0, 1); }) == "Requires start <= limit when delta > 0: 0.1/0");
  CHECK(eval_error([] { range(DType::kFloat64, 0.1, 0, 1); }) == "Requires start <= limit when delta > 0: 0.1/0");
  CHECK(eval_error([] { range(DType::kFloat64, 0, std::numeric_limits<double>::infinity(), 1); }) ==
        "Requires ((limit - start) / delta) <= 9223372036854775807");
  CHECK(eval_error([] { range(DType::kBool, 0, 1, 1); }).rfind("range: dtype bool is not supported", 0) == 0);
}

TEST_CASE("kernels: linspace spaces num points and keeps both endpoints exact") {
  CHECK(values<float>(linspace(DType::kFloat32, 0, 1, 5)) == std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1});
  CHECK(values<double>(linspace(DType::kFloat64, 1, 10, 1)) == std::vector<double>{1});
  CHECK(linspace(DType::kFloat64, 0, 1, 0).shape() == Shape{0});
  // delta = (stop - start) / (num - 1) in float, then start + delta * i; the last value is stop.
  std::vector<float> got = values<float>(linspace(DType::kFloat32, 0.5, 1, 7));
  const float delta = (1.0f - 0.5f) / 6.0f;
  for (int i = 0; i < 6; ++i) CHECK(got[i] == 0.5f + delta * float(i));
  CHECK(got[6] == 1.0f);
  CHECK(eval_error([] { linspace(DType::kFloat32, 0, 1, -1); }) == "Requires num > 0: -1");
  CHECK(eval_error([] { linspace(DType::kInt32, 0, 1, 3); }) ==
        "linspace: dtype int32 is not supported (expected one of bfloat16, float16, float32, float64)");
}

}  // namespace
}  // namespace ag::kernels
