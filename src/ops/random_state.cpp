// The eager random state: global seed, op-seed sequence, cached kernel generators, and the
// global generator (tensorflow/python/framework/random_seed.py, eager/context.py,
// core/util/guarded_philox_random.cc, python/ops/stateful_random_ops.py).
#include "ops/random_state.h"

#include <limits>
#include <map>
#include <random>

#include "diag/error.h"
#include "ops/call_args.h"
#include "ops/random_generator.h"

namespace ag {
namespace {

constexpr std::int64_t kDefaultGraphSeed = 87654321;
constexpr std::int64_t kMaxInt32 = 2147483647;  // TF's _MAXINT32 = 2**31 - 1

struct RandomState {
  std::optional<std::int64_t> global_seed;
  kernels::random::PythonRandom op_seed_source{0};
  std::map<std::string, kernels::random::Philox> kernels;
  std::optional<Value> global_generator;
};

std::uint64_t& epoch() {
  static std::uint64_t value = 0;
  return value;
}

RandomState& state() {
  static RandomState instance;
  return instance;
}

/// Python's `seed % _MAXINT32` (the result has the sign of the divisor, so it is >= 0).
std::int64_t truncate_seed(std::int64_t seed) {
  std::int64_t r = seed % kMaxInt32;
  return r < 0 ? r + kMaxInt32 : r;
}

}  // namespace

void reset_random_state() {
  state() = RandomState{};
  ++epoch();
}

std::uint64_t kernel_cache_epoch() { return epoch(); }

void set_global_seed(std::int64_t seed) {
  RandomState& s = state();
  s.global_seed = seed;
  // random.Random(seed) seeds from |seed|.
  std::uint64_t magnitude = seed < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(seed) : static_cast<std::uint64_t>(seed);
  s.op_seed_source = kernels::random::PythonRandom(magnitude);
  // TF clears the kernel cache so that seeded ops start their sequences again.
  s.kernels.clear();
  ++epoch();
}

std::pair<std::int64_t, std::int64_t> op_seeds(std::optional<std::int64_t> op_seed) {
  RandomState& s = state();
  std::pair<std::int64_t, std::int64_t> seeds{0, 0};
  if (s.global_seed) {
    std::int64_t op = op_seed ? *op_seed : s.op_seed_source.randint_int32_max();
    seeds = {truncate_seed(*s.global_seed), truncate_seed(op)};
  } else if (op_seed) {
    seeds = {kDefaultGraphSeed, truncate_seed(*op_seed)};
  } else {
    return {0, 0};
  }
  // (0, 0) would mean "non-deterministic" to the kernels.
  if (seeds == std::pair<std::int64_t, std::int64_t>{0, 0}) return {0, kMaxInt32};
  return seeds;
}

kernels::random::Philox reserve_kernel_samples(const std::string& op, DType dtype, std::pair<std::int64_t, std::int64_t> seeds,
                                               std::uint64_t reserve) {
  RandomState& s = state();
  if (seeds.first == 0 && seeds.second == 0) {
    // Unseeded: a fresh kernel with random seeds every time, as far as anyone can tell.
    kernels::random::Philox gen = kernels::random::Philox::from_seeds(nondeterministic_u64(), nondeterministic_u64());
    return gen;
  }
  std::string key = op + "/" + std::string(dtype_name(dtype)) + "/" + std::to_string(seeds.first) + "/" + std::to_string(seeds.second);
  auto it = s.kernels.find(key);
  if (it == s.kernels.end())
    it = s.kernels
             .emplace(key, kernels::random::Philox::from_seeds(static_cast<std::uint64_t>(seeds.first),
                                                               static_cast<std::uint64_t>(seeds.second)))
             .first;
  kernels::random::Philox before = it->second;
  it->second.skip(reserve);
  return before;
}

std::uint64_t nondeterministic_u64() {
  static std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) | device();
}

Value global_generator() {
  RandomState& s = state();
  if (!s.global_generator) {
    std::vector<std::int64_t> words;
    for (int i = 0; i < 3; ++i) words.push_back(static_cast<std::int64_t>(nondeterministic_u64()));
    s.global_generator = make_generator(words, 1);
  }
  return *s.global_generator;
}

void set_global_generator(const Value& generator) { state().global_generator = generator; }

std::optional<std::int64_t> optional_seed(const CallArgs& args, const char* param) {
  if (args.is_none(param)) return std::nullopt;
  return args.integer(param);
}

void check_output_shape(const Shape& shape, DType dtype, const std::string& op) {
  constexpr double kLimitBytes = 4.0 * 1024 * 1024 * 1024;
  double elements = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0) throw UserError(ExitCode::kEval, op + ": Dimension " + std::to_string(dim) + " must be >= 0");
    elements *= static_cast<double>(dim);
  }
  double item = dtype == DType::kString ? 8.0 : static_cast<double>(std::max<std::size_t>(storage_element_size(dtype), 1));
  if (elements * item > kLimitBytes)
    throw UserError(ExitCode::kEval, op + ": an output of shape " + shape_str(shape) + " and dtype " +
                                         std::string(dtype_name(dtype)) + " would need more than 4 GiB (resource limit)");
}

}  // namespace ag
