// Splits the text of a spec expression into Python tokens, each with its byte range.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.h"

namespace ag::expr {

/// What a token is. Operators and punctuation are all kOperator and differ by text.
enum class TokenKind {
  kEnd,        ///< past the last token; empty text
  kName,       ///< an identifier that is not a keyword
  kKeyword,    ///< a Python keyword: and, or, not, True, None, lambda, ...
  kInt,        ///< text as written ("0x10", "1_000")
  kFloat,      ///< text as written ("1.", "1e-05")
  kImaginary,  ///< text without the trailing j ("2.5" for "2.5j")
  kString,     ///< text is the decoded value; adjacent strings are separate tokens
  kOperator,   ///< text is the spelling: "**", "(", "...", "+=", ...
};

/// One token and where it sits in the source.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t begin = 0;  ///< byte offset of the first character (of the prefix, for r'...')
  std::size_t end = 0;    ///< one past the last character
  std::string text;       ///< see TokenKind

  /// True for the operator or punctuation `spelling`.
  bool is_operator(std::string_view spelling) const {
    return kind == TokenKind::kOperator && text == spelling;
  }
  /// True for the keyword `word`.
  bool is_keyword(std::string_view word) const {
    return kind == TokenKind::kKeyword && text == word;
  }
};

/// Reads tokens on demand, so a parser that stops at an early error never lexes the rest of a
/// long input. Copying a Lexer is cheap and gives an independent cursor (used for lookahead).
class Lexer {
 public:
  /// `source` must outlive the lexer.
  explicit Lexer(std::string_view source) : source_(source) {}

  /// The next token; kEnd, again and again, once the text is used up. Throws ParseError for
  /// malformed literals and characters that start no token.
  Token next();

 private:
  void skip_blanks();
  Token lex_word();
  Token lex_number();
  Token lex_string(std::size_t token_begin, bool raw);
  void decode_escape(std::string& value);
  Token lex_operator();

  std::string_view source_;
  std::size_t position_ = 0;
};

/// Every token of `source` up to and including kEnd. Throws ParseError.
std::vector<Token> tokenize(std::string_view source);

/// Whether `word` is a Python 3 keyword; keywords are never names, as in Python.
bool is_python_keyword(std::string_view word);

/// How error messages name a token of `source`: "name 'x'", "number '2'", "')'", "end of
/// expression".
std::string describe(const Token& token, std::string_view source);

/// `text`, cut to a few dozen bytes with "..." so that quoting a huge literal keeps messages short.
std::string clip(std::string_view text);

}  // namespace ag::expr
