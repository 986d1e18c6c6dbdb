// tf.random.Generator objects and tf.random.Algorithm members: construction from seeds, states
// and key/counter pairs, the state variable's Philox layout, and every method, each bound like a
// catalog row through its own signature (python/ops/stateful_random_ops.py).
#include "ops/random_generator.h"

#include <map>

#include "diag/error.h"
#include "diag/spellcheck.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/catalog.h"
#include "ops/convert.h"
#include "ops/random_sampling.h"
#include "ops/random_state.h"

namespace ag {
namespace {

using kernels::random::Philox;

int state_size(int algorithm) {
  if (algorithm == kAlgPhilox || algorithm == kAlgAutoSelect) return 3;
  if (algorithm == kAlgThreefry) return 2;
  throw UserError(ExitCode::kEval, "Unsupported algorithm id: " + std::to_string(algorithm));
}

std::vector<std::int64_t> words_of(const Tensor& t) {
  std::vector<std::int64_t> words;
  for (std::int64_t i = 0; i < t.size(); ++i) {
    if (t.dtype() == DType::kInt64) words.push_back(t.data<std::int64_t>()[i]);
    else if (t.dtype() == DType::kUInt64) words.push_back(static_cast<std::int64_t>(t.data<std::uint64_t>()[i]));
    else words.push_back(static_cast<std::int64_t>(t.element_as_double(i)));
  }
  return words;
}

/// TF's _convert_to_state_tensor: any ints, cast to int64.
Tensor state_words_tensor(const Value& value, const char* what) {
  Tensor t = to_tensor(value, std::nullopt, what);
  if (!dtype_is_integer(t.dtype()))
    throw UserError(ExitCode::kEval, std::string(what) + ": an RNG state must be integers, got dtype " + std::string(dtype_name(t.dtype())));
  return state_tensor(words_of(t)).reshaped(t.shape());
}

void check_state_shape(const Tensor& state, int algorithm) {
  Shape expected{state_size(algorithm)};
  if (state.shape() != expected)
    throw UserError(ExitCode::kEval, "Shapes " + shape_str(state.shape()) + " and " + shape_str(expected) + " are incompatible");
}

GeneratorState& self_generator(const CallArgs& a) { return *a["self"].generator; }

Value method_value(const Value& self, const std::string& name) {
  Value v;
  v.kind = ValueKind::kMethod;
  v.method = std::make_shared<BoundMethod>(BoundMethod{std::make_shared<Value>(self), name});
  return v;
}

// ---- Generator methods ------------------------------------------------------------------------

DType float_dtype(const CallArgs& a, const std::string& op) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  require_float_dtype(dtype, op);
  return dtype;
}

Value gen_normal(CallArgs& a) {
  DType dtype = float_dtype(a, "Generator.normal");
  Shape shape = random_shape(a, "shape", dtype, "Generator.normal");
  Value mean = Value::of(to_tensor(a["mean"], dtype, "Generator.normal"));
  Value stddev = Value::of(to_tensor(a["stddev"], dtype, "Generator.normal"));
  Philox gen = generator_read_and_skip(self_generator(a), static_cast<std::uint64_t>(shape_size(shape)));
  return Value::of(scale_and_shift(kernels::random::fill_normal(dtype, shape, gen), stddev, mean, dtype, "Generator.normal"));
}

Value gen_truncated_normal(CallArgs& a) {
  DType dtype = float_dtype(a, "Generator.truncated_normal");
  Shape shape = random_shape(a, "shape", dtype, "Generator.truncated_normal");
  Value mean = Value::of(to_tensor(a["mean"], dtype, "Generator.truncated_normal"));
  Value stddev = Value::of(to_tensor(a["stddev"], dtype, "Generator.truncated_normal"));
  Philox gen = generator_read_and_skip(self_generator(a), static_cast<std::uint64_t>(shape_size(shape)));
  Tensor rnd = kernels::random::fill_truncated_normal(dtype, shape, gen);
  return Value::of(scale_and_shift(rnd, stddev, mean, dtype, "Generator.truncated_normal"));
}

Value gen_uniform(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kFloat32);
  Shape shape = random_shape(a, "shape", dtype, "Generator.uniform");
  Value minval = a["minval"], maxval = a["maxval"];
  if (dtype_is_integer(dtype) && minval.is_none() != maxval.is_none())
    throw UserError(ExitCode::kEval, "For integer dtype " + std::string(dtype_name(dtype)) +
                                         ", minval and maxval must be both `None` or both non-`None`; got minval=" +
                                         (minval.is_none() ? "None" : "a value") + " and maxval=" + (maxval.is_none() ? "None" : "a value"));
  if (!dtype_is_integer(dtype)) require_float_dtype(dtype, "Generator.uniform");
  if (dtype_is_integer(dtype) && !minval.is_none()) {
    // Validate the bounds before the state moves.
    Tensor lo = to_tensor(minval, dtype, "Generator.uniform"), hi = to_tensor(maxval, dtype, "Generator.uniform");
    if (lo.rank() == 0 && hi.rank() == 0 && shape_size(shape) > 0 && !(lo.element_as_double(0) < hi.element_as_double(0)))
      throw UserError(ExitCode::kEval, "Need minval < maxval, got " + std::to_string(static_cast<std::int64_t>(lo.element_as_double(0))) +
                                           " >= " + std::to_string(static_cast<std::int64_t>(hi.element_as_double(0))));
  }
  Philox gen = generator_read_and_skip(self_generator(a), static_cast<std::uint64_t>(shape_size(shape)));
  return Value::of(uniform_from(gen, shape, dtype, minval, maxval, "Generator.uniform"));
}

