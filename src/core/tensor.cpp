// Tensor storage: one aligned allocation per buffer, shared between reshapes.
#include "core/tensor.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>

#include "core/limits.h"
#include "diag/error.h"

namespace ag {

namespace {
void release_buffer(void* buffer, std::size_t capacity);
}  // namespace

/// Kept small: a scalar's storage shares its allocation with its TensorMeta (TensorBlock below),
/// and a long run makes millions of scalars.
struct TensorStorage {
  /// The values: `small`, a buffer of `big.capacity` bytes, or null (a string tensor's elements
  /// are in `strings`).
  void* bytes = nullptr;
  std::unique_ptr<std::vector<std::string>> strings;  ///< string tensors only
  union {
    /// Scalars and other tiny tensors live here, saving an aligned allocation per value (and
    /// they are never charged against the memory limit).
    alignas(16) unsigned char small[16];
    struct {
      std::size_t capacity;   ///< bytes allocated at `bytes`
      std::uint64_t charged;  ///< bytes counted against limits::settings().max_memory
    } big;
  };

  TensorStorage() : big{0, 0} {}
  TensorStorage(const TensorStorage&) = delete;
  TensorStorage& operator=(const TensorStorage&) = delete;
  ~TensorStorage() {
    if (bytes == small) return;
    if (bytes != nullptr) release_buffer(bytes, big.capacity);
    limits::release(big.charged);
  }
};

namespace {

/// Freed buffers from this size up are kept for the next tensor of the same size: a fresh 40 MB
/// buffer costs 10,000 page faults, about as much time as the arithmetic that fills it, while a
/// reused one costs none. The cache holds at most kCacheMaxBuffers buffers and kCacheMaxBytes
/// bytes (and at most a quarter of the memory limit), oldest evicted first.
constexpr std::size_t kCacheMinBytes = std::size_t{1} << 20;
constexpr std::size_t kCacheMaxBytes = std::size_t{256} << 20;
constexpr std::size_t kCacheMaxBuffers = 16;

void free_buffer(void* buffer, std::size_t capacity);

class BufferCache {
 public:
  /// A cached buffer of exactly `bytes` bytes, or nullptr.
  void* take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = entries_.size(); i-- > 0;) {
      if (entries_[i].bytes != bytes) continue;
      void* buffer = entries_[i].buffer;
      total_ -= bytes;
      entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
      return buffer;
    }
    return nullptr;
  }

