// numpy 1.24's text for arrays and scalars (default print options), and TF's wrappers around it.
#pragma once

#include <string>

#include "core/tensor.h"

namespace ag::format {

/// numpy `repr(a)` of the tensor's value as an ndarray ("array([1., 2.], dtype=float32)").
std::string array_repr(const Tensor& t);
/// numpy `str(a)` of the tensor's value as an ndarray ("[1. 2.]"); 0-d gives the scalar text.
std::string array_str(const Tensor& t);
/// numpy scalar text of a 0-d tensor (repr == str in numpy 1.x): "28.0", "True", "b'hi'".
std::string scalar_text(const Tensor& t);

/// TF's repr of an eager tensor: `<tf.Tensor: shape=(4, 1), dtype=float32, numpy=...>`.
std::string tensor_repr(const Tensor& t);
/// TF's str of an eager tensor: `tf.Tensor(..., shape=(4, 1), dtype=float32)`.
std::string tensor_str(const Tensor& t);
/// TF's repr of a tf.Variable (also its str): `<tf.Variable 'x:0' shape=(4, 1) dtype=float32, numpy=...>`.
/// `name` is the variable's TF name; one without an output suffix gets ":0" ("x" → 'x:0').
std::string variable_repr(const std::string& name, const Tensor& value);
/// What `t.numpy()` shows in a notebook: numpy repr for arrays, scalar text for 0-d.
std::string numpy_value_repr(const Tensor& t);

}  // namespace ag::format
