// GradientTape: records the primitive ops whose inputs it watches, and runs the reverse sweep.
// Tapes form a thread-local stack, as TF's do; every active tape decides for itself whether an op
// is recorded, which is what makes nested tapes (and so every derivative order) work.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <initializer_list>
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

/// The inputs of a recorded op: up to two in place, more on the heap. Every recorded op has a list,
/// and nearly all have one or two inputs: a list then costs no allocation of its own.
class TensorList {
 public:
  TensorList() = default;
  TensorList(std::initializer_list<Tensor> tensors) { assign(tensors.begin(), tensors.size()); }
  TensorList(const std::vector<Tensor>& tensors) { assign(tensors.data(), tensors.size()); }  // NOLINT: implicit
  TensorList(const TensorList& other) { assign(other.begin(), other.size()); }
  TensorList(TensorList&& other) noexcept { take(std::move(other)); }
  TensorList& operator=(const TensorList& other) {
    if (this != &other) {
      TensorList copy(other);
      clear();
      take(std::move(copy));
    }
    return *this;
  }
  TensorList& operator=(TensorList&& other) noexcept {
    if (this != &other) {
      clear();
      take(std::move(other));
    }
    return *this;
  }
  ~TensorList() = default;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Tensor& operator[](std::size_t i) { return data()[i]; }
  const Tensor& operator[](std::size_t i) const { return data()[i]; }
  Tensor* begin() { return data(); }
  Tensor* end() { return data() + size_; }
  const Tensor* begin() const { return data(); }
  const Tensor* end() const { return data() + size_; }

 private:
  static constexpr std::size_t kInline = 2;
  Tensor* data() { return size_ <= kInline ? inline_ : heap_.get(); }
  const Tensor* data() const { return size_ <= kInline ? inline_ : heap_.get(); }
  void assign(const Tensor* first, std::size_t count) {
    if (count > kInline) heap_.reset(new Tensor[count]);
    size_ = count;
    std::copy(first, first + count, data());
  }
  /// Takes other's tensors; other is left empty.
  void take(TensorList&& other) noexcept {
    size_ = other.size_;
    if (size_ <= kInline) {
      for (std::size_t i = 0; i < size_; ++i) inline_[i] = std::move(other.inline_[i]);
    } else {
      heap_ = std::move(other.heap_);
    }
    other.size_ = 0;
  }
  void clear() {
    for (Tensor& t : inline_) t = Tensor();
    heap_.reset();
    size_ = 0;
  }

  Tensor inline_[kInline];
  std::unique_ptr<Tensor[]> heap_;  ///< the tensors, when there are more than kInline
  std::size_t size_ = 0;
};

/// What a gradient rule sees: the recorded inputs and output, the incoming gradient, and
/// which inputs need a gradient (rules may skip the others).
struct GradArgs {
  const TensorList& inputs;
  const Tensor& output;
  const Tensor& grad;
  const Attrs& attrs;
  const std::vector<unsigned char>& needed;  ///< 1 for each input that needs a gradient
  /// The incoming gradient itself (the object `grad` refers to) when nothing records the rule's
  /// ops and the sweep holds the only handle to it: a rule that reads `grad` once may then write
  /// its result over it and return it, saving a buffer. Null otherwise.
  Tensor* reusable_grad = nullptr;
  const Tensor& x(std::size_t i) const { return inputs[i]; }
  bool needs(std::size_t i) const { return needed[i] != 0; }
};

/// One gradient per input; nullopt means no gradient (TF's None). A vector of them, except that
/// up to two live in place: nearly every rule returns one or two, and the reverse sweep makes one
/// Grads per node, so a heap allocation each would be a malloc and a free per node.
class Grads {
 public:
  using value_type = std::optional<Tensor>;

  Grads() = default;
  explicit Grads(std::size_t count) { resize(count); }
  /// `count` copies of `grad`.
  Grads(std::size_t count, const Tensor& grad) {
    for (std::size_t i = 0; i < count; ++i) push_back(grad);
  }
  Grads(std::initializer_list<value_type> items) {
    for (const value_type& item : items) push_back(item);
  }
  Grads(const Grads& other) {
    for (const value_type& item : other) push_back(item);
  }
  Grads(Grads&& other) noexcept { take(std::move(other)); }
  Grads& operator=(const Grads& other) {
    if (this != &other) {
      Grads copy(other);
      clear();
      take(std::move(copy));
    }
    return *this;
  }
  Grads& operator=(Grads&& other) noexcept {
    if (this != &other) {
      clear();
      take(std::move(other));
    }
    return *this;
  }
  ~Grads() = default;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  value_type& operator[](std::size_t i) { return data()[i]; }
  const value_type& operator[](std::size_t i) const { return data()[i]; }
  value_type& back() { return data()[size_ - 1]; }
  value_type* begin() { return data(); }
  value_type* end() { return data() + size_; }
  const value_type* begin() const { return data(); }
  const value_type* end() const { return data() + size_; }