  /// Keeps `buffer` (of `bytes` bytes) for reuse, or frees it when it cannot fit.
  void give(void* buffer, std::size_t bytes) {
    const std::size_t cap = std::min<std::uint64_t>(kCacheMaxBytes, limits::settings().max_memory / 4);
    if (bytes > cap) {
      free_buffer(buffer, bytes);
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    while (!entries_.empty() && (total_ + bytes > cap || entries_.size() >= kCacheMaxBuffers)) {
      free_buffer(entries_.front().buffer, entries_.front().bytes);
      total_ -= entries_.front().bytes;
      entries_.erase(entries_.begin());
    }
    entries_.push_back({buffer, bytes});
    total_ += bytes;
  }

 private:
  struct Entry {
    void* buffer;
    std::size_t bytes;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;  ///< oldest first
  std::size_t total_ = 0;
};

/// Never destroyed: tensors in static storage may be released after any static destructor.
BufferCache& buffer_cache() {
  static BufferCache* cache = new BufferCache;
  return *cache;
}

/// Buffers from this size up are mapped with their pages populated at once: the kernel fills in
/// a 40 MB mapping in about 10 ms (6 ms in two halves at once, map_populated), against about 16 ms
/// for the 10,000 page faults of first touches, which two threads touching do not speed up.
constexpr std::size_t kMapMinBytes = std::size_t{4} << 20;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older kernels refuse it with EINVAL
#endif

/// Bytes actually allocated for a buffer of `bytes`: aligned_alloc needs a multiple of the
/// alignment, mmap whole pages.
std::size_t buffer_capacity(std::size_t bytes) {
  if (bytes >= kMapMinBytes) return (bytes + 4095) / 4096 * 4096;
  return (bytes + 63) / 64 * 64;
}

/// A mapping of `capacity` bytes with its pages populated for writing, or nullptr. Small pages,
/// not transparent huge pages: under a hypervisor that takes back freed memory (virtio-balloon
/// free page reporting, in 2 MiB blocks) a huge page is nearly always such a block and costs a
/// fault in the host too; measured in W4 right after a PyTorch run, 360-480 ms against 98 ms.
/// Populates `bytes` bytes of a fresh mapping for writing: false when the system cannot back the
/// pages (ENOMEM), so that the caller reports an error now rather than the OOM killer later.
bool populate(void* start, std::size_t bytes) {
  if (madvise(start, bytes, MADV_POPULATE_WRITE) == 0) return true;
  if (errno != EINVAL) return false;
  // A kernel without MADV_POPULATE_WRITE: touch one byte per page instead.
  auto* touched = static_cast<volatile unsigned char*>(start);
  for (std::size_t offset = 0; offset < bytes; offset += 4096) touched[offset] = 0;
  return true;
}

/// Mappings from this size up are populated in two halves at once (see set_task_pair): the kernel
/// fills two ranges of one mapping in parallel, 40 MB in about 6 ms against 11 ms in one call.
constexpr std::size_t kPopulatePairBytes = std::size_t{8} << 20;

TaskPair& task_pair() {
  static TaskPair runner = nullptr;
  return runner;
}

void* map_populated(std::size_t capacity) {
  void* buffer = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buffer == MAP_FAILED) return nullptr;
  bool populated = false;
  if (capacity >= kPopulatePairBytes && task_pair() != nullptr) {
    const std::size_t half = capacity / 2 / 4096 * 4096;
    auto* second = static_cast<unsigned char*>(buffer) + half;
    bool first_ok = false;
    bool second_ok = false;
    task_pair()([&] { first_ok = populate(buffer, half); }, [&] { second_ok = populate(second, capacity - half); });
    populated = first_ok && second_ok;
  } else {
    populated = populate(buffer, capacity);
  }
  if (populated) return buffer;
  munmap(buffer, capacity);
  return nullptr;
}

/// Frees a buffer that the cache does not keep.
void free_buffer(void* buffer, std::size_t capacity) {
  if (capacity >= kMapMinBytes) {
    munmap(buffer, capacity);
  } else {
    std::free(buffer);
  }
}

/// An uninitialised buffer of `capacity` bytes (a buffer_capacity), 64-byte aligned as SIMD
/// kernels like (page-aligned when mapped), or nullptr.
void* allocate_buffer(std::size_t capacity) {
  if (capacity >= kCacheMinBytes) {
    if (void* reused = buffer_cache().take(capacity)) return reused;
  }
  if (capacity >= kMapMinBytes) return map_populated(capacity);
  return std::aligned_alloc(64, capacity);
}

void release_buffer(void* buffer, std::size_t capacity) {
  if (capacity >= kCacheMinBytes) {
    buffer_cache().give(buffer, capacity);
  } else {
    free_buffer(buffer, capacity);
  }
}

std::uint64_t next_id() {
  static std::atomic<std::uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

/// A new tensor's meta and storage in one allocation, the meta pointing at the storage beside it:
/// a scalar (whose values fit in `small`) then costs one allocation instead of three.
struct TensorBlock {
  TensorMeta meta;
  TensorStorage storage;
};

/// Slots of one size for tensor blocks. A tape keeps every intermediate, so a long chain of small
/// ops allocates one block per op and frees none until the end: from malloc, each such block came
/// from the top of the heap (about 150 instructions, a header, and a page fault per 32 blocks).
/// Here a block is a pointer bump, or a pop from the free list of slots given back. Chunks are
/// mapped with their pages populated in one call, which costs the kernel less than a fault per page,
/// and stay with the process. Free lists are per thread; a slot freed on another thread than
/// the one that took it simply joins that thread's list.
template <std::size_t kSize>
class SlotPool {
 public:
  static void* take() {
    State& state = local();
    if (state.free != nullptr) {
      Slot* slot = state.free;
      state.free = slot->next;
      return slot;
    }
    if (state.next == state.end) refill(state);
    void* slot = state.next;
    state.next += kSize;
    return slot;
  }
  static void give(void* p) noexcept {
    State& state = local();
    auto* slot = static_cast<Slot*>(p);
    slot->next = state.free;
    state.free = slot;
  }

 private:
  struct Slot {
    Slot* next;
  };
  struct State {
    Slot* free = nullptr;
    char* next = nullptr;
    char* end = nullptr;
    std::size_t chunk = 0;  ///< bytes of the last chunk mapped
  };
  static State& local() {
    thread_local State state;
    return state;
  }
  /// A new chunk: 64 KiB first (a small spec maps no more), doubling up to 2 MiB.
  static void refill(State& state) {
    state.chunk = state.chunk == 0 ? (std::size_t{64} << 10) : std::min(state.chunk * 2, std::size_t{2} << 20);
    void* chunk = map_populated(state.chunk);
    if (chunk == nullptr) throw std::bad_alloc();
    state.next = static_cast<char*>(chunk);
    state.end = state.next + state.chunk / kSize * kSize;
  }
};

#if defined(__SANITIZE_ADDRESS__)
#define AG_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AG_ADDRESS_SANITIZER 1
#endif
#endif
#ifdef AG_ADDRESS_SANITIZER
/// Under AddressSanitizer blocks come from malloc, so that a use after free is still caught.
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

/// std::allocate_shared's allocator for tensor blocks (with their reference counts) from SlotPool.
template <class T>
struct BlockAllocator {
  using value_type = T;
  static constexpr std::size_t kSlot = (sizeof(T) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) * alignof(std::max_align_t);
  static_assert(alignof(T) <= alignof(std::max_align_t), "slots are max_align_t aligned");
  BlockAllocator() = default;
  template <class U>
  BlockAllocator(const BlockAllocator<U>&) noexcept {}  // NOLINT: rebinding converts implicitly
  T* allocate(std::size_t n) {
    if (n != 1 || kSanitized) return std::allocator<T>().allocate(n);
    return static_cast<T*>(SlotPool<kSlot>::take());
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n != 1 || kSanitized) return std::allocator<T>().deallocate(p, n);
    SlotPool<kSlot>::give(p);
  }
  template <class U>
  bool operator==(const BlockAllocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const BlockAllocator<U>&) const noexcept { return false; }
};

std::shared_ptr<TensorMeta> new_meta() {
  auto block = std::allocate_shared<TensorBlock>(BlockAllocator<TensorBlock>());
  block->meta.storage = &block->storage;
  return std::shared_ptr<TensorMeta>(block, &block->meta);
}

}  // namespace

