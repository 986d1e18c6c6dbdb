// Rows of tf.random (and tf.random.experimental): the stateful ops with TF's seed rules, the
// stateless ops, Generator and Algorithm, and the global-state functions. Samplers of
// candidates are in random_candidates.cpp.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "diag/error.h"
#include "kernels/random.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/families.h"
#include "ops/random_generator.h"
#include "ops/random_sampling.h"
#include "ops/random_state.h"

namespace ag {
namespace {

using kernels::random::Philox;

/// A Python value converted with a dtype hint; tensors keep their own dtype (TF's dtype_hint).
Tensor with_hint(const CallArgs& a, const char* param, DType hint) {
  const Value& v = a[param];
  if (v.is_tensor_like() || v.kind == ValueKind::kNumpy) return a.tensor(param);
  return a.tensor(param, hint);
}

/// The smallest normal number of a float dtype (np.finfo(dtype).tiny).
Tensor finfo_tiny(DType dtype) {
  switch (dtype) {
    case DType::kFloat16: return Tensor::scalar(dtype, std::ldexp(1.0, -14));
    case DType::kBFloat16:
    case DType::kFloat32: return Tensor::scalar(dtype, static_cast<double>(std::numeric_limits<float>::min()));
    default: return Tensor::scalar(DType::kFloat64, std::numeric_limits<double>::min());
  }
}

bool ends_with(const Shape& shape, const Shape& tail) {
  return shape.size() >= tail.size() && std::equal(tail.rbegin(), tail.rend(), shape.rbegin());
}

Shape concat(Shape a, const Shape& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The algorithm argument of a stateless op: only Philox (or auto_select) exists on CPU.
void check_stateless_alg(const CallArgs& a, const std::string& op) {
  int alg = algorithm_from_value(a["alg"]);
  if (alg != kAlgPhilox && alg != kAlgAutoSelect)
    throw UserError(ExitCode::kEval, op + ": Unsupported algorithm id: " + std::to_string(alg));
}

// ---- stateful ops (TF's seed / seed2 attributes and eager kernel cache) -------------------------

Value eval_normal(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  require_float_dtype(dtype, "random.normal");
  Shape shape = random_shape(a, "shape", dtype, "random.normal");
  Value mean = Value::of(to_tensor(a["mean"], dtype, "random.normal"));
  Value stddev = Value::of(to_tensor(a["stddev"], dtype, "random.normal"));
  auto seeds = op_seeds(optional_seed(a, "seed"));
  Philox gen = reserve_kernel_samples("RandomStandardNormal", dtype, seeds, 256 * static_cast<std::uint64_t>(shape_size(shape)));
  return Value::of(scale_and_shift(kernels::random::fill_normal(dtype, shape, gen), stddev, mean, dtype, "random.normal"));
}

Value eval_truncated_normal(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  require_float_dtype(dtype, "random.truncated_normal");
  Shape shape = random_shape(a, "shape", dtype, "random.truncated_normal");
  Value mean = Value::of(to_tensor(a["mean"], dtype, "random.truncated_normal"));
  Value stddev = Value::of(to_tensor(a["stddev"], dtype, "random.truncated_normal"));
  auto seeds = op_seeds(optional_seed(a, "seed"));
  Philox gen = reserve_kernel_samples("TruncatedNormal", dtype, seeds, 256 * static_cast<std::uint64_t>(shape_size(shape)));
  Tensor rnd = kernels::random::fill_truncated_normal(dtype, shape, gen);
  return Value::of(scale_and_shift(rnd, stddev, mean, dtype, "random.truncated_normal"));
}

Value eval_uniform(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  if (!dtype_is_floating(dtype) && dtype != DType::kInt32 && dtype != DType::kInt64)
    throw UserError(ExitCode::kEval, "Argument `dtype` got invalid value tf." + std::string(dtype_name(dtype)) +
                                         ". Accepted dtypes are (tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64).");
  Value minval = a["minval"];
  Value maxval = a["maxval"];
  if (maxval.is_none()) {
    if (dtype_is_integer(dtype)) throw UserError(ExitCode::kEval, "Must specify maxval for integer dtype tf." + std::string(dtype_name(dtype)));
    maxval = Value::of_int(1);
  }
  Shape shape = random_shape(a, "shape", dtype, "random.uniform");
  // TF skips the scaling for the default [0, 1) only when both bounds are the Python ints 0 and 1.
  bool minval_is_zero = minval.kind == ValueKind::kInt && minval.integer == 0;
  bool maxval_is_one = maxval.kind == ValueKind::kInt && maxval.integer == 1;
  Tensor lo, hi;
  if (!minval_is_zero || !maxval_is_one || dtype_is_integer(dtype)) {
    lo = to_tensor(minval, dtype, "random.uniform");
    hi = to_tensor(maxval, dtype, "random.uniform");
  }
  auto seeds = op_seeds(optional_seed(a, "seed"));
  const std::uint64_t reserve = 256 * static_cast<std::uint64_t>(shape_size(shape));
  if (dtype_is_integer(dtype)) {
    if (lo.rank() != 0) throw UserError(ExitCode::kEval, "minval must be 0-D, got shape " + shape_list_str(lo.shape()));
    if (hi.rank() != 0) throw UserError(ExitCode::kEval, "maxval must be 0-D, got shape " + shape_list_str(hi.shape()));
    auto low = static_cast<std::int64_t>(dtype == DType::kInt32 ? lo.data<std::int32_t>()[0] : lo.data<std::int64_t>()[0]);
    auto high = static_cast<std::int64_t>(dtype == DType::kInt32 ? hi.data<std::int32_t>()[0] : hi.data<std::int64_t>()[0]);
    if (shape_size(shape) > 0 && !(low < high))
      throw UserError(ExitCode::kEval, "Need minval < maxval, got " + std::to_string(low) + " >= " + std::to_string(high));
    Philox gen = reserve_kernel_samples("RandomUniformInt", dtype, seeds, reserve);
    if (shape_size(shape) == 0) return Value::of(Tensor::allocate(dtype, shape));
    return Value::of(kernels::random::fill_uniform_int(dtype, shape, low, high, gen));
  }
  Philox gen = reserve_kernel_samples("RandomUniform", dtype, seeds, reserve);
  Tensor result = kernels::random::fill_uniform(dtype, shape, gen);
  if (minval_is_zero) {
    if (!maxval_is_one) result = ops::multiply(result, hi);
  } else {
    result = ops::add(ops::multiply(result, ops::subtract(hi, lo)), lo);
  }
  return Value::of(result);
}

Value eval_gamma(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  if (dtype != DType::kFloat16 && dtype != DType::kFloat32 && dtype != DType::kFloat64)
    throw UserError(ExitCode::kEval, "random.gamma: dtype " + std::string(dtype_name(dtype)) + " is not supported (float16, float32 or float64)");
  Shape shape = random_shape(a, "shape", dtype, "random.gamma");
  Tensor alpha = a.tensor("alpha", dtype);
  Tensor beta = a.is_none("beta") ? Tensor::scalar(dtype, 1) : a.tensor("beta", dtype);
  Shape batch = broadcast_shapes(alpha.shape(), beta.shape());
  Shape out_shape = concat(shape, batch);
  check_output_shape(out_shape, dtype, "random.gamma");
  Tensor alpha_broadcast = ops::broadcast_to(alpha, batch);
  auto seeds = op_seeds(optional_seed(a, "seed"));
  std::int64_t samples = shape_size(shape);
  if (shape_size(out_shape) > 0 && alpha_broadcast.size() == 0)
    throw UserError(ExitCode::kEval, "Input alpha should have non-zero element count, got: 0");
  Philox gen = reserve_kernel_samples("RandomGamma", dtype, seeds, 256 * static_cast<std::uint64_t>(shape_size(out_shape)));
  Tensor draws = kernels::random::gamma(alpha_broadcast, samples, out_shape, gen);
  return Value::of(ops::maximum(finfo_tiny(dtype), ops::divide(draws, beta)));
}

Value eval_poisson(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  if (!dtype_is_floating(dtype) && dtype != DType::kInt32 && dtype != DType::kInt64)
    throw UserError(ExitCode::kEval, "random.poisson: dtype " + std::string(dtype_name(dtype)) + " is not supported");
  Shape shape = random_shape(a, "shape", dtype, "random.poisson");
  // The rate's attribute defaults to float64, so Python numbers become float64.
  Tensor lam = with_hint(a, "lam", DType::kFloat64);
  Shape out_shape = concat(shape, lam.shape());
  check_output_shape(out_shape, dtype, "random.poisson");
  auto seeds = op_seeds(optional_seed(a, "seed"));
  std::int64_t samples = shape_size(shape);
  Philox gen = reserve_kernel_samples("RandomPoissonV2/" + std::string(dtype_name(lam.dtype())), dtype, seeds,
                                      256 * static_cast<std::uint64_t>(samples * lam.size()));
  if (samples == 0) return Value::of(Tensor::allocate(dtype, out_shape));
  return Value::of(kernels::random::poisson(lam, samples, out_shape, dtype, gen));
}

/// Validates categorical's logits and num_samples (TF's Multinomial checks).
std::int64_t categorical_samples(const CallArgs& a, const Tensor& logits) {
  if (logits.rank() != 2) throw UserError(ExitCode::kEval, "logits should be a matrix, got shape " + shape_list_str(logits.shape()));
  std::int64_t num_samples = a.integer("num_samples");
  if (num_samples < 0) throw UserError(ExitCode::kEval, "num_samples should be non-negative, got " + std::to_string(num_samples));
  if (logits.shape()[1] <= 0) throw UserError(ExitCode::kEval, "num_classes should be positive, got " + std::to_string(logits.shape()[1]));
  if (!dtype_is_floating(logits.dtype()))
    throw UserError(ExitCode::kEval, "categorical: logits must be floating, got dtype " + std::string(dtype_name(logits.dtype())));
  return num_samples;
}

DType categorical_dtype(const CallArgs& a, const char* param) {
  DType dtype = a.dtype(param).value_or(DType::kInt64);
  if (dtype != DType::kInt32 && dtype != DType::kInt64)
    throw UserError(ExitCode::kEval, "Argument `dtype` got invalid value tf." + std::string(dtype_name(dtype)) +
                                         ". Accepted dtypes are (tf.int32, tf.int64).");
  return dtype;
}

Value eval_categorical(CallArgs& a) {
  Tensor logits = a.tensor("logits");
  DType dtype = categorical_dtype(a, "dtype");
  std::int64_t num_samples = categorical_samples(a, logits);
  check_output_shape({logits.shape()[0], num_samples}, dtype, "random.categorical");
  auto seeds = op_seeds(optional_seed(a, "seed"));
  // The CPU kernel draws doubles: two words per sample, reserved in multiples of four.
  std::uint64_t reserve = static_cast<std::uint64_t>(logits.shape()[0] * ((num_samples + 3) / 4 * 4) * 2) * 256;
  Philox gen = reserve_kernel_samples("Multinomial/" + std::string(dtype_name(logits.dtype())), dtype, seeds, reserve);
  return Value::of(kernels::random::multinomial(logits, num_samples, dtype, gen));
}

Value eval_shuffle(CallArgs& a) {
  Tensor value = a.tensor("value");
  if (value.rank() == 0) throw UserError(ExitCode::kEval, "input must be at least 1-D, got shape []");
  auto seeds = op_seeds(optional_seed(a, "seed"));
  std::int64_t n = value.shape()[0];
  if (value.size() <= 1 || n <= 1) return Value::of(ops::identity(value));
  Philox gen = reserve_kernel_samples("RandomShuffle", value.dtype(), seeds, static_cast<std::uint64_t>((n - 1 + 3) / 4));
  std::vector<std::int64_t> permutation = kernels::random::shuffle_permutation(n, gen);
  // Gather the rows in permutation order (strided slices of one row each, then a concatenation).
  std::int64_t row = value.size() / n;
  Tensor out;
  if (value.dtype() == DType::kString) {
    std::vector<std::string> strings(static_cast<std::size_t>(value.size()));
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t k = 0; k < row; ++k)
        strings[static_cast<std::size_t>(i * row + k)] = value.strings()[static_cast<std::size_t>(permutation[static_cast<std::size_t>(i)] * row + k)];
    return Value::of(Tensor::from_strings(value.shape(), std::move(strings)));
  }
  out = Tensor::allocate(value.dtype(), value.shape());
  std::size_t bytes = storage_element_size(value.dtype()) * static_cast<std::size_t>(row);
  const auto* in = static_cast<const unsigned char*>(value.raw());
  auto* dst = static_cast<unsigned char*>(out.raw_mutable());
  for (std::int64_t i = 0; i < n; ++i)
    std::copy(in + static_cast<std::size_t>(permutation[static_cast<std::size_t>(i)]) * bytes,
              in + static_cast<std::size_t>(permutation[static_cast<std::size_t>(i)] + 1) * bytes, dst + static_cast<std::size_t>(i) * bytes);
  return Value::of(out);
}

// ---- stateless ops -------------------------------------------------------------------------------

Value eval_stateless_uniform(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  static const DType kAllowed[] = {DType::kFloat16, DType::kBFloat16, DType::kFloat32, DType::kFloat64,
                                   DType::kInt32,   DType::kInt64,    DType::kUInt32,  DType::kUInt64};
  if (std::find(std::begin(kAllowed), std::end(kAllowed), dtype) == std::end(kAllowed))
    throw UserError(ExitCode::kEval, "Invalid dtype tf." + std::string(dtype_name(dtype)));
  check_stateless_alg(a, "stateless_uniform");
  Shape shape = random_shape(a, "shape", dtype, "stateless_uniform");
  Philox gen = stateless_philox(a, "seed", "stateless_uniform");
  return Value::of(uniform_from(gen, shape, dtype, a["minval"], a["maxval"], "stateless_uniform"));
}

template <Tensor (*kFill)(DType, const Shape&, Philox)>
Value eval_stateless_normal_like(CallArgs& a) {
  std::string op = a.op_name();
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  require_float_dtype(dtype, op);
  check_stateless_alg(a, op);
  Shape shape = random_shape(a, "shape", dtype, op);
  Value mean = Value::of(to_tensor(a["mean"], dtype, op));
  Value stddev = Value::of(to_tensor(a["stddev"], dtype, op));
  Philox gen = stateless_philox(a, "seed", op);
  return Value::of(scale_and_shift(kFill(dtype, shape, gen), stddev, mean, dtype, op));
}

Value eval_stateless_binomial(CallArgs& a) {
  DType dtype = a.dtype("output_dtype").value_or(DType::kInt32);
  Shape shape = random_shape(a, "shape", dtype, "stateless_binomial");
  Tensor probs = with_hint(a, "probs", DType::kFloat32);
  Tensor counts = with_hint(a, "counts", probs.dtype());
  if (!dtype_is_floating(probs.dtype()) || counts.dtype() != probs.dtype())
    throw UserError(ExitCode::kEval, "stateless_binomial: counts and probs must be float tensors of one dtype, got " +
                                         std::string(dtype_name(counts.dtype())) + " and " + std::string(dtype_name(probs.dtype())));
  Shape batch = broadcast_shapes(counts.shape(), probs.shape());
  if (!ends_with(shape, batch)) throw UserError(ExitCode::kEval, "Shape passed in must end with broadcasted shape.");
  Philox gen = stateless_philox(a, "seed", "stateless_binomial");
  return Value::of(kernels::random::binomial(counts, probs, shape, dtype, gen));
}

Value eval_stateless_gamma(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  require_float_dtype(dtype, "stateless_gamma");
  Shape shape = random_shape(a, "shape", dtype, "stateless_gamma");
  Tensor alpha = a.tensor("alpha", dtype);
  Tensor beta = a.is_none("beta") ? Tensor::scalar(dtype, 1) : a.tensor("beta", dtype);
  Shape batch = broadcast_shapes(alpha.shape(), beta.shape());
  Tensor alpha_broadcast = ops::broadcast_to(alpha, batch);
  Philox gen = stateless_philox(a, "seed", "stateless_gamma");
  if (!ends_with(shape, batch)) throw UserError(ExitCode::kEval, "Shape passed in must end with broadcasted shape.");
  if (shape_size(shape) == 0) return Value::of(Tensor::allocate(dtype, shape));
  if (alpha_broadcast.size() == 0) throw UserError(ExitCode::kEval, "Input alpha should have non-zero element count, got: 0");
  Tensor draws = kernels::random::gamma(alpha_broadcast, shape_size(shape) / alpha_broadcast.size(), shape, gen);
  return Value::of(ops::maximum(finfo_tiny(dtype), ops::divide(draws, beta)));
}

Value eval_stateless_poisson(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kInt32);
  if (!dtype_is_floating(dtype) && dtype != DType::kInt32 && dtype != DType::kInt64)
    throw UserError(ExitCode::kEval, "stateless_poisson: dtype " + std::string(dtype_name(dtype)) + " is not supported");
  Shape shape = random_shape(a, "shape", dtype, "stateless_poisson");
  Tensor lam = a.tensor("lam");
  if (!dtype_is_floating(lam.dtype()) && !dtype_is_integer(lam.dtype()))
    throw UserError(ExitCode::kEval, "stateless_poisson: lam must be numeric, got dtype " + std::string(dtype_name(lam.dtype())));
  Philox gen = stateless_philox(a, "seed", "stateless_poisson");
  if (!ends_with(shape, lam.shape())) throw UserError(ExitCode::kEval, "Shape passed in must end with broadcasted shape.");
  if (shape_size(shape) == 0) return Value::of(Tensor::allocate(dtype, shape));
  if (lam.size() == 0) throw UserError(ExitCode::kEval, "Input lam should have non-zero element count, got: 0");
  return Value::of(kernels::random::poisson(lam, shape_size(shape) / lam.size(), shape, dtype, gen));
}

Value eval_stateless_categorical(CallArgs& a) {
  Tensor logits = a.tensor("logits");
  DType dtype = categorical_dtype(a, "dtype");
  std::int64_t num_samples = categorical_samples(a, logits);
  check_output_shape({logits.shape()[0], num_samples}, dtype, "stateless_categorical");
  Philox gen = stateless_philox(a, "seed", "stateless_categorical");
  return Value::of(kernels::random::multinomial(logits, num_samples, dtype, gen));
}

Value eval_stateless_ptn(CallArgs& a) {
  Tensor means = a.tensor("means");
  Tensor stddevs = a.tensor("stddevs", means.dtype());
  Tensor minvals = a.tensor("minvals", means.dtype());
  Tensor maxvals = a.tensor("maxvals", means.dtype());
  Shape shape = random_shape(a, "shape", means.dtype(), "stateless_parameterized_truncated_normal");
  Philox gen = stateless_philox(a, "seed", "stateless_parameterized_truncated_normal");
  Shape batch = broadcast_shapes(broadcast_shapes(means.shape(), stddevs.shape()), broadcast_shapes(minvals.shape(), maxvals.shape()));
  if (!ends_with(shape, batch)) throw UserError(ExitCode::kEval, "Shape passed in must end with broadcasted shape.");
  return Value::of(kernels::random::parameterized_truncated_normal(means, stddevs, minvals, maxvals, shape, gen));
}

Value eval_stateless_split(CallArgs& a) {
  check_stateless_alg(a, "stateless_split");
  Tensor seed = a.tensor("seed");
  std::int64_t num = a.integer("num");
  if (num < 0) throw UserError(ExitCode::kEval, "stateless_split: Dimension " + std::to_string(num) + " must be >= 0");
  check_output_shape({num, 2}, seed.dtype(), "stateless_split");
  Philox gen = stateless_philox(a, "seed", "stateless_split");
  return Value::of(kernels::random::fill_uniform_full_int(seed.dtype(), {num, 2}, gen));
}

Value eval_stateless_fold_in(CallArgs& a) {
  check_stateless_alg(a, "stateless_fold_in");
  Tensor data = a.tensor("data");
  if (data.rank() != 0 || (data.dtype() != DType::kInt32 && data.dtype() != DType::kInt64))
    throw UserError(ExitCode::kEval, "stateless_fold_in: data must be an int32 or int64 scalar, got shape " +
                                         shape_list_str(data.shape()) + " and dtype " + std::string(dtype_name(data.dtype())));
  Philox gen = stateless_philox(a, "seed", "stateless_fold_in");
  Tensor first = kernels::random::fill_uniform_full_int(data.dtype(), {}, gen);
  Tensor out = Tensor::allocate(data.dtype(), {2});
  if (data.dtype() == DType::kInt32) {
    out.mutable_data<std::int32_t>()[0] = first.data<std::int32_t>()[0];
    out.mutable_data<std::int32_t>()[1] = data.data<std::int32_t>()[0];
  } else {
    out.mutable_data<std::int64_t>()[0] = first.data<std::int64_t>()[0];
    out.mutable_data<std::int64_t>()[1] = data.data<std::int64_t>()[0];
  }
  return Value::of(out);
}

// ---- global state, Generator, Algorithm -----------------------------------------------------------

Value eval_set_seed(CallArgs& a) {
  set_global_seed(a.integer("seed"));
  return Value::none();
}

Value eval_get_global_generator(CallArgs&) { return global_generator(); }

Value eval_set_global_generator(CallArgs& a) {
  if (a["generator"].kind != ValueKind::kGenerator)
    throw UserError(ExitCode::kEval, "set_global_generator: expected a tf.random.Generator, got " + value_type_name(a["generator"]));
  set_global_generator(a["generator"]);
  return Value::none();
}

Value eval_create_rng_state(CallArgs& a) {
  return Value::of(state_tensor(rng_state_from_seed(a["seed"], algorithm_from_value(a["alg"]))));
}

Value eval_generator_class(CallArgs& a) {
  if (!a.is_none("copy_from")) {
    const Value& from = a["copy_from"];
    if (from.kind != ValueKind::kGenerator)
      throw UserError(ExitCode::kEval, "Generator(copy_from=...) expects a Generator, got " + value_type_name(from));
    if (!a.is_none("state") || !a.is_none("alg"))
      throw UserError(ExitCode::kEval, "Generator(): copy_from excludes state and alg");
    const Tensor& state = from.generator->state->value;
    return make_generator(std::vector<std::int64_t>(state.data<std::int64_t>(), state.data<std::int64_t>() + state.size()),
                          from.generator->algorithm);
  }
  if (a.is_none("state") || a.is_none("alg"))
    throw UserError(ExitCode::kEval, "Generator(): give state and alg together (or copy_from); see Generator.from_seed");
  int alg = algorithm_from_value(a["alg"]);
  std::vector<std::int64_t> words;
  Tensor state = to_tensor(a["state"], std::nullopt, "Generator");
  for (std::int64_t i = 0; i < state.size(); ++i)
    words.push_back(state.dtype() == DType::kInt64 ? state.data<std::int64_t>()[i] : static_cast<std::int64_t>(state.element_as_double(i)));
  if (state.rank() != 1)
    throw UserError(ExitCode::kEval, "Shapes " + shape_str(state.shape()) + " and (" + std::to_string(alg == kAlgThreefry ? 2 : 3) + ",) are incompatible");
  return make_generator(words, alg);
}

Value eval_algorithm_class(CallArgs& a) {
  const Value& value = a["value"];
  if (value.kind == ValueKind::kAlgorithm) return value;
  if (value.kind == ValueKind::kInt && value.integer >= kAlgPhilox && value.integer <= kAlgAutoSelect) {
    Value v;
    v.kind = ValueKind::kAlgorithm;
    v.integer = value.integer;
    return v;
  }
  throw UserError(ExitCode::kEval, (value.kind == ValueKind::kInt ? std::to_string(value.integer) : value_type_name(value)) +
                                       " is not a valid Algorithm");
}

const std::vector<OpDef> kRows = {
    {"random.Algorithm", "random.experimental.Algorithm", MemberKind::kClass, "Algorithm(value)",
     "The RNG algorithms of tf.random.Generator and the stateless ops: PHILOX (1), THREEFRY (2) and AUTO_SELECT (3). On "
     "CPU, TF generates numbers with Philox only.",
     "random.Algorithm.PHILOX", eval_algorithm_class},
    {"random.Generator", "random.experimental.Generator", MemberKind::kClass, "Generator(copy_from=None, state=None, alg=None)",
     "A random-number generator whose state is a tf.Variable: each call advances it. Make one with Generator.from_seed, "
     "from_state or from_key_counter; its methods normal, uniform, truncated_normal, binomial, make_seeds and split give "
     "the numbers TF gives.",
     "random.Generator.from_seed(1234).normal([2, 3])", eval_generator_class},
    {"random.categorical", "", MemberKind::kFunction, "categorical(logits, num_samples, dtype=None, seed=None, name=None)",
     "Draws num_samples class indices per row of the 2-D logits (unnormalized log-probabilities); int64 unless dtype "
     "says int32.",
     "random.categorical(math.log([[0.5, 0.5]]), 5, seed=7)", eval_categorical},
    {"random.create_rng_state", "random.experimental.create_rng_state", MemberKind::kFunction, "create_rng_state(seed, alg)",
     "Creates an RNG state (an int64 vector whose size depends on the algorithm) from an integer or a vector seed.",
     "random.create_rng_state(1234, 'philox')", eval_create_rng_state},
    {"random.gamma", "", MemberKind::kFunction, "gamma(shape, alpha, beta=None, dtype=float32, seed=None, name=None)",
     "Draws shape samples from each Gamma(alpha, beta) distribution; the result has shape shape + broadcast(alpha, beta).",
     "random.gamma([3], [0.5, 1.5], seed=1)", eval_gamma},
    {"random.get_global_generator", "random.experimental.get_global_generator", MemberKind::kFunction,
     "get_global_generator()",
     "Returns the global Generator, created from a non-deterministic state on first use.",
     "random.get_global_generator().normal([2]).shape", eval_get_global_generator},
    {"random.normal", "", MemberKind::kFunction, "normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None)",
     "Outputs random values from a normal distribution; with tf.random.set_seed and/or seed the sequence repeats.",
     "random.normal([2, 2], seed=1)", eval_normal},
    {"random.poisson", "", MemberKind::kFunction, "poisson(shape, lam, dtype=float32, seed=None, name=None)",
     "Draws shape samples from each Poisson(lam) distribution; the result has shape shape + lam.shape.",
     "random.poisson([4], [0.5, 12.0], seed=1)", eval_poisson},
    {"random.set_global_generator", "random.experimental.set_global_generator", MemberKind::kFunction,
     "set_global_generator(generator)", "Replaces the global Generator with another Generator object.",
     "random.set_global_generator(random.Generator.from_seed(1))", eval_set_global_generator},
    {"random.set_seed", "", MemberKind::kFunction, "set_seed(seed)",
     "Sets the global random seed: ops without an op seed then get a deterministic sequence of op seeds, and every "
     "seeded op starts its sequence again.",
     "random.set_seed(5)", eval_set_seed},
    {"random.shuffle", "", MemberKind::kFunction, "shuffle(value, seed=None, name=None)",
     "Randomly shuffles a tensor along its first dimension.", "random.shuffle([1, 2, 3, 4], seed=1)", eval_shuffle},
    {"random.stateless_binomial", "", MemberKind::kFunction,
     "stateless_binomial(shape, seed, counts, probs, output_dtype=int32, name=None)",
     "Deterministic binomial samples for a [2] seed; counts and probs broadcast to the trailing dimensions of shape.",
     "random.stateless_binomial([2], [123, 456], [10.0, 20.0], [0.8])", eval_stateless_binomial},
    {"random.stateless_categorical", "", MemberKind::kFunction,
     "stateless_categorical(logits, num_samples, seed, dtype=int64, name=None)",
     "Deterministic categorical samples for a [2] seed from 2-D logits.",
     "random.stateless_categorical(math.log([[0.5, 0.5]]), 5, seed=[7, 17])", eval_stateless_categorical},
    {"random.stateless_gamma", "", MemberKind::kFunction, "stateless_gamma(shape, seed, alpha, beta=None, dtype=float32, name=None)",
     "Deterministic Gamma samples for a [2] seed; alpha and beta broadcast to the trailing dimensions of shape.",
     "random.stateless_gamma([3, 2], seed=[12, 34], alpha=[0.5, 1.5])", eval_stateless_gamma},
    {"random.stateless_normal", "", MemberKind::kFunction,
     "stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=float32, name=None, alg='auto_select')",
     "Deterministic normal samples: the same seed and shape give the same numbers.",
     "random.stateless_normal([3], seed=[1, 2])", eval_stateless_normal_like<kernels::random::fill_normal>},
    {"random.stateless_parameterized_truncated_normal", "", MemberKind::kFunction,
     "stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0, name=None)",
     "Deterministic truncated-normal samples with per-batch means, stddevs and bounds that broadcast to the trailing "
     "dimensions of shape.",
     "random.stateless_parameterized_truncated_normal([3], seed=[7, 17], minvals=-1.0, maxvals=1.0)", eval_stateless_ptn},
    {"random.stateless_poisson", "", MemberKind::kFunction, "stateless_poisson(shape, seed, lam, dtype=int32, name=None)",
     "Deterministic Poisson samples for a [2] seed; lam must match the trailing dimensions of shape.",
     "random.stateless_poisson([3, 2], seed=[12, 34], lam=[5, 15])", eval_stateless_poisson},
    {"random.stateless_truncated_normal", "", MemberKind::kFunction,
     "stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=float32, name=None, alg='auto_select')",
     "Deterministic truncated-normal samples: values more than two stddevs from the mean are re-drawn.",
     "random.stateless_truncated_normal([3], seed=[1, 2])", eval_stateless_normal_like<kernels::random::fill_truncated_normal>},
    {"random.stateless_uniform", "", MemberKind::kFunction,
     "stateless_uniform(shape, seed, minval=0, maxval=None, dtype=float32, name=None, alg='auto_select')",
     "Deterministic uniform samples in [minval, maxval); integers need both bounds, or neither for the full range.",
     "random.stateless_uniform([3], seed=[1, 2])", eval_stateless_uniform},
    {"random.truncated_normal", "", MemberKind::kFunction,
     "truncated_normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None)",
     "Outputs normal values, re-drawing those more than two standard deviations from the mean.",
     "random.truncated_normal([3], seed=1)", eval_truncated_normal},
    {"random.uniform", "", MemberKind::kFunction, "uniform(shape, minval=0, maxval=None, dtype=float32, seed=None, name=None)",
     "Outputs random values from a uniform distribution in [minval, maxval); integer dtypes need maxval.",
     "random.uniform([], maxval=3, dtype=int32, seed=10)", eval_uniform},
    {"random.experimental.stateless_split", "", MemberKind::kFunction, "stateless_split(seed, num=2, alg='auto_select')",
     "Splits an RNG seed into num new seeds by adding a leading axis (shape [num, 2], the seed's dtype).",
     "random.experimental.stateless_split([1, 2], num=3)", eval_stateless_split},
    {"random.experimental.stateless_fold_in", "", MemberKind::kFunction, "stateless_fold_in(seed, data, alg='auto_select')",
     "Folds an integer into an RNG seed, giving a new seed (e.g. a replica seed from a master seed).",
     "random.experimental.stateless_fold_in([1, 2], 3)", eval_stateless_fold_in},
};

}  // namespace

const std::vector<OpDef>& random_ops() { return kRows; }

}  // namespace ag
