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
  nodes_.push_back(TapeNode{&op, inputs, output, attrs});
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
  std::unordered_set<std::uint64_t> depends;
  depends.reserve(count + 16);  // no rehash while the sweep grows it (a W2 chain: 30,000 ids)
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

  // Reverse sweep in recording order, which is a topological order.
  for (std::size_t i = count; i-- > 0;) {
    if (!node_depends[i]) continue;
    auto found = grads.find(nodes_[i].output.id());
    if (found == grads.end()) continue;
    // A reference stays valid while rules record on this tape: nodes_ is a deque.
    const TapeNode& node = nodes_[i];
    Tensor upstream = found->second;
    std::vector<bool> needed(node.inputs.size());
    // An input this tape does not watch gets nothing, even when it is a source: TF drops the
    // gradient of any tensor that is neither watched nor recorded (tape.h, ComputeGradient).
    for (std::size_t k = 0; k < node.inputs.size(); ++k)
      needed[k] = dtype_is_differentiable(node.inputs[k].dtype()) && depends.count(node.inputs[k].id()) != 0 &&
                  watches(node.inputs[k].id());
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
    if (!total && unconnected == Unconnected::kZero) total = ops::zeros(source.dtype, source.shape);
    result.push_back(std::move(total));
  }
  return result;
}

}  // namespace ag
