// The element types a tensor can have, and the facts about each that TF's DType exposes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ag {

/// Every TF DType the tool knows. Only some can hold tensor data (see dtype_is_storable).
enum class DType : std::uint8_t {
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat16,
  kBFloat16,
  kFloat32,
  kFloat64,
  kComplex64,
  kComplex128,
  kString,
  kQInt8,
  kQUInt8,
  kQInt16,
  kQUInt16,
  kQInt32,
  kResource,
  kVariant,
};

enum class DTypeKind : std::uint8_t { kBool, kSigned, kUnsigned, kFloat, kComplex, kString, kQuantized, kOther };

/// One row of the dtype table.
struct DTypeInfo {
  DType dtype;
  std::string_view name;        ///< TF name: "float32"
  int size;                     ///< bytes per element (0 where TF reports none)
  DTypeKind kind;
  int tf_enum;                  ///< TF's DataType enum number (its hash)
};

const DTypeInfo& dtype_info(DType dtype);
std::string_view dtype_name(DType dtype);
/// Resolves a TF dtype name or alias ("float32", "double", "half") to a DType.
std::optional<DType> dtype_from_name(std::string_view name);

bool dtype_is_floating(DType dtype);   ///< float16, bfloat16, float32, float64
bool dtype_is_complex(DType dtype);
bool dtype_is_integer(DType dtype);    ///< signed or unsigned, not quantized, not bool
bool dtype_is_unsigned(DType dtype);
/// TF's trainable dtypes: floating and complex. Only these are recorded on a tape. (Inline: every
/// recorded op asks it of each input; float16 to complex128 are contiguous in DType.)
inline bool dtype_is_differentiable(DType dtype) { return dtype >= DType::kFloat16 && dtype <= DType::kComplex128; }
/// Whether tensors of this dtype can hold numeric data in this build.
bool dtype_is_numeric(DType dtype);

}  // namespace ag