Value gen_uniform_full_int(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kUInt64);
  Shape shape = random_shape(a, "shape", dtype, "Generator.uniform_full_int");
  Philox gen = generator_read_and_skip(self_generator(a), static_cast<std::uint64_t>(shape_size(shape)));
  return Value::of(kernels::random::fill_uniform_full_int(dtype, shape, gen));
}

Value gen_binomial(CallArgs& a) {
  DType dtype = a.dtype("dtype").value_or(DType::kInt32);
  Tensor counts = a.tensor("counts");
  Tensor probs = a.tensor("probs");
  if (!dtype_is_floating(counts.dtype()) || counts.dtype() != probs.dtype())
    throw UserError(ExitCode::kEval, "Generator.binomial: counts and probs must be float tensors of one dtype, got " +
                                         std::string(dtype_name(counts.dtype())) + " and " + std::string(dtype_name(probs.dtype())));
  Shape shape = random_shape(a, "shape", dtype, "Generator.binomial");
  Shape batch = broadcast_shapes(counts.shape(), probs.shape());
  bool ends_with = shape.size() >= batch.size() && std::equal(batch.rbegin(), batch.rend(), shape.rbegin());
  if (!ends_with) throw UserError(ExitCode::kEval, "Shape passed in must end with broadcasted shape.");
  std::int64_t num_batches = shape_size(batch);
  std::int64_t samples_per_batch = num_batches == 0 ? 0 : shape_size(shape) / num_batches;
  GeneratorState& g = self_generator(a);
  // TF advances the state by num_batches * 2 * 100 * ceil4(samples) / 4 outputs.
  Philox gen = generator_read_and_skip(g, static_cast<std::uint64_t>(num_batches * 2 * 100 * (samples_per_batch + 3) / 4));
  return Value::of(kernels::random::binomial(counts, probs, shape, dtype, gen));
}

Tensor int64_keys(GeneratorState& g, std::int64_t count) {
  Philox gen = generator_read_and_skip(g, static_cast<std::uint64_t>(count));
  return kernels::random::fill_uniform_full_int(DType::kInt64, {count}, gen);
}

