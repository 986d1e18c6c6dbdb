// tf.convert_to_tensor for spec values, and variable reads.
#include "ops/convert.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "autodiff/tape.h"
#include "diag/error.h"
#include "format/display.h"

namespace ag {
namespace {

/// Python's repr of a float, as TF's conversion errors print it.
std::string python_float_text(double value);

/// A leaf of a nested list: a Python scalar, or one element of a tensor packed into the list.
struct Leaf {
  const Value* value;
  std::int64_t element = 0;
};

struct Flattened {
  Shape shape;
  std::vector<Leaf> leaves;
};

void flatten(const Value& value, std::size_t depth, Flattened& out, bool& first_at_depth) {
  if (value.is_sequence()) {
    if (out.shape.size() == depth) {
      if (!first_at_depth) throw UserError(ExitCode::kEval, "Can't convert non-rectangular Python sequence to Tensor.");
      out.shape.push_back(static_cast<std::int64_t>(value.items.size()));
    } else if (out.shape.size() < depth || out.shape[depth] != static_cast<std::int64_t>(value.items.size())) {
      throw UserError(ExitCode::kEval, "Can't convert non-rectangular Python sequence to Tensor.");
    }
    for (const Value& item : value.items) flatten(item, depth + 1, out, first_at_depth);
    if (value.items.empty()) first_at_depth = false;
    return;
  }
  // A tensor inside a list is packed with its own shape (tf.constant([t1, t2]) stacks them).
  Shape leaf_shape;
  if ((value.kind == ValueKind::kTensor || value.kind == ValueKind::kNumpy) && depth > 0) leaf_shape = value.tensor.shape();
  if (first_at_depth && out.shape.size() == depth) out.shape.insert(out.shape.end(), leaf_shape.begin(), leaf_shape.end());
  if (out.shape.size() != depth + leaf_shape.size() || !std::equal(leaf_shape.begin(), leaf_shape.end(), out.shape.begin() + static_cast<std::ptrdiff_t>(depth)))
    throw UserError(ExitCode::kEval, "Can't convert non-rectangular Python sequence to Tensor.");
  first_at_depth = false;
  std::int64_t count = leaf_shape.empty() ? 1 : shape_size(leaf_shape);
  for (std::int64_t i = 0; i < count; ++i) out.leaves.push_back({&value, i});
}

// Python's repr of the float (shortest round-trip digits: 3.1, not 3.1000000000000001), as TF
// writes it in "Cannot convert 3.1 to EagerTensor of dtype int32".
std::string python_float_text(double value) { return format::python_float_repr(value); }

std::string leaf_text(const Value& leaf) {
  switch (leaf.kind) {
    case ValueKind::kBool: return leaf.boolean ? "True" : "False";
    case ValueKind::kInt: return std::to_string(leaf.integer);
    case ValueKind::kFloat: return python_float_text(leaf.real);
    default: return value_type_name(leaf);
  }
}

void store(Tensor& t, std::int64_t i, const Value& leaf, std::int64_t element, DType dtype) {
  void* p = t.raw_mutable();
  double real = 0;
  double imag = 0;
  switch (leaf.kind) {
    case ValueKind::kBool: real = leaf.boolean ? 1 : 0; break;
    case ValueKind::kInt: real = static_cast<double>(leaf.integer); break;
    case ValueKind::kFloat: real = leaf.real; break;
    case ValueKind::kComplex: real = leaf.complex_value.real(); imag = leaf.complex_value.imag(); break;
    case ValueKind::kTensor:
    case ValueKind::kNumpy:
      if (dtype_is_complex(leaf.tensor.dtype())) {
        const void* data = leaf.tensor.raw();
        std::complex<double> c = leaf.tensor.dtype() == DType::kComplex64
                                     ? std::complex<double>(static_cast<const std::complex<float>*>(data)[element])
                                     : static_cast<const std::complex<double>*>(data)[element];
        real = c.real();
        imag = c.imag();
      } else {
        real = leaf.tensor.element_as_double(element);
      }
      break;
    default:
      throw UserError(ExitCode::kEval, "Attempt to convert a value (" + leaf_text(leaf) + ") with an unsupported type (" +
                                           value_type_name(leaf) + ") to a Tensor.");
  }
  if (dtype_is_integer(dtype) && leaf.kind == ValueKind::kFloat && real != std::floor(real))
    throw UserError(ExitCode::kEval, "Cannot convert " + leaf_text(leaf) + " to EagerTensor of dtype " + std::string(dtype_name(dtype)));
  if (!dtype_is_complex(dtype) && imag != 0)
    throw UserError(ExitCode::kEval, "Cannot convert complex value to EagerTensor of dtype " + std::string(dtype_name(dtype)));
  if (dtype_is_integer(dtype) && leaf.kind == ValueKind::kInt) {
    // tf.add(tf.constant([1, 2], tf.int8), [129, 130]) is [-126, -124] (tf.math.add's docstring).
    if (!store_python_int(dtype, p, i, leaf.integer))
      throw UserError(ExitCode::kEval, "Can't convert Python int " + std::to_string(leaf.integer) + " to dtype " +
                                           std::string(dtype_name(dtype)) + ": out of range");
    return;
  }
  switch (dtype) {
    case DType::kBool: static_cast<bool*>(p)[i] = real != 0; break;
    case DType::kInt8: static_cast<std::int8_t*>(p)[i] = static_cast<std::int8_t>(real); break;
    case DType::kInt16: static_cast<std::int16_t*>(p)[i] = static_cast<std::int16_t>(real); break;
    case DType::kInt32: static_cast<std::int32_t*>(p)[i] = static_cast<std::int32_t>(real); break;
    case DType::kInt64: static_cast<std::int64_t*>(p)[i] = static_cast<std::int64_t>(real); break;
    case DType::kUInt8: static_cast<std::uint8_t*>(p)[i] = static_cast<std::uint8_t>(real); break;
    case DType::kUInt16: static_cast<std::uint16_t*>(p)[i] = static_cast<std::uint16_t>(real); break;
    case DType::kUInt32: static_cast<std::uint32_t*>(p)[i] = static_cast<std::uint32_t>(real); break;
    case DType::kUInt64: static_cast<std::uint64_t*>(p)[i] = static_cast<std::uint64_t>(real); break;
    case DType::kFloat16: static_cast<std::uint16_t*>(p)[i] = double_to_half(real); break;
    case DType::kBFloat16: static_cast<std::uint16_t*>(p)[i] = float_to_bfloat16(static_cast<float>(real)); break;
    case DType::kFloat32: static_cast<float*>(p)[i] = static_cast<float>(real); break;
    case DType::kFloat64: static_cast<double*>(p)[i] = real; break;
    case DType::kComplex64: static_cast<std::complex<float>*>(p)[i] = {static_cast<float>(real), static_cast<float>(imag)}; break;
    case DType::kComplex128: static_cast<std::complex<double>*>(p)[i] = {real, imag}; break;
    default: throw UserError(ExitCode::kEval, "cannot convert a number to dtype " + std::string(dtype_name(dtype)));
  }
}

}  // namespace

std::optional<DType> python_default_dtype(const Value& value) {
  switch (value.kind) {
    case ValueKind::kBool: return DType::kBool;
    case ValueKind::kInt:
      return value.integer >= std::numeric_limits<std::int32_t>::min() && value.integer <= std::numeric_limits<std::int32_t>::max()
                 ? DType::kInt32
                 : DType::kInt64;
    case ValueKind::kFloat: return DType::kFloat32;
    case ValueKind::kComplex: return DType::kComplex128;
    case ValueKind::kString: return DType::kString;
    case ValueKind::kTensor:
    case ValueKind::kNumpy: return value.tensor.dtype();
    case ValueKind::kVariable: return value.variable->value.dtype();
    case ValueKind::kList:
    case ValueKind::kTuple: {
      std::optional<DType> result;
      for (const Value& item : value.items) {
        std::optional<DType> item_dtype = python_default_dtype(item);
        if (!item_dtype) return std::nullopt;
        if (!result) {
          result = item_dtype;
        } else if (*result != *item_dtype) {
          // Python numbers promote: bool < int < float < complex (as numpy infers).
          auto rank = [](DType d) {
            return d == DType::kBool ? 0 : dtype_is_integer(d) ? 1 : dtype_is_floating(d) ? 2 : 3;
          };
          if (rank(*item_dtype) > rank(*result) || (*item_dtype == DType::kInt64 && *result == DType::kInt32)) result = item_dtype;
        }
      }
      return result ? result : std::optional<DType>(DType::kFloat32);
    }
    default: return std::nullopt;
  }
}

bool store_python_int(DType dtype, void* data, std::int64_t index, std::int64_t v) {
  switch (dtype) {
    case DType::kInt8: static_cast<std::int8_t*>(data)[index] = static_cast<std::int8_t>(v); return true;
    case DType::kInt16: static_cast<std::int16_t*>(data)[index] = static_cast<std::int16_t>(v); return true;
    case DType::kInt32:
      if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) return false;
      static_cast<std::int32_t*>(data)[index] = static_cast<std::int32_t>(v);
      return true;
    case DType::kInt64: static_cast<std::int64_t*>(data)[index] = v; return true;
    case DType::kUInt8: static_cast<std::uint8_t*>(data)[index] = static_cast<std::uint8_t>(v); return true;
    case DType::kUInt16: static_cast<std::uint16_t*>(data)[index] = static_cast<std::uint16_t>(v); return true;
    case DType::kUInt32: static_cast<std::uint32_t*>(data)[index] = static_cast<std::uint32_t>(v); return true;
    case DType::kUInt64:
      if (v < 0) return false;
      static_cast<std::uint64_t*>(data)[index] = static_cast<std::uint64_t>(v);
      return true;
    default: return false;
  }
}

