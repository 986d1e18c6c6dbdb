// The expression lexer: Python 3 tokens (names, keywords, numbers, strings, operators) with byte
// offsets, so every later error can point at the exact character.
#include "expr/lexer.h"

#include <array>
#include <cstdint>

namespace ag::expr {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }
bool is_binary_digit(char c) { return c == '0' || c == '1'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || is_digit(c); }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

std::string hex_byte(unsigned char byte) {
  const char* digits = "0123456789abcdef";
  return std::string{digits[byte >> 4], digits[byte & 15]};
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// Names a stray character so that invisible ones (a pasted no-break space) can still be seen.
std::string describe_character(std::string_view source, std::size_t position) {
  const auto lead = static_cast<unsigned char>(source[position]);
  if (lead >= 0x20 && lead < 0x7F) return "'" + std::string(1, static_cast<char>(lead)) + "'";
  if (lead < 0x80) return "'\\x" + hex_byte(lead) + "'";
  std::size_t length = lead >= 0xF0 && lead < 0xF8   ? 4
                       : lead >= 0xE0 && lead < 0xF0 ? 3
                       : lead >= 0xC2 && lead < 0xE0 ? 2
                                                     : 0;
  if (length == 0 || position + length > source.size()) return "'\\x" + hex_byte(lead) + "'";
  std::uint32_t code_point = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(source[position + i]);
    if ((byte & 0xC0) != 0x80) return "'\\x" + hex_byte(lead) + "'";
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  std::string hex;
  for (int shift = code_point > 0xFFFF ? 16 : 8; shift >= 0; shift -= 8)
    hex += hex_byte((code_point >> shift) & 0xFF);
  for (char& c : hex) c = static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
  return "'" + std::string(source.substr(position, length)) + "' (U+" + hex + ")";
}

// Scans digits that Python allows single underscores between ("1_000"); false if malformed, with
// `position` past the offending character so the error quotes it.
bool scan_digits(std::string_view source, std::size_t& position, bool (*is_valid)(char)) {
  if (position >= source.size() || !is_valid(source[position])) return false;
  while (position < source.size()) {
    if (is_valid(source[position])) {
      ++position;
    } else if (source[position] == '_') {
      ++position;
      if (position >= source.size() || !is_valid(source[position])) return false;
    } else {
      break;
    }
  }
  return true;
}

// Longest spellings first, so "**=" is never read as "**" then "=".
constexpr std::array<std::string_view, 5> kThreeCharOperators = {"...", "**=", "//=", "<<=", ">>="};
constexpr std::array<std::string_view, 19> kTwoCharOperators = {
    "**", "//", "<=", ">=", "==", "!=", "<<", ">>", "->", ":=",
    "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^="};
constexpr std::string_view kOneCharOperators = "+-*/%@~<>=()[]{},:.|^&;";

/// The second characters of the longer spellings: after any other, only one-character operators
/// are tried (most operators in specs are single characters followed by a blank or an operand).
constexpr std::string_view kLongerOperatorSeconds = "*/=<>.";
constexpr bool seconds_cover_longer_operators() {
  for (std::string_view spelling : kThreeCharOperators)
    if (kLongerOperatorSeconds.find(spelling[1]) == std::string_view::npos) return false;
  for (std::string_view spelling : kTwoCharOperators)
    if (kLongerOperatorSeconds.find(spelling[1]) == std::string_view::npos) return false;
  return true;
}
static_assert(seconds_cover_longer_operators(), "kLongerOperatorSeconds misses an operator's second character");

}  // namespace

std::string clip(std::string_view text) {
  // Error messages quote source text; a 1 MB literal must not become a 1 MB message.
  constexpr std::size_t kLongest = 40;
  if (text.size() <= kLongest) return std::string(text);
  return std::string(text.substr(0, kLongest)) + "...";
}

std::string describe(const Token& token, std::string_view source) {
  const std::string_view spelling = source.substr(token.begin, token.end - token.begin);
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of expression";
    case TokenKind::kName:
      return "name '" + clip(spelling) + "'";
    case TokenKind::kKeyword:
      return "keyword '" + token.text + "'";
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kImaginary:
      return "number '" + clip(spelling) + "'";
    case TokenKind::kString:
      return "string " + clip(spelling);
    case TokenKind::kOperator:
      return "'" + token.text + "'";
  }
  return "token";
}

bool is_python_keyword(std::string_view word) {
  static constexpr std::array<std::string_view, 35> kKeywords = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  // Most words are names; few start with a letter no keyword starts with.
  static constexpr std::string_view kFirstLetters = "FNTabcdefgilnoprtwy";
  static_assert(
      [] {
        for (std::string_view keyword : kKeywords)
          if (kFirstLetters.find(keyword[0]) == std::string_view::npos) return false;
        return true;
      }(),
      "kFirstLetters misses a keyword's first letter");
  if (word.empty() || kFirstLetters.find(word[0]) == std::string_view::npos) return false;
  for (std::string_view keyword : kKeywords) {
    if (keyword[0] == word[0] && keyword == word) return true;
  }
  return false;
}

