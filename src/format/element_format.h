// numpy's per-element texts: one formatter per array (built from the shown elements only) and
// scalar texts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"

namespace ag::format {

/// Texts of the shown elements of an array in row-major order, stored back to back in one buffer.
class ElementTexts {
 public:
  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t i) const {
    std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(chars_).substr(begin, ends_[i] - begin);
  }
  void reserve(std::size_t count, std::size_t chars) {
    ends_.reserve(count);
    chars_.reserve(chars);
  }
  void push(std::string_view text) {
    chars_.append(text);
    ends_.push_back(chars_.size());
  }

 private:
  std::string chars_;
  std::vector<std::size_t> ends_;
};

/// numpy's element texts, inside an array, of the elements of `t` at the row-major `indices`; the
/// formatter (widths, notation, digits) is built from exactly those elements. `zero_d` selects
/// numpy's text for a 0-d array, which differs for bool ("True" rather than " True").
ElementTexts format_elements(const Tensor& t, const std::vector<std::int64_t>& indices,
                             bool zero_d);

/// numpy scalar text (repr == str in numpy 1.x) of element `index` of `t`: "28.0", "(1+2j)",
/// "b'a'".
std::string scalar_element_text(const Tensor& t, std::int64_t index);

/// Python's repr of a bytes object: b'a', b"it's", b'\x00\n'.
std::string bytes_repr(std::string_view bytes);

}  // namespace ag::format
