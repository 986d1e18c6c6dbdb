// The catalog-wide gradient check. It iterates the catalog itself: every op row must have an entry
// in kRowChecks below — gradient cases, or an explicit "not differentiable" marker — so no row can
// be added unchecked. Each gradient case is evaluated through the real evaluator (names bound,
// expression parsed), recorded on a GradientTape, and its first and second derivatives compared
// with central finite differences in float64; float32 must then give the same first derivative.
// Order 3 to 5 derivatives of the smooth unary ops are checked against closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "ops/api.h"
#include "ops/catalog.h"

namespace ag {
namespace {

using testing::all_close;
using testing::Bindings;
using testing::converted;
using testing::doubles;
using testing::Rng;

// ---------------------------------------------------------------------------------------------
// The table

/// Where an input's elements are drawn: uniform in [low, high), and of either sign when asked.
struct Domain {
  double low;
  double high;
  bool either_sign = false;
};
const Domain kAny{-2.0, 2.0};
const Domain kPositive{0.5, 2.5};
const Domain kNonZero{0.5, 2.0, true};
const Domain kBigNonZero{1.0, 2.0, true};  ///< paired with kSmall, so maximum/minimum never tie
const Domain kSmall{-0.5, 0.5};

struct Input {
  std::string name;
  Shape shape;
  Domain domain = kAny;
  bool differentiable = true;  ///< false: bound and fixed, never watched or perturbed
};
Input var(std::string name, Shape shape, Domain domain = kAny) { return {std::move(name), std::move(shape), domain, true}; }
Input fixed(std::string name, Shape shape, Domain domain = kAny) { return {std::move(name), std::move(shape), domain, false}; }

/// One expression to differentiate. `{other}` in it stands for the float dtype the inputs do
/// not have (float32 for float64 inputs and back), for cast.
struct GradCase {
  std::string expression;
  std::vector<Input> inputs;
  double step = 1e-6;        ///< finite-difference step, relative to max(1, |x|)
  double tolerance = 1e-6;   ///< first-derivative tolerance, relative to max(1, |fd|)
};

/// An expression whose gradient must be None for every watched float input.
struct NoGradCase {
  std::string expression;
  std::vector<Input> inputs;
};

struct RowCheck {
  std::string path;
  std::vector<GradCase> gradient;
  std::vector<NoGradCase> no_gradient;  ///< alone: the row is not differentiable
};

RowCheck differentiable(std::string path, std::vector<GradCase> cases, std::vector<NoGradCase> none = {}) {
  return {std::move(path), std::move(cases), std::move(none)};
}
RowCheck not_differentiable(std::string path, std::vector<NoGradCase> cases) { return {std::move(path), {}, std::move(cases)}; }

/// `f(x)` on a scalar, a vector and a matrix.
std::vector<GradCase> unary(const std::string& call, Domain domain) {
  std::string expression = call + "(x)";
  return {{expression, {var("x", {}, domain)}}, {expression, {var("x", {5}, domain)}}, {expression, {var("x", {2, 3}, domain)}}};
}

/// `f(x, y)` on equal shapes and on broadcasting pairs (each gradient is summed back to its input).
std::vector<GradCase> binary(const std::string& expression, Domain dx, Domain dy) {
  std::vector<std::pair<Shape, Shape>> shapes = {{{2, 3}, {2, 3}}, {{3, 1}, {4}}, {{2, 3}, {}}, {{}, {2, 3}}, {{2, 1, 3}, {4, 1}}};
  std::vector<GradCase> cases;
  for (const auto& [sx, sy] : shapes) cases.push_back({expression, {var("x", sx, dx), var("y", sy, dy)}});
  return cases;
}

std::vector<GradCase> reductions(const std::string& op) {
  std::vector<GradCase> cases;
  for (const char* args : {"", ", axis=1", ", axis=-1", ", axis=[0, 2]", ", axis=0, keepdims=True", ", keepdims=True"})
    cases.push_back({op + "(x" + args + ")", {var("x", {2, 3, 4})}});
  cases.push_back({op + "(x)", {var("x", {5})}});
  return cases;
}

std::vector<NoGradCase> comparison(const std::string& op) {
  return {{op + "(x, y)", {var("x", {2, 3}), var("y", {3})}}, {op + "(x, 0.5)", {var("x", {4})}}};
}

const std::vector<RowCheck>& row_checks() {
  static const std::vector<RowCheck> rows = {
      // Arithmetic.
      differentiable("math.add", binary("add(x, y)", kAny, kAny)),
      differentiable("math.subtract", binary("subtract(x, y)", kAny, kAny)),
      differentiable("math.multiply", binary("multiply(x, y)", kAny, kAny)),
      differentiable("math.divide", binary("divide(x, y)", kAny, kNonZero)),
      differentiable("math.truediv", binary("truediv(x, y)", kAny, kNonZero)),
      differentiable("math.pow", binary("pow(x, y)", kPositive, kAny)),
      differentiable("math.maximum", binary("maximum(x, y)", kBigNonZero, kSmall)),
      differentiable("math.minimum", binary("minimum(x, y)", kBigNonZero, kSmall)),
      // Unary math.
      differentiable("math.negative", unary("negative", kAny)),
      differentiable("math.abs", unary("abs", kNonZero)),
      differentiable("math.exp", unary("exp", kAny)),
      differentiable("math.log", unary("math.log", kPositive)),
      differentiable("math.sin", unary("sin", kAny)),
      differentiable("math.cos", unary("cos", kAny)),
      differentiable("math.tanh", unary("tanh", kAny)),
      differentiable("math.sigmoid", unary("sigmoid", kAny)),
      differentiable("math.sqrt", unary("sqrt", kPositive)),
      differentiable("math.square", unary("square", kAny)),
      differentiable("math.reciprocal", unary("math.reciprocal", kNonZero)),
      // TF registers zeros as Sign's gradient (not None): the check is against a zero derivative.
      differentiable("math.sign", unary("sign", kNonZero)),
      // Comparisons have no gradient.
      not_differentiable("math.equal", comparison("equal")),
      not_differentiable("math.not_equal", comparison("not_equal")),
      not_differentiable("math.less", comparison("less")),
      not_differentiable("math.less_equal", comparison("less_equal")),
      not_differentiable("math.greater", comparison("greater")),
      not_differentiable("math.greater_equal", comparison("greater_equal")),
      // Reductions.
      differentiable("math.reduce_sum", reductions("reduce_sum")),
      differentiable("math.reduce_mean", reductions("reduce_mean")),
      differentiable("math.reduce_max", reductions("reduce_max")),
      differentiable("math.reduce_min", reductions("reduce_min")),
      // cast between float dtypes passes the gradient back; to an integer it has none.
      differentiable("dtypes.cast", {{"cast(x, {other})", {var("x", {2, 3})}, 1e-3, 1e-3}},
                     {{"cast(x, int32)", {var("x", {2, 3})}}}),
      differentiable("where", {{"where(c > 0.0, x, y)", {fixed("c", {2, 3}), var("x", {2, 3}), var("y", {2, 3})}},
                               {"where(c > 0.0, x, y)", {fixed("c", {3, 1}), var("x", {4}), var("y", {})}},
                               {"where(c > 0.0, x * y, y)", {fixed("c", {3}), var("x", {2, 3}), var("y", {3})}}}),
      // Math ops of issue 4: arithmetic and special functions.
      not_differentiable("math.floordiv", {{"math.floordiv(x, y)", {var("x", {2, 3}), var("y", {3}, kNonZero)}}}),
      differentiable("math.floormod", {{"math.floormod(x, y)", {var("x", {2, 3}, {2.2, 2.8}), var("y", {3}, {1.0, 1.05})}},
                                       {"math.floormod(x, y)", {var("x", {}, {2.2, 2.8}), var("y", {2}, {1.0, 1.05})}}}),
      differentiable("math.squared_difference", binary("math.squared_difference(x, y)", kAny, kAny)),
      differentiable("math.multiply_no_nan", binary("math.multiply_no_nan(x, y)", kAny, kNonZero)),
      differentiable("math.atan2", binary("atan2(x, y)", kAny, kPositive)),
      differentiable("math.rsqrt", unary("math.rsqrt", kPositive)),
      differentiable("math.expm1", unary("math.expm1", kAny)),
      differentiable("math.log1p", unary("math.log1p", kPositive)),
      differentiable("math.tan", unary("tan", {-1.0, 1.0})),
      differentiable("math.asin", unary("asin", {-0.8, 0.8})),
      differentiable("math.acos", unary("acos", {-0.8, 0.8})),
      differentiable("math.atan", unary("atan", kAny)),
      differentiable("math.sinh", unary("sinh", kAny)),
      differentiable("math.cosh", unary("cosh", kAny)),
      differentiable("math.asinh", unary("asinh", kAny)),
      differentiable("math.acosh", unary("acosh", {1.2, 3.0})),
      differentiable("math.atanh", unary("atanh", {-0.8, 0.8})),
      differentiable("math.log_sigmoid", unary("math.log_sigmoid", kAny)),
      differentiable("math.softplus", unary("math.softplus", kAny)),
      differentiable("math.erf", unary("math.erf", kAny)),
      differentiable("math.erfc", unary("math.erfc", kAny)),
      differentiable("math.lgamma", unary("math.lgamma", kPositive)),
      differentiable("math.digamma", unary("math.digamma", kPositive)),
      differentiable("math.polygamma", {{"math.polygamma(1.0, x)", {var("x", {2, 3}, kPositive)}},
                                        {"math.polygamma(2.0, x)", {var("x", {4}, kPositive)}}}),
      not_differentiable("math.floor", {{"floor(x)", {var("x", {2, 3})}}}),
      not_differentiable("math.ceil", {{"math.ceil(x)", {var("x", {2, 3})}}}),
      not_differentiable("math.round", {{"round(x)", {var("x", {2, 3})}}}),
      differentiable("clip_by_value", {{"clip_by_value(x, -0.5, 0.5)", {var("x", {2, 3})}},
                                       {"clip_by_value(x, lo, hi)", {var("x", {2, 3}, kBigNonZero), var("lo", {}, {-0.5, -0.4}),
                                                                     var("hi", {}, {0.4, 0.5})}}}),
      not_differentiable("math.logical_and", {{"logical_and(x > 0.0, y > 0.0)", {var("x", {2, 3}), var("y", {3})}}}),
      not_differentiable("math.logical_or", {{"logical_or(x > 0.0, y > 0.0)", {var("x", {2, 3}), var("y", {3})}}}),
      not_differentiable("math.logical_not", {{"logical_not(x > 0.0)", {var("x", {2, 3})}}}),
      // Reductions, scans and lists of issue 4.
      differentiable("math.reduce_prod", reductions("reduce_prod")),
      not_differentiable("math.reduce_all", {{"reduce_all(x > 0.0, axis=1)", {var("x", {2, 3})}}}),
      not_differentiable("math.reduce_any", {{"reduce_any(x > 0.0)", {var("x", {2, 3})}}}),
      differentiable("math.reduce_logsumexp", reductions("reduce_logsumexp")),
      differentiable("math.reduce_variance", reductions("math.reduce_variance")),
      differentiable("math.reduce_std", reductions("math.reduce_std")),
      not_differentiable("math.argmax", {{"argmax(x, axis=1)", {var("x", {2, 3})}}}),
      not_differentiable("math.argmin", {{"argmin(x)", {var("x", {2, 3})}}}),
      differentiable("math.cumsum", {{"cumsum(x, axis=1)", {var("x", {2, 3})}},
                                     {"cumsum(x, exclusive=True)", {var("x", {4})}},
                                     {"cumsum(x, axis=-1, reverse=True)", {var("x", {2, 3})}},
                                     {"cumsum(x, axis=0, exclusive=True, reverse=True)", {var("x", {3, 2})}}}),
      differentiable("math.cumprod", {{"math.cumprod(x, axis=1)", {var("x", {2, 3}, kNonZero)}},
                                      {"math.cumprod(x, exclusive=True)", {var("x", {4}, kNonZero)}},
                                      {"math.cumprod(x, axis=0, reverse=True)", {var("x", {3, 2}, kNonZero)}}}),
      differentiable("math.add_n", {{"add_n([x, y, x])", {var("x", {2, 3}), var("y", {2, 3})}}, {"add_n([x])", {var("x", {3})}}}),
      differentiable("math.polyval", {{"math.polyval([a, b, c], x)", {var("a", {}), var("b", {}), var("c", {}), var("x", {2, 3})}}}),
      // nn ops of issue 4 (kinks kept away from the sampled points).
      differentiable("nn.relu", unary("nn.relu", kNonZero)),
      differentiable("nn.relu6", {{"nn.relu6(x)", {var("x", {2, 3}, {0.5, 5.5, true})}}, {"nn.relu6(x)", {var("x", {4}, {6.5, 8.0})}}}),
      differentiable("nn.elu", unary("nn.elu", kNonZero)),
      differentiable("nn.selu", unary("nn.selu", kNonZero)),
      differentiable("nn.gelu", {{"nn.gelu(x)", {var("x", {2, 3})}}, {"nn.gelu(x, approximate=True)", {var("x", {5})}}}),
      differentiable("nn.leaky_relu", {{"nn.leaky_relu(x)", {var("x", {2, 3}, kNonZero)}},
                                       {"nn.leaky_relu(x, alpha=0.3)", {var("x", {4}, kNonZero)}}}),
      differentiable("nn.softmax", {{"nn.softmax(x)", {var("x", {2, 3})}}, {"nn.softmax(x, axis=0)", {var("x", {3, 2, 2})}},
                                    {"nn.softmax(x)", {var("x", {4})}}}),
      differentiable("nn.log_softmax", {{"nn.log_softmax(x)", {var("x", {2, 3})}}, {"nn.log_softmax(x, axis=1)", {var("x", {2, 3, 2})}}}),
      differentiable("nn.softsign", unary("nn.softsign", kNonZero)),
      differentiable("nn.silu", {{"nn.silu(x)", {var("x", {2, 3})}}, {"nn.silu(x, beta=b)", {var("x", {4}), var("b", {}, kPositive)}}}),
      differentiable("nn.l2_loss", {{"nn.l2_loss(x)", {var("x", {2, 3})}}, {"nn.l2_loss(x)", {var("x", {})}}}),
      differentiable("nn.l2_normalize", {{"nn.l2_normalize(x)", {var("x", {2, 3}, kNonZero)}},
                                         {"nn.l2_normalize(x, axis=1)", {var("x", {2, 3}, kNonZero)}}}),
      differentiable("nn.sigmoid_cross_entropy_with_logits",
                     {{"nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)", {var("z", {2, 3}), var("x", {2, 3}, kNonZero)}}}),
      // TF's logits gradient, softmax - labels, holds for label rows that sum to 1, and it drops
      // the labels' part of the second derivative: the cases keep to what TF gets right.
      differentiable("nn.softmax_cross_entropy_with_logits",
                     {{"nn.softmax_cross_entropy_with_logits(labels=nn.softmax(z), logits=x)", {fixed("z", {2, 3}), var("x", {2, 3})}},
                      {"nn.softmax_cross_entropy_with_logits(labels=nn.softmax(z, axis=0), logits=x, axis=0)",
                       {fixed("z", {3, 2}), var("x", {3, 2})}},
                      {"nn.softmax_cross_entropy_with_logits(labels=nn.softmax(z), logits=x)", {fixed("z", {4}), var("x", {4})}},
                      {"nn.softmax_cross_entropy_with_logits(labels=z, logits=x)", {var("z", {2, 3}), fixed("x", {2, 3})}}}),
      differentiable("nn.sparse_softmax_cross_entropy_with_logits",
                     {{"nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2], logits=x)", {var("x", {2, 3})}},
                      {"nn.sparse_softmax_cross_entropy_with_logits(labels=[[1], [0]], logits=x)", {var("x", {2, 1, 3})}}}),
      // The variance holds the mean constant (TF's stop_gradient), which is exact for the first
      // derivative only; tests/unit/ops/math_nn_test.cpp checks its values.
      differentiable("nn.moments", {{"nn.moments(x, axes=[0])[0]", {var("x", {3, 2})}},
                                    {"nn.moments(x, axes=[0, 1], keepdims=True)[0]", {var("x", {3, 2})}}}),
      // A seeded dropout draws new numbers on every call (as TF's stateful kernels do), so finite
      // differences see rate 0 only; tests/unit/ops/math_nn_test.cpp checks the seeded mask.
      differentiable("nn.dropout", {{"nn.dropout(x, 0.0)", {var("x", {2, 3})}}}),
      // Shapes and products.
      differentiable("reshape", {{"reshape(x, [3, -1])", {var("x", {2, 3, 2})}}, {"reshape(x, [])", {var("x", {1})}},
                                 {"reshape(x * x, [6])", {var("x", {2, 3})}}}),
      differentiable("transpose", {{"transpose(x)", {var("x", {2, 3, 4})}}, {"transpose(x, perm=[1, 0, 2])", {var("x", {2, 3, 4})}},
                                   {"transpose(x, [0, 2, 1]) * y", {var("x", {2, 3, 4}), var("y", {4, 3})}}}),
      differentiable("linalg.inv", {{"linalg.inv(x + [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 3.0]])", {var("x", {3, 3})}},
                                    {"linalg.inv(x + [[3.0, 0.0], [0.0, 3.0]])", {var("x", {2, 2, 2})}}}),
      differentiable("linalg.det", {{"linalg.det(x)", {var("x", {3, 3})}}, {"linalg.det(x)", {var("x", {2, 2, 2})}}}),
      differentiable("linalg.solve", {{"linalg.solve(a + [[3.0, 0.0], [0.0, 3.0]], b)", {var("a", {2, 2}), var("b", {2, 3})}},
                                      {"linalg.solve(a + [[3.0, 0.0], [0.0, 3.0]], b)", {var("a", {2, 2, 2}), var("b", {2, 2, 1})}}}),
      differentiable("linalg.matrix_transpose", {{"linalg.matrix_transpose(x)", {var("x", {2, 3})}},
                                                 {"linalg.matrix_transpose(x)", {var("x", {2, 3, 4})}}}),
      differentiable("linalg.matmul",
                     {{"matmul(a, b)", {var("a", {2, 3}), var("b", {3, 4})}},
                      {"matmul(a, b, transpose_a=True)", {var("a", {3, 2}), var("b", {3, 4})}},
                      {"matmul(a, b, transpose_b=True)", {var("a", {2, 3}), var("b", {4, 3})}},
                      {"matmul(a, b, transpose_a=True, transpose_b=True)", {var("a", {3, 2}), var("b", {4, 3})}},
                      {"matmul(a, b)", {var("a", {2, 2, 3}), var("b", {2, 3, 4})}},
                      {"matmul(a, b)", {var("a", {2, 2, 3}), var("b", {3, 4})}},
                      {"matmul(a, a, transpose_b=True)", {var("a", {3, 2})}}}),
      differentiable("broadcast_to", {{"broadcast_to(x, [2, 3, 4])", {var("x", {3, 1})}}, {"broadcast_to(x, [2, 3])", {var("x", {})}}}),
      differentiable("identity", unary("identity", kAny)),
      // In eager TF, constant() and convert_to_tensor() of a tensor return that very tensor.
      differentiable("constant", unary("constant", kAny)),
      differentiable("convert_to_tensor", unary("convert_to_tensor", kAny)),
      // TF's _FillGrad: the value gets the sum of the gradient.
      differentiable("fill", {{"fill([2, 3], x)", {var("x", {})}}}),
      not_differentiable("stop_gradient", {{"stop_gradient(x)", {var("x", {2, 3})}}}),
      // Makers: no gradient reaches an input they are built from.
      not_differentiable("zeros", {{"zeros(shape(x), dtype=x.dtype)", {var("x", {2, 3})}}}),
      not_differentiable("ones", {{"ones(shape(x), dtype=x.dtype)", {var("x", {2, 3})}}}),
      not_differentiable("zeros_like", {{"zeros_like(x)", {var("x", {2, 3})}}}),
      not_differentiable("ones_like", {{"ones_like(x)", {var("x", {2, 3})}}}),
      not_differentiable("range", {{"range(x)", {var("x", {}, {3.5, 4.5})}}, {"range(x, 6.0, 0.5)", {var("x", {}, kAny)}}}),
      not_differentiable("linspace", {{"linspace(x, 2.0, 5)", {var("x", {}, kAny)}}}),
      not_differentiable("shape", {{"shape(x)", {var("x", {2, 3})}}}),
      not_differentiable("size", {{"size(x)", {var("x", {2, 3})}}}),
      not_differentiable("rank", {{"rank(x)", {var("x", {2, 3})}}}),
      // Complex parts of real tensors (complex inputs: tests/unit/ops/complex_grads_test.cpp).
      differentiable("math.conj", {{"math.conj(x) * x", {var("x", {2, 3})}}}),
      differentiable("math.real", {{"math.real(x * x)", {var("x", {2, 3})}}}),
      not_differentiable("math.imag", {{"math.imag(x)", {var("x", {2, 3})}}}),
      differentiable("math.divide_no_nan", binary("math.divide_no_nan(x, y)", kAny, kNonZero)),
      not_differentiable("unique", {{"unique(x).y", {var("x", {5})}}}),
      not_differentiable("unique_with_counts", {{"unique_with_counts(x).y", {var("x", {4})}}}),
      // Array ops of issue 4 (list results are checked through one of their items).
      differentiable("expand_dims", {{"expand_dims(x, 1) * y", {var("x", {2, 3}), var("y", {3, 1})}}, {"expand_dims(x, -1)", {var("x", {3})}}}),
      differentiable("squeeze", {{"squeeze(x)", {var("x", {2, 1, 3})}}, {"squeeze(x * x, axis=[0])", {var("x", {1, 3})}}}),
      differentiable("concat", {{"concat([x, y, x * y], 1)", {var("x", {2, 3}), var("y", {2, 3})}},
                                {"concat([x, y], -1)", {var("x", {2, 1}), var("y", {2, 3})}}}),
      differentiable("stack", {{"stack([x, y * x], axis=1)", {var("x", {2, 3}), var("y", {2, 3})}}}),
      differentiable("unstack", {{"unstack(x, axis=1)[1][:2] * unstack(x)[0]", {var("x", {3, 2})}}}),
      differentiable("split", {{"split(x, 2, axis=1)[1] * split(x, [1, -1])[0][:, :2]", {var("x", {2, 4})}}}),
      differentiable("tile", {{"tile(x * x, [2, 3])", {var("x", {2, 3})}}, {"tile(x, [3])", {var("x", {2})}}}),
      differentiable("pad", {{"pad(x * x, [[1, 0], [2, 1]])", {var("x", {2, 3})}},
                             {"pad(x, [[1, 2]], constant_values=5.0)", {var("x", {3})}},
                             {"pad(x * x, [[1, 1], [2, 1]], mode='REFLECT')", {var("x", {3, 3})}},
                             {"pad(x, [[2, 1], [1, 0]], mode='SYMMETRIC')", {var("x", {2, 3})}}}),
      differentiable("gather", {{"gather(x, [2, 0, 2]) * y", {var("x", {3, 2}), var("y", {3, 2})}},
                                {"gather(x * x, [[1, 1], [0, 2]], axis=1)", {var("x", {2, 3})}},
                                {"gather(x, [[1], [0]], axis=1, batch_dims=1)", {var("x", {2, 3})}}}),
      differentiable("gather_nd", {{"gather_nd(x * x, [[1, 0], [0, 2], [1, 0]])", {var("x", {2, 3})}},
                                   {"gather_nd(x, [[1]])", {var("x", {2, 3})}}}),
      differentiable("slice", {{"slice(x * x, [0, 1], [2, -1])", {var("x", {3, 3})}}}),
      differentiable("strided_slice", {{"strided_slice(x * x, [0, 3], [2, 0], [1, -2])", {var("x", {3, 4})}},
                                       {"strided_slice(x, [1, 0], [2, 0], shrink_axis_mask=1, end_mask=2)", {var("x", {3, 4})}}}),
      differentiable("reverse", {{"reverse(x * x, [1])", {var("x", {2, 3})}}, {"reverse(x, [0, -1])", {var("x", {2, 3})}}}),
      not_differentiable("one_hot", {{"one_hot([0, 2], 3, on_value=x)", {var("x", {})}}}),
      differentiable("einsum", {{"einsum('ij,jk->ik', x, y)", {var("x", {2, 3}), var("y", {3, 2})}},
                                {"einsum('bij,bjk->bik', x, y)", {var("x", {2, 2, 3}), var("y", {2, 3, 2})}},
                                {"einsum('ii->', x * x)", {var("x", {3, 3})}},
                                {"einsum('i,j->ij', x, y)", {var("x", {2}), var("y", {3})}},
                                {"einsum('ij->ji', x) * y", {var("x", {2, 3}), var("y", {3, 2})}},
                                {"einsum('...ij,jk', x, y)", {var("x", {2, 2, 3}), var("y", {3, 2})}},
                                {"einsum('ij,ij,j->i', x, y, x[0])", {var("x", {2, 3}), var("y", {2, 3})}}}),
      differentiable("tensordot", {{"tensordot(x, y, 1)", {var("x", {2, 3}), var("y", {3, 2})}},
                                   {"tensordot(x, y, [[0, 2], [1, 0]])", {var("x", {2, 3, 2}), var("y", {2, 2})}}}),
      differentiable("boolean_mask", {{"boolean_mask(x * x, [[True, False, True], [False, True, True]])", {var("x", {2, 3})}},
                                      {"boolean_mask(x, [False, True, True], axis=1)", {var("x", {2, 3})}}}),
      // linalg ops of issue 4. Ops that read one triangle (cholesky, eigh, logdet) see symmetrised
      // inputs, where TF's symmetric gradient convention is the derivative.
      differentiable("linalg.matvec", {{"linalg.matvec(a, b)", {var("a", {2, 3}), var("b", {3})}},
                                       {"linalg.matvec(a, b, transpose_a=True)", {var("a", {2, 3, 2}), var("b", {2, 3})}}}),
      differentiable("linalg.adjoint", {{"linalg.adjoint(x) * y", {var("x", {2, 3}), var("y", {3, 2})}}}),
      differentiable("linalg.slogdet", {{"linalg.slogdet(x)[1]", {var("x", {3, 3})}}, {"linalg.slogdet(x)[1]", {var("x", {2, 2, 2})}}}),
      differentiable("linalg.logdet", {{"linalg.logdet(matmul(x, x, transpose_b=True) + linalg.eye(3, dtype=x.dtype))", {var("x", {3, 3})}}}),
      differentiable("linalg.cholesky",
                     {{"linalg.cholesky(matmul(x, x, transpose_b=True) + linalg.eye(3, dtype=x.dtype))", {var("x", {3, 3})}},
                      {"linalg.cholesky(matmul(x, x, transpose_b=True) + linalg.eye(2, batch_shape=[2], dtype=x.dtype))", {var("x", {2, 2, 2})}}}),
      differentiable("linalg.triangular_solve",
                     {{"linalg.triangular_solve(a + 3.0 * linalg.eye(3, dtype=a.dtype), b)", {var("a", {3, 3}), var("b", {3, 2})}},
                      {"linalg.triangular_solve(a + 3.0 * linalg.eye(2, dtype=a.dtype), b, lower=False, adjoint=True)",
                       {var("a", {2, 2, 2}), var("b", {2, 2, 1})}}}),
      differentiable("linalg.trace", {{"linalg.trace(x * x)", {var("x", {3, 3})}}, {"linalg.trace(x)", {var("x", {2, 2, 3})}}}),
      differentiable("linalg.diag", {{"linalg.diag(x * x)", {var("x", {3})}}, {"linalg.diag(x)", {var("x", {2, 2})}}}),
      differentiable("linalg.diag_part", {{"linalg.diag_part(x * x)", {var("x", {3, 3})}}, {"linalg.diag_part(x)", {var("x", {2, 2, 3})}}}),
      differentiable("linalg.set_diag", {{"linalg.set_diag(x * x, y)", {var("x", {3, 3}), var("y", {3})}},
                                         {"linalg.set_diag(x, y * y)", {var("x", {2, 3}), var("y", {2})}}}),
      differentiable("linalg.band_part", {{"linalg.band_part(x * x, 0, -1)", {var("x", {3, 3})}}, {"linalg.band_part(x, 1, 0)", {var("x", {2, 3, 3})}}}),
      differentiable("linalg.qr", {{"linalg.qr(x)[0]", {var("x", {3, 2})}}, {"linalg.qr(x)[1]", {var("x", {3, 3})}},
                                   {"linalg.qr(x)[0] * 2.0 + linalg.qr(x)[1][:, :2]", {var("x", {2, 3})}},
                                   {"linalg.qr(x, full_matrices=True)[1]", {var("x", {2, 3})}}}),
      // Eigen- and singular vectors are unique up to sign: the checks use sign-free functions of them.
      differentiable("linalg.eigh", {{"linalg.eigh(x + linalg.adjoint(x))[0]", {var("x", {3, 3})}},
                                     {"linalg.eigh(x + linalg.adjoint(x))[1] ** 2.0", {var("x", {3, 3})}},
                                     {"linalg.eigh(x + linalg.adjoint(x))[1][..., :1] ** 2.0", {var("x", {2, 2, 2})}}}),
      differentiable("linalg.eigvalsh", {{"linalg.eigvalsh(x + linalg.adjoint(x))", {var("x", {3, 3})}}}),
      differentiable("linalg.svd", {{"linalg.svd(x)[0]", {var("x", {3, 2})}}, {"linalg.svd(x, compute_uv=False)", {var("x", {2, 3})}},
                                    {"linalg.svd(x)[1] ** 2.0", {var("x", {2, 3})}}, {"linalg.svd(x)[2] ** 2.0", {var("x", {3, 2})}},
                                    {"linalg.svd(x)[1] ** 2.0", {var("x", {2, 2, 2})}},
                                    {"linalg.svd(x, full_matrices=True)[2][:, :2] ** 2.0", {var("x", {3, 2})}}}),
      differentiable("linalg.norm", {{"norm(x)", {var("x", {2, 3})}}, {"norm(x, axis=1, keepdims=True)", {var("x", {2, 3})}},
                                     {"norm(x, ord=1, axis=0)", {var("x", {2, 3}, kNonZero)}}, {"norm(x, ord=3)", {var("x", {4}, kNonZero)}},
                                     {"norm(x, ord='fro', axis=[0, 1])", {var("x", {2, 3})}},
                                     {"norm(x, ord=2, axis=[-2, -1])", {var("x", {2, 3, 2})}},
                                     {"norm(x, ord=1, axis=[0, 1])", {var("x", {3, 3}, kNonZero)}}}),
      not_differentiable("linalg.eye", {{"linalg.eye(2, dtype=x.dtype) + 0.0 * stop_gradient(x)", {var("x", {})}}}),
  };
  return rows;
}

/// Python operators and indexing reach primitives that are not catalog rows: checked the same way.
const std::vector<RowCheck>& operator_checks() {
  static const std::vector<RowCheck> rows = {
      differentiable("operator **", binary("x ** y", kPositive, kAny)),
      differentiable("operator ** with a Python float", {{"x ** 3.0", {var("x", {2, 3})}}, {"1.5 ** x", {var("x", {4})}}}),
      differentiable("operator %", {{"x % y", {var("x", {2, 3}, {2.2, 2.8}), var("y", {3}, {1.0, 1.05})}}}),
      differentiable("operator @", {{"x @ y", {var("x", {2, 3}), var("y", {3, 2})}}}),
      differentiable("operators + - * /", {{"2.0 * x - x / 3.0 + x * y", {var("x", {2, 3}), var("y", {3})}},
                                           {"-x + 1.5", {var("x", {4})}}}),
      differentiable("indexing", {{"x[:, 1:3]", {var("x", {3, 4})}},
                                  {"x[..., -1]", {var("x", {2, 3, 4})}},
                                  {"x[::-1]", {var("x", {5})}},
                                  {"x[1]", {var("x", {3, 2})}},
                                  {"x[None, :, 0] * x[:, 1]", {var("x", {3, 2})}},
                                  {"x[::2, ::-2] * x[1:, 1::2]", {var("x", {3, 4})}}}),
      not_differentiable("operator //", {{"x // y", {var("x", {2, 3}), var("y", {3}, kNonZero)}}}),
  };
  return rows;
}

const RowCheck* find_check(const std::string& path) {
  for (const RowCheck& row : row_checks())
    if (row.path == path) return &row;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char ch : text) hash = (hash ^ ch) * 1099511628211ULL;
  return hash;
}

std::vector<double> random_values(Rng& rng, std::int64_t count, Domain domain) {
  std::vector<double> values;
  for (std::int64_t i = 0; i < count; ++i)
    values.push_back(domain.either_sign ? rng.signed_uniform(domain.low, domain.high) : rng.uniform(domain.low, domain.high));
  return values;
}

/// The float64 values of one evaluation point, one tensor per input.
std::vector<Tensor> random_point(const GradCase& c, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Tensor> values;
  for (const Input& input : c.inputs) values.push_back(testing::f64(input.shape, random_values(rng, shape_size(input.shape), input.domain)));
  return values;
}

std::string expression_for(const std::string& expression, DType dtype) {
  std::string out = expression;
  std::size_t at = out.find("{other}");
  if (at != std::string::npos) out.replace(at, 7, dtype == DType::kFloat64 ? "float32" : "float64");
  return out;
}

Tensor forward(const std::string& expression, const std::vector<Input>& inputs, const std::vector<Tensor>& values) {
  Bindings names;
  for (std::size_t i = 0; i < inputs.size(); ++i) names.emplace_back(inputs[i].name, Value::of(values[i]));
  DType dtype = values.empty() ? DType::kFloat64 : values[0].dtype();
  return testing::evaluate_tensor(expression_for(expression, dtype), names);
}

std::vector<int> all_axes(const Tensor& t) {
  std::vector<int> axes;
  for (int i = 0; i < t.rank(); ++i) axes.push_back(i);
  return axes;
}

/// reduce_sum(t * w), recorded like any op.
Tensor weighted_sum(const Tensor& t, const Tensor& w) {
  return ops::reduce_sum(ops::multiply(t, converted(w, t.dtype())), all_axes(t), false);
}

/// The same sum in plain double arithmetic, for finite differences.
double plain_weighted_sum(const Tensor& t, const Tensor& w) {
  std::vector<double> a = doubles(t);
  std::vector<double> b = doubles(w);
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

std::vector<GradientSource> sources_of(const GradCase& c, const std::vector<Tensor>& values) {
  std::vector<GradientSource> sources;
  for (std::size_t i = 0; i < c.inputs.size(); ++i)
    if (c.inputs[i].differentiable) sources.push_back({{values[i].id()}, values[i].shape(), values[i].dtype()});
  return sources;
}

std::vector<Tensor> at_dtype(const std::vector<Tensor>& values, DType dtype) {
  std::vector<Tensor> out;
  for (const Tensor& v : values) out.push_back(converted(v, dtype));
  return out;
}

using Gradients = std::vector<std::optional<Tensor>>;

/// d sum(f * w) / d input, for every differentiable input, by the tape.
Gradients first_gradients(const GradCase& c, const std::vector<Tensor>& values, const Tensor& w) {
  GradientTape tape(false, true);
  tape.push();
  for (std::size_t i = 0; i < c.inputs.size(); ++i)
    if (c.inputs[i].differentiable) tape.watch(values[i]);
  Tensor loss = weighted_sum(forward(c.expression, c.inputs, values), w);
  tape.pop();
  return tape.gradient({loss}, sources_of(c, values), {}, Unconnected::kNone);
}

/// d sum(g_i * v) / d input for every differentiable input, where g_i = d sum(f * w) / d input i
/// is computed on a persistent tape that is still recording (so the tape differentiates it).
Gradients second_gradients(const GradCase& c, const std::vector<Tensor>& values, const Tensor& w, std::size_t i,
                           const Tensor& v) {
  GradientTape tape(true, true);
  tape.push();
  for (std::size_t k = 0; k < c.inputs.size(); ++k)
    if (c.inputs[k].differentiable) tape.watch(values[k]);
  Tensor loss = weighted_sum(forward(c.expression, c.inputs, values), w);
  std::vector<GradientSource> sources = sources_of(c, values);
  std::optional<Tensor> g = tape.gradient({loss}, {sources[i]}, {}, Unconnected::kNone)[0];
  if (!g) return Gradients(sources.size());
  Tensor m = weighted_sum(*g, v);
  tape.pop();
  return tape.gradient({m}, sources, {}, Unconnected::kNone);
}

/// Central differences of f with respect to each element of values[input].
std::vector<double> finite_differences(const std::function<double(const std::vector<Tensor>&)>& f, const std::vector<Tensor>& values,
                                       std::size_t input, double step) {
  std::vector<double> base = doubles(values[input]);
  std::vector<double> result;
  for (std::size_t k = 0; k < base.size(); ++k) {
    double h = step * std::max(1.0, std::fabs(base[k]));
    std::vector<Tensor> moved = values;
    std::vector<double> plus = base, minus = base;
    plus[k] += h;
    minus[k] -= h;
    moved[input] = testing::f64(values[input].shape(), plus);
    double f_plus = f(moved);
    moved[input] = testing::f64(values[input].shape(), minus);
    double f_minus = f(moved);
    result.push_back((f_plus - f_minus) / (2 * h));
  }
  return result;
}

std::string join(const std::vector<double>& values) {
  std::ostringstream out;
  out.precision(10);
  out << "[";
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
  out << "]";
  return out.str();
}

std::string shapes_of(const GradCase& c) {
  std::string text;
  for (const Input& input : c.inputs) text += (text.empty() ? "" : ", ") + input.name + ": " + shape_str(input.shape);
  return text;
}

/// Index (in `values`) of the n-th differentiable input.
std::vector<std::size_t> differentiable_inputs(const GradCase& c) {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < c.inputs.size(); ++i)
    if (c.inputs[i].differentiable) indices.push_back(i);
  return indices;
}

constexpr int kPoints = 3;

template <class F>
void for_each_case(const std::vector<RowCheck>& checks, const std::string& path_filter, F check) {
  for (const RowCheck& row : checks) {
    if (!path_filter.empty() && row.path != path_filter) continue;
    for (std::size_t n = 0; n < row.gradient.size(); ++n) {
      const GradCase& c = row.gradient[n];
      for (int point = 0; point < kPoints; ++point) {
        std::uint64_t seed = fnv1a(row.path + "|" + c.expression + "|" + shapes_of(c)) + static_cast<std::uint64_t>(point);
        try {
          check(row, c, seed);
        } catch (const std::exception& error) {
          FAIL_CHECK(row.path << ": " << c.expression << " with " << shapes_of(c) << " threw: " << error.what());
        }
      }
    }
  }
}

/// The weights of the loss sum(f * w): as many as f has elements, fixed by the seed.
Tensor weights_for(const GradCase& c, const std::vector<Tensor>& values, std::uint64_t seed) {
  Tensor out = forward(c.expression, c.inputs, values);
  Rng rng(seed ^ 0x5eedULL);
  return testing::f64(out.shape(), random_values(rng, out.size(), {0.5, 1.5, true}));
}

// ---------------------------------------------------------------------------------------------
// The checks

void check_first_derivative(const RowCheck& row, const GradCase& c, std::uint64_t seed) {
  std::vector<Tensor> values = random_point(c, seed);
  Tensor w = weights_for(c, values, seed);
  Gradients grads = first_gradients(c, values, w);
  std::vector<std::size_t> inputs = differentiable_inputs(c);
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    std::size_t i = inputs[s];
    const Input& input = c.inputs[i];
    std::string where = row.path + ": d sum(" + c.expression + " * w) / d" + input.name + " with " + shapes_of(c) +
                        " at " + join(doubles(values[i]));
    if (!grads[s]) {
      FAIL_CHECK(where << ": the tape gave None");
      continue;
    }
    CHECK_MESSAGE(grads[s]->shape() == input.shape, where << ": gradient shape " << shape_str(grads[s]->shape()));
    CHECK_MESSAGE(grads[s]->dtype() == DType::kFloat64, where << ": gradient dtype " << dtype_name(grads[s]->dtype()));
    auto loss = [&](const std::vector<Tensor>& moved) { return plain_weighted_sum(forward(c.expression, c.inputs, moved), w); };
    std::vector<double> expected = finite_differences(loss, values, i, c.step);
    std::vector<double> actual = doubles(*grads[s]);
    long bad = -1;
    CHECK_MESSAGE(all_close(actual, expected, c.tolerance, &bad),
                  where << ": tape " << join(actual) << " vs finite differences " << join(expected) << " (element " << bad << ")");
  }
}

