// Python reprs and IPython's pretty layout of lists and tuples (IPython/lib/pretty.py behaviour,
// restated in reference/tf-semantics.md §C.3).
#include "format/display.h"

#include <algorithm>
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

/// TF's Algorithm enum member names (tf.random.Algorithm).
std::string algorithm_member(std::int64_t value) {
  switch (value) {
    case 1: return "PHILOX";
    case 2: return "THREEFRY";
    case 3: return "AUTO_SELECT";
    default: return std::to_string(value);
  }
}

std::string dtype_text_name(const Value& value) {
  return std::string(dtype_name(value.dtype)) + (value.dtype_ref ? "_ref" : "");
}

/// repr of a catalog row value: classes show as Python shows the class object.
std::string function_repr(const OpDef& op) {
  if (op.path == "random.Algorithm") return "<enum 'Algorithm'>";
  if (op.path == "random.Generator") return "<class 'tensorflow.python.ops.stateful_random_ops.Generator'>";
  if (op.path == "dtypes.DType") return "<class 'tensorflow.python.framework.dtypes.DType'>";
  return "<function " + std::string(op.path) + ">";
}

std::string frozenset_text(const Value& value, std::string (*item_text)(const Value&)) {
  if (value.items.empty()) return "frozenset()";
  std::string text = "frozenset({";
  for (std::size_t i = 0; i < value.items.size(); ++i) text += (i ? ", " : "") + item_text(value.items[i]);
  return text + "})";
}

std::string sequence_text(const Value& value, std::string (*item_text)(const Value&)) {
  bool tuple = value.kind == ValueKind::kTuple;
  if (tuple && !value.fields.empty()) {
    // A namedtuple's repr (its str too) names each field and shows the items' reprs.
    std::string text = value.text + "(";
    for (std::size_t i = 0; i < value.items.size(); ++i)
      text += (i ? ", " : "") + value.fields[i] + "=" + python_repr(value.items[i]);
    return text + ")";
  }
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

/// IPython shows a set's items sorted (by str when they do not compare), all on one line if it
/// fits, else one a line under the first.
std::string pretty_frozenset(const Value& value, std::size_t column) {
  std::vector<Value> items = value.items;
  std::stable_sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return python_str(a) < python_str(b); });
  Value sorted = value;
  sorted.items = items;
  std::string flat = frozenset_text(sorted, python_repr);
  if (items.empty() || (flat.find('\n') == std::string::npos && column + flat.size() <= kDisplayWidth)) return flat;
  const std::string open = "frozenset({";
  std::size_t inner = column + open.size();
  std::string text = open;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += ",\n" + std::string(inner, ' ');
    text += pretty(items[i], inner);
  }
  return text + "})";
}

std::string pretty(const Value& value, std::size_t column) {
  // IPython prints a namedtuple through its own __repr__, line by line at the current indentation.
  if (value.kind == ValueKind::kTuple && !value.fields.empty()) return indent_continuations(python_repr(value), column);
  if (value.is_sequence()) return pretty_sequence(value, column);
  if (value.kind == ValueKind::kFrozenSet) return pretty_frozenset(value, column);
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
    case ValueKind::kDType: return "tf." + dtype_text_name(value);
    case ValueKind::kShape: return shape_repr(value);
    case ValueKind::kModule: return "<module 'tensorflow" + (value.text.empty() ? "" : "." + value.text) + "'>";
    case ValueKind::kFunction: return function_repr(*value.function);
    case ValueKind::kMethod: return "<bound method " + value.method->name + ">";
    case ValueKind::kNumpy: return numpy_value_repr(value.tensor);
    case ValueKind::kGenerator: {
      // CPython shows the object's address; a per-run serial number stands in for it.
      char address[32];
      std::snprintf(address, sizeof address, "0x7f%010llx", static_cast<unsigned long long>(value.generator->serial));
      return std::string("<tensorflow.python.ops.stateful_random_ops.Generator object at ") + address + ">";
    }
    case ValueKind::kFrozenSet: return frozenset_text(value, python_repr);
    case ValueKind::kAlgorithm: return "<Algorithm." + algorithm_member(value.integer) + ": " + std::to_string(value.integer) + ">";
    case ValueKind::kPyClass: return value.text;
  }
  return "";
}

std::string python_str(const Value& value) {
  switch (value.kind) {
    case ValueKind::kTensor: return tensor_str(value.tensor);
    case ValueKind::kString: return value.text;
    case ValueKind::kDType: return "<dtype: '" + dtype_text_name(value) + "'>";
    case ValueKind::kAlgorithm: return "Algorithm." + algorithm_member(value.integer);
    case ValueKind::kShape: return shape_str(value.dims);
    case ValueKind::kNumpy: return array_str(value.tensor);
    default: return python_repr(value);
  }
}

std::string display(const Value& value) { return pretty(value, 0); }

}  // namespace ag::format
