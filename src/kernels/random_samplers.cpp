// TF's CPU samplers built on Philox: gamma, Poisson, binomial, multinomial (categorical),
// parameterized truncated normal, and the shuffle permutation. Each follows its TF kernel's
// order of draws and counter skips (random_op.cc, stateless_random_gamma_op.cc,
// random_poisson_op.cc, random_binomial_op.cc, multinomial_op.cc,
// parameterized_truncated_normal_op.cc, random_shuffle_op.cc), computed as one shard.
#include <algorithm>
#include <cmath>
#include <limits>

#include "diag/error.h"
#include "kernels/random.h"

namespace ag::kernels::random {
namespace {

constexpr std::uint64_t kReservedSamplesPerOutput = 256;

/// Reads element i of a float16/bfloat16/float32/float64/int tensor as double.
double element(const Tensor& t, std::int64_t i) { return t.element_as_double(i); }

void store(Tensor& out, std::int64_t i, double value) {
  switch (out.dtype()) {
    case DType::kFloat32: out.mutable_data<float>()[i] = static_cast<float>(value); break;
    case DType::kFloat64: out.mutable_data<double>()[i] = value; break;
    case DType::kFloat16: out.mutable_data<std::uint16_t>()[i] = float_to_half(static_cast<float>(value)); break;
    case DType::kBFloat16: out.mutable_data<std::uint16_t>()[i] = float_to_bfloat16(static_cast<float>(value)); break;
    case DType::kInt32: out.mutable_data<std::int32_t>()[i] = static_cast<std::int32_t>(value); break;
    case DType::kInt64: out.mutable_data<std::int64_t>()[i] = static_cast<std::int64_t>(value); break;
    default: throw UserError(ExitCode::kEval, "random: unsupported output dtype " + std::string(dtype_name(out.dtype())));
  }
}

/// Doubles from a Philox stream two per block, consumed from the end of each block first
/// (TF's UNIFORM macro and SampleBuffer hand out samples[N-1], ..., samples[0]).
class DoubleBuffer {
 public:
  enum class Kind { kUniform, kNormal };
  DoubleBuffer(Philox* gen, Kind kind) : gen_(gen), kind_(kind) {}
  double operator()() {
    if (remaining_ == 0) {
      Philox::Block b = gen_->next();
      if (kind_ == Kind::kUniform) {
        values_[0] = uint64_to_double(b[0], b[1]);
        values_[1] = uint64_to_double(b[2], b[3]);
      } else {
        box_muller_double(b[0], b[1], b[2], b[3], &values_[0], &values_[1]);
      }
      remaining_ = 2;
    }
    return values_[--remaining_];
  }

