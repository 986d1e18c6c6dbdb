// GradientTape: records the primitive ops whose inputs it watches, and runs the reverse sweep.
// Tapes form a thread-local stack, as TF's do; every active tape decides for itself whether an op
// is recorded, which is what makes nested tapes (and so every derivative order) work.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "autodiff/id_set.h"
#include "core/tensor.h"
#include "kernels/kernels.h"

namespace ag {

/// Non-tensor arguments of a recorded op (axes, permutations, flags, slice grids).
struct Attrs {
  std::vector<std::int64_t> ints;
  Shape shape;
  bool flag_a = false;
  bool flag_b = false;
  DType dtype = DType::kFloat32;
  std::vector<kernels::SliceAxis> slices;
};

/// What a gradient rule sees: the recorded inputs and output, the incoming gradient, and
/// which inputs need a gradient (rules may skip the others).
struct GradArgs {
  const std::vector<Tensor>& inputs;
  const Tensor& output;
  const Tensor& grad;
  const Attrs& attrs;
  const std::vector<bool>& needed;
  const Tensor& x(std::size_t i) const { return inputs[i]; }
  bool needs(std::size_t i) const { return needed[i]; }
};

/// One gradient per input; nullopt means no gradient (TF's None).
using Grads = std::vector<std::optional<Tensor>>;
using GradFn = Grads (*)(const GradArgs&);

/// A primitive the tape can record. A null rule means not differentiable: such ops are never
/// recorded, so nothing downstream of them is connected (TF's NotDifferentiable).
struct Primitive {
  std::string_view name;
  GradFn grad;
  /// The rule multiplies (or divides) the incoming gradient elementwise by tensors of the output's
  /// shape and uses it in no other way, so when every input has the output's shape it may be given
  /// a gradient that only broadcasts to the output (the scalar a reduce_sum hands back) and still
  /// returns gradients of the inputs' full shapes, with the same values.
  bool takes_broadcast_grad = false;
};

struct TapeNode {
  const Primitive* op;
  std::vector<Tensor> inputs;
  Tensor output;
  Attrs attrs;
};

/// What to return for a source no recorded path reaches.
enum class Unconnected { kNone, kZero };

/// One source of a gradient call: all the tensor ids that stand for it (a variable read several
/// times has several), plus its shape and dtype for 'zero' results.
struct GradientSource {
  std::vector<std::uint64_t> ids;
  Shape shape;
  DType dtype = DType::kFloat32;
};

class GradientTape {
 public:
  GradientTape(bool persistent, bool watch_accessed_variables);
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  /// Enter / leave the recording context (push on / pop from the active stack).
  void push();
  void pop();
  bool recording() const { return recording_; }

  void watch(const Tensor& tensor);
  bool watches(std::uint64_t id) const { return watched_.count(id) != 0; }
  void record(const Primitive& op, const std::vector<Tensor>& inputs, const Tensor& output, const Attrs& attrs);

  bool persistent() const { return persistent_; }
  bool watch_accessed_variables() const { return watch_accessed_variables_; }
  std::size_t node_count() const { return nodes_.size(); }
  /// The index-th recorded node, index < node_count() (read by diagnostics and `doc`'s tracing).
  const TapeNode& node(std::size_t index) const { return nodes_[index]; }

  /// d sum(targets) / d source for each source. output_gradients (when not empty) replaces
  /// ones_like(target) per target. Rules' ops are recorded on whatever tapes are active.
  std::vector<std::optional<Tensor>> gradient(const std::vector<Tensor>& targets,
                                              const std::vector<GradientSource>& sources,
                                              const std::vector<std::optional<Tensor>>& output_gradients,
                                              Unconnected unconnected);

 private:
  bool persistent_;
  bool watch_accessed_variables_;
  bool recording_ = false;
  IdSet watched_;
  std::deque<TapeNode> nodes_;  ///< a deque: rules may record while the sweep holds references
};

/// The active tapes, outermost first.
const std::vector<GradientTape*>& active_tapes();

/// Records `output = op(inputs)` on every active tape that watches a differentiable input.
void record_on_active_tapes(const Primitive& op, const std::vector<Tensor>& inputs, const Tensor& output,
                            const Attrs& attrs);

/// Pauses all recording for its lifetime (used for work that must not be differentiated).
class RecordingPause {
 public:
  RecordingPause();
  ~RecordingPause();
  RecordingPause(const RecordingPause&) = delete;
  RecordingPause& operator=(const RecordingPause&) = delete;

 private:
  std::vector<GradientTape*> saved_;
};

}  // namespace ag
