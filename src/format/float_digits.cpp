// Digit generation for the printer: std::to_chars for float/double, an exact search for half
// precision, and glibc's correctly rounded printf for fixed digit counts.
#include "format/float_digits.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ag::format {
namespace {

// 128-bit integers keep the half-precision search exact (GCC/Clang extension).
__extension__ typedef __int128 Wide;

/// Appends a digit, ignoring any beyond the capacity (unreachable for the precisions printed here).
void push_digit(DecimalDigits& d, char c) {
  if (d.count < DecimalDigits::kCapacity) d.digits[d.count++] = c;
}

/// Removes trailing zeros; an all-zero result becomes the canonical zero.
void normalise(DecimalDigits& d) {
  while (d.count > 1 && d.digits[d.count - 1] == '0') --d.count;
  if (d.count == 1 && d.digits[0] == '0') d.exponent = 0;
}

/// Reads "d.ddde±XX" or "de±XX" (to_chars and printf scientific output).
DecimalDigits parse_scientific(const char* text) {
  DecimalDigits d;
  d.count = 0;
  const char* p = text;
  for (; *p != '\0' && *p != 'e'; ++p)
    if (*p >= '0' && *p <= '9') push_digit(d, *p);
  d.exponent = *p == 'e' ? std::atoi(p + 1) : 0;
  if (d.count == 0) push_digit(d, '0');
  normalise(d);
  return d;
}

/// Reads printf %f output ("123.4500", "0.00012").
DecimalDigits parse_fixed(const char* text) {
  DecimalDigits d;
  d.count = 0;
  int integer_digits = 0;
  bool after_point = false;
  bool leading = true;
  int leading_zeros =
      0;  // zeros before the first nonzero digit, counted from the first integer digit
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p == '.') {
      after_point = true;
      continue;
    }
    if (*p < '0' || *p > '9') continue;
    if (!after_point) ++integer_digits;
    if (leading && *p == '0') {
      ++leading_zeros;
      continue;
    }
    leading = false;
    push_digit(d, *p);
  }
  if (d.count == 0) return DecimalDigits{};
  d.exponent = integer_digits - 1 - leading_zeros;
  normalise(d);
  return d;
}

/// 10^n as a 128-bit integer (n ≤ 38).
Wide power_of_ten(int n) {
  Wide result = 1;
  for (int i = 0; i < n; ++i) result *= 10;
  return result;
}

/// Shortest digits of a half-precision magnitude by exact integer search: for each length p, the
/// p-digit decimals just below and above the value are tested against its rounding interval.
DecimalDigits shortest_half_digits(double magnitude) {
  std::int64_t significand;
  int binary_exponent;
  if (magnitude < std::ldexp(1.0, -14)) {  // subnormal: multiples of 2^-24
    significand = static_cast<std::int64_t>(std::ldexp(magnitude, 24));
    binary_exponent = -24;
  } else {
    int e;
    double fraction = std::frexp(magnitude, &e);
    significand = static_cast<std::int64_t>(std::ldexp(fraction, 11));
    binary_exponent = e - 11;
  }
  // Round-half-even reading accepts the interval ends only when the significand is even. At a power
  // of two (not the smallest normal) the next value down is twice as close, so the lower half-gap
  // halves.
  bool even = significand % 2 == 0;
  bool narrow_below = significand == 1024 && binary_exponent > -24;
  // In units of 2^(binary_exponent - 2): value 4·significand, interval [value - low, value + high].
  int unit_exponent = binary_exponent - 2;
  Wide value_units = 4 * static_cast<Wide>(significand);
  Wide high = 2;
  Wide low = narrow_below ? 1 : 2;

  int decimal_exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  while (std::pow(10.0, decimal_exponent) > magnitude) --decimal_exponent;
  while (std::pow(10.0, decimal_exponent + 1) <= magnitude) ++decimal_exponent;

  for (int p = 1; p <= 17; ++p) {
    int k = decimal_exponent - (p - 1);  // decimal exponent of the last digit
    // Compare candidate·10^k with units·2^unit_exponent as candidate·a against units·b.
    Wide a = power_of_ten(k > 0 ? k : 0) << (unit_exponent < 0 ? -unit_exponent : 0);
    Wide b = power_of_ten(k < 0 ? -k : 0) << (unit_exponent > 0 ? unit_exponent : 0);
    Wide target = value_units * b;
    Wide lower_end = (value_units - low) * b;
    Wide upper_end = (value_units + high) * b;
    Wide below = target / a;
    Wide best = -1;
    Wide best_distance = 0;
    for (Wide candidate = below; candidate <= below + 1; ++candidate) {
      Wide scaled = candidate * a;
      bool inside = even ? (scaled >= lower_end && scaled <= upper_end)
                         : (scaled > lower_end && scaled < upper_end);
      if (!inside) continue;
      Wide distance = scaled > target ? scaled - target : target - scaled;
      if (best < 0 || distance < best_distance ||
          (distance == best_distance && candidate % 2 == 0)) {
        best = candidate;
        best_distance = distance;
      }
    }
    if (best < 0) continue;
    char text[48];
    int length = 0;
    for (Wide rest = best; rest > 0; rest /= 10)
      text[length++] = static_cast<char>('0' + static_cast<int>(rest % 10));
    DecimalDigits d;
    d.count = 0;
    for (int i = length; i-- > 0;) push_digit(d, text[i]);
    d.exponent = k + length - 1;
    normalise(d);
    return d;
  }
  return round_significant(magnitude, 5);  // unreachable: five digits always identify a half
}

}  // namespace

