// Tests of tensor storage: the alignment the SIMD kernels rely on, large buffers mapped with every
// page usable, and freed large buffers handed to the next tensor of the same size.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>

#include "core/tensor.h"

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
