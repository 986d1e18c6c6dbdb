// Tests for the expression parser: tree shape as S-expressions, spans, statements, every error
// message with its offset, and the limits that keep hostile input from crashing the tool.
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <string>

#include "expr/ast.h"

namespace {

using ag::expr::dump;
using ag::expr::NodeKind;
using ag::expr::NodePtr;
using ag::expr::parse_expression;
using ag::expr::parse_statement;
using ag::expr::ParseError;
using ag::expr::Statement;

std::string parse(const std::string& text) { return dump(*parse_expression(text)); }

// "targets = value" with targets space separated, or just the value for a bare expression.
std::string statement(const std::string& text) {
  Statement parsed = parse_statement(text);
  std::string out;
  for (const Statement::Target& target : parsed.targets) out += target.name + " ";
  if (!parsed.targets.empty()) out += "= ";
  return out + dump(*parsed.value);
}

// "offset: message" of the ParseError, or "no error".
std::string expression_error(const std::string& text) {
  try {
    parse_expression(text);
  } catch (const ParseError& error) {
    return std::to_string(error.offset()) + ": " + error.what();
  }
  return "no error";
}

std::string statement_error(const std::string& text) {
  try {
    parse_statement(text);
  } catch (const ParseError& error) {
    return std::to_string(error.offset()) + ": " + error.what();
  }
  return "no error";
}

std::string repeat(const std::string& piece, std::size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("parser: binary operators follow Python precedence") {
  CHECK(parse("2 * matmul(transpose(x), x) ** 2") ==
        "(mul 2 (pow (call matmul (call transpose x) x) 2))");
  CHECK(parse("1 + 2 * 3") == "(add 1 (mul 2 3))");
  CHECK(parse("(1 + 2) * 3") == "(mul (add 1 2) 3)");
  CHECK(parse("a - b - c") == "(sub (sub a b) c)");
  CHECK(parse("a / b // c % d @ e") == "(matmul (mod (floordiv (div a b) c) d) e)");
  CHECK(parse("a + b * c - d") == "(sub (add a (mul b c)) d)");
  CHECK(parse("a @ b + c") == "(add (matmul a b) c)");
  CHECK(parse("a < b + 1") == "(lt a (add b 1))");
  CHECK(parse("a or b and c") == "(or a (and b c))");
  CHECK(parse("a and b or c and d") == "(or (and a b) (and c d))");
  CHECK(parse("a or b or c") == "(or (or a b) c)");
  CHECK(parse("x == 1 and y != 2") == "(and (eq x 1) (ne y 2))");
}

TEST_CASE("parser: power binds tighter than a unary minus on its left and is right-associative") {
  CHECK(parse("-2**2") == "(neg (pow 2 2))");
  CHECK(parse("2**-1") == "(pow 2 (neg 1))");
  CHECK(parse("a**b**c") == "(pow a (pow b c))");
  CHECK(parse("2 ** -1 ** 2") == "(pow 2 (neg (pow 1 2)))");
  CHECK(parse("-a * b") == "(mul (neg a) b)");
  CHECK(parse("-x.y[0] ** 2") == "(neg (pow (index (attr x y) 0) 2))");
  CHECK(parse("(-2) ** 2") == "(pow (neg 2) 2)");
}

TEST_CASE("parser: unary operators and not") {
  CHECK(parse("-x") == "(neg x)");
  CHECK(parse("+x") == "(pos x)");
  CHECK(parse("~x") == "(invert x)");
  CHECK(parse("- - x") == "(neg (neg x))");
  CHECK(parse("-+~x") == "(neg (pos (invert x)))");
  CHECK(parse("not x") == "(not x)");
  CHECK(parse("not not x") == "(not (not x))");
  CHECK(parse("not a == b") == "(not (eq a b))");
  CHECK(parse("not a and b") == "(and (not a) b)");
  CHECK(parse("-x < y") == "(lt (neg x) y)");
}

TEST_CASE("parser: comparisons, and a chain means and") {
  CHECK(parse("a < b") == "(lt a b)");
  CHECK(parse("a <= b") == "(le a b)");
  CHECK(parse("a > b") == "(gt a b)");
  CHECK(parse("a >= b") == "(ge a b)");
  CHECK(parse("a == b") == "(eq a b)");
  CHECK(parse("a != b") == "(ne a b)");
  CHECK(parse("a < b < c") == "(and (lt a b) (lt b c))");
  CHECK(parse("0 <= x[1] < n != m") ==
        "(and (and (le 0 (index x 1)) (lt (index x 1) n)) (ne n m))");
  NodePtr chain = parse_expression("a < f(b) < c");
  const auto& second = *chain->children[1];
  CHECK(second.children[0]->begin == 4);  // the copied middle operand keeps its own span
  CHECK(second.children[0]->end == 8);
}

TEST_CASE("parser: calls take positional then keyword arguments") {
  CHECK(parse("f()") == "(call f)");
  CHECK(parse("f(x, 1, axis=0, keepdims=True)") == "(call f x 1 (kw axis 0) (kw keepdims True))");
  CHECK(parse("f(x,)") == "(call f x)");
  CHECK(parse("f(x=1,)") == "(call f (kw x 1))");
  CHECK(parse("tf.math.exp(x)") == "(call (attr (attr tf math) exp) x)");
  CHECK(parse("tf.random.normal([3, 2], seed=7)") ==
        "(call (attr (attr tf random) normal) (list 3 2) (kw seed 7))");
  CHECK(parse("f(x)(y)") == "(call (call f x) y)");
  CHECK(parse("f(a == b, c=d == e)") == "(call f (eq a b) (kw c (eq d e)))");
  CHECK(parse("gradient(y, x, order=2)") == "(call gradient y x (kw order 2))");
  NodePtr call = parse_expression("f(x, axis = -1)");
  REQUIRE(call->keywords.size() == 1);
  CHECK(call->keywords[0].name == "axis");
  CHECK(call->keywords[0].name_begin == 5);
  CHECK(dump(*call->keywords[0].value) == "(neg 1)");
}

TEST_CASE("parser: attributes chain on any primary") {
  CHECK(parse("a.b.c") == "(attr (attr a b) c)");
  CHECK(parse("x[0].shape") == "(attr (index x 0) shape)");
  CHECK(parse("f(x).numpy()") == "(call (attr (call f x) numpy))");
  CHECK(parse("tf.float32") == "(attr tf float32)");
}

TEST_CASE("parser: lists, tuples and parentheses") {
  CHECK(parse("[]") == "(list)");
  CHECK(parse("[a, b]") == "(list a b)");
  CHECK(parse("[a,]") == "(list a)");
  CHECK(parse("[[1, 2], [3, 4]]") == "(list (list 1 2) (list 3 4))");
  CHECK(parse("()") == "(tuple)");
  CHECK(parse("(a,)") == "(tuple a)");
  CHECK(parse("(a, b)") == "(tuple a b)");
  CHECK(parse("(a)") == "a");
  CHECK(parse("((a))") == "a");
  CHECK(parse("1, 2") == "(tuple 1 2)");
  CHECK(parse("1,") == "(tuple 1)");
  CHECK(parse("1, 2,") == "(tuple 1 2)");
}

TEST_CASE("parser: subscripts hold one child per index item") {
  CHECK(parse("x[0]") == "(index x 0)");
  CHECK(parse("x[1:3]") == "(index x (slice 1 3 _))");
  CHECK(parse("x[::2]") == "(index x (slice _ _ 2))");
  CHECK(parse("x[:, 1:3]") == "(index x (slice _ _ _) (slice 1 3 _))");
  CHECK(parse("x[..., -1]") == "(index x ... (neg 1))");
  CHECK(parse("x[None, :]") == "(index x None (slice _ _ _))");
  CHECK(parse("x[0][1]") == "(index (index x 0) 1)");
  CHECK(parse("x[::-1]") == "(index x (slice _ _ (neg 1)))");
  CHECK(parse("x[1:]") == "(index x (slice 1 _ _))");
  CHECK(parse("x[:2]") == "(index x (slice _ 2 _))");
  CHECK(parse("x[:]") == "(index x (slice _ _ _))");
  CHECK(parse("x[::]") == "(index x (slice _ _ _))");
  CHECK(parse("x[a:b:c]") == "(index x (slice a b c))");
  CHECK(parse("x[i + 1:n - 1]") == "(index x (slice (add i 1) (sub n 1) _))");
  CHECK(parse("x[1:2,]") == "(index x (slice 1 2 _))");
  CHECK(parse("x[(1, 2)]") == "(index x (tuple 1 2))");
  CHECK(parse("x[..., None, ::2]") == "(index x ... None (slice _ _ 2))");
  NodePtr node = parse_expression("x[..., 0]");
  CHECK(node->kind == NodeKind::kSubscript);
  CHECK(node->children[1]->kind == NodeKind::kEllipsis);
}

TEST_CASE("parser: numeric literals keep their spelling") {
  CHECK(parse("0") == "0");
  CHECK(parse("0x1F") == "0x1F");
  CHECK(parse("0o17") == "0o17");
  CHECK(parse("0b101") == "0b101");
  CHECK(parse("1_000") == "1_000");
  CHECK(parse("00") == "00");
  CHECK(parse("1.") == "1.");
  CHECK(parse(".5") == ".5");
  CHECK(parse("1e-05") == "1e-05");
  CHECK(parse("1.0E+3") == "1.0E+3");
  CHECK(parse("1j") == "1j");
  CHECK(parse("2.5j") == "2.5j");
  CHECK(parse_expression("4")->kind == NodeKind::kInt);
  CHECK(parse_expression("1e3")->kind == NodeKind::kFloat);
  CHECK(parse_expression("1.")->kind == NodeKind::kFloat);
  NodePtr imaginary = parse_expression("2.5J");
  CHECK(imaginary->kind == NodeKind::kImaginary);
  CHECK(imaginary->text == "2.5");
  CHECK(imaginary->end == 4);
}

TEST_CASE("parser: float literals carry their value, rounded as Python rounds them") {
  CHECK(parse_expression("1.0001")->number == 1.0001);
  CHECK(parse_expression("0.1")->number == 0.1);
  CHECK(parse_expression(".5")->number == 0.5);
  CHECK(parse_expression("1.")->number == 1.0);
  CHECK(parse_expression("1e3")->number == 1000.0);
  CHECK(parse_expression("1_0.2_5")->number == 10.25);
  CHECK(parse_expression("2.5j")->number == 2.5);
  CHECK(parse_expression("123456789012345678901234567890.0")->number == 1.2345678901234568e+29);
  CHECK(parse_expression("4.9406564584124654e-324")->number == 5e-324);  // the smallest denormal
  CHECK(parse_expression("1e999")->number == std::numeric_limits<double>::infinity());  // out of range
  CHECK(parse_expression("1e-400")->number == 0.0);
  CHECK(parse_expression("2.5e-310")->number == 2.5e-310);
}

TEST_CASE("parser: string literals are decoded and dumped like Python's repr") {
  CHECK(parse("'abc'") == "'abc'");
  CHECK(parse("\"abc\"") == "'abc'");
  CHECK(parse("\"it's\"") == "\"it's\"");
  CHECK(parse("'a\\nb'") == "'a\\nb'");
  CHECK(parse_expression("'a\\nb\\t\\\\'")->text == "a\nb\t\\");
  CHECK(parse_expression("'\\'\\\"'")->text == "'\"");
  CHECK(parse_expression("'\\x41\\u00e9'")->text == "A\xC3\xA9");
  CHECK(parse_expression("r'\\d+'")->text == "\\d+");
  CHECK(parse_expression("'\\d'")->text == "\\d");  // unknown escapes stay, as in Python
  CHECK(parse_expression("'''a'b'''")->text == "a'b");
  NodePtr joined = parse_expression("'a' \"b\"");
  CHECK(joined->kind == NodeKind::kString);
  CHECK(joined->text == "ab");
  CHECK(joined->end == 7);
}

TEST_CASE("parser: True, False, None and names") {
  CHECK(parse("True") == "True");
  CHECK(parse("False") == "False");
  CHECK(parse("None") == "None");
  CHECK(parse_expression("True")->kind == NodeKind::kTrue);
  CHECK(parse_expression("None")->kind == NodeKind::kNone);
  CHECK(parse("_x1") == "_x1");
  CHECK(parse("true") == "true");  // only the capitalised spelling is a keyword
}

TEST_CASE("parser: whitespace, newlines and comments separate tokens") {
  CHECK(parse("  f( x ,\ty = 1 )  ") == "(call f x (kw y 1))");
  CHECK(parse("a +\n  b") == "(add a b)");
  CHECK(parse("a + b  # the sum") == "(add a b)");
}

TEST_CASE("parser: statements assign to names or unpack into several") {
  CHECK(statement("y = 2 * x") == "y = (mul 2 x)");
  CHECK(statement("a, b = unique(x)") == "a b = (call unique x)");
  CHECK(statement("(a, b) = f()") == "a b = (call f)");
  CHECK(statement("a, b, = f()") == "a b = (call f)");
  CHECK(statement("f(x, y=1)") == "(call f x (kw y 1))");
  CHECK(statement("x == 1") == "(eq x 1)");
  CHECK(statement("a = b, c") == "a = (tuple b c)");
  CHECK(statement("dy_dx = gradient(y, x, order=2)") == "dy_dx = (call gradient y x (kw order 2))");
  Statement parsed = parse_statement("first, second = split(x)");
  REQUIRE(parsed.targets.size() == 2);
  CHECK(parsed.targets[0].begin == 0);
  CHECK(parsed.targets[1].begin == 7);
  CHECK(parsed.value->begin == 16);
  CHECK(parse_statement("x + 1").targets.empty());
}

TEST_CASE("parser: every node spans its source text") {
  const std::string text = "2 * matmul(transpose(x), x)";
  NodePtr mul = parse_expression(text);
  CHECK(mul->begin == 0);
  CHECK(mul->end == text.size());
  const auto& call = *mul->children[1];
  CHECK(call.begin == 4);
  CHECK(call.end == text.size());
  CHECK(call.children[0]->begin == 4);  // the callee name
  CHECK(call.children[0]->end == 10);
  CHECK(call.children[1]->begin == 11);  // transpose(x)
  CHECK(call.children[1]->end == 23);

  NodePtr grouped = parse_expression("(a + b) * c");
  CHECK(grouped->begin == 0);
  CHECK(grouped->children[0]->begin == 0);  // a parenthesised operand spans its parentheses
  CHECK(grouped->children[0]->end == 7);

  NodePtr attribute = parse_expression("tf.math.exp");
  CHECK(attribute->begin == 0);
  CHECK(attribute->end == 11);
  CHECK(attribute->children[0]->end == 7);

  NodePtr subscript = parse_expression("x[1:, :]");
  CHECK(subscript->end == 8);
  CHECK(subscript->children[1]->begin == 2);  // "1:"
  CHECK(subscript->children[1]->end == 4);
  CHECK(subscript->children[2]->begin == 6);  // ":"
  CHECK(subscript->children[2]->end == 7);

  NodePtr negative = parse_expression("- x");
  CHECK(negative->begin == 0);
  CHECK(negative->end == 3);

  NodePtr tuple = parse_expression("a, b,");
  CHECK(tuple->begin == 0);
  CHECK(tuple->end == 5);

  NodePtr list = parse_expression(" [1, 2] ");
  CHECK(list->begin == 1);
  CHECK(list->end == 7);
}

TEST_CASE("parser: malformed expressions name the problem and its offset") {
  CHECK(expression_error("") == "0: empty expression");
  CHECK(expression_error("   ") == "0: empty expression");
  CHECK(expression_error("a)") == "1: unexpected ')'");
  CHECK(expression_error("1 +") == "3: unexpected end of expression");
  CHECK(expression_error("(1 + 2") == "6: expected ')' to close '(' at column 1");
  CHECK(expression_error("f(x, y") == "6: expected ')' to close '(' at column 2");
  CHECK(expression_error("foo(a b)") == "6: expected ')' to close '(' at column 4");
  CHECK(expression_error("[1, 2") == "5: expected ']' to close '[' at column 1");
  CHECK(expression_error("x[1:2") == "5: expected ']' to close '[' at column 2");
  CHECK(expression_error("(a]") == "2: expected ')' to close '(' at column 1");
  CHECK(expression_error("x[1:2:3:4]") == "7: expected ']' to close '[' at column 2");
  CHECK(expression_error("1 + )") == "4: expected an expression");
  CHECK(expression_error("f(,)") == "2: expected an expression");
  CHECK(expression_error("f(x=)") == "4: expected an expression");
  CHECK(expression_error("and x") == "0: expected an expression");
  CHECK(expression_error("x[]") == "2: expected an index");
  CHECK(expression_error("a b") == "2: unexpected name 'b'");
  CHECK(expression_error("1 2") == "2: unexpected number '2'");
  CHECK(expression_error("x 'abc'") == "2: unexpected string 'abc'");
  CHECK(expression_error("x.1") == "1: unexpected number '.1'");
  CHECK(expression_error("x.") == "2: expected an attribute name after '.'");
  CHECK(expression_error("x.not") == "2: expected an attribute name after '.'");
  CHECK(expression_error("f(x=1, 2)") == "7: positional argument follows keyword argument");
  CHECK(expression_error("f(axis=0, axis=1)") == "10: duplicate keyword argument 'axis'");
  CHECK(expression_error("f(x.y=1)") ==
        "2: a keyword argument name must be a plain name (did you mean '=='?)");
  CHECK(expression_error("f(...)") ==
        "2: '...' is only allowed as a subscript item, as in x[..., 0]");
  CHECK(expression_error("x[(...)]") ==
        "3: '...' is only allowed as a subscript item, as in x[..., 0]");
  CHECK(expression_error("x[1:...]") ==
        "4: '...' is only allowed as a subscript item, as in x[..., 0]");
  CHECK(expression_error("1, ...") ==
        "3: '...' is only allowed as a subscript item, as in x[..., 0]");
  CHECK(expression_error("x ...") == "2: unexpected '...'");
  CHECK(expression_error("a = 1") == "2: unexpected '=' (did you mean '=='?)");
  CHECK(expression_error("a == not b") ==
        "5: 'not' cannot follow an operator; put 'not ...' in parentheses");
  CHECK(expression_error("{1: 2}") == "0: dict and set displays are not supported");
  CHECK(expression_error("import x") == "0: unexpected keyword 'import'");
}

TEST_CASE("parser: Python constructs outside the language are refused by name") {
  CHECK(expression_error("a | b") == "2: operator '|' is not supported");
  CHECK(expression_error("a & b") == "2: operator '&' is not supported");
  CHECK(expression_error("a ^ b") == "2: operator '^' is not supported");
  CHECK(expression_error("a << 2") == "2: operator '<<' is not supported");
  CHECK(expression_error("a in b") == "2: operator 'in' is not supported");
  CHECK(expression_error("a not in b") == "2: operator 'not in' is not supported");
  CHECK(expression_error("a is None") == "2: operator 'is' is not supported");
  CHECK(expression_error("f(a in b)") == "4: operator 'in' is not supported");
  CHECK(expression_error("a if b else c") == "2: conditional expressions are not supported");
  CHECK(expression_error("[x for x in y]") == "3: comprehensions are not supported");
  CHECK(expression_error("lambda x: x") == "0: lambda expressions are not supported");
  CHECK(expression_error("f(*args)") == "2: argument unpacking is not supported");
  CHECK(expression_error("f(x, **kwargs)") == "5: argument unpacking is not supported");
}

TEST_CASE("parser: lexical errors surface with their offset") {
  CHECK(expression_error("'abc") == "0: unterminated string");
  CHECK(expression_error("x + 'abc\ndef'") == "4: unterminated string");
  CHECK(expression_error("'''abc") == "0: unterminated triple-quoted string");
  CHECK(expression_error("1e") == "0: invalid number literal '1e'");
  CHECK(expression_error("x + 1e+)") == "4: invalid number literal '1e+'");
  CHECK(expression_error("0x") == "0: invalid number literal '0x'");
  CHECK(expression_error("0b102") == "0: invalid number literal '0b102'");
  CHECK(expression_error("1__0") == "0: invalid number literal '1__0'");
  CHECK(expression_error("1_") == "0: invalid number literal '1_'");
  CHECK(expression_error("1abc") == "0: invalid number literal '1abc'");
  CHECK(expression_error("1.x") == "0: invalid number literal '1.x'");
  CHECK(expression_error("012") ==
        "0: invalid number literal '012' (leading zeros are not allowed; use 0o for octal)");
  CHECK(expression_error("$x") == "0: unexpected character '$'");
  CHECK(expression_error("a ! b") == "2: unexpected character '!'");
  CHECK(expression_error("x\xC2\xA0+ 1") == "1: unexpected character '\xC2\xA0' (U+00A0)");
  CHECK(expression_error("b'abc'") == "0: bytes literals are not supported");
  CHECK(expression_error("f'{x}'") == "0: f-strings are not supported");
  CHECK(expression_error("'\\x4'") == "1: invalid \\x escape (expected 2 hex digits)");
  CHECK(expression_error("'ab\\u12'") == "3: invalid \\u escape (expected 4 hex digits)");
  CHECK(expression_error("'\\ud800'") == "1: invalid \\u escape (surrogate code point)");
  CHECK(expression_error("'\\U00110000'") == "1: invalid \\U escape (beyond U+10FFFF)");
  CHECK(expression_error("'\\N{DASH}'") == "1: \\N{...} escapes are not supported");
}

TEST_CASE("parser: assignment targets must be plain names") {
  CHECK(statement_error("") == "0: empty expression");
  CHECK(statement_error("f(x) = 3") == "0: cannot assign to function call");
  CHECK(statement_error("1 = x") == "0: cannot assign to literal");
  CHECK(statement_error("y, f(x) = z") == "3: cannot assign to function call");
  CHECK(statement_error("True = 1") == "0: cannot assign to True");
  CHECK(statement_error("x.y = 1") == "0: assignment target must be a plain name");
  CHECK(statement_error("x[0] = 1") == "0: assignment target must be a plain name");
  CHECK(statement_error("a + b = c") == "0: cannot assign to expression");
  CHECK(statement_error("a, = x") == "0: unpacking into a single name is not supported");
  CHECK(statement_error("(a, b), c = x") == "0: nested unpacking is not supported");
  CHECK(statement_error("() = x") == "0: cannot assign to ()");
  CHECK(statement_error("a = b = 1") == "6: chained assignment is not supported");
  CHECK(statement_error("x += 1") == "2: augmented assignment is not supported");
  CHECK(statement_error("x **= 2") == "2: augmented assignment is not supported");
  CHECK(statement_error("x := 1") == "2: unexpected ':='");
  CHECK(statement_error("a =") == "3: unexpected end of expression");
  CHECK(statement_error("= 1") == "0: expected an expression");
  CHECK(statement_error("a = 1 2") == "6: unexpected number '2'");
}

TEST_CASE("parser: nesting deeper than the limit is an error, not a stack overflow") {
  CHECK(parse(repeat("(", 200) + "x" + repeat(")", 200)) == "x");
  CHECK(expression_error(repeat("(", 201) + "x" + repeat(")", 201)) ==
        "200: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("(", 100000)) == "200: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("[", 100000)) == "200: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("f(", 100000)) == "401: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("x[", 100000)) == "401: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("-", 100000) + "x") ==
        "200: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("not ", 100000) + "x") ==
        "800: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("x**", 100000) + "x") ==
        "601: expression nested too deeply (limit 200)");
  CHECK(expression_error(repeat("(-", 100000)) == "200: expression nested too deeply (limit 200)");
}

TEST_CASE("parser: long chains are bounded by the tree depth limit") {
  // x + x + ... has no brackets but nests one node per operator; recursive walkers need a bound.
  CHECK_NOTHROW(parse_expression("x" + repeat(" + x", ag::expr::kMaxTreeDepth - 1)));
  CHECK(expression_error("x" + repeat("+x", ag::expr::kMaxTreeDepth)) ==
        "1999: expression too complex (more than 1000 nested operations)");
  CHECK(expression_error("x" + repeat("[0]", 300000)) ==
        "2998: expression too complex (more than 1000 nested operations)");
  CHECK(expression_error("x" + repeat(".y", 300000)).find("expression too complex") !=
        std::string::npos);
  CHECK(expression_error(repeat("a < ", 300000) + "a").find("expression too complex") !=
        std::string::npos);
}

TEST_CASE("parser: megabyte inputs parse in linear time") {
  const auto start = std::chrono::steady_clock::now();
  NodePtr list = parse_expression("[" + repeat("1.5, ", 200000) + "]");
  CHECK(list->children.size() == 200000);
  NodePtr call = parse_expression("f(" + repeat("x, ", 300000) + "k=1)");
  CHECK(call->children.size() == 300001);
  CHECK(parse_expression("'" + repeat("a", 1 << 20) + "'")->text.size() == (1u << 20));
  NodePtr tuple = parse_expression(repeat("a, ", 300000));
  CHECK(tuple->children.size() == 300000);
  // A generous bound that only a quadratic parser would miss; it is a guard, not a benchmark.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}

TEST_CASE("parser: error messages quote at most a few dozen characters of a token") {
  const std::string message = expression_error("x " + repeat("y", 100000));
  CHECK(message == "2: unexpected name '" + repeat("y", 40) + "...'");
}