void set_task_pair(TaskPair runner) { task_pair() = runner; }

std::size_t storage_element_size(DType dtype) {
  switch (dtype) {
    case DType::kComplex64: return 8;
    case DType::kComplex128: return 16;
    case DType::kString:
    case DType::kResource:
    case DType::kVariant: return 0;
    default: return static_cast<std::size_t>(dtype_info(dtype).size);
  }
}

const Shape& Tensor::empty_shape() {
  static const Shape kEmpty;
  return kEmpty;
}

Tensor Tensor::allocate(DType dtype, Shape shape) {
  std::shared_ptr<TensorMeta> meta = new_meta();
  meta->size = shape_size(shape);
  meta->dtype = dtype;
  meta->shape = std::move(shape);
  std::size_t element = storage_element_size(dtype);
  if (element == 0 && dtype != DType::kString)
    throw UserError(ExitCode::kEval, "tensors of dtype " + std::string(dtype_name(dtype)) + " cannot hold values");
  // Checked before allocating: the OS would grant a huge request lazily and the OOM killer
  // would end the run instead of a clear error. shape_size has refused overflowing shapes.
  limits::check_deadline();
  if (element != 0 && static_cast<std::uint64_t>(meta->size) > std::numeric_limits<std::uint64_t>::max() / 64 / element)
    throw UserError(ExitCode::kEval, "shape " + shape_str(meta->shape) + " has too many elements");
  std::size_t bytes = static_cast<std::size_t>(meta->size) * element;
  if (bytes > sizeof meta->storage->small) {
    limits::charge(bytes, "shape " + shape_str(meta->shape) + " and dtype " + std::string(dtype_name(dtype)));
    meta->storage->big.charged = bytes;
  }
  if (bytes <= sizeof meta->storage->small) {
    meta->storage->bytes = meta->storage->small;
  } else {
    meta->storage->big.capacity = buffer_capacity(bytes);
    meta->storage->bytes = allocate_buffer(meta->storage->big.capacity);
  }
  if (meta->storage->bytes == nullptr) throw UserError(ExitCode::kEval, "out of memory allocating " + std::to_string(bytes) + " bytes");
  meta->id = next_id();
  Tensor t;
  t.meta_ = std::move(meta);
  return t;
}

