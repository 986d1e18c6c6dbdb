// Python's repr() and str() of spec values, and IPython's display of a cell's value.
#pragma once

#include <string>

#include "ops/value.h"

namespace ag::format {

/// repr(value): what Python shows inside a list or for `repr(x)`.
std::string python_repr(const Value& value);
/// str(value): what print() shows.
std::string python_str(const Value& value);
/// What a notebook shows for a cell whose last value is `value` (IPython's pretty printer:
/// lists on one line when they fit in 79 columns, else one item a line).
std::string display(const Value& value);
/// Python's repr of a float ("0.1", "1e-05", "28.0").
std::string python_float_repr(double value);
/// Python's repr of a str ('abc', with Python's quoting and escapes).
std::string python_string_repr(const std::string& text);

}  // namespace ag::format
