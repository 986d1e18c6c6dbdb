// The dtype table: names, sizes, kinds and TF enum numbers, read by as_dtype, list and printing.
#include "core/dtype.h"

#include <array>

namespace ag {
namespace {

constexpr std::array<DTypeInfo, 23> kDTypes = {{
    {DType::kBool, "bool", 1, DTypeKind::kBool, 10},
    {DType::kInt8, "int8", 1, DTypeKind::kSigned, 6},
    {DType::kInt16, "int16", 2, DTypeKind::kSigned, 5},
    {DType::kInt32, "int32", 4, DTypeKind::kSigned, 3},
    {DType::kInt64, "int64", 8, DTypeKind::kSigned, 9},
    {DType::kUInt8, "uint8", 1, DTypeKind::kUnsigned, 4},
    {DType::kUInt16, "uint16", 2, DTypeKind::kUnsigned, 17},
    {DType::kUInt32, "uint32", 4, DTypeKind::kUnsigned, 22},
    {DType::kUInt64, "uint64", 8, DTypeKind::kUnsigned, 23},
    {DType::kFloat16, "float16", 2, DTypeKind::kFloat, 19},
    {DType::kBFloat16, "bfloat16", 2, DTypeKind::kFloat, 14},
    {DType::kFloat32, "float32", 4, DTypeKind::kFloat, 1},
    {DType::kFloat64, "float64", 8, DTypeKind::kFloat, 2},
    {DType::kComplex64, "complex64", 8, DTypeKind::kComplex, 8},
    {DType::kComplex128, "complex128", 16, DTypeKind::kComplex, 18},
    {DType::kString, "string", 0, DTypeKind::kString, 7},
    {DType::kQInt8, "qint8", 1, DTypeKind::kQuantized, 11},
    {DType::kQUInt8, "quint8", 1, DTypeKind::kQuantized, 12},
    {DType::kQInt16, "qint16", 2, DTypeKind::kQuantized, 15},
    {DType::kQUInt16, "quint16", 2, DTypeKind::kQuantized, 16},
    {DType::kQInt32, "qint32", 4, DTypeKind::kQuantized, 13},
    {DType::kResource, "resource", 0, DTypeKind::kOther, 20},
    {DType::kVariant, "variant", 0, DTypeKind::kOther, 21},
}};

}  // namespace

const DTypeInfo& dtype_info(DType dtype) { return kDTypes[static_cast<std::size_t>(dtype)]; }

std::string_view dtype_name(DType dtype) { return dtype_info(dtype).name; }

std::optional<DType> dtype_from_name(std::string_view name) {
  if (name == "double") return DType::kFloat64;
  if (name == "half") return DType::kFloat16;
  for (const DTypeInfo& info : kDTypes)
    if (info.name == name) return info.dtype;
  return std::nullopt;
}

bool dtype_is_floating(DType dtype) { return dtype_info(dtype).kind == DTypeKind::kFloat; }
bool dtype_is_complex(DType dtype) { return dtype_info(dtype).kind == DTypeKind::kComplex; }
bool dtype_is_integer(DType dtype) {
  DTypeKind kind = dtype_info(dtype).kind;
  return kind == DTypeKind::kSigned || kind == DTypeKind::kUnsigned;
}
bool dtype_is_unsigned(DType dtype) { return dtype_info(dtype).kind == DTypeKind::kUnsigned; }
bool dtype_is_numeric(DType dtype) {
  DTypeKind kind = dtype_info(dtype).kind;
  return kind == DTypeKind::kBool || kind == DTypeKind::kSigned || kind == DTypeKind::kUnsigned ||
         kind == DTypeKind::kFloat || kind == DTypeKind::kComplex;
}

}  // namespace ag
