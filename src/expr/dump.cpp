// S-expression dump of a syntax tree, so parser tests compare one string per case.
#include <string>
#include <string_view>

#include "expr/ast.h"

namespace ag::expr {
namespace {

std::string_view unary_name(const std::string& op) {
  if (op == "-") return "neg";
  if (op == "+") return "pos";
  if (op == "~") return "invert";
  if (op == "not") return "not";
  return op;
}

std::string_view binary_name(const std::string& op) {
  if (op == "+") return "add";
  if (op == "-") return "sub";
  if (op == "*") return "mul";
  if (op == "/") return "div";
  if (op == "//") return "floordiv";
  if (op == "%") return "mod";
  if (op == "**") return "pow";
  if (op == "@") return "matmul";
  if (op == "<") return "lt";
  if (op == "<=") return "le";
  if (op == ">") return "gt";
  if (op == ">=") return "ge";
  if (op == "==") return "eq";
  if (op == "!=") return "ne";
  return op;  // "and", "or"
}

// Python's repr of a str: single quotes unless the text holds ' but no ", escapes for the rest.
void append_string_repr(const std::string& value, std::string& out) {
  const bool has_single = value.find('\'') != std::string::npos;
  const bool has_double = value.find('"') != std::string::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out += quote;
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7F) {
      const char* digits = "0123456789abcdef";
      out += "\\x";
      out += digits[byte >> 4];
      out += digits[byte & 15];
    } else {
      out += c;  // UTF-8 passes through, as Python prints printable non-ASCII text
    }
  }
  out += quote;
}

void append_dump(const Node* node, std::string& out);

void append_list(std::string_view head, const Node& node, std::size_t first_child,
                 std::string& out) {
  out += '(';
  out += head;
  for (std::size_t i = first_child; i < node.children.size(); ++i) {
    out += ' ';
    append_dump(node.children[i].get(), out);
  }
}

// Recursion is safe: the parser never builds a tree taller than kMaxTreeDepth.
void append_dump(const Node* node, std::string& out) {
  if (node == nullptr) {
    out += '_';  // an absent slice part
    return;
  }
  switch (node->kind) {
    case NodeKind::kInt:
    case NodeKind::kFloat:
    case NodeKind::kName:
      out += node->text;
      return;
    case NodeKind::kImaginary:
      out += node->text + "j";
      return;
    case NodeKind::kString:
      append_string_repr(node->text, out);
      return;
    case NodeKind::kTrue:
      out += "True";
      return;
    case NodeKind::kFalse:
      out += "False";
      return;
    case NodeKind::kNone:
      out += "None";
      return;
    case NodeKind::kEllipsis:
      out += "...";
      return;
    case NodeKind::kList:
      append_list("list", *node, 0, out);
      break;
    case NodeKind::kTuple:
      append_list("tuple", *node, 0, out);
      break;
    case NodeKind::kUnary:
      append_list(unary_name(node->text), *node, 0, out);
      break;
    case NodeKind::kBinary:
    case NodeKind::kCompare:
      append_list(binary_name(node->text), *node, 0, out);
      break;
    case NodeKind::kCall:
      append_list("call", *node, 0, out);
      for (const Keyword& keyword : node->keywords) {
        out += " (kw " + keyword.name + " ";
        append_dump(keyword.value.get(), out);
        out += ')';
      }
      break;
    case NodeKind::kAttribute:
      append_list("attr", *node, 0, out);
      out += ' ' + node->text;
      break;
    case NodeKind::kSubscript:
      append_list("index", *node, 0, out);
      break;
    case NodeKind::kSlice:
      append_list("slice", *node, 0, out);
      break;
  }
  out += ')';
}

}  // namespace

std::string dump(const Node& node) {
  std::string out;
  append_dump(&node, out);
  return out;
}

}  // namespace ag::expr