Tensor to_tensor(const Value& value, std::optional<DType> hint, const std::string& what) {
  if (value.kind == ValueKind::kTensor || value.kind == ValueKind::kNumpy) {
    if (hint && *hint != value.tensor.dtype())
      throw UserError(ExitCode::kEval, "Tensor conversion requested dtype " + std::string(dtype_name(*hint)) +
                                           " for Tensor with dtype " + std::string(dtype_name(value.tensor.dtype())) +
                                           (what.empty() ? "" : " (in " + what + ")"));
    return value.tensor;
  }
  if (value.kind == ValueKind::kVariable) {
    Tensor read = read_variable(*value.variable);
    if (hint && *hint != read.dtype())
      throw UserError(ExitCode::kEval, "Tensor conversion requested dtype " + std::string(dtype_name(*hint)) +
                                           " for Tensor with dtype " + std::string(dtype_name(read.dtype())));
    return read;
  }
  if (value.kind == ValueKind::kString) return Tensor::from_strings({}, {value.text});
  if (value.is_none())
    throw UserError(ExitCode::kEval, std::string("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.") +
                                         (what.empty() ? "" : " (in " + what + ")"));
  if (value.is_python_number()) {
    // The common case of a literal met by a tensor (x * 2.0): what the general path below does
    // with its one leaf, without building the flattened list.
    const DType dtype = hint ? *hint : *python_default_dtype(value);
    if (dtype != DType::kString) {
      Tensor t = Tensor::allocate(dtype, {});
      store(t, 0, value, 0, dtype);
      return t;
    }
  }
  Flattened flat;
  bool first = true;
  flatten(value, 0, flat, first);
  std::optional<DType> dtype = hint ? hint : python_default_dtype(value);
  if (!dtype) {
    const Value* bad = flat.leaves.empty() ? &value : flat.leaves.front().value;
    for (const Leaf& leaf : flat.leaves)
      if (!python_default_dtype(*leaf.value)) bad = leaf.value;
    throw UserError(ExitCode::kEval, "Attempt to convert a value of type " + value_type_name(*bad) + " to a Tensor" +
                                         (what.empty() ? "" : " (in " + what + ")"));
  }
  if (*dtype == DType::kString) {
    std::vector<std::string> strings;
    for (const Leaf& leaf : flat.leaves) {
      if (leaf.value->kind == ValueKind::kString) strings.push_back(leaf.value->text);
      else if (leaf.value->kind == ValueKind::kTensor && leaf.value->tensor.dtype() == DType::kString)
        strings.push_back(leaf.value->tensor.strings()[static_cast<std::size_t>(leaf.element)]);
      else throw UserError(ExitCode::kEval, "Can't convert a mix of strings and numbers to a Tensor.");
    }
    return Tensor::from_strings(flat.shape, std::move(strings));
  }
  Tensor t = Tensor::allocate(*dtype, flat.shape);
  for (std::size_t i = 0; i < flat.leaves.size(); ++i)
    store(t, static_cast<std::int64_t>(i), *flat.leaves[i].value, flat.leaves[i].element, *dtype);
  return t;
}

void watch_variable(VariableState& variable, const GradientTape* tape) { variable.watchers.push_back(tape); }

Tensor read_variable(VariableState& variable) {
  Tensor read = variable.value.reshaped(variable.value.shape());
  for (GradientTape* tape : active_tapes()) {
    bool told = std::find(variable.watchers.begin(), variable.watchers.end(), tape) != variable.watchers.end();
    if (told || (variable.trainable && tape->watch_accessed_variables())) tape->watch(read);
  }
  variable.reads.push_back(read);
  return read;
}

}  // namespace ag
