// What the stateless ops and Generator methods share: argument checks (shapes, seeds, dtypes)
// and the Python-side arithmetic TF wraps around its kernels (rnd * stddev + mean, ...), done
// with recorded ops so that mean and stddev get TF's gradients.
#pragma once

#include <string>

#include "kernels/random.h"
#include "ops/value.h"

namespace ag {

class CallArgs;

/// The output shape argument of a random op: a list, tuple, TensorShape or 1-D int tensor, with
/// non-negative dimensions and a 4 GiB cap for `dtype`.
Shape random_shape(const CallArgs& args, const char* param, DType dtype, const std::string& op);
/// Requires a floating dtype (float16, bfloat16, float32, float64).
void require_float_dtype(DType dtype, const std::string& op);
/// The Philox generator of a stateless op's `seed` argument (shape [2], int32 or int64).
kernels::random::Philox stateless_philox(const CallArgs& args, const char* param, const std::string& op);

/// rnd * stddev + mean in `dtype` (TF: math_ops.add(rnd * stddev, mean)).
Tensor scale_and_shift(const Tensor& rnd, const Value& stddev, const Value& mean, DType dtype, const std::string& op);

/// Uniform numbers as the stateless ops and Generator.uniform make them: floats in
/// [minval, maxval) as rnd * (maxval - minval) + minval; integers in [minval, maxval), or the
/// whole range when both are None.
Tensor uniform_from(kernels::random::Philox gen, const Shape& shape, DType dtype, const Value& minval, const Value& maxval,
                    const std::string& op);

}  // namespace ag