void check_second_derivative(const RowCheck& row, const GradCase& c, std::uint64_t seed) {
  std::vector<Tensor> values = random_point(c, seed);
  Tensor w = weights_for(c, values, seed);
  std::vector<std::size_t> inputs = differentiable_inputs(c);
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    std::size_t i = inputs[s];
    Rng rng(seed ^ 0xabcdefULL ^ i);
    Tensor v = testing::f64(c.inputs[i].shape, random_values(rng, shape_size(c.inputs[i].shape), {0.5, 1.5, true}));
    Gradients second = second_gradients(c, values, w, s, v);
    // The finite differences of the first derivative, each computed on a fresh tape.
    auto directional = [&](const std::vector<Tensor>& moved) {
      std::optional<Tensor> g = first_gradients(c, moved, w)[s];
      return g ? plain_weighted_sum(*g, v) : 0.0;
    };
    for (std::size_t t = 0; t < inputs.size(); ++t) {
      std::size_t j = inputs[t];
      std::string where = row.path + ": d/d" + c.inputs[j].name + " of sum(d sum(" + c.expression + " * w)/d" + c.inputs[i].name +
                          " * v) with " + shapes_of(c);
      std::vector<double> expected = finite_differences(directional, values, j, 1e-5);
      // None means no recorded path: right only where the true derivative is zero.
      std::vector<double> actual = second[t] ? doubles(*second[t]) : std::vector<double>(expected.size(), 0.0);
      if (second[t]) CHECK_MESSAGE(second[t]->shape() == c.inputs[j].shape, where << ": shape " << shape_str(second[t]->shape()));
      long bad = -1;
      CHECK_MESSAGE(all_close(actual, expected, 1e-4, &bad), where << ": tape " << std::string(second[t] ? "" : "None = ") << join(actual)
                                                                   << " vs finite differences " << join(expected) << " (element "
                                                                   << bad << ")");
    }
  }
}

