// Statistical tests of every sampler at fixed seeds: mean, variance and a goodness-of-fit
// statistic (Kolmogorov-Smirnov for continuous laws, chi-square for discrete ones). Thresholds
// are wide (p < 1e-4 under the null), so the tests fail only for a wrong law, not by chance.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <vector>

#include "kernels/random.h"

namespace ag::kernels::random {
namespace {

constexpr std::int64_t kN = 20000;

std::vector<double> values(const Tensor& t) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < t.size(); ++i) v.push_back(t.element_as_double(i));
  return v;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

double variance(const std::vector<double>& v) {
  double m = mean(v), s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size() - 1);
}

/// sqrt(n) * sup |F_n - F|; above 1.95 has p < 0.001.
double ks_statistic(std::vector<double> v, const std::function<double(double)>& cdf) {
  std::sort(v.begin(), v.end());
  double n = static_cast<double>(v.size()), d = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    double f = cdf(v[i]);
    d = std::max({d, std::fabs(f - static_cast<double>(i) / n), std::fabs(static_cast<double>(i + 1) / n - f)});
  }
  return d * std::sqrt(n);
}

/// Pearson's chi-square of integer samples against a pmf, bins below 5 expected merged into
/// the tail; returns (statistic, degrees of freedom).
std::pair<double, int> chi_square(const std::vector<double>& v, const std::function<double(std::int64_t)>& pmf, std::int64_t max_k) {
  std::map<std::int64_t, double> observed;
  for (double x : v) observed[static_cast<std::int64_t>(x)] += 1;
  double n = static_cast<double>(v.size()), stat = 0, tail_expected = 0, tail_observed = 0, covered = 0;
  int bins = 0;
  for (std::int64_t k = 0; k <= max_k; ++k) {
    double expected = pmf(k) * n;
    covered += pmf(k);
    if (expected < 5) {
      tail_expected += expected;
      tail_observed += observed[k];
      continue;
    }
    stat += (observed[k] - expected) * (observed[k] - expected) / expected;
    ++bins;
  }
  tail_expected += (1 - covered) * n;
  for (auto& [k, count] : observed)
    if (k > max_k || k < 0) tail_observed += count;
  if (tail_expected > 1e-6 || tail_observed > 0) {
    stat += (tail_observed - tail_expected) * (tail_observed - tail_expected) / tail_expected;
    ++bins;
  }
  return {stat, bins - 1};
}

/// A chi-square critical value far in the tail (about p = 1e-5).
double chi_square_limit(int df) { return df + 6.0 * std::sqrt(2.0 * df) + 10; }

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double log_pmf_poisson(double lambda, std::int64_t k) { return -lambda + k * std::log(lambda) - std::lgamma(k + 1.0); }
double log_choose(double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); }

Philox seeded(std::uint64_t s) { return philox_from_stateless_seed(s, 7); }

TEST_CASE("random stats: uniform float32 and float64 are U[0, 1)") {
  for (DType dtype : {DType::kFloat32, DType::kFloat64}) {
    auto v = values(fill_uniform(dtype, {kN}, seeded(1)));
    CHECK(mean(v) == doctest::Approx(0.5).epsilon(0.02));
    CHECK(variance(v) == doctest::Approx(1.0 / 12).epsilon(0.03));
    CHECK(ks_statistic(v, [](double x) { return std::clamp(x, 0.0, 1.0); }) < 1.95);
    CHECK(*std::min_element(v.begin(), v.end()) >= 0.0);
    CHECK(*std::max_element(v.begin(), v.end()) < 1.0);
  }
}

TEST_CASE("random stats: normal float32 and float64 are N(0, 1)") {
  for (DType dtype : {DType::kFloat32, DType::kFloat64}) {
    auto v = values(fill_normal(dtype, {kN}, seeded(2)));
    CHECK(std::fabs(mean(v)) < 0.04);
    CHECK(variance(v) == doctest::Approx(1.0).epsilon(0.04));
    CHECK(ks_statistic(v, normal_cdf) < 1.95);
  }
}

TEST_CASE("random stats: truncated normal is N(0, 1) restricted to (-2, 2)") {
  const double z = normal_cdf(2) - normal_cdf(-2);
  for (DType dtype : {DType::kFloat32, DType::kFloat64}) {
    auto v = values(fill_truncated_normal(dtype, {kN}, seeded(3)));
    CHECK(std::fabs(mean(v)) < 0.04);
    // Variance of N(0,1) truncated to [-2, 2]: 1 - 2 * 2 * phi(2) / z.
    double phi2 = std::exp(-2.0) / std::sqrt(2 * M_PI);
    CHECK(variance(v) == doctest::Approx(1 - 4 * phi2 / z).epsilon(0.04));
    CHECK(ks_statistic(v, [&](double x) { return (normal_cdf(x) - normal_cdf(-2)) / z; }) < 1.95);
    CHECK(*std::max_element(v.begin(), v.end()) < 2.0);
  }
}

