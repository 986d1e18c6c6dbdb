// Rows of tf.random's candidate samplers: each returns TF's triple (sampled_candidates,
// true_expected_count, sampled_expected_count). Like TF's kernels, a sampler is cached per
// attributes and seeds, so the learned unigram sampler keeps learning from call to call
// (python/ops/candidate_sampling_ops.py, core/kernels/candidate_sampler_ops.cc).
#include <cmath>
#include <map>

#include "diag/error.h"
#include "kernels/random.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/families.h"
#include "ops/random_state.h"

namespace ag {
namespace {

using kernels::random::CandidateSampler;

struct Request {
  std::vector<std::int64_t> true_classes;
  std::int64_t batch = 0;
  std::int64_t num_true = 0;
  std::int64_t num_sampled = 0;
  bool unique = false;
};

Request read_request(const CallArgs& a) {
  Request r;
  r.num_true = a.integer("num_true");
  r.num_sampled = a.integer("num_sampled");
  r.unique = a.boolean("unique");
  if (r.num_true < 1) throw UserError(ExitCode::kEval, "num_true must be at least 1, got " + std::to_string(r.num_true));
  if (r.num_sampled < 1) throw UserError(ExitCode::kEval, "num_sampled must be at least 1, got " + std::to_string(r.num_sampled));
  check_output_shape({r.num_sampled}, DType::kInt64, a.op_name());
  Tensor t = a.tensor("true_classes", DType::kInt64);
  if (t.dtype() != DType::kInt64)
    throw UserError(ExitCode::kEval, "true_classes must be int64, got dtype " + std::string(dtype_name(t.dtype())));
  if (t.rank() != 2) throw UserError(ExitCode::kEval, "true_classes must be a matrix");
  if (t.shape()[1] != r.num_true)
    throw UserError(ExitCode::kEval, "true_classes must have num_true columns, expected: " + std::to_string(t.shape()[1]) +
                                         " was: " + std::to_string(r.num_true));
  r.batch = t.shape()[0];
  r.true_classes.assign(t.data<std::int64_t>(), t.data<std::int64_t>() + t.size());
  return r;
}

Value triple(const Request& r, const kernels::random::CandidateBatch& b) {
  Tensor sampled = Tensor::allocate(DType::kInt64, {r.num_sampled});
  Tensor true_expected = Tensor::allocate(DType::kFloat32, {r.batch, r.num_true});
  Tensor sampled_expected = Tensor::allocate(DType::kFloat32, {r.num_sampled});
  std::copy(b.sampled.begin(), b.sampled.end(), sampled.mutable_data<std::int64_t>());
  std::copy(b.true_expected.begin(), b.true_expected.end(), true_expected.mutable_data<float>());
  std::copy(b.sampled_expected.begin(), b.sampled_expected.end(), sampled_expected.mutable_data<float>());
  return Value::list({Value::of(sampled), Value::of(true_expected), Value::of(sampled_expected)}, ValueKind::kTuple);
}

/// Validation, the generator reservation (2048 words per sampled candidate), and the draw.
Value run_sampler(const CallArgs& a, const std::string& op, CandidateSampler& sampler, const Request& r,
                  std::pair<std::int64_t, std::int64_t> seeds, const std::string& attrs) {
  if (r.unique && r.num_sampled > sampler.range) throw UserError(ExitCode::kEval, "Sampler's range is too small.");
  for (std::int64_t c : r.true_classes)
    if (c < 0 || c >= sampler.range)
      throw UserError(ExitCode::kEval, "`true_candidate` out of range [0, " + std::to_string(sampler.range) + "), received " +
                                           std::to_string(c));
  (void)a;
  const std::uint64_t samples32 = 2048 * static_cast<std::uint64_t>(r.num_sampled);
  kernels::random::Philox gen = reserve_kernel_samples(op + attrs, DType::kInt64, seeds, (samples32 + 3) / 4);
  kernels::random::CandidateBatch batch = kernels::random::sample_candidates(sampler, r.true_classes, r.num_sampled, r.unique, gen);
  if (sampler.kind == CandidateSampler::Kind::kLearnedUnigram) {
    // The learned sampler counts every true class it has seen (up to int32's limit in total).
    std::int64_t total = 0;
    for (std::int32_t c : sampler.counts) total += c;
    std::int64_t room = 2147483647 - total;
    for (std::size_t i = 0; i < r.true_classes.size() && static_cast<std::int64_t>(i) < room; ++i)
      ++sampler.counts[static_cast<std::size_t>(r.true_classes[i])];
  }
  return triple(r, batch);
}

std::string attrs_of(const Request& r, std::int64_t range) {
  return "/" + std::to_string(r.num_true) + "/" + std::to_string(r.num_sampled) + "/" + (r.unique ? "u" : "n") + "/" +
         std::to_string(range);
}

std::int64_t range_max(const CallArgs& a) {
  std::int64_t range = a.integer("range_max");
  if (range <= 0) throw UserError(ExitCode::kEval, "range_max must be positive");
  return range;
}

Value eval_uniform_sampler(CallArgs& a) {
  Request r = read_request(a);
  CandidateSampler s;
  s.kind = CandidateSampler::Kind::kUniform;
  s.range = range_max(a);
  auto seeds = op_seeds(optional_seed(a, "seed"));
  return run_sampler(a, "UniformCandidateSampler", s, r, seeds, attrs_of(r, s.range));
}

Value eval_log_uniform_sampler(CallArgs& a) {
  Request r = read_request(a);
  CandidateSampler s;
  s.kind = CandidateSampler::Kind::kLogUniform;
  s.range = range_max(a);
  auto seeds = op_seeds(optional_seed(a, "seed"));
  return run_sampler(a, "LogUniformCandidateSampler", s, r, seeds, attrs_of(r, s.range));
}

Value eval_learned_unigram_sampler(CallArgs& a) {
  Request r = read_request(a);
  std::int64_t range = range_max(a);
  if (range >= 2147483647)
    throw UserError(ExitCode::kEval, "range_max must be less than 2147483647 for unigram samplers, got " + std::to_string(range));
  check_output_shape({range}, DType::kInt32, "learned_unigram_candidate_sampler");
  auto seeds = op_seeds(optional_seed(a, "seed"));
  // The sampler lives in the cached kernel: one per attributes and seeds.
  static std::map<std::string, CandidateSampler> samplers;
  std::string key = attrs_of(r, range) + "/" + std::to_string(seeds.first) + "/" + std::to_string(seeds.second) + "@" +
                    std::to_string(kernel_cache_epoch());
  auto it = samplers.find(key);
  if (it == samplers.end()) {
    CandidateSampler s;
    s.kind = CandidateSampler::Kind::kLearnedUnigram;
    s.range = range;
    s.counts.assign(static_cast<std::size_t>(range), 1);
    it = samplers.emplace(key, std::move(s)).first;
  }
  return run_sampler(a, "LearnedUnigramCandidateSampler", it->second, r, seeds, attrs_of(r, range));
}

Value eval_fixed_unigram_sampler(CallArgs& a) {
  Request r = read_request(a);
  CandidateSampler s;
  s.kind = CandidateSampler::Kind::kFixedUnigram;
  s.range = range_max(a);
  if (!a.string("vocab_file").empty())
    throw UserError(ExitCode::kEval, "fixed_unigram_candidate_sampler: vocab_file is not supported here; pass unigrams");
  std::vector<float> unigrams;
  const Value& u = a["unigrams"];
  if (u.is_sequence() && u.items.empty()) throw UserError(ExitCode::kEval, "Must provide either vocab_file or unigrams.");
  Tensor t = a.tensor("unigrams", DType::kFloat32);
  for (std::int64_t i = 0; i < t.size(); ++i) unigrams.push_back(static_cast<float>(t.element_as_double(i)));
  const float distortion = static_cast<float>(a.real("distortion"));
  const std::int64_t reserved = a.integer("num_reserved_ids");
  const std::int64_t shards = a.integer("num_shards");
  const std::int64_t shard = a.integer("shard");
  if (shards < 1 || shard < 0 || shard >= shards)
    throw UserError(ExitCode::kEval, "fixed_unigram_candidate_sampler: need 0 <= shard < num_shards");
  for (std::int64_t id = 0; id < reserved; ++id)
    if (id % shards == shard) s.weights.push_back(0.0f);
  std::int64_t id = static_cast<std::int64_t>(s.weights.size());
  for (float w : unigrams) {
    if (id % shards == shard) {
      float distorted = std::pow(w, distortion);
      s.total_weight += distorted;
      s.weights.push_back(distorted);
    }
    ++id;
  }
  if (static_cast<std::int64_t>(s.weights.size()) != s.range)
    throw UserError(ExitCode::kEval, "range is " + std::to_string(s.range) + " must be equal to weights size  " +
                                         std::to_string(s.weights.size()));
  auto seeds = op_seeds(optional_seed(a, "seed"));
  return run_sampler(a, "FixedUnigramCandidateSampler", s, r, seeds, attrs_of(r, s.range));
}

Value eval_all_sampler(CallArgs& a) {
  Request r = read_request(a);
  CandidateSampler s;
  s.kind = CandidateSampler::Kind::kAll;
  s.range = r.num_sampled;
  auto seeds = op_seeds(optional_seed(a, "seed"));
  return run_sampler(a, "AllCandidateSampler", s, r, seeds, attrs_of(r, s.range));
}

const std::vector<OpDef> kRows = {
    {"random.all_candidate_sampler", "", MemberKind::kFunction,
     "all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None)",
     "Generates the set of all classes 0 .. num_sampled - 1 (a test sampler); returns (sampled_candidates, "
     "true_expected_count, sampled_expected_count) with every expected count 1.",
     "random.all_candidate_sampler([[1, 3]], 2, 5, True)", eval_all_sampler},
    {"random.fixed_unigram_candidate_sampler", "", MemberKind::kFunction,
     "fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, vocab_file='', "
     "distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(), seed=None, name=None)",
     "Samples classes from a fixed unigram distribution (unigrams ** distortion); returns (sampled_candidates, "
     "true_expected_count, sampled_expected_count).",
     "random.fixed_unigram_candidate_sampler([[1]], 1, 3, False, 4, unigrams=[1.0, 2.0, 3.0, 4.0], seed=1)",
     eval_fixed_unigram_sampler},
    {"random.learned_unigram_candidate_sampler", "", MemberKind::kFunction,
     "learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None)",
     "Samples classes from the unigram distribution of the true classes seen so far (every class starts at count "
     "1); returns (sampled_candidates, true_expected_count, sampled_expected_count).",
     "random.learned_unigram_candidate_sampler([[1]], 1, 3, False, 5, seed=1)", eval_learned_unigram_sampler},
    {"random.log_uniform_candidate_sampler", "", MemberKind::kFunction,
     "log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None)",
     "Samples classes from a log-uniform (Zipfian) distribution, P(k) = log((k + 2) / (k + 1)) / log(range_max + 1); "
     "returns (sampled_candidates, true_expected_count, sampled_expected_count).",
     "random.log_uniform_candidate_sampler([[1]], 1, 3, True, 10, seed=1)", eval_log_uniform_sampler},
    {"random.uniform_candidate_sampler", "", MemberKind::kFunction,
     "uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None)",
     "Samples classes uniformly from [0, range_max); returns (sampled_candidates, true_expected_count, "
     "sampled_expected_count).",
     "random.uniform_candidate_sampler([[1]], 1, 3, True, 10, seed=1)", eval_uniform_sampler},
};

}  // namespace

const std::vector<OpDef>& random_candidate_ops() { return kRows; }

}  // namespace ag