void check_float32(const RowCheck& row, const GradCase& c, std::uint64_t seed) {
  std::vector<Tensor> values = random_point(c, seed);
  Tensor w = weights_for(c, values, seed);
  Gradients reference = first_gradients(c, values, w);
  Gradients single = first_gradients(c, at_dtype(values, DType::kFloat32), w);
  std::vector<std::size_t> inputs = differentiable_inputs(c);
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    std::string where = row.path + ": float32 d sum(" + expression_for(c.expression, DType::kFloat32) + " * w) / d" +
                        c.inputs[inputs[s]].name + " with " + shapes_of(c);
    if (!single[s] || !reference[s]) {
      FAIL_CHECK(where << ": the tape gave None");
      continue;
    }
    CHECK_MESSAGE(single[s]->dtype() == DType::kFloat32, where << ": gradient dtype " << dtype_name(single[s]->dtype()));
    long bad = -1;
    CHECK_MESSAGE(all_close(doubles(*single[s]), doubles(*reference[s]), 1e-3, &bad),
                  where << ": " << join(doubles(*single[s])) << " vs float64 " << join(doubles(*reference[s])) << " (element "
                        << bad << ")");
  }
}

void check_no_gradient(const RowCheck& row, const NoGradCase& c, DType dtype) {
  GradCase as_case{c.expression, c.inputs};
  std::vector<Tensor> values = at_dtype(random_point(as_case, fnv1a(row.path + c.expression)), dtype);
  GradientTape tape(true, true);
  tape.push();
  for (const Tensor& value : values) tape.watch(value);
  Tensor out = forward(c.expression, c.inputs, values);
  tape.pop();
  std::string where = row.path + ": " + c.expression + " (" + std::string(dtype_name(dtype)) + ")";
  CHECK_MESSAGE(tape.node_count() == 0, where << ": recorded " << tape.node_count() << " ops");
  Gradients none = tape.gradient({out}, sources_of(as_case, values), {}, Unconnected::kNone);
  for (std::size_t i = 0; i < none.size(); ++i) CHECK_MESSAGE(!none[i], where << ": input " << i << " got a gradient");
  Gradients zero = tape.gradient({out}, sources_of(as_case, values), {}, Unconnected::kZero);
  for (std::size_t i = 0; i < zero.size(); ++i) {
    REQUIRE_MESSAGE(zero[i], where << ": 'zero' gave None");
    CHECK(zero[i]->shape() == values[i].shape());
    CHECK(zero[i]->dtype() == dtype);
    for (double x : doubles(*zero[i])) CHECK(x == 0.0);
  }
}