DecimalDigits shortest_digits(double value, FloatWidth width) {
  double magnitude = std::fabs(value);
  if (magnitude == 0 || !std::isfinite(magnitude)) return DecimalDigits{};
  char text[64];
  std::to_chars_result result{};
  switch (width) {
    case FloatWidth::kHalf:
      return shortest_half_digits(magnitude);
    case FloatWidth::kSingle:
      result = std::to_chars(text, text + sizeof text - 1, static_cast<float>(magnitude),
                             std::chars_format::scientific);
      break;
    case FloatWidth::kDouble:
      result =
          std::to_chars(text, text + sizeof text - 1, magnitude, std::chars_format::scientific);
      break;
  }
  *result.ptr = '\0';
  return parse_scientific(text);
}

DecimalDigits round_significant(double value, int significant) {
  double magnitude = std::fabs(value);
  if (magnitude == 0 || !std::isfinite(magnitude)) return DecimalDigits{};
  if (significant < 1) significant = 1;
  if (significant > 30) significant = 30;
  char text[64];
  std::snprintf(text, sizeof text, "%.*e", significant - 1, magnitude);
  return parse_scientific(text);
}

DecimalDigits round_fraction(double value, int fraction) {
  double magnitude = std::fabs(value);
  if (magnitude == 0 || !std::isfinite(magnitude)) return DecimalDigits{};
  if (fraction < 0) fraction = 0;
  if (fraction > 30) fraction = 30;
  char text[400];
  std::snprintf(text, sizeof text, "%.*f", fraction, magnitude);
  return parse_fixed(text);
}

int write_positional(char* out, const DecimalDigits& d, int fraction, bool keep_point) {
  // Digit at decimal position q (0 = units, -1 = tenths); zero outside the significant digits.
  auto digit_at = [&d](int q) {
    int index = d.exponent - q;
    return index >= 0 && index < d.count ? d.digits[index] : '0';
  };
  int n = 0;
  for (int q = d.exponent > 0 ? d.exponent : 0; q >= 0; --q) out[n++] = digit_at(q);
  if (fraction > 0 || keep_point) out[n++] = '.';
  for (int q = -1; q >= -fraction; --q) out[n++] = digit_at(q);
  return n;
}

int write_scientific(char* out, const DecimalDigits& d, int fraction, bool keep_point,
                     int exponent_digits) {
  int n = 0;
  out[n++] = d.digits[0];
  if (fraction > 0 || keep_point) out[n++] = '.';
  for (int i = 1; i <= fraction; ++i) out[n++] = i < d.count ? d.digits[i] : '0';
  out[n++] = 'e';
  out[n++] = d.exponent < 0 ? '-' : '+';
  int magnitude = d.exponent < 0 ? -d.exponent : d.exponent;
  char text[12];
  int length = 0;
  do {
    text[length++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  for (int i = length; i < exponent_digits; ++i) out[n++] = '0';
  while (length > 0) out[n++] = text[--length];
  return n;
}

}  // namespace ag::format
