// tf.einsum as recorded ops, the way TF's Einsum kernel evaluates it: labels repeated inside one
// operand become diagonals, labels no one else needs are summed, and each pair of operands is
// transposed to [batch, free, contracted] and multiplied with one batched matmul. Being built of
// recorded ops, its gradient (TF: _EinsumGrad, an einsum of the gradient with the other operand)
// and every higher one come from those ops' rules.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "diag/error.h"
#include "ops/api.h"

namespace ag::ops {
namespace {

/// An operand during the contraction: its tensor and one label per axis. Letters are their
/// character codes; the axes of "..." get labels from kEllipsisBase up, aligned from the right.
struct Term {
  Tensor tensor;
  std::vector<int> labels;
};

constexpr int kEllipsisBase = 1000;

[[noreturn]] void fail(const std::string& message) { throw UserError(ExitCode::kEval, message); }

std::string label_text(int label) { return label >= kEllipsisBase ? "..." : std::string(1, static_cast<char>(label)); }

/// The labels of one subscript string for an operand of `rank` axes (ellipsis_rank: the largest
/// ellipsis span of all operands, so that ellipsis axes line up from the right).
std::vector<int> parse_subscripts(const std::string& subscripts, int rank, int ellipsis_rank, bool is_output) {
  std::vector<int> labels;
  std::size_t dots = subscripts.find("...");
  int named = static_cast<int>(subscripts.size()) - (dots == std::string::npos ? 0 : 3);
  int span = is_output ? ellipsis_rank : rank - named;
  for (std::size_t i = 0; i < subscripts.size(); ++i) {
    if (i == dots) {
      if (span < 0) fail("einsum: subscripts '" + subscripts + "' have more labels than the operand has axes (" + std::to_string(rank) + ")");
      for (int k = 0; k < span; ++k) labels.push_back(kEllipsisBase + ellipsis_rank - span + k);
      i += 2;
      continue;
    }
    char ch = subscripts[i];
    if (!std::isalpha(static_cast<unsigned char>(ch))) fail("einsum: invalid character '" + std::string(1, ch) + "' in equation");
    labels.push_back(ch);
  }
  if (!is_output && static_cast<int>(labels.size()) != rank)
    fail("einsum: subscripts '" + subscripts + "' name " + std::to_string(labels.size()) + " axes but the operand has rank " +
         std::to_string(rank));
  return labels;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos; at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

Tensor permuted(const Tensor& x, const std::vector<int>& perm) {
  for (std::size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int>(i)) return transpose(x, perm);
  return x;
}

/// Takes diagonals of repeated labels, then sums the labels that `keep` does not hold.
Term reduce_term(Term term, const std::set<int>& keep) {
  for (bool found = true; found;) {
    found = false;
    for (std::size_t p = 0; p < term.labels.size() && !found; ++p)
      for (std::size_t q = p + 1; q < term.labels.size() && !found; ++q) {
        if (term.labels[p] != term.labels[q]) continue;
        found = true;
        std::vector<int> perm;
        std::vector<int> labels;
        for (std::size_t i = 0; i < term.labels.size(); ++i)
          if (i != p && i != q) {
            perm.push_back(static_cast<int>(i));
            labels.push_back(term.labels[i]);
          }
        perm.push_back(static_cast<int>(p));
        perm.push_back(static_cast<int>(q));
        labels.push_back(term.labels[p]);
        term.tensor = matrix_diag_part(permuted(term.tensor, perm));
        term.labels = labels;
      }
  }
  std::vector<int> summed;
  std::vector<int> labels;
  for (std::size_t i = 0; i < term.labels.size(); ++i) {
    if (keep.count(term.labels[i])) labels.push_back(term.labels[i]);
    else summed.push_back(static_cast<int>(i));
  }
  if (!summed.empty()) {
    term.tensor = reduce_sum(term.tensor, summed, false);
    term.labels = labels;
  }
  return term;
}

/// x and y contracted into one term with the labels batch + x's free + y's free.
Term contract(Term x, Term y, const std::set<int>& keep, std::map<int, std::int64_t>& sizes) {
  std::set<int> keep_x = keep, keep_y = keep;
  keep_x.insert(y.labels.begin(), y.labels.end());
  keep_y.insert(x.labels.begin(), x.labels.end());
  x = reduce_term(x, keep_x);
  y = reduce_term(y, keep_y);
  auto has = [](const Term& t, int label) { return std::find(t.labels.begin(), t.labels.end(), label) != t.labels.end(); };
  std::vector<int> batch, x_free, y_free, contracted;
  for (int label : x.labels) {
    if (!has(y, label)) x_free.push_back(label);
    else if (keep.count(label)) batch.push_back(label);
    else contracted.push_back(label);
  }
  for (int label : y.labels)
    if (!has(x, label)) y_free.push_back(label);
  auto axis_of = [](const Term& t, int label) {
    return static_cast<int>(std::find(t.labels.begin(), t.labels.end(), label) - t.labels.begin());
  };
  auto arrange = [&](const Term& t, std::vector<std::vector<int>> groups) {
    std::vector<int> perm;
    Shape shape;
    for (const std::vector<int>& group : groups) {
      std::int64_t size = 1;
      for (int label : group) {
        perm.push_back(axis_of(t, label));
        size *= sizes[label];
      }
      shape.push_back(size);
    }
    return reshape(permuted(t.tensor, perm), shape);
  };
  Tensor product = matmul(arrange(x, {batch, x_free, contracted}), arrange(y, {batch, contracted, y_free}), false, false);
  Term out;
  out.labels = batch;
  out.labels.insert(out.labels.end(), x_free.begin(), x_free.end());
  out.labels.insert(out.labels.end(), y_free.begin(), y_free.end());
  Shape shape;
  for (int label : out.labels) shape.push_back(sizes[label]);
  out.tensor = reshape(product, shape);
  return out;
}

}  // namespace

Tensor einsum(const std::string& equation, const std::vector<Tensor>& inputs) {
  std::string text;
  for (char ch : equation)
    if (ch != ' ') text += ch;
  std::size_t arrow = text.find("->");
  std::vector<std::string> input_subscripts = split(text.substr(0, arrow), ',');
  if (input_subscripts.size() != inputs.size())
    fail("einsum: the equation '" + equation + "' has " + std::to_string(input_subscripts.size()) + " input subscripts but " +
         std::to_string(inputs.size()) + " operands were given");
  int ellipsis_rank = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string& s = input_subscripts[i];
    if (s.find("...") != std::string::npos)
      ellipsis_rank = std::max(ellipsis_rank, inputs[i].rank() - static_cast<int>(s.size() - 3));
  }
  std::vector<Term> terms;
  std::map<int, std::int64_t> sizes;
  std::map<int, int> counts;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Term term{inputs[i], parse_subscripts(input_subscripts[i], inputs[i].rank(), ellipsis_rank, false)};
    for (std::size_t axis = 0; axis < term.labels.size(); ++axis) {
      int label = term.labels[axis];
      std::int64_t size = inputs[i].shape()[axis];
      ++counts[label];
      auto [it, fresh] = sizes.emplace(label, size);
      if (fresh || it->second == size) continue;
      // Only ellipsis axes broadcast (size 1 against any size).
      if (label >= kEllipsisBase && (size == 1 || it->second == 1)) {
        it->second = std::max(it->second, size);
        continue;
      }
      fail("Expected dimension " + std::to_string(it->second) + " at axis " + std::to_string(axis) + " of the input shaped " +
           tf_shape_str(inputs[i].shape()) + " but got dimension " + std::to_string(size));
    }
    terms.push_back(term);
  }
  // Broadcast ellipsis axes of size 1 up front: the rest of the plan then sees equal sizes.
  for (Term& term : terms) {
    Shape full;
    for (int label : term.labels) full.push_back(sizes[label]);
    if (full != term.tensor.shape()) term.tensor = broadcast_to(term.tensor, full);
  }
  std::vector<int> output;
  if (arrow == std::string::npos) {
    // Implicit output: the ellipsis, then the labels used once, in alphabetical order.
    for (int k = 0; k < ellipsis_rank; ++k) output.push_back(kEllipsisBase + k);
    for (const auto& [label, count] : counts)
      if (label < kEllipsisBase && count == 1) output.push_back(label);
  } else {
    output = parse_subscripts(text.substr(arrow + 2), 0, ellipsis_rank, true);
    std::set<int> seen;
    for (int label : output) {
      if (!sizes.count(label)) fail("einsum: output subscript '" + label_text(label) + "' does not appear in the input subscripts");
      if (!seen.insert(label).second) fail("einsum: output subscript '" + label_text(label) + "' appears more than once");
    }
  }
  std::set<int> keep_output(output.begin(), output.end());
  Term result = terms[0];
  for (std::size_t i = 1; i < terms.size(); ++i) {
    std::set<int> keep = keep_output;
    for (std::size_t j = i + 1; j < terms.size(); ++j) keep.insert(terms[j].labels.begin(), terms[j].labels.end());
    result = contract(result, terms[i], keep, sizes);
  }
  result = reduce_term(result, keep_output);
  std::vector<int> perm;
  for (int label : output)
    perm.push_back(static_cast<int>(std::find(result.labels.begin(), result.labels.end(), label) - result.labels.begin()));
  return permuted(result.tensor, perm);
}

}  // namespace ag::ops