void guarded_no_gradient(const RowCheck& row, const NoGradCase& c, DType dtype) {
  try {
    check_no_gradient(row, c, dtype);
  } catch (const std::exception& error) {
    FAIL_CHECK(row.path << ": " << c.expression << " threw: " << error.what());
  }
}

/// The rows of kind kOp, in catalog order.
std::vector<std::string> op_rows() {
  std::vector<std::string> paths;
  for (const OpDef* op : catalog())
    if (op->kind == MemberKind::kOp) paths.emplace_back(op->path);
  return paths;
}

TEST_CASE("gradcheck: every op row of the catalog has a gradient entry") {
  for (const std::string& path : op_rows()) {
    const RowCheck* check = find_check(path);
    CHECK_MESSAGE(check != nullptr, "catalog row '" << path
                                                    << "' has no entry in tests/unit/catalog/gradcheck_test.cpp: add gradient "
                                                       "cases or mark it not_differentiable");
    if (check) CHECK_MESSAGE(!(check->gradient.empty() && check->no_gradient.empty()), "row '" << path << "' has no cases");
  }
  // And no entry outlives its row.
  for (const RowCheck& row : row_checks()) {
    const OpDef* op = find_op(row.path);
    CHECK_MESSAGE((op != nullptr && op->kind == MemberKind::kOp && op->path == row.path),
                  "gradcheck entry '" << row.path << "' is not the path of an op row of the catalog");
  }
}

