// numpy's .npy file format (versions 1.0, 2.0 and 3.0): reading any file numpy.save writes for a
// dtype the tool has, and writing files that numpy.load reads back bit for bit.
#pragma once

#include <string>
#include <string_view>

#include "core/tensor.h"

namespace ag::format {

/// Parses the bytes of a .npy file: little- or big-endian, C or Fortran order, every numeric
/// dtype and bool ('<f4', '>i8', '|b1', '<c16', ...), fixed-width bytes ('|S5') and unicode
/// ('<U5') as string tensors. Throws UserError(kUsage) saying what is wrong; messages start with
/// `what` (the file's name).
Tensor read_npy(std::string_view bytes, const std::string& what);

/// The bytes numpy.save writes for the tensor's value (format 1.0, or 2.0 for a header too large
/// for 1.0; C order; little-endian). bfloat16, which numpy lacks, is written as float32 (exactly);
/// string tensors as fixed-width bytes ('|S<longest>'). Throws UserError(kEval) for dtypes with
/// no numpy equivalent (quantized, resource, variant).
std::string write_npy(const Tensor& tensor);

/// The numpy descr written for a dtype ("<f4", "|b1"), or empty when it has none.
std::string npy_descr(DType dtype);

}  // namespace ag::format
