// Element texts of every dtype (numpy-repr.md §3) and numpy scalar texts (§6), read from tensor
// storage.
#include "format/element_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstring>

#include "format/float_format.h"

namespace ag::format {
namespace {

/// Integer element as text; uint64 keeps its full unsigned range.
template <class T>
int integer_text(T value, char* out) {
  return static_cast<int>(std::to_chars(out, out + 24, value).ptr - out);
}

/// Right-aligned integer texts in the width of the longest (numpy IntegerFormat); quantized dtypes,
/// which numpy sees as one-field structured arrays, wrap each in "(…,)".
template <class T>
void push_integers(const Tensor& t, const std::vector<std::int64_t>& indices, bool structured,
                   ElementTexts& texts) {
  const T* data = t.data<T>();
  int width = 0;
  char digits[24];
  for (std::int64_t index : indices) width = std::max(width, integer_text(data[index], digits));
  char text[40];
  for (std::int64_t index : indices) {
    int length = integer_text(data[index], digits);
    int n = 0;
    if (structured) text[n++] = '(';
    for (int k = length; k < width; ++k) text[n++] = ' ';
    std::memcpy(text + n, digits, static_cast<std::size_t>(length));
    n += length;
    if (structured) {
      text[n++] = ',';
      text[n++] = ')';
    }
    texts.push(std::string_view(text, static_cast<std::size_t>(n)));
  }
}

/// Element widened to double (exact for every floating storage type).
double float_element(const Tensor& t, std::int64_t index) {
  switch (t.dtype()) {
    case DType::kFloat16:
      return half_to_float(t.data<std::uint16_t>()[index]);
    case DType::kBFloat16:
      return bfloat16_to_float(t.data<std::uint16_t>()[index]);
    case DType::kFloat32:
      return t.data<float>()[index];
    default:
      return t.data<double>()[index];
  }
}

FloatWidth float_width(DType dtype) {
  switch (dtype) {
    case DType::kFloat16:
      return FloatWidth::kHalf;
    case DType::kFloat32:
    case DType::kComplex64:
      return FloatWidth::kSingle;
    default:
      return FloatWidth::kDouble;
  }
}

std::complex<double> complex_element(const Tensor& t, std::int64_t index) {
  if (t.dtype() == DType::kComplex64) {
    std::complex<float> c = t.data<std::complex<float>>()[index];
    return {c.real(), c.imag()};
  }
  return t.data<std::complex<double>>()[index];
}

void push_floats(const Tensor& t, const std::vector<std::int64_t>& indices, ElementTexts& texts) {
  std::vector<double> values;
  values.reserve(indices.size());
  for (std::int64_t index : indices) values.push_back(float_element(t, index));
  FloatColumn column(std::move(values), float_width(t.dtype()), false);
  texts.reserve(indices.size(), indices.size() * static_cast<std::size_t>(column.text_width()));
  char text[FloatColumn::kMaxText];
  for (std::size_t i = 0; i < column.size(); ++i)
    texts.push(std::string_view(text, static_cast<std::size_t>(column.write(i, text))));
}

/// Real and imaginary parts are formatted as two float arrays; 'j' goes after the imaginary digits,
/// before the imaginary part's right padding (numpy ComplexFloatingFormat).
void push_complex(const Tensor& t, const std::vector<std::int64_t>& indices, ElementTexts& texts) {
  std::vector<double> reals;
  std::vector<double> imags;
  reals.reserve(indices.size());
  imags.reserve(indices.size());
  for (std::int64_t index : indices) {
    std::complex<double> c = complex_element(t, index);
    reals.push_back(c.real());
    imags.push_back(c.imag());
  }
  FloatWidth width = float_width(t.dtype());
  FloatColumn real_column(std::move(reals), width, false);
  FloatColumn imag_column(std::move(imags), width, true);
  char text[2 * FloatColumn::kMaxText + 1];
  char imag[FloatColumn::kMaxText];
  for (std::size_t i = 0; i < indices.size(); ++i) {
    int n = real_column.write(i, text);
    int imag_length = imag_column.write(i, imag);
    int digits_end = imag_length;
    while (digits_end > 0 && imag[digits_end - 1] == ' ') --digits_end;
    std::memcpy(text + n, imag, static_cast<std::size_t>(digits_end));
    n += digits_end;
    text[n++] = 'j';
    std::memcpy(text + n, imag + digits_end, static_cast<std::size_t>(imag_length - digits_end));
    n += imag_length - digits_end;
    texts.push(std::string_view(text, static_cast<std::size_t>(n)));
  }
}

/// TF's bfloat16 numpy type is not a numpy float: numpy prints each element with the type's own
/// repr, absl::StrCat(float), which is printf "%g" (six significant digits), unpadded.
std::string bfloat16_text(std::uint16_t bits) {
  double value = bfloat16_to_float(bits);
  if (std::isnan(value)) return "nan";
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

/// numpy scalar text of a complex part without a forced sign; nan and inf as Python writes them.
std::string complex_part_text(double value, FloatWidth width) {
  return float_scalar_text(value, width, true);
}

/// Python-style complex text: "2j" when the real part is +0, otherwise "(re±imj)".
std::string complex_scalar_text(std::complex<double> c, FloatWidth width) {
  std::string imag = complex_part_text(c.imag(), width);
  if (c.real() == 0 && !std::signbit(c.real())) return imag + "j";
  std::string text = "(" + complex_part_text(c.real(), width);
  if (std::isnan(c.imag()) || !std::signbit(c.imag())) text += '+';
  return text + imag + "j)";
}

}  // namespace

std::string bytes_repr(std::string_view bytes) {
  bool has_single = bytes.find('\'') != std::string_view::npos;
  bool has_double = bytes.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string text = "b";
  text.reserve(bytes.size() + 3);
  text += quote;
  for (char c : bytes) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      text += '\\';
      text += c;
    } else if (c == '\t') {
      text += "\\t";
    } else if (c == '\n') {
      text += "\\n";
    } else if (c == '\r') {
      text += "\\r";
    } else if (byte < 0x20 || byte >= 0x7f) {
      char escape[5];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      text += escape;
    } else {
      text += c;
    }
  }
  text += quote;
  return text;
}

