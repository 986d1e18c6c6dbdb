// Argument checks and the Python-side arithmetic shared by the stateless ops and Generator.
#include "ops/random_sampling.h"

#include "diag/error.h"
#include "ops/api.h"
#include "ops/call_args.h"
#include "ops/convert.h"
#include "ops/random_state.h"

namespace ag {
namespace {

/// TF's TensorShape::DebugString ("[2,3]"), the spelling of its kernel messages.
std::string debug_shape(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace

Shape random_shape(const CallArgs& args, const char* param, DType dtype, const std::string& op) {
  const Value& value = args[param];
  bool scalar_tensor = (value.kind == ValueKind::kTensor || value.kind == ValueKind::kNumpy) && value.tensor.rank() == 0;
  if (value.kind == ValueKind::kInt || value.kind == ValueKind::kBool || scalar_tensor)
    throw UserError(ExitCode::kEval, op + ": shape must be a vector of {int32,int64}, got shape []");
  if (value.kind == ValueKind::kTensor && value.tensor.rank() > 1)
    throw UserError(ExitCode::kEval, op + ": shape must be a vector of {int32,int64}, got shape " +
                                         debug_shape(value.tensor.shape()));
  Shape shape = args.shape(param);
  check_output_shape(shape, dtype, op);
  return shape;
}

void require_float_dtype(DType dtype, const std::string& op) {
  if (!dtype_is_floating(dtype))
    throw UserError(ExitCode::kEval, op + ": dtype " + std::string(dtype_name(dtype)) +
                                         " is not supported (expected one of float16, bfloat16, float32, float64)");
}

kernels::random::Philox stateless_philox(const CallArgs& args, const char* param, const std::string& op) {
  Tensor seed = args.tensor(param);
  if (seed.dtype() != DType::kInt32 && seed.dtype() != DType::kInt64)
    throw UserError(ExitCode::kEval, op + ": Invalid seed type: " + std::string(dtype_name(seed.dtype())) +
                                         " (a seed is a shape [2] tensor of int32 or int64)");
  if (seed.rank() != 1 || seed.shape()[0] != 2)
    throw UserError(ExitCode::kEval, op + ": seed must have shape [2], not " + debug_shape(seed.shape()));
  // int32 seeds are sign-extended to 64 bits, as TF's GenerateKey reads them.
  auto word = [&](std::int64_t i) {
    std::int64_t v = seed.dtype() == DType::kInt32 ? seed.data<std::int32_t>()[i] : seed.data<std::int64_t>()[i];
    return static_cast<std::uint64_t>(v);
  };
  return kernels::random::philox_from_stateless_seed(word(0), word(1));
}

Tensor scale_and_shift(const Tensor& rnd, const Value& stddev, const Value& mean, DType dtype, const std::string& op) {
  Tensor scale = to_tensor(stddev, dtype, op);
  Tensor shift = to_tensor(mean, dtype, op);
  return ops::add(ops::multiply(rnd, scale), shift);
}

Tensor uniform_from(kernels::random::Philox gen, const Shape& shape, DType dtype, const Value& minval, const Value& maxval,
                    const std::string& op) {
  if (dtype_is_integer(dtype)) {
    if (minval.is_none() != maxval.is_none())
      throw UserError(ExitCode::kEval, "For integer dtype " + std::string(dtype_name(dtype)) +
                                           ", minval and maxval must be both `None` or both non-`None`.");
    if (minval.is_none()) return kernels::random::fill_uniform_full_int(dtype, shape, gen);
    if (dtype != DType::kInt32 && dtype != DType::kInt64)
      throw UserError(ExitCode::kEval, "Invalid dtype for bounded uniform integers: tf." + std::string(dtype_name(dtype)));
    Tensor lo = to_tensor(minval, dtype, op);
    Tensor hi = to_tensor(maxval, dtype, op);
    if (lo.rank() != 0) throw UserError(ExitCode::kEval, op + ": minval must be 0-D, got shape " + debug_shape(lo.shape()));
    if (hi.rank() != 0) throw UserError(ExitCode::kEval, op + ": maxval must be 0-D, got shape " + debug_shape(hi.shape()));
    auto read = [&](const Tensor& t) {
      return dtype == DType::kInt32 ? std::int64_t{t.data<std::int32_t>()[0]} : t.data<std::int64_t>()[0];
    };
    std::int64_t low = read(lo), high = read(hi);
    if (shape_size(shape) == 0) return Tensor::allocate(dtype, shape);
    if (!(low < high))
      throw UserError(ExitCode::kEval, op + ": Need minval < maxval, got " + std::to_string(low) + " >= " + std::to_string(high));
    return kernels::random::fill_uniform_int(dtype, shape, low, high, gen);
  }
  require_float_dtype(dtype, op);
  Tensor rnd = kernels::random::fill_uniform(dtype, shape, gen);
  Tensor lo = to_tensor(minval.is_none() ? Value::of_int(0) : minval, dtype, op);
  Tensor hi = to_tensor(maxval.is_none() ? Value::of_int(1) : maxval, dtype, op);
  return ops::add(ops::multiply(rnd, ops::subtract(hi, lo)), lo);
}

}  // namespace ag