TEST_CASE("random stats: bounded integers are uniform on [lo, hi)") {
  auto v = values(fill_uniform_int(DType::kInt32, {kN}, -3, 7, seeded(4)));
  CHECK(mean(v) == doctest::Approx(1.5).epsilon(0.05));
  CHECK(variance(v) == doctest::Approx((100.0 - 1) / 12).epsilon(0.05));
  auto [stat, df] = chi_square(
      [&] {
        std::vector<double> shifted;
        for (double x : v) shifted.push_back(x + 3);
        return shifted;
      }(),
      [](std::int64_t k) { return k < 10 ? 0.1 : 0.0; }, 9);
  CHECK(stat < chi_square_limit(df));
}

TEST_CASE("random stats: gamma matches Gamma(alpha, 1) for alpha 0.5, 1 and 3") {
  struct Case {
    double alpha;
    std::function<double(double)> cdf;
  };
  std::vector<Case> cases = {
      {0.5, [](double x) { return x <= 0 ? 0 : std::erf(std::sqrt(x)); }},
      {1.0, [](double x) { return x <= 0 ? 0 : 1 - std::exp(-x); }},
      {3.0, [](double x) { return x <= 0 ? 0 : 1 - std::exp(-x) * (1 + x + x * x / 2); }},
  };
  for (const Case& c : cases) {
    Tensor alpha = Tensor::scalar(DType::kFloat64, c.alpha);
    auto v = values(gamma(alpha, kN, {kN}, seeded(5)));
    CHECK(mean(v) == doctest::Approx(c.alpha).epsilon(0.05));
    CHECK(variance(v) == doctest::Approx(c.alpha).epsilon(0.08));
    CHECK(ks_statistic(v, c.cdf) < 1.95);
  }
}

TEST_CASE("random stats: poisson matches Poisson(lambda) in both of TF's regimes") {
  for (double lambda : {3.0, 30.0}) {
    Tensor rate = Tensor::scalar(DType::kFloat64, lambda);
    auto v = values(poisson(rate, kN, {kN}, DType::kInt64, seeded(6)));
    CHECK(mean(v) == doctest::Approx(lambda).epsilon(0.03));
    CHECK(variance(v) == doctest::Approx(lambda).epsilon(0.06));
    auto [stat, df] = chi_square(v, [&](std::int64_t k) { return std::exp(log_pmf_poisson(lambda, k)); },
                                 static_cast<std::int64_t>(lambda * 3 + 10));
    CHECK(stat < chi_square_limit(df));
  }
}

TEST_CASE("random stats: binomial matches B(n, p) for inversion, BTRS and p > 1/2") {
  struct Case {
    double n, p;
  };
  for (Case c : {Case{10, 0.3}, Case{100, 0.4}, Case{50, 0.9}}) {
    Tensor counts = Tensor::scalar(DType::kFloat32, c.n);
    Tensor probs = Tensor::scalar(DType::kFloat32, c.p);
    auto v = values(binomial(counts, probs, {kN}, DType::kInt32, seeded(7)));
    CHECK(mean(v) == doctest::Approx(c.n * c.p).epsilon(0.03));
    CHECK(variance(v) == doctest::Approx(c.n * c.p * (1 - c.p)).epsilon(0.07));
    auto [stat, df] = chi_square(v, [&](std::int64_t k) {
      if (k > c.n) return 0.0;
      double p = static_cast<float>(c.p);
      return std::exp(log_choose(c.n, k) + k * std::log(p) + (c.n - k) * std::log1p(-p));
    }, static_cast<std::int64_t>(c.n));
    CHECK(stat < chi_square_limit(df));
  }
}

TEST_CASE("random stats: multinomial draws classes in proportion to exp(logits)") {
  Tensor logits = Tensor::allocate(DType::kFloat32, {1, 3});
  const double p[3] = {0.2, 0.3, 0.5};
  for (int i = 0; i < 3; ++i) logits.mutable_data<float>()[i] = static_cast<float>(std::log(p[i]));
  auto v = values(multinomial(logits, kN, DType::kInt64, seeded(8)));
  CHECK(mean(v) == doctest::Approx(0.3 + 1.0).epsilon(0.03));
  auto [stat, df] = chi_square(v, [&](std::int64_t k) { return k < 3 ? p[k] : 0.0; }, 2);
  CHECK(stat < chi_square_limit(df));
}

