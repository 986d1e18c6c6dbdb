// The linalg ops of issue 4 through the evaluator: values against numpy 1.24 (numpy.linalg, in
// float64), TF's result structure (tuples, shapes with full_matrices), its errors, and the
// gradient conventions finite differences cannot decide.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "../support.h"
#include "autodiff/tape.h"
#include "diag/error.h"

namespace ag {
namespace {

using testing::all_close;
using testing::doubles;
using testing::evaluate;
using testing::evaluate_tensor;

std::vector<double> values(const std::string& expression) { return doubles(evaluate_tensor(expression)); }

TEST_CASE("linalg ops: slogdet gives (sign, log|det|), and (0, -inf) for a singular matrix") {
  Value result = evaluate("linalg.slogdet(constant([[0.0, 2.0], [1.0, 1.0]], dtype=float64))");
  REQUIRE(result.kind == ValueKind::kTuple);
  REQUIRE(result.items.size() == 2);
  CHECK(doubles(result.items[0].tensor) == std::vector<double>{-1});
  CHECK(doubles(result.items[1].tensor)[0] == doctest::Approx(std::log(2.0)).epsilon(1e-15));
  Value singular = evaluate("linalg.slogdet([[1.0, 2.0], [2.0, 4.0]])");
  CHECK(doubles(singular.items[0].tensor) == std::vector<double>{0});
  CHECK(doubles(singular.items[1].tensor)[0] == -INFINITY);
}

TEST_CASE("linalg ops: cholesky, triangular_solve and their errors") {
  CHECK(values("linalg.cholesky([[4.0, 2.0], [2.0, 5.0]])") == std::vector<double>{2, 0, 1, 2});
  // numpy.linalg.solve(L, b) and solve(L.T, b) for L = [[2, 0], [1, 4]], b = [2, 9]
  CHECK(values("linalg.triangular_solve([[2.0, 7.0], [1.0, 4.0]], [[2.0], [9.0]])") == std::vector<double>{1, 2});
  CHECK(values("linalg.triangular_solve([[2.0, 0.0], [1.0, 4.0]], [[2.0], [9.0]], adjoint=True)") == std::vector<double>{-0.125, 2.25});
  CHECK_THROWS_WITH_AS(evaluate("linalg.cholesky([[1.0, 2.0], [2.0, 1.0]])"),
                       "Cholesky decomposition was not successful. The input might not be valid.", UserError);
  CHECK_THROWS_WITH_AS(evaluate("linalg.inv([[1.0, 2.0], [2.0, 4.0]])"), "Input is not invertible.", UserError);
  CHECK_THROWS_AS(evaluate("linalg.cholesky([[1.0, 2.0, 3.0]])"), UserError);
}

TEST_CASE("linalg ops: qr, eigh and svd shapes, and reconstructions within float64 rounding") {
  Value qr = evaluate("linalg.qr(constant([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], dtype=float64))");
  CHECK(qr.items[0].tensor.shape() == Shape{3, 2});
  CHECK(qr.items[1].tensor.shape() == Shape{2, 2});
  Value full = evaluate("linalg.qr(zeros([3, 2]) + 1.0, full_matrices=True)");
  CHECK(full.items[0].tensor.shape() == Shape{3, 3});
  CHECK(full.items[1].tensor.shape() == Shape{3, 2});
  std::vector<double> a = {1, 2, 3, 4, 5, 7};
  Tensor product = evaluate_tensor("q @ r", {{"q", qr.items[0]}, {"r", qr.items[1]}});
  CHECK(all_close(doubles(product), a, 1e-14));
  // numpy.linalg.eigvalsh([[2, 1], [1, 2]]) = [1, 3]
  CHECK(all_close(values("linalg.eigvalsh(constant([[2.0, 1.0], [1.0, 2.0]], dtype=float64))"), {1, 3}, 1e-15));
  // Only the lower triangle is read.
  CHECK(all_close(values("linalg.eigvalsh(constant([[2.0, 100.0], [1.0, 2.0]], dtype=float64))"), {1, 3}, 1e-15));
  Value svd = evaluate("linalg.svd(constant([[3.0, 0.0], [4.0, 5.0]], dtype=float64))");
  REQUIRE(svd.items.size() == 3);
  // numpy.linalg.svd: singular values sqrt(45) and sqrt(5)
  CHECK(all_close(doubles(svd.items[0].tensor), {std::sqrt(45.0), std::sqrt(5.0)}, 1e-15));
  Tensor back = evaluate_tensor("u @ linalg.diag(s) @ linalg.adjoint(v)", {{"s", svd.items[0]}, {"u", svd.items[1]}, {"v", svd.items[2]}});
  CHECK(all_close(doubles(back), {3, 0, 4, 5}, 1e-14));
  CHECK(evaluate_tensor("linalg.svd(zeros([2, 4, 3]), compute_uv=False)").shape() == Shape{2, 3});
  CHECK(evaluate("linalg.svd(zeros([4, 3]), full_matrices=True)").items[1].tensor.shape() == Shape{4, 4});
}

TEST_CASE("linalg ops: trace, diag, diag_part, set_diag, band_part, eye and matvec") {
  CHECK(values("linalg.trace(reshape(range(8), [2, 2, 2]))") == std::vector<double>{3, 11});
  CHECK(values("linalg.diag([1, 2])") == std::vector<double>{1, 0, 0, 2});
  CHECK(values("linalg.diag_part([[1, 2, 3], [4, 5, 6]])") == std::vector<double>{1, 5});
  CHECK(values("linalg.set_diag([[1, 2, 3], [4, 5, 6]], [0, 0])") == std::vector<double>{0, 2, 3, 4, 0, 6});
  CHECK(values("linalg.band_part(reshape(range(1, 10), [3, 3]), 1, 0)") == std::vector<double>{1, 0, 0, 4, 5, 0, 0, 8, 9});
  CHECK(values("eye(2, 3)") == std::vector<double>{1, 0, 0, 0, 1, 0});
  CHECK(evaluate_tensor("linalg.eye(2, batch_shape=[3], dtype=int32)").shape() == Shape{3, 2, 2});
  CHECK(values("linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, -1.0], transpose_a=True)") == std::vector<double>{-2, -2});
  // One diagonal k != 0 is supported (with num_rows, num_cols and padding_value); a band is not.
  CHECK(values("linalg.diag([1, 2], k=1)") == std::vector<double>{0, 1, 0, 0, 0, 2, 0, 0, 0});
  CHECK(values("linalg.diag([1, 2], k=-1, num_rows=3, padding_value=9)") == std::vector<double>{9, 9, 1, 9, 9, 2});
  CHECK(values("linalg.diag_part([[1, 2, 3], [4, 5, 6]], k=(1, 1))") == std::vector<double>{2, 6});
  CHECK(values("linalg.set_diag([[1, 2, 3], [4, 5, 6]], [0], k=-1)") == std::vector<double>{1, 2, 3, 0, 5, 6});
  CHECK_THROWS_AS(evaluate("linalg.diag([[1.0, 2.0], [3.0, 4.0]], k=(0, 1))"), UserError);
  CHECK_THROWS_AS(evaluate("linalg.diag([1.0, 2.0], k=1, num_rows=4, num_cols=4)"), UserError);
}

TEST_CASE("linalg ops: norm's orders, axes and TF's refusals") {
  CHECK(values("norm([[3.0, 4.0], [0.0, 0.0]], axis=1)") == std::vector<double>{5, 0});
  CHECK(values("norm([[1.0, -2.0], [3.0, 4.0]], ord=1, axis=[0, 1])") == std::vector<double>{6});
  CHECK(evaluate_tensor("norm(zeros([2, 3]) + 1.0, axis=[0, 1], keepdims=True)").shape() == Shape{1, 1});
  CHECK(values("norm([1.0, -2.0, 2.0], ord=1)") == std::vector<double>{5});
  CHECK_THROWS_WITH_AS(evaluate("norm([1.0, 2.0], ord='fro')"), "'ord' must be a supported vector norm, got fro", UserError);
  CHECK_THROWS_WITH_AS(evaluate("norm([[1.0]], ord=3, axis=[0, 1])"),
                       "'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], got 3", UserError);
}

TEST_CASE("linalg ops: eigh's gradient is lower triangular and cholesky's symmetric, as in TF") {
  Tensor a = testing::f64({2, 2}, {2, 1, 1, 3});
  auto gradient = [&](const std::string& expression) {
    GradientTape tape(false, true);
    tape.push();
    tape.watch(a);
    Tensor y = evaluate_tensor(expression, {{"a", Value::of(a)}});
    tape.pop();
    std::optional<Tensor> g = tape.gradient({y}, {GradientSource{{a.id()}, a.shape(), a.dtype()}}, {}, Unconnected::kNone)[0];
    REQUIRE(g);
    return doubles(*g);
  };
  // The sum of the eigenvalues is the trace, whatever the eigenvectors.
  CHECK(all_close(gradient("linalg.eigvalsh(a)"), {1, 0, 0, 1}, 1e-15));
  std::vector<double> largest = gradient("linalg.eigvalsh(a)[1]");
  CHECK(largest[1] == 0.0);
  CHECK(largest[2] != 0.0);
  std::vector<double> chol = gradient("linalg.cholesky(a)");
  CHECK(chol[1] == chol[2]);
}

TEST_CASE("linalg ops: TF's refusals inside gradients of decompositions") {
  Tensor a = testing::f64({3, 2}, {1, 2, 3, 4, 5, 7});
  GradientTape tape(false, true);
  tape.push();
  tape.watch(a);
  Tensor r = evaluate("linalg.qr(a, full_matrices=True)", {{"a", Value::of(a)}}).items[1].tensor;
  tape.pop();
  CHECK_THROWS_WITH_AS(tape.gradient({r}, {GradientSource{{a.id()}, a.shape(), a.dtype()}}, {}, Unconnected::kNone),
                       "QrGrad not implemented when nrows > ncols and full_matrices is true.", UserError);
}

}  // namespace
}  // namespace ag
