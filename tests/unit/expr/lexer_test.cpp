// Tests for the expression lexer: token kinds, spellings and byte offsets.
#include "expr/lexer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using ag::expr::Lexer;
using ag::expr::ParseError;
using ag::expr::Token;
using ag::expr::tokenize;
using ag::expr::TokenKind;

const char* kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd:
      return "end";
    case TokenKind::kName:
      return "name";
    case TokenKind::kKeyword:
      return "keyword";
    case TokenKind::kInt:
      return "int";
    case TokenKind::kFloat:
      return "float";
    case TokenKind::kImaginary:
      return "imaginary";
    case TokenKind::kString:
      return "string";
    case TokenKind::kOperator:
      return "op";
  }
  return "?";
}

// One "kind:text@begin-end" per token, space separated, without the final end token.
std::string lex(const std::string& text) {
  std::string out;
  for (const Token& token : tokenize(text)) {
    if (token.kind == TokenKind::kEnd) break;
    if (!out.empty()) out += ' ';
    out += std::string(kind_name(token.kind)) + ":" + token.text + "@" +
           std::to_string(token.begin) + "-" + std::to_string(token.end);
  }
  return out;
}

}  // namespace

TEST_CASE("lexer: tokens carry their kind, text and byte range") {
  CHECK(lex("y = 2 * x") == "name:y@0-1 op:=@2-3 int:2@4-5 op:*@6-7 name:x@8-9");
  CHECK(lex("tf.math.exp(x)") ==
        "name:tf@0-2 op:.@2-3 name:math@3-7 op:.@7-8 name:exp@8-11 op:(@11-12 name:x@12-13 "
        "op:)@13-14");
  CHECK(lex("x[..., -1]") ==
        "name:x@0-1 op:[@1-2 op:...@2-5 op:,@5-6 op:-@7-8 int:1@8-9 op:]@9-10");
}

TEST_CASE("lexer: operators take the longest spelling") {
  CHECK(lex("a**b//c") == "name:a@0-1 op:**@1-3 name:b@3-4 op://@4-6 name:c@6-7");
  CHECK(lex("<= >= == != < >") == "op:<=@0-2 op:>=@3-5 op:==@6-8 op:!=@9-11 op:<@12-13 op:>@14-15");
  CHECK(lex("**= //= += @") == "op:**=@0-3 op://=@4-7 op:+=@8-10 op:@@11-12");
}

TEST_CASE("lexer: every operator spelling, alone, at the end of the text, and before another") {
  // The lexer only tries the longer spellings when the second character can continue one.
  for (const char* spelling : {"...", "**=", "//=", "<<=", ">>=", "**", "//", "<=", ">=", "==", "!=", "<<", ">>",
                               "->", ":=", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=", "+", "-", "*", "/",
                               "%", "@", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "^",
                               "&", ";"}) {
    const std::string op = spelling;
    CAPTURE(op);
    const std::string end = std::to_string(op.size());
    CHECK(lex(op) == "op:" + op + "@0-" + end);
    CHECK(lex("a" + op + "b") == "name:a@0-1 op:" + op + "@1-" + std::to_string(op.size() + 1) + " name:b@" +
                                      std::to_string(op.size() + 1) + "-" + std::to_string(op.size() + 2));
    CHECK(lex(op + " (") == "op:" + op + "@0-" + end + " op:(@" + std::to_string(op.size() + 1) + "-" +
                                std::to_string(op.size() + 2));
  }
  CHECK(lex("a.b") == "name:a@0-1 op:.@1-2 name:b@2-3");
  CHECK(lex("x[:,1]") == "name:x@0-1 op:[@1-2 op::@2-3 op:,@3-4 int:1@4-5 op:]@5-6");
  CHECK(lex("a=-1") == "name:a@0-1 op:=@1-2 op:-@2-3 int:1@3-4");
}

TEST_CASE("lexer: keywords are not names") {
  CHECK(lex("not x and True or None") ==
        "keyword:not@0-3 name:x@4-5 keyword:and@6-9 keyword:True@10-14 keyword:or@15-17 "
        "keyword:None@18-22");
  CHECK(lex("nothing android") == "name:nothing@0-7 name:android@8-15");
  CHECK(ag::expr::is_python_keyword("lambda"));
  CHECK_FALSE(ag::expr::is_python_keyword("print"));
  for (const char* keyword : {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                              "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
                              "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
                              "return", "try", "while", "with", "yield"})
    CHECK(ag::expr::is_python_keyword(keyword));
  CHECK_FALSE(ag::expr::is_python_keyword(""));
  CHECK_FALSE(ag::expr::is_python_keyword("y"));
  CHECK_FALSE(ag::expr::is_python_keyword("sin"));
}

