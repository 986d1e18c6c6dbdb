// Tests of the dtype table's predicates.
#include <doctest/doctest.h>

#include "core/dtype.h"

namespace ag {
namespace {

TEST_CASE("dtype: the differentiable dtypes are exactly the floating and complex ones") {
  // dtype_is_differentiable tests a range of DType; a reordered enum must not change its answer.
  int differentiable = 0;
  for (int i = 0; i <= static_cast<int>(DType::kVariant); ++i) {
    const DType dtype = static_cast<DType>(i);
    CAPTURE(dtype_name(dtype));
    CHECK(dtype_is_differentiable(dtype) == (dtype_is_floating(dtype) || dtype_is_complex(dtype)));
    differentiable += dtype_is_differentiable(dtype) ? 1 : 0;
  }
  CHECK(differentiable == 6);  // float16, bfloat16, float32, float64, complex64, complex128
}

}  // namespace
}  // namespace ag
