// Turning values into tensors the way tf.convert_to_tensor does, and reading variables the way
// a tape sees them.
#pragma once

#include <optional>

#include "core/tensor.h"
#include "ops/value.h"

namespace ag {

/// tf.convert_to_tensor: Python numbers, nested lists of them, strings, tensors and variables.
/// Python floats default to float32 and ints to int32 (int64 if out of range), as in TF.
/// `what` names the op for error messages.
Tensor to_tensor(const Value& value, std::optional<DType> hint = std::nullopt, const std::string& what = "");

/// Stores the Python int `v` as element `index` of an integer `dtype` buffer the way TF's
/// Python-sequence converter does: int32 and uint64 have direct converters that reject values out
/// of range (false is returned, nothing stored); int64 holds any; the other integer dtypes are
/// built as int64 and then Cast, so they wrap (129 as int8 is -127).
bool store_python_int(DType dtype, void* data, std::int64_t index, std::int64_t v);

/// The default dtype TF gives a Python value (float32 for floats, int32 for ints, ...), or
/// nullopt for values that are not Python numbers or lists of them.
std::optional<DType> python_default_dtype(const Value& value);

/// Reads a variable: a fresh tensor sharing its storage, watched by every active tape that
/// watches accessed variables (trainable ones) or was told to watch this variable.
Tensor read_variable(VariableState& variable);

/// Marks a variable as explicitly watched by the spec's tape (tape.watch(v)).
void watch_variable(VariableState& variable, const GradientTape* tape);

}  // namespace ag
