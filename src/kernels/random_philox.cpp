// The bit generators: Philox-4x32-10 and ThreeFry-2x32-20, TF's seed scrambling, the word-at-a-
// time adapter with SimplePhilox's helpers, TF's bits-to-float conversions and Box-Muller, and
// Python's Mersenne Twister (the source of TF's eager op seeds).
#include <cmath>
#include <cstring>

#include "kernels/random.h"

namespace ag::kernels::random {
namespace {

// Round constants and multipliers of the Philox paper, as TF uses them.
constexpr std::uint32_t kPhiloxW32A = 0x9E3779B9;
constexpr std::uint32_t kPhiloxW32B = 0xBB67AE85;
constexpr std::uint32_t kPhiloxM4x32A = 0xD2511F53;
constexpr std::uint32_t kPhiloxM4x32B = 0xCD9E8D57;

Philox::Block philox_round(const Philox::Block& c, const Philox::Key& k) {
  std::uint64_t p0 = static_cast<std::uint64_t>(kPhiloxM4x32A) * c[0];
  std::uint64_t p1 = static_cast<std::uint64_t>(kPhiloxM4x32B) * c[2];
  auto lo0 = static_cast<std::uint32_t>(p0), hi0 = static_cast<std::uint32_t>(p0 >> 32);
  auto lo1 = static_cast<std::uint32_t>(p1), hi1 = static_cast<std::uint32_t>(p1 >> 32);
  return {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
}

std::uint32_t rotate_left(std::uint32_t x, int bits) { return (x << bits) | (x >> (32 - bits)); }

}  // namespace

Philox Philox::from_seeds(std::uint64_t seed_lo, std::uint64_t seed_hi) {
  Block counter{0, 0, static_cast<std::uint32_t>(seed_hi), static_cast<std::uint32_t>(seed_hi >> 32)};
  Key key{static_cast<std::uint32_t>(seed_lo), static_cast<std::uint32_t>(seed_lo >> 32)};
  return Philox(counter, key);
}

Philox::Block philox_block(Philox::Block counter, Philox::Key key) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += kPhiloxW32A;
      key[1] += kPhiloxW32B;
    }
    counter = philox_round(counter, key);
  }
  return counter;
}

Philox::Block Philox::next() {
  Block out = philox_block(counter_, key_);
  skip(1);
  return out;
}

void Philox::skip(std::uint64_t count) {
  // A 128-bit add of `count` to the little-endian counter words, with carries.
  auto lo = static_cast<std::uint32_t>(count);
  auto hi = static_cast<std::uint32_t>(count >> 32);
  counter_[0] += lo;
  if (counter_[0] < lo) ++hi;
  counter_[1] += hi;
  if (counter_[1] < hi && ++counter_[2] == 0) ++counter_[3];
}

std::array<std::uint32_t, 2> threefry2x32(std::array<std::uint32_t, 2> counter, std::array<std::uint32_t, 2> key) {
  static constexpr int kRotations[8] = {13, 15, 26, 6, 17, 29, 16, 24};
  const std::uint32_t ks[3] = {key[0], key[1], 0x1BD11BDAu ^ key[0] ^ key[1]};
  std::uint32_t x0 = counter[0] + ks[0];
  std::uint32_t x1 = counter[1] + ks[1];
  for (int round = 0; round < 20; ++round) {
    x0 += x1;
    x1 = rotate_left(x1, kRotations[round % 8]);
    x1 ^= x0;
    if (round % 4 == 3) {  // key injection after every fourth round
      std::uint32_t injection = static_cast<std::uint32_t>(round / 4 + 1);
      x0 += ks[injection % 3];
      x1 += ks[(injection + 1) % 3] + injection;
    }
  }
  return {x0, x1};
}

Philox philox_from_stateless_seed(std::uint64_t seed0, std::uint64_t seed1) {
  // TF scrambles the seed pair through one Philox block under a fixed key, so that users need
  // not care which half of the seed carries the entropy.
  Philox::Block counter{static_cast<std::uint32_t>(seed0), static_cast<std::uint32_t>(seed0 >> 32),
                        static_cast<std::uint32_t>(seed1), static_cast<std::uint32_t>(seed1 >> 32)};
  Philox::Block mix = philox_block(counter, {0x3ec8f720u, 0x02461e29u});
  return Philox({0, 0, mix[2], mix[3]}, {mix[0], mix[1]});
}

std::uint32_t SingleSample::operator()() {
  if (used_ == 4) {
    block_ = generator_->next();
    used_ = 0;
  }
  return block_[static_cast<std::size_t>(used_++)];
}

float SingleSample::rand_float() { return uint32_to_float((*this)()); }

double SingleSample::rand_double() {
  std::uint32_t x0 = (*this)();
  std::uint32_t x1 = (*this)();
  return uint64_to_double(x0, x1);
}

