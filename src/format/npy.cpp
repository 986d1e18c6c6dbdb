// .npy reading and writing, following numpy/lib/format.py (numpy 1.24): a magic string, a
// version, a little-endian header length, a Python dict literal padded to 64 bytes, then the data.
#include "format/npy.h"

#include <cctype>
#include <complex>
#include <cstdint>
#include <cstring>
#include <vector>

#include "diag/error.h"

namespace ag::format {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLength = 6;
constexpr std::size_t kArrayAlign = 64;
constexpr std::size_t kGrowthAxisMaxDigits = 21;  // numpy's spare room after the header dict
constexpr std::size_t kMaxHeaderLength = 1 << 20;

[[noreturn]] void fail(const std::string& what, const std::string& message) {
  throw UserError(ExitCode::kUsage, what + ": " + message);
}

/// The three entries of the header dict.
struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

/// Reads the Python dict literal numpy writes: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
/// Only what numpy writes for a plain dtype is accepted (a structured descr is a list and is refused).
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& what) : text_(text), what_(what) {}

  Header parse() {
    Header header;
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (!accept('}')) {
      std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '[')
          fail(what_, "structured dtypes (a descr list) are not supported; save a plain numeric array");
        header.descr = string_literal();
        has_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = boolean();
        has_order = true;
      } else if (key == "shape") {
        header.shape = shape();
        has_shape = true;
      } else {
        fail(what_, "unexpected key '" + key + "' in the .npy header");
      }
      if (!accept(',')) {
        expect('}');
        break;
      }
    }
    if (!has_descr || !has_order || !has_shape)
      fail(what_, "the .npy header lacks " + std::string(!has_descr ? "'descr'" : !has_order ? "'fortran_order'" : "'shape'"));
    return header;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char ch) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ch) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char ch) {
    if (!accept(ch)) fail(what_, std::string("malformed .npy header: expected '") + ch + "' at byte " + std::to_string(pos_));
  }
  std::string string_literal() {
    skip_space();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      fail(what_, "malformed .npy header: expected a string at byte " + std::to_string(pos_));
    char quote = text_[pos_++];
    std::size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) fail(what_, "malformed .npy header: unterminated string");
    std::string value(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return value;
  }
  bool boolean() {
    skip_space();
    for (const char* word : {"True", "False"}) {
      std::size_t length = std::strlen(word);
      if (text_.compare(pos_, length, word) == 0) {
        pos_ += length;
        return word[0] == 'T';
      }
    }
    fail(what_, "malformed .npy header: fortran_order must be True or False");
  }
  Shape shape() {
    Shape dims;
    expect('(');
    while (!accept(')')) {
      skip_space();
      std::size_t start = pos_;
      std::int64_t dim = 0;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        if (dim > (INT64_MAX - 9) / 10) fail(what_, "a dimension in the .npy header is too large");
        dim = dim * 10 + (text_[pos_++] - '0');
      }
      if (pos_ == start) fail(what_, "malformed .npy header: shape must be a tuple of non-negative integers");
      if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2's long suffix, as numpy accepts
      dims.push_back(dim);
      if (!accept(',')) {
        expect(')');
        break;
      }
    }
    return dims;
  }

  std::string_view text_;
  const std::string& what_;
  std::size_t pos_ = 0;
};

/// A descr taken apart: byte order, kind letter and item size.
struct Descr {
  bool big_endian = false;
  char kind = 0;
  std::size_t item_size = 0;
  DType dtype = DType::kFloat32;
};

