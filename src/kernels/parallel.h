// Both cores for large elementwise work and reductions: a small pool of worker threads, started at
// the first call that is large enough to use it, never for small tensors. Every chunk computes its
// elements exactly as the serial loop would, so results do not depend on the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace ag::kernels {

/// Below this many elements a loop runs on the calling thread alone: waking a worker costs a few
/// microseconds, about what 64K elements of a simple op take.
inline constexpr std::int64_t kParallelMinElements = std::int64_t{1} << 16;

/// A half-open range of element indices.
struct IndexRange {
  std::int64_t begin = 0;
  std::int64_t end = 0;
};

/// [0, n) cut into at most `parts` contiguous, non-empty, nearly equal ranges in order, every
/// boundary but the last a multiple of `align` (so a kernel that handles whole packets of `align`
/// elements and then a tail sees the same packets and the same tail as over the whole range).
/// n = 0 gives no ranges; n <= align gives one.
std::vector<IndexRange> split_range(std::int64_t n, int parts, std::int64_t align);

/// Threads a parallel loop uses, the caller's included (1 on a single core).
int parallel_threads();

/// The pooled part of parallel_for (below), for n >= min_elements.
void parallel_for_pooled(std::int64_t n, std::int64_t align, const std::function<void(std::int64_t, std::int64_t)>& body);

/// Runs body(begin, end) over ranges covering [0, n) (split_range with `align`), on the calling
/// thread and the pool's workers at once, and returns when all are done. Runs body(0, n) on the
/// calling thread alone when n < min_elements, on one core, or while another thread's loop holds
/// the pool. The first exception a range throws is rethrown here after all ranges have ended.
/// A template so that small loops, most of them, call body directly: wrapping it in a
/// std::function would cost an allocation per kernel call.
template <class Body>
void parallel_for(std::int64_t n, std::int64_t align, const Body& body, std::int64_t min_elements = kParallelMinElements) {
  if (n <= 0) return;
  if (n < min_elements) {
    body(std::int64_t{0}, n);
    return;
  }
  parallel_for_pooled(n, align, body);
}

/// Runs first() on the calling thread and second() on a worker at the same time (both on the
/// calling thread, one after the other, when the pool is unavailable), and returns when both are
/// done, rethrowing the first exception either threw.
void parallel_pair(const std::function<void()>& first, const std::function<void()>& second);

}  // namespace ag::kernels