void Lexer::skip_blanks() {
  // Newlines count as blanks: YAML folded scalars hand us multi-line expressions.
  while (position_ < source_.size()) {
    const char c = source_[position_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++position_;
    } else if (c == '#') {
      while (position_ < source_.size() && source_[position_] != '\n') ++position_;
    } else {
      break;
    }
  }
}

Token Lexer::next() {
  skip_blanks();
  if (position_ >= source_.size())
    return Token{TokenKind::kEnd, source_.size(), source_.size(), ""};
  const char c = source_[position_];
  if (is_word_start(c)) return lex_word();
  if (is_digit(c) ||
      (c == '.' && position_ + 1 < source_.size() && is_digit(source_[position_ + 1]))) {
    return lex_number();
  }
  if (c == '\'' || c == '"') return lex_string(position_, /*raw=*/false);
  return lex_operator();
}

Token Lexer::lex_word() {
  const std::size_t begin = position_;
  while (position_ < source_.size() && is_word_char(source_[position_])) ++position_;
  const std::string_view word = source_.substr(begin, position_ - begin);
  const bool quote_follows =
      position_ < source_.size() && (source_[position_] == '\'' || source_[position_] == '"');
  if (quote_follows && word.size() <= 2) {
    std::string prefix;
    for (char c : word) prefix += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const bool is_prefix = prefix == "r" || prefix == "u" || prefix == "b" || prefix == "f" ||
                           prefix == "br" || prefix == "rb" || prefix == "fr" || prefix == "rf";
    if (is_prefix) {
      if (prefix.find('b') != std::string::npos)
        throw ParseError(begin, "bytes literals are not supported");
      if (prefix.find('f') != std::string::npos)
        throw ParseError(begin, "f-strings are not supported");
      return lex_string(begin, /*raw=*/prefix == "r");
    }
  }
  return Token{is_python_keyword(word) ? TokenKind::kKeyword : TokenKind::kName, begin, position_,
               std::string(word)};
}

Token Lexer::lex_number() {
  const std::size_t begin = position_;
  const std::size_t size = source_.size();
  std::size_t p = begin;
  // The quoted literal runs on to the end of the word it is part of: "1e" in "1e)", "0b12" whole.
  auto invalid = [&](std::size_t stop) {
    while (stop < size && is_word_char(source_[stop])) ++stop;
    return ParseError(begin,
                      "invalid number literal '" + clip(source_.substr(begin, stop - begin)) + "'");
  };
  TokenKind kind = TokenKind::kInt;
  const char base = p + 1 < size && source_[p] == '0' ? source_[p + 1] : '\0';
  if (base == 'x' || base == 'X' || base == 'o' || base == 'O' || base == 'b' || base == 'B') {
    p += 2;
    bool (*is_valid)(char) = base == 'x' || base == 'X'   ? is_hex_digit
                             : base == 'o' || base == 'O' ? is_octal_digit
                                                          : is_binary_digit;
    if (p < size && source_[p] == '_') ++p;  // Python accepts 0x_ff.
    if (!scan_digits(source_, p, is_valid)) throw invalid(p);
  } else {
    if (is_digit(source_[p]) && !scan_digits(source_, p, is_digit)) throw invalid(p);
    if (p < size && source_[p] == '.') {
      kind = TokenKind::kFloat;
      ++p;
      if (p < size && is_digit(source_[p]) && !scan_digits(source_, p, is_digit)) throw invalid(p);
    }
    if (p < size && (source_[p] == 'e' || source_[p] == 'E')) {
      kind = TokenKind::kFloat;
      ++p;
      if (p < size && (source_[p] == '+' || source_[p] == '-')) ++p;
      if (!scan_digits(source_, p, is_digit)) throw invalid(p);
    }
    if (p < size && (source_[p] == 'j' || source_[p] == 'J')) {
      kind = TokenKind::kImaginary;
      ++p;
    } else if (kind == TokenKind::kInt && source_[begin] == '0' &&
               source_.substr(begin, p - begin).find_first_not_of("0_") != std::string_view::npos) {
      // Python 3 rejects 012 rather than guess whether octal was meant.
      throw ParseError(begin, "invalid number literal '" + clip(source_.substr(begin, p - begin)) +
                                  "' (leading zeros are not allowed; use 0o for octal)");
    }
  }
  if (p < size && is_word_char(source_[p])) throw invalid(p);
  Token token{kind, begin, p, std::string(source_.substr(begin, p - begin))};
  if (kind == TokenKind::kImaginary) token.text.pop_back();
  position_ = p;
  return token;
}

