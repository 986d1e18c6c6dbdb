// Exact-value tests of the Philox kernels against outputs printed in TF's own docstrings
// (stateless_random_ops.py, stateful_random_ops.py, random_ops.py) and Random123's ThreeFry
// known-answer vectors.
#include <doctest/doctest.h>

#include "format/numpy_repr.h"
#include "kernels/random.h"

namespace ag::kernels::random {
namespace {

/// The text TF shows for a tensor: the docstrings print numpy's repr, so that is compared.
std::string repr(const Tensor& t) { return format::tensor_repr(t); }

TEST_CASE("random: stateless full-range int32 reproduces TF's stateless_split docstring") {
  // tf.random.experimental.stateless_split([1, 2], num=3)
  Tensor t = fill_uniform_full_int(DType::kInt32, {3, 2}, philox_from_stateless_seed(1, 2));
  const std::int32_t* v = t.data<std::int32_t>();
  std::vector<std::int32_t> got(v, v + 6);
  CHECK(got == std::vector<std::int32_t>{1105988140, 1738052849, -335576002, 370444179, 10670227, -246211131});
}

TEST_CASE("random: stateless_normal reproduces TF's stateless_split and fold_in docstrings") {
  CHECK(repr(fill_normal(DType::kFloat32, {3}, philox_from_stateless_seed(1105988140, 1738052849))) ==
        "<tf.Tensor: shape=(3,), dtype=float32, numpy=array([-0.59835213, -0.9578608 ,  0.9002807 ], dtype=float32)>");
  CHECK(repr(fill_normal(DType::kFloat32, {3}, philox_from_stateless_seed(1105988140, 3))) ==
        "<tf.Tensor: shape=(3,), dtype=float32, numpy=array([0.03197195, 0.8979765 , 0.13253039], dtype=float32)>");
}

TEST_CASE("random: Generator.from_seed(...).normal([2, 3]) matches TF's Generator docstring") {
  // State [seed, 0, 0]: counter words from the first two int64s, key from the third.
  CHECK(repr(fill_normal(DType::kFloat32, {2, 3}, Philox({1234, 0, 0, 0}, {0, 0}))) ==
        "<tf.Tensor: shape=(2, 3), dtype=float32, numpy=\n"
        "array([[ 0.9356609 ,  1.0854305 , -0.93788373],\n"
        "       [-0.5061547 ,  1.3169702 ,  0.7137579 ]], dtype=float32)>");
  CHECK(repr(fill_normal(DType::kFloat32, {2, 3}, Philox({123, 0, 0, 0}, {0, 0}))) ==
        "<tf.Tensor: shape=(2, 3), dtype=float32, numpy=\n"
        "array([[ 0.8673864 , -0.29899067, -0.9310337 ],\n"
        "       [-1.5828488 ,  1.2481191 , -0.6770643 ]], dtype=float32)>");
}

TEST_CASE("random: set_seed(5) then normal([2, 2], seed=1) matches TF's random.normal docstring") {
  CHECK(repr(fill_normal(DType::kFloat32, {2, 2}, Philox::from_seeds(5, 1))) ==
        "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\n"
        "array([[-1.3768897 , -0.01258316],\n"
        "       [-0.169515  ,  1.0824056 ]], dtype=float32)>");
}

TEST_CASE("random: uniform int32 [0, 3) with seeds (5, 10) gives 2 then 0 (random.uniform docstring)") {
  Philox gen = Philox::from_seeds(5, 10);
  Philox first = gen;
  gen.skip(256);  // the kernel reserves 256 blocks per output element
  CHECK(fill_uniform_int(DType::kInt32, {}, 0, 3, first).data<std::int32_t>()[0] == 2);
  CHECK(fill_uniform_int(DType::kInt32, {}, 0, 3, gen).data<std::int32_t>()[0] == 0);
}

TEST_CASE("random: ThreeFry-2x32-20 matches Random123's known-answer vectors") {
  CHECK(threefry2x32({0, 0}, {0, 0}) == std::array<std::uint32_t, 2>{0x6b200159u, 0x99ba4efeu});
  CHECK(threefry2x32({0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}) ==
        std::array<std::uint32_t, 2>{0x1cb996fcu, 0xbb002be7u});
  CHECK(threefry2x32({0x243f6a88u, 0x85a308d3u}, {0x13198a2eu, 0x03707344u}) ==
        std::array<std::uint32_t, 2>{0xc4923a9cu, 0x483df7a0u});
}

TEST_CASE("random: Python's Mersenne Twister matches CPython's random.Random(seed)") {
  // Values printed by CPython 3: random.Random(0).getrandbits(32),
  // random.Random(1234).getrandbits(32), and [random.Random(5).randint(0, 2**31 - 1) ...].
  CHECK(PythonRandom(0).next32() == 3626764237u);
  CHECK(PythonRandom(1234).next32() == 4150886329u);
  PythonRandom r5(5);
  CHECK(r5.randint_int32_max() == 1097127993);
  CHECK(r5.randint_int32_max() == 1539898300);
  CHECK(r5.randint_int32_max() == 124576495);
}

}  // namespace
}  // namespace ag::kernels::random
