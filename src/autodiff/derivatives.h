// The derivative calls beyond gradient: jacobian, batch_jacobian, hessian and jvp. Each runs
// reverse sweeps over what a GradientTape already recorded (the forward pass is never re-run),
// and every sweep's rules are ordinary recorded ops, so each result can be differentiated again.
#pragma once

#include <optional>
#include <vector>

#include "autodiff/tape.h"
#include "core/tensor.h"

namespace ag {

/// TF's GradientTape.jacobian: for each source, shape target.shape + source.shape, where row i
/// is the gradient of the i-th element of the flattened target (no summing). One reverse sweep
/// per row, seeded with a one-hot cotangent. Unconnected sources give nullopt (zeros of the full
/// shape with Unconnected::kZero).
std::vector<std::optional<Tensor>> jacobian(GradientTape& tape, const Tensor& target,
                                            const std::vector<GradientSource>& sources, Unconnected unconnected);

/// TF's GradientTape.batch_jacobian: target [b, y...], source [b, x...] (both rank >= 2, same b)
/// give [b, y..., x...], entry [i, ...] being the jacobian of target[i] with respect to
/// source[i]. As in TF, one sweep per element of a target row, seeded on that element across the
/// whole batch: cross-batch terms are assumed zero. Throws TF's ValueError texts on bad shapes.
std::optional<Tensor> batch_jacobian(GradientTape& tape, const Tensor& target, const GradientSource& source,
                                     Unconnected unconnected);

/// The hessian of sum(targets): the jacobian of the gradient, shape source.shape + source.shape
/// for each source. The gradient is recorded on `tape` (which must be recording), then
/// differentiated row by row.
std::vector<std::optional<Tensor>> hessian(GradientTape& tape, const std::vector<Tensor>& targets,
                                           const std::vector<GradientSource>& sources, Unconnected unconnected);

/// Forward mode, like tf.autodiff.ForwardAccumulator: J · v for each target, where v holds one
/// tangent per source (shapes and dtypes of the sources) and J is the derivative of the target
/// with respect to all sources together. Computed by transposing a VJP: u ↦ Jᵀu is recorded on
/// a private tape as a (linear) function of a dummy cotangent u, and its gradient with respect
/// to u along v is J · v — exact, because gradient rules are recorded ops. Two sweeps, whatever
/// the sizes. Results are recorded on the other active tapes, so a jvp can be differentiated.
std::vector<std::optional<Tensor>> jvp(GradientTape& tape, const std::vector<Tensor>& targets,
                                       const std::vector<GradientSource>& sources, const std::vector<Tensor>& tangents,
                                       Unconnected unconnected);

/// A selection (where, maximum, minimum) whose branch not taken has a non-finite derivative: the
/// zero it sends back into that branch meets inf or nan there, and 0 * inf = nan reaches the
/// result (the classic where-gradient trap of TF, JAX and PyTorch).
struct NanTrap {
  std::size_t node = 0;        ///< index of the selection node on the tape
  std::size_t input = 0;       ///< the branch: which input of that node
  std::int64_t elements = 0;   ///< derivative elements made nan or inf by the branch not taken
};

/// Whether any element of a tensor is nan or ±inf (false for non-float dtypes).
bool has_non_finite(const Tensor& tensor);

/// Whether the first `node_limit` nodes of `tape` hold a selection (where, maximum, minimum): a
/// pass over the nodes only, so a derivative with no selection upstream is never scanned for nan.
bool records_selection(const GradientTape& tape, std::size_t node_limit);

/// The selections among the first `node_limit` nodes of `tape`, on a path from `sources` to
/// `targets`, that send nan or inf into the derivative. Runs one reverse sweep per selection
/// branch, so call it only once a result holds nan or inf; nothing is recorded.
std::vector<NanTrap> find_nan_traps(GradientTape& tape, std::size_t node_limit, const std::vector<Tensor>& targets,
                                    const std::vector<GradientSource>& sources);

/// Stacks tensors of one shape and dtype along a new first axis (TF's Pack, i.e. tf.stack with
/// axis=0), recorded: its gradient slices the rows back out.
Tensor pack_rows(const std::vector<Tensor>& rows);

/// A constant (never recorded) tensor of `shape` and `dtype`: 1 at flat index `index`, 0 elsewhere.
Tensor one_hot_seed(DType dtype, const Shape& shape, std::int64_t index);

}  // namespace ag
