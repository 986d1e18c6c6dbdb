// Python reprs and IPython's pretty layout of lists and tuples (IPython/lib/pretty.py behaviour,
// restated in reference/tf-semantics.md §C.3).
#include "format/display.h"

#include <cstdio>

#include "format/numpy_repr.h"
#include "ops/op_def.h"

namespace ag::format {
namespace {

constexpr std::size_t kDisplayWidth = 79;
constexpr std::size_t kMaxSequenceItems = 1000;

std::string shape_repr(const Value& value) {
  std::string text = "TensorShape([";
  for (std::size_t i = 0; i < value.dims.size(); ++i) text += (i ? ", " : "") + std::to_string(value.dims[i]);
  return text + "])";
}

std::string complex_repr(std::complex<double> c) {
  auto part = [](double v) {
    std::string text = python_float_repr(v);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
    return text;
  };
  if (c.real() == 0 && !std::signbit(c.real())) return part(c.imag()) + "j";
  std::string imag = part(c.imag());
  if (imag[0] != '-') imag = "+" + imag;
  return "(" + part(c.real()) + imag + "j)";
}

std::string sequence_text(const Value& value, std::string (*item_text)(const Value&)) {
  bool tuple = value.kind == ValueKind::kTuple;
  std::string text = tuple ? "(" : "[";
  for (std::size_t i = 0; i < value.items.size(); ++i) text += (i ? ", " : "") + item_text(value.items[i]);
  if (tuple && value.items.size() == 1) text += ",";
  return text + (tuple ? ")" : "]");
}

/// Indents every line after the first by `indent` spaces (IPython re-indents multi-line reprs).
std::string indent_continuations(const std::string& text, std::size_t indent) {
  std::string out;
  for (char ch : text) {
    out += ch;
    if (ch == '\n') out.append(indent, ' ');
  }
  return out;
}

std::string pretty(const Value& value, std::size_t column);

std::string pretty_sequence(const Value& value, std::size_t column) {
  bool tuple = value.kind == ValueKind::kTuple;
  std::string open = tuple ? "(" : "[";
  std::string close = tuple ? ")" : "]";
  std::string flat = python_repr(value);
  bool truncated = value.items.size() > kMaxSequenceItems;
  if (!truncated && flat.find('\n') == std::string::npos && column + flat.size() <= kDisplayWidth) return flat;
  std::size_t inner = column + open.size();
  std::string text = open;
  std::size_t shown = truncated ? kMaxSequenceItems : value.items.size();
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) text += ",\n" + std::string(inner, ' ');
    text += pretty(value.items[i], inner);
  }
  if (truncated) text += ",\n" + std::string(inner, ' ') + "...";
  if (tuple && value.items.size() == 1) text += ",";
  return text + close;
}

std::string pretty(const Value& value, std::size_t column) {
  if (value.is_sequence()) return pretty_sequence(value, column);
  return indent_continuations(python_repr(value), column);
}

}  // namespace

std::string python_float_repr(double value) { return scalar_text(Tensor::scalar(DType::kFloat64, value)); }

std::string python_string_repr(const std::string& text) {
  char quote = text.find('\'') != std::string::npos && text.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char ch : text) {
    if (ch == '\\') out += "\\\\";
    else if (ch == static_cast<unsigned char>(quote)) out += std::string("\\") + quote;
    else if (ch == '\n') out += "\\n";
    else if (ch == '\t') out += "\\t";
    else if (ch == '\r') out += "\\r";
    else if (ch < 0x20 || ch == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", ch);
      out += buffer;
    } else out += static_cast<char>(ch);
  }
  return out + quote;
}

std::string python_repr(const Value& value) {
  switch (value.kind) {
    case ValueKind::kNone: return "None";
    case ValueKind::kTensor: return tensor_repr(value.tensor);
    case ValueKind::kVariable: return variable_repr(value.variable->name, value.variable->value);
    case ValueKind::kBool: return value.boolean ? "True" : "False";
    case ValueKind::kInt: return std::to_string(value.integer);
    case ValueKind::kFloat: return python_float_repr(value.real);
    case ValueKind::kComplex: return complex_repr(value.complex_value);
    case ValueKind::kString: return python_string_repr(value.text);
    case ValueKind::kList:
    case ValueKind::kTuple: return sequence_text(value, python_repr);
    case ValueKind::kDType: return "tf." + std::string(dtype_name(value.dtype));
    case ValueKind::kShape: return shape_repr(value);
    case ValueKind::kModule: return "<module 'tensorflow" + (value.text.empty() ? "" : "." + value.text) + "'>";
    case ValueKind::kFunction: return "<function " + std::string(value.function->path) + ">";
    case ValueKind::kMethod: return "<bound method " + value.method->name + ">";
    case ValueKind::kNumpy: return numpy_value_repr(value.tensor);
  }
  return "";
}

std::string python_str(const Value& value) {
  switch (value.kind) {
    case ValueKind::kTensor: return tensor_str(value.tensor);
    case ValueKind::kString: return value.text;
    case ValueKind::kDType: return "<dtype: '" + std::string(dtype_name(value.dtype)) + "'>";
    case ValueKind::kShape: return shape_str(value.dims);
    case ValueKind::kNumpy: return array_str(value.tensor);
    default: return python_repr(value);
  }
}

std::string display(const Value& value) { return pretty(value, 0); }

}  // namespace ag::format
