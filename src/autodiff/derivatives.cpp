// jacobian, batch_jacobian, hessian and jvp on top of GradientTape's reverse sweep. None of them
// re-runs the forward pass: a jacobian with N rows is N sweeps over the recorded nodes, each
// seeded with a one-hot cotangent, and a jvp is two sweeps (the transpose of a VJP).
#include "autodiff/derivatives.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_set>

#include "diag/error.h"
#include "ops/api.h"

namespace ag {
namespace {

Shape concat_shapes(const Shape& a, const Shape& b) {
  Shape out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

/// A constant tensor of zeros with ones at the given flat indices.
Tensor seed_with_ones(DType dtype, const Shape& shape, const std::vector<std::int64_t>& indices) {
  std::size_t element = storage_element_size(dtype);
  if (element == 0) throw UserError(ExitCode::kEval, "cannot differentiate a " + std::string(dtype_name(dtype)) + " tensor");
  Tensor seed = Tensor::allocate(dtype, shape);
  // All-zero bytes are 0 in every float format (IEEE half, bfloat16, float, double, complex).
  std::memset(seed.raw_mutable(), 0, element * static_cast<std::size_t>(seed.size()));
  Tensor one = Tensor::scalar(dtype, 1.0);
  auto* bytes = static_cast<unsigned char*>(seed.raw_mutable());
  for (std::int64_t index : indices) std::memcpy(bytes + element * static_cast<std::size_t>(index), one.raw(), element);
  return seed;
}

// Pack: stack rows along a new first axis. Its gradient gives each input its slice of g; the
// slices are StridedSlice ops, whose own rules give every higher order.   (TF: _PackGrad)
Grads grad_pack(const GradArgs& a) {
  Grads out(a.inputs.size());
  const Shape& row_shape = a.x(0).shape();
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    if (!a.needs(i)) continue;
    std::vector<kernels::SliceAxis> axes{{static_cast<std::int64_t>(i), 1, 1}};
    for (std::int64_t dim : row_shape) axes.push_back({0, 1, dim});
    out[i] = ops::strided_slice(a.grad, axes, row_shape);
  }
  return out;
}

const Primitive kPack{"Pack", grad_pack};

/// Copies onto `sub` the nodes of `tape` on a path from a source to `target`, with the same
/// watches. Row sweeps then cost the size of that path, not of the whole tape, which also grows
/// by every recorded row while a jacobian is computed on a recording tape.
void copy_subgraph(const GradientTape& tape, const Tensor& target, const std::vector<GradientSource>& sources,
                   GradientTape& sub) {
  const std::size_t count = tape.node_count();
  std::unordered_set<std::uint64_t> depends;
  for (const GradientSource& source : sources)
    for (std::uint64_t id : source.ids)
      if (tape.watches(id)) depends.insert(id);
  const std::unordered_set<std::uint64_t> watched_sources = depends;
  auto watch_if_source = [&](const Tensor& t) {
    if (watched_sources.count(t.id())) sub.watch(t);
  };
  watch_if_source(target);
  std::vector<bool> forward(count, false);
  for (std::size_t i = 0; i < count; ++i)
    for (const Tensor& input : tape.node(i).inputs)
      if (depends.count(input.id())) {
        forward[i] = true;
        depends.insert(tape.node(i).output.id());
        break;
      }
  std::unordered_set<std::uint64_t> needed{target.id()};
  std::vector<bool> keep(count, false);
  for (std::size_t i = count; i-- > 0;) {
    if (!forward[i] || !needed.count(tape.node(i).output.id())) continue;
    keep[i] = true;
    for (const Tensor& input : tape.node(i).inputs) needed.insert(input.id());
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (!keep[i]) continue;
    const TapeNode& node = tape.node(i);
    for (const Tensor& input : node.inputs) watch_if_source(input);
    sub.record(*node.op, node.inputs, node.output, node.attrs);
  }
}

}  // namespace

Tensor one_hot_seed(DType dtype, const Shape& shape, std::int64_t index) { return seed_with_ones(dtype, shape, {index}); }

Tensor pack_rows(const std::vector<Tensor>& rows) {
  if (rows.empty()) throw UserError(ExitCode::kEval, "pack_rows: nothing to stack");
  const Tensor& first = rows[0];
  std::size_t element = storage_element_size(first.dtype());
  if (element == 0) throw UserError(ExitCode::kEval, "cannot stack " + std::string(dtype_name(first.dtype())) + " tensors");
  Shape shape = concat_shapes({static_cast<std::int64_t>(rows.size())}, first.shape());
  Tensor packed = Tensor::allocate(first.dtype(), shape);
  auto* bytes = static_cast<unsigned char*>(packed.raw_mutable());
  std::size_t row_bytes = element * static_cast<std::size_t>(first.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].shape() != first.shape() || rows[i].dtype() != first.dtype())
      throw UserError(ExitCode::kEval, "pack_rows: row " + std::to_string(i) + " has shape " + shape_str(rows[i].shape()) +
                                           ", row 0 has " + shape_str(first.shape()));
    if (row_bytes) std::memcpy(bytes + i * row_bytes, rows[i].raw(), row_bytes);
  }
  if (!active_tapes().empty()) record_on_active_tapes(kPack, rows, packed, {});
  return packed;
}

