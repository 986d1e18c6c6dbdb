// Exact texts of numpy-repr.md's examples E1-E65, its scalar table, and tf-semantics.md A.2/A.3.
#include "format/numpy_repr.h"

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "format/element_format.h"

using ag::DType;
using ag::Shape;
using ag::Tensor;
using ag::format::array_repr;
using ag::format::array_str;
using ag::format::scalar_text;
using ag::format::tensor_repr;
using ag::format::tensor_str;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

template <class T, class V>
Tensor make(DType dtype, Shape shape, const std::vector<V>& values) {
  Tensor t = Tensor::allocate(dtype, std::move(shape));
  T* data = t.mutable_data<T>();
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = static_cast<T>(values[i]);
  return t;
}

Tensor f32(Shape shape, const std::vector<double>& v) {
  return make<float>(DType::kFloat32, std::move(shape), v);
}
Tensor f64(Shape shape, const std::vector<double>& v) {
  return make<double>(DType::kFloat64, std::move(shape), v);
}
Tensor i64(Shape shape, const std::vector<std::int64_t>& v) {
  return make<std::int64_t>(DType::kInt64, std::move(shape), v);
}
Tensor i32(Shape shape, const std::vector<std::int64_t>& v) {
  return make<std::int32_t>(DType::kInt32, std::move(shape), v);
}

Tensor f16(Shape shape, const std::vector<double>& v) {
  Tensor t = Tensor::allocate(DType::kFloat16, std::move(shape));
  for (std::size_t i = 0; i < v.size(); ++i)
    t.mutable_data<std::uint16_t>()[i] = ag::double_to_half(v[i]);
  return t;
}

Tensor boolean(Shape shape, const std::vector<int>& v) {
  Tensor t = Tensor::allocate(DType::kBool, std::move(shape));
  for (std::size_t i = 0; i < v.size(); ++i) t.mutable_data<bool>()[i] = v[i] != 0;
  return t;
}

Tensor c64(Shape shape, const std::vector<std::complex<float>>& v) {
  return make<std::complex<float>>(DType::kComplex64, std::move(shape), v);
}

/// 0, 1, ..., n-1 in float32, shaped.
Tensor arange_f32(std::int64_t n, Shape shape) {
  Tensor t = Tensor::allocate(DType::kFloat32, std::move(shape));
  for (std::int64_t i = 0; i < n; ++i) t.mutable_data<float>()[i] = static_cast<float>(i);
  return t;
}

Tensor arange_i64(std::int64_t n, Shape shape) {
  Tensor t = Tensor::allocate(DType::kInt64, std::move(shape));
  for (std::int64_t i = 0; i < n; ++i) t.mutable_data<std::int64_t>()[i] = i;
  return t;
}

}  // namespace

// ---- Positional floats, maxprec padding, alignment ----

TEST_CASE("numpy_repr: E1 float32 column right-aligns integer parts") {
  Tensor t = f32({4, 1}, {0, 4, 8, 12});
  CHECK(array_repr(t) ==
        "array([[ 0.],\n"
        "       [ 4.],\n"
        "       [ 8.],\n"
        "       [12.]], dtype=float32)");
  CHECK(array_str(t) ==
        "[[ 0.]\n"
        " [ 4.]\n"
        " [ 8.]\n"
        " [12.]]");
}

TEST_CASE("numpy_repr: E2 float32 values print their shortest float32 digits") {
  Tensor t = f32({3}, {0.1, 0.2, 0.3});
  CHECK(array_repr(t) == "array([0.1, 0.2, 0.3], dtype=float32)");
  CHECK(array_str(t) == "[0.1 0.2 0.3]");
}

TEST_CASE("numpy_repr: E3 float32 positional values pad missing digits with spaces") {
  CHECK(array_repr(f32({2}, {1.0 / 3, 2.0 / 3})) ==
        "array([0.33333334, 0.6666667 ], dtype=float32)");
}

TEST_CASE("numpy_repr: E4 float64 values are cut to 8 fraction digits") {
  CHECK(array_repr(f64({2}, {1.0 / 3, 2.0 / 3})) == "array([0.33333333, 0.66666667])");
}

TEST_CASE("numpy_repr: E5 float16 values use float16 shortest digits") {
  CHECK(array_repr(f16({2}, {0.1, 1.0 / 3})) == "array([0.1   , 0.3333], dtype=float16)");
}

TEST_CASE("numpy_repr: E6 missing fraction digits are spaces, not zeros") {
  Tensor t = f64({3}, {1.0, 1.5, 1.25});
  CHECK(array_repr(t) == "array([1.  , 1.5 , 1.25])");
  CHECK(array_str(t) == "[1.   1.5  1.25]");
}

TEST_CASE("numpy_repr: E7 integer parts are left-padded") {
  CHECK(array_repr(f64({2}, {3.141592653589793, 100.0})) == "array([  3.14159265, 100.        ])");
}

TEST_CASE("numpy_repr: E8 a minus sign counts in the integer width") {
  Tensor t = f64({3}, {-1.5, 2.25, 10.0});
  CHECK(array_repr(t) == "array([-1.5 ,  2.25, 10.  ])");
  CHECK(array_str(t) == "[-1.5   2.25 10.  ]");
}