TEST_CASE("gradcheck: first derivatives of every differentiable row match finite differences in float64") {
  for (const std::string& path : op_rows()) for_each_case(row_checks(), path, check_first_derivative);
  for_each_case(operator_checks(), "", check_first_derivative);
}

TEST_CASE("gradcheck: second derivatives of every differentiable row match finite differences of the first") {
  for (const std::string& path : op_rows()) for_each_case(row_checks(), path, check_second_derivative);
  for_each_case(operator_checks(), "", check_second_derivative);
}

TEST_CASE("gradcheck: float32 first derivatives agree with float64 ones") {
  for (const std::string& path : op_rows()) for_each_case(row_checks(), path, check_float32);
  for_each_case(operator_checks(), "", check_float32);
}

TEST_CASE("gradcheck: rows marked not differentiable give None for every watched float input") {
  for (const std::string& path : op_rows()) {
    const RowCheck* row = find_check(path);
    if (!row) continue;
    for (const NoGradCase& c : row->no_gradient)
      for (DType dtype : {DType::kFloat64, DType::kFloat32}) guarded_no_gradient(*row, c, dtype);
  }
  for (const RowCheck& row : operator_checks())
    for (const NoGradCase& c : row.no_gradient) guarded_no_gradient(row, c, DType::kFloat64);
}

