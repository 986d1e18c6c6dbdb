// YAML → Spec. Checks every key against the spec format (with "did you mean"), keeps the place
// of every value, and maps expression offsets back to file lines and columns.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/limits.h"
#include "diag/error.h"
#include "diag/spellcheck.h"
#include "spec/spec.h"

namespace ag {
namespace {

/// Hostile YAML (alias bombs, deep nesting) must fail cleanly instead of exhausting the machine.
/// Each literal node costs about 150 bytes while it is converted, so an alias bomb stopped at 10
/// million would still take 1.5 GB; larger data belongs in a .npy file read with load().
constexpr std::size_t kMaxLiteralNodes = 1'000'000;
constexpr int kMaxLiteralDepth = 64;

/// yaml-cpp's message, with a hint for the mistakes its wording leaves unclear.
std::string yaml_error_message(const YAML::Exception& error, const std::string& text) {
  if (dynamic_cast<const YAML::DeepRecursion*>(&error))
    return "invalid YAML: nested too deeply (yaml-cpp's limit is 2000 levels)";
  std::string message = "invalid YAML: " + error.msg;
  // The line the error is on: a tab in its indentation is the usual cause of "illegal map value".
  std::size_t start = 0;
  for (int line = 0; line < error.mark.line && start != std::string::npos; ++line) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start != std::string::npos && start < text.size()) {
    std::size_t indent_end = text.find_first_not_of(" \t", start);
    if (text.find('\t', start) < std::min(indent_end, text.size())) return message + " (YAML indentation must use spaces, not tabs)";
  }
  if (error.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) return message + " (a '[' is not closed by ']')";
  if (error.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) return message + " (a '{' is not closed by '}')";
  return message;
}

class Loader {
 public:
  Loader(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  Spec load();

 private:
  SourceSpan span_at(const YAML::Mark& mark, int length = 1) const {
    SourceSpan span;
    span.file = path_;
    span.line = mark.line + 1;
    span.column = mark.column + 1;
    span.length = length;
    return span;
  }
  SourceSpan span_of(const YAML::Node& node) const { return span_at(node.Mark()); }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    throw UserError(ExitCode::kUsage, span_of(node), message);
  }

  std::string scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a string");
    return node.Scalar();
  }
  bool boolean(const YAML::Node& node, const std::string& what) const {
    if (node.IsScalar() && node.Tag() != "!") {
      const std::string& s = node.Scalar();
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
    }
    fail(node, what + " must be true or false");
  }
  double number(const YAML::Node& node, const std::string& what) const {
    if (node.IsScalar() && node.Tag() != "!") {
      try {
        std::size_t used = 0;
        double value = std::stod(node.Scalar(), &used);
        if (used == node.Scalar().size()) return value;
      } catch (const std::exception&) {
      }
    }
    fail(node, what + " must be a number");
  }

  /// Checks a mapping's keys against the allowed ones, in file order.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& where) const {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) fail(it->first, "keys of " + where + " must be strings");
      const std::string& key = it->first.Scalar();
      if (!seen.insert(key).second) fail(it->first, "duplicate key '" + key + "' in " + where);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(it->first, "unknown key '" + key + "' in " + where + did_you_mean(key, allowed));
    }
  }

  SpecExpr expression(const YAML::Node& node, const std::string& what) const;
  std::vector<SpecExpr> expression_list(const YAML::Node& node, const std::string& what) const;
  Literal literal(const YAML::Node& node, int depth) const;
  InputSpec input(const std::string& name, const YAML::Node& key, const YAML::Node& value) const;
  Shape shape(const YAML::Node& node) const;

  const std::string& text_;
  const std::string& path_;
  mutable std::size_t literal_nodes_ = 0;
};