TEST_CASE("numpy_repr: E9 2-D float32 columns share one width") {
  Tensor t = f32({2, 2}, {-1, 2.5, 300, 4});
  CHECK(array_repr(t) ==
        "array([[ -1. ,   2.5],\n"
        "       [300. ,   4. ]], dtype=float32)");
  CHECK(array_str(t) ==
        "[[ -1.    2.5]\n"
        " [300.    4. ]]");
}

TEST_CASE("numpy_repr: E10 values below 1e8 stay positional") {
  CHECK(array_repr(f64({2}, {1e7, 2e7})) == "array([10000000., 20000000.])");
}

TEST_CASE("numpy_repr: E11 a ratio of exactly 1000 stays positional") {
  CHECK(array_repr(f64({2}, {1000.0, 1.0})) == "array([1000.,    1.])");
}

TEST_CASE("numpy_repr: E12 0.0001 in float64 is not below 1e-4") {
  CHECK(array_repr(f64({2}, {0.0001, 0.001})) == "array([0.0001, 0.001 ])");
}

TEST_CASE("numpy_repr: E13 long fractions are rounded to 8 digits") {
  CHECK(array_repr(f64({2}, {0.00012345678, 0.1})) == "array([0.00012346, 0.1       ])");
}

TEST_CASE("numpy_repr: E14 an exact tie rounds to even") {
  CHECK(array_repr(f64({2}, {0.001953125, 0.5})) == "array([0.00195312, 0.5       ])");
}

TEST_CASE("numpy_repr: E15 rounding uses the exact binary value") {
  CHECK(array_repr(f64({2}, {0.836044505, 0.342852495})) == "array([0.83604451, 0.34285249])");
}

TEST_CASE("numpy_repr: E16 rounding to 8 digits can leave no fraction digits") {
  CHECK(array_repr(f64({2}, {0.999999999, 1.0})) == "array([1., 1.])");
}

TEST_CASE("numpy_repr: E17 float16 65504 keeps its exact integer part in an array") {
  CHECK(array_repr(f16({1}, {65504})) == "array([65504.], dtype=float16)");
}

TEST_CASE("numpy_repr: E18 float32 50331648 keeps its exact integer part in an array") {
  CHECK(array_repr(f32({1}, {50331648.0})) == "array([50331648.], dtype=float32)");
}

TEST_CASE("numpy_repr: E19 zeros print as 0.") {
  Tensor t = f32({3}, {0, 0, 0});
  CHECK(array_repr(t) == "array([0., 0., 0.], dtype=float32)");
  CHECK(array_str(t) == "[0. 0. 0.]");
}

// ---- Scientific notation ----

TEST_CASE("numpy_repr: E20 a value below 1e-4 switches to scientific") {
  Tensor t = f64({2}, {1e-5, 1.0});
  CHECK(array_repr(t) == "array([1.e-05, 1.e+00])");
  CHECK(array_str(t) == "[1.e-05 1.e+00]");
}

TEST_CASE("numpy_repr: E21 a value of 1e8 switches to scientific") {
  CHECK(array_repr(f64({2}, {1e8, 1.0})) == "array([1.e+08, 1.e+00])");
}

TEST_CASE("numpy_repr: E22 a ratio above 1000 switches to scientific") {
  CHECK(array_repr(f64({2}, {1001.0, 1.0})) == "array([1.001e+03, 1.000e+00])");
}

TEST_CASE("numpy_repr: E23 float32 0.0001 is below 1e-4") {
  CHECK(array_repr(f32({1}, {0.0001})) == "array([1.e-04], dtype=float32)");
}

TEST_CASE("numpy_repr: E24 float64 0.0001 next to 1 is scientific by ratio") {
  CHECK(array_repr(f64({2}, {0.0001, 1.0})) == "array([1.e-04, 1.e+00])");
}

TEST_CASE("numpy_repr: E25 scientific mantissas share the longest digit count") {
  CHECK(array_repr(f32({2}, {0.1, 100.1})) == "array([1.000e-01, 1.001e+02], dtype=float32)");
}

TEST_CASE("numpy_repr: E26 extra mantissa digits are the value's true digits") {
  CHECK(array_repr(f32({2}, {0.3, 1.23456789e-5})) ==
        "array([3.0000001e-01, 1.2345679e-05], dtype=float32)");
}

TEST_CASE("numpy_repr: E27 scientific mantissas are cut to 8 digits") {
  CHECK(array_repr(f64({2}, {1.23456789123e-5, 1.0})) == "array([1.23456789e-05, 1.00000000e+00])");
}

TEST_CASE("numpy_repr: E28 three-digit exponents widen every exponent") {
  CHECK(array_repr(f64({2}, {1e-100, 1.0})) == "array([1.e-100, 1.e+000])");
}

TEST_CASE("numpy_repr: E29 scientific sign padding") {
  CHECK(array_repr(f64({2}, {1.5e-10, -2.5e+20})) == "array([ 1.5e-10, -2.5e+20])");
}