 private:
  Philox* gen_;
  Kind kind_;
  double values_[2] = {0, 0};
  int remaining_ = 0;
};

/// Row-major index of `out_index` (in `out_shape`) into a tensor of shape `in` broadcast to it.
std::int64_t broadcast_source(std::int64_t out_index, const Shape& out_shape, const Shape& in) {
  std::int64_t source = 0;
  std::int64_t stride = 1;
  std::int64_t rest = out_index;
  std::size_t offset = out_shape.size() - in.size();
  for (std::size_t k = out_shape.size(); k-- > 0;) {
    std::int64_t coordinate = rest % out_shape[k];
    rest /= out_shape[k];
    if (k >= offset) {
      std::int64_t dim = in[k - offset];
      if (dim != 1) source += coordinate * stride;
      stride *= dim;
    }
  }
  return source;
}

double stirling_approx_tail(double k) {
  static const double kTailValues[] = {0.0810614667953272,  0.0413406959554092,  0.0276779256849983,
                                       0.02079067210376509, 0.0166446911898211,  0.0138761288230707,
                                       0.0118967099458917,  0.0104112652619720,  0.00925546218271273,
                                       0.00833056343336287};
  if (k <= 9) return kTailValues[static_cast<int>(k)];
  double kp1sq = (k + 1) * (k + 1);
  return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

// Binomial inversion: count geometric waiting times until they pass `count`.
double binomial_inversion(double count, double prob, Philox* gen) {
  DoubleBuffer uniform(gen, DoubleBuffer::Kind::kUniform);
  double geom_sum = 0;
  int num_geom = 0;
  while (true) {
    double u = uniform();
    double geom = std::ceil(std::log(u) / std::log1p(-prob));
    geom_sum += geom;
    if (geom_sum > count) break;
    ++num_geom;
  }
  return num_geom;
}

// Hormann's BTRS transformed rejection, with TF's constants.
double btrs(double count, double prob, Philox* gen) {
  const double stddev = std::sqrt(count * prob * (1 - prob));
  const double b = 1.15 + 2.53 * stddev;
  const double a = -0.0873 + 0.0248 * b + 0.01 * prob;
  const double c = count * prob + 0.5;
  const double v_r = 0.92 - 4.2 / b;
  const double r = prob / (1 - prob);
  const double alpha = (2.83 + 5.1 / b) * stddev;
  const double m = std::floor((count + 1) * prob);
  DoubleBuffer uniform(gen, DoubleBuffer::Kind::kUniform);
  while (true) {
    double u = uniform();
    double v = uniform();
    u = u - 0.5;
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + c);
    if (us >= 0.07 && v <= v_r) return k;
    if (k < 0 || k > count) continue;
    v = std::log(v * alpha / (a / (us * us) + b));
    double upperbound = ((m + 0.5) * std::log((m + 1) / (r * (count - m + 1))) +
                         (count + 1) * std::log((count - m + 1) / (count - k + 1)) +
                         (k + 0.5) * std::log(r * (count - k + 1) / (k + 1)) + stirling_approx_tail(m) +
                         stirling_approx_tail(count - m) - stirling_approx_tail(k) - stirling_approx_tail(count - k));
    if (v <= upperbound) return k;
  }
}

template <class T>
void ptn_fill(const Tensor& means, const Tensor& stddevs, const Tensor& minvals, const Tensor& maxvals,
              const Shape& batch_shape, std::int64_t num_batches, std::int64_t samples_per_batch, Philox gen, T* out) {
  constexpr int kMaxIterations = 1000;
  const T kStdDevsInsideBoundsToUseRandnSampler = T(1.3);
  // Four values per block for float, two for double (TF's Uniform/Normal result counts).
  constexpr int kCount = std::is_same_v<T, float> ? 4 : 2;
  auto uniform_block = [&](T* v) {
    Philox::Block b = gen.next();
    if constexpr (kCount == 4) {
      for (int i = 0; i < 4; ++i) v[i] = uint32_to_float(b[static_cast<std::size_t>(i)]);
    } else {
      v[0] = uint64_to_double(b[0], b[1]);
      v[1] = uint64_to_double(b[2], b[3]);
    }
  };
  auto normal_block = [&](T* v) {
    Philox::Block b = gen.next();
    if constexpr (kCount == 4) {
      box_muller_float(b[0], b[1], &v[0], &v[1]);
      box_muller_float(b[2], b[3], &v[2], &v[3]);
    } else {
      box_muller_double(b[0], b[1], b[2], b[3], &v[0], &v[1]);
    }
  };
  const std::int64_t num_elements = num_batches * samples_per_batch;
  for (std::int64_t output_idx = 0; output_idx < num_elements;) {
    std::int64_t batch_idx = output_idx / samples_per_batch;
    T* batch_out = out + batch_idx;
    auto param = [&](const Tensor& t) {
      return static_cast<T>(t.element_as_double(broadcast_source(batch_idx, batch_shape, t.shape())));
    };
    T mean = param(means), stddev = param(stddevs), minval = param(minvals), maxval = param(maxvals);
    if (!(stddev > T(0) && minval < maxval && (std::isfinite(minval) || std::isfinite(maxval))))
      throw UserError(ExitCode::kEval, "Invalid parameters");
    int num_iterations = 0;
    if ((std::isinf(minval) && minval < T(0)) || maxval < mean) {
      std::swap(minval, maxval);
      stddev = -stddev;
    }
    const T norm_min = (minval - mean) / stddev;
    const T norm_max = (maxval - mean) / stddev;
    const T sqrt_factor = std::sqrt((norm_min * norm_min) + T(4));
    const T cutoff = T(2) * std::exp(T(0.5) + (norm_min * (norm_min - sqrt_factor)) / T(4)) / (norm_min + sqrt_factor);
    const T diff = norm_max - norm_min;
    std::int64_t sample_idx = output_idx % samples_per_batch;
    auto emit = [&](T value) {
      batch_out[sample_idx * num_batches] = value;
      ++sample_idx;
      ++output_idx;
      return sample_idx >= samples_per_batch || output_idx >= num_elements;
    };
    if (((norm_min < -kStdDevsInsideBoundsToUseRandnSampler) && (norm_max >= T(0.))) ||
        ((norm_max > kStdDevsInsideBoundsToUseRandnSampler) && (norm_min <= T(0.)))) {
      bool done = false;
      while (!done) {
        T randn[kCount];
        normal_block(randn);
        for (int i = 0; i < kCount; ++i) {
          if (randn[i] >= norm_min && randn[i] <= norm_max) {
            if ((done = emit(randn[i] * stddev + mean))) break;
            num_iterations = 0;
          } else if (++num_iterations > kMaxIterations) {
            throw UserError(ExitCode::kEval, "TruncatedNormal randn rejection sampler failed to accept a sample.");
          }
        }
      }
    } else if (diff < cutoff) {
      const T plus_factor = (norm_min < T(0)) ? T(0) : norm_min * norm_min;
      bool done = false;
      while (!done) {
        T rand[kCount], z[kCount], g[kCount], u[kCount];
        uniform_block(rand);
        for (int i = 0; i < kCount; ++i) {
          z[i] = rand[i] * diff + norm_min;
          g[i] = (plus_factor - z[i] * z[i]) / T(2.0);
        }
        uniform_block(u);
        for (int i = 0; i < kCount; ++i) {
          bool accept = u[i] <= std::exp(g[i]);
          if (accept || num_iterations + 1 >= kMaxIterations) {
            if (!accept)
              throw UserError(ExitCode::kEval, "TruncatedNormal uniform rejection sampler failed to  accept a sample.");
            if ((done = emit(z[i] * stddev + mean))) break;
            num_iterations = 0;
          } else {
            ++num_iterations;
          }
        }
      }
    } else {
      const T alpha = (norm_min + std::sqrt((norm_min * norm_min) + T(4))) / T(2);
      bool done = false;
      while (!done) {
        T rand[kCount];
        uniform_block(rand);
        for (int i = 0; i < kCount;) {
          const T z = -std::log(rand[i]) / alpha + norm_min;
          ++i;
          const T x = norm_min < alpha ? alpha - z : norm_min - alpha;
          const T g = std::exp(-x * x / T(2.0));
          const T u = rand[i];
          ++i;
          bool accept = (u <= g && z < norm_max);
          if (accept || num_iterations + 1 >= kMaxIterations) {
            if (!accept)
              throw UserError(ExitCode::kEval,
                              "TruncatedNormal exponential distribution rejection sampler failed to accept a sample.");
            if ((done = emit(z * stddev + mean))) break;
            num_iterations = 0;
          } else {
            ++num_iterations;
          }
        }
      }
    }
  }
}

}  // namespace

Tensor gamma(const Tensor& alpha, std::int64_t samples_per_alpha, const Shape& out_shape, Philox rng) {
  Tensor out = Tensor::allocate(alpha.dtype(), out_shape);
  const std::int64_t num_alphas = alpha.size();
  if (out.size() == 0) return out;
  for (std::int64_t output_idx = 0; output_idx < num_alphas * samples_per_alpha; ++output_idx) {
    const std::int64_t alpha_idx = output_idx / samples_per_alpha;
    const std::int64_t sample_idx = output_idx % samples_per_alpha;
    const std::int64_t at = alpha_idx + sample_idx * num_alphas;
    const double a = element(alpha, alpha_idx);
    if (std::isnan(a) || a + (a < 1 ? 2.0 / 3 : -1.0 / 3) <= 0 || std::isinf(a)) {
      // TF's rejection loop never ends for these; give NaN instead of hanging.
      store(out, at, std::nan(""));
      continue;
    }
    Philox gen = rng;
    gen.skip(kReservedSamplesPerOutput * static_cast<std::uint64_t>(output_idx));
    DoubleBuffer uniform(&gen, DoubleBuffer::Kind::kUniform);
    if (a == 1.0) {
      // Exponential: -log1p(-u).
      store(out, at, -std::log1p(-uniform()));
      continue;
    }
    // Marsaglia and Tsang; for alpha < 1, boost to alpha + 1 and scale by u^(1/alpha).
    const bool alpha_less_than_one = a < 1;
    const double d = a + (alpha_less_than_one ? 2.0 / 3 : -1.0 / 3);
    const double c = 1.0 / 3 / std::sqrt(d);
    DoubleBuffer normal(&gen, DoubleBuffer::Kind::kNormal);
    while (true) {
      const double x = normal();
      double v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      double u = uniform();
      if ((u < 1 - 0.0331 * (x * x) * (x * x)) || (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v)))) {
        double res = d * v;
        if (alpha_less_than_one) res *= std::pow(uniform(), 1 / a);
        store(out, at, res);
        break;
      }
    }
  }
  return out;
}