Value gen_make_seeds(CallArgs& a) {
  std::int64_t count = a.integer("count");
  if (count < 0) throw UserError(ExitCode::kEval, "make_seeds: count must be non-negative, got " + std::to_string(count));
  check_output_shape({2, count}, DType::kInt64, "make_seeds");
  Tensor keys = int64_keys(self_generator(a), count);
  Tensor seeds = Tensor::allocate(DType::kInt64, {2, count});
  for (std::int64_t i = 0; i < count; ++i) {
    seeds.mutable_data<std::int64_t>()[i] = keys.data<std::int64_t>()[i];
    seeds.mutable_data<std::int64_t>()[count + i] = 0;
  }
  return Value::of(seeds);
}

Value gen_split(CallArgs& a) {
  std::int64_t count = a.integer("count");
  if (count < 0 || count > 100000)
    throw UserError(ExitCode::kEval, "split: count must be between 0 and 100000, got " + std::to_string(count));
  GeneratorState& g = self_generator(a);
  Tensor keys = int64_keys(g, count);
  std::vector<Value> generators;
  for (std::int64_t i = 0; i < count; ++i) {
    std::vector<std::int64_t> state(static_cast<std::size_t>(state_size(g.algorithm) - 1), 0);
    state.push_back(keys.data<std::int64_t>()[i]);
    generators.push_back(make_generator(state, g.algorithm));
  }
  return Value::list(std::move(generators));
}

Value gen_skip(CallArgs& a) {
  std::int64_t delta = a.integer("delta");
  generator_read_and_skip(self_generator(a), static_cast<std::uint64_t>(delta));
  return Value::of(self_generator(a).state->value);
}

Value gen_reset(CallArgs& a) {
  GeneratorState& g = self_generator(a);
  Tensor state = state_words_tensor(a["state"], "Generator.reset");
  check_state_shape(state, g.algorithm);
  g.state->value = state;
  return Value::none();
}

Value gen_reset_from_seed(CallArgs& a) {
  GeneratorState& g = self_generator(a);
  g.state->value = state_tensor(rng_state_from_seed(a["seed"], g.algorithm));
  return Value::none();
}

Tensor key_counter_state(const Value& key, const Value& counter, int algorithm) {
  Tensor c = state_words_tensor(counter, "from_key_counter");
  Tensor k = state_words_tensor(key, "from_key_counter");
  Shape expected_counter{state_size(algorithm) - 1};
  if (c.shape() != expected_counter)
    throw UserError(ExitCode::kEval, "Shapes " + shape_str(c.shape()) + " and " + shape_str(expected_counter) + " are incompatible");
  if (k.rank() != 0) throw UserError(ExitCode::kEval, "Shapes " + shape_str(k.shape()) + " and () are incompatible");
  std::vector<std::int64_t> words = words_of(c);
  words.push_back(k.data<std::int64_t>()[0]);
  return state_tensor(words);
}

Value gen_reset_from_key_counter(CallArgs& a) {
  GeneratorState& g = self_generator(a);
  g.state->value = key_counter_state(a["key"], a["counter"], g.algorithm);
  return Value::none();
}

// ---- Generator's class methods ----------------------------------------------------------------

int optional_algorithm(const CallArgs& a) { return a.is_none("alg") ? kAlgPhilox : algorithm_from_value(a["alg"]); }

Value gen_from_seed(CallArgs& a) {
  int alg = optional_algorithm(a);
  return make_generator(rng_state_from_seed(a["seed"], alg), alg);
}

Value gen_from_state(CallArgs& a) {
  int alg = algorithm_from_value(a["alg"]);
  const Value& state = a["state"];
  if (state.kind == ValueKind::kVariable) {
    // A variable is used as the state itself, not copied.
    check_state_shape(state.variable->value, alg);
    if (state.variable->value.dtype() != DType::kInt64)
      throw UserError(ExitCode::kEval, "dtype of RNG state variable must be int64, not " +
                                           std::string(dtype_name(state.variable->value.dtype())));
    Value v = make_generator({0, 0, 0}, alg);
    v.generator->state = state.variable;
    return v;
  }
  Tensor words = state_words_tensor(state, "Generator.from_state");
  check_state_shape(words, alg);
  return make_generator(words_of(words), alg);
}