TEST_CASE("numpy_repr: E30 large float32 is scientific with float32 digits") {
  CHECK(array_repr(f32({1}, {123456789.0})) == "array([1.2345679e+08], dtype=float32)");
}

TEST_CASE("numpy_repr: E31 zero in a scientific array") {
  CHECK(array_repr(f64({2}, {0.0, 1e-9})) == "array([0.e+00, 1.e-09])");
}

TEST_CASE("numpy_repr: E32 float16 scientific uses float16 digits") {
  CHECK(array_repr(f16({2}, {65504, 0.5})) == "array([6.55e+04, 5.00e-01], dtype=float16)");
}

// ---- nan, inf, negative zero ----

TEST_CASE("numpy_repr: E33 nan and -inf are right-aligned") {
  Tensor t = f64({3}, {kNan, 1.0, -kInf});
  CHECK(array_repr(t) == "array([ nan,   1., -inf])");
  CHECK(array_str(t) == "[ nan   1. -inf]");
}

TEST_CASE("numpy_repr: E34 inf in a scientific array") {
  CHECK(array_repr(f64({3}, {kInf, 0.5, 1e-9})) == "array([   inf, 5.e-01, 1.e-09])");
}

TEST_CASE("numpy_repr: E35 nan takes the common width") {
  CHECK(array_repr(f64({3}, {1.5, kNan, 100.25})) == "array([  1.5 ,    nan, 100.25])");
}

TEST_CASE("numpy_repr: E36 all-nan arrays print nan unpadded") {
  CHECK(array_repr(f32({2}, {kNan, kNan})) == "array([nan, nan], dtype=float32)");
}

TEST_CASE("numpy_repr: E37 negative zero keeps its sign") {
  Tensor t = f64({2}, {-0.0, 1.0});
  CHECK(array_repr(t) == "array([-0.,  1.])");
  CHECK(array_str(t) == "[-0.  1.]");
}

// ---- Integers, bool, complex, bytes ----

TEST_CASE("numpy_repr: E38 integers right-align to the widest") {
  Tensor t = i64({2}, {1, 1000000});
  CHECK(array_repr(t) == "array([      1, 1000000])");
  CHECK(array_str(t) == "[      1 1000000]");
}

TEST_CASE("numpy_repr: E39 int32 is not an implied dtype") {
  CHECK(array_repr(i32({2}, {1, 2})) == "array([1, 2], dtype=int32)");
}

TEST_CASE("numpy_repr: E40 int8 extremes") {
  CHECK(array_repr(make<std::int8_t>(DType::kInt8, {2}, std::vector<int>{-128, 127})) ==
        "array([-128,  127], dtype=int8)");
}

TEST_CASE("numpy_repr: E41 uint64 above 2^63 prints its unsigned value") {
  Tensor t = make<std::uint64_t>(DType::kUInt64, {2},
                                 std::vector<std::uint64_t>{0, 18446744073709551615ull});
  CHECK(array_repr(t) == "array([                   0, 18446744073709551615], dtype=uint64)");
}

TEST_CASE("numpy_repr: E42 bool elements are five wide") {
  Tensor t = boolean({2}, {1, 0});
  CHECK(array_repr(t) == "array([ True, False])");
  CHECK(array_str(t) == "[ True False]");
}

TEST_CASE("numpy_repr: E43 complex64 formats real and imaginary parts separately") {
  Tensor t = c64({2}, {{1, 2}, {3.5, -1}});
  CHECK(array_repr(t) == "array([1. +2.j, 3.5-1.j], dtype=complex64)");
  CHECK(array_str(t) == "[1. +2.j 3.5-1.j]");
}

TEST_CASE("numpy_repr: E44 string tensors print as object arrays of bytes") {
  Tensor t = Tensor::from_strings({2}, {"a", "bc"});
  CHECK(array_repr(t) == "array([b'a', b'bc'], dtype=object)");
  CHECK(array_str(t) == "[b'a' b'bc']");
}

// ---- 0-d and empty arrays ----

TEST_CASE("numpy_repr: E45 0-d float32 array repr and scalar str") {
  Tensor t = f32({}, {28.0});
  CHECK(array_repr(t) == "array(28., dtype=float32)");
  CHECK(array_str(t) == "28.0");
}

TEST_CASE("numpy_repr: E46 0-d bool prints True without padding") {
  Tensor t = boolean({}, {1});
  CHECK(array_repr(t) == "array(True)");
  CHECK(array_str(t) == "True");
}

TEST_CASE("numpy_repr: E47 0-d float16 65504: exact in the array, zero-filled as a scalar") {
  Tensor t = f16({}, {65504});
  CHECK(array_repr(t) == "array(65504., dtype=float16)");
  CHECK(array_str(t) == "65500.0");
}

TEST_CASE("numpy_repr: E48 empty float32 vector") {
  Tensor t = f32({0}, {});
  CHECK(array_repr(t) == "array([], dtype=float32)");
  CHECK(array_str(t) == "[]");
}

