// Tests of what the tape keeps: the id set behind watch/record, and the large tensors whose values
// a gradient rule never reads, which the tape holds as shapes only. Expected gradients are
// hand-derived calculus.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "autodiff/id_set.h"
#include "autodiff/tape.h"
#include "ops/api.h"

namespace ag {
namespace {

TEST_CASE("IdSet: dense and sparse ids, ids below the first, absent ids") {
  IdSet set;
  CHECK_FALSE(set.contains(0));
  CHECK_FALSE(set.contains(12345));
  set.insert(1000);
  CHECK(set.contains(1000));
  CHECK_FALSE(set.contains(999));
  CHECK_FALSE(set.contains(1001));
  set.insert(5);  // older than anything held: the bitmap grows at the front
  CHECK(set.contains(5));
  CHECK(set.contains(1000));
  CHECK_FALSE(set.contains(6));
  set.insert(1'000'063);
  CHECK(set.contains(1'000'063));
  CHECK(set.count(1'000'063) == 1);
  CHECK(set.count(1'000'064) == 0);
  std::vector<std::uint64_t> more{63, 64, 65, 127, 128};
  set.insert(more.begin(), more.end());
  for (std::uint64_t id : more) CHECK(set.contains(id));
  CHECK_FALSE(set.contains(66));
  CHECK_FALSE(set.contains(0));
}

Tensor ramp(std::int64_t n) {
  Tensor t = Tensor::allocate(DType::kFloat32, {n});
  float* p = t.mutable_data<float>();
  for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(i % 100) * 0.01f - 0.5f;
  return t;
}

TEST_CASE("without_values: same id, dtype and shape, no values") {
  Tensor x = ramp(10);
  Tensor shape_only = x.without_values();
  CHECK(shape_only.id() == x.id());
  CHECK(shape_only.shape() == x.shape());
  CHECK(shape_only.dtype() == x.dtype());
  CHECK(x.has_values());
  CHECK_FALSE(shape_only.has_values());
  CHECK(shape_only.raw() == nullptr);
}

TEST_CASE("tape: intermediates a rule never reads are freed, and the gradient is still right") {
  // From 256 elements a tensor is kept as a shape only; 1,000 is W5's size, 2^15 a large one.
  for (const std::int64_t n : {std::int64_t{256}, std::int64_t{1000}, std::int64_t{1} << 15}) {
    CAPTURE(n);
    Tensor x = ramp(n);
    GradientTape tape(true, true);
    tape.watch(x);
    tape.push();
    Tensor s = ops::sin(x);
    Tensor y = ops::reduce_sum(ops::multiply(ops::exp(s), x), {0}, false);
    s = Tensor();  // the evaluator's handle is gone: the tape alone decides whether sin(x) lives
    tape.pop();
    // d/dx sum(exp(sin x) x) = exp(sin x) (x cos x + 1)
    std::optional<Tensor> g = tape.gradient({y}, {{{x.id()}, x.shape(), x.dtype()}}, {}, Unconnected::kNone)[0];
    REQUIRE(g.has_value());
    REQUIRE(g->size() == n);
    for (std::int64_t i : {std::int64_t{0}, std::int64_t{1}, n / 2, n - 1}) {
      double v = x.data<float>()[i];
      double expected = std::exp(std::sin(v)) * (v * std::cos(v) + 1.0);
      CHECK(g->data<float>()[i] == doctest::Approx(expected).epsilon(1e-5));
    }
    // The recorded Sin node keeps x (its rule reads it) but not its own output.
    bool found_sin = false;
    for (std::size_t i = 0; i < tape.node_count(); ++i) {
      const TapeNode& node = tape.node(i);
      if (node.op->name != "Sin") continue;
      found_sin = true;
      CHECK(node.inputs[0].has_values());
      CHECK_FALSE(node.output.has_values());
    }
    CHECK(found_sin);
  }
}

TEST_CASE("tape: below 256 elements a recorded tensor keeps its values") {
  // The shape-only handle would cost more than the values it frees.
  Tensor x = ramp(255);
  GradientTape tape(true, true);
  tape.watch(x);
  tape.push();
  Tensor y = ops::sin(x);
  tape.pop();
  REQUIRE(tape.node_count() == 1);
  CHECK(tape.node(0).output.has_values());
}

}  // namespace
}  // namespace ag