TEST_CASE("random stats: parameterized truncated normal in each of TF's three samplers") {
  struct Case {
    double lo, hi;  // standardized bounds: normal rejection, uniform rejection, exponential
  };
  for (Case c : {Case{-3, 3}, Case{0.5, 1.0}, Case{3, 10}}) {
    Tensor m = Tensor::scalar(DType::kFloat64, 0), s = Tensor::scalar(DType::kFloat64, 1);
    Tensor lo = Tensor::scalar(DType::kFloat64, c.lo), hi = Tensor::scalar(DType::kFloat64, c.hi);
    auto v = values(parameterized_truncated_normal(m, s, lo, hi, {kN}, seeded(9)));
    double z = normal_cdf(c.hi) - normal_cdf(c.lo);
    double pdf_lo = std::exp(-c.lo * c.lo / 2) / std::sqrt(2 * M_PI), pdf_hi = std::exp(-c.hi * c.hi / 2) / std::sqrt(2 * M_PI);
    double expected_mean = (pdf_lo - pdf_hi) / z;
    double expected_var = 1 + (c.lo * pdf_lo - c.hi * pdf_hi) / z - expected_mean * expected_mean;
    CHECK(mean(v) == doctest::Approx(expected_mean).epsilon(0.03).scale(1));
    CHECK(variance(v) == doctest::Approx(expected_var).epsilon(0.06));
    CHECK(ks_statistic(v, [&](double x) { return std::clamp((normal_cdf(x) - normal_cdf(c.lo)) / z, 0.0, 1.0); }) < 1.95);
  }
}

TEST_CASE("random stats: shuffle gives every permutation of four rows equally often") {
  std::map<std::vector<std::int64_t>, double> seen;
  std::vector<double> codes;
  Philox gen = seeded(10);
  for (int i = 0; i < 12000; ++i) {
    Philox g = gen;
    g.skip(static_cast<std::uint64_t>(i));
    std::vector<std::int64_t> p = shuffle_permutation(4, g);
    codes.push_back(static_cast<double>(p[0] * 64 + p[1] * 16 + p[2] * 4 + p[3]));
  }
  std::map<double, int> index;
  std::vector<std::int64_t> perm{0, 1, 2, 3};
  do index[static_cast<double>(perm[0] * 64 + perm[1] * 16 + perm[2] * 4 + perm[3])] = static_cast<int>(index.size());
  while (std::next_permutation(perm.begin(), perm.end()));
  std::vector<double> ranks;
  for (double c : codes) ranks.push_back(index.at(c));
  auto [stat, df] = chi_square(ranks, [](std::int64_t k) { return k < 24 ? 1.0 / 24 : 0.0; }, 23);
  CHECK(df == 23);
  CHECK(stat < chi_square_limit(df));
}

TEST_CASE("random stats: candidate samplers follow their distributions, expected counts are p * n") {
  const std::int64_t range = 10;
  auto frequencies_ok = [&](CandidateSampler s, const std::function<double(std::int64_t)>& pmf) {
    CandidateBatch b = sample_candidates(s, {1}, kN, false, seeded(11));
    std::vector<double> v(b.sampled.begin(), b.sampled.end());
    auto [stat, df] = chi_square(v, pmf, range - 1);
    CHECK(stat < chi_square_limit(df));
    CHECK(b.true_expected[0] == doctest::Approx(pmf(1) * kN).epsilon(1e-5));
  };
  CandidateSampler uniform;
  uniform.range = range;
  frequencies_ok(uniform, [](std::int64_t k) { return k < 10 ? 0.1 : 0.0; });
  CandidateSampler log_uniform;
  log_uniform.kind = CandidateSampler::Kind::kLogUniform;
  log_uniform.range = range;
  frequencies_ok(log_uniform, [](std::int64_t k) { return k < 10 ? std::log((k + 2.0) / (k + 1.0)) / std::log(11.0) : 0.0; });
  CandidateSampler fixed;
  fixed.kind = CandidateSampler::Kind::kFixedUnigram;
  fixed.range = range;
  for (int i = 0; i < range; ++i) fixed.weights.push_back(static_cast<float>(i + 1)), fixed.total_weight += static_cast<float>(i + 1);
  frequencies_ok(fixed, [](std::int64_t k) { return k < 10 ? (k + 1) / 55.0 : 0.0; });
  CandidateSampler learned;
  learned.kind = CandidateSampler::Kind::kLearnedUnigram;
  learned.range = range;
  learned.counts = {1, 1, 1, 1, 1, 1, 1, 1, 1, 11};
  frequencies_ok(learned, [](std::int64_t k) { return k < 9 ? 1 / 20.0 : (k == 9 ? 11 / 20.0 : 0.0); });
}

TEST_CASE("random stats: unique candidates are distinct and use the tries-based expected count") {
  CandidateSampler uniform;
  uniform.range = 10;
  CandidateBatch b = sample_candidates(uniform, {1}, 8, true, seeded(12));
  std::vector<std::int64_t> sorted = b.sampled;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::unique(sorted.begin(), sorted.end()) == sorted.end());
  // With more tries than samples the expected count is 1 - (1 - p)^tries, below 1.
  CHECK(b.sampled_expected[0] > 0.5f);
  CHECK(b.sampled_expected[0] <= 1.0f);
}

}  // namespace
}  // namespace ag::kernels::random
