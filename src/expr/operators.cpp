// Python's operators on spec values: Python arithmetic between Python numbers, TF ops as soon as
// a tensor is involved (the other side converted to its dtype, as TF's operator overloads do).
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "diag/error.h"
#include "expr/evaluator.h"
#include "ops/api.h"
#include "ops/convert.h"

namespace ag {
namespace {

using kernels::BinaryOp;

bool is_tensor_operand(const Value& v) { return v.is_tensor_like() || v.kind == ValueKind::kNumpy; }

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

double number_of(const Value& v) {
  switch (v.kind) {
    case ValueKind::kBool: return v.boolean ? 1 : 0;
    case ValueKind::kInt: return static_cast<double>(v.integer);
    default: return v.real;
  }
}

bool is_integral(const Value& v) { return v.kind == ValueKind::kBool || v.kind == ValueKind::kInt; }

std::int64_t integer_of(const Value& v) { return v.kind == ValueKind::kBool ? (v.boolean ? 1 : 0) : v.integer; }

Value python_arithmetic(const std::string& op, const Value& a, const Value& b) {
  if (a.kind == ValueKind::kComplex || b.kind == ValueKind::kComplex) {
    auto as_complex = [](const Value& v) {
      return v.kind == ValueKind::kComplex ? v.complex_value : std::complex<double>(number_of(v), 0.0);
    };
    std::complex<double> x = as_complex(a);
    std::complex<double> y = as_complex(b);
    Value result;
    result.kind = ValueKind::kComplex;
    if (op == "+") result.complex_value = x + y;
    else if (op == "-") result.complex_value = x - y;
    else if (op == "*") result.complex_value = x * y;
    else if (op == "/") {
      if (y == std::complex<double>(0, 0)) throw UserError(ExitCode::kEval, "complex division by zero");
      result.complex_value = x / y;
    } else if (op == "**") result.complex_value = std::pow(x, y);
    else throw UserError(ExitCode::kEval, "unsupported operand type(s) for " + op + ": 'complex'");
    return result;
  }
  if (is_integral(a) && is_integral(b)) {
    std::int64_t x = integer_of(a);
    std::int64_t y = integer_of(b);
    if (op == "+") return Value::of_int(x + y);
    if (op == "-") return Value::of_int(x - y);
    if (op == "*") return Value::of_int(x * y);
    if (op == "/") {
      if (y == 0) throw UserError(ExitCode::kEval, "division by zero");
      return Value::of_float(static_cast<double>(x) / static_cast<double>(y));
    }
    if (op == "//" || op == "%") {
      if (y == 0) throw UserError(ExitCode::kEval, "integer division or modulo by zero");
      if (x == std::numeric_limits<std::int64_t>::min() && y == -1)
        throw UserError(ExitCode::kEval, "integer overflow in " + op);
      std::int64_t q = floor_div(x, y);
      return Value::of_int(op == "//" ? q : x - q * y);
    }
    if (op == "**") {
      if (y < 0) return Value::of_float(std::pow(static_cast<double>(x), static_cast<double>(y)));
      std::int64_t result = 1;
      for (std::int64_t i = 0; i < y; ++i) {
        if (result != 0 && std::llabs(x) > 1 && std::llabs(result) > std::numeric_limits<std::int64_t>::max() / std::llabs(x))
          throw UserError(ExitCode::kEval, "integer overflow in **");
        result *= x;
        if (result == 0 || result == 1) break;
      }
      return Value::of_int(result);
    }
  }
  double x = number_of(a);
  double y = number_of(b);
  if (op == "+") return Value::of_float(x + y);
  if (op == "-") return Value::of_float(x - y);
  if (op == "*") return Value::of_float(x * y);
  if (op == "/") {
    if (y == 0) throw UserError(ExitCode::kEval, "float division by zero");
    return Value::of_float(x / y);
  }
  if (op == "//" || op == "%") {
    if (y == 0) throw UserError(ExitCode::kEval, "float floor division by zero");
    double q = std::floor(x / y);
    return Value::of_float(op == "//" ? q : x - q * y);
  }
  if (op == "**") return Value::of_float(std::pow(x, y));
  throw UserError(ExitCode::kEval, "unsupported operand type(s) for " + op);
}

Value python_compare(const std::string& op, const Value& a, const Value& b) {
  double x = number_of(a);
  double y = number_of(b);
  if (op == "<") return Value::of_bool(x < y);
  if (op == "<=") return Value::of_bool(x <= y);
  if (op == ">") return Value::of_bool(x > y);
  if (op == ">=") return Value::of_bool(x >= y);
  if (op == "==") return Value::of_bool(x == y);
  return Value::of_bool(x != y);
}

/// TF's truediv: integer tensors become floating first (int8/16 → float32, wider → float64).
Tensor true_divide(const Tensor& x, const Tensor& y) {
  if (dtype_is_integer(x.dtype())) {
    DType target = dtype_info(x.dtype()).size <= 2 ? DType::kFloat32 : DType::kFloat64;
    return ops::divide(ops::cast(x, target), ops::cast(y, target));
  }
  return ops::divide(x, y);
}

/// A Python int or float met by a tensor, converted to `dtype` as to_tensor does. A converted
/// number is an immutable tensor that no tape can be asked about, so one conversion per number
/// and dtype serves every operator that meets it (`y * 1.0001` on each line of a long chain).
/// Failed conversions are not kept: they raise again, with the same error, at every use.
Tensor converted_number(const Value& value, std::optional<DType> dtype) {
  if (!dtype || (value.kind != ValueKind::kInt && value.kind != ValueKind::kFloat)) return to_tensor(value, dtype);
  struct Slot {
    ValueKind kind = ValueKind::kNone;
    std::uint64_t bits = 0;
    DType dtype = DType::kFloat32;
    Tensor tensor;
  };
  // Per thread: `check` runs specs on several threads. Direct-mapped: a miss just converts again.
  thread_local std::array<Slot, 16> cache;
  std::uint64_t bits = 0;
  if (value.kind == ValueKind::kInt) bits = static_cast<std::uint64_t>(value.integer);
  else std::memcpy(&bits, &value.real, sizeof bits);
  Slot& slot = cache[(bits ^ (bits >> 29) ^ (bits >> 47) ^ static_cast<std::uint64_t>(*dtype) * 7) % cache.size()];
  if (slot.tensor.defined() && slot.kind == value.kind && slot.bits == bits && slot.dtype == *dtype) return slot.tensor;
  Tensor t = to_tensor(value, dtype);
  slot = Slot{value.kind, bits, *dtype, t};
  return t;
}

Value tensor_operator(const std::string& op, const Value& a, const Value& b) {
  // The tensor side fixes the dtype; a Python value on the other side is converted to it.
  std::optional<DType> hint;
  if (is_tensor_operand(a)) hint = python_default_dtype(a);
  else if (is_tensor_operand(b)) hint = python_default_dtype(b);
  // A tensor operand is used where it is; anything else is converted into a holder.
  Tensor x_holder;
  Tensor y_holder;
  const Tensor& x = a.kind == ValueKind::kTensor ? a.tensor
                                                 : (x_holder = is_tensor_operand(a) ? to_tensor(a) : converted_number(a, hint));
  const Tensor& y = b.kind == ValueKind::kTensor ? b.tensor
                                                 : (y_holder = is_tensor_operand(b) ? to_tensor(b) : converted_number(b, hint));
  const std::string_view o = op;  // compared as a view: no strlen or library call per spelling
  if (o == "+") return Value::of(ops::add(x, y));
  if (o == "-") return Value::of(ops::subtract(x, y));
  if (o == "*") return Value::of(ops::multiply(x, y));
  if (o == "/") return Value::of(true_divide(x, y));
  if (o == "//") return Value::of(ops::floordiv(x, y));
  if (o == "%") return Value::of(ops::floormod(x, y));
  if (o == "**") return Value::of(ops::pow(x, y));
  if (o == "@") return Value::of(ops::matmul(x, y, false, false));
  if (o == "<") return Value::of(ops::compare(BinaryOp::kLess, x, y));
  if (o == "<=") return Value::of(ops::compare(BinaryOp::kLessEqual, x, y));
  if (o == ">") return Value::of(ops::compare(BinaryOp::kGreater, x, y));
  if (o == ">=") return Value::of(ops::compare(BinaryOp::kGreaterEqual, x, y));
  if (o == "==") return Value::of(ops::compare(BinaryOp::kEqual, x, y));
  if (o == "!=") return Value::of(ops::compare(BinaryOp::kNotEqual, x, y));
  throw UserError(ExitCode::kEval, "unsupported operator " + op + " for tensors");
}

bool same_python_value(const Value& a, const Value& b);

bool same_items(const Value& a, const Value& b) {
  if (a.items.size() != b.items.size()) return false;
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (!same_python_value(a.items[i], b.items[i])) return false;
  return true;
}

bool same_python_value(const Value& a, const Value& b) {
  if (a.is_python_number() && b.is_python_number()) return number_of(a) == number_of(b);
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kNone: return true;
    case ValueKind::kString:
    case ValueKind::kModule: return a.text == b.text;
    case ValueKind::kDType: return a.dtype == b.dtype;
    case ValueKind::kShape: return a.dims == b.dims;
    case ValueKind::kList:
    case ValueKind::kTuple: return same_items(a, b);
    case ValueKind::kFunction: return a.function == b.function;
    default: return false;
  }
}

std::string operand_type_error(const std::string& op, const Value& a, const Value& b) {
  return "unsupported operand type(s) for " + op + ": '" + value_type_name(a) + "' and '" + value_type_name(b) + "'";
}

}  // namespace

