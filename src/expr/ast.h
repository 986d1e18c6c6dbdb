// The syntax tree of spec expressions (a Python subset). Every node keeps the byte range of its
// text inside the expression string, so errors can point at it.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ag::expr {

enum class NodeKind {
  kInt,        ///< text: the literal as written ("4", "0x10")
  kFloat,      ///< text: the literal as written ("2.5", "1e-05")
  kImaginary,  ///< text: the literal without the trailing j ("1", "2.5")
  kString,     ///< text: the decoded value (escapes resolved)
  kName,       ///< text: the identifier
  kTrue,
  kFalse,
  kNone,
  kEllipsis,   ///< `...` inside a subscript
  kList,       ///< children: items
  kTuple,      ///< children: items (a parenthesised or bare comma list)
  kUnary,      ///< text: "-", "+", "not", "~"; children[0]: operand
  kBinary,     ///< text: "+ - * / // % ** @ and or"; children: left, right
  kCompare,    ///< text: the operator "< <= > >= == !="; children: left, right (a < b < c nests as and)
  kCall,       ///< children[0]: callee; children[1..]: positional args; keywords: keyword args
  kAttribute,  ///< text: attribute name; children[0]: object
  kSubscript,  ///< children[0]: object; children[1..]: one entry per index item (kSlice, kEllipsis, kNone = newaxis, or an expression)
  kSlice,      ///< children: start, stop, step; an absent part is nullptr
};

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Keyword {
  std::string name;
  std::size_t name_begin = 0;  ///< offset of the keyword name
  NodePtr value;
};

/// One syntax-tree node. `(e)` parses as e's node with its span widened over the parentheses,
/// so a binary node's span (left begin to right end) covers `(a + b) * c` whole.
struct Node {
  NodeKind kind;
  std::size_t begin = 0;  ///< byte offset of the first character of the node's text
  std::size_t end = 0;    ///< one past the last character
  std::string text;
  std::vector<NodePtr> children;
  std::vector<Keyword> keywords;
  /// kFloat, kImaginary: the value of `text`, converted once by the parser rather than at every
  /// evaluation of the literal.
  double number = 0;
};

/// One spec entry: `a = e`, `a, b = e`, or a bare expression `e` (targets empty).
struct Statement {
  struct Target {
    std::string name;
    std::size_t begin = 0;
  };
  std::vector<Target> targets;
  NodePtr value;
};

/// A syntax error at a byte offset of the parsed text.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t offset, const std::string& message) : std::runtime_error(message), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

/// Deepest nesting of brackets, calls, subscripts and prefix/power operators the parser accepts;
/// deeper input is a ParseError ("expression nested too deeply (limit 200)"), never a stack overflow.
inline constexpr std::size_t kMaxNesting = 200;
/// Tallest tree the parser builds (a leaf counts 1). Long chains such as `x + x + ... + x` nest
/// without brackets; bounding them lets every recursive walker of a parsed tree stay on the stack.
inline constexpr std::size_t kMaxTreeDepth = 1000;

/// Parses one expression; the whole text must be consumed. Throws ParseError.
NodePtr parse_expression(const std::string& text);
/// Parses a statement (see Statement). Throws ParseError.
Statement parse_statement(const std::string& text);
/// S-expression dump for tests and debugging, e.g. "(mul 2 (call matmul (call transpose x) x))".
std::string dump(const Node& node);

}  // namespace ag::expr
