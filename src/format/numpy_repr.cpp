// numpy 1.24's array layout (summarisation, wrapping, nesting) and TF's tensor/variable templates
// around it.
#include "format/numpy_repr.h"

#include <cstddef>
#include <string_view>
#include <vector>

#include "format/element_format.h"

namespace ag::format {
namespace {

/// numpy's defaults: summarise above `threshold` elements, keeping `edgeitems` at each end of an
/// axis.
constexpr std::int64_t kThreshold = 1000;
constexpr std::int64_t kEdgeItems = 3;
constexpr int kLineWidth = 75;

/// The three things repr and str differ in (numpy-repr.md §4).
struct LayoutStyle {
  std::string_view separator;  ///< between items: ", " or " "
  int width;                   ///< line budget: 74 for repr (a column for ')' or ','), 75 for str
  int hanging;                 ///< indent of depth 0: 7 for "array([", 1 for "["
};

constexpr LayoutStyle kReprStyle{", ", kLineWidth - 1, 7};
constexpr LayoutStyle kStrStyle{" ", kLineWidth, 1};

/// Handle dtypes have no numpy value (TF prints "<unprintable>"); a tensor without storage has none
/// either, and must not be read.
bool is_unprintable(const Tensor& t) {
  return !t.defined() || t.dtype() == DType::kResource || t.dtype() == DType::kVariant;
}

/// Which indices of each axis are shown: all, or the first and last kEdgeItems around a gap.
struct Corner {
  Shape shape;
  bool summarise = false;

  bool has_gap(std::size_t axis) const { return summarise && shape[axis] > 2 * kEdgeItems; }
  std::int64_t shown(std::size_t axis) const {
    return has_gap(axis) ? 2 * kEdgeItems : shape[axis];
  }
  /// The k-th shown index of an axis.
  std::int64_t index(std::size_t axis, std::int64_t k) const {
    return has_gap(axis) && k >= kEdgeItems ? shape[axis] - 2 * kEdgeItems + k : k;
  }
};

/// Row-major flat indices of the shown elements, the only ones the formatter reads.
std::vector<std::int64_t> shown_indices(const Corner& corner) {
  std::size_t rank = corner.shape.size();
  std::vector<std::int64_t> strides = shape_strides(corner.shape);
  std::int64_t count = 1;
  for (std::size_t axis = 0; axis < rank; ++axis) count *= corner.shown(axis);
  std::vector<std::int64_t> indices;
  indices.reserve(static_cast<std::size_t>(count));
  std::vector<std::int64_t> position(rank, 0);
  for (std::int64_t n = 0; n < count; ++n) {
    std::int64_t flat = 0;
    for (std::size_t axis = 0; axis < rank; ++axis)
      flat += corner.index(axis, position[axis]) * strides[axis];
    indices.push_back(flat);
    for (std::size_t axis = rank; axis-- > 0;) {
      if (++position[axis] < corner.shown(axis)) break;
      position[axis] = 0;
    }
  }
  return indices;
}

/// Writes one bracketed block (numpy's _formatArray recursion) straight into `out`. On entry the
/// current line holds hanging + depth - 1 characters; the block's own lines are indented by
/// hanging + depth spaces and budgeted width - depth columns.
class BlockWriter {
 public:
  BlockWriter(const Corner& corner, const ElementTexts& texts, const LayoutStyle& style,
              std::string& out)
      : corner_(corner), texts_(texts), style_(style), out_(out) {}

  void write(std::size_t depth) {
    int indent = style_.hanging + static_cast<int>(depth);
    std::size_t axes_left = corner_.shape.size() - depth;
    std::int64_t shown = corner_.shown(depth);
    bool gap = corner_.has_gap(depth);
    out_ += '[';
    if (axes_left == 1) {
      write_row(indent, style_.width - static_cast<int>(depth) - 1, shown, gap);
    } else {
      std::string_view separator =
          style_.separator.substr(0, style_.separator.find_last_not_of(' ') + 1);
      for (std::int64_t k = 0; k < shown; ++k) {
        if (k > 0) out_.append(static_cast<std::size_t>(indent), ' ');
        write(depth + 1);
        if (k + 1 < shown) {
          out_ += separator;
          out_.append(axes_left - 1, '\n');
        }
        if (gap && k + 1 == kEdgeItems) {
          out_.append(static_cast<std::size_t>(indent), ' ');
          out_ += "...";
          out_ += separator;
          out_.append(axes_left - 1, '\n');
        }
      }
    }
    out_ += ']';
  }

