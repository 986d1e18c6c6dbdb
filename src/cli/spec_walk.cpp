// Expanding check's paths into specs, and parsing the shard options.
#include "cli/spec_walk.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "diag/error.h"

namespace ag::cli {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  SourceSpan span;
  span.file = path;
  throw UserError(ExitCode::kUsage, span, message);
}

/// Depth-first walk; `ancestors` holds the real paths of the directories being walked, so a
/// symlink leading back into one of them is a loop.
void walk(const fs::path& directory, std::vector<fs::path>& ancestors, std::vector<std::string>& found) {
  std::error_code ec;
  fs::path real = fs::canonical(directory, ec);
  if (ec) fail(directory.generic_string(), "cannot read directory: " + ec.message());
  for (const fs::path& ancestor : ancestors)
    if (ancestor == real)
      fail(directory.generic_string(), "symlink loop: this directory is " + real.generic_string() +
                                           ", which contains it; remove the link or check a narrower path");
  ancestors.push_back(real);
  fs::directory_iterator it(directory, ec);
  if (ec) fail(directory.generic_string(), "cannot read directory: " + ec.message());
  std::vector<fs::path> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) fail(directory.generic_string(), "cannot read directory: " + ec.message());
    if (it->path().filename().string().rfind('.', 0) == 0) continue;
    entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& entry : entries) {
    fs::file_status status = fs::status(entry, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      if (ec == std::errc::too_many_symbolic_link_levels) fail(entry.generic_string(), "symlink loop: the link leads back to itself");
      fail(entry.generic_string(), "cannot read: " + ec.message());
    }
    if (fs::is_directory(status)) walk(entry, ancestors, found);
    else if (entry.extension() != ".yaml") continue;
    // Reading a FIFO would wait for a writer forever, and a device may never end: a spec found in
    // a directory must be a file.
    else if (fs::exists(status) && !fs::is_regular_file(status))
      fail(entry.generic_string(), "not a regular file (a FIFO, device or socket), so not a spec");
    else found.push_back(entry.generic_string());  // a dangling link fails when read
  }
  ancestors.pop_back();
}

int parse_count(const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos)
    throw UserError(ExitCode::kUsage, what);
  return std::atoi(text.c_str());
}

}  // namespace

std::vector<std::string> collect_specs(const std::vector<std::string>& paths) {
  std::vector<std::string> specs;
  std::set<fs::path> seen;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    std::vector<std::string> found;
    if (fs::is_directory(status)) {
      std::vector<fs::path> ancestors;
      walk(path, ancestors, found);
      std::sort(found.begin(), found.end());
    } else if (fs::exists(status)) {
      found.push_back(path);
    } else if (ec == std::errc::too_many_symbolic_link_levels) {
      fail(path, "symlink loop: the link leads back to itself");
    } else {
      fail(path, "no such spec file or directory");
    }
    for (const std::string& spec : found) {
      fs::path real = fs::weakly_canonical(spec, ec);
      if (ec || seen.insert(real).second) specs.push_back(spec);
    }
  }
  return specs;
}

std::optional<Shard> shard_from(const std::string& option) {
  Shard shard;
  if (!option.empty()) {
    std::string usage = "--shard must be I/N with 1 <= I <= N, e.g. --shard 2/4; got '" + option + "'";
    std::size_t slash = option.find('/');
    if (slash == std::string::npos) throw UserError(ExitCode::kUsage, usage);
    int index = parse_count(option.substr(0, slash), usage);
    shard.count = parse_count(option.substr(slash + 1), usage);
    if (index < 1 || index > shard.count) throw UserError(ExitCode::kUsage, usage);
    shard.index = index - 1;
    return shard;
  }
  const char* index = std::getenv("TEST_SHARD_INDEX");
  const char* total = std::getenv("TEST_TOTAL_SHARDS");
  if (!index || !total || !*index || !*total) return std::nullopt;
  std::string usage = std::string("TEST_SHARD_INDEX and TEST_TOTAL_SHARDS must satisfy 0 <= index < total; got ") + index +
                      " and " + total;
  shard.index = parse_count(index, usage);
  shard.count = parse_count(total, usage);
  if (shard.count < 1 || shard.index >= shard.count) throw UserError(ExitCode::kUsage, usage);
  return shard;
}

}  // namespace ag::cli