TEST_CASE("lexer: number forms") {
  CHECK(lex("0 42 0x1f 0o17 0B11 1_000 0x_ff") ==
        "int:0@0-1 int:42@2-4 int:0x1f@5-9 int:0o17@10-14 int:0B11@15-19 int:1_000@20-25 "
        "int:0x_ff@26-31");
  CHECK(lex("1. .5 1e-05 1.0E+3 1_0.2_5") ==
        "float:1.@0-2 float:.5@3-5 float:1e-05@6-11 float:1.0E+3@12-18 float:1_0.2_5@19-26");
  CHECK(lex("1j 2.5J 1e3j") == "imaginary:1@0-2 imaginary:2.5@3-7 imaginary:1e3@8-12");
  CHECK(lex("x[1:2]") == "name:x@0-1 op:[@1-2 int:1@2-3 op::@3-4 int:2@4-5 op:]@5-6");
  CHECK(lex("1 .real") == "int:1@0-1 op:.@2-3 name:real@3-7");
}

TEST_CASE("lexer: strings decode escapes and keep their prefix in the range") {
  const std::vector<Token> tokens = tokenize("r'\\n' 'a\\tb' \"q\\\"\" '\\101\\u00e9\\U0001F600'");
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].text == "\\n");
  CHECK(tokens[0].begin == 0);
  CHECK(tokens[0].end == 5);
  CHECK(tokens[1].text == "a\tb");
  CHECK(tokens[2].text == "q\"");
  CHECK(tokens[3].text == "A\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(tokenize("'a\\\nb'")[0].text == "ab");  // backslash-newline continues the line
  CHECK(tokenize("u'x'")[0].text == "x");
  CHECK(tokenize("'''a\nb'''")[0].text == "a\nb");
  CHECK(tokenize("r'\\''")[0].text == "\\'");
  CHECK(tokenize("''")[0].text.empty());
}

TEST_CASE("lexer: blanks, newlines and comments are skipped") {
  CHECK(lex(" \t\r\n x # comment ( \n + 1") == "name:x@5-6 op:+@21-22 int:1@23-24");
  CHECK(lex("") == "");
  CHECK(lex("# only a comment") == "");
}

TEST_CASE("lexer: the end token repeats and sits at the end of the text") {
  Lexer lexer("x  ");
  CHECK(lexer.next().kind == TokenKind::kName);
  const Token end = lexer.next();
  CHECK(end.kind == TokenKind::kEnd);
  CHECK(end.begin == 3);
  CHECK(lexer.next().kind == TokenKind::kEnd);
}

TEST_CASE("lexer: describe names tokens for error messages") {
  const std::string text = "abc 12 'q' ( and";
  const std::vector<Token> tokens = tokenize(text);
  CHECK(ag::expr::describe(tokens[0], text) == "name 'abc'");
  CHECK(ag::expr::describe(tokens[1], text) == "number '12'");
  CHECK(ag::expr::describe(tokens[2], text) == "string 'q'");
  CHECK(ag::expr::describe(tokens[3], text) == "'('");
  CHECK(ag::expr::describe(tokens[4], text) == "keyword 'and'");
  CHECK(ag::expr::describe(tokens[5], text) == "end of expression");
}

TEST_CASE("lexer: malformed input throws at the offending offset") {
  CHECK_THROWS_WITH_AS(tokenize("x = 'abc"), "unterminated string", ParseError);
  try {
    tokenize("ab + 1e");
    FAIL("no error");
  } catch (const ParseError& error) {
    CHECK(error.offset() == 5);
    CHECK(std::string(error.what()) == "invalid number literal '1e'");
  }
  CHECK_THROWS_WITH_AS(tokenize("a ? b"), "unexpected character '?'", ParseError);
  CHECK_THROWS_WITH_AS(tokenize("\x01"), "unexpected character '\\x01'", ParseError);
  CHECK_THROWS_WITH_AS(tokenize("\xFF"), "unexpected character '\\xff'", ParseError);
  CHECK_THROWS_WITH_AS(tokenize("0o8"), "invalid number literal '0o8'", ParseError);
  CHECK_THROWS_WITH_AS(tokenize("Rb'x'"), "bytes literals are not supported", ParseError);
}