Tensor poisson(const Tensor& rate, std::int64_t samples_per_rate, const Shape& out_shape, DType dtype, Philox rng) {
  Tensor out = Tensor::allocate(dtype, out_shape);
  const std::int64_t num_rate = rate.size();
  if (out.size() == 0) return out;
  const double highest = dtype == DType::kInt32   ? 2147483647.0
                         : dtype == DType::kInt64 ? 9223372036854775807.0
                         : dtype == DType::kFloat16 ? 65504.0
                         : dtype == DType::kFloat32 ? static_cast<double>(std::numeric_limits<float>::max())
                                                    : std::numeric_limits<double>::max();
  for (std::int64_t output_idx = 0; output_idx < num_rate * samples_per_rate; ++output_idx) {
    const std::int64_t rate_idx = output_idx / samples_per_rate;
    const std::int64_t at = rate_idx + (output_idx % samples_per_rate) * num_rate;
    const double lambda = element(rate, rate_idx);
    if (!std::isfinite(lambda))
      throw UserError(ExitCode::kEval, "poisson: the rate must be finite, got " + std::to_string(lambda));
    Philox gen = rng;
    gen.skip(kReservedSamplesPerOutput * static_cast<std::uint64_t>(output_idx));
    DoubleBuffer uniform(&gen, DoubleBuffer::Kind::kUniform);
    if (lambda < 10) {
      // Knuth: multiply uniforms until the product falls below e^-lambda.
      const double exp_neg_rate = std::exp(-lambda);
      double prod = 1;
      double x = 0;
      while (true) {
        prod = prod * uniform();
        if (prod <= exp_neg_rate && x <= highest) {
          store(out, at, x);
          break;
        }
        x += 1;
      }
      continue;
    }
    // Hormann's transformed rejection (PTRS), with TF's constants.
    const double log_rate = std::log(lambda);
    const double b = 0.931 + 2.53 * std::sqrt(lambda);
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    while (true) {
      double u = uniform();
      u -= 0.5;
      double v = uniform();
      double u_shifted = 0.5 - std::fabs(u);
      double k = std::floor((2 * a / u_shifted + b) * u + lambda + 0.43);
      if (k > highest) continue;
      if (u_shifted >= 0.07 && v <= 0.9277 - 3.6224 / (b - 2)) {
        store(out, at, k);
        break;
      }
      if (k < 0 || (u_shifted < 0.013 && v > u_shifted)) continue;
      double s = std::log(v * inv_alpha / (a / (u_shifted * u_shifted) + b));
      double t = -lambda + k * log_rate - std::lgamma(k + 1);
      if (s <= t) {
        store(out, at, k);
        break;
      }
    }
  }
  return out;
}