TEST_CASE("numpy_repr: E49 empty int64 vector shows its dtype") {
  CHECK(array_repr(i64({0}, {})) == "array([], dtype=int64)");
}

TEST_CASE("numpy_repr: E50 zero-size 2-D shows its shape") {
  Tensor t = f32({0, 3}, {});
  CHECK(array_repr(t) == "array([], shape=(0, 3), dtype=float32)");
  CHECK(array_str(t) == "[]");
}

TEST_CASE("numpy_repr: E51 zero-size int64 shows shape and dtype") {
  CHECK(array_repr(i64({2, 0}, {})) == "array([], shape=(2, 0), dtype=int64)");
}

// ---- Wrapping and the dtype line ----

TEST_CASE("numpy_repr: E52 dtype moves to its own line when it would pass 75 columns") {
  CHECK(array_repr(arange_f32(11, {11})) ==
        "array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10.],\n"
        "      dtype=float32)");
}

TEST_CASE("numpy_repr: E53 wrapped rows continue at the row's indent") {
  Tensor t = arange_f32(30, {1, 30});
  CHECK(array_repr(t) ==
        "array([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.,\n"
        "        13., 14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25.,\n"
        "        26., 27., 28., 29.]], dtype=float32)");
  CHECK(array_str(t) ==
        "[[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
        "  18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]]");
}

TEST_CASE("numpy_repr: E54 repr lines hold 17 two-digit ints, str lines 24") {
  Tensor t = arange_i64(30, {30});
  CHECK(array_repr(t) ==
        "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n"
        "       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])");
  CHECK(array_str(t) ==
        "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n"
        " 24 25 26 27 28 29]");
}

TEST_CASE("numpy_repr: E55 wrapped float32 linspace") {
  std::vector<double> values;
  for (int i = 0; i < 11; ++i) values.push_back(static_cast<float>(i * (1.0 / 11)));
  values.push_back(1.0);
  Tensor t = f32({12}, values);
  CHECK(array_repr(t) ==
        "array([0.        , 0.09090909, 0.18181819, 0.27272728, 0.36363637,\n"
        "       0.45454547, 0.54545456, 0.6363636 , 0.72727275, 0.8181818 ,\n"
        "       0.90909094, 1.        ], dtype=float32)");
  CHECK(array_str(t) ==
        "[0.         0.09090909 0.18181819 0.27272728 0.36363637 0.45454547\n"
        " 0.54545456 0.6363636  0.72727275 0.8181818  0.90909094 1.        ]");
}

TEST_CASE("numpy_repr: E56 wrapped bools") {
  std::vector<int> values;
  for (int i = 0; i < 20; ++i) values.push_back(i % 2 == 0);
  CHECK(array_repr(boolean({20}, values)) ==
        "array([ True, False,  True, False,  True, False,  True, False,  True,\n"
        "       False,  True, False,  True, False,  True, False,  True, False,\n"
        "        True, False])");
}

// ---- 3-D and 4-D ----

TEST_CASE("numpy_repr: E57 3-D blocks are separated by a blank line") {
  Tensor t = arange_i64(24, {2, 3, 4});
  CHECK(array_repr(t) ==
        "array([[[ 0,  1,  2,  3],\n"
        "        [ 4,  5,  6,  7],\n"
        "        [ 8,  9, 10, 11]],\n"
        "\n"
        "       [[12, 13, 14, 15],\n"
        "        [16, 17, 18, 19],\n"
        "        [20, 21, 22, 23]]])");
  CHECK(array_str(t) ==
        "[[[ 0  1  2  3]\n"
        "  [ 4  5  6  7]\n"
        "  [ 8  9 10 11]]\n"
        "\n"
        " [[12 13 14 15]\n"
        "  [16 17 18 19]\n"
        "  [20 21 22 23]]]");
}

TEST_CASE("numpy_repr: E58 4-D blocks are separated by two blank lines") {
  CHECK(array_repr(arange_f32(16, {2, 2, 2, 2})) ==
        "array([[[[ 0.,  1.],\n"
        "         [ 2.,  3.]],\n"
        "\n"
        "        [[ 4.,  5.],\n"
        "         [ 6.,  7.]]],\n"
        "\n"
        "\n"
        "       [[[ 8.,  9.],\n"
        "         [10., 11.]],\n"
        "\n"
        "        [[12., 13.],\n"
        "         [14., 15.]]]], dtype=float32)");
}

// ---- Summarisation ----

TEST_CASE("numpy_repr: E59 summarised float32 vector") {
  Tensor t = arange_f32(2000, {2000});
  CHECK(array_repr(t) ==
        "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n"
        "       1.999e+03], dtype=float32)");
  CHECK(array_str(t) == "[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]");
}

TEST_CASE("numpy_repr: E60 1001 elements are summarised") {
  Tensor t = arange_i64(1001, {1001});
  CHECK(array_repr(t) == "array([   0,    1,    2, ...,  998,  999, 1000])");
  CHECK(array_str(t) == "[   0    1    2 ...  998  999 1000]");
}