ElementTexts format_elements(const Tensor& t, const std::vector<std::int64_t>& indices,
                             bool zero_d) {
  ElementTexts texts;
  switch (t.dtype()) {
    case DType::kBool: {
      const bool* data = t.data<bool>();
      texts.reserve(indices.size(), indices.size() * 5);
      for (std::int64_t index : indices)
        texts.push(data[index] ? (zero_d ? "True" : " True") : "False");
      break;
    }
    case DType::kInt8:
      push_integers<std::int8_t>(t, indices, false, texts);
      break;
    case DType::kInt16:
      push_integers<std::int16_t>(t, indices, false, texts);
      break;
    case DType::kInt32:
      push_integers<std::int32_t>(t, indices, false, texts);
      break;
    case DType::kInt64:
      push_integers<std::int64_t>(t, indices, false, texts);
      break;
    case DType::kUInt8:
      push_integers<std::uint8_t>(t, indices, false, texts);
      break;
    case DType::kUInt16:
      push_integers<std::uint16_t>(t, indices, false, texts);
      break;
    case DType::kUInt32:
      push_integers<std::uint32_t>(t, indices, false, texts);
      break;
    case DType::kUInt64:
      push_integers<std::uint64_t>(t, indices, false, texts);
      break;
    case DType::kQInt8:
      push_integers<std::int8_t>(t, indices, true, texts);
      break;
    case DType::kQUInt8:
      push_integers<std::uint8_t>(t, indices, true, texts);
      break;
    case DType::kQInt16:
      push_integers<std::int16_t>(t, indices, true, texts);
      break;
    case DType::kQUInt16:
      push_integers<std::uint16_t>(t, indices, true, texts);
      break;
    case DType::kQInt32:
      push_integers<std::int32_t>(t, indices, true, texts);
      break;
    case DType::kFloat16:
    case DType::kFloat32:
    case DType::kFloat64:
      push_floats(t, indices, texts);
      break;
    case DType::kBFloat16:
      for (std::int64_t index : indices) texts.push(bfloat16_text(t.data<std::uint16_t>()[index]));
      break;
    case DType::kComplex64:
    case DType::kComplex128:
      push_complex(t, indices, texts);
      break;
    case DType::kString: {
      const std::vector<std::string>& strings = t.strings();
      for (std::int64_t index : indices)
        texts.push(bytes_repr(strings[static_cast<std::size_t>(index)]));
      break;
    }
    case DType::kResource:
    case DType::kVariant:
      for (std::size_t i = 0; i < indices.size(); ++i) texts.push("<unprintable>");
      break;
  }
  return texts;
}

std::string scalar_element_text(const Tensor& t, std::int64_t index) {
  switch (t.dtype()) {
    case DType::kBool:
      return t.data<bool>()[index] ? "True" : "False";
    case DType::kFloat16:
    case DType::kFloat32:
    case DType::kFloat64:
      return float_scalar_text(float_element(t, index), float_width(t.dtype()));
    case DType::kBFloat16:
      return bfloat16_text(t.data<std::uint16_t>()[index]);
    case DType::kComplex64:
    case DType::kComplex128:
      return complex_scalar_text(complex_element(t, index), float_width(t.dtype()));
    case DType::kString:
      return bytes_repr(t.strings()[static_cast<std::size_t>(index)]);
    case DType::kResource:
    case DType::kVariant:
      return "<unprintable>";
    default: {
      // Integers print their decimal text; quantized scalars are numpy void records "(5,)".
      ElementTexts texts = format_elements(t, {index}, true);
      return std::string(texts[0]);
    }
  }
}

}  // namespace ag::format