/// Positions of each byte of a block scalar's value (`|` literal or `>` folded, header at `pos`)
/// in the file, plus one past its end; empty when the value cannot be aligned with the lines
/// after the header (an explicit indentation indicator, or text the file does not hold).
std::vector<std::pair<int, int>> block_scalar_positions(const std::string& file, std::size_t pos, int header_line,
                                                        const std::string& value) {
  std::vector<std::pair<int, int>> positions;
  std::size_t header_end = file.find('\n', pos);
  if (header_end == std::string::npos) return {};
  for (std::size_t k = pos + 1; k < header_end && file[k] != '#' && file[k] != ' '; ++k)
    if (std::isdigit(static_cast<unsigned char>(file[k]))) return {};
  // The indentation of the content is that of its first non-blank line.
  std::size_t line_start = header_end + 1;
  std::size_t indent = std::string::npos;
  for (std::size_t k = line_start; k < file.size();) {
    std::size_t end = file.find('\n', k);
    if (end == std::string::npos) end = file.size();
    std::size_t first = file.find_first_not_of(' ', k);
    if (first < end && file[first] != '\r') {
      indent = first - k;
      break;
    }
    k = end + 1;
  }
  if (indent == std::string::npos) return {};
  std::size_t i = 0;
  int line = header_line + 1;
  for (std::size_t k = line_start; i < value.size() && k <= file.size(); ++line) {
    std::size_t end = file.find('\n', k);
    if (end == std::string::npos) end = file.size();
    std::size_t content_end = end > k && file[end - 1] == '\r' ? end - 1 : end;
    std::size_t content = std::min(k + indent, content_end);
    for (std::size_t c = content; c < content_end && i < value.size(); ++c, ++i) {
      if (value[i] != file[c]) return {};
      positions.emplace_back(line, static_cast<int>(c - k) + 1);
    }
    // A line break is a '\n' (literal) or a space (folded) in the value, or nothing (folded, before a blank line).
    if (i < value.size() && (value[i] == '\n' || value[i] == ' ')) {
      positions.emplace_back(line, static_cast<int>(content_end - k) + 1);
      ++i;
    }
    if (end == file.size()) break;
    k = end + 1;
  }
  if (i < value.size()) return {};
  positions.emplace_back(positions.empty() ? std::make_pair(header_line + 1, static_cast<int>(indent) + 1) : positions.back());
  if (positions.size() > 1) ++positions.back().second;
  return positions;
}