// ---------------------------------------------------------------------------------------------
// Kinks and ties, where finite differences cannot decide: TF's conventions (tf-semantics.md D)

/// d sum(expression) / d each named input, the inputs given as float32 values.
Gradients gradients_at(const std::string& expression, const std::vector<std::pair<std::string, Tensor>>& inputs) {
  GradCase c{expression, {}};
  std::vector<Tensor> values;
  for (const auto& [name, value] : inputs) {
    c.inputs.push_back(var(name, value.shape()));
    values.push_back(value);
  }
  Tensor out = forward(c.expression, c.inputs, values);
  return first_gradients(c, values, testing::f64(out.shape(), std::vector<double>(static_cast<std::size_t>(out.size()), 1.0)));
}

std::vector<double> values_of(const std::optional<Tensor>& t) {
  REQUIRE(t.has_value());
  return doubles(*t);
}

TEST_CASE("gradcheck: maximum and minimum give the whole gradient of a tie to x") {
  Tensor x = testing::f32({3}, {1, 2, 3});
  Tensor y = testing::f32({3}, {3, 2, 1});
  Gradients hi = gradients_at("maximum(x, y)", {{"x", x}, {"y", y}});
  CHECK(values_of(hi[0]) == std::vector<double>{0, 1, 1});
  CHECK(values_of(hi[1]) == std::vector<double>{1, 0, 0});
  Gradients lo = gradients_at("minimum(x, y)", {{"x", x}, {"y", y}});
  CHECK(values_of(lo[0]) == std::vector<double>{1, 1, 0});
  CHECK(values_of(lo[1]) == std::vector<double>{0, 0, 1});
}