Tensor binomial(const Tensor& counts, const Tensor& probs, const Shape& out_shape, DType dtype, Philox gen) {
  Shape batch_shape = broadcast_shapes(counts.shape(), probs.shape());
  Tensor out = Tensor::allocate(dtype, out_shape);
  std::int64_t num_batches = shape_size(batch_shape);
  if (out.size() == 0) return out;
  std::int64_t samples_per_batch = out.size() / num_batches;
  // Parameters are compared in their own dtype (T), as TF's kernel does.
  const bool is_float = counts.dtype() == DType::kFloat32;
  auto in_t = [&](double v) { return is_float ? static_cast<double>(static_cast<float>(v)) : v; };
  for (std::int64_t output_idx = 0; output_idx < out.size(); ++output_idx) {
    std::int64_t batch_idx = output_idx / samples_per_batch;
    std::int64_t at = batch_idx + (output_idx % samples_per_batch) * num_batches;
    double count = counts.element_as_double(broadcast_source(batch_idx, batch_shape, counts.shape()));
    double prob = probs.element_as_double(broadcast_source(batch_idx, batch_shape, probs.shape()));
    double value;
    if (!std::isfinite(count)) throw UserError(ExitCode::kEval, "binomial: counts must be finite, got " + std::to_string(count));
    if (count <= 0.0 || prob <= 0.0) {
      value = 0;
    } else if (prob >= 1.0) {
      value = count;
    } else if (prob <= 0.5 || prob > 0.5) {
      bool low = prob <= 0.5;
      double p = low ? prob : in_t(1 - prob);
      Philox g = gen;
      double k;
      if (in_t(count * p) >= 10) {
        g.skip(256 * static_cast<std::uint64_t>(output_idx));
        k = btrs(count, p, &g);
      } else {
        // Inversion needs ~10 draws on average; TF reserves 42 blocks per output.
        g.skip(42 * static_cast<std::uint64_t>(output_idx));
        k = binomial_inversion(count, p, &g);
      }
      value = low ? k : count - k;
    } else {
      value = std::nan("");
    }
    store(out, at, value);
  }
  return out;
}

