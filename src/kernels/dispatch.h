// Private to src/kernels: compile-time facts about each storable dtype, the switch that turns a
// runtime DType into them, and the TF-style error text every kernel family shares.
#pragma once

#include <complex>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "core/tensor.h"
#include "diag/error.h"

namespace ag::kernels {

/// How a dtype computes. kHalf covers float16 and bfloat16: stored as 16-bit patterns, computed
/// in float and rounded back on store (what Eigen::half and Eigen::bfloat16 do in TF).
enum class Kind { kBool, kSigned, kUnsigned, kHalf, kFloat, kComplex };

/// Storage is the element type in a Tensor buffer; Compute is the type arithmetic happens in.
template <class S, class C, Kind K, DType D>
struct TraitsBase {
  using Storage = S;
  using Compute = C;
  static constexpr Kind kind = K;
  static constexpr DType dtype = D;
  static Compute load(Storage value) { return static_cast<Compute>(value); }
  static Storage store(Compute value) { return static_cast<Storage>(value); }
};

template <DType D>
struct Traits;
template <> struct Traits<DType::kBool> : TraitsBase<bool, bool, Kind::kBool, DType::kBool> {};
template <> struct Traits<DType::kInt8> : TraitsBase<std::int8_t, std::int8_t, Kind::kSigned, DType::kInt8> {};
template <> struct Traits<DType::kInt16> : TraitsBase<std::int16_t, std::int16_t, Kind::kSigned, DType::kInt16> {};
template <> struct Traits<DType::kInt32> : TraitsBase<std::int32_t, std::int32_t, Kind::kSigned, DType::kInt32> {};
template <> struct Traits<DType::kInt64> : TraitsBase<std::int64_t, std::int64_t, Kind::kSigned, DType::kInt64> {};
template <> struct Traits<DType::kUInt8> : TraitsBase<std::uint8_t, std::uint8_t, Kind::kUnsigned, DType::kUInt8> {};
template <> struct Traits<DType::kUInt16> : TraitsBase<std::uint16_t, std::uint16_t, Kind::kUnsigned, DType::kUInt16> {};
template <> struct Traits<DType::kUInt32> : TraitsBase<std::uint32_t, std::uint32_t, Kind::kUnsigned, DType::kUInt32> {};
template <> struct Traits<DType::kUInt64> : TraitsBase<std::uint64_t, std::uint64_t, Kind::kUnsigned, DType::kUInt64> {};
template <> struct Traits<DType::kFloat32> : TraitsBase<float, float, Kind::kFloat, DType::kFloat32> {};
template <> struct Traits<DType::kFloat64> : TraitsBase<double, double, Kind::kFloat, DType::kFloat64> {};
template <>
struct Traits<DType::kComplex64>
    : TraitsBase<std::complex<float>, std::complex<float>, Kind::kComplex, DType::kComplex64> {};
template <>
struct Traits<DType::kComplex128>
    : TraitsBase<std::complex<double>, std::complex<double>, Kind::kComplex, DType::kComplex128> {};
template <>
struct Traits<DType::kFloat16> : TraitsBase<std::uint16_t, float, Kind::kHalf, DType::kFloat16> {
  static float load(std::uint16_t bits) { return half_to_float(bits); }
  static std::uint16_t store(float value) { return float_to_half(value); }
};
template <>
struct Traits<DType::kBFloat16> : TraitsBase<std::uint16_t, float, Kind::kHalf, DType::kBFloat16> {
  static float load(std::uint16_t bits) { return bfloat16_to_float(bits); }
  static std::uint16_t store(float value) { return float_to_bfloat16(value); }
};

template <class Tr> inline constexpr bool is_bool_v = Tr::kind == Kind::kBool;
template <class Tr> inline constexpr bool is_int_v = Tr::kind == Kind::kSigned || Tr::kind == Kind::kUnsigned;
template <class Tr> inline constexpr bool is_signed_int_v = Tr::kind == Kind::kSigned;
template <class Tr> inline constexpr bool is_real_float_v = Tr::kind == Kind::kHalf || Tr::kind == Kind::kFloat;
template <class Tr> inline constexpr bool is_complex_v = Tr::kind == Kind::kComplex;

/// Thrown for a dtype that reached a kernel although no case handles it (a bug, not user input).
[[noreturn]] void unreachable_dtype(const char* op, DType dtype);

/// Calls f(Traits<D>{}) for the numeric dtype d; every numeric dtype instantiates f, so bodies
/// use `if constexpr` on the traits to keep unsupported combinations from being compiled.
template <class F>
decltype(auto) visit_dtype(DType d, F&& f) {
  switch (d) {
    case DType::kBool: return f(Traits<DType::kBool>{});
    case DType::kInt8: return f(Traits<DType::kInt8>{});
    case DType::kInt16: return f(Traits<DType::kInt16>{});
    case DType::kInt32: return f(Traits<DType::kInt32>{});
    case DType::kInt64: return f(Traits<DType::kInt64>{});
    case DType::kUInt8: return f(Traits<DType::kUInt8>{});
    case DType::kUInt16: return f(Traits<DType::kUInt16>{});
    case DType::kUInt32: return f(Traits<DType::kUInt32>{});
    case DType::kUInt64: return f(Traits<DType::kUInt64>{});
    case DType::kFloat16: return f(Traits<DType::kFloat16>{});
    case DType::kBFloat16: return f(Traits<DType::kBFloat16>{});
    case DType::kFloat32: return f(Traits<DType::kFloat32>{});
    case DType::kFloat64: return f(Traits<DType::kFloat64>{});
    case DType::kComplex64: return f(Traits<DType::kComplex64>{});
    case DType::kComplex128: return f(Traits<DType::kComplex128>{});
    default: unreachable_dtype("visit_dtype", d);
  }
}

// ---- dtype sets: which dtypes an op accepts, as bits of DType --------------------------------

using DTypeSet = std::uint32_t;
constexpr DTypeSet dtype_bit(DType d) { return DTypeSet{1} << static_cast<unsigned>(d); }
inline constexpr DTypeSet kBoolSet = dtype_bit(DType::kBool);
inline constexpr DTypeSet kSignedSet =
    dtype_bit(DType::kInt8) | dtype_bit(DType::kInt16) | dtype_bit(DType::kInt32) | dtype_bit(DType::kInt64);
inline constexpr DTypeSet kUnsignedSet =
    dtype_bit(DType::kUInt8) | dtype_bit(DType::kUInt16) | dtype_bit(DType::kUInt32) | dtype_bit(DType::kUInt64);
inline constexpr DTypeSet kIntSet = kSignedSet | kUnsignedSet;
inline constexpr DTypeSet kRealFloatSet =
    dtype_bit(DType::kFloat16) | dtype_bit(DType::kBFloat16) | dtype_bit(DType::kFloat32) | dtype_bit(DType::kFloat64);
inline constexpr DTypeSet kComplexSet = dtype_bit(DType::kComplex64) | dtype_bit(DType::kComplex128);
inline constexpr DTypeSet kRealSet = kRealFloatSet | kIntSet;
inline constexpr DTypeSet kNumberSet = kRealSet | kComplexSet;
inline constexpr DTypeSet kAllSet = kNumberSet | kBoolSet;

/// Throws "sin: dtype int32 is not supported (expected one of bfloat16, ..., complex128)" unless
/// dtype is in allowed. The list is in a fixed order: bool, floats, ints, complex.
void require_dtype(const char* op, DType dtype, DTypeSet allowed);
/// Throws if x and y have different dtypes (the ops layer reports TF's text before this).
void require_same_dtype(const char* op, DType x, DType y);

// ---- shapes ---------------------------------------------------------------------------------

// tf_shape_str and broadcast_shapes come from core/shape.h.
/// Element strides of `in` read as the broadcast shape `out` (0 along broadcast axes); in's rank
/// must not exceed out's and every axis must be 1 or equal to out's.
std::vector<std::int64_t> broadcast_strides(const Shape& in, const Shape& out);

// ---- integer arithmetic that wraps instead of invoking undefined behaviour --------------------
// TF's integer kernels wrap on overflow (two's complement). Doing the arithmetic in an unsigned
// type at least as wide as `unsigned` gives that result without signed overflow, and without the
// promotion of uint16 * uint16 to a signed int that could overflow.

template <class T>
using WrapType = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <class T>
T wrap_add(T a, T b) { return static_cast<T>(static_cast<WrapType<T>>(a) + static_cast<WrapType<T>>(b)); }
template <class T>
T wrap_sub(T a, T b) { return static_cast<T>(static_cast<WrapType<T>>(a) - static_cast<WrapType<T>>(b)); }
template <class T>
T wrap_mul(T a, T b) { return static_cast<T>(static_cast<WrapType<T>>(a) * static_cast<WrapType<T>>(b)); }
template <class T>
T wrap_neg(T a) { return static_cast<T>(WrapType<T>{0} - static_cast<WrapType<T>>(a)); }

}  // namespace ag::kernels