std::vector<std::optional<Tensor>> jacobian(GradientTape& tape, const Tensor& target,
                                            const std::vector<GradientSource>& sources, Unconnected unconnected) {
  const std::int64_t count = target.size();
  GradientTape sub(true, false);
  copy_subgraph(tape, target, sources, sub);
  std::vector<std::vector<Tensor>> rows(sources.size());
  std::vector<bool> connected(sources.size(), count > 0);
  for (std::int64_t i = 0; i < count; ++i) {
    // Whether a source is reached does not depend on the seed's values: row 0 decides for all.
    std::vector<std::optional<Tensor>> grads =
        sub.gradient({target}, sources, {one_hot_seed(target.dtype(), target.shape(), i)}, Unconnected::kNone);
    bool any = false;
    for (std::size_t s = 0; s < sources.size(); ++s) {
      if (!connected[s]) continue;
      if (!grads[s]) {
        connected[s] = false;
        continue;
      }
      rows[s].push_back(*grads[s]);
      any = true;
    }
    if (!any) break;
  }
  std::vector<std::optional<Tensor>> result;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    Shape shape = concat_shapes(target.shape(), sources[s].shape);
    if (connected[s]) {
      // A scalar target's jacobian is its gradient (TF's reshape of one row is the same values).
      Tensor packed = count == 1 && target.rank() == 0 ? rows[s][0] : pack_rows(rows[s]);
      result.emplace_back(packed.shape() == shape ? packed : ops::reshape(packed, shape));
    } else if (unconnected == Unconnected::kZero || count == 0) {
      result.emplace_back(ops::zeros(sources[s].dtype, shape));
    } else {
      result.emplace_back();
    }
  }
  return result;
}

std::optional<Tensor> batch_jacobian(GradientTape& tape, const Tensor& target, const GradientSource& source,
                                     Unconnected unconnected) {
  for (const Shape* shape : {&target.shape(), &source.shape})
    if (shape->size() < 2)
      throw UserError(ExitCode::kEval, "Shape " + shape_str(*shape) + " must have rank at least 2");
  if (target.shape()[0] != source.shape[0])
    throw UserError(ExitCode::kEval, "Need first dimension of target shape " + shape_str(target.shape()) +
                                         " and source shape " + shape_str(source.shape) + " to match.");
  const std::int64_t batch = target.shape()[0];
  const std::int64_t row_size = batch == 0 ? 0 : target.size() / batch;
  Shape result_shape = concat_shapes(target.shape(), Shape(source.shape.begin() + 1, source.shape.end()));
  GradientTape sub(true, false);
  copy_subgraph(tape, target, {source}, sub);
  std::vector<Tensor> columns;
  for (std::int64_t j = 0; j < row_size; ++j) {
    // Element j of every batch row at once: the gradient of sum_b target[b, j].
    std::vector<std::int64_t> indices;
    for (std::int64_t b = 0; b < batch; ++b) indices.push_back(b * row_size + j);
    Tensor seed = seed_with_ones(target.dtype(), target.shape(), indices);
    std::optional<Tensor> column = sub.gradient({target}, {source}, {seed}, Unconnected::kNone)[0];
    if (!column) {
      if (unconnected == Unconnected::kZero) return ops::zeros(source.dtype, result_shape);
      return std::nullopt;
    }
    columns.push_back(*column);
  }
  if (columns.empty()) return ops::zeros(source.dtype, result_shape);
  // [row, b, x...] → [row, b, X] → [b, row, X] → target.shape + source.shape[1:]   (TF's order)
  Tensor packed = pack_rows(columns);
  Tensor flat = ops::reshape(packed, {row_size, batch, -1});
  return ops::reshape(ops::transpose(flat, {1, 0, 2}), result_shape);
}

