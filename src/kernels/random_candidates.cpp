// TF's range samplers for candidate sampling (core/kernels/range_sampler.cc,
// core/lib/random/distribution_sampler.*, weighted_picker.cc): the same draws from the same
// SimplePhilox words, and the same float arithmetic for the expected counts.
#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "diag/error.h"
#include "kernels/random.h"

namespace ag::kernels::random {
namespace {

/// Walker's alias table, built exactly as TF's DistributionSampler builds it.
struct AliasTable {
  std::vector<float> prob;
  std::vector<int> alt;

  explicit AliasTable(const std::vector<float>& weights) {
    const int n = static_cast<int>(weights.size());
    prob.assign(static_cast<std::size_t>(n), 0.0f);
    alt.assign(static_cast<std::size_t>(n), -1);
    std::vector<double> pr(static_cast<std::size_t>(n));
    double sum = 0.0;
    for (float w : weights) sum += w;
    std::vector<int> high, low;
    for (int i = 0; i < n; ++i) {
      double p = (weights[static_cast<std::size_t>(i)] * n) / sum;
      pr[static_cast<std::size_t>(i)] = p;
      (p < 1.0 ? low : high).push_back(i);
    }
    while (!high.empty() && !low.empty()) {
      int l = low.back();
      low.pop_back();
      int h = high.back();
      high.pop_back();
      alt[static_cast<std::size_t>(l)] = h;
      double remaining = pr[static_cast<std::size_t>(h)] - (1.0 - pr[static_cast<std::size_t>(l)]);
      pr[static_cast<std::size_t>(h)] = remaining;
      (remaining < 1.0 ? low : high).push_back(h);
    }
    for (int i = 0; i < n; ++i) prob[static_cast<std::size_t>(i)] = static_cast<float>(pr[static_cast<std::size_t>(i)]);
    // Rounding leftovers on either list become certain picks of themselves.
    for (int idx : high) prob[static_cast<std::size_t>(idx)] = 1.0f, alt[static_cast<std::size_t>(idx)] = idx;
    for (int idx : low) prob[static_cast<std::size_t>(idx)] = 1.0f, alt[static_cast<std::size_t>(idx)] = idx;
  }

  int sample(SingleSample& rnd) const {
    float r = rnd.rand_float();
    int idx = static_cast<int>(rnd.uniform(static_cast<std::uint32_t>(prob.size())));
    return r < prob[static_cast<std::size_t>(idx)] ? idx : alt[static_cast<std::size_t>(idx)];
  }
};

// Expected count of a value of probability p in a batch that took num_tries draws.
float expected_count(float p, std::int64_t batch_size, std::int64_t num_tries) {
  if (num_tries == batch_size) return p * static_cast<float>(batch_size);
  return -std::expm1(static_cast<float>(num_tries) * std::log1p(-p));
}

}  // namespace

CandidateBatch sample_candidates(const CandidateSampler& s, const std::vector<std::int64_t>& true_classes,
                                 std::int64_t num_sampled, bool unique, Philox generator) {
  using Kind = CandidateSampler::Kind;
  CandidateBatch out;
  out.sampled.resize(static_cast<std::size_t>(num_sampled));
  if (s.kind == Kind::kAll) {
    for (std::int64_t i = 0; i < num_sampled; ++i) out.sampled[static_cast<std::size_t>(i)] = i;
    out.sampled_expected.assign(static_cast<std::size_t>(num_sampled), 1.0f);
    out.true_expected.assign(true_classes.size(), 1.0f);
    return out;
  }
  SingleSample rnd(&generator);
  const double log_range = std::log1p(static_cast<double>(s.range));
  std::optional<AliasTable> alias;
  if (s.kind == Kind::kFixedUnigram) alias.emplace(s.weights);
  std::vector<std::int64_t> cumulative;  // learned unigram: WeightedPicker's running sums
  std::int64_t total_count = 0;
  if (s.kind == Kind::kLearnedUnigram) {
    for (std::int32_t c : s.counts) cumulative.push_back(total_count += c);
  }
  auto sample = [&]() -> std::int64_t {
    switch (s.kind) {
      case Kind::kUniform: return static_cast<std::int64_t>(rnd.uniform64(static_cast<std::uint64_t>(s.range)));
      case Kind::kLogUniform: {
        const auto value = static_cast<std::int64_t>(std::exp(rnd.rand_double() * log_range)) - 1;
        return value % s.range;
      }
      case Kind::kFixedUnigram: return alias->sample(rnd);
      default: {
        if (total_count == 0) return -1;
        auto position = static_cast<std::int64_t>(rnd.uniform(static_cast<std::uint32_t>(total_count)));
        return std::upper_bound(cumulative.begin(), cumulative.end(), position) - cumulative.begin();
      }
    }
  };
  auto probability = [&](std::int64_t value) -> float {
    switch (s.kind) {
      case Kind::kUniform: return static_cast<float>(1.0 / static_cast<double>(s.range));
      case Kind::kLogUniform: return static_cast<float>(std::log((value + 2.0) / (value + 1.0)) / log_range);
      case Kind::kFixedUnigram:
        if (value < 0 || value >= static_cast<std::int64_t>(s.weights.size())) return 0.0f;
        return s.weights[static_cast<std::size_t>(value)] / s.total_weight;
      default:
        return static_cast<float>(s.counts[static_cast<std::size_t>(value)]) / static_cast<float>(total_count);
    }
  };
  std::int64_t num_tries = 0;
  if (unique) {
    std::unordered_set<std::int64_t> used;
    std::int64_t picked = 0;
    while (picked < num_sampled) {
      ++num_tries;
      // TF allows up to 2**31 - 1 tries; a tenth of that already takes far too long here.
      if (num_tries >= 200000000)
        throw UserError(ExitCode::kEval, "candidate sampler: gave up after 200000000 tries to find " +
                                             std::to_string(num_sampled) + " distinct candidates");
      std::int64_t value = sample();
      if (used.insert(value).second) out.sampled[static_cast<std::size_t>(picked++)] = value;
    }
  } else {
    for (std::int64_t i = 0; i < num_sampled; ++i) out.sampled[static_cast<std::size_t>(i)] = sample();
    num_tries = num_sampled;
  }
  for (std::int64_t value : out.sampled) out.sampled_expected.push_back(expected_count(probability(value), num_sampled, num_tries));
  for (std::int64_t value : true_classes) out.true_expected.push_back(expected_count(probability(value), num_sampled, num_tries));
  return out;
}

}  // namespace ag::kernels::random