bool truthy(const Value& value) {
  switch (value.kind) {
    case ValueKind::kNone: return false;
    case ValueKind::kBool: return value.boolean;
    case ValueKind::kInt: return value.integer != 0;
    case ValueKind::kFloat: return value.real != 0;
    case ValueKind::kComplex: return value.complex_value != std::complex<double>(0, 0);
    case ValueKind::kString: return !value.text.empty();
    case ValueKind::kList:
    case ValueKind::kTuple: return !value.items.empty();
    case ValueKind::kTensor:
    case ValueKind::kVariable:
    case ValueKind::kNumpy: {
      Tensor t = value.kind == ValueKind::kVariable ? value.variable->value : value.tensor;
      if (t.size() != 1)
        throw UserError(ExitCode::kEval, "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()");
      return t.element_as_double(0) != 0;
    }
    default: return true;
  }
}

Value binary_operator(const std::string& op, const Value& a, const Value& b) {
  if (is_tensor_operand(a) || is_tensor_operand(b)) {
    if ((a.is_none() || b.is_none()) && (op == "==" || op == "!=")) return Value::of_bool(op == "!=");
    return tensor_operator(op, a, b);
  }
  if (a.is_python_number() && b.is_python_number()) {
    if (op == "<" || op == "<=" || op == ">" || op == ">=" || op == "==" || op == "!=") return python_compare(op, a, b);
    if (op == "@") throw UserError(ExitCode::kEval, operand_type_error(op, a, b));
    return python_arithmetic(op, a, b);
  }
  if (op == "==") return Value::of_bool(same_python_value(a, b));
  if (op == "!=") return Value::of_bool(!same_python_value(a, b));
  if (op == "+" && a.is_sequence() && a.kind == b.kind) {
    Value joined = a;
    joined.items.insert(joined.items.end(), b.items.begin(), b.items.end());
    return joined;
  }
  if (op == "+" && a.kind == ValueKind::kString && b.kind == ValueKind::kString) return Value::of_string(a.text + b.text);
  if (op == "*" && a.is_sequence() && b.kind == ValueKind::kInt) {
    Value repeated = Value::list({}, a.kind);
    if (b.integer > 0 && a.items.size() * static_cast<std::size_t>(b.integer) > 10'000'000)
      throw UserError(ExitCode::kEval, "list repetition too large");
    for (std::int64_t i = 0; i < b.integer; ++i) repeated.items.insert(repeated.items.end(), a.items.begin(), a.items.end());
    return repeated;
  }
  if (a.is_sequence() && b.is_python_number() && op != "*") return tensor_operator(op, Value::of(to_tensor(a)), b);
  if (a.is_sequence() || b.is_sequence()) {
    // A list meeting a number in arithmetic: TF would need a tensor; convert as tf.constant does.
    if (a.is_python_number() || b.is_python_number())
      return tensor_operator(op, Value::of(to_tensor(a)), Value::of(to_tensor(b)));
  }
  throw UserError(ExitCode::kEval, operand_type_error(op, a, b));
}

