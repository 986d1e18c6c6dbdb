// Tests for --format json's values: shortest round-trip digits in each dtype's own precision,
// Python's float layout, JSON escapes, nesting by shape, and the object of each kind of value.
#include <doctest/doctest.h>

#include <complex>
#include <cstdint>
#include <limits>
#include <string>

#include "format/json_lines.h"

namespace {

using ag::DType;
using ag::Tensor;
using ag::format::json_element;
using ag::format::json_object;
using ag::format::json_string;
using ag::format::json_value;

Tensor scalar(DType dtype, double value) { return Tensor::scalar(dtype, value); }
std::string element(DType dtype, double value) { return json_element(scalar(dtype, value), 0); }

}  // namespace

TEST_CASE("json: float32 values use float32's shortest digits, not float64's") {
  CHECK(element(DType::kFloat32, 0.1) == "0.1");
  CHECK(element(DType::kFloat32, 1.0 / 3.0) == "0.33333334");
  CHECK(element(DType::kFloat32, 2.5e10) == "25000000000.0");
  CHECK(element(DType::kFloat32, 2.5e20) == "2.5e+20");
  CHECK(element(DType::kFloat64, 0.1) == "0.1");
  CHECK(element(DType::kFloat64, 1.0 / 3.0) == "0.3333333333333333");
  CHECK(element(DType::kFloat64, static_cast<double>(0.1f)) == "0.10000000149011612");
}

TEST_CASE("json: floats are laid out as Python's repr") {
  CHECK(element(DType::kFloat32, 12) == "12.0");
  CHECK(element(DType::kFloat32, 0) == "0.0");
  CHECK(element(DType::kFloat32, -0.0) == "-0.0");
  CHECK(element(DType::kFloat64, 1e-05) == "1e-05");
  CHECK(element(DType::kFloat64, 0.0001) == "0.0001");
  CHECK(element(DType::kFloat64, 1e16) == "1e+16");
  CHECK(element(DType::kFloat64, 1234567890123456.0) == "1234567890123456.0");
  CHECK(element(DType::kFloat64, -1.5e-300) == "-1.5e-300");
  CHECK(element(DType::kFloat32, 3.4028234663852886e38) == "3.4028235e+38");
}

TEST_CASE("json: half-precision values use their own shortest digits") {
  CHECK(element(DType::kFloat16, 0.1) == "0.1");            // stored as 0.0999755859375
  CHECK(element(DType::kFloat16, 65504) == "65500.0");      // numpy: float16(65500.) == 65504
  CHECK(element(DType::kBFloat16, 0.1) == "0.1");           // stored as 0.10009765625
  CHECK(element(DType::kBFloat16, 3.0) == "3.0");
}

TEST_CASE("json: non-finite values are strings") {
  double inf = std::numeric_limits<double>::infinity();
  CHECK(element(DType::kFloat32, std::nan("")) == "\"nan\"");
  CHECK(element(DType::kFloat64, inf) == "\"inf\"");
  CHECK(element(DType::kFloat16, -inf) == "\"-inf\"");
}

TEST_CASE("json: integers are exact, bools are true/false") {
  Tensor big = Tensor::allocate(DType::kInt64, {2});
  big.mutable_data<std::int64_t>()[0] = std::numeric_limits<std::int64_t>::min();
  big.mutable_data<std::int64_t>()[1] = std::numeric_limits<std::int64_t>::max();
  CHECK(json_value(big) == "[-9223372036854775808, 9223372036854775807]");
  Tensor unsigned_max = Tensor::allocate(DType::kUInt64, {});
  *unsigned_max.mutable_data<std::uint64_t>() = std::numeric_limits<std::uint64_t>::max();
  CHECK(json_value(unsigned_max) == "18446744073709551615");
  CHECK(element(DType::kInt8, -128) == "-128");
  CHECK(element(DType::kUInt32, 4294967295.0) == "4294967295");
  CHECK(element(DType::kBool, 1) == "true");
  CHECK(element(DType::kBool, 0) == "false");
}