Value gen_from_key_counter(CallArgs& a) {
  int alg = algorithm_from_value(a["alg"]);
  return make_generator(words_of(key_counter_state(a["key"], a["counter"], alg)), alg);
}

Value gen_from_non_deterministic_state(CallArgs& a) {
  int alg = optional_algorithm(a);
  std::vector<std::int64_t> words;
  for (int i = 0; i < state_size(alg); ++i) words.push_back(static_cast<std::int64_t>(nondeterministic_u64()));
  return make_generator(words, alg);
}

/// Methods are bound like catalog rows: `self` first, then TF's parameters and defaults.
const std::vector<OpDef>& generator_methods() {
  static const std::vector<OpDef> kMethods = {
      {"normal", "", MemberKind::kFunction, "normal(self, shape, mean=0.0, stddev=1.0, dtype=float32, name=None)", "", "", gen_normal},
      {"uniform", "", MemberKind::kFunction, "uniform(self, shape, minval=0, maxval=None, dtype=float32, name=None)", "", "", gen_uniform},
      {"truncated_normal", "", MemberKind::kFunction,
       "truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=float32, name=None)", "", "", gen_truncated_normal},
      {"uniform_full_int", "", MemberKind::kFunction, "uniform_full_int(self, shape, dtype=uint64, name=None)", "", "",
       gen_uniform_full_int},
      {"binomial", "", MemberKind::kFunction, "binomial(self, shape, counts, probs, dtype=int32, name=None)", "", "", gen_binomial},
      {"make_seeds", "", MemberKind::kFunction, "make_seeds(self, count=1)", "", "", gen_make_seeds},
      {"split", "", MemberKind::kFunction, "split(self, count=1)", "", "", gen_split},
      {"skip", "", MemberKind::kFunction, "skip(self, delta)", "", "", gen_skip},
      {"reset", "", MemberKind::kFunction, "reset(self, state)", "", "", gen_reset},
      {"reset_from_seed", "", MemberKind::kFunction, "reset_from_seed(self, seed)", "", "", gen_reset_from_seed},
      {"reset_from_key_counter", "", MemberKind::kFunction, "reset_from_key_counter(self, key, counter)", "", "",
       gen_reset_from_key_counter},
  };
  return kMethods;
}

const std::vector<OpDef>& generator_class_methods() {
  static const std::vector<OpDef> kClassMethods = {
      {"from_seed", "", MemberKind::kFunction, "from_seed(seed, alg=None)", "", "", gen_from_seed},
      {"from_state", "", MemberKind::kFunction, "from_state(state, alg)", "", "", gen_from_state},
      {"from_key_counter", "", MemberKind::kFunction, "from_key_counter(key, counter, alg)", "", "", gen_from_key_counter},
      {"from_non_deterministic_state", "", MemberKind::kFunction, "from_non_deterministic_state(alg=None)", "", "",
       gen_from_non_deterministic_state},
  };
  return kClassMethods;
}

const OpDef* find_in(const std::vector<OpDef>& rows, const std::string& name) {
  for (const OpDef& row : rows)
    if (row.path == name) return &row;
  return nullptr;
}

std::vector<std::string> names_of(const std::vector<OpDef>& rows, std::vector<std::string> extra) {
  for (const OpDef& row : rows) extra.emplace_back(row.path);
  return extra;
}

bool is_class(const Value& value, std::string_view path) {
  return value.kind == ValueKind::kFunction && value.function != nullptr && value.function->path == path;
}

[[noreturn]] void no_attribute(const std::string& type, const std::string& name, const std::vector<std::string>& known) {
  throw UserError(ExitCode::kEval, "'" + type + "' object has no attribute '" + name + "'" + did_you_mean(name, known));
}

}  // namespace

