// Float element texts (numpy-repr.md §3.3) and numpy float scalar texts (§6).
#include "format/float_format.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/tensor.h"

namespace ag::format {
namespace {

/// Positional first-pass fraction digits are capped at numpy's default precision.
constexpr int kPrecision = 8;

/// max/min > 1000, with the division done in the array's own dtype as numpy does (float16 division
/// is float division rounded to half).
bool ratio_exceeds_thousand(double max_value, double min_value, FloatWidth width) {
  switch (width) {
    case FloatWidth::kHalf: {
      float quotient = static_cast<float>(max_value) / static_cast<float>(min_value);
      return half_to_float(float_to_half(quotient)) > 1000.0f;
    }
    case FloatWidth::kSingle:
      return static_cast<float>(max_value) / static_cast<float>(min_value) > 1000.0f;
    case FloatWidth::kDouble:
      break;
  }
  return max_value / min_value > 1000.0;
}

/// Whether the digits stop before the units position (so positional text would need zero fill).
bool ends_before_units(const DecimalDigits& d) { return d.exponent > d.count - 1; }

}  // namespace

FloatColumn::FloatColumn(std::vector<double> values, FloatWidth width, bool force_sign)
    : values_(std::move(values)), digits_(values_.size()), width_(width), force_sign_(force_sign) {
  // Notation is chosen from the finite nonzero magnitudes only.
  bool any_nonzero = false;
  bool any_finite = false;
  bool any_nonfinite = false;
  bool negative_infinity = false;
  double max_abs = 0;
  double min_abs = 0;
  for (double v : values_) {
    if (!std::isfinite(v)) {
      any_nonfinite = true;
      if (std::isinf(v) && v < 0) negative_infinity = true;
      continue;
    }
    any_finite = true;
    double magnitude = std::fabs(v);
    if (magnitude == 0) continue;
    if (!any_nonzero || magnitude > max_abs) max_abs = magnitude;
    if (!any_nonzero || magnitude < min_abs) min_abs = magnitude;
    any_nonzero = true;
  }
  scientific_ = any_nonzero && (max_abs >= 1e8 || min_abs < 1e-4 ||
                                ratio_exceeds_thousand(max_abs, min_abs, width));

  // First pass: each finite value's own digits fix the column's paddings.
  for (std::size_t i = 0; i < values_.size(); ++i) {
    double v = values_[i];
    if (!std::isfinite(v)) continue;
    int sign_length = (force_sign_ || std::signbit(v)) ? 1 : 0;
    DecimalDigits d = shortest_digits(v, width_);
    if (scientific_) {
      if (d.count - 1 > kPrecision) d = round_significant(v, kPrecision + 1);
      precision_ = std::max(precision_, d.count - 1);
      if (d.exponent >= 100 || d.exponent <= -100) exponent_digits_ = 3;
      pad_left_ = std::max(pad_left_, 1 + sign_length);
    } else {
      if (d.fraction_digits() > kPrecision) d = round_fraction(v, kPrecision);
      // Positional array text shows the exact integer part, never zero fill (float16 65504 →
      // "65504.").
      if (d.fraction_digits() == 0 && ends_before_units(d)) d = round_fraction(v, 0);
      int integer_length = (d.exponent >= 0 ? d.exponent + 1 : 1) + sign_length;
      pad_left_ = std::max(pad_left_, integer_length);
      pad_right_ = std::max(pad_right_, d.fraction_digits());
    }
    digits_[i] = d;
  }
  if (any_finite && scientific_) pad_right_ = exponent_digits_ + 2 + precision_;
  if (any_nonfinite) {
    // nan and inf are right-aligned in the common width, which must hold them.
    int offset = pad_right_ + 1;
    int infinity_length = 3 + ((force_sign_ || negative_infinity) ? 1 : 0);
    pad_left_ = std::max({pad_left_, 3 - offset, infinity_length - offset});
  }
}

int FloatColumn::write(std::size_t i, char* out) const {
  double v = values_[i];
  int width = text_width();
  if (!std::isfinite(v)) {
    const char* text;
    if (std::isnan(v))
      text = force_sign_ ? "+nan" : "nan";
    else if (v < 0)
      text = "-inf";
    else
      text = force_sign_ ? "+inf" : "inf";
    int length = static_cast<int>(std::strlen(text));
    int pad = std::max(0, width - length);
    std::memset(out, ' ', static_cast<std::size_t>(pad));
    std::memcpy(out + pad, text, static_cast<std::size_t>(length));
    return pad + length;
  }
  bool negative = std::signbit(v);
  bool has_sign = force_sign_ || negative;
  char body[kMaxText];
  int n = 0;
  if (has_sign) body[n++] = negative ? '-' : '+';
  int left;
  int right = 0;
  if (scientific_) {
    // Elements with fewer digits than the column show their true further digits, not zeros.
    DecimalDigits d = digits_[i];
    if (d.count - 1 < precision_) d = round_significant(v, precision_ + 1);
    n += write_scientific(body + n, d, precision_, true, exponent_digits_);
    left = pad_left_ - (1 + (has_sign ? 1 : 0));
  } else {
    const DecimalDigits& d = digits_[i];
    int fraction = d.fraction_digits();
    int integer_length = (d.exponent >= 0 ? d.exponent + 1 : 1) + (has_sign ? 1 : 0);
    n += write_positional(body + n, d, fraction, true);
    left = pad_left_ - integer_length;
    right = pad_right_ - fraction;
  }
  int length = 0;
  for (int k = 0; k < left; ++k) out[length++] = ' ';
  std::memcpy(out + length, body, static_cast<std::size_t>(n));
  length += n;
  for (int k = 0; k < right; ++k) out[length++] = ' ';
  return length;
}

std::string float_scalar_text(double value, FloatWidth width, bool trim_zero) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char text[kPrecision + 400];
  int n = 0;
  if (std::signbit(value)) text[n++] = '-';
  DecimalDigits d = shortest_digits(value, width);
  double magnitude = std::fabs(value);
  if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
    int fraction = d.fraction_digits();
    if (fraction == 0 && !trim_zero) fraction = 1;
    n += write_positional(text + n, d, fraction, false);
  } else {
    n += write_scientific(text + n, d, d.count - 1, false, 2);
  }
  return std::string(text, static_cast<std::size_t>(n));
}

}  // namespace ag::format
