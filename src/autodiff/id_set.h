// A set of tensor ids for the tape: a bitmap over the range of ids it holds. Tensor ids come from
// one process-wide counter, so the ids a tape watches and records are dense in a short range, and
// a bit test replaces a hash lookup (with a node allocation per insert) in every record and every
// step of the reverse sweep.
#pragma once

#include <cstdint>
#include <vector>

namespace ag {

class IdSet {
 public:
  void insert(std::uint64_t id) {
    if (words_.empty()) base_ = id / 64;
    if (id / 64 < base_) grow_front(id / 64);
    const std::uint64_t word = id / 64 - base_;
    if (word >= words_.size()) words_.resize(static_cast<std::size_t>(word + 1 + words_.size() / 2), 0);
    words_[static_cast<std::size_t>(word)] |= std::uint64_t{1} << (id % 64);
  }

  bool contains(std::uint64_t id) const {
    if (id / 64 < base_) return false;
    const std::uint64_t word = id / 64 - base_;
    return word < words_.size() && (words_[static_cast<std::size_t>(word)] >> (id % 64) & 1) != 0;
  }

  /// 1 if the set holds id, else 0 (the std::set spelling).
  std::size_t count(std::uint64_t id) const { return contains(id) ? 1 : 0; }

  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }

 private:
  /// Moves the start of the bitmap down to word `first` (ids older than any held so far).
  void grow_front(std::uint64_t first) {
    words_.insert(words_.begin(), static_cast<std::size_t>(base_ - first), 0);
    base_ = first;
  }

  std::uint64_t base_ = 0;            ///< id / 64 of the first word
  std::vector<std::uint64_t> words_;  ///< bit id % 64 of word id / 64 - base_
};

}  // namespace ag
