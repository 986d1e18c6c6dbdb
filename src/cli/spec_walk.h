// Which specs `check` runs: paths expanded (directories recursively, in sorted order) and the
// share of one shard.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ag::cli {

/// Every spec under `paths`: a file stands for itself, a directory for every *.yaml below it
/// (symlinks followed, hidden entries skipped), sorted by path within each argument; arguments
/// keep their order, and a file reached twice is listed once. Throws UserError(kUsage) for a path
/// that does not exist, a directory that cannot be read, or a symlink loop.
std::vector<std::string> collect_specs(const std::vector<std::string>& paths);

/// One shard of N: 0-based index.
struct Shard {
  int index = 0;
  int count = 1;
};

/// `--shard I/N` (1-based I), else Bazel's TEST_SHARD_INDEX (0-based) and TEST_TOTAL_SHARDS from
/// the environment, else nullopt. Throws UserError(kUsage) for a malformed value.
std::optional<Shard> shard_from(const std::string& option);

/// Whether the spec at position `position` of the sorted list belongs to the shard: specs are
/// dealt round-robin, so shares differ by at most one and every machine computes the same split.
inline bool in_shard(std::size_t position, const Shard& shard) {
  return static_cast<int>(position % static_cast<std::size_t>(shard.count)) == shard.index;
}

}  // namespace ag::cli