TEST_CASE("gradcheck: reduce_max and reduce_min share the gradient equally among ties") {
  Tensor x = testing::f32({2, 3}, {1, 3, 3, 2, 2, 2});
  const double third = static_cast<float>(1.0 / 3);  // float32's 1/3, as the gradient is float32
  CHECK(values_of(gradients_at("reduce_max(x, axis=1)", {{"x", x}})[0]) ==
        std::vector<double>{0, 0.5, 0.5, third, third, third});
  CHECK(values_of(gradients_at("reduce_min(x)", {{"x", x}})[0]) == std::vector<double>{1, 0, 0, 0, 0, 0});
}

TEST_CASE("gradcheck: abs and sign have gradient 0 at 0") {
  Tensor x = testing::f32({3}, {-2, 0, 2});
  CHECK(values_of(gradients_at("abs(x)", {{"x", x}})[0]) == std::vector<double>{-1, 0, 1});
  CHECK(values_of(gradients_at("sign(x)", {{"x", x}})[0]) == std::vector<double>{0, 0, 0});
}

TEST_CASE("gradcheck: pow's exponent gradient is 0 where the base is <= 0, and sqrt's is inf at 0") {
  Tensor x = testing::f32({3}, {-2, 0, 4});
  Tensor p = testing::f32({3}, {2, 3, 0.5});
  Gradients g = gradients_at("pow(x, p)", {{"x", x}, {"p", p}});
  CHECK(values_of(g[0]) == std::vector<double>{-4, 0, 0.25});
  std::vector<double> dp = values_of(g[1]);
  CHECK(dp[0] == 0.0);
  CHECK(dp[1] == 0.0);
  CHECK(dp[2] == doctest::Approx(2 * std::log(4.0)).epsilon(1e-6));
  std::vector<double> root = values_of(gradients_at("sqrt(x)", {{"x", testing::f32({2}, {0, 4})}})[0]);
  CHECK(std::isinf(root[0]));
  CHECK(root[1] == 0.25);
}

