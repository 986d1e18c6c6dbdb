// The process-wide random state TF keeps in eager mode: the global seed and the Python RNG that
// picks op seeds from it (random_seed.get_seed), the per-kernel Philox generators of the stateful
// ops (an eager kernel is cached per op and attributes, so `uniform([1], seed=1)` twice gives two
// different numbers), and the global tf.random.Generator.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "kernels/random.h"
#include "ops/value.h"

namespace ag {

class CallArgs;

/// Forgets every seed, kernel counter and the global generator: a fresh TF process. A spec run
/// should start with this, as each spec is its own program.
void reset_random_state();

/// tf.random.set_seed(seed): the global seed, a fresh op-seed sequence, and no cached kernels.
void set_global_seed(std::int64_t seed);

/// TF's random_seed.get_seed(op_seed): the (seed, seed2) attribute pair of a stateful op.
/// (0, 0) means "no seed": the kernel then draws a non-deterministic one.
std::pair<std::int64_t, std::int64_t> op_seeds(std::optional<std::int64_t> op_seed);

/// The generator of the cached eager kernel for `op` with these attributes, advanced past
/// `reserve` blocks of 128 bits (GuardedPhiloxRandom::ReserveSamples128); returns the position
/// before the advance, which is where this call's numbers come from.
kernels::random::Philox reserve_kernel_samples(const std::string& op, DType dtype, std::pair<std::int64_t, std::int64_t> seeds,
                                               std::uint64_t reserve);

/// Changes whenever TF would drop its cached kernels (set_seed, a reset): state kept per kernel
/// outside this file (the learned unigram sampler's counts) is keyed by it.
std::uint64_t kernel_cache_epoch();

/// A non-deterministic 64-bit value (TF's random::New64).
std::uint64_t nondeterministic_u64();

/// The global generator (created from a non-deterministic state on first use, as TF does).
Value global_generator();
void set_global_generator(const Value& generator);

/// An op's optional Python-int `seed` argument (None allowed).
std::optional<std::int64_t> optional_seed(const CallArgs& args, const char* param);

/// Validates a requested output shape: non-negative dimensions and at most 4 GiB of `dtype`.
void check_output_shape(const Shape& shape, DType dtype, const std::string& op);

}  // namespace ag
