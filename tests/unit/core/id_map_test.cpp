// Tests of IdMap, the open-addressing map behind the reverse sweep's gradients and the parser's
// node heights: lookups, overwrites, growth, and erasure that keeps every other key reachable
// (checked against std::unordered_map over a long random sequence).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/id_map.h"
#include "../support.h"

namespace ag {
namespace {

TEST_CASE("IdMap: find, insert, overwrite and erase, key 0 included") {
  IdMap<std::string> map;
  CHECK(map.find(0) == nullptr);
  CHECK(map.find(42) == nullptr);
  map.erase(42);  // absent: nothing happens
  bool inserted = false;
  map.find_or_insert(42, inserted) = "a";
  CHECK(inserted);
  map.find_or_insert(0, inserted) = "zero";
  CHECK(inserted);
  CHECK(map.size() == 2);
  std::string& again = map.find_or_insert(42, inserted);
  CHECK_FALSE(inserted);
  CHECK(again == "a");
  again = "b";
  REQUIRE(map.find(42) != nullptr);
  CHECK(*map.find(42) == "b");
  CHECK(*map.find(0) == "zero");
  map.erase(42);
  CHECK(map.find(42) == nullptr);
  CHECK(*map.find(0) == "zero");
  CHECK(map.size() == 1);
}

TEST_CASE("IdMap: dense ids, then erasing every other one, through many growths") {
  IdMap<std::uint64_t> map;
  bool inserted = false;
  for (std::uint64_t id = 1000; id < 11000; ++id) map.find_or_insert(id, inserted) = id * 3;
  CHECK(map.size() == 10000);
  for (std::uint64_t id = 1000; id < 11000; id += 2) map.erase(id);
  CHECK(map.size() == 5000);
  for (std::uint64_t id = 1000; id < 11000; ++id) {
    const std::uint64_t* value = map.find(id);
    if (id % 2 == 0) {
      CHECK(value == nullptr);
    } else {
      REQUIRE(value != nullptr);
      CHECK(*value == id * 3);
    }
  }
}

TEST_CASE("IdMap: agrees with std::unordered_map over random inserts and erases (long probe runs)") {
  IdMap<std::int64_t> map;
  std::unordered_map<std::uint64_t, std::int64_t> reference;
  testing::Rng rng(7);
  for (int step = 0; step < 200000; ++step) {
    // Few distinct keys, multiples of 4096 like addresses: many share a home slot's neighbourhood.
    const std::uint64_t key = (rng.next() % 3000) * 4096;
    const std::uint64_t action = rng.next() % 3;
    if (action == 0) {
      map.erase(key);
      reference.erase(key);
    } else {
      bool inserted = false;
      std::int64_t& value = map.find_or_insert(key, inserted);
      CHECK(inserted == (reference.count(key) == 0));
      value = static_cast<std::int64_t>(step);
      reference[key] = static_cast<std::int64_t>(step);
    }
  }
  CHECK(map.size() == reference.size());
  for (std::uint64_t k = 0; k < 3000; ++k) {
    const std::uint64_t key = k * 4096;
    const std::int64_t* value = map.find(key);
    auto it = reference.find(key);
    REQUIRE((value != nullptr) == (it != reference.end()));
    if (value != nullptr) CHECK(*value == it->second);
  }
}

}  // namespace
}  // namespace ag