// ---------------------------------------------------------------------------------------------
// Orders 3 to 5 against closed forms

/// d^n f / dx^n for n = 1..max_order, elementwise, by repeated gradients on one persistent tape
/// that keeps recording (each gradient of the sum of the previous one).
std::vector<std::optional<Tensor>> derivatives(const std::string& expression, const Tensor& x, int max_order) {
  GradientTape tape(true, true);
  tape.push();
  tape.watch(x);
  Tensor current = testing::evaluate_tensor(expression, {{"x", Value::of(x)}});
  GradientSource source{{x.id()}, x.shape(), x.dtype()};
  std::vector<std::optional<Tensor>> result;
  for (int order = 1; order <= max_order; ++order) {
    std::optional<Tensor> next = tape.gradient({current}, {source}, {}, Unconnected::kNone)[0];
    result.push_back(next);
    if (!next) break;
    current = *next;
  }
  tape.pop();
  return result;
}

/// Coefficients of a polynomial in y (lowest first) and its derivative along y' = q(y).
using Polynomial = std::vector<double>;
Polynomial times(const Polynomial& a, const Polynomial& b) {
  Polynomial out(a.size() + b.size() - 1, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  return out;
}
Polynomial chain(const Polynomial& p, const Polynomial& dy) {
  Polynomial derivative(p.size() > 1 ? p.size() - 1 : 1, 0.0);
  for (std::size_t i = 1; i < p.size(); ++i) derivative[i - 1] = static_cast<double>(i) * p[i];
  return times(derivative, dy);
}
double at(const Polynomial& p, double y) {
  double value = 0;
  for (std::size_t i = p.size(); i-- > 0;) value = value * y + p[i];
  return value;
}

/// n-th derivative of x^p.
double power_derivative(double p, int n, double x) {
  double coefficient = 1;
  for (int k = 0; k < n; ++k) coefficient *= p - k;
  return coefficient * std::pow(x, p - n);
}

struct ClosedForm {
  std::string expression;
  std::vector<double> points;
  std::function<double(int order, double x)> derivative;
};

TEST_CASE("gradcheck: derivatives of order 3 to 5 match closed forms") {
  const double pi = std::acos(-1.0);
  const Polynomial tanh_dy{1, 0, -1};       // tanh' = 1 - tanh²
  const Polynomial sigmoid_dy{0, 1, -1};    // σ' = σ - σ²
  std::vector<ClosedForm> forms = {
      {"sin(x)", {-1.3, 0.2, 2.9}, [&](int n, double x) { return std::sin(x + n * pi / 2); }},
      {"exp(x)", {-1.5, 0.0, 0.7}, [](int, double x) { return std::exp(x); }},
      {"tanh(x)", {-1.1, 0.3, 0.9},
       [&](int n, double x) {
         Polynomial p{0, 1};
         for (int k = 0; k < n; ++k) p = chain(p, tanh_dy);
         return at(p, std::tanh(x));
       }},
      {"sigmoid(x)", {-2.0, 0.1, 1.7},
       [&](int n, double x) {
         Polynomial p{0, 1};
         for (int k = 0; k < n; ++k) p = chain(p, sigmoid_dy);
         return at(p, 1 / (1 + std::exp(-x)));
       }},
      {"pow(x, 3.5)", {0.6, 1.1, 2.3}, [](int n, double x) { return power_derivative(3.5, n, x); }},
      // d^n/dy^n a^y = log(a)^n a^y: the exponent's side of pow's rule.
      {"pow(2.5, x)", {-1.0, 0.5, 1.5}, [](int n, double x) { return std::pow(std::log(2.5), n) * std::pow(2.5, x); }},
      {"divide(2.0, x)", {-1.7, 0.4, 1.3}, [](int n, double x) { return 2 * power_derivative(-1, n, x); }},
      {"math.log(x)", {0.3, 1.0, 2.2}, [](int n, double x) { return power_derivative(-1, n - 1, x); }},
      {"sqrt(x)", {0.3, 1.0, 2.2}, [](int n, double x) { return power_derivative(0.5, n, x); }},
      {"math.reciprocal(x)", {-0.8, 1.4}, [](int n, double x) { return power_derivative(-1, n, x); }},
      {"cos(x)", {-0.4, 1.2}, [&](int n, double x) { return std::cos(x + n * pi / 2); }},
  };
  for (const ClosedForm& form : forms) {
    Tensor x = testing::f64({static_cast<std::int64_t>(form.points.size())}, form.points);
    std::vector<std::optional<Tensor>> results = derivatives(form.expression, x, 5);
    for (int order = 1; order <= 5; ++order) {
      std::vector<double> expected;
      for (double point : form.points) expected.push_back(form.derivative(order, point));
      std::string where = "d^" + std::to_string(order) + " " + form.expression + " at " + join(form.points);
      if (static_cast<int>(results.size()) < order || !results[static_cast<std::size_t>(order - 1)]) {
        FAIL_CHECK(where << ": the tape gave None");
        break;
      }
      std::vector<double> actual = doubles(*results[static_cast<std::size_t>(order - 1)]);
      long bad = -1;
      CHECK_MESSAGE(all_close(actual, expected, 1e-10, &bad), where << ": " << join(actual) << " vs " << join(expected));
    }
  }
}

TEST_CASE("gradcheck: d³(x²) is None, as the second derivative is built from constants only") {
  Tensor x = testing::f64({2}, {1.5, -0.5});
  std::vector<std::optional<Tensor>> results = derivatives("square(x)", x, 3);
  REQUIRE(results.size() == 3);
  REQUIRE(results[0]);
  CHECK(doubles(*results[0]) == std::vector<double>{3.0, -1.0});
  REQUIRE(results[1]);
  CHECK(doubles(*results[1]) == std::vector<double>{2.0, 2.0});
  CHECK_FALSE(results[2]);
}

TEST_CASE("gradcheck: the fifth derivative of sin in float32 is sin within float32 precision") {
  Tensor x = testing::f32({3}, {-1.0, 0.5, 2.0});
  std::vector<std::optional<Tensor>> results = derivatives("sin(x)", x, 5);
  REQUIRE(results.size() == 5);
  REQUIRE(results[4]);
  CHECK(results[4]->dtype() == DType::kFloat32);
  std::vector<double> expected;
  for (double point : doubles(x)) expected.push_back(std::cos(point));
  CHECK(all_close(doubles(*results[4]), expected, 1e-6));
}

}  // namespace
}  // namespace ag
