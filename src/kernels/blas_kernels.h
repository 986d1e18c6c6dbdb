// Private to src/kernels: OpenBLAS's fastest kernels for large real products on CPUs its kernel
// choice does not recognise.
#pragma once

#include <cstdint>

namespace ag::kernels {

/// Products with at least this many multiply-adds (m * n * k) may use the faster kernels. Smaller
/// ones keep the kernels OpenBLAS chose itself, so their rounding (and the golden specs' digits)
/// do not change; the large ones are where the speed matters.
inline constexpr std::int64_t kFastGemmMinMacs = std::int64_t{1} << 21;
/// The same for matrix-vector products, whose start-up kernels are the slowest (2.7 GFLOP/s on a
/// 200 x 200 matrix, most of the hessian benchmark).
inline constexpr std::int64_t kFastGemvMinMacs = std::int64_t{1} << 15;

/// For its lifetime, and only when the product has at least min_macs multiply-adds, makes
/// OpenBLAS's level-3 calls on this thread use the widest kernels the CPU supports, when OpenBLAS
/// chose narrower ones at start-up. Only one thread may call BLAS while a scope is active (the
/// tool calls BLAS from its main thread only).
class FastKernelScope {
 public:
  explicit FastKernelScope(std::int64_t macs, std::int64_t min_macs = kFastGemmMinMacs);
  ~FastKernelScope();
  FastKernelScope(const FastKernelScope&) = delete;
  FastKernelScope& operator=(const FastKernelScope&) = delete;

 private:
  void* saved_ = nullptr;
};

/// The OpenBLAS core name large products use ("SkylakeX"), or nullptr when they use the
/// default kernels (already the best, an OpenBLAS without run-time kernel choice, or
/// OPENBLAS_CORETYPE set by the user).
const char* fast_gemm_core();

}  // namespace ag::kernels