Tensor multinomial(const Tensor& logits, std::int64_t num_samples, DType dtype, Philox gen) {
  const std::int64_t batch = logits.shape()[0];
  const std::int64_t classes = logits.shape()[1];
  Tensor out = Tensor::allocate(dtype, {batch, num_samples});
  SingleSample single(&gen);
  std::vector<double> cdf(static_cast<std::size_t>(classes));
  for (std::int64_t b = 0; b < batch; ++b) {
    // The largest finite logit, in the logits' own dtype, for stability.
    double max_logit = -std::numeric_limits<double>::max();
    bool any_finite = false;
    for (std::int64_t j = 0; j < classes; ++j) {
      double v = logits.element_as_double(b * classes + j);
      if (std::isfinite(v) && (!any_finite || v > max_logit)) max_logit = v, any_finite = true;
    }
    if (!any_finite) max_logit = logits.dtype() == DType::kFloat32 ? -static_cast<double>(std::numeric_limits<float>::max())
                                                                   : -std::numeric_limits<double>::max();
    double running_total = 0;
    for (std::int64_t j = 0; j < classes; ++j) {
      double v = logits.element_as_double(b * classes + j);
      if (std::isfinite(v)) running_total += std::exp(v - max_logit);
      cdf[static_cast<std::size_t>(j)] = running_total;
    }
    for (std::int64_t j = 0; j < num_samples; ++j) {
      const double to_find = single.rand_double() * running_total;
      auto found = std::upper_bound(cdf.begin(), cdf.end(), to_find);
      store(out, b * num_samples + j, static_cast<double>(found - cdf.begin()));
    }
  }
  return out;
}

Tensor parameterized_truncated_normal(const Tensor& means, const Tensor& stddevs, const Tensor& minvals,
                                      const Tensor& maxvals, const Shape& out_shape, Philox gen) {
  Shape batch_shape = broadcast_shapes(broadcast_shapes(means.shape(), stddevs.shape()),
                                       broadcast_shapes(minvals.shape(), maxvals.shape()));
  Tensor out = Tensor::allocate(means.dtype(), out_shape);
  if (out.size() == 0) return out;
  std::int64_t num_batches = shape_size(batch_shape);
  std::int64_t samples_per_batch = out.size() / num_batches;
  if (means.dtype() == DType::kFloat32) {
    ptn_fill<float>(means, stddevs, minvals, maxvals, batch_shape, num_batches, samples_per_batch, gen, out.mutable_data<float>());
  } else if (means.dtype() == DType::kFloat64) {
    ptn_fill<double>(means, stddevs, minvals, maxvals, batch_shape, num_batches, samples_per_batch, gen, out.mutable_data<double>());
  } else {
    throw UserError(ExitCode::kEval, "parameterized_truncated_normal: dtype " + std::string(dtype_name(means.dtype())) +
                                         " is not supported (float32 or float64)");
  }
  return out;
}

std::vector<std::int64_t> shuffle_permutation(std::int64_t n, Philox gen) {
  std::vector<std::int64_t> permutation(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) permutation[static_cast<std::size_t>(i)] = i;
  SingleSample single(&gen);
  // Fisher-Yates from the front: position i swaps with i + (word % (n - i)).
  for (std::int64_t i = 0; i + 1 < n; ++i) {
    std::uint32_t remaining = static_cast<std::uint32_t>(n - i);
    std::int64_t j = i + static_cast<std::int64_t>(single() % remaining);
    std::swap(permutation[static_cast<std::size_t>(i)], permutation[static_cast<std::size_t>(j)]);
  }
  return permutation;
}

}  // namespace ag::kernels::random
