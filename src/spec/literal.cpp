// Literal conversion. Floats are parsed in the target precision: strtof/strtod round correctly;
// for the 16-bit types the double is rounded again only after checking, with directed-rounding
// parses, which side of a tie the decimal text really lies on.
#include "spec/literal.h"

#include <cctype>
#include <cerrno>
#include <cfenv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "diag/error.h"
#include "ops/convert.h"

namespace ag {
namespace {

enum class ScalarKind { kInt, kFloat, kBool, kString };

struct Scalar {
  ScalarKind kind;
  const Literal* literal;
};

bool is_special_float(const std::string& s) {
  static const char* kSpecial[] = {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  for (const char* special : kSpecial)
    if (s == special) return true;
  return false;
}

bool parse_integer_text(const std::string& s, std::int64_t& value) {
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  int base = 10;
  if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
    base = s[i + 1] == 'x' ? 16 : 8;
    i += 2;
  }
  if (i >= s.size()) return false;
  for (std::size_t k = i; k < s.size(); ++k) {
    char c = s[k];
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) return false;
  }
  errno = 0;
  unsigned long long magnitude = std::strtoull(s.c_str() + i, nullptr, base);
  if (errno == ERANGE || magnitude > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()) + (s[0] == '-'))
    return false;
  value = s[0] == '-' ? static_cast<std::int64_t>(0ULL - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

/// An integer too large for int64 is still an integer (a uint64 literal, or an out-of-range error).
bool is_decimal_digits(const std::string& s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i >= s.size()) return false;
  for (std::size_t k = i; k < s.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
  return true;
}

ScalarKind classify(const Literal& lit) {
  const std::string& s = lit.text;
  if (lit.quoted) return ScalarKind::kString;
  if (s == "true" || s == "false" || s == "True" || s == "False" || s == "TRUE" || s == "FALSE") return ScalarKind::kBool;
  std::int64_t ignored;
  if (parse_integer_text(s, ignored) || is_decimal_digits(s)) return ScalarKind::kInt;
  if (is_special_float(s)) return ScalarKind::kFloat;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size() && s.find_first_of("xXpPnN") == std::string::npos) return ScalarKind::kFloat;
  return ScalarKind::kString;
}

double parse_double_rounded(const std::string& s, int mode) {
  if (is_special_float(s)) {
    if (s.find("nan") != std::string::npos || s.find("NaN") != std::string::npos || s.find("NAN") != std::string::npos)
      return std::numeric_limits<double>::quiet_NaN();
    return s[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  int saved = std::fegetround();
  std::fesetround(mode);
  double value = std::strtod(s.c_str(), nullptr);
  std::fesetround(saved);
  return value;
}

/// Rounds decimal text to a 16-bit float type: nearest double first, then a second rounding that
/// is corrected when the double sits exactly on a tie the decimal text is not on.
template <class Narrow, class Widen>
std::uint16_t parse_narrow(const std::string& text, Narrow narrow, Widen widen) {
  double nearest = parse_double_rounded(text, FE_TONEAREST);
  std::uint16_t bits = narrow(nearest);
  if (!std::isfinite(nearest)) return bits;
  double chosen = widen(bits);
  if (chosen == nearest) return bits;
  // Neighbour on the other side of `nearest`.
  std::uint16_t other = static_cast<std::uint16_t>(chosen > nearest ? (nearest >= 0 ? bits - 1 : bits + 1)
                                                                   : (nearest >= 0 ? bits + 1 : bits - 1));
  double other_value = widen(other);
  if (std::fabs(other_value - nearest) != std::fabs(chosen - nearest)) return bits;  // not a tie
  double up = parse_double_rounded(text, FE_UPWARD);
  double down = parse_double_rounded(text, FE_DOWNWARD);
  if (up == down) return bits;  // the text is exactly the tie: ties-to-even already chose
  bool text_above = up > nearest && down == nearest;
  bool text_below = down < nearest && up == nearest;
  if (text_above) return chosen > nearest ? bits : other;
  if (text_below) return chosen < nearest ? bits : other;
  return bits;
}

float parse_float(const std::string& s) {
  return is_special_float(s) ? static_cast<float>(parse_double_rounded(s, FE_TONEAREST)) : std::strtof(s.c_str(), nullptr);
}

[[noreturn]] void fail(const Literal& lit, const std::string& message) { throw UserError(ExitCode::kUsage, lit.span, message); }

void collect(const Literal& lit, std::size_t depth, Shape& shape, std::vector<const Literal*>& leaves, bool& first) {
  if (lit.kind == Literal::Kind::kNull) fail(lit, "a value cannot be null");
  if (lit.kind == Literal::Kind::kList) {
    if (shape.size() == depth) {
      if (!first) fail(lit, "Can't convert non-rectangular Python sequence to Tensor.");
      shape.push_back(static_cast<std::int64_t>(lit.items.size()));
    } else if (shape.size() < depth || shape[depth] != static_cast<std::int64_t>(lit.items.size())) {
      fail(lit, "Can't convert non-rectangular Python sequence to Tensor.");
    }
    if (lit.items.empty()) first = false;
    for (const Literal& item : lit.items) collect(item, depth + 1, shape, leaves, first);
    return;
  }
  if (shape.size() != depth) fail(lit, "Can't convert non-rectangular Python sequence to Tensor.");
  first = false;
  leaves.push_back(&lit);
}

}  // namespace

std::uint16_t parse_half(const std::string& text) {
  return parse_narrow(text, [](double v) { return double_to_half(v); }, [](std::uint16_t b) { return static_cast<double>(half_to_float(b)); });
}

std::uint16_t parse_bfloat16(const std::string& text) {
  // float → bfloat16 rounds from the float; a double → float step first could round twice,
  // so round the double to bfloat16 by its own bits.
  auto narrow = [](double v) {
    float f = static_cast<float>(v);
    std::uint16_t bits = float_to_bfloat16(f);
    double chosen = bfloat16_to_float(bits);
    // Correct the rare double rounding through float.
    std::uint16_t up = static_cast<std::uint16_t>(bits + 1);
    std::uint16_t down = static_cast<std::uint16_t>(bits - 1);
    for (std::uint16_t candidate : {up, down}) {
      double value = bfloat16_to_float(candidate);
      if (std::isfinite(value) && std::fabs(value - v) < std::fabs(chosen - v)) {
        bits = candidate;
        chosen = value;
      }
    }
    return bits;
  };
  return parse_narrow(text, narrow, [](std::uint16_t b) { return static_cast<double>(bfloat16_to_float(b)); });
}

Tensor literal_to_tensor(const Literal& literal, std::optional<DType> dtype) {
  Shape shape;
  std::vector<const Literal*> leaves;
  bool first = true;
  collect(literal, 0, shape, leaves, first);
  if (!dtype) {
    bool any_float = false, any_int = false, any_bool = false, any_string = false;
    bool int64_needed = false;
    for (const Literal* leaf : leaves) {
      switch (classify(*leaf)) {
        case ScalarKind::kFloat: any_float = true; break;
        case ScalarKind::kBool: any_bool = true; break;
        case ScalarKind::kString: any_string = true; break;
        case ScalarKind::kInt: {
          any_int = true;
          std::int64_t v = 0;
          if (!parse_integer_text(leaf->text, v)) fail(*leaf, "integer " + leaf->text + " is out of range for int64 (give dtype: uint64)");
          if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) int64_needed = true;
          break;
        }
      }
    }
    if (any_string) {
      for (const Literal* leaf : leaves)
        if (classify(*leaf) == ScalarKind::kString)
          fail(*leaf, "'" + leaf->text + "' is not a number; an expression value must be the whole value (or give dtype: string)");
    }
    if (any_bool && (any_float || any_int)) fail(literal, "a value mixes booleans and numbers; give a dtype");
    dtype = any_float ? DType::kFloat32 : any_bool ? DType::kBool : int64_needed ? DType::kInt64 : any_int ? DType::kInt32 : DType::kFloat32;
  }
  if (*dtype == DType::kString) {
    std::vector<std::string> values;
    for (const Literal* leaf : leaves) values.push_back(leaf->text);
    return Tensor::from_strings(shape, std::move(values));
  }
  if (!dtype_is_numeric(*dtype))
    fail(literal, "inputs of dtype " + std::string(dtype_name(*dtype)) + " cannot be written as literals");
  Tensor t = Tensor::allocate(*dtype, shape);
  void* p = t.raw_mutable();
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const Literal& leaf = *leaves[i];
    ScalarKind kind = classify(leaf);
    const std::string& s = leaf.text;
    std::string target(dtype_name(*dtype));
    if (kind == ScalarKind::kString) fail(leaf, "'" + s + "' is not a number");
    if (*dtype == DType::kBool) {
      if (kind != ScalarKind::kBool) fail(leaf, "Cannot convert " + s + " to EagerTensor of dtype bool");
      static_cast<bool*>(p)[i] = s[0] == 't' || s[0] == 'T';
      continue;
    }
    if (kind == ScalarKind::kBool) fail(leaf, "Cannot convert " + s + " to EagerTensor of dtype " + target);
    if (dtype_is_integer(*dtype)) {
      std::int64_t v = 0;
      if (kind != ScalarKind::kInt || !parse_integer_text(s, v)) {
        // uint64 values beyond int64 are still valid uint64 literals.
        if (*dtype == DType::kUInt64 && kind == ScalarKind::kInt && s[0] != '-') {
          errno = 0;
          unsigned long long u = std::strtoull(s.c_str(), nullptr, 10);
          if (errno != ERANGE) {
            static_cast<std::uint64_t*>(p)[i] = u;
            continue;
          }
        }
        fail(leaf, "Cannot convert " + s + " to EagerTensor of dtype " + target);
      }
      // As tf.constant(v, dtype) converts it (ops/convert.h): int32 and uint64 reject values out of
      // range, int8/16 and uint8/16/32 wrap.
      if (!store_python_int(*dtype, p, static_cast<std::int64_t>(i), v))
        fail(leaf, "Can't convert Python int " + s + " to dtype " + target + ": out of range");
      continue;
    }
    switch (*dtype) {
      case DType::kFloat32: static_cast<float*>(p)[i] = parse_float(s); break;
      case DType::kFloat64: static_cast<double*>(p)[i] = parse_double_rounded(s, FE_TONEAREST); break;
      case DType::kFloat16: static_cast<std::uint16_t*>(p)[i] = parse_half(s); break;
      case DType::kBFloat16: static_cast<std::uint16_t*>(p)[i] = parse_bfloat16(s); break;
      case DType::kComplex64: static_cast<std::complex<float>*>(p)[i] = {parse_float(s), 0.0f}; break;
      case DType::kComplex128: static_cast<std::complex<double>*>(p)[i] = {parse_double_rounded(s, FE_TONEAREST), 0.0}; break;
      default: fail(leaf, "cannot convert " + s + " to dtype " + target);
    }
  }
  return t;
}

}  // namespace ag
