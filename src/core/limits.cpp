// The resource limits: a process-wide byte count of live tensors, checked before allocating, and
// a per-thread deadline, checked between ops (at every tensor allocation) and, as a backstop for
// one long op, by a watchdog thread.
#include "core/limits.h"

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "diag/error.h"

namespace ag::limits {
namespace {

std::atomic<std::uint64_t> live_bytes{0};

thread_local bool deadline_set = false;
thread_local std::chrono::steady_clock::time_point deadline;

std::string seconds_text(double seconds) {
  std::string text = std::to_string(seconds);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

/// The specs running now with a deadline, for the watchdog. Allocated once and never freed: the
/// detached watchdog thread may still wait on it while static objects are destroyed at exit.
struct Watch {
  std::mutex mutex;
  std::condition_variable changed;
  struct Entry {
    std::chrono::steady_clock::time_point deadline;
    std::string spec;
  };
  std::map<std::uint64_t, Entry> running;
  std::uint64_t next_id = 1;
  bool enabled = false;  ///< start_watchdog() was called
  bool started = false;  ///< the thread runs (from the first spec with a deadline on: list or doc need none)
  std::chrono::steady_clock::duration grace{};
};
Watch& watch() {
  static Watch* const instance = new Watch;
  return *instance;
}

[[noreturn]] void end_process(const std::string& spec) {
  // Raw write(2) and _exit: the main thread is inside a kernel; nothing may be flushed or run
  // after this (no destructors, no atexit handlers, no buffered standard output).
  std::string line = (spec.empty() ? std::string("autograd-cli") : spec) + ": error: " + time_limit_message() + "\n";
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t written = ::write(STDERR_FILENO, data, left);
    if (written <= 0) break;
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  ::_exit(3);  // ExitCode::kEval: a resource limit
}

void watchdog_loop() {
  Watch& w = watch();
  std::unique_lock<std::mutex> lock(w.mutex);
  for (;;) {
    if (w.running.empty()) {
      w.changed.wait(lock);
      continue;
    }
    auto first = w.running.begin();
    for (auto it = w.running.begin(); it != w.running.end(); ++it)
      if (it->second.deadline < first->second.deadline) first = it;
    auto end = first->second.deadline + w.grace;
    if (std::chrono::steady_clock::now() >= end) end_process(first->second.spec);
    w.changed.wait_until(lock, end);
  }
}

}  // namespace

Settings& settings() {
  static Settings current;
  return current;
}

std::uint64_t parse_size(const std::string& text, const std::string& option) {
  auto bad = [&]() -> UserError {
    return UserError(ExitCode::kUsage, option + ": '" + text + "' is not a size (e.g. 4096, 512M, 8G)");
  };
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 19) throw bad();
  std::uint64_t value = std::stoull(text.substr(0, digits));
  std::string suffix = text.substr(digits);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix == "B" || suffix.empty()) return value;
  int shift = 0;
  switch (suffix[0]) {
    case 'K': shift = 10; break;
    case 'M': shift = 20; break;
    case 'G': shift = 30; break;
    case 'T': shift = 40; break;
    default: throw bad();
  }
  std::string rest = suffix.substr(1);
  if (!rest.empty() && rest != "B" && rest != "IB") throw bad();
  if (value > (std::numeric_limits<std::uint64_t>::max() >> shift)) throw bad();
  return value << shift;
}

std::string size_text(std::uint64_t bytes) {
  static const char* const kUnits[] = {"TiB", "GiB", "MiB", "KiB"};
  for (int i = 0; i < 4; ++i) {
    int shift = 40 - 10 * i;
    std::uint64_t unit = std::uint64_t{1} << shift;
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes >> shift) + " " + kUnits[i];
  }
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

void charge(std::uint64_t bytes, const std::string& what) {
  std::uint64_t limit = settings().max_memory;
  if (bytes > limit)
    throw UserError(ExitCode::kEval, "a tensor of " + what + " needs " + std::to_string(bytes) +
                                         " bytes, over the memory limit of " + size_text(limit) +
                                         " (raise it with --max-memory)");
  std::uint64_t before = live_bytes.fetch_add(bytes, std::memory_order_relaxed);
  if (before + bytes > limit) {
    live_bytes.fetch_sub(bytes, std::memory_order_relaxed);
    throw UserError(ExitCode::kEval, "a tensor of " + what + " needs " + std::to_string(bytes) + " bytes with " +
                                         std::to_string(before) + " in use, over the memory limit of " +
                                         size_text(limit) + " (raise it with --max-memory)");
  }
}

void release(std::uint64_t bytes) noexcept { live_bytes.fetch_sub(bytes, std::memory_order_relaxed); }

std::uint64_t bytes_in_use() noexcept { return live_bytes.load(std::memory_order_relaxed); }

DeadlineScope::DeadlineScope(std::string spec) : previous_(deadline), had_previous_(deadline_set) {
  double seconds = settings().timeout_seconds;
  if (seconds > 0 && seconds < 1e9) {  // longer than 30 years: no limit (and no overflow)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    deadline_set = true;
    Watch& w = watch();
    std::lock_guard<std::mutex> lock(w.mutex);
    if (w.enabled) {
      if (!w.started) {
        std::thread(watchdog_loop).detach();
        w.started = true;
      }
      watch_id_ = w.next_id++;
      w.running[watch_id_] = {deadline, std::move(spec)};
      w.changed.notify_one();
    }
  } else {
    deadline_set = false;
  }
}

DeadlineScope::~DeadlineScope() {
  if (watch_id_ != 0) {
    Watch& w = watch();
    std::lock_guard<std::mutex> lock(w.mutex);
    w.running.erase(watch_id_);
    w.changed.notify_one();
  }
  deadline = previous_;
  deadline_set = had_previous_;
}

std::string time_limit_message() {
  return "time limit exceeded (" + seconds_text(settings().timeout_seconds) + " s; raise it with --timeout)";
}

void check_deadline() {
  if (!deadline_set) return;
  // Every tensor allocation comes here. The coarse clock is the steady clock's (CLOCK_MONOTONIC)
  // as of the last timer tick, read without the cost of a precise reading: it lags by at most a
  // tick (a few ms), so the limit may be noticed that much later, never earlier.
  timespec now{};
  if (clock_gettime(CLOCK_MONOTONIC_COARSE, &now) == 0) {
    const std::chrono::steady_clock::time_point coarse(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec)));
    if (coarse <= deadline) return;
  }
  if (std::chrono::steady_clock::now() > deadline) throw UserError(ExitCode::kEval, time_limit_message());
}

void start_watchdog(double grace_seconds) {
  Watch& w = watch();
  std::lock_guard<std::mutex> lock(w.mutex);
  w.grace = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(grace_seconds));
  w.enabled = true;
}

}  // namespace ag::limits
