// numpy's FloatingFormat for one array of values: notation, padding and digits chosen together.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "format/float_digits.h"

namespace ag::format {

/// Formats the values of one float array (or the real or imaginary parts of a complex one) into
/// equal-width texts, as numpy 1.24 does with its default options.
class FloatColumn {
 public:
  /// Largest text write() produces, for sizing buffers.
  static constexpr int kMaxText = 48;

  /// `values` are the shown elements widened to double (exact); `force_sign` shows '+' on
  /// non-negative values and nan (numpy's sign='+', used for imaginary parts).
  FloatColumn(std::vector<double> values, FloatWidth width, bool force_sign);

  std::size_t size() const { return values_.size(); }
  /// Common width of every text.
  int text_width() const { return pad_left_ + pad_right_ + 1; }
  /// Writes the padded text of value i; returns its length.
  int write(std::size_t i, char* out) const;

 private:
  std::vector<double> values_;
  std::vector<DecimalDigits> digits_;  ///< first-pass digits of each finite value
  FloatWidth width_;
  bool force_sign_;
  bool scientific_ = false;
  int pad_left_ = 0;
  int pad_right_ = 0;
  int precision_ = 0;        ///< mantissa fraction digits (scientific)
  int exponent_digits_ = 2;  ///< at least 2; 3 when some |exponent| ≥ 100
};

/// numpy scalar text of a float: shortest digits in `width`, positional with at least one fraction
/// digit when 1e-4 ≤ |x| < 1e16 or x == 0, otherwise "1e-05" style. With `trim_zero` a value
/// without fraction digits prints no ".0" (the parts of complex scalars: "(1+2j)").
std::string float_scalar_text(double value, FloatWidth width, bool trim_zero = false);

}  // namespace ag::format
