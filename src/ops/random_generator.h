// tf.random.Generator and tf.random.Algorithm as spec values: construction, the Philox position
// a state stands for, attributes and methods (the classes' own rows are in random_ops.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kernels/random.h"
#include "ops/value.h"

namespace ag {

/// TF's Algorithm enum values.
constexpr int kAlgPhilox = 1;
constexpr int kAlgThreefry = 2;
constexpr int kAlgAutoSelect = 3;

/// A Generator value whose state variable holds `state` (int64 words).
Value make_generator(const std::vector<std::int64_t>& state, int algorithm);
/// TF's _convert_alg_to_int: an int, an Algorithm member or "philox" / "threefry" / "auto_select".
int algorithm_from_value(const Value& alg);
/// TF's create_rng_state: a seed (int or 1-D ints) chopped or left-padded to the algorithm's
/// state size.
std::vector<std::int64_t> rng_state_from_seed(const Value& seed, int algorithm);
/// An int64 tensor of state words.
Tensor state_tensor(const std::vector<std::int64_t>& words);

/// Reads the generator's Philox position and advances its state by `delta` outputs (TF's
/// RngReadAndSkip: 256 blocks per output). Throws TF's error for algorithms the CPU lacks.
kernels::random::Philox generator_read_and_skip(GeneratorState& generator, std::uint64_t delta);

/// Whether `value` is one of the classes this file serves (random.Generator, random.Algorithm).
bool is_random_class(const Value& value);
/// Attributes of Generator objects, Algorithm members and the two classes.
Value random_attribute(const Value& object, const std::string& name);
/// Calls a method found by random_attribute (g.normal(...), Generator.from_seed(...)).
Value call_random_method(const BoundMethod& method, std::vector<Value> positional,
                         std::vector<std::pair<std::string, Value>> keywords);
/// The name of an Algorithm member ("PHILOX").
std::string algorithm_name(std::int64_t value);

}  // namespace ag
