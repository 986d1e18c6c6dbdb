// File access shared by the subcommands: whole-file reads with a reason on failure, and writes
// that never leave a file half-written.
#pragma once

#include <optional>
#include <string>

namespace ag::cli {

/// The file's bytes, or nullopt with `error` set to the reason (strerror text).
std::optional<std::string> read_whole_file(const std::string& path, std::string& error);

/// Writes `content` to a temporary file in the same directory, then renames it over `path`, so
/// readers see the old file or the new one, never a part. On failure returns false with `error`
/// naming the file and the reason, and leaves `path` as it was.
bool write_atomically(const std::string& path, const std::string& content, std::string& error);

}  // namespace ag::cli
