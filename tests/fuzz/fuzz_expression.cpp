// libFuzzer target: the expression parser (and the AST's dump) on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "diag/error.h"
#include "expr/ast.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ag::expr::parse_statement(text);
  } catch (const ag::expr::ParseError&) {
  } catch (const ag::UserError&) {
  }
  return 0;
}