std::vector<std::optional<Tensor>> hessian(GradientTape& tape, const std::vector<Tensor>& targets,
                                           const std::vector<GradientSource>& sources, Unconnected unconnected) {
  // The gradient must be recorded on the tape to be differentiated again.
  bool was_recording = tape.recording();
  if (!was_recording) tape.push();
  std::vector<std::optional<Tensor>> result;
  try {
    std::vector<std::optional<Tensor>> gradients = tape.gradient(targets, sources, {}, Unconnected::kNone);
    for (std::size_t s = 0; s < sources.size(); ++s) {
      std::optional<Tensor> block;
      if (gradients[s]) block = jacobian(tape, *gradients[s], {sources[s]}, unconnected)[0];
      if (!block && unconnected == Unconnected::kZero)
        block = ops::zeros(sources[s].dtype, concat_shapes(sources[s].shape, sources[s].shape));
      result.push_back(block);
    }
  } catch (...) {
    if (!was_recording) tape.pop();
    throw;
  }
  if (!was_recording) tape.pop();
  return result;
}

std::vector<std::optional<Tensor>> jvp(GradientTape& tape, const std::vector<Tensor>& targets,
                                       const std::vector<GradientSource>& sources, const std::vector<Tensor>& tangents,
                                       Unconnected unconnected) {
  // u_k: a dummy cotangent per target (its value is irrelevant: Jᵀu is linear in u; ones, as
  // TF's forwardprop uses), watched by a private tape that records u ↦ Jᵀu.
  std::vector<Tensor> dummies;
  std::vector<GradientSource> dummy_sources;
  std::vector<std::optional<Tensor>> seeds;
  GradientTape transpose_tape(false, false);
  for (const Tensor& target : targets) {
    Tensor u = ops::ones_like(target);
    dummies.push_back(u);
    dummy_sources.push_back({{u.id()}, u.shape(), u.dtype()});
    seeds.emplace_back(u);
    transpose_tape.watch(u);
  }
  transpose_tape.push();
  std::vector<std::optional<Tensor>> vjps;
  try {
    vjps = tape.gradient(targets, sources, seeds, Unconnected::kNone);
  } catch (...) {
    transpose_tape.pop();
    throw;
  }
  transpose_tape.pop();

  // d/du <Jᵀu, v> = J v: the gradient of the VJPs with respect to the dummies, seeded with v.
  std::vector<Tensor> linear;
  std::vector<std::optional<Tensor>> directions;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    if (!vjps[s]) continue;
    linear.push_back(*vjps[s]);
    directions.emplace_back(tangents[s]);
  }
  std::vector<std::optional<Tensor>> result(targets.size());
  if (!linear.empty()) result = transpose_tape.gradient(linear, dummy_sources, directions, Unconnected::kNone);
  for (std::size_t k = 0; k < targets.size(); ++k)
    if (!result[k] && unconnected == Unconnected::kZero) result[k] = ops::zeros_like(targets[k]);
  return result;
}

// ---------------------------------------------------------------------------------------------
// The nan trap

namespace {

/// For each element of `out` (row-major), the flat index of the element of a tensor of shape
/// `from` that broadcasting maps onto it.
std::vector<std::int64_t> broadcast_index(const Shape& from, const Shape& out) {
  std::vector<std::int64_t> from_strides = shape_strides(from);
  std::int64_t count = shape_size(out);
  std::vector<std::int64_t> result(static_cast<std::size_t>(count), 0);
  std::size_t lead = out.size() - from.size();
  std::vector<std::int64_t> position(out.size(), 0);
  for (std::int64_t flat = 0; flat < count; ++flat) {
    std::int64_t index = 0;
    for (std::size_t axis = lead; axis < out.size(); ++axis)
      if (from[axis - lead] != 1) index += position[axis] * from_strides[axis - lead];
    result[static_cast<std::size_t>(flat)] = index;
    for (std::size_t axis = out.size(); axis-- > 0;) {
      if (++position[axis] < out[axis]) break;
      position[axis] = 0;
    }
  }
  return result;
}

/// Element values of t as `out` broadcasting sees them.
std::vector<double> broadcast_values(const Tensor& t, const Shape& out) {
  std::vector<double> values;
  for (std::int64_t index : broadcast_index(t.shape(), out)) values.push_back(t.element_as_double(index));
  return values;
}

}  // namespace

namespace {

/// Whether any of `count` IEEE values has an all-ones exponent (inf or nan): integer operations
/// on the bit patterns, which the compiler vectorises, so the scan runs at memory speed.
template <class Bits>
bool any_all_ones_exponent(const void* data, std::size_t count, Bits exponent) {
  const Bits* bits = static_cast<const Bits*>(data);
  Bits found = 0;
  for (std::size_t i = 0; i < count; ++i) found |= static_cast<Bits>((bits[i] & exponent) == exponent);
  return found != 0;
}

}  // namespace