  void push_back(value_type item) { emplace_back(std::move(item)); }
  template <class... Args>
  value_type& emplace_back(Args&&... args) {
    if (!on_heap() && size_ < kInline) {
      inline_[size_] = value_type(std::forward<Args>(args)...);
      return inline_[size_++];
    }
    spill();
    heap_.emplace_back(std::forward<Args>(args)...);
    ++size_;
    return heap_.back();
  }
  void resize(std::size_t count) {
    if (!on_heap() && count <= kInline) {
      for (std::size_t i = count; i < size_; ++i) inline_[i].reset();
      size_ = count;
      return;
    }
    spill();
    heap_.resize(count);
    size_ = count;
  }
  void reserve(std::size_t count) {
    if (count > kInline) {
      spill();
      heap_.reserve(count);
    }
  }

 private:
  static constexpr std::size_t kInline = 2;
  /// Whether the items live in heap_ (once more than kInline were held, they all do).
  bool on_heap() const { return spilled_; }
  value_type* data() { return on_heap() ? heap_.data() : inline_; }
  const value_type* data() const { return on_heap() ? heap_.data() : inline_; }
  /// Moves the items in place to heap_.
  void spill() {
    if (on_heap()) return;
    heap_.reserve(kInline * 2);
    for (std::size_t i = 0; i < size_; ++i) heap_.push_back(std::move(inline_[i]));
    for (value_type& item : inline_) item.reset();
    spilled_ = true;
  }
  void take(Grads&& other) noexcept {
    size_ = other.size_;
    spilled_ = other.spilled_;
    heap_ = std::move(other.heap_);
    for (std::size_t i = 0; i < kInline; ++i) inline_[i] = std::move(other.inline_[i]);
    other.clear();
  }
  void clear() noexcept {
    for (value_type& item : inline_) item.reset();
    heap_.clear();
    spilled_ = false;
    size_ = 0;
  }

  value_type inline_[kInline];
  std::vector<value_type> heap_;
  bool spilled_ = false;
  std::size_t size_ = 0;
};
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
  /// The op picks each element from one of two branches (where, maximum, minimum): its rule sends
  /// the branch not taken a zero gradient, which a nan derivative in that branch turns into nan.
  /// The tape notes where the first such node is, so that diagnostics need not walk it.
  bool selects_branch = false;
};

/// A recorded op's Attrs, read as a const Attrs&. Most ops have none (all defaults): those cost a
/// pointer, not a whole Attrs, in every node of a long tape.
class NodeAttrs {
 public:
  explicit NodeAttrs(Attrs&& attrs);
  operator const Attrs&() const { return attrs_ ? *attrs_ : defaults(); }

 private:
  static const Attrs& defaults();
  std::unique_ptr<const Attrs> attrs_;  ///< null for all defaults
};

struct TapeNode {
  TapeNode(const Primitive& op, TensorList&& inputs, Tensor&& output, Attrs&& attrs)
      : op(&op), inputs(std::move(inputs)), output(std::move(output)), attrs(std::move(attrs)) {}

  const Primitive* op;
  TensorList inputs;
  Tensor output;
  NodeAttrs attrs;
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
  /// Records `output = op(inputs)`, taking the parts: every recorded op comes here, and moving
  /// them costs less than copying.
  void record(const Primitive& op, TensorList&& inputs, Tensor&& output, Attrs&& attrs);
  /// The same with copies of the parts.
  void record(const Primitive& op, const TensorList& inputs, const Tensor& output, const Attrs& attrs) {
    record(op, TensorList(inputs), Tensor(output), Attrs(attrs));
  }

  bool persistent() const { return persistent_; }
  bool watch_accessed_variables() const { return watch_accessed_variables_; }
  std::size_t node_count() const { return nodes_.size(); }
  /// The index of the first recorded node whose op selects_branch, or node_count() if none.
  std::size_t first_selection() const { return first_selection_ < nodes_.size() ? first_selection_ : nodes_.size(); }
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
  /// What the reverse sweep reads of every node, packed in recording order (see SweepRecord in
  /// tape.cpp): on a long tape, reading ids and dtypes through each node's tensors costs a cache
  /// miss per tensor, and the sweep does it for every node. The words live in fixed chunks, so a
  /// record never moves: a growing tape copies nothing and hands no old buffer back to the system.
  std::vector<std::unique_ptr<std::uint64_t[]>> sweep_chunks_;
  std::uint64_t* sweep_next_ = nullptr;  ///< first free word of the last chunk
  std::uint64_t* sweep_end_ = nullptr;   ///< end of the last chunk
  std::vector<const std::uint64_t*> sweep_records_;  ///< node i's record starts at sweep_records_[i]
  std::size_t first_selection_ = static_cast<std::size_t>(-1);  ///< see first_selection()
};

/// The active tapes, outermost first.
const std::vector<GradientTape*>& active_tapes();

/// Records `output = op(inputs)` on every active tape that watches a differentiable input, taking
/// the inputs and attributes.
void record_on_active_tapes(const Primitive& op, TensorList&& inputs, const Tensor& output, Attrs&& attrs);
/// The same with copies of the inputs and attributes.
inline void record_on_active_tapes(const Primitive& op, const TensorList& inputs, const Tensor& output,
                                   const Attrs& attrs) {
  record_on_active_tapes(op, TensorList(inputs), output, Attrs(attrs));
}

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