Tensor Tensor::from_strings(Shape shape, std::vector<std::string> values) {
  std::shared_ptr<TensorMeta> meta = new_meta();
  meta->size = shape_size(shape);
  meta->dtype = DType::kString;
  meta->shape = std::move(shape);
  limits::check_deadline();
  if (static_cast<std::uint64_t>(meta->size) > std::numeric_limits<std::uint64_t>::max() / 64)
    throw UserError(ExitCode::kEval, "shape " + shape_str(meta->shape) + " has too many elements");
  std::uint64_t string_bytes = static_cast<std::uint64_t>(meta->size) * sizeof(std::string);
  for (const std::string& value : values) string_bytes += value.capacity() > 15 ? value.capacity() : 0;
  limits::charge(string_bytes, "shape " + shape_str(meta->shape) + " and dtype string");
  meta->storage->big.charged = string_bytes;
  meta->storage->strings = std::make_unique<std::vector<std::string>>(std::move(values));
  meta->storage->strings->resize(static_cast<std::size_t>(meta->size));
  meta->id = next_id();
  Tensor t;
  t.meta_ = std::move(meta);
  return t;
}

template <class T>
static void store_scalar(void* target, double value) {
  *static_cast<T*>(target) = static_cast<T>(value);
}

Tensor Tensor::scalar(DType dtype, double value) {
  Tensor t = allocate(dtype, {});
  void* p = t.raw_mutable();
  switch (dtype) {
    case DType::kBool: *static_cast<bool*>(p) = value != 0; break;
    case DType::kInt8: store_scalar<std::int8_t>(p, value); break;
    case DType::kInt16: store_scalar<std::int16_t>(p, value); break;
    case DType::kInt32: store_scalar<std::int32_t>(p, value); break;
    case DType::kInt64: store_scalar<std::int64_t>(p, value); break;
    case DType::kUInt8: store_scalar<std::uint8_t>(p, value); break;
    case DType::kUInt16: store_scalar<std::uint16_t>(p, value); break;
    case DType::kUInt32: store_scalar<std::uint32_t>(p, value); break;
    case DType::kUInt64: store_scalar<std::uint64_t>(p, value); break;
    case DType::kFloat16: *static_cast<std::uint16_t*>(p) = double_to_half(value); break;
    case DType::kBFloat16: *static_cast<std::uint16_t*>(p) = float_to_bfloat16(static_cast<float>(value)); break;
    case DType::kFloat32: store_scalar<float>(p, value); break;
    case DType::kFloat64: store_scalar<double>(p, value); break;
    case DType::kComplex64: *static_cast<std::complex<float>*>(p) = std::complex<float>(static_cast<float>(value), 0.f); break;
    case DType::kComplex128: *static_cast<std::complex<double>*>(p) = std::complex<double>(value, 0.0); break;
    default: throw UserError(ExitCode::kEval, "cannot make a scalar of dtype " + std::string(dtype_name(dtype)));
  }
  return t;
}

const void* Tensor::raw() const { return has_values() ? meta_->storage->bytes : nullptr; }
void* Tensor::raw_mutable() { return has_values() ? meta_->storage->bytes : nullptr; }
bool Tensor::has_values() const { return meta_ && meta_->storage != nullptr; }

const std::vector<std::string>& Tensor::strings() const {
  static const std::vector<std::string> kEmpty;
  return has_values() && meta_->storage->strings ? *meta_->storage->strings : kEmpty;
}

