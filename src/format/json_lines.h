// `--format json`: tensors as JSON values (shortest round-trip numbers in each tensor's own
// precision) and the one-object-per-line records `run` prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/tensor.h"
#include "ops/value.h"

namespace ag::format {

/// A JSON string literal. Invalid UTF-8 bytes are written as \u00XX (their Latin-1 reading).
std::string json_string(std::string_view text);
/// Element `index` (row-major) of a tensor as JSON: an integer, true/false, a float in Python's
/// repr style with the fewest digits that read back to the same value in the tensor's dtype,
/// "nan"/"inf"/"-inf" as strings, a complex as Python's complex text in a string ("(1+2j)"), and
/// a string element as a string.
std::string json_element(const Tensor& tensor, std::int64_t index);
/// The tensor's value: nested arrays by shape; a 0-d tensor is a bare element.
std::string json_value(const Tensor& tensor);

/// The tensor a value stands for in JSON and .npy output: a tensor, a variable's value, what
/// .numpy() returned, the 0-d array numpy makes of a Python bool, int, float or complex (bool,
/// int64, float64, complex128) or a str (a 0-d string); nullopt for None and everything else.
std::optional<Tensor> value_tensor(const Value& value);

/// The JSON object for one named output value, without a newline:
/// {"spec": SPEC, "name": NAME, "dtype": D, "shape": [..], "value": V}. A variable is its value;
/// None has null dtype, shape and value; a value_tensor() is that tensor; anything else (a DType,
/// a TensorShape, a module) has null dtype and shape and its Python repr as value.
/// Lists are not expanded here (see cli/outputs.h).
std::string json_object(std::string_view spec, std::string_view name, const Value& value);

}  // namespace ag::format
