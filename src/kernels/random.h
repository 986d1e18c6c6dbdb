// TF's counter-based random number generators and the distributions its CPU kernels build on
// them: Philox-4x32-10 (every TF CPU random op), ThreeFry-2x32-20, the seed scrambling of the
// stateless ops, and the uniform / normal / truncated-normal / integer fills with TF's exact
// bit-to-value conversions and counter layout (tensorflow/core/lib/random/*.h,
// tensorflow/core/kernels/random_op_cpu.h). Kernels know nothing of seeds' Python-side rules.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ag::kernels::random {

/// Philox-4x32-10 (Salmon et al., SC 2011) with TF's key/counter layout. Copyable value.
class Philox {
 public:
  using Block = std::array<std::uint32_t, 4>;
  using Key = std::array<std::uint32_t, 2>;

  Philox() = default;
  Philox(Block counter, Key key) : counter_(counter), key_(key) {}
  /// TF's PhiloxRandom(seed_lo, seed_hi): the key is seed_lo, counter words 2..3 are seed_hi.
  static Philox from_seeds(std::uint64_t seed_lo, std::uint64_t seed_hi);

  /// Ten rounds on the current counter, then the counter advances by one.
  Block next();
  /// Advances the 128-bit counter by `count` blocks.
  void skip(std::uint64_t count);

  const Block& counter() const { return counter_; }
  const Key& key() const { return key_; }

 private:
  Block counter_{};
  Key key_{};
};

/// The ten-round Philox bijection of one counter block under a key (no state).
Philox::Block philox_block(Philox::Block counter, Philox::Key key);

/// ThreeFry-2x32 with 20 rounds (Random123), the bijection of one 64-bit block under a key.
std::array<std::uint32_t, 2> threefry2x32(std::array<std::uint32_t, 2> counter, std::array<std::uint32_t, 2> key);

/// TF's GenerateKey: a stateless op's seed pair scrambled into a Philox key and counter.
Philox philox_from_stateless_seed(std::uint64_t seed0, std::uint64_t seed1);

/// One Philox stream read one 32-bit word at a time (TF's SingleSampleAdapter).
class SingleSample {
 public:
  explicit SingleSample(Philox* generator) : generator_(generator) {}
  std::uint32_t operator()();
  /// TF's SimplePhilox: RandFloat, RandDouble, Rand64, Uniform(n), Uniform64(n).
  float rand_float();
  double rand_double();
  std::uint64_t rand64();
  std::uint32_t uniform(std::uint32_t n);
  std::uint64_t uniform64(std::uint64_t n);

 private:
  Philox* generator_;
  Philox::Block block_{};
  int used_ = 4;
};

/// Bits to values as TF converts them.
float uint32_to_float(std::uint32_t x);                       ///< [0, 1), 23 random bits
double uint64_to_double(std::uint32_t x0, std::uint32_t x1);  ///< [0, 1), 52 random bits
void box_muller_float(std::uint32_t x0, std::uint32_t x1, float* f0, float* f1);
void box_muller_double(std::uint32_t x0, std::uint32_t x1, std::uint32_t x2, std::uint32_t x3, double* d0, double* d1);

/// Fills `shape` from `generator` exactly as TF's FillPhiloxRandom does for each distribution.
/// dtype: float16, bfloat16, float32 or float64.
Tensor fill_uniform(DType dtype, const Shape& shape, Philox generator);
Tensor fill_normal(DType dtype, const Shape& shape, Philox generator);
Tensor fill_truncated_normal(DType dtype, const Shape& shape, Philox generator);
/// [lo, hi) integers (int32 or int64), TF's modulo mapping; requires lo < hi.
Tensor fill_uniform_int(DType dtype, const Shape& shape, std::int64_t lo, std::int64_t hi, Philox generator);
/// The whole range of int32, int64, uint32 or uint64.
Tensor fill_uniform_full_int(DType dtype, const Shape& shape, Philox generator);

/// Python's random.Random (MT19937 seeded by init_by_array): TF draws eager op seeds from it.
class PythonRandom {
 public:
  explicit PythonRandom(std::uint64_t seed = 0);
  std::uint32_t next32();
  /// random.randint(0, 2**31 - 1), as TF's internal_operation_seed calls it.
  std::int64_t randint_int32_max();

 private:
  std::array<std::uint32_t, 624> state_{};
  int index_ = 624;
};

}  // namespace ag::kernels::random

namespace ag::kernels::random {

/// Gamma(alpha, 1) samples (Marsaglia-Tsang in double, TF's RandomGamma / StatelessRandomGammaV2):
/// output [samples_per_alpha, alphas...] flattened as sample-major; each output reserves 256
/// blocks. `alpha` is float16/32/64; the result has its dtype.
Tensor gamma(const Tensor& alpha, std::int64_t samples_per_alpha, const Shape& out_shape, Philox generator);
/// Poisson(rate) samples (Knuth below 10, Hormann's PTRS above, in double): output
/// [samples_per_rate, rates...]; `dtype` is the output dtype (float or integer).
Tensor poisson(const Tensor& rate, std::int64_t samples_per_rate, const Shape& out_shape, DType dtype, Philox generator);
/// Binomial(counts, probs) samples (inversion below 10 expected successes, BTRS above).
/// counts and probs (one dtype) broadcast to the trailing dims of out_shape.
Tensor binomial(const Tensor& counts, const Tensor& probs, const Shape& out_shape, DType dtype, Philox generator);
/// Categorical samples from [batch, classes] logits (TF's Multinomial CPU kernel, one shard).
Tensor multinomial(const Tensor& logits, std::int64_t num_samples, DType dtype, Philox generator);
/// Truncated normal with per-batch parameters broadcast to the trailing dims of out_shape
/// (TF's StatelessParameterizedTruncatedNormal CPU kernel, one shard). All of one float dtype.
Tensor parameterized_truncated_normal(const Tensor& means, const Tensor& stddevs, const Tensor& minvals,
                                      const Tensor& maxvals, const Shape& out_shape, Philox generator);
/// The permutation RandomShuffle applies to n rows (n - 1 draws of one 32-bit word each).
std::vector<std::int64_t> shuffle_permutation(std::int64_t n, Philox generator);

}  // namespace ag::kernels::random

namespace ag::kernels::random {

/// The range samplers of TF's candidate-sampling ops (core/kernels/range_sampler.cc).
struct CandidateSampler {
  enum class Kind { kUniform, kLogUniform, kLearnedUnigram, kFixedUnigram, kAll };
  Kind kind = Kind::kUniform;
  std::int64_t range = 0;
  std::vector<std::int32_t> counts;  ///< kLearnedUnigram: a weight per class (starts at 1)
  std::vector<float> weights;        ///< kFixedUnigram: distorted unigram weights
  float total_weight = 0;            ///< kFixedUnigram: their float sum
};

/// One batch: sampled candidates and the expected counts of them and of the true classes.
struct CandidateBatch {
  std::vector<std::int64_t> sampled;
  std::vector<float> sampled_expected;
  std::vector<float> true_expected;
};

/// SampleBatchGetExpectedCount: draws num_sampled candidates (distinct if `unique`, counting the
/// tries) and the expected counts, from a SimplePhilox over `generator`.
CandidateBatch sample_candidates(const CandidateSampler& sampler, const std::vector<std::int64_t>& true_classes,
                                 std::int64_t num_sampled, bool unique, Philox generator);

}  // namespace ag::kernels::random
