// Private to src/kernels: one element converted between dtypes with TF's Cast rules, shared by
// cast() and the constant makers (which convert a double to the target dtype).
#pragma once

#include <cmath>
#include <complex>
#include <limits>
#include <type_traits>

#include "kernels/dispatch.h"

namespace ag::kernels {

/// Float to integer truncates toward zero. Out-of-range values are implementation-defined in TF
/// (x86 gives INT_MIN); here they saturate to the integer's limits and NaN gives 0, which is
/// well defined and agrees with TF wherever TF's result is in range.
template <class I>
I saturating_float_to_int(double v) {
  if (std::isnan(v)) return I(0);
  constexpr double kLow = static_cast<double>(std::numeric_limits<I>::lowest());
  // max() + 1 is a power of two, so this bound is exact in double even for 64-bit types.
  constexpr double kHighExclusive = (static_cast<double>(std::numeric_limits<I>::max()) + 1.0);
  if (v <= kLow) return std::numeric_limits<I>::lowest();
  if (v >= kHighExclusive) return std::numeric_limits<I>::max();
  return static_cast<I>(v);
}

/// The real part of a complex value and the value itself otherwise, widened to double.
template <class C>
double real_as_double(C v) {
  if constexpr (std::is_same_v<C, std::complex<float>> || std::is_same_v<C, std::complex<double>>) {
    return static_cast<double>(v.real());
  } else {
    return static_cast<double>(v);
  }
}

/// Converts one Compute value of FromTr to ToTr's storage.
template <class ToTr, class FromTr>
typename ToTr::Storage convert_element(typename FromTr::Compute v) {
  using To = typename ToTr::Storage;
  using ToC = typename ToTr::Compute;
  if constexpr (is_bool_v<ToTr>) {
    // int -> bool is x != 0 (so NaN and any non-zero complex are true).
    if constexpr (is_complex_v<FromTr>) {
      return v.real() != 0 || v.imag() != 0;
    } else {
      return v != 0;
    }
  } else if constexpr (is_bool_v<FromTr>) {
    return ToTr::store(ToC(v ? 1 : 0));
  } else if constexpr (is_complex_v<ToTr>) {
    using R = typename ToC::value_type;
    if constexpr (is_complex_v<FromTr>) {
      return To(static_cast<R>(v.real()), static_cast<R>(v.imag()));
    } else {
      return To(static_cast<R>(v), R(0));
    }
  } else if constexpr (is_int_v<ToTr>) {
    if constexpr (is_int_v<FromTr>) {
      return static_cast<To>(v);  // modular, as TF's static_cast on two's complement
    } else {
      return saturating_float_to_int<To>(real_as_double(v));  // complex: the real part
    }
  } else if constexpr (ToTr::dtype == DType::kFloat16) {
    // Round the exact value once, straight to half (no double rounding through float).
    if constexpr (is_int_v<FromTr>) {
      return double_to_half(static_cast<double>(v));
    } else {
      return double_to_half(real_as_double(v));
    }
  } else {
    // float32, float64, bfloat16 (which rounds from float, as Eigen::bfloat16 does).
    if constexpr (is_complex_v<FromTr>) {
      return ToTr::store(static_cast<ToC>(v.real()));
    } else {
      return ToTr::store(static_cast<ToC>(v));
    }
  }
}

}  // namespace ag::kernels
