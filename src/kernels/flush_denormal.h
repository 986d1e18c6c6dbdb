// TF runs every CPU kernel with denormals flushed to zero and read as zero (its executors and
// thread pools hold port::ScopedFlushDenormal), so tf.sigmoid(-100.) is 0.0, not 3.8e-44, and
// log_sigmoid(100.) is -0.0. Kernels that compute floats take this guard for their duration; it
// restores the caller's mode on exit, so parsing and printing still see denormals. Private to
// src/kernels.
#pragma once

#if defined(__SSE__) || defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#define AG_HAS_MXCSR 1
#endif

namespace ag::kernels {

class ScopedFlushDenormal {
 public:
#if defined(AG_HAS_MXCSR)
  ScopedFlushDenormal() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
  ~ScopedFlushDenormal() { _mm_setcsr(saved_); }
#else
  ScopedFlushDenormal() = default;
#endif
  ScopedFlushDenormal(const ScopedFlushDenormal&) = delete;
  ScopedFlushDenormal& operator=(const ScopedFlushDenormal&) = delete;

 private:
#if defined(AG_HAS_MXCSR)
  static constexpr unsigned kFlushToZero = 0x8000;      // MXCSR.FTZ
  static constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR.DAZ
  unsigned saved_;
#endif
};

}  // namespace ag::kernels
