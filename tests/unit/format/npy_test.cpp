// Tests for the .npy reader and writer: numpy.save's exact bytes, byte order, Fortran order,
// versions, strings, and a clear message for every kind of bad file.
#include <doctest/doctest.h>

#include <complex>
#include <cstdint>
#include <cstring>
#include <string>

#include "diag/error.h"
#include "format/npy.h"

namespace {

using ag::DType;
using ag::Tensor;
using ag::format::read_npy;
using ag::format::write_npy;

/// A .npy file: magic, version, little-endian header length, the header padded to 64 bytes.
std::string npy_file(int major, const std::string& dict, const std::string& data) {
  std::size_t length_bytes = major == 1 ? 2 : 4;
  std::size_t total = 6 + 2 + length_bytes + dict.size() + 1;
  std::size_t padding = (64 - total % 64) % 64;
  std::string header = dict + std::string(padding, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (std::size_t i = 0; i < length_bytes; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string read_error(const std::string& bytes) {
  try {
    read_npy(bytes, "x.npy");
  } catch (const ag::UserError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("npy: the writer produces numpy.save's bytes") {
  // numpy 1.24: np.save(f, np.zeros((4, 1), '<f4')) -- a 118-byte header, then 16 data bytes.
  Tensor t = Tensor::allocate(DType::kFloat32, {4, 1});
  std::memset(t.raw_mutable(), 0, 16);
  std::string bytes = write_npy(t);
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1), }";
  REQUIRE(bytes.size() == 144);
  CHECK(bytes.substr(0, 10) == std::string("\x93NUMPY\x01\x00v\x00", 10));
  CHECK(bytes.substr(10, 118) == dict + std::string(118 - dict.size() - 1, ' ') + "\n");
  CHECK(bytes.substr(128) == std::string(16, '\0'));

  // np.save(f, np.array(3.5)): no spare digits after a 0-d shape.
  std::string scalar = write_npy(Tensor::scalar(DType::kFloat64, 3.5));
  std::string scalar_dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
  CHECK(scalar.size() == 136);
  CHECK(scalar.substr(10, 118) == scalar_dict + std::string(118 - scalar_dict.size() - 1, ' ') + "\n");
  double value = 0;
  std::memcpy(&value, scalar.data() + 128, 8);
  CHECK(value == 3.5);

  std::string flags = write_npy(Tensor::allocate(DType::kBool, {2}));
  CHECK(flags.substr(10, 58) == "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), } ");
}

TEST_CASE("npy: every numeric dtype has numpy's descr") {
  CHECK(ag::format::npy_descr(DType::kInt8) == "|i1");
  CHECK(ag::format::npy_descr(DType::kUInt16) == "<u2");
  CHECK(ag::format::npy_descr(DType::kFloat16) == "<f2");
  CHECK(ag::format::npy_descr(DType::kComplex128) == "<c16");
  CHECK(ag::format::npy_descr(DType::kBFloat16) == "<f4");  // written widened, exactly
  CHECK(ag::format::npy_descr(DType::kQInt8).empty());
}

TEST_CASE("npy: write then read gives the same values, dtype and shape") {
  Tensor c = Tensor::allocate(DType::kComplex64, {2, 1});
  c.mutable_data<std::complex<float>>()[0] = {1.5f, -2.0f};
  c.mutable_data<std::complex<float>>()[1] = {0.0f, 0.25f};
  Tensor back = read_npy(write_npy(c), "c.npy");
  CHECK(back.dtype() == DType::kComplex64);
  CHECK(back.shape() == ag::Shape{2, 1});
  CHECK(std::memcmp(back.raw(), c.raw(), 16) == 0);

  Tensor s = read_npy(write_npy(Tensor::from_strings({3}, {"ab", "", "xyz"})), "s.npy");
  CHECK(s.dtype() == DType::kString);
  CHECK(s.strings() == std::vector<std::string>{"ab", "", "xyz"});

  Tensor b = read_npy(write_npy(Tensor::scalar(DType::kBFloat16, 0.1)), "b.npy");
  CHECK(b.dtype() == DType::kFloat32);
  CHECK(b.element_as_double(0) == ag::bfloat16_to_float(ag::float_to_bfloat16(0.1f)));
}

TEST_CASE("npy: big-endian files are byte-swapped") {
  std::string data("\x00\x00\x00\x01\xff\xff\xff\xfe", 8);
  Tensor t = read_npy(npy_file(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", data), "x.npy");
  CHECK(t.dtype() == DType::kInt32);
  CHECK(t.data<std::int32_t>()[0] == 1);
  CHECK(t.data<std::int32_t>()[1] == -2);

  std::string complex_data("\x3f\xf8\0\0\0\0\0\0\xc0\0\0\0\0\0\0\0", 16);  // 1.5 - 2j as two big-endian doubles
  Tensor c = read_npy(npy_file(1, "{'descr': '>c16', 'fortran_order': False, 'shape': (), }", complex_data), "c.npy");
  CHECK(c.data<std::complex<double>>()[0] == std::complex<double>(1.5, -2.0));
}

TEST_CASE("npy: Fortran order is read into row-major order") {
  // [[1, 2, 3], [4, 5, 6]] in column-major order is 1 4 2 5 3 6.
  std::string data;
  for (std::uint8_t v : {1, 4, 2, 5, 3, 6}) data += static_cast<char>(v);
  Tensor t = read_npy(npy_file(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", data), "x.npy");
  for (int i = 0; i < 6; ++i) CHECK(t.data<std::uint8_t>()[i] == i + 1);
}

TEST_CASE("npy: versions 2.0 and 3.0, Python 2 long suffixes and unicode arrays") {
  std::string one("\x01", 1);
  CHECK(read_npy(npy_file(2, "{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }", one), "x").dtype() == DType::kBool);
  CHECK(read_npy(npy_file(3, "{'descr': '|b1', 'fortran_order': False, 'shape': (1L,), }", one), "x").size() == 1);
  std::string ucs4("\x67\0\0\0\xfc\0\0\0\0\0\0\0", 12);  // "gü" padded to <U3
  Tensor u = read_npy(npy_file(3, "{'descr': '<U3', 'fortran_order': False, 'shape': (), }", ucs4), "u.npy");
  CHECK(u.strings()[0] == "g\xc3\xbc");
}

TEST_CASE("npy: a bad file gets a message saying what is wrong") {
  CHECK(read_error("PK\x03\x04") == "x.npy: not a .npy file (it does not start with \\x93NUMPY)");
  CHECK(read_error(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "abcd")) ==
        "x.npy: the .npy data is truncated: shape (2,) of '<f4' needs 8 bytes, the file has 4");
  CHECK(read_error(npy_file(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (), }", "")) ==
        "x.npy: structured dtypes (a descr list) are not supported; save a plain numeric array");
  CHECK(read_error(npy_file(1, "{'descr': '|O', 'fortran_order': False, 'shape': (), }", "")) ==
        "x.npy: unsupported .npy dtype '|O'");
  CHECK(read_error(npy_file(1, "{'descr': '<V2', 'fortran_order': False, 'shape': (), }", "")) ==
        "x.npy: unsupported .npy dtype '<V2' (raw bytes; a bfloat16 array from ml_dtypes? save it as float32)");
  CHECK(read_error(npy_file(1, "{'descr': '<f16', 'fortran_order': False, 'shape': (), }", "")) ==
        "x.npy: unsupported .npy dtype '<f16' (long double has no TensorFlow dtype)");
  CHECK(read_error(npy_file(1, "{'descr': '<f4', 'shape': (), }", "")) == "x.npy: the .npy header lacks 'fortran_order'");
  std::string bad_version = npy_file(1, "{}", "");
  bad_version[6] = 4;
  CHECK(read_error(bad_version) == "x.npy: unsupported .npy format version 4.0 (1.0 to 3.0 are)");
  CHECK(read_error(npy_file(1, "{'descr': '<f4', 'fortran_order': maybe, 'shape': (), }", "")) ==
        "x.npy: malformed .npy header: fortran_order must be True or False");
}