TEST_CASE("numpy_repr: E61 summarised 2-D int64") {
  CHECK(array_repr(arange_i64(2500, {50, 50})) ==
        "array([[   0,    1,    2, ...,   47,   48,   49],\n"
        "       [  50,   51,   52, ...,   97,   98,   99],\n"
        "       [ 100,  101,  102, ...,  147,  148,  149],\n"
        "       ...,\n"
        "       [2350, 2351, 2352, ..., 2397, 2398, 2399],\n"
        "       [2400, 2401, 2402, ..., 2447, 2448, 2449],\n"
        "       [2450, 2451, 2452, ..., 2497, 2498, 2499]])");
}

TEST_CASE("numpy_repr: E62 summarised 2-D float32 with wrapped rows") {
  Tensor t = Tensor::allocate(DType::kFloat32, {50, 50});
  for (int i = 0; i < 2500; ++i) t.mutable_data<float>()[i] = static_cast<float>(i) / 7.0f;
  CHECK(array_repr(t) ==
        "array([[0.0000000e+00, 1.4285715e-01, 2.8571430e-01, ..., 6.7142859e+00,\n"
        "        6.8571429e+00, 7.0000000e+00],\n"
        "       [7.1428571e+00, 7.2857141e+00, 7.4285712e+00, ..., 1.3857142e+01,\n"
        "        1.4000000e+01, 1.4142858e+01],\n"
        "       [1.4285714e+01, 1.4428572e+01, 1.4571428e+01, ..., 2.1000000e+01,\n"
        "        2.1142857e+01, 2.1285715e+01],\n"
        "       ...,\n"
        "       [3.3571429e+02, 3.3585715e+02, 3.3600000e+02, ..., 3.4242856e+02,\n"
        "        3.4257144e+02, 3.4271429e+02],\n"
        "       [3.4285715e+02, 3.4300000e+02, 3.4314285e+02, ..., 3.4957144e+02,\n"
        "        3.4971429e+02, 3.4985715e+02],\n"
        "       [3.5000000e+02, 3.5014285e+02, 3.5028571e+02, ..., 3.5671429e+02,\n"
        "        3.5685715e+02, 3.5700000e+02]], dtype=float32)");
}

TEST_CASE("numpy_repr: E63 hidden elements do not influence the format") {
  std::vector<double> values(1006, 1e10);
  for (int i : {0, 1, 2, 1003, 1004, 1005}) values[static_cast<std::size_t>(i)] = 1.0;
  CHECK(array_repr(f32({1006}, values)) == "array([1., 1., 1., ..., 1., 1., 1.], dtype=float32)");
}

TEST_CASE("numpy_repr: E64 gaps in outer axes take a line and the block separator") {
  CHECK(array_repr(arange_i64(1001, {1001, 1, 1})) ==
        "array([[[   0]],\n"
        "\n"
        "       [[   1]],\n"
        "\n"
        "       [[   2]],\n"
        "\n"
        "       ...,\n"
        "\n"
        "       [[ 998]],\n"
        "\n"
        "       [[ 999]],\n"
        "\n"
        "       [[1000]]])");
}

TEST_CASE("numpy_repr: E65 summarised 3-D float32 with wrapped rows") {
  Tensor t = Tensor::allocate(DType::kFloat32, {2, 2, 300});
  for (int i = 0; i < 1200; ++i) t.mutable_data<float>()[i] = static_cast<float>(i) / 4.0f;
  CHECK(array_repr(t) ==
        "array([[[0.0000e+00, 2.5000e-01, 5.0000e-01, ..., 7.4250e+01,\n"
        "         7.4500e+01, 7.4750e+01],\n"
        "        [7.5000e+01, 7.5250e+01, 7.5500e+01, ..., 1.4925e+02,\n"
        "         1.4950e+02, 1.4975e+02]],\n"
        "\n"
        "       [[1.5000e+02, 1.5025e+02, 1.5050e+02, ..., 2.2425e+02,\n"
        "         2.2450e+02, 2.2475e+02],\n"
        "        [2.2500e+02, 2.2525e+02, 2.2550e+02, ..., 2.9925e+02,\n"
        "         2.9950e+02, 2.9975e+02]]], dtype=float32)");
}

TEST_CASE("numpy_repr: a 1000x1000 tensor is formatted from its shown corner only") {
  // Every hidden element is 1e10; reading any of them would force scientific notation.
  Tensor t = Tensor::allocate(DType::kFloat32, {1000, 1000});
  float* data = t.mutable_data<float>();
  for (int i = 0; i < 1000 * 1000; ++i) data[i] = 1e10f;
  for (int r : {0, 1, 2, 997, 998, 999})
    for (int c : {0, 1, 2, 997, 998, 999}) data[r * 1000 + c] = 1.0f;
  CHECK(array_repr(t) ==
        "array([[1., 1., 1., ..., 1., 1., 1.],\n"
        "       [1., 1., 1., ..., 1., 1., 1.],\n"
        "       [1., 1., 1., ..., 1., 1., 1.],\n"
        "       ...,\n"
        "       [1., 1., 1., ..., 1., 1., 1.],\n"
        "       [1., 1., 1., ..., 1., 1., 1.],\n"
        "       [1., 1., 1., ..., 1., 1., 1.]], dtype=float32)");
  CHECK(array_str(t) ==
        "[[1. 1. 1. ... 1. 1. 1.]\n"
        " [1. 1. 1. ... 1. 1. 1.]\n"
        " [1. 1. 1. ... 1. 1. 1.]\n"
        " ...\n"
        " [1. 1. 1. ... 1. 1. 1.]\n"
        " [1. 1. 1. ... 1. 1. 1.]\n"
        " [1. 1. 1. ... 1. 1. 1.]]");
}

