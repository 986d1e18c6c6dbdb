// Tests of tensor storage: the alignment the SIMD kernels rely on, large buffers mapped with every
// page usable, freed large buffers handed to the next tensor of the same size, and storage shared
// with reshapes and counted against the memory limit.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/limits.h"
#include "core/tensor.h"
#include "kernels/parallel.h"

namespace ag {
namespace {

std::uintptr_t address(const Tensor& t) { return reinterpret_cast<std::uintptr_t>(t.raw()); }

TEST_CASE("storage: small, medium and large buffers are 64-byte aligned and hold their whole size") {
  for (std::int64_t n : {std::int64_t{3}, std::int64_t{1000}, std::int64_t{300'000}, std::int64_t{3'000'001}}) {
    CAPTURE(n);
    Tensor t = Tensor::allocate(DType::kFloat32, {n});
    if (n > 4) CHECK(address(t) % 64 == 0);
    float* p = t.mutable_data<float>();
    p[0] = 1.5f;
    p[n - 1] = -2.5f;
    CHECK(t.data<float>()[0] == 1.5f);
    CHECK(t.data<float>()[n - 1] == -2.5f);
  }
}

TEST_CASE("storage: buffers of 4 MiB and more are mapped whole pages, every page writable") {
  const std::int64_t n = (std::int64_t{5} << 20) / 4 + 17;  // 5 MiB and a bit: not whole pages
  Tensor t = Tensor::allocate(DType::kFloat32, {n});
  CHECK(address(t) % 4096 == 0);
  std::memset(t.mutable_data<float>(), 0x3f, static_cast<std::size_t>(n) * sizeof(float));
  CHECK(t.data<float>()[n - 1] == t.data<float>()[0]);
}

/// How many times in_turn (below) ran a pair of tasks.
int g_pairs_in_turn = 0;
void in_turn(const std::function<void()>& first, const std::function<void()>& second) {
  ++g_pairs_in_turn;
  first();
  second();
}

TEST_CASE("storage: buffers of 8 MiB and more are populated in two halves, by the pool or in turn") {
  // Sizes that are not whole pages, so that the halves split inside the mapping, and different for
  // each runner, so that no buffer comes back from the cache of freed ones: each page of both
  // halves must be there and writable, whichever way the two tasks ran.
  for (int runner = 0; runner < 2; ++runner) {
    CAPTURE(runner);
    if (runner == 1) set_task_pair(&in_turn);
    for (std::int64_t n : {(std::int64_t{9} << 20) / 4 + 17, (std::int64_t{16} << 20) / 4 + 1001}) {
      n += runner * 8192;
      CAPTURE(n);
      Tensor t = Tensor::allocate(DType::kFloat32, {n});
      CHECK(address(t) % 4096 == 0);
      float* p = t.mutable_data<float>();
      for (std::int64_t i = 0; i < n; i += 1024) p[i] = static_cast<float>(i);
      p[n - 1] = -1.0f;
      for (std::int64_t i = 0; i < n; i += 1024) REQUIRE(t.data<float>()[i] == static_cast<float>(i));
      CHECK(t.data<float>()[n - 1] == -1.0f);
    }
  }
  set_task_pair(&kernels::parallel_pair);  // as kernels/parallel.cpp registers it
  CHECK(g_pairs_in_turn == 2);
}

TEST_CASE("storage: a freed large buffer is reused by the next tensor of its size") {
  const std::int64_t n = std::int64_t{1} << 20;  // 4 MiB
  std::uintptr_t first = 0;
  {
    Tensor t = Tensor::allocate(DType::kFloat32, {n});
    first = address(t);
  }
  Tensor again = Tensor::allocate(DType::kFloat32, {n});
  CHECK(address(again) == first);
}

}  // namespace
}  // namespace ag

// ---------------------------------------------------------------------------------------------
// A tensor's metadata and storage share one allocation; a reshape keeps that allocation alive.

namespace ag {
namespace {

TEST_CASE("storage: a reshape keeps the values after the tensor it came from is gone") {
  Tensor reshaped;
  Tensor twice;
  {
    Tensor t = Tensor::allocate(DType::kFloat32, {2, 3});
    for (int i = 0; i < 6; ++i) t.mutable_data<float>()[i] = static_cast<float>(i) + 0.5f;
    reshaped = t.reshaped({3, 2});
    twice = reshaped.reshaped({6});
    CHECK(reshaped.id() != t.id());
    CHECK(reshaped.raw() == t.raw());
  }
  CHECK(reshaped.shape() == Shape{3, 2});
  CHECK(twice.raw() == reshaped.raw());
  for (int i = 0; i < 6; ++i) CHECK(twice.data<float>()[i] == static_cast<float>(i) + 0.5f);
  Tensor shape_only = twice.without_values();
  CHECK_FALSE(shape_only.has_values());
  CHECK(shape_only.id() == twice.id());
  CHECK(shape_only.reshaped({2, 3}).raw() == nullptr);
}

TEST_CASE("storage: scalars, charged buffers and strings; the memory count returns to where it was") {
  const std::uint64_t before = limits::bytes_in_use();
  {
    Tensor scalar = Tensor::scalar(DType::kComplex128, 2.5);  // 16 bytes: in place, not charged
    CHECK(reinterpret_cast<std::uintptr_t>(scalar.raw()) % 16 == 0);
    CHECK(scalar.element_as_double(0) == 2.5);
    CHECK(limits::bytes_in_use() == before);
    Tensor buffer = Tensor::allocate(DType::kFloat64, {1000});
    CHECK(limits::bytes_in_use() == before + 8000);
    Tensor strings = Tensor::from_strings({2}, {"a", std::string(100, 'b')});
    CHECK(strings.strings().size() == 2);
    CHECK(strings.strings()[1] == std::string(100, 'b'));
    CHECK(limits::bytes_in_use() > before + 8000);
    CHECK(strings.reshaped({1, 2}).strings().size() == 2);
    CHECK(Tensor::allocate(DType::kString, {3}).strings().empty());
    CHECK(buffer.strings().empty());
  }
  CHECK(limits::bytes_in_use() == before);
}

TEST_CASE("storage: small tensors keep their own values through churn, on several threads") {
  // Tensor blocks come from per-thread slots (taken by bump, given back to a free list); a slot
  // freed on another thread joins that thread's list. Every live tensor must keep its values and
  // identity whatever was freed and reused around it.
  auto churn = [](int seed, std::vector<Tensor>& kept) {
    std::vector<Tensor> live;
    for (int i = 0; i < 20000; ++i) {
      Tensor t = Tensor::scalar(DType::kFloat64, seed * 100000.0 + i);
      if (i % 3 == 0) kept.push_back(t);
      live.push_back(std::move(t));
      if (live.size() > 64) live.erase(live.begin(), live.begin() + 32);  // free a batch
    }
  };
  std::vector<Tensor> kept_main;
  std::vector<Tensor> kept_thread;
  churn(1, kept_main);
  std::thread worker([&] {
    churn(2, kept_thread);
    // Freed here, taken on this thread: these slots join the worker's list.
    kept_main.erase(kept_main.begin(), kept_main.begin() + 1000);
  });
  worker.join();
  // Blocks the worker took are now freed on this thread, and their slots reused.
  std::vector<Tensor> fresh;
  for (int i = 0; i < 3000; ++i) fresh.push_back(Tensor::scalar(DType::kFloat64, -1.0 - i));
  kept_thread.erase(kept_thread.begin(), kept_thread.begin() + 3000);
  for (int i = 0; i < 3000; ++i) fresh.push_back(Tensor::scalar(DType::kFloat64, -10000.0 - i));

  auto check_values = [](const std::vector<Tensor>& kept, int seed, int first) {
    std::set<std::uint64_t> ids;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const int i = 3 * (first + static_cast<int>(k));
      REQUIRE(kept[k].data<double>()[0] == seed * 100000.0 + i);
      ids.insert(kept[k].id());
    }
    CHECK(ids.size() == kept.size());
  };
  check_values(kept_main, 1, 1000);
  check_values(kept_thread, 2, 3000);
  for (int i = 0; i < 3000; ++i) {
    REQUIRE(fresh[static_cast<std::size_t>(i)].data<double>()[0] == -1.0 - i);
    REQUIRE(fresh[static_cast<std::size_t>(3000 + i)].data<double>()[0] == -10000.0 - i);
  }
}

}  // namespace
}  // namespace ag