double Tensor::element_as_double(std::int64_t i) const {
  const void* p = raw();
  switch (dtype()) {
    case DType::kBool: return static_cast<const bool*>(p)[i] ? 1.0 : 0.0;
    case DType::kInt8: return static_cast<const std::int8_t*>(p)[i];
    case DType::kInt16: return static_cast<const std::int16_t*>(p)[i];
    case DType::kInt32: return static_cast<const std::int32_t*>(p)[i];
    case DType::kInt64: return static_cast<double>(static_cast<const std::int64_t*>(p)[i]);
    case DType::kUInt8: return static_cast<const std::uint8_t*>(p)[i];
    case DType::kUInt16: return static_cast<const std::uint16_t*>(p)[i];
    case DType::kUInt32: return static_cast<const std::uint32_t*>(p)[i];
    case DType::kUInt64: return static_cast<double>(static_cast<const std::uint64_t*>(p)[i]);
    case DType::kFloat16: return half_to_float(static_cast<const std::uint16_t*>(p)[i]);
    case DType::kBFloat16: return bfloat16_to_float(static_cast<const std::uint16_t*>(p)[i]);
    case DType::kFloat32: return static_cast<const float*>(p)[i];
    case DType::kFloat64: return static_cast<const double*>(p)[i];
    case DType::kComplex64: return static_cast<const std::complex<float>*>(p)[i].real();
    case DType::kComplex128: return static_cast<const std::complex<double>*>(p)[i].real();
    default: throw UserError(ExitCode::kEval, "dtype " + std::string(dtype_name(dtype())) + " has no numeric value");
  }
}

Tensor Tensor::without_values() const {
  if (!has_values()) return *this;
  auto meta = std::make_shared<TensorMeta>(*meta_);
  meta->storage = nullptr;  // the id stays: tapes match tensors by id
  meta->storage_owner.reset();
  Tensor t;
  t.meta_ = std::move(meta);
  return t;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (!meta_) throw UserError(ExitCode::kEval, "reshape of an undefined tensor");
  auto meta = std::make_shared<TensorMeta>(*meta_);
  // The storage lives in this tensor's allocation unless it already lives in another's.
  if (meta->storage != nullptr && meta->storage_owner == nullptr) meta->storage_owner = meta_;
  meta->shape = std::move(shape);
  meta->id = next_id();
  Tensor t;
  t.meta_ = std::move(meta);
  return t;
}

float half_to_float(std::uint16_t bits) {
  std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t out;
  if (exponent == 0) {
    if (mantissa == 0) {
      out = sign;
    } else {  // subnormal half: normalise into a float
      int shift = 0;
      while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        ++shift;
      }
      mantissa &= 0x3ffu;
      out = sign | static_cast<std::uint32_t>(127 - 15 + 1 - shift) << 23 | mantissa << 13;
    }
  } else if (exponent == 0x1f) {
    out = sign | 0x7f800000u | mantissa << 13;
  } else {
    out = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
  }
  float value;
  std::memcpy(&value, &out, sizeof value);
  return value;
}

std::uint16_t double_to_half(double value) {
  // Round the exact double straight to half precision (no double rounding through float).
  std::uint16_t sign = std::signbit(value) ? 0x8000u : 0;
  double magnitude = std::fabs(value);
  if (std::isnan(value)) return static_cast<std::uint16_t>(sign | 0x7e00u);
  if (magnitude >= 65520.0) return static_cast<std::uint16_t>(sign | 0x7c00u);  // rounds to inf
  if (magnitude < std::ldexp(1.0, -14)) {
    // Subnormal range: units of 2^-24, round half to even.
    double units = std::nearbyint(magnitude * std::ldexp(1.0, 24));
    return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(units));
  }
  int exponent;
  double fraction = std::frexp(magnitude, &exponent);  // magnitude = fraction * 2^exponent, fraction in [0.5, 1)
  double scaled = std::nearbyint(std::ldexp(fraction, 11));  // 11 significant bits
  if (scaled >= 2048.0) {
    scaled /= 2.0;
    ++exponent;
  }
  int biased = exponent - 1 + 15;
  if (biased >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);
  return static_cast<std::uint16_t>(sign | biased << 10 | (static_cast<int>(scaled) & 0x3ff));
}

std::uint16_t float_to_half(float value) { return double_to_half(static_cast<double>(value)); }

float bfloat16_to_float(std::uint16_t bits) {
  std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof value);
  return value;
}

std::uint16_t float_to_bfloat16(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if (std::isnan(value)) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
  std::uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

}  // namespace ag
