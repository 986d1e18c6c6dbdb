// Tests of Grads, the list of input gradients a rule returns: two in place, more on the heap.
#include <doctest/doctest.h>

#include <vector>

#include "../support.h"
#include "autodiff/tape.h"

namespace ag {
namespace {

using testing::scalar;

/// The values of the list, with -1 standing for "no gradient".
std::vector<double> values(const Grads& grads) {
  std::vector<double> out;
  for (const std::optional<Tensor>& g : grads) out.push_back(g ? g->element_as_double(0) : -1.0);
  return out;
}

TEST_CASE("grads: a list keeps its items in order across the move to the heap") {
  Grads grads;
  CHECK(grads.empty());
  for (int i = 0; i < 5; ++i) {
    if (i == 2) grads.push_back(std::nullopt);
    else grads.push_back(scalar(i));
    CHECK(grads.size() == static_cast<std::size_t>(i + 1));
  }
  CHECK(values(grads) == std::vector<double>{0, 1, -1, 3, 4});
  grads.emplace_back(scalar(5));
  CHECK(grads.back()->element_as_double(0) == 5);
  grads.resize(2);
  CHECK(values(grads) == std::vector<double>{0, 1});
  grads.resize(3);
  CHECK(values(grads) == std::vector<double>{0, 1, -1});
}

TEST_CASE("grads: sized, filled and listed constructions") {
  CHECK(values(Grads(3)) == std::vector<double>{-1, -1, -1});
  CHECK(values(Grads(1)) == std::vector<double>{-1});
  CHECK(values(Grads(4, scalar(7))) == std::vector<double>{7, 7, 7, 7});
  CHECK(values(Grads{scalar(1), std::nullopt}) == std::vector<double>{1, -1});
  CHECK(values(Grads{scalar(1), scalar(2), scalar(3)}) == std::vector<double>{1, 2, 3});
  Grads small(2);
  small[1] = scalar(9);
  CHECK(values(small) == std::vector<double>{-1, 9});
}

TEST_CASE("grads: copies are independent, moves leave the source empty") {
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{6}}) {
    CAPTURE(n);
    Grads original;
    for (std::size_t i = 0; i < n; ++i) original.push_back(scalar(static_cast<double>(i)));
    Grads copy = original;
    copy[0] = scalar(100);
    CHECK(original[0]->element_as_double(0) == 0);
    CHECK(copy.size() == n);
    Grads moved = std::move(copy);
    CHECK(moved.size() == n);
    CHECK(moved[0]->element_as_double(0) == 100);
    CHECK(copy.empty());  // NOLINT: the moved-from state is specified
    copy = moved;
    CHECK(values(copy) == values(moved));
    const std::vector<double> before = values(moved);
    Grads assigned;
    assigned.push_back(scalar(-5));
    assigned = std::move(moved);
    CHECK(values(assigned) == before);
  }
}

}  // namespace
}  // namespace ag
