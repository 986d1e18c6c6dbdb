// A spec file as plain data: no YAML types past the loader. Every piece keeps its place.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/shape.h"
#include "diag/source_span.h"

namespace ag {

/// An expression written in the spec, and how to map byte offsets in it back to the file.
struct SpecExpr {
  std::string text;
  SourceSpan span;                 ///< where the scalar starts
  /// Line and column of each byte of `text` when the scalar appears verbatim in the file
  /// (plain or simply quoted); empty when it does not (escapes, folding): then `span` is used.
  std::vector<std::pair<int, int>> positions;
  SourceSpan locate(std::size_t begin, std::size_t end) const;
};

/// A YAML literal value: a scalar (its text, as written) or a list of literals.
struct Literal {
  enum class Kind { kScalar, kList, kNull } kind = Kind::kScalar;
  std::string text;
  bool quoted = false;
  SourceSpan span;
  std::vector<Literal> items;
};

struct InputSpec {
  std::string name;
  SourceSpan span;
  std::optional<Literal> literal;       ///< value written as a YAML literal
  std::optional<SpecExpr> expression;   ///< value written as an expression string
  std::optional<std::string> dtype;
  SourceSpan dtype_span;
  std::optional<Shape> shape;
  SourceSpan shape_span;
  bool variable = false;
  std::optional<bool> trainable;
  SourceSpan value_span;
};

struct TapeSpec {
  bool persistent = true;
  bool watch_accessed_variables = true;
  std::optional<std::vector<std::pair<std::string, SourceSpan>>> watch;
};

struct ExpectSpec {
  std::string name;
  SourceSpan span;
  Literal value;
};

struct Spec {
  std::string path;
  std::string description;
  std::vector<InputSpec> inputs;
  TapeSpec tape;
  std::vector<SpecExpr> operations;
  std::vector<SpecExpr> derivatives;
  std::optional<std::vector<SpecExpr>> output;
  std::vector<ExpectSpec> expect;
  std::optional<double> rtol;
  std::optional<double> atol;
};

/// Parses spec text; `path` names it in errors. Throws UserError(kUsage) with the place.
Spec load_spec(const std::string& text, const std::string& path);

}  // namespace ag
