// Decimal digits of IEEE binary16/32/64 values: shortest round-trip digits and correctly rounded
// ones.
#pragma once

#include <cstdint>

namespace ag::format {

/// The precision a floating value is stored in; shortest digits must read back to it in this width.
enum class FloatWidth : std::uint8_t { kHalf, kSingle, kDouble };

/// The magnitude of a finite value as significant decimal digits: |x| = d1.d2d3... × 10^exponent.
/// Digits carry no leading or trailing zeros; zero is the single digit "0" with exponent 0.
struct DecimalDigits {
  static constexpr int kCapacity = 40;
  char digits[kCapacity] = {'0'};
  int count = 1;
  int exponent = 0;

  /// Digits after the decimal point in positional notation (0 when the digits end at or before
  /// units).
  int fraction_digits() const { return count - 1 - exponent > 0 ? count - 1 - exponent : 0; }
};

/// The fewest significant digits that read back (round-half-even) to |value| in `width`; among
/// equally short candidates the one closest to the exact value. `value` must be finite and exact in
/// `width`.
DecimalDigits shortest_digits(double value, FloatWidth width);
/// |value| rounded half-to-even on its exact binary value to `significant` significant digits
/// (printf %.*e).
DecimalDigits round_significant(double value, int significant);
/// |value| rounded half-to-even on its exact binary value to `fraction` digits after the point
/// (printf %.*f).
DecimalDigits round_fraction(double value, int fraction);

/// Writes the digits positionally ("0.00123", "65500.", "12.5"), zero-filling up to the units digit
/// and to exactly `fraction` fraction digits; the point is written when `fraction` > 0 or
/// `keep_point`. No sign. Returns the characters written (at most exponent + fraction + 2).
int write_positional(char* out, const DecimalDigits& digits, int fraction, bool keep_point);
/// Writes "d.ddd" with exactly `fraction` mantissa digits after the point (zero-filled; the point
/// is kept when `fraction` is 0 if `keep_point`), then 'e', the exponent sign and at least
/// `exponent_digits` exponent digits. No leading sign. Returns the characters written.
int write_scientific(char* out, const DecimalDigits& digits, int fraction, bool keep_point,
                     int exponent_digits);

}  // namespace ag::format