Value unary_operator(const std::string& op, const Value& operand) {
  if (op == "not") return Value::of_bool(!truthy(operand));
  if (is_tensor_operand(operand) || operand.is_sequence()) {
    Tensor x = to_tensor(operand);
    if (op == "-") return Value::of(ops::negative(x));
    if (op == "+") return Value::of(x);
    if (op == "~") {
      if (x.dtype() == DType::kBool) return Value::of(ops::unary(kernels::UnaryOp::kLogicalNot, x));
      throw UserError(ExitCode::kEval, "~ on tensors of dtype " + std::string(dtype_name(x.dtype())) + " is not supported");
    }
  }
  switch (operand.kind) {
    case ValueKind::kBool:
    case ValueKind::kInt: {
      std::int64_t v = integer_of(operand);
      if (op == "-") return Value::of_int(-v);
      if (op == "+") return Value::of_int(v);
      if (op == "~") return Value::of_int(~v);
      break;
    }
    case ValueKind::kFloat:
      if (op == "-") return Value::of_float(-operand.real);
      if (op == "+") return operand;
      break;
    case ValueKind::kComplex: {
      Value v = operand;
      if (op == "-") v.complex_value = -v.complex_value;
      if (op != "~") return v;
      break;
    }
    default: break;
  }
  throw UserError(ExitCode::kEval, "bad operand type for unary " + op + ": '" + value_type_name(operand) + "'");
}

}  // namespace ag
