// Tests of the worker pool (kernels/parallel.h): how ranges are split at their edges, and that
// kernels split across threads give the serial loop's results bit for bit on both sides of the
// size threshold.
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "kernel_test_util.h"
#include "kernels/eigen_math.h"
#include "kernels/flush_denormal.h"
#include "kernels/parallel.h"

namespace ag::kernels {
namespace {

using namespace testing;

/// n floats spread over several periods, with a few special values mixed in.
Tensor wavy(std::int64_t n) {
  Tensor t = Tensor::allocate(DType::kFloat32, {n});
  float* p = t.mutable_data<float>();
  for (std::int64_t i = 0; i < n; ++i) p[i] = std::sin(static_cast<float>(i) * 0.001f) * 7.0f + 1e-3f * static_cast<float>(i % 17);
  if (n > 3) p[n / 2] = 0.0f, p[n / 3] = -1e-39f, p[n - 1] = 88.5f;
  return t;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.raw(), b.raw(), static_cast<std::size_t>(a.size()) * 4) == 0;
}

const std::int64_t kThreshold = kParallelMinElements;
const std::int64_t kSizes[] = {0, 1, 7, 8, 9, kThreshold - 1, kThreshold, kThreshold + 1, kThreshold + 7,
                               2 * kThreshold + 13, (std::int64_t{1} << 20) + 5};

TEST_CASE("split_range: edges") {
  CHECK(split_range(0, 2, 8).empty());
  auto one = split_range(1, 2, 8);
  REQUIRE(one.size() == 1);
  CHECK(one[0].begin == 0);
  CHECK(one[0].end == 1);
  CHECK(split_range(8, 2, 8).size() == 1);  // one packet cannot be split
  auto two = split_range(17, 2, 8);
  REQUIRE(two.size() == 2);
  CHECK(two[0].end % 8 == 0);
  CHECK(two[1].end == 17);
  CHECK(split_range(5, 8, 1).size() == 5);  // never an empty range
  CHECK(split_range(100, 0, 0).size() == 1);
}

TEST_CASE("split_range: ranges cover [0, n) in order, inner boundaries aligned") {
  for (std::int64_t n : {1, 2, 15, 16, 17, 1000, 65536, 65537, 1000003}) {
    for (int parts : {1, 2, 3, 8}) {
      for (std::int64_t align : {1, 8, 16}) {
        auto ranges = split_range(n, parts, align);
        REQUIRE(!ranges.empty());
        CHECK(static_cast<int>(ranges.size()) <= parts);
        CHECK(ranges.front().begin == 0);
        CHECK(ranges.back().end == n);
        for (std::size_t i = 0; i < ranges.size(); ++i) {
          CHECK(ranges[i].begin < ranges[i].end);
          if (i + 1 < ranges.size()) {
            CHECK(ranges[i].end == ranges[i + 1].begin);
            CHECK(ranges[i].end % align == 0);
          }
        }
      }
    }
  }
}

TEST_CASE("parallel_for: below the threshold one thread, at it every thread, each element once") {
  for (std::int64_t n : kSizes) {
    std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
    std::mutex mutex;
    std::set<std::thread::id> threads;
    parallel_for(n, 8, [&](std::int64_t begin, std::int64_t end) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      for (std::int64_t i = begin; i < end; ++i) ++hits[static_cast<std::size_t>(i)];
    });
    for (auto& hit : hits) CHECK(hit.load() == 1);
    if (n < kThreshold) CHECK(threads.size() <= 1);
    if (n >= kThreshold) CHECK(threads.size() <= static_cast<std::size_t>(parallel_threads()));
  }
}

TEST_CASE("parallel_for: an exception in a range reaches the caller; nested loops run") {
  CHECK_THROWS_AS(parallel_for(kThreshold * 2, 1,
                               [](std::int64_t begin, std::int64_t) {
                                 if (begin > 0) throw std::runtime_error("late range");
                               }),
                  std::runtime_error);
  std::atomic<std::int64_t> total{0};
  parallel_for(kThreshold * 2, 1, [&](std::int64_t begin, std::int64_t end) {
    parallel_for(end - begin, 1, [&](std::int64_t b, std::int64_t e) { total += e - b; });
  });
  CHECK(total.load() == kThreshold * 2);
  // The pool is usable again afterwards.
  std::atomic<std::int64_t> after{0};
  parallel_for(kThreshold * 2, 1, [&](std::int64_t b, std::int64_t e) { after += e - b; });
  CHECK(after.load() == kThreshold * 2);
}