Token Lexer::lex_string(std::size_t token_begin, bool raw) {
  const char quote = source_[position_];
  const std::string closing_triple(3, quote);
  const bool triple = source_.substr(position_, 3) == closing_triple;
  position_ += triple ? 3 : 1;
  auto unterminated = [&] {
    return ParseError(token_begin,
                      triple ? "unterminated triple-quoted string" : "unterminated string");
  };
  std::string value;
  while (true) {
    if (position_ >= source_.size()) throw unterminated();
    const char c = source_[position_];
    if (c == quote && (!triple || source_.substr(position_, 3) == closing_triple)) {
      position_ += triple ? 3 : 1;
      break;
    }
    if (!triple && (c == '\n' || c == '\r')) throw unterminated();
    if (c == '\\') {
      if (position_ + 1 >= source_.size()) throw unterminated();
      if (raw) {
        // A raw string keeps the backslash, yet \' still does not end it (Python's rule).
        value.append(source_.substr(position_, 2));
        position_ += 2;
      } else {
        decode_escape(value);
      }
      continue;
    }
    value += c;
    ++position_;
  }
  return Token{TokenKind::kString, token_begin, position_, std::move(value)};
}

void Lexer::decode_escape(std::string& value) {
  const std::size_t at = position_;  // the backslash
  const char escape = source_[at + 1];
  position_ = at + 2;
  auto read_hex = [&](std::size_t count, const char* name) {
    std::uint32_t code_point = 0;
    for (std::size_t i = 0; i < count; ++i, ++position_) {
      if (position_ >= source_.size() || !is_hex_digit(source_[position_])) {
        throw ParseError(at, std::string("invalid ") + name + " escape (expected " +
                                 std::to_string(count) + " hex digits)");
      }
      code_point = code_point * 16 + static_cast<std::uint32_t>(hex_value(source_[position_]));
    }
    if (code_point >= 0xD800 && code_point <= 0xDFFF) {
      throw ParseError(at, std::string("invalid ") + name + " escape (surrogate code point)");
    }
    if (code_point > 0x10FFFF)
      throw ParseError(at, std::string("invalid ") + name + " escape (beyond U+10FFFF)");
    append_utf8(value, code_point);
  };
  switch (escape) {
    case '\n':
      return;  // a backslash before a newline continues the line
    case '\r':
      if (position_ < source_.size() && source_[position_] == '\n') ++position_;
      return;
    case '\\':
      value += '\\';
      return;
    case '\'':
      value += '\'';
      return;
    case '"':
      value += '"';
      return;
    case 'a':
      value += '\a';
      return;
    case 'b':
      value += '\b';
      return;
    case 'f':
      value += '\f';
      return;
    case 'n':
      value += '\n';
      return;
    case 'r':
      value += '\r';
      return;
    case 't':
      value += '\t';
      return;
    case 'v':
      value += '\v';
      return;
    case 'x':
      read_hex(2, "\\x");
      return;
    case 'u':
      read_hex(4, "\\u");
      return;
    case 'U':
      read_hex(8, "\\U");
      return;
    case 'N':
      throw ParseError(at, "\\N{...} escapes are not supported");
    default:
      break;
  }
  if (is_octal_digit(escape)) {
    std::uint32_t code_point = static_cast<std::uint32_t>(escape - '0');
    for (int i = 0; i < 2 && position_ < source_.size() && is_octal_digit(source_[position_]);
         ++i, ++position_) {
      code_point = code_point * 8 + static_cast<std::uint32_t>(source_[position_] - '0');
    }
    append_utf8(value, code_point);
    return;
  }
  // Python keeps an unknown escape such as \d verbatim (and only warns), so regex-like text
  // survives.
  value += '\\';
  value += escape;
}

Token Lexer::lex_operator() {
  const std::size_t begin = position_;
  // Every spelling is compared only when its first character matches: most operators are one
  // character long, and a full comparison against each longer spelling would cost a memcmp each.
  const char first = source_[begin];
  const bool may_be_longer =
      begin + 1 < source_.size() && kLongerOperatorSeconds.find(source_[begin + 1]) != std::string_view::npos;
  for (std::string_view spelling : kThreeCharOperators) {
    if (!may_be_longer) break;
    if (spelling[0] == first && source_.substr(begin, 3) == spelling) {
      position_ += 3;
      return Token{TokenKind::kOperator, begin, position_, std::string(spelling)};
    }
  }
  for (std::string_view spelling : kTwoCharOperators) {
    if (!may_be_longer) break;
    if (spelling[0] == first && source_.substr(begin, 2) == spelling) {
      position_ += 2;
      return Token{TokenKind::kOperator, begin, position_, std::string(spelling)};
    }
  }
  if (kOneCharOperators.find(source_[begin]) != std::string_view::npos) {
    ++position_;
    return Token{TokenKind::kOperator, begin, position_, std::string(1, source_[begin])};
  }
  throw ParseError(begin, "unexpected character " + describe_character(source_, begin));
}

std::vector<Token> tokenize(std::string_view source) {
  Lexer lexer(source);
  std::vector<Token> tokens;
  do {
    tokens.push_back(lexer.next());
  } while (tokens.back().kind != TokenKind::kEnd);
  return tokens;
}

}  // namespace ag::expr