bool has_non_finite(const Tensor& tensor) {
  const std::size_t count = static_cast<std::size_t>(tensor.size());
  switch (tensor.dtype()) {
    case DType::kFloat32: return any_all_ones_exponent<std::uint32_t>(tensor.raw(), count, 0x7f800000u);
    case DType::kFloat64: return any_all_ones_exponent<std::uint64_t>(tensor.raw(), count, 0x7ff0000000000000ull);
    case DType::kComplex64: return any_all_ones_exponent<std::uint32_t>(tensor.raw(), 2 * count, 0x7f800000u);
    case DType::kComplex128: return any_all_ones_exponent<std::uint64_t>(tensor.raw(), 2 * count, 0x7ff0000000000000ull);
    default: break;
  }
  if (!dtype_is_floating(tensor.dtype())) return false;
  for (std::int64_t i = 0; i < tensor.size(); ++i)
    if (!std::isfinite(tensor.element_as_double(i))) return true;
  return false;
}

bool records_selection(const GradientTape& tape, std::size_t node_limit) {
  return tape.first_selection() < std::min(node_limit, tape.node_count());
}

std::vector<NanTrap> find_nan_traps(GradientTape& tape, std::size_t node_limit, const std::vector<Tensor>& targets,
                                    const std::vector<GradientSource>& sources) {
  // The nodes the targets depend on: a walk back over the recorded nodes.
  std::size_t limit = std::min(node_limit, tape.node_count());
  std::unordered_set<std::uint64_t> needed;
  for (const Tensor& target : targets) needed.insert(target.id());
  std::vector<bool> on_path(limit, false);
  for (std::size_t i = limit; i-- > 0;) {
    const TapeNode& node = tape.node(i);
    if (!needed.count(node.output.id())) continue;
    on_path[i] = true;
    for (const Tensor& input : node.inputs) needed.insert(input.id());
  }
  std::vector<NanTrap> traps;
  RecordingPause pause;
  for (std::size_t i = 0; i < limit; ++i) {
    if (!on_path[i]) continue;
    const TapeNode& node = tape.node(i);
    std::string_view name = node.op->name;
    std::size_t first_branch = name == "SelectV2" ? 1 : 0;
    if (!node.op->selects_branch) continue;
    if (node.inputs.size() < first_branch + 2) continue;
    // taken[k]: whether output element k comes from the first branch (ties go to it, as in TF).
    const Shape& out = node.output.shape();
    std::vector<bool> first_taken;
    if (name == "SelectV2") {
      for (double c : broadcast_values(node.inputs[0], out)) first_taken.push_back(c != 0);
    } else {
      std::vector<double> x = broadcast_values(node.inputs[0], out);
      std::vector<double> y = broadcast_values(node.inputs[1], out);
      for (std::size_t k = 0; k < x.size(); ++k) first_taken.push_back(name == "Maximum" ? x[k] >= y[k] : x[k] <= y[k]);
    }
    for (std::size_t branch = first_branch; branch < first_branch + 2; ++branch) {
      const Tensor& value = node.inputs[branch];
      if (!dtype_is_differentiable(value.dtype())) continue;
      // Elements of the branch (in its own shape) that some output element does not take.
      std::vector<bool> not_taken(static_cast<std::size_t>(value.size()), false);
      std::vector<std::int64_t> map = broadcast_index(value.shape(), out);
      bool any = false;
      for (std::size_t k = 0; k < map.size(); ++k)
        if (first_taken[k] != (branch == first_branch)) any = not_taken[static_cast<std::size_t>(map[k])] = true;
      if (!any) continue;
      // The selection sends zeros into the branch where it is not taken: follow those zeros.
      std::vector<std::optional<Tensor>> grads = tape.gradient({value}, sources, {ops::zeros_like(value)}, Unconnected::kNone);
      NanTrap trap{i, branch, 0};
      for (std::size_t s = 0; s < grads.size(); ++s) {
        if (!grads[s] || !has_non_finite(*grads[s])) continue;
        bool elementwise = grads[s]->shape() == value.shape();
        for (std::int64_t k = 0; k < grads[s]->size(); ++k)
          if (!std::isfinite(grads[s]->element_as_double(k)) && (!elementwise || not_taken[static_cast<std::size_t>(k)]))
            ++trap.elements;
      }
      if (trap.elements > 0) traps.push_back(trap);
    }
  }
  return traps;
}

}  // namespace ag
