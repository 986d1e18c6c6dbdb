// JSON text of tensors and output values. Floats are written with the fewest digits that read
// back to the same value in the tensor's own dtype (a float32 0.1 is 0.1, not 0.10000000149011612),
// in the layout of Python's float repr, so json.loads and jq read them.
#include "format/json_lines.h"

#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>

#include "format/display.h"
#include "format/float_digits.h"

namespace ag::format {
namespace {

/// Python's repr layout of shortest digits: positional for 1e-4 <= |x| < 1e16 ("0.001", "12.0"),
/// else scientific with at least two exponent digits ("1e-05", "1.5e+16").
std::string python_layout(const DecimalDigits& digits, bool negative) {
  char buffer[DecimalDigits::kCapacity + 32];
  int n = 0;
  if (negative) buffer[n++] = '-';
  if (digits.exponent >= -4 && digits.exponent < 16) {
    int fraction = digits.fraction_digits();
    n += write_positional(buffer + n, digits, fraction, true);
    if (fraction == 0) buffer[n++] = '0';
  } else {
    n += write_scientific(buffer + n, digits, digits.count - 1, false, 2);
  }
  return std::string(buffer, static_cast<std::size_t>(n));
}

/// bfloat16 has no shortest-digit routine of its own: the first significant-digit count whose
/// correctly rounded decimal reads back (through float32, as readers convert) to the same bits.
DecimalDigits bfloat16_shortest(float value) {
  std::uint16_t bits = float_to_bfloat16(value);
  for (int significant = 1; significant < 9; ++significant) {
    DecimalDigits digits = round_significant(value, significant);
    char text[64];
    int n = write_scientific(text, digits, digits.count - 1, false, 1);
    text[n] = '\0';
    float back = static_cast<float>(std::strtod(text, nullptr));
    if (float_to_bfloat16(std::signbit(value) ? -back : back) == bits) return digits;
  }
  return shortest_digits(value, FloatWidth::kSingle);
}

/// A float element as a JSON token; non-finite values become the strings numpy prints.
std::string float_token(double value, DType dtype, bool quote_special) {
  if (std::isnan(value)) return quote_special ? "\"nan\"" : "nan";
  if (std::isinf(value)) return quote_special ? (value > 0 ? "\"inf\"" : "\"-inf\"") : (value > 0 ? "inf" : "-inf");
  DecimalDigits digits;
  if (value != 0) {
    switch (dtype) {
      case DType::kFloat16: digits = shortest_digits(value, FloatWidth::kHalf); break;
      case DType::kBFloat16: digits = bfloat16_shortest(static_cast<float>(value)); break;
      case DType::kFloat32:
      case DType::kComplex64: digits = shortest_digits(value, FloatWidth::kSingle); break;
      default: digits = shortest_digits(value, FloatWidth::kDouble); break;
    }
  }
  return python_layout(digits, std::signbit(value));
}

/// Python's complex repr ("(1+2j)", "2j", "(nan+infj)") with parts in the dtype's precision.
std::string complex_token(std::complex<double> c, DType dtype) {
  DType part_dtype = dtype == DType::kComplex64 ? DType::kFloat32 : DType::kFloat64;
  auto part = [&](double v) {
    std::string text = float_token(v, part_dtype, false);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
    return text;
  };
  if (c.real() == 0 && !std::signbit(c.real())) return "\"" + part(c.imag()) + "j\"";
  std::string imag = part(c.imag());
  if (imag[0] != '-') imag = "+" + imag;
  return "\"(" + part(c.real()) + imag + "j)\"";
}

void append_value(std::string& out, const Tensor& tensor, std::size_t axis, std::int64_t& next) {
  if (axis == tensor.shape().size()) {
    out += json_element(tensor, next++);
    return;
  }
  out += '[';
  for (std::int64_t i = 0; i < tensor.shape()[axis]; ++i) {
    if (i > 0) out += ", ";
    append_value(out, tensor, axis + 1, next);
  }
  out += ']';
}

std::string shape_json(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// The 0-d tensor numpy makes of a Python scalar.
Tensor python_scalar_tensor(const Value& value) {
  switch (value.kind) {
    case ValueKind::kBool: return Tensor::scalar(DType::kBool, value.boolean ? 1 : 0);
    case ValueKind::kInt: {
      Tensor t = Tensor::allocate(DType::kInt64, {});
      *t.mutable_data<std::int64_t>() = value.integer;
      return t;
    }
    case ValueKind::kFloat: return Tensor::scalar(DType::kFloat64, value.real);
    default: {
      Tensor t = Tensor::allocate(DType::kComplex128, {});
      *t.mutable_data<std::complex<double>>() = value.complex_value;
      return t;
    }
  }
}

/// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (byte(i + k) & 0x3F);
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  static const std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return length;
}

}  // namespace

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    unsigned char ch = static_cast<unsigned char>(text[i]);
    std::size_t length = utf8_length(text, i);
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    ++i;
    switch (ch) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (length == 0 || ch < 0x20 || ch == 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", ch);
      out += buffer;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out + "\"";
}

std::string json_element(const Tensor& tensor, std::int64_t index) {
  DType dtype = tensor.dtype();
  switch (dtype) {
    case DType::kBool: return tensor.data<bool>()[index] ? "true" : "false";
    case DType::kInt64: return std::to_string(tensor.data<std::int64_t>()[index]);
    case DType::kUInt64: return std::to_string(tensor.data<std::uint64_t>()[index]);
    case DType::kComplex64: return complex_token(tensor.data<std::complex<float>>()[index], dtype);
    case DType::kComplex128: return complex_token(tensor.data<std::complex<double>>()[index], dtype);
    case DType::kString: return json_string(tensor.strings()[static_cast<std::size_t>(index)]);
    default: break;
  }
  if (dtype_is_floating(dtype)) return float_token(tensor.element_as_double(index), dtype, true);
  if (dtype_is_integer(dtype)) return std::to_string(static_cast<std::int64_t>(tensor.element_as_double(index)));
  return "null";  // resource and variant handles have no value to show
}

std::string json_value(const Tensor& tensor) {
  std::string out;
  std::int64_t next = 0;
  append_value(out, tensor, 0, next);
  return out;
}

std::optional<Tensor> value_tensor(const Value& value) {
  switch (value.kind) {
    case ValueKind::kTensor:
    case ValueKind::kNumpy: return value.tensor;
    case ValueKind::kVariable: return value.variable->value;
    case ValueKind::kBool:
    case ValueKind::kInt:
    case ValueKind::kFloat:
    case ValueKind::kComplex: return python_scalar_tensor(value);
    case ValueKind::kString: return Tensor::from_strings({}, {value.text});
    default: return std::nullopt;
  }
}

std::string json_object(std::string_view spec, std::string_view name, const Value& value) {
  std::string head = "{\"spec\": " + json_string(spec) + ", \"name\": " + json_string(name) + ", ";
  if (value.is_none()) return head + "\"dtype\": null, \"shape\": null, \"value\": null}";
  if (std::optional<Tensor> t = value_tensor(value))
    return head + "\"dtype\": " + json_string(dtype_name(t->dtype())) + ", \"shape\": " + shape_json(t->shape()) +
           ", \"value\": " + json_value(*t) + "}";
  return head + "\"dtype\": null, \"shape\": null, \"value\": " + json_string(python_repr(value)) + "}";
}

}  // namespace ag::format
