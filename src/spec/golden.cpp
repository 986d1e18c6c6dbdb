// Golden comparison and unified diffs.
#include "spec/golden.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace ag {
namespace {

struct Token {
  bool number;
  std::string text;
};

bool starts_number(const std::string& s, std::size_t i) {
  char c = s[i];
  if (std::isdigit(static_cast<unsigned char>(c))) return true;
  if (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) return true;
  return false;
}

/// Splits text into numbers ("-1.5e-05", "nan", "inf") and the text between them. A sign
/// belongs to the number; a number glued to letters (float32) is compared as a number too.
std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> tokens;
  std::string text;
  std::size_t i = 0;
  auto flush = [&] {
    if (!text.empty()) tokens.push_back({false, text});
    text.clear();
  };
  while (i < s.size()) {
    bool word_before = i > 0 && (std::isalpha(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_');
    std::size_t start = i;
    std::size_t j = i;
    if (s[j] == '-' && j + 1 < s.size()) ++j;
    if (!word_before && s.compare(j, 3, "nan") == 0 && (j + 3 >= s.size() || !std::isalnum(static_cast<unsigned char>(s[j + 3])))) {
      flush();
      tokens.push_back({true, s.substr(start, j + 3 - start)});
      i = j + 3;
      continue;
    }
    if (!word_before && s.compare(j, 3, "inf") == 0 && (j + 3 >= s.size() || !std::isalnum(static_cast<unsigned char>(s[j + 3])))) {
      flush();
      tokens.push_back({true, s.substr(start, j + 3 - start)});
      i = j + 3;
      continue;
    }
    if (starts_number(s, j)) {
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '.') {
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
          while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
          j = k;
        }
      }
      flush();
      tokens.push_back({true, s.substr(start, j - start)});
      i = j;
      continue;
    }
    text += s[i++];
  }
  flush();
  return tokens;
}

double to_number(const std::string& text) {
  if (text == "nan" || text == "-nan") return std::nan("");
  if (text == "inf") return INFINITY;
  if (text == "-inf") return -INFINITY;
  return std::strtod(text.c_str(), nullptr);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string normalize_newlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

std::string without_directories_of(const std::string& text, const std::string& file_name) {
  if (file_name.empty()) return text;
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = text.find(file_name); at != std::string::npos; at = text.find(file_name, at + file_name.size())) {
    if (at == 0 || text[at - 1] != '/') continue;
    // The path starts after the last space, quote or line break before the file name.
    std::size_t start = at;
    while (start > copied && !std::isspace(static_cast<unsigned char>(text[start - 1])) && text[start - 1] != '\'' &&
           text[start - 1] != '"' && text[start - 1] != '(')
      --start;
    out.append(text, copied, start - copied);
    copied = at;
  }
  out.append(text, copied, std::string::npos);
  return out;
}

bool golden_match(const std::string& actual, const std::string& expected, const Tolerance& tolerance) {
  if (actual == expected) return true;
  std::vector<Token> a = tokenize(actual);
  std::vector<Token> e = tokenize(expected);
  if (a.size() != e.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].number != e[i].number) return false;
    if (!a[i].number) {
      if (a[i].text != e[i].text) return false;
      continue;
    }
    double x = to_number(a[i].text);
    double y = to_number(e[i].text);
    if (std::isnan(x) || std::isnan(y)) {
      if (std::isnan(x) != std::isnan(y)) return false;
      continue;
    }
    if (std::isinf(x) || std::isinf(y)) {
      if (x != y) return false;
      continue;
    }
    if (std::fabs(x - y) > tolerance.atol + tolerance.rtol * std::fabs(y)) return false;
  }
  return true;
}

std::string unified_diff(const std::string& expected, const std::string& actual, const std::string& expected_label,
                         const std::string& actual_label) {
  std::vector<std::string> a = split_lines(expected);
  std::vector<std::string> b = split_lines(actual);
  // Longest common subsequence table; goldens are small, and very large ones are cut.
  constexpr std::size_t kMaxLines = 4000;
  if (a.size() > kMaxLines || b.size() > kMaxLines)
    return "--- " + expected_label + "\n+++ " + actual_label + "\n(files too large to diff: " + std::to_string(a.size()) + " and " +
           std::to_string(b.size()) + " lines)\n";
  std::vector<std::vector<std::uint32_t>> lcs(a.size() + 1, std::vector<std::uint32_t>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;)
    for (std::size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Edit {
    char kind;  // ' ', '-', '+'
    std::size_t a_line, b_line;
  };
  std::vector<Edit> edits;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) edits.push_back({' ', i++, j++});
    // Deletions before insertions, as diff(1) prints a changed line.
    else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) edits.push_back({'-', i++, j});
    else edits.push_back({'+', i, j++});
  }
  std::string out = "--- " + expected_label + "\n+++ " + actual_label + "\n";
  constexpr std::size_t kContext = 3;
  std::size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].kind == ' ') {
      ++k;
      continue;
    }
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    // Extend the hunk while changes are within 2 * context lines of each other.
    std::size_t last_change = k;
    while (end < edits.size()) {
      if (edits[end].kind != ' ') last_change = end;
      if (end - last_change > 2 * kContext) break;
      ++end;
    }
    end = std::min(edits.size(), last_change + kContext + 1);
    std::size_t a_start = edits[start].a_line, b_start = edits[start].b_line;
    std::size_t a_count = 0, b_count = 0;
    for (std::size_t m = start; m < end; ++m) {
      if (edits[m].kind != '+') ++a_count;
      if (edits[m].kind != '-') ++b_count;
    }
    // diff(1)'s ranges: "start,count", with ",1" left out.
    auto range = [](std::size_t start, std::size_t count) {
      return std::to_string(count ? start + 1 : start) + (count == 1 ? "" : "," + std::to_string(count));
    };
    out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n";
    for (std::size_t m = start; m < end; ++m) {
      const Edit& edit = edits[m];
      out += edit.kind;
      out += edit.kind == '+' ? b[edit.b_line] : a[edit.a_line];
      out += "\n";
    }
    k = end;
  }
  return out;
}

}  // namespace ag
