// tf.dtypes members through whole specs: complex() and its gradient, saturate_cast's clamping
// and gradient, and reference dtypes.
#include <doctest/doctest.h>

#include "../support.h"

namespace ag {
namespace {

TEST_CASE("dtypes: complex() sends real(g) to the real part and imag(g) to the imaginary part") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  r: {value: [1.0, 2.0], dtype: float32}\n"
      "  i: {value: [3.0, 4.0], dtype: float32}\n"
      "operations:\n"
      "  - z = complex(r, i)\n"
      "derivatives:\n"
      "  - g = gradient(z, [r, i], output_gradients=complex([5.0, 6.0], [7.0, 8.0]))\n");
  CHECK(run.exit_code == 0);
  CHECK(run.output ==
        "[<tf.Tensor: shape=(2,), dtype=float32, numpy=array([5., 6.], dtype=float32)>,\n"
        " <tf.Tensor: shape=(2,), dtype=float32, numpy=array([7., 8.], dtype=float32)>]\n");
}

TEST_CASE("dtypes: complex() of a broadcast scalar sums the gradient back to the scalar") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  r: {value: 1.0, dtype: float64}\n"
      "  i: {value: [3.0, 4.0, 5.0], dtype: float64}\n"
      "operations:\n"
      "  - z = complex(r, i)\n"
      "derivatives:\n"
      "  - dr = gradient(z, r)\n"
      "output:\n"
      "  - z\n"
      "  - dr\n");
  CHECK(run.exit_code == 0);
  CHECK(run.output ==
        "<tf.Tensor: shape=(3,), dtype=complex128, numpy=array([1.+3.j, 1.+4.j, 1.+5.j])>\n"
        "<tf.Tensor: shape=(), dtype=float64, numpy=3.0>\n");
}

TEST_CASE("dtypes: complex() rejects mixed or non-float parts with TF's message") {
  testing::SpecRun run = testing::run_spec_text("output:\n  - complex([1.0], [2])\n");
  CHECK(run.exit_code == 3);
  CHECK(run.errors ==
        "test.yaml:2:5: error: The `real` and `imag` components have incorrect types: float32 int32. They must be "
        "consistent, and one of [tf.float32, tf.float64]\n");
}

TEST_CASE("dtypes: saturate_cast clamps first, and only unclamped elements get a gradient") {
  testing::SpecRun run = testing::run_spec_text(
      "inputs:\n"
      "  x: {value: [1.5, 1.0e6, -1.0e6], dtype: float32}\n"
      "operations:\n"
      "  - y = saturate_cast(x, float16)\n"
      "derivatives:\n"
      "  - dx = gradient(y, x)\n"
      "output:\n"
      "  - y\n"
      "  - dx\n");
  CHECK(run.exit_code == 0);
  CHECK(run.output ==
        "<tf.Tensor: shape=(3,), dtype=float16, numpy=array([ 1.50e+00,  6.55e+04, -6.55e+04], dtype=float16)>\n"
        "<tf.Tensor: shape=(3,), dtype=float32, numpy=array([1., 0., 0.], dtype=float32)>\n");
}

TEST_CASE("dtypes: saturate_cast to unsigned clamps negatives to zero") {
  testing::SpecRun run = testing::run_spec_text("output:\n  - saturate_cast([-7, 70000, 5], uint16)\n");
  CHECK(run.output == "<tf.Tensor: shape=(3,), dtype=uint16, numpy=array([    0, 65535,     5], dtype=uint16)>\n");
}

TEST_CASE("dtypes: reference dtypes have their own name and the base's facts") {
  testing::SpecRun run = testing::run_spec_text(
      "output:\n"
      "  - as_dtype('quint8_ref').name\n"
      "  - as_dtype('quint8_ref').is_quantized\n"
      "  - print(as_dtype('quint8_ref'))\n");
  CHECK(run.output == "'quint8_ref'\nTrue\n<dtype: 'quint8_ref'>\n");
}

TEST_CASE("dtypes: min of a dtype without a range is TF's TypeError text") {
  testing::SpecRun run = testing::run_spec_text("output:\n  - bool.min\n");
  CHECK(run.exit_code == 3);
  CHECK(run.errors == "test.yaml:2:5: error: Cannot find minimum value of <dtype: 'bool'>.\n");
}

}  // namespace
}  // namespace ag
