// Element-wise comparisons and logical ops (bool results), and select (TF2's where_v2).
#include "kernels/elementwise.h"

namespace ag::kernels {
namespace {

template <class Tr, class F>
Tensor map_to_bool(const Tensor& x, const Tensor& y, const Shape& shape, F compute) {
  using S = typename Tr::Storage;
  Tensor out = Tensor::allocate(DType::kBool, shape);
  broadcast_binary_loop<S, bool>(x, y, out, [compute](S a, S b) { return compute(Tr::load(a), Tr::load(b)); });
  return out;
}

template <class Tr>
Tensor comparison(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape) {
  using C = typename Tr::Compute;
  constexpr bool kOrdered = !is_complex_v<Tr> && !is_bool_v<Tr>;
  switch (op) {
    case BinaryOp::kEqual: return map_to_bool<Tr>(x, y, shape, [](C a, C b) { return a == b; });
    case BinaryOp::kNotEqual: return map_to_bool<Tr>(x, y, shape, [](C a, C b) { return a != b; });
    case BinaryOp::kLess:
      if constexpr (kOrdered) return map_to_bool<Tr>(x, y, shape, [](C a, C b) { return a < b; });
      break;
    case BinaryOp::kLessEqual:
      if constexpr (kOrdered) return map_to_bool<Tr>(x, y, shape, [](C a, C b) { return a <= b; });
      break;
    case BinaryOp::kGreater:
      if constexpr (kOrdered) return map_to_bool<Tr>(x, y, shape, [](C a, C b) { return a > b; });
      break;
    case BinaryOp::kGreaterEqual:
      if constexpr (kOrdered) return map_to_bool<Tr>(x, y, shape, [](C a, C b) { return a >= b; });
      break;
    case BinaryOp::kLogicalAnd:
      if constexpr (is_bool_v<Tr>) return map_to_bool<Tr>(x, y, shape, [](bool a, bool b) { return a && b; });
      break;
    case BinaryOp::kLogicalOr:
      if constexpr (is_bool_v<Tr>) return map_to_bool<Tr>(x, y, shape, [](bool a, bool b) { return a || b; });
      break;
    default: break;
  }
  unreachable_dtype(op_name(op), Tr::dtype);
}

template <class E>
void select_loop(const Tensor& condition, const Tensor& x, const Tensor& y, Tensor& out) {
  const bool* pc = condition.data<bool>();
  const E* px = x.data<E>();
  const E* py = y.data<E>();
  E* po = out.mutable_data<E>();
  const std::int64_t n = out.size();
  if (n == 0) return;
  if (condition.size() == n && x.size() == n && y.size() == n) {
    for (std::int64_t i = 0; i < n; ++i) po[i] = pc[i] ? px[i] : py[i];
    return;
  }
  const Shape& shape = out.shape();
  StridedSpace<4> space = make_strided_space<4>(
      shape, {shape_strides(shape), broadcast_strides(condition.shape(), shape), broadcast_strides(x.shape(), shape),
              broadcast_strides(y.shape(), shape)});
  for_each_run(space, [&](const std::array<std::int64_t, 4>& at, std::int64_t length,
                          const std::array<std::int64_t, 4>& step) {
    E* o = po + at[0];
    const bool* c = pc + at[1];
    const E* a = px + at[2];
    const E* b = py + at[3];
    for (std::int64_t i = 0; i < length; ++i) o[i] = c[i * step[1]] ? a[i * step[2]] : b[i * step[3]];
  });
}

}  // namespace

Tensor binary_comparison(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape) {
  return visit_dtype(x.dtype(), [&](auto traits) -> Tensor {
    return comparison<decltype(traits)>(op, x, y, shape);
  });
}

Tensor select(const Tensor& condition, const Tensor& x, const Tensor& y) {
  require_dtype("where", condition.dtype(), kBoolSet);
  require_same_dtype("where", x.dtype(), y.dtype());
  require_dtype("where", x.dtype(), kAllSet);
  // TF's SelectV2 checks then/else first, then the condition against their broadcast.
  Shape values;
  try {
    values = broadcast_shapes(x.shape(), y.shape());
  } catch (const UserError&) {
    throw UserError(ExitCode::kEval,
                    "then " + tf_shape_str(x.shape()) + " and else " + tf_shape_str(y.shape()) + " must be broadcastable");
  }
  Shape shape;
  try {
    shape = broadcast_shapes(condition.shape(), values);
  } catch (const UserError&) {
    throw UserError(ExitCode::kEval, "condition " + tf_shape_str(condition.shape()) + ", then " +
                                         tf_shape_str(x.shape()) + ", and else " + tf_shape_str(y.shape()) +
                                         " must be broadcastable");
  }
  Tensor out = Tensor::allocate(x.dtype(), shape);
  visit_dtype(x.dtype(), [&](auto traits) {
    select_loop<typename decltype(traits)::Storage>(condition, x, y, out);
  });
  return out;
}

}  // namespace ag::kernels