std::uint64_t SingleSample::rand64() {
  std::uint32_t lo = (*this)();
  std::uint32_t hi = (*this)();
  return lo | static_cast<std::uint64_t>(hi) << 32;
}

// TF's ExactUniformInt: a mask for powers of two, else rejection of the low remainder.
std::uint32_t SingleSample::uniform(std::uint32_t n) {
  if (n == 0) return (*this)() * n;
  if ((n & (n - 1)) == 0) return (*this)() & (n - 1);
  const std::uint32_t rem = (~0u % n) + 1;
  std::uint32_t bits;
  do bits = (*this)();
  while (bits < rem);
  return bits % n;
}

std::uint64_t SingleSample::uniform64(std::uint64_t n) {
  if (n == 0) return rand64() * n;
  if ((n & (n - 1)) == 0) return rand64() & (n - 1);
  const std::uint64_t rem = (~std::uint64_t{0} % n) + 1;
  std::uint64_t bits;
  do bits = rand64();
  while (bits < rem);
  return bits % n;
}

float uint32_to_float(std::uint32_t x) {
  // Exponent 127 and 23 random mantissa bits give [1, 2); TF subtracts 1.
  std::uint32_t bits = (127u << 23) | (x & 0x7fffffu);
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value - 1.0f;
}

double uint64_to_double(std::uint32_t x0, std::uint32_t x1) {
  std::uint64_t mantissa = (static_cast<std::uint64_t>(x0 & 0xfffffu) << 32) | x1;
  std::uint64_t bits = (std::uint64_t{1023} << 52) | mantissa;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value - 1.0;
}

void box_muller_float(std::uint32_t x0, std::uint32_t x1, float* f0, float* f1) {
  const float epsilon = 1.0e-7f;
  float u1 = uint32_to_float(x0);
  if (u1 < epsilon) u1 = epsilon;
  // 2.0f * M_PI is a double in TF's source, so the angle is computed in double and rounded once.
  const float v1 = static_cast<float>(2.0f * M_PI * uint32_to_float(x1));
  const float u2 = std::sqrt(-2.0f * std::log(u1));
  ::sincosf(v1, f0, f1);
  *f0 *= u2;
  *f1 *= u2;
}

void box_muller_double(std::uint32_t x0, std::uint32_t x1, std::uint32_t x2, std::uint32_t x3, double* d0, double* d1) {
  const double epsilon = 1.0e-7;
  double u1 = uint64_to_double(x0, x1);
  if (u1 < epsilon) u1 = epsilon;
  const double v1 = 2 * M_PI * uint64_to_double(x2, x3);
  const double u2 = std::sqrt(-2.0 * std::log(u1));
  ::sincos(v1, d0, d1);
  *d0 *= u2;
  *d1 *= u2;
}

PythonRandom::PythonRandom(std::uint64_t seed) {
  // CPython's random.seed(int): init_genrand(19650218), then init_by_array over the seed's
  // 32-bit words, least significant first (one zero word for seed 0).
  std::vector<std::uint32_t> key;
  for (std::uint64_t rest = seed; rest != 0; rest >>= 32) key.push_back(static_cast<std::uint32_t>(rest));
  if (key.empty()) key.push_back(0);
  state_[0] = 19650218u;
  for (std::uint32_t i = 1; i < 624; ++i)
    state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + i;
  std::uint32_t i = 1, j = 0;
  const std::uint32_t key_length = static_cast<std::uint32_t>(key.size());
  for (std::uint32_t k = 624 > key_length ? 624 : key_length; k > 0; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1664525u)) + key[j] + j;
    ++i;
    ++j;
    if (i >= 624) {
      state_[0] = state_[623];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (std::uint32_t k = 623; k > 0; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1566083941u)) - i;
    ++i;
    if (i >= 624) {
      state_[0] = state_[623];
      i = 1;
    }
  }
  state_[0] = 0x80000000u;
  index_ = 624;
}

std::uint32_t PythonRandom::next32() {
  if (index_ >= 624) {
    for (int k = 0; k < 624; ++k) {
      std::uint32_t y = (state_[static_cast<std::size_t>(k)] & 0x80000000u) |
                        (state_[static_cast<std::size_t>((k + 1) % 624)] & 0x7fffffffu);
      std::uint32_t next = state_[static_cast<std::size_t>((k + 397) % 624)] ^ (y >> 1);
      if (y & 1u) next ^= 0x9908b0dfu;
      state_[static_cast<std::size_t>(k)] = next;
    }
    index_ = 0;
  }
  std::uint32_t y = state_[static_cast<std::size_t>(index_++)];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

std::int64_t PythonRandom::randint_int32_max() {
  // randint(0, 2**31 - 1) is _randbelow(2**31): 32-bit draws, rejecting those >= 2**31.
  std::uint32_t r;
  do r = next32();
  while (r >= 0x80000000u);
  return r;
}

}  // namespace ag::kernels::random
