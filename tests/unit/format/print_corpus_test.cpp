// Checks the printer byte for byte against the numpy-generated corpus
// tests/corpus/printing/cases.txt.
#include <doctest/doctest.h>

#include <complex>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "format/numpy_repr.h"

namespace {

/// One case of the corpus (format documented in tests/tools/gen_print_corpus.py).
struct CorpusCase {
  int number = 0;
  std::string dtype;
  ag::Shape shape;
  std::vector<std::string> tokens;
  std::string repr;
  std::string str;
};

ag::Shape parse_shape(const std::string& text) {
  ag::Shape shape;
  std::string inner = text.substr(1, text.size() - 2);
  std::stringstream in(inner);
  std::string dim;
  while (std::getline(in, dim, ',')) shape.push_back(std::stoll(dim));
  return shape;
}

/// Reads "NAME LENGTH\n" then LENGTH bytes and the newline after them.
std::string read_block(std::istream& in, const std::string& name) {
  std::string line;
  std::getline(in, line);
  REQUIRE(line.rfind(name + " ", 0) == 0);
  std::size_t length = std::stoul(line.substr(name.size() + 1));
  std::string text(length, '\0');
  in.read(&text[0], static_cast<std::streamsize>(length));
  in.get();
  return text;
}

std::vector<CorpusCase> read_corpus(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::vector<CorpusCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    REQUIRE(line.rfind("case ", 0) == 0);
    CorpusCase c;
    std::stringstream header(line.substr(5));
    std::string shape;
    header >> c.number >> c.dtype >> shape;
    c.shape = parse_shape(shape);
    std::getline(in, line);
    std::stringstream data(line.substr(4));
    std::string token;
    while (data >> token) {
      std::size_t star = token.find('*');
      if (star == std::string::npos) {
        c.tokens.push_back(token);
      } else {
        std::size_t count = std::stoul(token.substr(star + 1));
        c.tokens.insert(c.tokens.end(), count, token.substr(0, star));
      }
    }
    c.repr = read_block(in, "repr");
    c.str = read_block(in, "str");
    std::getline(in, line);
    REQUIRE(line == "end");
    cases.push_back(std::move(c));
  }
  return cases;
}

/// Stores a bit pattern of `bytes` bytes (little-endian host) at `target`.
void store_bits(void* target, const std::string& hex, std::size_t bytes) {
  std::uint64_t bits = std::stoull(hex, nullptr, 16);
  std::memcpy(target, &bits, bytes);
}

ag::Tensor build_tensor(const CorpusCase& c) {
  std::optional<ag::DType> dtype = ag::dtype_from_name(c.dtype);
  REQUIRE(dtype.has_value());
  ag::Tensor t = ag::Tensor::allocate(*dtype, c.shape);
  REQUIRE(static_cast<std::int64_t>(c.tokens.size()) == t.size());
  auto* bytes = static_cast<unsigned char*>(t.raw_mutable());
  std::size_t element = ag::storage_element_size(*dtype);
  for (std::size_t i = 0; i < c.tokens.size(); ++i) {
    const std::string& token = c.tokens[i];
    if (ag::dtype_is_complex(*dtype)) {
      std::size_t colon = token.find(':');
      store_bits(bytes + i * element, token.substr(0, colon), element / 2);
      store_bits(bytes + i * element + element / 2, token.substr(colon + 1), element / 2);
    } else if (*dtype == ag::DType::kBool) {
      t.mutable_data<bool>()[i] = token == "1";
    } else {
      store_bits(bytes + i * element, token, element);
    }
  }
  return t;
}

/// The first differing line of two texts, for a readable failure.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::stringstream e(expected);
  std::stringstream a(actual);
  std::string el;
  std::string al;
  for (int line = 1;; ++line) {
    bool has_e = static_cast<bool>(std::getline(e, el));
    bool has_a = static_cast<bool>(std::getline(a, al));
    if (!has_e && !has_a) return "(texts differ only in a trailing newline)";
    if (!has_e || !has_a || el != al) {
      return "line " + std::to_string(line) + ":\n  - " + (has_e ? el : "<end>") + "\n  + " +
             (has_a ? al : "<end>");
    }
  }
}

}  // namespace

TEST_CASE("print corpus: every numpy-generated case prints byte for byte") {
  std::vector<CorpusCase> cases =
      read_corpus(std::string(AUTOGRAD_SOURCE_DIR) + "/tests/corpus/printing/cases.txt");
  CHECK(cases.size() >= 2500);
  int matched = 0;
  int failed = 0;
  std::string report;
  for (const CorpusCase& c : cases) {
    ag::Tensor t = build_tensor(c);
    std::string repr = ag::format::tensor_repr(t);
    std::string str = ag::format::tensor_str(t);
    if (repr == c.repr && str == c.str) {
      ++matched;
      continue;
    }
    if (++failed <= 5) {
      const std::string& expected = repr != c.repr ? c.repr : c.str;
      const std::string& actual = repr != c.repr ? repr : str;
      report += "case " + std::to_string(c.number) + " (" + c.dtype + ", " +
                (repr != c.repr ? "repr" : "str") + ")\nexpected:\n" + expected + "\nactual:\n" +
                actual + "\nfirst difference at " + first_difference(expected, actual) + "\n\n";
    }
  }
  MESSAGE(matched << " of " << cases.size() << " corpus cases match");
  CHECK_MESSAGE(failed == 0, failed << " mismatches; the first ones:\n" << report);
}
