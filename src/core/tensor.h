// The tensor handle every layer passes around: an immutable, shared, row-major buffer with a dtype.
#pragma once

#include <complex>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"

namespace ag {

struct TensorStorage;

/// What a Tensor handle points at: the value's dtype, shape and identity, and its storage
/// (shared between reshapes). Copying a Tensor copies one pointer.
struct TensorMeta {
  /// The values; null for a tensor from without_values().
  TensorStorage* storage = nullptr;
  /// Keeps `storage` alive when it lives in another tensor's allocation (a reshape's); empty when
  /// it shares this meta's own allocation, as a new tensor's does (one allocation per tensor).
  std::shared_ptr<const void> storage_owner;
  DType dtype = DType::kFloat32;
  Shape shape;
  std::int64_t size = 0;
  std::uint64_t id = 0;
};

/// Like a TF eager tensor: values never change after creation, so tapes keep inputs without copies.
/// float16 and bfloat16 elements are stored as their 16-bit patterns (std::uint16_t);
/// complex64/complex128 as std::complex<float>/<double>; string tensors hold std::string elements.
class Tensor {
 public:
  Tensor() = default;

  /// A new tensor whose numeric storage the caller fills before sharing it.
  static Tensor allocate(DType dtype, Shape shape);
  /// A string tensor.
  static Tensor from_strings(Shape shape, std::vector<std::string> values);
  /// A 0-d tensor holding `value` converted to `dtype` (numeric dtypes only).
  static Tensor scalar(DType dtype, double value);

  bool defined() const { return meta_ != nullptr; }
  DType dtype() const { return meta_ ? meta_->dtype : DType::kFloat32; }
  const Shape& shape() const { return meta_ ? meta_->shape : empty_shape(); }
  int rank() const { return static_cast<int>(shape().size()); }
  std::int64_t size() const { return meta_ ? meta_->size : 0; }
  /// Identity for tapes: distinct for every tensor created, including reshapes of shared storage.
  std::uint64_t id() const { return meta_ ? meta_->id : 0; }

  const void* raw() const;
  void* raw_mutable();
  template <class T>
  const T* data() const { return static_cast<const T*>(raw()); }
  template <class T>
  T* mutable_data() { return static_cast<T*>(raw_mutable()); }
  const std::vector<std::string>& strings() const;

  /// Element i (row-major) widened to double; complex gives the real part. Numeric dtypes only.
  double element_as_double(std::int64_t index) const;
  /// The same storage under a new shape of equal size (a new id).
  Tensor reshaped(Shape shape) const;
  /// The same dtype, shape and id without the values (raw() gives nullptr): what a tape keeps of a
  /// tensor whose values its gradient rule never reads, so that the buffer is freed as soon as
  /// nothing else holds it.
  Tensor without_values() const;
  /// False for a tensor from without_values() (and an undefined one).
  bool has_values() const;
  /// True when this handle is the only one to this tensor and its values (no copy, no reshape
  /// sharing them): then, and only then, a kernel may overwrite the values in place, since no one
  /// can see them change.
  bool sole_owner() const {
    return meta_ != nullptr && meta_.use_count() == 1 && meta_->storage != nullptr && meta_->storage_owner == nullptr;
  }

 private:
  static const Shape& empty_shape();
  std::shared_ptr<const TensorMeta> meta_;
};

/// Bytes of one element of dtype as stored in a Tensor (0 for string and handle dtypes).
std::size_t storage_element_size(DType dtype);

/// Runs two tasks at the same time, or one after the other when it cannot; returns when both are
/// done. The kernels' thread pool registers one (kernels/parallel.cpp), with which large buffers
/// have their pages populated in two halves at once; without one they are populated in one call.
using TaskPair = void (*)(const std::function<void()>& first, const std::function<void()>& second);
void set_task_pair(TaskPair runner);

/// IEEE half and bfloat16 conversions (round to nearest even).
float half_to_float(std::uint16_t bits);
std::uint16_t float_to_half(float value);
std::uint16_t double_to_half(double value);
float bfloat16_to_float(std::uint16_t bits);
std::uint16_t float_to_bfloat16(float value);

}  // namespace ag