// ---- numpy scalars (numpy-repr.md §6) ----

TEST_CASE("numpy_repr: float scalars print shortest digits, zero-filled, in their own precision") {
  CHECK(scalar_text(f32({}, {28.0})) == "28.0");
  CHECK(scalar_text(f32({}, {0.1})) == "0.1");
  CHECK(scalar_text(f32({}, {1.0 / 3})) == "0.33333334");
  CHECK(scalar_text(f64({}, {1.0 / 3})) == "0.3333333333333333");
  CHECK(scalar_text(f16({}, {1.0 / 3})) == "0.3333");
  CHECK(scalar_text(f16({}, {65504})) == "65500.0");
  CHECK(scalar_text(f32({}, {50331648.0})) == "50331650.0");
  CHECK(scalar_text(f32({}, {123456789.0})) == "123456790.0");
  CHECK(scalar_text(f32({}, {1e15})) == "1000000000000000.0");
  CHECK(scalar_text(f64({}, {1e16})) == "1e+16");
  CHECK(scalar_text(f64({}, {9999999999999998.0})) == "9999999999999998.0");
  CHECK(scalar_text(f32({}, {0.0001})) == "1e-04");
  CHECK(scalar_text(f64({}, {0.0001})) == "0.0001");
  CHECK(scalar_text(f64({}, {1e-5})) == "1e-05");
  CHECK(scalar_text(f32({}, {-0.0})) == "-0.0");
  CHECK(scalar_text(f32({}, {kNan})) == "nan");
  CHECK(scalar_text(f64({}, {-kInf})) == "-inf");
  CHECK(scalar_text(f32({}, {3.4028235e38})) == "3.4028235e+38");
  CHECK(scalar_text(f32({}, {1e-45})) == "1e-45");
}

TEST_CASE("numpy_repr: int, bool, complex and bytes scalars") {
  CHECK(scalar_text(i32({}, {5})) == "5");
  CHECK(scalar_text(make<std::uint8_t>(DType::kUInt8, {}, std::vector<int>{255})) == "255");
  CHECK(scalar_text(boolean({}, {1})) == "True");
  CHECK(scalar_text(c64({}, {{1, 2}})) == "(1+2j)");
  CHECK(scalar_text(Tensor::from_strings({}, {"hello"})) == "b'hello'");
}

TEST_CASE("numpy_repr: complex scalars follow Python's complex repr") {
  using C = std::complex<double>;
  auto c128 = [](C value) {
    return scalar_text(make<C>(DType::kComplex128, {}, std::vector<C>{value}));
  };
  CHECK(c128(C(0, 2)) == "2j");
  CHECK(c128(C(0, -0.0)) == "-0j");
  CHECK(c128(C(-0.0, 1)) == "(-0+1j)");
  CHECK(c128(C(1, kNan)) == "(1+nanj)");
  CHECK(c128(C(kInf, -kInf)) == "(inf-infj)");
  CHECK(c128(C(0, kInf)) == "infj");
  CHECK(c128(C(1e20, 1e-5)) == "(1e+20+1e-05j)");
  CHECK(c128(C(123456789, 1)) == "(123456789+1j)");
  CHECK(scalar_text(c64({}, {{123456789.0f, 1.0f}})) == "(123456790+1j)");
}

// ---- TF wrappers (tf-semantics.md A.2, A.3) ----

TEST_CASE("numpy_repr: TF wrappers of 0-d tensors show numpy scalar text") {
  CHECK(tensor_repr(f32({}, {28.0})) == "<tf.Tensor: shape=(), dtype=float32, numpy=28.0>");
  CHECK(tensor_str(f32({}, {28.0})) == "tf.Tensor(28.0, shape=(), dtype=float32)");
  CHECK(tensor_repr(i32({}, {5})) == "<tf.Tensor: shape=(), dtype=int32, numpy=5>");
  CHECK(tensor_repr(boolean({}, {1})) == "<tf.Tensor: shape=(), dtype=bool, numpy=True>");
  Tensor hello = Tensor::from_strings({}, {"hello"});
  CHECK(tensor_repr(hello) == "<tf.Tensor: shape=(), dtype=string, numpy=b'hello'>");
  CHECK(tensor_str(hello) == "tf.Tensor(b'hello', shape=(), dtype=string)");
}