Descr parse_descr(const std::string& descr, const std::string& what) {
  Descr d;
  std::string rest = descr;
  if (!rest.empty() && (rest[0] == '<' || rest[0] == '>' || rest[0] == '|' || rest[0] == '=')) {
    d.big_endian = rest[0] == '>';
    rest = rest.substr(1);
  }
  if (rest == "?") rest = "b1";
  auto unsupported = [&](const std::string& why) { fail(what, "unsupported .npy dtype '" + descr + "'" + why); };
  if (rest.size() < 2 || !std::isdigit(static_cast<unsigned char>(rest[1]))) unsupported("");
  d.kind = rest[0];
  for (std::size_t i = 1; i < rest.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) unsupported("");
  if (rest.size() > 10) unsupported(" (item size too large)");
  d.item_size = std::stoull(rest.substr(1));
  std::string key = rest;
  if (key == "b1") d.dtype = DType::kBool;
  else if (key == "i1") d.dtype = DType::kInt8;
  else if (key == "i2") d.dtype = DType::kInt16;
  else if (key == "i4") d.dtype = DType::kInt32;
  else if (key == "i8") d.dtype = DType::kInt64;
  else if (key == "u1") d.dtype = DType::kUInt8;
  else if (key == "u2") d.dtype = DType::kUInt16;
  else if (key == "u4") d.dtype = DType::kUInt32;
  else if (key == "u8") d.dtype = DType::kUInt64;
  else if (key == "f2") d.dtype = DType::kFloat16;
  else if (key == "f4") d.dtype = DType::kFloat32;
  else if (key == "f8") d.dtype = DType::kFloat64;
  else if (key == "c8") d.dtype = DType::kComplex64;
  else if (key == "c16") d.dtype = DType::kComplex128;
  else if ((d.kind == 'S' || d.kind == 'U') && d.item_size > 0) d.dtype = DType::kString;
  else if (d.kind == 'V') unsupported(" (raw bytes; a bfloat16 array from ml_dtypes? save it as float32)");
  else if (d.kind == 'f' || d.kind == 'c') unsupported(" (long double has no TensorFlow dtype)");
  else if (d.kind == 'M' || d.kind == 'm') unsupported(" (datetimes have no TensorFlow dtype)");
  else unsupported("");
  return d;
}

/// Copies one element, reversing its bytes when the file's byte order is not the machine's
/// (complex parts are swapped each on its own).
void copy_element(const char* from, char* to, const Descr& d) {
  if (!d.big_endian || d.item_size == 1) {
    std::memcpy(to, from, d.item_size);
    return;
  }
  std::size_t part = d.kind == 'c' ? d.item_size / 2 : d.item_size;
  for (std::size_t offset = 0; offset < d.item_size; offset += part)
    for (std::size_t i = 0; i < part; ++i) to[offset + i] = from[offset + part - 1 - i];
}

/// The byte offset in the file of each row-major element: C order is the identity, Fortran order
/// reverses the strides.
std::vector<std::int64_t> element_order(const Shape& shape, bool fortran) {
  std::int64_t count = shape_size(shape);
  std::vector<std::int64_t> order(static_cast<std::size_t>(count));
  if (!fortran || shape.size() < 2) {
    for (std::int64_t i = 0; i < count; ++i) order[static_cast<std::size_t>(i)] = i;
    return order;
  }
  std::vector<std::int64_t> strides(shape.size());
  std::int64_t stride = 1;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  std::vector<std::int64_t> index(shape.size(), 0);
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t offset = 0;
    for (std::size_t axis = 0; axis < shape.size(); ++axis) offset += index[axis] * strides[axis];
    order[static_cast<std::size_t>(i)] = offset;
    for (std::size_t axis = shape.size(); axis-- > 0;) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  return order;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

/// One element of an 'S' (bytes) or 'U' (UCS-4) array, without numpy's trailing NUL padding.
std::string string_element(const char* from, const Descr& d, const std::string& what) {
  std::string text;
  if (d.kind == 'S') {
    text.assign(from, d.item_size);
  } else {
    for (std::size_t i = 0; i < d.item_size / 4; ++i) {
      const unsigned char* b = reinterpret_cast<const unsigned char*>(from + 4 * i);
      std::uint32_t code = d.big_endian ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3])
                                        : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 | b[0]);
      if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) fail(what, "invalid code point in a unicode array");
      append_utf8(text, code);
    }
  }
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

std::string shape_tuple(const Shape& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) text += ",";
  return text + ")";
}

}  // namespace

std::string npy_descr(DType dtype) {
  switch (dtype) {
    case DType::kBool: return "|b1";
    case DType::kInt8: return "|i1";
    case DType::kInt16: return "<i2";
    case DType::kInt32: return "<i4";
    case DType::kInt64: return "<i8";
    case DType::kUInt8: return "|u1";
    case DType::kUInt16: return "<u2";
    case DType::kUInt32: return "<u4";
    case DType::kUInt64: return "<u8";
    case DType::kFloat16: return "<f2";
    case DType::kBFloat16:
    case DType::kFloat32: return "<f4";
    case DType::kFloat64: return "<f8";
    case DType::kComplex64: return "<c8";
    case DType::kComplex128: return "<c16";
    default: return "";
  }
}

