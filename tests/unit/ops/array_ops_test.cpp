// The array ops of issue 4 through the evaluator: values (expected ones from numpy 1.24, or by
// hand where the case is small), TF's argument conventions and its error texts. Their gradients
// are checked catalog-wide in tests/unit/catalog/gradcheck_test.cpp; here only the conventions
// finite differences cannot show (gather's duplicates, pad's constant, one_hot's None).
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "diag/error.h"

namespace ag {
namespace {

using testing::doubles;
using testing::evaluate;
using testing::evaluate_tensor;

std::vector<double> values(const std::string& expression) { return doubles(evaluate_tensor(expression)); }
Shape shape_of(const std::string& expression) { return evaluate_tensor(expression).shape(); }

/// d sum(expression) / d x at x.
std::optional<Tensor> gradient_at(const std::string& expression, const Tensor& x) {
  GradientTape tape(false, true);
  tape.push();
  tape.watch(x);
  Tensor y = evaluate_tensor(expression, {{"x", Value::of(x)}});
  tape.pop();
  return tape.gradient({y}, {GradientSource{{x.id()}, x.shape(), x.dtype()}}, {}, Unconnected::kNone)[0];
}

TEST_CASE("array ops: expand_dims and squeeze follow TF's axis rules and errors") {
  CHECK(shape_of("expand_dims([[1.0, 2.0]], -1)") == Shape{1, 2, 1});
  CHECK(shape_of("expand_dims(1.0, 0)") == Shape{1});
  CHECK(shape_of("squeeze(zeros([1, 2, 1, 3]))") == Shape{2, 3});
  CHECK(shape_of("squeeze(zeros([1, 2, 1, 3]), axis=[-2])") == Shape{1, 2, 3});
  CHECK_THROWS_WITH_AS(evaluate("expand_dims([1.0], 3)"), "Tried to expand dim index 3 for tensor with 1 dimensions.", UserError);
  CHECK_THROWS_WITH_AS(evaluate("squeeze(zeros([2, 3]), axis=1)"), "Can not squeeze dim[1], expected a dimension of 1, got 3",
                       UserError);
}

TEST_CASE("array ops: concat, stack, unstack and split") {
  CHECK(values("concat([[[1, 2]], [[3, 4]]], axis=-1)") == std::vector<double>{1, 2, 3, 4});
  CHECK(evaluate_tensor("concat([[[1, 2]], [[3, 4]]], axis=-1)").dtype() == DType::kInt32);
  CHECK(values("stack([[1.0, 2.0], [3.0, 4.0]], axis=1)") == std::vector<double>{1, 3, 2, 4});
  // A lone tensor: concat is its identity, stack packs its rows.
  CHECK(shape_of("concat(constant([[1.0, 2.0], [3.0, 4.0]]), 0)") == Shape{2, 2});
  CHECK(values("stack(constant([[1.0, 2.0], [3.0, 4.0]]), axis=1)") == std::vector<double>{1, 3, 2, 4});
  CHECK(shape_of("stack([1.0, 2.0])") == Shape{2});
  Value rows = evaluate("unstack([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], axis=1)");
  REQUIRE(rows.kind == ValueKind::kList);
  REQUIRE(rows.items.size() == 2);
  CHECK(doubles(rows.items[1].tensor) == std::vector<double>{2, 4, 6});
  Value parts = evaluate("split(range(10), [2, -1, 3])");
  REQUIRE(parts.items.size() == 3);
  CHECK(parts.items[1].tensor.shape() == Shape{5});
  CHECK(evaluate("split(zeros([2, 6]), 3, axis=1)").items[2].tensor.shape() == Shape{2, 2});
  CHECK_THROWS_WITH_AS(evaluate("concat([[1.0, 2.0], [[3.0]]], 0)"),
                       "ConcatOp : Ranks of all input tensors should match: shape[0] = [2] vs. shape[1] = [1,1]", UserError);
  CHECK_THROWS_WITH_AS(evaluate("concat([[1.0], [2.0]], 1)"), "ConcatOp : Expected concatenating dimensions in the range [-1, 1), but got 1",
                       UserError);
  CHECK_THROWS_WITH_AS(evaluate("concat([constant([1.0]), constant([2.0], dtype=float64)], 0)"),
                       "cannot compute ConcatV2 as input #1(zero-based) was expected to be a float tensor but is a double tensor [Op:ConcatV2]",
                       UserError);
  CHECK_THROWS_WITH_AS(evaluate("stack([[1.0], [2.0, 3.0]])"),
                       "Shapes of all inputs must match: values[0].shape = [1] != values[1].shape = [2]", UserError);
  CHECK_THROWS_WITH_AS(evaluate("split(range(5), 2)"),
                       "Number of ways to split should evenly divide the split dimension, but got split_dim 0 (size = 5) and num_split 2",
                       UserError);
  CHECK_THROWS_WITH_AS(evaluate("unstack(zeros([2, 3]), num=3)"), "Input shape axis 0 must equal 3, got shape [2,3]", UserError);
}

TEST_CASE("array ops: tile, pad (CONSTANT, REFLECT, SYMMETRIC) and reverse") {
  CHECK(values("tile([[1, 2]], [2, 2])") == std::vector<double>{1, 2, 1, 2, 1, 2, 1, 2});
  // numpy.pad([1, 2, 3], (2, 1), mode='reflect') and mode='symmetric'
  CHECK(values("pad([1.0, 2.0, 3.0], [[2, 1]], mode='REFLECT')") == std::vector<double>{3, 2, 1, 2, 3, 2});
  CHECK(values("pad([1.0, 2.0, 3.0], [[2, 1]], mode='symmetric')") == std::vector<double>{2, 1, 1, 2, 3, 3});
  CHECK(values("pad([[1, 2]], [[0, 1], [1, 0]], constant_values=9)") == std::vector<double>{9, 1, 2, 9, 9, 9});
  CHECK(values("reverse([[1, 2, 3], [4, 5, 6]], [-1, 0])") == std::vector<double>{6, 5, 4, 3, 2, 1});
  CHECK_THROWS_WITH_AS(evaluate("tile([1.0], [2, 2])"), "Expected multiples argument to be a vector of length 1 but got length 2",
                       UserError);
  CHECK_THROWS_WITH_AS(evaluate("pad([1.0], [[-1, 0]])"), "Paddings must be non-negative: -1 0", UserError);
  CHECK_THROWS_WITH_AS(evaluate("pad([1.0, 2.0], [[2, 0]], mode='REFLECT')"),
                       "paddings must be less than the dimension size: 2, 0 not less than 2", UserError);
  CHECK_THROWS_WITH_AS(evaluate("pad([1.0, 2.0], [[0, 3]], mode='SYMMETRIC')"),
                       "paddings must be no greater than the dimension size: 0, 3 greater than 2", UserError);
  // The constant gets no gradient (TF's _PadGrad returns None for constant_values).
  Tensor c = testing::f32({}, {5});
  CHECK_FALSE(gradient_at("pad([1.0, 2.0], [[1, 1]], constant_values=x)", c).has_value());
}

TEST_CASE("array ops: gather with axis and batch_dims, and its gradient sums duplicate indices") {
  CHECK(values("gather([[1, 2, 3], [4, 5, 6]], [2, 0], axis=1)") == std::vector<double>{3, 1, 6, 4});
  CHECK(shape_of("gather(zeros([2, 3, 4]), [[0, 1, 1]], axis=1)") == Shape{2, 1, 3, 4});
  CHECK(values("gather([[1, 2, 3], [4, 5, 6]], [[2], [0]], axis=1, batch_dims=1)") == std::vector<double>{3, 4});
  Tensor x = testing::f32({4}, {1, 2, 3, 4});
  std::optional<Tensor> g = gradient_at("gather(x, [3, 0, 3, 3]) * [1.0, 2.0, 3.0, 4.0]", x);
  REQUIRE(g);
  CHECK(doubles(*g) == std::vector<double>{2, 0, 0, 8});
  CHECK_THROWS_WITH_AS(evaluate("gather([1.0, 2.0], [[0, 2]])"), "indices[0,1] = 2 is not in [0, 2)", UserError);
  CHECK_THROWS_WITH_AS(evaluate("gather([1.0, 2.0], -1)"), "indices = -1 is not in [0, 2)", UserError);
  CHECK_THROWS_WITH_AS(evaluate("gather([1.0], [0], axis=1)"), "Expected axis in the range [-1, 1), but got 1", UserError);
}

TEST_CASE("array ops: gather_nd, boolean_mask, slice and strided_slice") {
  CHECK(values("gather_nd([[1, 2], [3, 4]], [[1, 1], [0, 1]])") == std::vector<double>{4, 2});
  CHECK(values("gather_nd([[1, 2], [3, 4]], [[1]])") == std::vector<double>{3, 4});
  CHECK_THROWS_WITH_AS(evaluate("gather_nd([[1, 2], [3, 4]], [[0, 0], [2, 0]])"),
                       "indices[1] = [2, 0] does not index into param shape [2,2], node name: GatherNd", UserError);
  CHECK(values("boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True])") == std::vector<double>{1, 2, 5, 6});
  CHECK(values("boolean_mask([[1, 2], [3, 4]], [False, True], axis=1)") == std::vector<double>{2, 4});
  CHECK_THROWS_WITH_AS(evaluate("boolean_mask([1, 2, 3], [True, False])"), "Shapes (3,) and (2,) are incompatible", UserError);
  CHECK(values("slice(reshape(range(12), [3, 4]), [1, 2], [-1, 2])") == std::vector<double>{6, 7, 10, 11});
  // numpy: m[1:3, 3:0:-2] and m[None, 1] of m = arange(12).reshape(3, 4)
  CHECK(values("strided_slice(reshape(range(12), [3, 4]), [1, 3], [3, 0], [1, -2])") == std::vector<double>{7, 5, 11, 9});
  CHECK(shape_of("strided_slice(reshape(range(12), [3, 4]), [0, 1], [1, 2], new_axis_mask=1, shrink_axis_mask=2)") == Shape{1, 4});
  CHECK(values("strided_slice(reshape(range(12), [3, 4]), [0, 1], [0, 2], begin_mask=1, end_mask=1)") == std::vector<double>{1, 5, 9});
  CHECK(values("strided_slice(reshape(range(12), [3, 4]), [0, -1], [0, 0], ellipsis_mask=1, shrink_axis_mask=2)") ==
        std::vector<double>{3, 7, 11});
  CHECK_THROWS_WITH_AS(evaluate("slice([1, 2, 3], [2], [2])"), "Expected size[0] in [0, 1], but got 2", UserError);
}

TEST_CASE("array ops: one_hot's dtype, axis and values, and it has no gradient") {
  Tensor t = evaluate_tensor("one_hot([1, 0, 3], 3)");
  CHECK(t.dtype() == DType::kFloat32);
  CHECK(doubles(t) == std::vector<double>{0, 1, 0, 1, 0, 0, 0, 0, 0});
  CHECK(doubles(evaluate_tensor("one_hot([1, 0], 2, axis=0)")) == std::vector<double>{0, 1, 1, 0});
  Tensor custom = evaluate_tensor("one_hot([[0], [1]], 2, on_value=5, off_value=-1)");
  CHECK(custom.dtype() == DType::kInt32);
  CHECK(custom.shape() == Shape{2, 1, 2});
  CHECK(doubles(custom) == std::vector<double>{5, -1, -1, 5});
  Tensor on = testing::f32({}, {2});
  CHECK_FALSE(gradient_at("one_hot([0, 1], 2, on_value=x)", on).has_value());
}

TEST_CASE("array ops: einsum subscripts (implicit output, ellipsis broadcasting, diagonals) against numpy") {
  CHECK(values("einsum('ij,jk', [[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]])") == std::vector<double>{7, 10, 15, 22});
  CHECK(values("einsum('...ij,...jk', [[[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [0.0, 2.0]]], [[1.0, 2.0], [3.0, 4.0]])") ==
        std::vector<double>{1, 2, 3, 4, 2, 4, 6, 8});
  CHECK(values("einsum('iij->ij', reshape(range(8), [2, 2, 2]))") == std::vector<double>{0, 1, 6, 7});
  CHECK(values("einsum('ijk->k', reshape(range(24), [2, 3, 4]))") == std::vector<double>{60, 66, 72, 78});
  CHECK(shape_of("einsum('...ij->...ji', zeros([2, 3, 4]))") == Shape{2, 4, 3});
  CHECK(shape_of("einsum('bi,bj->bij', zeros([2, 3]), zeros([2, 4]))") == Shape{2, 3, 4});
  CHECK_THROWS_WITH_AS(evaluate("einsum('ij,jk->ik', zeros([2, 3]), zeros([2, 3]))"),
                       "Expected dimension 3 at axis 0 of the input shaped [2,3] but got dimension 2", UserError);
  CHECK_THROWS_AS(evaluate("einsum('ij->k', zeros([2, 3]))"), UserError);
  CHECK_THROWS_AS(evaluate("einsum('ij,jk->ik', zeros([2, 3]))"), UserError);
}

TEST_CASE("array ops: tensordot with an int and with axis lists") {
  CHECK(values("tensordot([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], 2)") == std::vector<double>{30});
  CHECK(values("tensordot([1.0, 2.0], [3.0, 4.0], 0)") == std::vector<double>{3, 4, 6, 8});
  CHECK(shape_of("tensordot(zeros([2, 3, 4]), zeros([4, 3, 5]), [[1, 2], [1, 0]])") == Shape{2, 5});
}

}  // namespace
}  // namespace ag