TEST_CASE("numpy_repr: TF wrappers of one-line arrays follow numpy= directly") {
  Tensor v = f32({4}, {1, 2, 3, 4});
  CHECK(tensor_repr(v) ==
        "<tf.Tensor: shape=(4,), dtype=float32, numpy=array([1., 2., 3., 4.], dtype=float32)>");
  CHECK(tensor_str(v) == "tf.Tensor([1. 2. 3. 4.], shape=(4,), dtype=float32)");
  CHECK(tensor_repr(i64({2}, {1, 2})) ==
        "<tf.Tensor: shape=(2,), dtype=int64, numpy=array([1, 2])>");
  Tensor d = f64({2}, {1.5, 2.0});
  CHECK(tensor_repr(d) == "<tf.Tensor: shape=(2,), dtype=float64, numpy=array([1.5, 2. ])>");
  CHECK(tensor_str(d) == "tf.Tensor([1.5 2. ], shape=(2,), dtype=float64)");
  CHECK(tensor_repr(boolean({1, 1}, {1})) ==
        "<tf.Tensor: shape=(1, 1), dtype=bool, numpy=array([[ True]])>");
  Tensor s = Tensor::from_strings({2}, {"a", "bc"});
  CHECK(tensor_repr(s) ==
        "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'bc'], dtype=object)>");
  CHECK(tensor_str(s) == "tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)");
  Tensor e = f32({0, 3}, {});
  CHECK(tensor_repr(e) ==
        "<tf.Tensor: shape=(0, 3), dtype=float32, numpy=array([], shape=(0, 3), dtype=float32)>");
  CHECK(tensor_str(e) == "tf.Tensor([], shape=(0, 3), dtype=float32)");
}

TEST_CASE("numpy_repr: TF wrappers put multi-line numpy text on its own line") {
  Tensor m = i32({2, 2}, {1, 2, 3, 4});
  CHECK(tensor_repr(m) ==
        "<tf.Tensor: shape=(2, 2), dtype=int32, numpy=\n"
        "array([[1, 2],\n"
        "       [3, 4]], dtype=int32)>");
  CHECK(tensor_str(m) ==
        "tf.Tensor(\n"
        "[[1 2]\n"
        " [3 4]], shape=(2, 2), dtype=int32)");
  Tensor r = arange_f32(11, {11});
  CHECK(tensor_repr(r) ==
        "<tf.Tensor: shape=(11,), dtype=float32, numpy=\n"
        "array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10.],\n"
        "      dtype=float32)>");
  CHECK(tensor_str(r) ==
        "tf.Tensor([ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10.], shape=(11,), dtype=float32)");
}

TEST_CASE("numpy_repr: variables print name, shape and dtype without a comma between them") {
  CHECK(ag::format::variable_repr("Variable:0", f32({}, {2.0})) ==
        "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=2.0>");
  CHECK(ag::format::variable_repr("x", arange_f32(4, {4, 1})) ==
        "<tf.Variable 'x:0' shape=(4, 1) dtype=float32, numpy=\n"
        "array([[0.],\n"
        "       [1.],\n"
        "       [2.],\n"
        "       [3.]], dtype=float32)>");
}

TEST_CASE("numpy_repr: numpy_value_repr is numpy's repr, scalar text for 0-d") {
  CHECK(ag::format::numpy_value_repr(f32({2}, {1, 2})) == "array([1., 2.], dtype=float32)");
  CHECK(ag::format::numpy_value_repr(f32({}, {0.1})) == "0.1");
}

// ---- Other dtypes and robustness ----

TEST_CASE("numpy_repr: bytes elements use Python's bytes repr") {
  using ag::format::bytes_repr;
  CHECK(bytes_repr("a") == "b'a'");
  CHECK(bytes_repr("it's") == "b\"it's\"");
  CHECK(bytes_repr(std::string("\0\n\t\\\r", 5)) == "b'\\x00\\n\\t\\\\\\r'");
  CHECK(bytes_repr("both '\"") == "b'both \\'\"'");
  CHECK(bytes_repr("\xc3\xa9\x7f") == "b'\\xc3\\xa9\\x7f'");
  CHECK(bytes_repr("say \"hi\"") == "b'say \"hi\"'");
  CHECK(bytes_repr("") == "b''");
  CHECK(array_repr(Tensor::from_strings({2}, {"it's", std::string(1, '\0')})) ==
        "array([b\"it's\", b'\\x00'], dtype=object)");
}

TEST_CASE("numpy_repr: bfloat16 prints TF's own scalar text, %g and unpadded") {
  Tensor t = Tensor::allocate(DType::kBFloat16, {4});
  std::uint16_t* data = t.mutable_data<std::uint16_t>();
  data[0] = ag::float_to_bfloat16(1.0f);
  data[1] = ag::float_to_bfloat16(2.5f);
  data[2] = ag::float_to_bfloat16(3.140625f);
  data[3] = ag::float_to_bfloat16(-1e10f);
  CHECK(array_repr(t) == "array([1, 2.5, 3.14062, -9.99922e+09], dtype=bfloat16)");
  CHECK(array_str(t) == "[1 2.5 3.14062 -9.99922e+09]");
  Tensor s = Tensor::scalar(DType::kBFloat16, 1.0);
  CHECK(tensor_repr(s) == "<tf.Tensor: shape=(), dtype=bfloat16, numpy=1>");
}