Tensor read_npy(std::string_view bytes, const std::string& what) {
  if (bytes.size() < kMagicLength + 2 || bytes.compare(0, kMagicLength, std::string_view(kMagic, kMagicLength)) != 0)
    fail(what, "not a .npy file (it does not start with \\x93NUMPY)");
  int major = static_cast<unsigned char>(bytes[6]);
  int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    fail(what, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) + " (1.0 to 3.0 are)");
  std::size_t length_bytes = major == 1 ? 2 : 4;
  std::size_t start = kMagicLength + 2 + length_bytes;
  if (bytes.size() < start) fail(what, "truncated .npy header");
  std::size_t header_length = 0;
  for (std::size_t i = length_bytes; i-- > 0;)
    header_length = header_length << 8 | static_cast<unsigned char>(bytes[kMagicLength + 2 + i]);
  if (header_length > kMaxHeaderLength)
    fail(what, "the .npy header is implausibly large (" + std::to_string(header_length) + " bytes)");
  if (bytes.size() < start + header_length) fail(what, "truncated .npy header");
  Header header = HeaderParser(bytes.substr(start, header_length), what).parse();
  Descr descr = parse_descr(header.descr, what);
  if (descr.kind == 'U') descr.item_size *= 4;
  std::int64_t count = shape_size(header.shape);
  std::string_view data = bytes.substr(start + header_length);
  if (descr.item_size != 0 && static_cast<std::uint64_t>(count) > data.size() / descr.item_size)
    fail(what, "the .npy data is truncated: shape " + shape_tuple(header.shape) + " of '" + header.descr + "' needs " +
                   std::to_string(static_cast<std::uint64_t>(count) * descr.item_size) + " bytes, the file has " +
                   std::to_string(data.size()));
  std::vector<std::int64_t> order = element_order(header.shape, header.fortran_order);
  if (descr.dtype == DType::kString) {
    std::vector<std::string> values;
    values.reserve(order.size());
    for (std::int64_t offset : order)
      values.push_back(string_element(data.data() + offset * static_cast<std::int64_t>(descr.item_size), descr, what));
    return Tensor::from_strings(header.shape, std::move(values));
  }
  Tensor tensor = Tensor::allocate(descr.dtype, header.shape);
  char* out = static_cast<char*>(tensor.raw_mutable());
  for (std::size_t i = 0; i < order.size(); ++i)
    copy_element(data.data() + order[i] * static_cast<std::int64_t>(descr.item_size), out + i * descr.item_size, descr);
  if (descr.dtype == DType::kBool) {
    // numpy treats any non-zero byte as True; a C++ bool must hold exactly 0 or 1.
    for (std::int64_t i = 0; i < count; ++i) out[i] = out[i] != 0;
  }
  return tensor;
}

std::string write_npy(const Tensor& tensor) {
  DType dtype = tensor.dtype();
  std::string descr = npy_descr(dtype);
  std::size_t string_width = 1;
  if (dtype == DType::kString) {
    for (const std::string& s : tensor.strings()) string_width = std::max(string_width, s.size());
    descr = "|S" + std::to_string(string_width);
  }
  if (descr.empty()) throw UserError(ExitCode::kEval, "cannot save a " + std::string(dtype_name(dtype)) + " tensor as .npy");
  const Shape& shape = tensor.shape();
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_tuple(shape) + ", }";
  if (!shape.empty()) dict.append(kGrowthAxisMaxDigits - std::to_string(shape[0]).size(), ' ');
  // Version 1.0 has a 2-byte header length; numpy moves to 2.0 only when the header needs more.
  // (numpy.lib.format._wrap_header_guess_version.) This tool writes on little-endian machines only.
  std::size_t header_length = dict.size() + 1;
  auto padding_for = [&](std::size_t prefix) { return kArrayAlign - (prefix + header_length) % kArrayAlign; };
  bool version2 = header_length + padding_for(kMagicLength + 4) > 0xFFFF;
  std::size_t padding = padding_for(kMagicLength + 2 + (version2 ? 4 : 2));
  header_length += padding;
  std::string out(kMagic, kMagicLength);
  out += static_cast<char>(version2 ? 2 : 1);
  out += '\0';
  for (std::size_t i = 0; i < (version2 ? 4u : 2u); ++i) out += static_cast<char>((header_length >> (8 * i)) & 0xFF);
  out += dict;
  out.append(padding, ' ');
  out += '\n';
  if (dtype == DType::kString) {
    for (const std::string& s : tensor.strings()) {
      out += s;
      out.append(string_width - s.size(), '\0');
    }
  } else if (dtype == DType::kBFloat16) {
    for (std::int64_t i = 0; i < tensor.size(); ++i) {
      float value = bfloat16_to_float(tensor.data<std::uint16_t>()[i]);
      char raw[4];
      std::memcpy(raw, &value, 4);
      out.append(raw, 4);
    }
  } else {
    out.append(static_cast<const char*>(tensor.raw()), static_cast<std::size_t>(tensor.size()) * storage_element_size(dtype));
  }
  return out;
}

}  // namespace ag::format
