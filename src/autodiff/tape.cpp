// The tape stack, recording, and the reverse sweep.
#include "autodiff/tape.h"

#include <algorithm>

#include "core/id_map.h"
#include "diag/error.h"
#include "kernels/kernels.h"
#include "ops/api.h"

namespace ag {
namespace {

std::vector<GradientTape*>& tape_stack() {
  static thread_local std::vector<GradientTape*> stack;
  return stack;
}

/// Tensors from this many elements up (1 KiB of float32) are kept as shapes only when their
/// node's gradient rule never reads their values; smaller ones are not worth the extra handle (a
/// scalar's values share its handle's allocation). Higher-order derivatives of mid-sized tensors
/// keep every order's intermediates: W5 (1,000 elements, orders 1-8) peaks 2.3 MiB lower with
/// this threshold than with 16,384, with a fifth fewer page faults.
constexpr std::int64_t kShapeOnlyMinElements = std::int64_t{1} << 8;

/// Whether a primitive's gradient rule (ops/grads.cpp) reads the values of its inputs and of its
/// output; nullopt for the primitives not listed, which keep everything. As TF's tape does with
/// its lists of unused inputs and outputs, the values a rule never reads are not kept alive by the
/// tape: in reduce_sum(exp(sin(x)) * x) that frees sin(x) and the product as soon as the forward
/// pass is done with them, and the backward pass reuses their buffers.
struct ValuesRead {
  bool inputs;
  bool output;
};
std::optional<ValuesRead> values_read(std::string_view op) {
  if (op == "AddV2" || op == "Sub" || op == "Neg" || op == "Sum") return ValuesRead{false, false};  // shapes only
  if (op == "Mul" || op == "Sin" || op == "Cos" || op == "MatMul") return ValuesRead{true, false};
  if (op == "Exp" || op == "Tanh") return ValuesRead{false, true};  // the rule uses y = f(x)
  return std::nullopt;
}

/// Replaces the large tensors of `node` whose values its rule never reads by their shapes.
void drop_unread_values(TapeNode& node) {
  bool any_large = node.output.size() >= kShapeOnlyMinElements;
  for (const Tensor& input : node.inputs) any_large = any_large || input.size() >= kShapeOnlyMinElements;
  if (!any_large) return;  // the common case of small tensors costs no name comparison
  std::optional<ValuesRead> read = values_read(node.op->name);
  if (!read) return;
  auto drop = [](Tensor& t) {
    if (t.size() >= kShapeOnlyMinElements) t = t.without_values();
  };
  if (!read->inputs)
    for (Tensor& input : node.inputs) drop(input);
  if (!read->output) drop(node.output);
}

/// Whether `node`'s rule may be given a gradient that only broadcasts to its output.
bool takes_gradient_as_is(const TapeNode& node) {
  if (!node.op->takes_broadcast_grad) return false;
  for (const Tensor& input : node.inputs)
    if (input.shape() != node.output.shape()) return false;
  return true;
}

/// A node's record in GradientTape's sweep chunks: its output's id, its number of inputs, a mask of
/// the inputs whose dtype is differentiable (bit k for input k; inputs from kMaskInputs on are not
/// in it, and are looked up in the node), its output's rank, then the inputs' ids.
struct SweepRecord {
  static constexpr std::size_t kMaskInputs = 64;
  static constexpr std::size_t kHeader = 4;  ///< words before the inputs' ids
  const std::uint64_t* data;
  std::uint64_t output_id() const { return data[0]; }
  std::size_t input_count() const { return static_cast<std::size_t>(data[1]); }
  int output_rank() const { return static_cast<int>(data[3]); }
  std::uint64_t input_id(std::size_t k) const { return data[kHeader + k]; }
  bool differentiable(const TapeNode& node, std::size_t k) const {
    return k < kMaskInputs ? (data[2] >> k & 1) != 0 : dtype_is_differentiable(node.inputs[k].dtype());
  }
};

/// Words per chunk of sweep records (512 KiB; a record longer than that gets a chunk of its own).
constexpr std::size_t kSweepChunkWords = std::size_t{1} << 16;

bool any_watched_differentiable(const GradientTape& tape, const TensorList& inputs) {
  for (const Tensor& input : inputs)
    if (dtype_is_differentiable(input.dtype()) && tape.watches(input.id())) return true;
  return false;
}

}  // namespace

NodeAttrs::NodeAttrs(Attrs&& attrs) {
  // Every field is compared: a new one must join the comparison, or its values would be lost.
  static_assert(sizeof(Attrs) == 2 * sizeof(std::vector<std::int64_t>) + sizeof(Shape) + 8,
                "Attrs has changed: compare its new fields below");
  const bool defaults = attrs.ints.empty() && attrs.shape.empty() && !attrs.flag_a && !attrs.flag_b &&
                        attrs.dtype == Attrs{}.dtype && attrs.slices.empty();
  if (!defaults) attrs_ = std::make_unique<const Attrs>(std::move(attrs));
}

const Attrs& NodeAttrs::defaults() {
  static const Attrs kDefaults;
  return kDefaults;
}

const std::vector<GradientTape*>& active_tapes() { return tape_stack(); }

void record_on_active_tapes(const Primitive& op, TensorList&& inputs, const Tensor& output, Attrs&& attrs) {
  if (op.grad == nullptr || !dtype_is_differentiable(output.dtype())) return;
  // Each recording tape gets its own copy of the op but the last, which takes it: with one tape,
  // the usual case, nothing is copied.
  GradientTape* pending = nullptr;
  for (GradientTape* tape : tape_stack()) {
    if (!any_watched_differentiable(*tape, inputs)) continue;
    if (pending != nullptr) pending->record(op, inputs, output, attrs);
    pending = tape;
  }
  if (pending != nullptr) pending->record(op, std::move(inputs), Tensor(output), std::move(attrs));
}

RecordingPause::RecordingPause() { saved_.swap(tape_stack()); }
RecordingPause::~RecordingPause() { tape_stack().swap(saved_); }

GradientTape::GradientTape(bool persistent, bool watch_accessed_variables)
    : persistent_(persistent), watch_accessed_variables_(watch_accessed_variables) {}

GradientTape::~GradientTape() {
  if (recording_) pop();
}

void GradientTape::push() {
  if (recording_)
    throw UserError(ExitCode::kEval,
                    "Tape is still recording, This can happen if you try to re-enter an already-active tape.");
  tape_stack().push_back(this);
  recording_ = true;
}

void GradientTape::pop() {
  auto& stack = tape_stack();
  auto it = std::find(stack.begin(), stack.end(), this);
  if (it != stack.end()) stack.erase(it);
  recording_ = false;
}

void GradientTape::watch(const Tensor& tensor) { watched_.insert(tensor.id()); }

void GradientTape::record(const Primitive& op, TensorList&& inputs, Tensor&& output, Attrs&& attrs) {
  // The sweep record first, then the node; should the node not fit, the record is taken back, so
  // that every node has exactly one.
  const std::uint64_t id = output.id();
  const std::size_t words = SweepRecord::kHeader + inputs.size();
  if (static_cast<std::size_t>(sweep_end_ - sweep_next_) < words) {
    const std::size_t size = std::max(words, kSweepChunkWords);
    // Not zeroed: a chunk's pages are touched only as records fill them.
    sweep_chunks_.push_back(std::unique_ptr<std::uint64_t[]>(new std::uint64_t[size]));
    sweep_next_ = sweep_chunks_.back().get();
    sweep_end_ = sweep_next_ + size;
  }
  std::uint64_t mask = 0;
  for (std::size_t k = 0; k < inputs.size() && k < SweepRecord::kMaskInputs; ++k)
    if (dtype_is_differentiable(inputs[k].dtype())) mask |= std::uint64_t{1} << k;
  std::uint64_t* record = sweep_next_;
  record[0] = id;
  record[1] = inputs.size();
  record[2] = mask;
  record[3] = static_cast<std::uint64_t>(output.rank());
  for (std::size_t k = 0; k < inputs.size(); ++k) record[SweepRecord::kHeader + k] = inputs[k].id();
  // The record's words are claimed only once the node is in: a failure leaves neither.
  sweep_records_.push_back(record);
  try {
    nodes_.emplace_back(op, std::move(inputs), std::move(output), std::move(attrs));
  } catch (...) {
    sweep_records_.pop_back();
    throw;
  }
  sweep_next_ += words;
  if (op.selects_branch && first_selection_ > nodes_.size() - 1) first_selection_ = nodes_.size() - 1;
  drop_unread_values(nodes_.back());
  watched_.insert(id);
}

std::vector<std::optional<Tensor>> GradientTape::gradient(const std::vector<Tensor>& targets,
                                                          const std::vector<GradientSource>& sources,
                                                          const std::vector<std::optional<Tensor>>& output_gradients,
                                                          Unconnected unconnected) {
  // Rules may record new nodes on this very tape (a persistent tape inside its context):
  // the sweep covers only what was recorded before it started.
  const std::size_t count = nodes_.size();

  // Forward pass: which tensors depend on a source. Only those need gradients.
  IdSet depends;
  for (const GradientSource& source : sources) depends.insert(source.ids.begin(), source.ids.end());
  // Bytes rather than std::vector<bool>: its bit arithmetic cost more per node than the sweep.
  std::vector<unsigned char> node_depends(count, 0);
  auto sweep_record = [this](std::size_t i) { return SweepRecord{sweep_records_[i]}; };
  for (std::size_t i = 0; i < count; ++i) {
    const SweepRecord sweep = sweep_record(i);
    for (std::size_t k = 0; k < sweep.input_count(); ++k)
      if (depends.count(sweep.input_id(k))) {
        node_depends[i] = 1;
        depends.insert(sweep.output_id());
        break;
      }
  }

  // Seed: ones_like(target), or the given output gradient, summed per tensor.
  IdMap<Tensor> grads;
  // With nothing recording, a sum the sweep alone holds takes the next gradient in place.
  const bool unrecorded = active_tapes().empty();
  auto accumulate = [&grads, unrecorded](std::uint64_t id, Tensor grad) {
    bool inserted = false;
    Tensor& total = grads.find_or_insert(id, inserted);
    if (inserted) {
      total = std::move(grad);
    } else if (unrecorded) {
      total = kernels::binary_in_place(kernels::BinaryOp::kAdd, std::move(total), grad);
    } else {
      total = ops::add(total, grad);
    }
  };
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Tensor& target = targets[i];
    if (!depends.count(target.id())) continue;
    bool given = i < output_gradients.size() && output_gradients[i].has_value();
    accumulate(target.id(), given ? *output_gradients[i] : ops::ones_like(target));
  }