TEST_CASE("parallel_pair: both run") {
  int a = 0, b = 0;
  parallel_pair([&] { a = 1; }, [&] { b = 2; });
  CHECK(a == 1);
  CHECK(b == 2);
}

TEST_CASE("unary: TF's float functions split across threads give the serial bits") {
  for (std::int64_t n : kSizes) {
    Tensor x = wavy(n);
    for (auto [op, function] : {std::pair{UnaryOp::kSin, tf_float::Function::kSin}, std::pair{UnaryOp::kExp, tf_float::Function::kExp},
                                std::pair{UnaryOp::kTanh, tf_float::Function::kTanh}, std::pair{UnaryOp::kCos, tf_float::Function::kCos}}) {
      Tensor split = unary(op, x);
      Tensor serial = Tensor::allocate(DType::kFloat32, {n});
      {
        ScopedFlushDenormal flush;
        tf_float::apply(function, x.data<float>(), serial.mutable_data<float>(), n);
      }
      CHECK_MESSAGE(same_bits(split, serial), "n = " << n);
    }
  }
}

TEST_CASE("binary: products split across threads give the serial bits, denormals flushed") {
  for (std::int64_t n : kSizes) {
    Tensor x = wavy(n);
    Tensor y = unary(UnaryOp::kCos, x);
    Tensor tiny = f32({}, {1e-30f});
    Tensor product = binary(BinaryOp::kMultiply, x, y);
    Tensor scaled = binary(BinaryOp::kMultiply, x, tiny);
    const float* px = x.data<float>();
    const float* py = y.data<float>();
    bool equal = true, flushed = true;
    ScopedFlushDenormal flush;  // as the kernel computes
    for (std::int64_t i = 0; i < n; ++i) {
      float expected = px[i] * py[i];
      equal = equal && std::memcmp(&expected, product.data<float>() + i, 4) == 0;
      float s = scaled.data<float>()[i];
      // 1e-30 * x is below the normal range for |x| < 1.2e-8: TF's kernels give 0 there.
      if (std::fabs(px[i]) < 1e-8f) flushed = flushed && s == 0.0f;
    }
    CHECK_MESSAGE(equal, "n = " << n);
    CHECK_MESSAGE(flushed, "n = " << n);
  }
}

/// reduce.cpp's summation order: pairwise halves (split at a multiple of 8) above 256 elements,
/// eight lanes below.
float pairwise_sum(const float* p, std::int64_t n) {
  if (n > 256) {
    std::int64_t half = (n / 2 + 7) / 8 * 8;
    return pairwise_sum(p, half) + pairwise_sum(p + half, n - half);
  }
  float lanes[8] = {};
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) lanes[j] += p[i + j];
  float total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; i < n; ++i) total += p[i];
  return total;
}

TEST_CASE("reduce_sum: a long run on two threads keeps the serial summation order") {
  for (std::int64_t n : kSizes) {
    if (n == 0) continue;
    Tensor x = wavy(n);
    float expected = pairwise_sum(x.data<float>(), n);
    float got = reduce(ReduceOp::kSum, x, {0}, false).data<float>()[0];
    CHECK_MESSAGE(std::memcmp(&expected, &got, 4) == 0, "n = " << n);
  }
  // Many rows: each row's sum is the serial one.
  const std::int64_t rows = 3000, cols = 100;
  Tensor m = wavy(rows * cols).reshaped({rows, cols});
  Tensor sums = reduce(ReduceOp::kSum, m, {1}, false);
  bool equal = true;
  for (std::int64_t r = 0; r < rows; ++r) {
    float expected = pairwise_sum(m.data<float>() + r * cols, cols);
    equal = equal && std::memcmp(&expected, sums.data<float>() + r, 4) == 0;
  }
  CHECK(equal);
}

TEST_CASE("broadcast_to: a long fill split across threads") {
  Tensor value = f32({}, {2.5f});
  Tensor filled = broadcast_to(value, {kThreshold + 3});
  bool all = true;
  for (std::int64_t i = 0; i < filled.size(); ++i) all = all && filled.data<float>()[i] == 2.5f;
  CHECK(all);
}

}  // namespace
}  // namespace ag::kernels
