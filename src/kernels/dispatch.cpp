// The non-template helpers behind dispatch.h: dtype checks and TF's shape spellings in messages.
#include "kernels/dispatch.h"

#include <algorithm>

namespace ag::kernels {

void unreachable_dtype(const char* op, DType dtype) {
  throw UserError(ExitCode::kEval,
                  std::string(op) + ": internal error: no kernel for dtype " + std::string(dtype_name(dtype)));
}

void require_dtype(const char* op, DType dtype, DTypeSet allowed) {
  if ((allowed & dtype_bit(dtype)) != 0) return;
  // Floats first, as TF lists the types of float ops; then ints, then complex.
  static const DType kOrder[] = {DType::kBool,    DType::kBFloat16, DType::kFloat16,   DType::kFloat32,
                                 DType::kFloat64, DType::kInt8,     DType::kInt16,     DType::kInt32,
                                 DType::kInt64,   DType::kUInt8,    DType::kUInt16,    DType::kUInt32,
                                 DType::kUInt64,  DType::kComplex64, DType::kComplex128};
  std::string expected;
  for (DType candidate : kOrder) {
    if ((allowed & dtype_bit(candidate)) == 0) continue;
    if (!expected.empty()) expected += ", ";
    expected += dtype_name(candidate);
  }
  throw UserError(ExitCode::kEval, std::string(op) + ": dtype " + std::string(dtype_name(dtype)) +
                                       " is not supported (expected one of " + expected + ")");
}

void require_same_dtype(const char* op, DType x, DType y) {
  if (x == y) return;
  throw UserError(ExitCode::kEval, std::string(op) + ": both inputs must have the same dtype, got " +
                                       std::string(dtype_name(x)) + " and " + std::string(dtype_name(y)));
}

std::vector<std::int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<std::int64_t> strides(out.size(), 0);
  std::size_t lead = out.size() - in.size();
  std::int64_t stride = 1;
  for (std::size_t i = in.size(); i-- > 0;) {
    strides[lead + i] = in[i] == 1 ? 0 : stride;
    stride *= in[i];
  }
  return strides;
}

}  // namespace ag::kernels