  // The gradients the result is read from; every other one is dropped once its node has used it.
  IdSet result_ids;
  for (const GradientSource& source : sources) result_ids.insert(source.ids.begin(), source.ids.end());

  // Reverse sweep in recording order, which is a topological order.
  std::vector<unsigned char> needed;
  for (std::size_t i = count; i-- > 0;) {
    if (!node_depends[i]) continue;
    const SweepRecord sweep = sweep_record(i);
    const std::uint64_t output_id = sweep.output_id();
    Tensor* found = grads.find(output_id);
    if (found == nullptr) continue;
    // A reference stays valid while rules record on this tape: nodes_ is a deque.
    const TapeNode& node = nodes_[i];
    // No earlier node produces or reads this tensor's gradient again (every input of an earlier
    // node is older than this node's output), so its buffer can go back to the allocator as soon
    // as the rule below is done with it, for the next gradient to reuse.
    Tensor upstream;
    if (result_ids.count(output_id)) {
      upstream = *found;
    } else {
      upstream = std::move(*found);
      grads.erase(output_id);
    }
    needed.assign(sweep.input_count(), 0);  // one vector for the whole sweep
    // An input this tape does not watch gets nothing, even when it is a source: TF drops the
    // gradient of any tensor that is neither watched nor recorded (tape.h, ComputeGradient).
    for (std::size_t k = 0; k < sweep.input_count(); ++k)
      needed[k] = sweep.differentiable(node, k) && depends.count(sweep.input_id(k)) != 0 && watches(sweep.input_id(k));
    // A gradient may be smaller than its tensor and only broadcast to it (reduce_sum's rule hands
    // back g with the reduced axes of size 1). It is broadcast here unless the rule takes it as it
    // is, which needs every input to have the output's shape: then the rule's products have full
    // shape and nothing smaller leaves it.
    // (The output's rank is in the sweep record: a scalar's gradient is checked without a read of
    // the output, which on a long tape is a cache miss.)
    const bool same_shape = sweep.output_rank() == 0 ? upstream.rank() == 0 : upstream.shape() == node.output.shape();
    if (!same_shape && !takes_gradient_as_is(node)) {
      upstream = ops::broadcast_to(upstream, node.output.shape());
    }
    GradArgs args{node.inputs, node.output, upstream, node.attrs, needed};
    if (upstream.sole_owner() && active_tapes().empty()) args.reusable_grad = &upstream;
    Grads input_grads = node.op->grad(args);
    for (std::size_t k = 0; k < needed.size() && k < input_grads.size(); ++k)
      if (needed[k] && input_grads[k]) accumulate(sweep_record(i).input_id(k), std::move(*input_grads[k]));
  }

  std::vector<std::optional<Tensor>> result;
  for (const GradientSource& source : sources) {
    std::optional<Tensor> total;
    for (std::uint64_t id : source.ids) {
      const Tensor* grad = grads.find(id);
      if (grad == nullptr) continue;
      total = total ? ops::add(*total, *grad) : *grad;
    }
    if (total && total->shape() != source.shape) total = ops::broadcast_to(*total, source.shape);
    if (!total && unconnected == Unconnected::kZero) total = ops::zeros(source.dtype, source.shape);
    result.push_back(std::move(total));
  }
  return result;
}

}  // namespace ag