Tensor state_tensor(const std::vector<std::int64_t>& words) {
  Tensor t = Tensor::allocate(DType::kInt64, {static_cast<std::int64_t>(words.size())});
  for (std::size_t i = 0; i < words.size(); ++i) t.mutable_data<std::int64_t>()[i] = words[i];
  return t;
}

Value make_generator(const std::vector<std::int64_t>& state, int algorithm) {
  static std::uint64_t serial = 0;
  auto variable = std::make_shared<VariableState>();
  variable->name = "Variable";
  variable->trainable = false;
  variable->value = state_tensor(state);
  check_state_shape(variable->value, algorithm);
  Value v;
  v.kind = ValueKind::kGenerator;
  v.generator = std::make_shared<GeneratorState>(GeneratorState{algorithm, std::move(variable), ++serial});
  return v;
}

int algorithm_from_value(const Value& alg) {
  switch (alg.kind) {
    case ValueKind::kInt: return static_cast<int>(alg.integer);
    case ValueKind::kAlgorithm: return static_cast<int>(alg.integer);
    case ValueKind::kTensor:
      if (alg.tensor.rank() == 0 && dtype_is_integer(alg.tensor.dtype())) return static_cast<int>(alg.tensor.element_as_double(0));
      break;
    case ValueKind::kString:
      if (alg.text == "philox") return kAlgPhilox;
      if (alg.text == "threefry") return kAlgThreefry;
      if (alg.text == "auto_select") return kAlgAutoSelect;
      throw UserError(ExitCode::kEval, "Unknown algorithm name: " + alg.text + did_you_mean(alg.text, {"philox", "threefry", "auto_select"}));
    default: break;
  }
  throw UserError(ExitCode::kEval, "Can't convert algorithm of type " + value_type_name(alg) + " to int");
}

std::vector<std::int64_t> rng_state_from_seed(const Value& seed, int algorithm) {
  const std::size_t size = static_cast<std::size_t>(state_size(algorithm));
  std::vector<std::int64_t> words;
  if (seed.kind == ValueKind::kInt || seed.kind == ValueKind::kBool) {
    // A Python int is chopped into 64-bit words, least significant first (a negative int is
    // sign-extended: its higher words are all ones).
    std::int64_t value = seed.kind == ValueKind::kBool ? seed.boolean : seed.integer;
    for (std::size_t i = 0; i < size; ++i) words.push_back(i == 0 ? value : (value < 0 ? -1 : 0));
    return words;
  }
  Tensor t = to_tensor(seed, std::nullopt, "create_rng_state");
  if (!dtype_is_integer(t.dtype()))
    throw UserError(ExitCode::kEval, "create_rng_state: a seed must be an int or a vector of ints, got dtype " +
                                         std::string(dtype_name(t.dtype())));
  words = words_of(t);
  if (words.size() > size) words.resize(size);
  // Padding goes on the left, so a short seed fills the key rather than the counter.
  words.insert(words.begin(), size - words.size(), 0);
  return words;
}

Philox generator_read_and_skip(GeneratorState& generator, std::uint64_t delta) {
  if (generator.algorithm != kAlgPhilox && generator.algorithm != kAlgAutoSelect)
    throw UserError(ExitCode::kEval, "Unsupported algorithm id: " + std::to_string(generator.algorithm) + " [Op:RngReadAndSkip]");
  Tensor& state = generator.state->value;
  if (state.dtype() != DType::kInt64 || state.rank() != 1 || state.size() < 3)
    throw UserError(ExitCode::kEval, "For the Philox algorithm, the size of state must be at least 3; got " + std::to_string(state.size()));
  const std::int64_t* words = state.data<std::int64_t>();
  auto lo = [](std::int64_t w) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(w)); };
  auto hi = [](std::int64_t w) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(w) >> 32); };
  Philox before({lo(words[0]), hi(words[0]), lo(words[1]), hi(words[1])}, {lo(words[2]), hi(words[2])});
  Philox after = before;
  after.skip(delta * 256);
  auto join = [](std::uint32_t low, std::uint32_t high) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) | static_cast<std::uint64_t>(high) << 32);
  };
  std::vector<std::int64_t> updated = words_of(state);
  updated[0] = join(after.counter()[0], after.counter()[1]);
  updated[1] = join(after.counter()[2], after.counter()[3]);
  state = state_tensor(updated);  // tensors are immutable: the variable gets a new value
  return before;
}

