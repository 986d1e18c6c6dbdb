// YAML literals to tensors, with TF's default dtypes and correctly rounded decimal conversion.
#pragma once

#include <optional>

#include "core/tensor.h"
#include "spec/spec.h"

namespace ag {

/// Converts a literal (scalar or nested list) to a tensor. Without a dtype, ints give int32
/// (int64 when out of range), any float gives float32, booleans give bool, as tf.constant does.
/// Decimal text is rounded straight to the target precision. Throws UserError with the place.
Tensor literal_to_tensor(const Literal& literal, std::optional<DType> dtype);

/// Correctly rounded decimal text → IEEE half / bfloat16 / float / double bits (no double rounding).
std::uint16_t parse_half(const std::string& text);
std::uint16_t parse_bfloat16(const std::string& text);

}  // namespace ag
