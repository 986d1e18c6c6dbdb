// Helpers for the kernel tests: build tensors from literal values and read them back.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "diag/error.h"
#include "kernels/kernels.h"

namespace ag::kernels::testing {

/// A tensor of `dtype` whose storage elements (type T) are `values`, row-major.
template <class T>
Tensor make(DType dtype, Shape shape, const std::vector<T>& values) {
  Tensor t = Tensor::allocate(dtype, std::move(shape));
  REQUIRE(static_cast<std::int64_t>(values.size()) == t.size());
  T* data = t.mutable_data<T>();
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = values[i];
  return t;
}

inline Tensor f32(Shape shape, const std::vector<float>& v) { return make<float>(DType::kFloat32, std::move(shape), v); }
inline Tensor f64(Shape shape, const std::vector<double>& v) { return make<double>(DType::kFloat64, std::move(shape), v); }
inline Tensor i32(Shape shape, const std::vector<std::int32_t>& v) {
  return make<std::int32_t>(DType::kInt32, std::move(shape), v);
}
inline Tensor i64(Shape shape, const std::vector<std::int64_t>& v) {
  return make<std::int64_t>(DType::kInt64, std::move(shape), v);
}
inline Tensor boolean(Shape shape, const std::vector<bool>& v) {
  Tensor t = Tensor::allocate(DType::kBool, std::move(shape));
  REQUIRE(static_cast<std::int64_t>(v.size()) == t.size());
  for (std::size_t i = 0; i < v.size(); ++i) t.mutable_data<bool>()[i] = v[i];
  return t;
}
inline Tensor c64(Shape shape, const std::vector<std::complex<float>>& v) {
  return make<std::complex<float>>(DType::kComplex64, std::move(shape), v);
}
inline Tensor c128(Shape shape, const std::vector<std::complex<double>>& v) {
  return make<std::complex<double>>(DType::kComplex128, std::move(shape), v);
}
/// float16 / bfloat16 from float values (each must be representable, or it is rounded).
inline Tensor f16(Shape shape, const std::vector<float>& v) {
  std::vector<std::uint16_t> bits;
  for (float x : v) bits.push_back(float_to_half(x));
  return make<std::uint16_t>(DType::kFloat16, std::move(shape), bits);
}
inline Tensor bf16(Shape shape, const std::vector<float>& v) {
  std::vector<std::uint16_t> bits;
  for (float x : v) bits.push_back(float_to_bfloat16(x));
  return make<std::uint16_t>(DType::kBFloat16, std::move(shape), bits);
}

template <class T>
std::vector<T> values(const Tensor& t) {
  const T* data = t.data<T>();
  return std::vector<T>(data, data + t.size());
}
inline std::vector<bool> bools(const Tensor& t) {
  std::vector<bool> out;
  for (std::int64_t i = 0; i < t.size(); ++i) out.push_back(t.data<bool>()[i]);
  return out;
}
/// Every element widened to double (float16/bfloat16 decoded).
inline std::vector<double> doubles(const Tensor& t) {
  std::vector<double> out;
  for (std::int64_t i = 0; i < t.size(); ++i) out.push_back(t.element_as_double(i));
  return out;
}

/// The message of the UserError(kEval) that f throws ("" if none is thrown).
template <class F>
std::string eval_error(F f) {
  try {
    f();
  } catch (const UserError& e) {
    CHECK(e.code() == ExitCode::kEval);
    return e.what();
  }
  return "";
}

/// Element-wise equality where NaN equals NaN and the sign of zero matters.
inline bool same_doubles(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) && std::isnan(b[i])) continue;
    if (a[i] != b[i] || std::signbit(a[i]) != std::signbit(b[i])) return false;
  }
  return true;
}

}  // namespace ag::kernels::testing
