// Recording a computed op on the active tapes, for the op files beside api.cpp (math_api.cpp,
// nn_api.cpp): the kernel computes, then one node goes on every tape that watches an input.
#pragma once

#include <string>
#include <vector>

#include "autodiff/tape.h"

namespace ag::ops {

/// Records output = op(inputs) on every active tape watching a differentiable input (never for
/// a primitive without a rule) and returns output.
Tensor record_op(const Primitive& op, TensorList inputs, Tensor output, Attrs attrs = {});

/// TF's DataTypeString spelling, used in its kernel error messages ("float", "double", "half").
std::string tf_type_string(DType dtype);

/// TF's error for a binary op given two dtypes: "cannot compute Pow as input #1(zero-based) was
/// expected to be a float tensor but is a double tensor [Op:Pow]".
void check_binary_dtypes(const Tensor& x, const Tensor& y, const char* tf_op);

/// String tensors hold std::string elements, which the copying kernels do not move: an op gathers
/// or slices the elements' positions (string_positions: an int64 tensor of t's shape holding
/// 0, 1, ...) and maps the result back to strings (strings_at). String results carry no gradient,
/// so nothing is recorded.
Tensor string_positions(const Tensor& t);
Tensor strings_at(const Tensor& source, const Tensor& positions);

}  // namespace ag::ops
