// A map from 64-bit keys (tensor ids, addresses) to values: open addressing with linear probing in
// one array, so that an entry costs no allocation of its own. std::unordered_map allocates and frees
// a node per entry, which shows where a map gets an entry per op: the reverse sweep keeps a gradient
// per tensor, the expression parser a height per syntax-tree node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ag {

template <class T>
class IdMap {
 public:
  /// The value held for `id`, or nullptr. (Any 64-bit value but the largest may be a key.)
  T* find(std::uint64_t id) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(id);; i = next(i)) {
      if (slots_[i].key == 0) return nullptr;
      if (slots_[i].key == key_of(id)) return &slots_[i].value;
    }
  }

  /// The value held for `id`, inserting a default-constructed one first if there is none;
  /// `inserted` says which happened. The reference is valid until the next insertion or erasure.
  T& find_or_insert(std::uint64_t id, bool& inserted) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = home(id);
    for (; slots_[i].key != 0; i = next(i)) {
      if (slots_[i].key == key_of(id)) {
        inserted = false;
        return slots_[i].value;
      }
    }
    slots_[i].key = key_of(id);
    ++size_;
    inserted = true;
    return slots_[i].value;
  }

  /// Removes `id` and its value, if held.
  void erase(std::uint64_t id) {
    if (slots_.empty()) return;
    std::size_t i = home(id);
    for (; slots_[i].key != key_of(id); i = next(i))
      if (slots_[i].key == 0) return;
    // Backward-shift deletion: later entries of the probe run move up so that no lookup stops at
    // the hole before reaching them.
    for (std::size_t j = next(i);; j = next(j)) {
      if (slots_[j].key == 0) break;
      const std::size_t want = home_of_key(slots_[j].key);
      // Move j into the hole at i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < want && want <= j) : (i < want || want <= j);
      if (stays) continue;
      slots_[i].key = slots_[j].key;
      slots_[i].value = std::move(slots_[j].value);
      i = j;
    }
    slots_[i].key = 0;
    slots_[i].value = T();
    --size_;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;  ///< id + 1; 0 marks an empty slot
    T value{};
  };

  static std::uint64_t key_of(std::uint64_t id) { return id + 1; }
  std::size_t home(std::uint64_t id) const { return home_of_key(key_of(id)); }
  /// Fibonacci hashing: consecutive ids, the usual keys, spread over the whole table.
  std::size_t home_of_key(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  std::size_t next(std::size_t i) const { return (i + 1) & (slots_.size() - 1); }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_ = std::vector<Slot>(capacity);
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c /= 2) --shift_;
    size_ = 0;
    for (Slot& slot : old) {
      if (slot.key == 0) continue;
      bool inserted = false;
      find_or_insert(slot.key - 1, inserted) = std::move(slot.value);
    }
  }

  std::vector<Slot> slots_;  ///< a power of two in size, at most half full
  std::size_t size_ = 0;
  unsigned shift_ = 64;  ///< 64 - log2(slots_.size())
};

}  // namespace ag