TEST_CASE("json: complex values are Python's complex text in a string") {
  Tensor c = Tensor::allocate(DType::kComplex64, {3});
  c.mutable_data<std::complex<float>>()[0] = {1.0f, 2.0f};
  c.mutable_data<std::complex<float>>()[1] = {0.0f, -0.1f};
  c.mutable_data<std::complex<float>>()[2] = {-1.5f, 0.0f};
  CHECK(json_value(c) == "[\"(1+2j)\", \"-0.1j\", \"(-1.5+0j)\"]");
}

TEST_CASE("json: values nest by shape; a 0-d value is bare; empty axes are empty arrays") {
  Tensor m = Tensor::allocate(DType::kInt32, {2, 3});
  for (int i = 0; i < 6; ++i) m.mutable_data<std::int32_t>()[i] = i;
  CHECK(json_value(m) == "[[0, 1, 2], [3, 4, 5]]");
  CHECK(json_value(scalar(DType::kFloat32, 2.5)) == "2.5");
  CHECK(json_value(Tensor::allocate(DType::kFloat32, {0, 3})) == "[]");
  CHECK(json_value(Tensor::allocate(DType::kFloat32, {2, 0})) == "[[], []]");
}

TEST_CASE("json: strings are escaped, and bytes that are not UTF-8 become \\u00XX") {
  CHECK(json_string("a\"b\\c\n\t") == "\"a\\\"b\\\\c\\n\\t\"");
  CHECK(json_string("gr\xc3\xbc\xc3\x9f") == "\"gr\xc3\xbc\xc3\x9f\"");
  CHECK(json_string(std::string("\x01\xff", 2)) == "\"\\u0001\\u00ff\"");
  CHECK(json_string("\xc0\xaf") == "\"\\u00c0\\u00af\"");  // an overlong '/'
  CHECK(json_value(Tensor::from_strings({2}, {"x", "y\"z"})) == "[\"x\", \"y\\\"z\"]");
}

TEST_CASE("json: each kind of value has its object") {
  Tensor t = Tensor::allocate(DType::kFloat32, {4, 1});
  for (int i = 0; i < 4; ++i) t.mutable_data<float>()[i] = 4.0f * static_cast<float>(i);
  CHECK(json_object("specs/a.yaml", "dy_dx", ag::Value::of(t)) ==
        "{\"spec\": \"specs/a.yaml\", \"name\": \"dy_dx\", \"dtype\": \"float32\", \"shape\": [4, 1], "
        "\"value\": [[0.0], [4.0], [8.0], [12.0]]}");
  CHECK(json_object("a.yaml", "g", ag::Value::none()) ==
        "{\"spec\": \"a.yaml\", \"name\": \"g\", \"dtype\": null, \"shape\": null, \"value\": null}");
  CHECK(json_object("a.yaml", "n", ag::Value::of_int(7)) ==
        "{\"spec\": \"a.yaml\", \"name\": \"n\", \"dtype\": \"int64\", \"shape\": [], \"value\": 7}");
  CHECK(json_object("a.yaml", "f", ag::Value::of_float(0.1)) ==
        "{\"spec\": \"a.yaml\", \"name\": \"f\", \"dtype\": \"float64\", \"shape\": [], \"value\": 0.1}");
  CHECK(json_object("a.yaml", "x.dtype", ag::Value::of_dtype(DType::kFloat32)) ==
        "{\"spec\": \"a.yaml\", \"name\": \"x.dtype\", \"dtype\": null, \"shape\": null, \"value\": \"tf.float32\"}");
  auto variable = std::make_shared<ag::VariableState>();
  variable->name = "w";
  variable->value = scalar(DType::kFloat64, 0.5);
  ag::Value v;
  v.kind = ag::ValueKind::kVariable;
  v.variable = variable;
  CHECK(json_object("a.yaml", "w", v) ==
        "{\"spec\": \"a.yaml\", \"name\": \"w\", \"dtype\": \"float64\", \"shape\": [], \"value\": 0.5}");
}
