// The expression parser: recursive descent over Python 3's expression grammar with Python's
// precedence, limited to what specs use, building ast.h nodes that carry byte spans. Nesting and
// tree height are bounded, so hostile input ends in a ParseError rather than a stack overflow.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/id_map.h"
#include "expr/ast.h"
#include "expr/lexer.h"

namespace ag::expr {
namespace {

bool is_comparison(const Token& token) {
  if (token.kind != TokenKind::kOperator) return false;
  const std::string_view op = token.text;  // a view compares without strlen or a library call
  return op == "<" || op == "<=" || op == ">" || op == ">=" || op == "==" || op == "!=";
}

bool is_augmented_assignment(const Token& token) {
  if (token.kind != TokenKind::kOperator) return false;
  for (const char* op :
       {"+=", "-=", "*=", "/=", "//=", "%=", "@=", "**=", "&=", "|=", "^=", "<<=", ">>="}) {
    if (token.text == op) return true;
  }
  return false;
}

// Whether `token` can begin an operand; decides if a comma ends a bare tuple (`a, b,`).
bool starts_expression(const Token& token) {
  const std::string_view text = token.text;
  switch (token.kind) {
    case TokenKind::kName:
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kImaginary:
    case TokenKind::kString:
      return true;
    case TokenKind::kKeyword:
      return text == "True" || text == "False" || text == "None" || text == "not";
    case TokenKind::kOperator:
      // "..." counts so that a misplaced one reaches parse_atom and its specific message.
      return text == "(" || text == "[" || text == "-" || text == "+" || text == "~" || text == "...";
    case TokenKind::kEnd:
      return false;
  }
  return false;
}

// Why `node` cannot be assigned to, in Python's words where Python has them.
std::string target_error(const Node& node) {
  switch (node.kind) {
    case NodeKind::kCall:
      return "cannot assign to function call";
    case NodeKind::kInt:
    case NodeKind::kFloat:
    case NodeKind::kImaginary:
    case NodeKind::kString:
      return "cannot assign to literal";
    case NodeKind::kTrue:
      return "cannot assign to True";
    case NodeKind::kFalse:
      return "cannot assign to False";
    case NodeKind::kNone:
      return "cannot assign to None";
    case NodeKind::kTuple:
      return "nested unpacking is not supported";
    case NodeKind::kAttribute:
    case NodeKind::kSubscript:
    case NodeKind::kList:
      return "assignment target must be a plain name";
    default:
      return "cannot assign to expression";
  }
}

/// The value of a float literal's text (underscores allowed between digits, as in Python).
double float_literal_value(const std::string& text) {
  if (text.find('_') == std::string::npos) {
    // from_chars rounds correctly, as strtod does, at a fraction of the cost; it leaves literals
    // out of double's range to strtod (inf, or a denormal or zero).
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
    return std::strtod(text.c_str(), nullptr);
  }
  std::string digits;
  for (char ch : text)
    if (ch != '_') digits += ch;
  return std::strtod(digits.c_str(), nullptr);
}

NodePtr clone(const Node& node) {
  auto copy = std::make_unique<Node>();
  copy->kind = node.kind;
  copy->begin = node.begin;
  copy->end = node.end;
  copy->text = node.text;
  copy->number = node.number;
  for (const NodePtr& child : node.children)
    copy->children.push_back(child ? clone(*child) : nullptr);
  for (const Keyword& keyword : node.keywords) {
    Keyword keyword_copy;
    keyword_copy.name = keyword.name;
    keyword_copy.name_begin = keyword.name_begin;
    keyword_copy.value = keyword.value ? clone(*keyword.value) : nullptr;
    copy->keywords.push_back(std::move(keyword_copy));
  }
  return copy;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : source_(text), lexer_(source_) {
    token_ = lexer_.next();
  }

  NodePtr parse_whole_expression() {
    reject_empty();
    NodePtr node = parse_expression_list();
    expect_end();
    return node;
  }

  Statement parse_whole_statement() {
    reject_empty();
    NodePtr first = parse_expression_list();
    Statement statement;
    if (at("=")) {
      statement.targets = assignment_targets(*first);
      advance();
      statement.value = parse_expression_list();
      if (at("=")) throw ParseError(token_.begin, "chained assignment is not supported");
    } else {
      if (is_augmented_assignment(token_))
        throw ParseError(token_.begin, "augmented assignment is not supported");
      statement.value = std::move(first);
    }
    expect_end();
    return statement;
  }

 private:
  // Counts one level of nesting for as long as it lives; every recursive path of the grammar
  // passes through one, which is what bounds the parser's stack use.
  class NestingGuard {
   public:
    NestingGuard(Parser& parser, std::size_t offset) : parser_(parser) {
      if (parser_.nesting_ >= kMaxNesting) {
        throw ParseError(
            offset, "expression nested too deeply (limit " + std::to_string(kMaxNesting) + ")");
      }
      ++parser_.nesting_;
    }
    ~NestingGuard() { --parser_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  // ---- tokens

  Token advance() {
    Token current = std::move(token_);
    token_ = lexer_.next();
    previous_end_ = current.end;
    return current;
  }
  bool at(std::string_view spelling) const { return token_.is_operator(spelling); }
  bool at_keyword(std::string_view word) const { return token_.is_keyword(word); }
  // The token after the current one, from a copy of the lexer so nothing is consumed.
  Token peek_next() const {
    Lexer lookahead = lexer_;
    return lookahead.next();
  }

  // ---- nodes

  // Registers the node's height and refuses trees taller than kMaxTreeDepth. `offset` is where
  // the error points: the operator or bracket that made the tree too tall.
  NodePtr finish(NodePtr node, std::size_t offset) {
    std::size_t height = 0;
    for (const NodePtr& child : node->children) {
      if (child) height = std::max(height, height_of(*child));
    }
    for (const Keyword& keyword : node->keywords)
      height = std::max(height, height_of(*keyword.value));
    ++height;
    if (height > kMaxTreeDepth) {
      throw ParseError(offset, "expression too complex (more than " +
                                   std::to_string(kMaxTreeDepth) + " nested operations)");
    }
    set_height(*node, height);
    return node;
  }
  void set_height(const Node& node, std::size_t height) {
    bool inserted = false;
    heights_.find_or_insert(reinterpret_cast<std::uintptr_t>(&node), inserted) = height;
  }
  std::size_t height_of(const Node& node) {
    const std::size_t* found = heights_.find(reinterpret_cast<std::uintptr_t>(&node));
    return found == nullptr ? 1 : *found;
  }

  NodePtr make(NodeKind kind, std::size_t begin, std::size_t end, std::string text,
               std::vector<NodePtr> children, std::size_t offset) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->begin = begin;
    node->end = end;
    node->text = std::move(text);
    node->children = std::move(children);
    return finish(std::move(node), offset);
  }
  NodePtr leaf(NodeKind kind, const Token& token, std::string text) {
    return make(kind, token.begin, token.end, std::move(text), {}, token.begin);
  }
  NodePtr binary(NodeKind kind, std::string text, std::size_t offset, NodePtr left, NodePtr right) {
    const std::size_t begin = left->begin;
    const std::size_t end = right->end;
    std::vector<NodePtr> children;
    children.reserve(2);
    children.push_back(std::move(left));
    children.push_back(std::move(right));
    return make(kind, begin, end, std::move(text), std::move(children), offset);
  }
  NodePtr unary(const Token& op, NodePtr operand) {
    const std::size_t end = operand->end;
    std::vector<NodePtr> children;
    children.push_back(std::move(operand));
    return make(NodeKind::kUnary, op.begin, end, op.text, std::move(children), op.begin);
  }

  // ---- errors

  void reject_empty() const {
    if (token_.kind == TokenKind::kEnd) throw ParseError(0, "empty expression");
  }

  // Called where an operand has ended but the next token does not fit: gives Python constructs
  // this language leaves out a message that says so, instead of a bare "unexpected".
  void reject_unsupported() const {
    const std::string& text = token_.text;
    if (token_.kind == TokenKind::kOperator) {
      if (text == "|" || text == "^" || text == "&" || text == "<<" || text == ">>") {
        throw ParseError(token_.begin, "operator '" + text + "' is not supported");
      }
      if (text == "=") throw ParseError(token_.begin, "unexpected '=' (did you mean '=='?)");
    } else if (token_.kind == TokenKind::kKeyword) {
      if (text == "in" || text == "is")
        throw ParseError(token_.begin, "operator '" + text + "' is not supported");
      if (text == "not" && peek_next().is_keyword("in")) {
        throw ParseError(token_.begin, "operator 'not in' is not supported");
      }
      if (text == "if") throw ParseError(token_.begin, "conditional expressions are not supported");
      if (text == "for") throw ParseError(token_.begin, "comprehensions are not supported");
    }
  }

  void expect_end() const {
    if (token_.kind == TokenKind::kEnd) return;
    reject_unsupported();
    throw ParseError(token_.begin, "unexpected " + describe(token_, source_));
  }

  Token expect_closing(const Token& open, std::string_view closer) {
    if (at(closer)) return advance();
    reject_unsupported();
    throw ParseError(token_.begin, "expected '" + std::string(closer) + "' to close '" + open.text +
                                       "' at column " + std::to_string(open.begin + 1));
  }

  // ---- statements

  std::vector<Statement::Target> assignment_targets(const Node& node) const {
    if (node.kind == NodeKind::kName) return {Statement::Target{node.text, node.begin}};
    if (node.kind != NodeKind::kTuple) throw ParseError(node.begin, target_error(node));
    if (node.children.empty()) throw ParseError(node.begin, "cannot assign to ()");
    // `a, = e` unpacks a one-item sequence; a single target would read as `a = e`, so refuse it.
    if (node.children.size() == 1)
      throw ParseError(node.begin, "unpacking into a single name is not supported");
    std::vector<Statement::Target> targets;
    for (const NodePtr& child : node.children) {
      if (child->kind != NodeKind::kName) throw ParseError(child->begin, target_error(*child));
      targets.push_back(Statement::Target{child->text, child->begin});
    }
    return targets;
  }

  // ---- expressions, loosest binding first

  // A comma list without brackets is a tuple (`1, 2` and `a, b = ...`), as in Python.
  NodePtr parse_expression_list() {
    NodePtr first = parse_or();
    if (!at(",")) return first;
    const std::size_t begin = first->begin;
    const std::size_t offset = token_.begin;
    std::size_t end = first->end;
    std::vector<NodePtr> items;
    items.push_back(std::move(first));
    while (at(",")) {
      end = advance().end;
      if (!starts_expression(token_)) break;
      items.push_back(parse_or());
      end = items.back()->end;
    }
    return make(NodeKind::kTuple, begin, end, "", std::move(items), offset);
  }

  NodePtr parse_or() {
    NodePtr left = parse_and();
    while (at_keyword("or")) {
      const Token op = advance();
      NodePtr right = parse_and();
      left = binary(NodeKind::kBinary, "or", op.begin, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr parse_and() {
    NodePtr left = parse_not();
    while (at_keyword("and")) {
      const Token op = advance();
      NodePtr right = parse_not();
      left = binary(NodeKind::kBinary, "and", op.begin, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr parse_not() {
    if (!at_keyword("not")) return parse_comparison();
    const Token op = advance();
    NestingGuard guard(*this, op.begin);
    return unary(op, parse_not());
  }

  // `a < b < c` means `a < b and b < c` (the ast.h contract), so the middle operand is copied into
  // both comparisons. Python evaluates it once; a copy is evaluated twice, which only shows for an
  // unseeded random op in the middle of a chain.
  NodePtr parse_comparison() {
    NodePtr operand = parse_sum();
    if (!is_comparison(token_)) return operand;
    NodePtr result;
    while (is_comparison(token_)) {
      const Token op = advance();
      NodePtr right = parse_sum();
      NodePtr next_left;
      if (is_comparison(token_)) {
        next_left = clone(*right);
        set_height(*next_left, height_of(*right));
      }
      NodePtr link =
          binary(NodeKind::kCompare, op.text, op.begin, std::move(operand), std::move(right));
      result = result
                   ? binary(NodeKind::kBinary, "and", op.begin, std::move(result), std::move(link))
                   : std::move(link);
      operand = std::move(next_left);
    }
    return result;
  }

  NodePtr parse_sum() {
    NodePtr left = parse_term();
    while (at("+") || at("-")) {
      const Token op = advance();
      NodePtr right = parse_term();
      left = binary(NodeKind::kBinary, op.text, op.begin, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr parse_term() {
    NodePtr left = parse_factor();
    while (at("*") || at("/") || at("//") || at("%") || at("@")) {
      const Token op = advance();
      NodePtr right = parse_factor();
      left = binary(NodeKind::kBinary, op.text, op.begin, std::move(left), std::move(right));
    }
    return left;
  }

  // Prefix + - ~. Their operand is a power, so -2**2 is -(2**2), as in Python.
  NodePtr parse_factor() {
    if (!at("-") && !at("+") && !at("~")) return parse_power();
    const Token op = advance();
    NestingGuard guard(*this, op.begin);
    return unary(op, parse_factor());
  }

  // ** is right-associative and its exponent may carry a sign: 2**-1, a**b**c = a**(b**c).
  NodePtr parse_power() {
    NodePtr base = parse_postfix();
    if (!at("**")) return base;
    const Token op = advance();
    NestingGuard guard(*this, op.begin);
    NodePtr exponent = parse_factor();
    return binary(NodeKind::kBinary, "**", op.begin, std::move(base), std::move(exponent));
  }

  NodePtr parse_postfix() {
    NodePtr node = parse_atom();
    while (true) {
      if (at("(")) {
        node = parse_call(std::move(node));
      } else if (at("[")) {
        node = parse_subscript(std::move(node));
      } else if (at(".")) {
        const Token dot = advance();
        if (token_.kind != TokenKind::kName)
          throw ParseError(token_.begin, "expected an attribute name after '.'");
        const Token name = advance();
        const std::size_t begin = node->begin;
        std::vector<NodePtr> children;
        children.push_back(std::move(node));
        node =
            make(NodeKind::kAttribute, begin, name.end, name.text, std::move(children), dot.begin);
      } else {
        return node;
      }
    }
  }

  NodePtr parse_atom() {
    switch (token_.kind) {
      case TokenKind::kName: {
        const Token name = advance();
        return leaf(NodeKind::kName, name, name.text);
      }
      case TokenKind::kInt:
      case TokenKind::kFloat:
      case TokenKind::kImaginary: {
        const Token number = advance();
        const NodeKind kind = number.kind == TokenKind::kInt     ? NodeKind::kInt
                              : number.kind == TokenKind::kFloat ? NodeKind::kFloat
                                                                 : NodeKind::kImaginary;
        NodePtr node = leaf(kind, number, number.text);
        if (kind != NodeKind::kInt) node->number = float_literal_value(node->text);
        return node;
      }
      case TokenKind::kString: {
        // Adjacent literals concatenate ('a' 'b' is 'ab'), as in Python.
        const Token first = advance();
        std::string value = first.text;
        while (token_.kind == TokenKind::kString) value += advance().text;
        return make(NodeKind::kString, first.begin, previous_end_, std::move(value), {},
                    first.begin);
      }
      case TokenKind::kKeyword:
        return parse_keyword_atom();
      case TokenKind::kOperator:
        if (at("(")) return parse_parenthesised();
        if (at("[")) return parse_list();
        if (at("..."))
          throw ParseError(token_.begin,
                           "'...' is only allowed as a subscript item, as in x[..., 0]");
        if (at("{")) throw ParseError(token_.begin, "dict and set displays are not supported");
        throw ParseError(token_.begin, "expected an expression");
      case TokenKind::kEnd:
        break;
    }
    throw ParseError(token_.begin, "unexpected end of expression");
  }

  NodePtr parse_keyword_atom() {
    const std::string& word = token_.text;
    if (word == "True" || word == "False" || word == "None") {
      const NodeKind kind = word == "True"    ? NodeKind::kTrue
                            : word == "False" ? NodeKind::kFalse
                                              : NodeKind::kNone;
      const Token keyword = advance();
      return leaf(kind, keyword, keyword.text);
    }
    // Python's grammar puts `not` below the arithmetic and comparison operators.
    if (word == "not")
      throw ParseError(token_.begin,
                       "'not' cannot follow an operator; put 'not ...' in parentheses");
    if (word == "lambda") throw ParseError(token_.begin, "lambda expressions are not supported");
    if (word == "and" || word == "or" || word == "in" || word == "is" || word == "if" ||
        word == "else" || word == "for") {
      throw ParseError(token_.begin, "expected an expression");
    }
    throw ParseError(token_.begin, "unexpected keyword '" + word + "'");
  }

  // `(a)` is `a`, with its span widened over the parentheses; `()`, `(a,)`, `(a, b)` are tuples.
  NodePtr parse_parenthesised() {
    const Token open = advance();
    NestingGuard guard(*this, open.begin);
    std::vector<NodePtr> items;
    bool saw_comma = false;
    while (!at(")") && token_.kind != TokenKind::kEnd) {
      items.push_back(parse_or());
      if (!at(",")) break;
      advance();
      saw_comma = true;
    }
    const Token close = expect_closing(open, ")");
    if (items.size() == 1 && !saw_comma) {
      items[0]->begin = open.begin;
      items[0]->end = close.end;
      return std::move(items[0]);
    }
    return make(NodeKind::kTuple, open.begin, close.end, "", std::move(items), open.begin);
  }

  NodePtr parse_list() {
    const Token open = advance();
    NestingGuard guard(*this, open.begin);
    std::vector<NodePtr> items;
    while (!at("]") && token_.kind != TokenKind::kEnd) {
      items.push_back(parse_or());
      if (!at(",")) break;
      advance();
    }
    const Token close = expect_closing(open, "]");
    return make(NodeKind::kList, open.begin, close.end, "", std::move(items), open.begin);
  }

  NodePtr parse_call(NodePtr callee) {
    const Token open = advance();
    NestingGuard guard(*this, open.begin);
    auto call = std::make_unique<Node>();
    call->kind = NodeKind::kCall;
    call->begin = callee->begin;
    call->children.reserve(2);  // the callee and, usually, at least one argument
    call->children.push_back(std::move(callee));
    std::unordered_set<std::string> keyword_names;
    while (!at(")") && token_.kind != TokenKind::kEnd) {
      if (at("*") || at("**"))
        throw ParseError(token_.begin, "argument unpacking is not supported");
      if (token_.kind == TokenKind::kName && peek_next().is_operator("=")) {
        const Token name = advance();
        advance();  // the '='
        if (!keyword_names.insert(name.text).second) {
          throw ParseError(name.begin, "duplicate keyword argument '" + name.text + "'");
        }
        Keyword keyword;
        keyword.name = name.text;
        keyword.name_begin = name.begin;
        keyword.value = parse_or();
        call->keywords.push_back(std::move(keyword));
      } else {
        NodePtr argument = parse_or();
        if (at("=")) {
          throw ParseError(argument->begin,
                           "a keyword argument name must be a plain name (did you mean '=='?)");
        }
        if (!call->keywords.empty())
          throw ParseError(argument->begin, "positional argument follows keyword argument");
        call->children.push_back(std::move(argument));
      }
      if (!at(",")) break;
      advance();
    }
    call->end = expect_closing(open, ")").end;
    return finish(std::move(call), open.begin);
  }

  NodePtr parse_subscript(NodePtr object) {
    const Token open = advance();
    NestingGuard guard(*this, open.begin);
    const std::size_t begin = object->begin;
    std::vector<NodePtr> children;
    children.push_back(std::move(object));
    if (at("]")) throw ParseError(token_.begin, "expected an index");
    while (!at("]") && token_.kind != TokenKind::kEnd) {
      children.push_back(parse_index_item());
      if (!at(",")) break;
      advance();
    }
    const Token close = expect_closing(open, "]");
    return make(NodeKind::kSubscript, begin, close.end, "", std::move(children), open.begin);
  }

  // One item of `x[...]`: an expression, `...`, or a slice `start:stop:step` with optional parts.
  NodePtr parse_index_item() {
    if (at("...")) {
      const Token ellipsis = advance();
      return leaf(NodeKind::kEllipsis, ellipsis, "...");
    }
    NodePtr start;
    if (!at(":")) {
      start = parse_or();
      if (!at(":")) return start;
    }
    const Token colon = advance();
    const std::size_t begin = start ? start->begin : colon.begin;
    NodePtr stop;
    NodePtr step;
    if (starts_expression(token_)) stop = parse_or();
    if (at(":")) {
      advance();
      if (starts_expression(token_)) step = parse_or();
    }
    std::vector<NodePtr> parts;
    parts.push_back(std::move(start));
    parts.push_back(std::move(stop));
    parts.push_back(std::move(step));
    return make(NodeKind::kSlice, begin, previous_end_, "", std::move(parts), colon.begin);
  }

  std::string_view source_;
  Lexer lexer_;
  Token token_;
  std::size_t previous_end_ = 0;  ///< end of the last consumed token, for spans that end in ':'
  std::size_t nesting_ = 0;
  // Subtree height of every node built, by address (a clone's inner nodes aside: only its root is
  // ever a child of a later node). Kept beside the tree so Node stays the plain data the evaluator
  // reads.
  IdMap<std::size_t> heights_;
};

}  // namespace

NodePtr parse_expression(const std::string& text) { return Parser(text).parse_whole_expression(); }

Statement parse_statement(const std::string& text) { return Parser(text).parse_whole_statement(); }

}  // namespace ag::expr
