// TF's FillPhiloxRandom for the fixed-size distributions (uniform, normal, integers) and the
// variable-size one (truncated normal): which counter block feeds which output element.
#include <cmath>
#include <cstdlib>

#include "diag/error.h"
#include "kernels/random.h"

namespace ag::kernels::random {
namespace {

/// Fills `size` elements in groups of `group`: each group is one call of `make_group`, which
/// writes `group` values (the last group is cut short), in order — TF's fixed-samples fill.
template <class T, class MakeGroup>
void fill_groups(T* out, std::int64_t size, int group, MakeGroup make_group) {
  T values[8];
  for (std::int64_t offset = 0; offset < size; offset += group) {
    make_group(values);
    std::int64_t count = std::min<std::int64_t>(group, size - offset);
    for (std::int64_t i = 0; i < count; ++i) out[offset + i] = values[i];
  }
}

[[noreturn]] void bad_dtype(const char* what, DType dtype) {
  throw UserError(ExitCode::kEval, std::string(what) + ": dtype " + std::string(dtype_name(dtype)) + " is not supported");
}

}  // namespace

Tensor fill_uniform(DType dtype, const Shape& shape, Philox gen) {
  Tensor out = Tensor::allocate(dtype, shape);
  switch (dtype) {
    case DType::kFloat32:
      fill_groups(out.mutable_data<float>(), out.size(), 4, [&](float* v) {
        Philox::Block b = gen.next();
        for (int i = 0; i < 4; ++i) v[i] = uint32_to_float(b[static_cast<std::size_t>(i)]);
      });
      break;
    case DType::kFloat64:
      fill_groups(out.mutable_data<double>(), out.size(), 2, [&](double* v) {
        Philox::Block b = gen.next();
        v[0] = uint64_to_double(b[0], b[1]);
        v[1] = uint64_to_double(b[2], b[3]);
      });
      break;
    case DType::kFloat16:
      // Ten low bits as the mantissa of a half in [1, 2), minus one: exactly m / 1024.
      fill_groups(out.mutable_data<std::uint16_t>(), out.size(), 4, [&](std::uint16_t* v) {
        Philox::Block b = gen.next();
        for (int i = 0; i < 4; ++i) v[i] = double_to_half((b[static_cast<std::size_t>(i)] & 0x3ffu) / 1024.0);
      });
      break;
    case DType::kBFloat16:
      // Seven low bits as the mantissa of a bfloat16 in [1, 2), minus one: exactly m / 128.
      fill_groups(out.mutable_data<std::uint16_t>(), out.size(), 4, [&](std::uint16_t* v) {
        Philox::Block b = gen.next();
        for (int i = 0; i < 4; ++i)
          v[i] = float_to_bfloat16(static_cast<float>(b[static_cast<std::size_t>(i)] & 0x7fu) / 128.0f);
      });
      break;
    default: bad_dtype("uniform", dtype);
  }
  return out;
}

Tensor fill_normal(DType dtype, const Shape& shape, Philox gen) {
  Tensor out = Tensor::allocate(dtype, shape);
  auto four_floats = [&](float* v) {
    Philox::Block b = gen.next();
    box_muller_float(b[0], b[1], &v[0], &v[1]);
    box_muller_float(b[2], b[3], &v[2], &v[3]);
  };
  switch (dtype) {
    case DType::kFloat32: fill_groups(out.mutable_data<float>(), out.size(), 4, four_floats); break;
    case DType::kFloat64:
      fill_groups(out.mutable_data<double>(), out.size(), 2, [&](double* v) {
        Philox::Block b = gen.next();
        box_muller_double(b[0], b[1], b[2], b[3], &v[0], &v[1]);
      });
      break;
    case DType::kFloat16:
    case DType::kBFloat16: {
      // Computed in float, then rounded to the 16-bit type (Eigen::half / bfloat16 constructors).
      bool half = dtype == DType::kFloat16;
      fill_groups(out.mutable_data<std::uint16_t>(), out.size(), 4, [&](std::uint16_t* v) {
        float f[4];
        four_floats(f);
        for (int i = 0; i < 4; ++i) v[i] = half ? float_to_half(f[i]) : float_to_bfloat16(f[i]);
      });
      break;
    }
    default: bad_dtype("normal", dtype);
  }
  return out;
}

Tensor fill_truncated_normal(DType dtype, const Shape& shape, Philox base) {
  Tensor out = Tensor::allocate(dtype, shape);
  // A variable number of samples per output: each group of outputs starts at its own reserved
  // region of the stream (256 words per output), so groups are independent of one another.
  const bool is_double = dtype == DType::kFloat64;
  const int group = is_double ? 2 : 4;
  const std::uint64_t skip_per_group = static_cast<std::uint64_t>(group) * 256 / 4;
  if (dtype != DType::kFloat32 && dtype != DType::kFloat64 && dtype != DType::kFloat16 && dtype != DType::kBFloat16)
    bad_dtype("truncated_normal", dtype);
  std::int64_t size = out.size();
  for (std::int64_t g = 0; g * group < size; ++g) {
    Philox gen = base;
    gen.skip(static_cast<std::uint64_t>(g) * skip_per_group);
    SingleSample single(&gen);
    double values[4];
    int count = 0;
    while (count < group) {
      if (is_double) {
        std::uint32_t x0 = single(), x1 = single(), x2 = single(), x3 = single();
        double d[2];
        box_muller_double(x0, x1, x2, x3, &d[0], &d[1]);
        for (int k = 0; k < 2 && count < group; ++k)
          if (std::fabs(d[k]) < 2.0) values[count++] = d[k];
      } else {
        std::uint32_t x0 = single(), x1 = single();
        float f[2];
        box_muller_float(x0, x1, &f[0], &f[1]);
        for (int k = 0; k < 2 && count < group; ++k)
          if (std::fabs(f[k]) < 2.0f) values[count++] = f[k];
      }
    }
    for (int i = 0; i < group && g * group + i < size; ++i) {
      std::int64_t at = g * group + i;
      switch (dtype) {
        case DType::kFloat32: out.mutable_data<float>()[at] = static_cast<float>(values[i]); break;
        case DType::kFloat64: out.mutable_data<double>()[at] = values[i]; break;
        case DType::kFloat16: out.mutable_data<std::uint16_t>()[at] = float_to_half(static_cast<float>(values[i])); break;
        default: out.mutable_data<std::uint16_t>()[at] = float_to_bfloat16(static_cast<float>(values[i])); break;
      }
    }
  }
  return out;
}

Tensor fill_uniform_int(DType dtype, const Shape& shape, std::int64_t lo, std::int64_t hi, Philox gen) {
  Tensor out = Tensor::allocate(dtype, shape);
  if (dtype == DType::kInt32) {
    // The range is unsigned: hi - lo may overflow int32 but always fits uint32.
    const std::uint32_t range = static_cast<std::uint32_t>(hi) - static_cast<std::uint32_t>(lo);
    fill_groups(out.mutable_data<std::int32_t>(), out.size(), 4, [&](std::int32_t* v) {
      Philox::Block b = gen.next();
      for (int i = 0; i < 4; ++i) v[i] = static_cast<std::int32_t>(lo + (b[static_cast<std::size_t>(i)] % range));
    });
  } else if (dtype == DType::kInt64) {
    const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    fill_groups(out.mutable_data<std::int64_t>(), out.size(), 2, [&](std::int64_t* v) {
      Philox::Block b = gen.next();
      for (int i = 0; i < 2; ++i) {
        std::uint64_t bits = b[static_cast<std::size_t>(2 * i)] | static_cast<std::uint64_t>(b[static_cast<std::size_t>(2 * i + 1)]) << 32;
        v[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + bits % range);
      }
    });
  } else {
    bad_dtype("uniform (integers)", dtype);
  }
  return out;
}

Tensor fill_uniform_full_int(DType dtype, const Shape& shape, Philox gen) {
  Tensor out = Tensor::allocate(dtype, shape);
  auto words = [&](auto* data) {
    using T = std::remove_pointer_t<decltype(data)>;
    fill_groups(data, out.size(), 4, [&](T* v) {
      Philox::Block b = gen.next();
      for (int i = 0; i < 4; ++i) v[i] = static_cast<T>(b[static_cast<std::size_t>(i)]);
    });
  };
  auto doublewords = [&](auto* data) {
    using T = std::remove_pointer_t<decltype(data)>;
    fill_groups(data, out.size(), 2, [&](T* v) {
      Philox::Block b = gen.next();
      v[0] = static_cast<T>(b[0] | static_cast<std::uint64_t>(b[1]) << 32);
      v[1] = static_cast<T>(b[2] | static_cast<std::uint64_t>(b[3]) << 32);
    });
  };
  switch (dtype) {
    case DType::kInt32: words(out.mutable_data<std::int32_t>()); break;
    case DType::kUInt32: words(out.mutable_data<std::uint32_t>()); break;
    case DType::kInt64: doublewords(out.mutable_data<std::int64_t>()); break;
    case DType::kUInt64: doublewords(out.mutable_data<std::uint64_t>()); break;
    default: bad_dtype("uniform_full_int", dtype);
  }
  return out;
}

}  // namespace ag::kernels::random
