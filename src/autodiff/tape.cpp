// The tape stack, recording, and the reverse sweep.
#include "autodiff/tape.h"

#include <algorithm>

#include "diag/error.h"
#include "ops/api.h"

namespace ag {
namespace {

std::vector<GradientTape*>& tape_stack() {
  static thread_local std::vector<GradientTape*> stack;
  return stack;
}

/// Tensors from this many elements up are kept as shapes only when their node's gradient rule
/// never reads their values; smaller ones are not worth the extra handle.
constexpr std::int64_t kShapeOnlyMinElements = std::int64_t{1} << 14;

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

bool any_watched_differentiable(const GradientTape& tape, const std::vector<Tensor>& inputs) {
  for (const Tensor& input : inputs)
    if (dtype_is_differentiable(input.dtype()) && tape.watches(input.id())) return true;
  return false;
}

}  // namespace

const std::vector<GradientTape*>& active_tapes() { return tape_stack(); }

void record_on_active_tapes(const Primitive& op, const std::vector<Tensor>& inputs, const Tensor& output,
                            const Attrs& attrs) {
  if (op.grad == nullptr || !dtype_is_differentiable(output.dtype())) return;
  for (GradientTape* tape : tape_stack())
    if (any_watched_differentiable(*tape, inputs)) tape->record(op, inputs, output, attrs);
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

void GradientTape::record(const Primitive& op, const std::vector<Tensor>& inputs, const Tensor& output,
                          const Attrs& attrs) {
  TapeNode node{&op, inputs, output, attrs};
  drop_unread_values(node);
  nodes_.push_back(std::move(node));
  watched_.insert(output.id());
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
  std::vector<bool> node_depends(count, false);
  for (std::size_t i = 0; i < count; ++i) {
    const TapeNode& node = nodes_[i];
    for (const Tensor& input : node.inputs)
      if (depends.count(input.id())) {
        node_depends[i] = true;
        depends.insert(node.output.id());
        break;
      }
  }

  // Seed: ones_like(target), or the given output gradient, summed per tensor.
  std::unordered_map<std::uint64_t, Tensor> grads;
  grads.reserve(count + 16);
  auto accumulate = [&grads](const Tensor& tensor, const Tensor& grad) {
    auto it = grads.find(tensor.id());
    if (it == grads.end())
      grads.emplace(tensor.id(), grad);
    else
      it->second = ops::add(it->second, grad);
  };
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Tensor& target = targets[i];
    if (!depends.count(target.id())) continue;
    bool given = i < output_gradients.size() && output_gradients[i].has_value();
    accumulate(target, given ? *output_gradients[i] : ops::ones_like(target));
  }

  // The gradients the result is read from; every other one is dropped once its node has used it.
  IdSet result_ids;
  for (const GradientSource& source : sources) result_ids.insert(source.ids.begin(), source.ids.end());

  // Reverse sweep in recording order, which is a topological order.
  std::vector<bool> needed;
  for (std::size_t i = count; i-- > 0;) {
    if (!node_depends[i]) continue;
    auto found = grads.find(nodes_[i].output.id());
    if (found == grads.end()) continue;
    // A reference stays valid while rules record on this tape: nodes_ is a deque.
    const TapeNode& node = nodes_[i];
    Tensor upstream = found->second;
    // No earlier node produces or reads this tensor's gradient again (every input of an earlier
    // node is older than this node's output), so its buffer can go back to the allocator as soon
    // as the rule below is done with it, for the next gradient to reuse.
    if (!result_ids.count(found->first)) grads.erase(found);
    needed.assign(node.inputs.size(), false);  // one vector for the whole sweep
    // An input this tape does not watch gets nothing, even when it is a source: TF drops the
    // gradient of any tensor that is neither watched nor recorded (tape.h, ComputeGradient).
    for (std::size_t k = 0; k < node.inputs.size(); ++k)
      needed[k] = dtype_is_differentiable(node.inputs[k].dtype()) && depends.count(node.inputs[k].id()) != 0 &&
                  watches(node.inputs[k].id());
    // A gradient may be smaller than its tensor and only broadcast to it (reduce_sum's rule hands
    // back g with the reduced axes of size 1). It is broadcast here unless the rule takes it as it
    // is, which needs every input to have the output's shape: then the rule's products have full
    // shape and nothing smaller leaves it.
    if (upstream.shape() != node.output.shape() && !takes_gradient_as_is(node)) {
      upstream = ops::broadcast_to(upstream, node.output.shape());
    }
    GradArgs args{node.inputs, node.output, upstream, node.attrs, needed};
    Grads input_grads = node.op->grad(args);
    for (std::size_t k = 0; k < node.inputs.size() && k < input_grads.size(); ++k)
      if (needed[k] && input_grads[k]) accumulate(node.inputs[k], *input_grads[k]);
  }

  std::vector<std::optional<Tensor>> result;
  for (const GradientSource& source : sources) {
    std::optional<Tensor> total;
    for (std::uint64_t id : source.ids) {
      auto it = grads.find(id);
      if (it == grads.end()) continue;
      total = total ? ops::add(*total, it->second) : it->second;
    }
    if (total && total->shape() != source.shape) total = ops::broadcast_to(*total, source.shape);
    if (!total && unconnected == Unconnected::kZero) total = ops::zeros(source.dtype, source.shape);
    result.push_back(std::move(total));
  }
  return result;
}

}  // namespace ag
