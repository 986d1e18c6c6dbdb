// Resource limits that keep a hostile spec from exhausting the machine: bytes of tensors (each
// and all live at once), derivative order, run time per spec, and where load() may read.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ag::limits {

inline constexpr std::uint64_t kDefaultMaxMemory = std::uint64_t{4} << 30;  ///< 4 GiB
inline constexpr std::int64_t kDefaultMaxOrder = 16;
inline constexpr double kDefaultTimeoutSeconds = 600;
/// How long after its deadline a spec still running ends the process (start_watchdog).
inline constexpr double kWatchdogGraceSeconds = 1;
/// A spec file over this size is refused before it is parsed.
inline constexpr std::uint64_t kMaxSpecBytes = std::uint64_t{16} << 20;  ///< 16 MiB

/// The process's limits, set once by main() from the command line before any spec runs.
struct Settings {
  std::uint64_t max_memory = kDefaultMaxMemory;  ///< bytes of any one tensor and of all live tensors
  std::int64_t max_order = kDefaultMaxOrder;     ///< gradient(..., order=N)
  double timeout_seconds = kDefaultTimeoutSeconds;  ///< per spec; 0 means none
  std::vector<std::string> allow_read;           ///< load() may also read below these directories
};
Settings& settings();

/// "4096", "512K", "512M", "8G", "1T" (powers of 1024; an optional trailing B or iB) to bytes.
/// Throws UserError(kUsage) naming `option` for anything else.
std::uint64_t parse_size(const std::string& text, const std::string& option);
/// "4 GiB", "512 MiB", or "1000 bytes": a limit as a person would write it.
std::string size_text(std::uint64_t bytes);

/// Charges `bytes` for a new tensor of `what` (e.g. "shape (3, 4) and dtype float32") against the
/// limits, throwing UserError(kEval) before anything is allocated; `release` gives them back.
void charge(std::uint64_t bytes, const std::string& what);
void release(std::uint64_t bytes) noexcept;
/// Bytes held by live tensors now (all threads).
std::uint64_t bytes_in_use() noexcept;

/// Starts the time limit for one spec on this thread for as long as it lives. `spec` names the
/// spec in the message the watchdog prints if it has to end the process (see start_watchdog).
class DeadlineScope {
 public:
  explicit DeadlineScope(std::string spec = "");
  ~DeadlineScope();
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;

 private:
  std::chrono::steady_clock::time_point previous_;
  bool had_previous_;
  std::uint64_t watch_id_ = 0;  ///< this scope's entry for the watchdog; 0 when it has none
};
/// Throws UserError(kEval, "time limit exceeded ...") once this thread's spec is over its time.
/// Cheap enough to call for every tensor allocated.
void check_deadline();
/// The message of that error, e.g. "time limit exceeded (2 s; raise it with --timeout)".
std::string time_limit_message();

/// check_deadline() runs between ops, so one long kernel (a huge matmul, a decomposition) could
/// overrun the limit by far. Once started, a watchdog thread ends the process when a spec is still
/// running `grace_seconds` after its deadline: it prints "SPEC: error: time limit exceeded ..." on
/// standard error and exits with status 3 at once (_exit: nothing more reaches standard output,
/// and a spec's output is only written after it has finished). The tool starts it; library users
/// and the fuzz targets (where libFuzzer's own -timeout reports slow inputs) do not. The thread
/// itself starts with the first spec that has a deadline.
void start_watchdog(double grace_seconds = kWatchdogGraceSeconds);

}  // namespace ag::limits