std::string algorithm_name(std::int64_t value) {
  switch (value) {
    case kAlgPhilox: return "PHILOX";
    case kAlgThreefry: return "THREEFRY";
    case kAlgAutoSelect: return "AUTO_SELECT";
    default: return std::to_string(value);
  }
}

bool is_random_class(const Value& value) { return is_class(value, "random.Generator") || is_class(value, "random.Algorithm"); }

Value random_attribute(const Value& object, const std::string& name) {
  if (object.kind == ValueKind::kGenerator) {
    const GeneratorState& g = *object.generator;
    if (name == "state") {
      Value v;
      v.kind = ValueKind::kVariable;
      v.variable = g.state;
      return v;
    }
    if (name == "algorithm") return Value::of_int(g.algorithm);
    if (name == "key") {
      const Tensor& state = g.state->value;
      return Value::of(state_tensor({state.data<std::int64_t>()[state.size() - 1]}).reshaped({}));
    }
    if (find_in(generator_methods(), name)) return method_value(object, name);
    no_attribute("Generator", name, names_of(generator_methods(), {"state", "algorithm", "key"}));
  }
  if (object.kind == ValueKind::kAlgorithm) {
    if (name == "name") return Value::of_string(algorithm_name(object.integer));
    if (name == "value") return Value::of_int(object.integer);
    no_attribute("Algorithm", name, {"name", "value"});
  }
  if (is_class(object, "random.Algorithm")) {
    for (int value : {kAlgPhilox, kAlgThreefry, kAlgAutoSelect}) {
      if (name == algorithm_name(value)) {
        Value v;
        v.kind = ValueKind::kAlgorithm;
        v.integer = value;
        return v;
      }
    }
    throw UserError(ExitCode::kEval, "type object 'Algorithm' has no attribute '" + name + "'" +
                                         did_you_mean(name, {"PHILOX", "THREEFRY", "AUTO_SELECT"}));
  }
  if (is_class(object, "random.Generator")) {
    if (find_in(generator_class_methods(), name) || find_in(generator_methods(), name)) return method_value(object, name);
    throw UserError(ExitCode::kEval, "type object 'Generator' has no attribute '" + name + "'" +
                                         did_you_mean(name, names_of(generator_class_methods(), {})));
  }
  throw UserError(ExitCode::kEval, "'" + value_type_name(object) + "' object has no attribute '" + name + "'");
}

Value call_random_method(const BoundMethod& method, std::vector<Value> positional,
                         std::vector<std::pair<std::string, Value>> keywords) {
  const Value& self = *method.self;
  const OpDef* row = nullptr;
  if (self.kind == ValueKind::kGenerator) {
    row = find_in(generator_methods(), method.name);
    positional.insert(positional.begin(), self);
  } else if (is_class(self, "random.Generator")) {
    row = find_in(generator_class_methods(), method.name);
    // Generator.normal(g, ...): an instance method called on the class takes self explicitly.
    if (!row) row = find_in(generator_methods(), method.name);
    if (row && std::string_view(row->signature).find("(self") != std::string_view::npos &&
        (positional.empty() || positional.front().kind != ValueKind::kGenerator))
      throw UserError(ExitCode::kEval, method.name + "() missing 1 required positional argument: 'self'");
  }
  if (!row) throw UserError(ExitCode::kEval, "unknown method " + method.name);
  CallArgs args = bind_arguments(*row, std::move(positional), std::move(keywords), nullptr);
  return row->eval(args);
}

}  // namespace ag