 private:
  /// The last axis: items wrap when the next one would pass the budget, unless the line holds
  /// only its indent (wrapping would not help).
  void write_row(int indent, int budget, std::int64_t shown, bool gap) {
    int column = indent;
    auto add_word = [&](std::string_view word) {
      if (column + static_cast<int>(word.size()) > budget && column > indent) {
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        out_ += '\n';
        out_.append(static_cast<std::size_t>(indent), ' ');
        column = indent;
      }
      out_ += word;
      column += static_cast<int>(word.size());
    };
    for (std::int64_t k = 0; k < shown; ++k) {
      add_word(texts_[next_++]);
      if (k + 1 < shown) {
        out_ += style_.separator;
        column += static_cast<int>(style_.separator.size());
      }
      if (gap && k + 1 == kEdgeItems) {
        add_word("...");
        out_ += style_.separator;
        column += static_cast<int>(style_.separator.size());
      }
    }
  }

  const Corner& corner_;
  const ElementTexts& texts_;
  const LayoutStyle& style_;
  std::string& out_;
  std::size_t next_ = 0;
};

/// The bracketed layout of a non-empty array of rank ≥ 1.
std::string layout(const Tensor& t, const LayoutStyle& style, std::string prefix) {
  Corner corner{t.shape(), t.size() > kThreshold};
  ElementTexts texts = format_elements(t, shown_indices(corner), false);
  std::string out = std::move(prefix);
  BlockWriter(corner, texts, style, out).write(0);
  return out;
}

/// numpy's dtype text after "dtype=".
std::string numpy_dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kString:
      return "object";
    case DType::kQInt8:
      return "[('qint8', 'i1')]";
    case DType::kQUInt8:
      return "[('quint8', 'u1')]";
    case DType::kQInt16:
      return "[('qint16', '<i2')]";
    case DType::kQUInt16:
      return "[('quint16', '<u2')]";
    case DType::kQInt32:
      return "[('qint32', '<i4')]";
    default:
      return std::string(dtype_name(dtype));
  }
}

/// numpy leaves out "dtype=" for its defaults on Linux (int64, not int32).
bool dtype_is_implied(DType dtype) {
  return dtype == DType::kFloat64 || dtype == DType::kInt64 || dtype == DType::kBool ||
         dtype == DType::kComplex128;
}

/// TF puts a multi-line numpy text on its own line.
std::string tf_text(std::string text) {
  if (text.find('\n') != std::string::npos) text.insert(text.begin(), '\n');
  return text;
}

}  // namespace

std::string array_repr(const Tensor& t) {
  if (is_unprintable(t)) return "<unprintable>";
  std::string text;
  if (t.size() == 0) {
    text = "array([]";
    if (t.rank() != 1) text += ", shape=" + shape_str(t.shape());
  } else if (t.rank() == 0) {
    text = "array(" + std::string(format_elements(t, {0}, true)[0]);
  } else {
    text = layout(t, kReprStyle, "array(");
  }
  if (t.size() > 0 && dtype_is_implied(t.dtype())) return text + ")";
  text += ',';
  std::string dtype_text = "dtype=" + numpy_dtype_name(t.dtype()) + ")";
  std::size_t line_start = text.rfind('\n');
  std::size_t last_line = text.size() - (line_start == std::string::npos ? 0 : line_start + 1);
  if (last_line + 1 + dtype_text.size() > static_cast<std::size_t>(kLineWidth))
    text += "\n      ";
  else
    text += ' ';
  return text + dtype_text;
}

std::string array_str(const Tensor& t) {
  if (is_unprintable(t)) return "<unprintable>";
  if (t.rank() == 0) return scalar_text(t);
  if (t.size() == 0) return "[]";
  return layout(t, kStrStyle, "");
}

std::string scalar_text(const Tensor& t) {
  if (is_unprintable(t)) return "<unprintable>";
  return scalar_element_text(t, 0);
}

std::string numpy_value_repr(const Tensor& t) {
  return t.rank() == 0 ? scalar_text(t) : array_repr(t);
}

std::string tensor_repr(const Tensor& t) {
  return "<tf.Tensor: shape=" + shape_str(t.shape()) +
         ", dtype=" + std::string(dtype_name(t.dtype())) +
         ", numpy=" + tf_text(numpy_value_repr(t)) + ">";
}

std::string tensor_str(const Tensor& t) {
  return "tf.Tensor(" + tf_text(array_str(t)) + ", shape=" + shape_str(t.shape()) +
         ", dtype=" + std::string(dtype_name(t.dtype())) + ")";
}

std::string variable_repr(const std::string& name, const Tensor& value) {
  std::string full_name = name.find(':') == std::string::npos ? name + ":0" : name;
  return "<tf.Variable '" + full_name + "' shape=" + shape_str(value.shape()) +
         " dtype=" + std::string(dtype_name(value.dtype())) +
         ", numpy=" + tf_text(numpy_value_repr(value)) + ">";
}

}  // namespace ag::format