TEST_CASE("numpy_repr: quantized tensors print as one-field structured arrays") {
  Tensor t = make<std::int8_t>(DType::kQInt8, {2}, std::vector<int>{1, -20});
  CHECK(array_repr(t) == "array([(  1,), (-20,)], dtype=[('qint8', 'i1')])");
  CHECK(array_str(t) == "[(  1,) (-20,)]");
  CHECK(scalar_text(make<std::int32_t>(DType::kQInt32, {}, std::vector<int>{5})) == "(5,)");
}

TEST_CASE("numpy_repr: extremes of every integer dtype") {
  auto pair = [](auto lo, auto hi, DType dtype) {
    using T = decltype(lo);
    return array_repr(make<T>(dtype, {2}, std::vector<T>{lo, hi}));
  };
  CHECK(pair(std::uint8_t(0), std::uint8_t(255), DType::kUInt8) ==
        "array([  0, 255], dtype=uint8)");
  CHECK(pair(std::int16_t(-32768), std::int16_t(32767), DType::kInt16) ==
        "array([-32768,  32767], dtype=int16)");
  CHECK(pair(std::uint16_t(0), std::uint16_t(65535), DType::kUInt16) ==
        "array([    0, 65535], dtype=uint16)");
  CHECK(pair(std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(),
             DType::kInt32) == "array([-2147483648,  2147483647], dtype=int32)");
  CHECK(pair(std::uint32_t(0), std::numeric_limits<std::uint32_t>::max(), DType::kUInt32) ==
        "array([         0, 4294967295], dtype=uint32)");
  CHECK(pair(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
             DType::kInt64) == "array([-9223372036854775808,  9223372036854775807])");
}

TEST_CASE("numpy_repr: extremes and subnormals of every float dtype") {
  CHECK(array_repr(f16({4}, {65504, -65504, 6.103515625e-05, 5.960464477539063e-08})) ==
        "array([ 6.550e+04, -6.550e+04,  6.104e-05,  5.960e-08], dtype=float16)");
  CHECK(scalar_text(f16({}, {5.960464477539063e-08})) == "6e-08");
  double max32 = std::numeric_limits<float>::max();
  CHECK(array_repr(f32({4}, {max32, -max32, 1.1754943508222875e-38, 1.401298464324817e-45})) ==
        "array([ 3.4028235e+38, -3.4028235e+38,  1.1754944e-38,  1.4012985e-45],\n"
        "      dtype=float32)");
  double max64 = std::numeric_limits<double>::max();
  CHECK(array_repr(f64({4}, {max64, -max64, 2.2250738585072014e-308, 5e-324})) ==
        "array([ 1.79769313e+308, -1.79769313e+308,  2.22507386e-308,\n"
        "        4.94065646e-324])");
  CHECK(scalar_text(f64({}, {5e-324})) == "5e-324");
  CHECK(scalar_text(f64({}, {max64})) == "1.7976931348623157e+308");
  CHECK(array_repr(f64({3}, {1e-300, 1e300, kNan})) == "array([1.e-300, 1.e+300,     nan])");
}

TEST_CASE("numpy_repr: complex arrays align both parts, nan and inf included") {
  using C = std::complex<double>;
  Tensor t = make<C>(DType::kComplex128, {2, 2},
                     std::vector<C>{{1, 1}, {kNan, kInf}, {-2.5, -0.5}, {0, 0}});
  CHECK(array_repr(t) ==
        "array([[ 1. +1.j ,  nan+infj],\n"
        "       [-2.5-0.5j,  0. +0.j ]])");
}

TEST_CASE("numpy_repr: 10-D and zero-size shapes anywhere") {
  Shape ten(9, 1);
  ten.push_back(2);
  Tensor t = make<std::int32_t>(DType::kInt32, ten, std::vector<int>{1, 1});
  CHECK(array_repr(t) == "array([[[[[[[[[[1, 1]]]]]]]]]], dtype=int32)");
  CHECK(array_str(t) == "[[[[[[[[[[1 1]]]]]]]]]]");
  CHECK(array_repr(f32({2, 3, 0, 1}, {})) == "array([], shape=(2, 3, 0, 1), dtype=float32)");
  CHECK(tensor_str(f32({2, 3, 0, 1}, {})) == "tf.Tensor([], shape=(2, 3, 0, 1), dtype=float32)");
  CHECK(array_repr(arange_f32(6, {1, 2, 3}).reshaped({1, 2, 3})) ==
        "array([[[0., 1., 2.],\n"
        "        [3., 4., 5.]]], dtype=float32)");
}

TEST_CASE("numpy_repr: a tensor without storage prints <unprintable> instead of being read") {
  CHECK(tensor_repr(Tensor()) == "<tf.Tensor: shape=(), dtype=float32, numpy=<unprintable>>");
  CHECK(tensor_str(Tensor()) == "tf.Tensor(<unprintable>, shape=(), dtype=float32)");
}