SpecExpr Loader::expression(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar() || node.IsNull()) fail(node, what + " must be an expression string");
  SpecExpr e;
  e.text = node.Scalar();
  e.span = span_of(node);
  // Map offsets to places when the scalar stands verbatim in the file, after an opening quote or not.
  std::size_t pos = static_cast<std::size_t>(node.Mark().pos);
  for (std::size_t skip : {std::size_t{0}, std::size_t{1}}) {
    if (pos + skip > text_.size() || text_.compare(pos + skip, e.text.size(), e.text) != 0) continue;
    if (skip == 1 && text_[pos] != '"' && text_[pos] != '\'') continue;
    int line = e.span.line;
    int column = e.span.column + static_cast<int>(skip);
    e.positions.reserve(e.text.size() + 1);
    for (std::size_t i = 0; i < e.text.size(); ++i) {
      e.positions.emplace_back(line, column);
      if (e.text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    e.positions.emplace_back(line, column);
    break;
  }
  if (e.positions.empty() && pos < text_.size() && (text_[pos] == '|' || text_[pos] == '>'))
    e.positions = block_scalar_positions(text_, pos, e.span.line, e.text);
  return e;
}

std::vector<SpecExpr> Loader::expression_list(const YAML::Node& node, const std::string& what) const {
  std::vector<SpecExpr> list;
  if (node.IsNull()) return list;
  if (!node.IsSequence()) fail(node, what + " must be a list of expressions");
  list.reserve(node.size());
  const std::string item_what = "each entry of " + what;
  for (const YAML::Node& item : node) list.push_back(expression(item, item_what));
  return list;
}

Literal Loader::literal(const YAML::Node& node, int depth) const {
  if (++literal_nodes_ > kMaxLiteralNodes)
    fail(node, "value has more than " + std::to_string(kMaxLiteralNodes) + " elements (YAML aliases expanding?)");
  if (depth > kMaxLiteralDepth) fail(node, "value is nested more than " + std::to_string(kMaxLiteralDepth) + " levels deep");
  Literal lit;
  lit.span = span_of(node);
  if (node.IsNull()) {
    lit.kind = Literal::Kind::kNull;
    return lit;
  }
  if (node.IsSequence()) {
    lit.kind = Literal::Kind::kList;
    for (const YAML::Node& item : node) lit.items.push_back(literal(item, depth + 1));
    return lit;
  }
  if (node.IsMap()) fail(node, "a value must be a number, a boolean, a list or an expression string, not a mapping");
  lit.text = node.Scalar();
  lit.quoted = node.Tag() == "!";
  return lit;
}

Shape Loader::shape(const YAML::Node& node) const {
  if (!node.IsSequence()) fail(node, "shape must be a list of integers, e.g. [4, 1]");
  Shape shape;
  for (const YAML::Node& dim : node) {
    double value = number(dim, "each dimension of shape");
    // Range first: casting a double beyond int64 to it is undefined behaviour.
    if (!(value >= -1 && value < 9.2e18) || value != static_cast<double>(static_cast<std::int64_t>(value)))
      fail(dim, "each dimension of shape must be a non-negative integer or -1");
    shape.push_back(static_cast<std::int64_t>(value));
  }
  return shape;
}

bool looks_like_literal(const YAML::Node& node) {
  if (!node.IsScalar()) return true;
  if (node.Tag() == "!") return false;  // quoted: an expression
  const std::string& s = node.Scalar();
  if (s == "true" || s == "false" || s == "True" || s == "False" || s == "TRUE" || s == "FALSE") return true;
  if (s == ".nan" || s == ".NaN" || s == ".NAN" || s == ".inf" || s == ".Inf" || s == ".INF" || s == "-.inf" ||
      s == "-.Inf" || s == "-.INF" || s == "+.inf")
    return true;
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && s.find_first_of("xXpP") == std::string::npos;
}

InputSpec Loader::input(const std::string& name, const YAML::Node& key, const YAML::Node& value) const {
  InputSpec in;
  in.name = name;
  in.span = span_of(key);
  YAML::Node v = value;
  if (value.IsMap()) {
    check_keys(value, {"value", "dtype", "shape", "variable", "trainable"}, "input '" + name + "'");
    if (!value["value"]) fail(value, "input '" + name + "' has no 'value'");
    v.reset(value["value"]);  // not operator=, which would overwrite the mapping itself
    if (value["dtype"]) {
      in.dtype = scalar(value["dtype"], "dtype");
      in.dtype_span = span_of(value["dtype"]);
    }
    if (value["shape"]) {
      in.shape = shape(value["shape"]);
      in.shape_span = span_of(value["shape"]);
    }
    if (value["variable"]) in.variable = boolean(value["variable"], "variable");
    if (value["trainable"]) in.trainable = boolean(value["trainable"], "trainable");
  }
  in.value_span = span_of(v);
  bool string_dtype = in.dtype && *in.dtype == "string";
  if (string_dtype || looks_like_literal(v)) {
    in.literal = literal(v, 0);
  } else {
    in.expression = expression(v, "value of input '" + name + "'");
  }
  return in;
}

Spec Loader::load() {
  YAML::Node root;
  try {
    root = YAML::Load(text_);
  } catch (const YAML::Exception& error) {
    SourceSpan span = span_at(error.mark);
    throw UserError(ExitCode::kUsage, span, yaml_error_message(error, text_));
  }
  Spec spec;
  spec.path = path_;
  if (root.IsNull()) return spec;
  if (!root.IsMap()) fail(root, "a spec must be a mapping with keys such as inputs, operations, derivatives, output");
  check_keys(root, {"description", "inputs", "tape", "operations", "derivatives", "output", "expect", "tolerance"}, "the spec");
  if (root["description"]) spec.description = scalar(root["description"], "description");
  if (YAML::Node inputs = root["inputs"]; inputs && !inputs.IsNull()) {
    if (!inputs.IsMap()) fail(inputs, "inputs must be a mapping of name: value");
    std::set<std::string> seen;
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
      std::string name = scalar(it->first, "an input name");
      if (!seen.insert(name).second) fail(it->first, "duplicate input '" + name + "'");
      spec.inputs.push_back(input(name, it->first, it->second));
    }
  }
  if (YAML::Node tape = root["tape"]; tape && !tape.IsNull()) {
    if (!tape.IsMap()) fail(tape, "tape must be a mapping, e.g. {persistent: true, watch: [x]}");
    check_keys(tape, {"persistent", "watch", "watch_accessed_variables"}, "tape");
    if (tape["persistent"]) spec.tape.persistent = boolean(tape["persistent"], "persistent");
    if (tape["watch_accessed_variables"])
      spec.tape.watch_accessed_variables = boolean(tape["watch_accessed_variables"], "watch_accessed_variables");
    if (YAML::Node watch = tape["watch"]) {
      if (!watch.IsSequence()) fail(watch, "watch must be a list of names");
      spec.tape.watch.emplace();
      for (const YAML::Node& item : watch) spec.tape.watch->emplace_back(scalar(item, "each watched name"), span_of(item));
    }
  }
  if (root["operations"]) spec.operations = expression_list(root["operations"], "operations");
  if (root["derivatives"]) spec.derivatives = expression_list(root["derivatives"], "derivatives");
  if (root["output"]) spec.output = expression_list(root["output"], "output");
  if (YAML::Node expect = root["expect"]; expect && !expect.IsNull()) {
    if (!expect.IsMap()) fail(expect, "expect must be a mapping of name: expected value");
    for (auto it = expect.begin(); it != expect.end(); ++it) {
      ExpectSpec e;
      e.name = scalar(it->first, "an expected name");
      e.span = span_of(it->first);
      e.value = literal(it->second, 0);
      spec.expect.push_back(std::move(e));
    }
  }
  if (YAML::Node tolerance = root["tolerance"]; tolerance && !tolerance.IsNull()) {
    if (!tolerance.IsMap()) fail(tolerance, "tolerance must be a mapping {rtol: R, atol: A}");
    check_keys(tolerance, {"rtol", "atol"}, "tolerance");
    if (tolerance["rtol"]) spec.rtol = number(tolerance["rtol"], "rtol");
    if (tolerance["atol"]) spec.atol = number(tolerance["atol"], "atol");
  }
  return spec;
}

}  // namespace

SourceSpan SpecExpr::locate(std::size_t begin, std::size_t end) const {
  SourceSpan out = span;
  if (begin < positions.size()) {
    out.line = positions[begin].first;
    out.column = positions[begin].second;
    out.length = static_cast<int>(end > begin ? end - begin : 1);
  }
  return out;
}

Spec load_spec(const std::string& text, const std::string& path) {
  if (text.size() > limits::kMaxSpecBytes) {
    SourceSpan span;
    span.file = path;
    throw UserError(ExitCode::kUsage, span, "spec is too large (" + std::to_string(text.size()) +
                                                " bytes; the limit is " + limits::size_text(limits::kMaxSpecBytes) + ")");
  }
  Loader loader(text, path);
  try {
    return loader.load();
  } catch (const YAML::Exception& error) {
    SourceSpan span;
    span.file = path;
    span.line = error.mark.line + 1;
    span.column = error.mark.column + 1;
    throw UserError(ExitCode::kUsage, span, yaml_error_message(error, text));
  }
}

}  // namespace ag
