// Tests for the resource limits (core/limits.h) at their edges: exactly at a limit passes, one
// over fails with the message a user sees and the exit status of a resource limit (3).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>

#include "core/limits.h"
#include "core/shape.h"
#include "core/tensor.h"
#include "diag/error.h"
#include "../support.h"

namespace {

using ag::ExitCode;
using ag::UserError;
namespace limits = ag::limits;

/// Restores the process's limits (and checks that every byte charged was given back) when a test
/// leaves, however it leaves: the other tests run with the defaults.
struct SettingsGuard {
  limits::Settings saved = limits::settings();
  std::uint64_t in_use = limits::bytes_in_use();
  ~SettingsGuard() {
    limits::settings() = saved;
    CHECK(limits::bytes_in_use() == in_use);
  }
};

/// The message of the UserError `f` throws, and its exit status; fails the test when none is thrown.
template <class F>
std::pair<std::string, ExitCode> error_of(F&& f) {
  try {
    f();
  } catch (const UserError& error) {
    return {error.what(), error.code()};
  }
  FAIL("no error thrown");
  return {"", ExitCode::kOk};
}

}  // namespace

TEST_CASE("limits: parse_size reads bytes and binary suffixes") {
  CHECK(limits::parse_size("0", "--max-memory") == 0);
  CHECK(limits::parse_size("4096", "--max-memory") == 4096);
  CHECK(limits::parse_size("4096B", "--max-memory") == 4096);
  CHECK(limits::parse_size("512K", "--max-memory") == 512u << 10);
  CHECK(limits::parse_size("512k", "--max-memory") == 512u << 10);
  CHECK(limits::parse_size("512M", "--max-memory") == std::uint64_t{512} << 20);
  CHECK(limits::parse_size("8G", "--max-memory") == std::uint64_t{8} << 30);
  CHECK(limits::parse_size("8GiB", "--max-memory") == std::uint64_t{8} << 30);
  CHECK(limits::parse_size("8gb", "--max-memory") == std::uint64_t{8} << 30);
  CHECK(limits::parse_size("1T", "--max-memory") == std::uint64_t{1} << 40);
}

TEST_CASE("limits: parse_size refuses what is not a size, and sizes over 2^64 - 1") {
  // The largest value of each suffix that fits in 64 bits passes; one more unit overflows.
  CHECK(limits::parse_size("16777215T", "--max-memory") == std::uint64_t{16777215} << 40);
  CHECK(limits::parse_size("17179869183G", "--max-memory") == std::uint64_t{17179869183} << 30);
  CHECK(limits::parse_size("9999999999999999999", "--max-memory") == 9999999999999999999u);  // 19 digits
  for (const char* bad : {"16777216T", "17179869184G", "18446744073709551615", "99999999999999999999", "", "M",
                          "-1", "1.5G", "4 G", "4X", "4GX", "4GIBB", " 4", "0x10"}) {
    CAPTURE(bad);
    auto [message, code] = error_of([&] { limits::parse_size(bad, "--max-memory"); });
    CHECK(code == ExitCode::kUsage);
    CHECK(message == std::string("--max-memory: '") + bad + "' is not a size (e.g. 4096, 512M, 8G)");
  }
}

TEST_CASE("limits: size_text writes a limit as a person would") {
  CHECK(limits::size_text(0) == "0 bytes");
  CHECK(limits::size_text(1) == "1 byte");
  CHECK(limits::size_text(1023) == "1023 bytes");
  CHECK(limits::size_text(1024) == "1 KiB");
  CHECK(limits::size_text(1025) == "1025 bytes");
  CHECK(limits::size_text(std::uint64_t{512} << 20) == "512 MiB");
  CHECK(limits::size_text(limits::kDefaultMaxMemory) == "4 GiB");
  CHECK(limits::size_text(limits::kMaxSpecBytes) == "16 MiB");
  CHECK(limits::size_text(std::uint64_t{3} << 40) == "3 TiB");
}

TEST_CASE("limits: the defaults") {
  limits::Settings fresh;
  CHECK(fresh.max_memory == std::uint64_t{4} << 30);
  CHECK(fresh.max_order == 16);
  CHECK(fresh.timeout_seconds == 600);
  CHECK(fresh.allow_read.empty());
}

TEST_CASE("limits: charge allows exactly the limit for one tensor and refuses one byte more") {
  SettingsGuard guard;
  std::uint64_t base = limits::bytes_in_use();
  limits::settings().max_memory = base + 1000;
  limits::charge(1000, "shape (250,) and dtype float32");
  CHECK(limits::bytes_in_use() == base + 1000);
  limits::release(1000);
  CHECK(limits::bytes_in_use() == base);

  limits::settings().max_memory = 1000;
  auto [message, code] = error_of([] { limits::charge(1001, "shape (1001,) and dtype uint8"); });
  CHECK(code == ExitCode::kEval);
  CHECK(message == "a tensor of shape (1001,) and dtype uint8 needs 1001 bytes, over the memory limit of 1000 bytes "
                   "(raise it with --max-memory)");
  CHECK(limits::bytes_in_use() == base);  // nothing kept for a refused tensor
}

TEST_CASE("limits: charge counts every live tensor against the limit for the whole run") {
  SettingsGuard guard;
  std::uint64_t base = limits::bytes_in_use();
  limits::settings().max_memory = base + 3000;
  limits::charge(1000, "a");
  limits::charge(2000, "b");  // exactly at the limit, all at once
  auto [message, code] = error_of([] { limits::charge(1, "shape () and dtype bool"); });
  CHECK(code == ExitCode::kEval);
  CHECK(message == "a tensor of shape () and dtype bool needs 1 bytes with " + std::to_string(base + 3000) +
                       " in use, over the memory limit of " + limits::size_text(base + 3000) + " (raise it with --max-memory)");
  CHECK(limits::bytes_in_use() == base + 3000);
  limits::release(2000);
  limits::charge(2000, "b again");  // what was released can be used again
  limits::release(2000);
  limits::release(1000);
}

TEST_CASE("limits: Tensor::allocate is bounded per tensor, in bytes of its dtype") {
  SettingsGuard guard;
  limits::settings().max_memory = limits::bytes_in_use() + 4000;
  {
    ag::Tensor at_limit = ag::Tensor::allocate(ag::DType::kFloat32, {1000});  // 4000 bytes
    CHECK(at_limit.size() == 1000);
    // While it lives, nothing else fits.
    auto [message, code] = error_of([] { ag::Tensor::allocate(ag::DType::kFloat64, {100}); });
    CHECK(code == ExitCode::kEval);
    CHECK(message.find("a tensor of shape (100,) and dtype float64 needs 800 bytes with ") == 0);
  }
  // Freed: the bytes are given back, and the same tensor fits again.
  ag::Tensor again = ag::Tensor::allocate(ag::DType::kFloat32, {1000});
  auto [message, code] = error_of([] { ag::Tensor::allocate(ag::DType::kFloat32, {1001}); });
  CHECK(code == ExitCode::kEval);
  CHECK(message.find("a tensor of shape (1001,) and dtype float32 needs 4004 bytes") == 0);
  // float64 at the same element count is twice the bytes: over.
  limits::settings().max_memory = limits::bytes_in_use() + 8000 - 1;
  auto [message64, code64] = error_of([] { ag::Tensor::allocate(ag::DType::kFloat64, {1000}); });
  CHECK(code64 == ExitCode::kEval);
  CHECK(message64.find("needs 8000 bytes") != std::string::npos);
}

TEST_CASE("limits: a shape whose element count overflows int64 is refused, never wrapped") {
  std::int64_t big = std::int64_t{1} << 32;
  CHECK(ag::shape_size({big, (std::int64_t{1} << 31) - 1}) == big * ((std::int64_t{1} << 31) - 1));
  auto [message, code] = error_of([&] { ag::shape_size({big, big}); });  // 2^64
  CHECK(code == ExitCode::kEval);
  CHECK(message == "shape (4294967296, 4294967296) has too many elements");
  // Exactly INT64_MAX elements is a count; one dimension more of 2 is not.
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  CHECK(ag::shape_size({max}) == max);
  CHECK(ag::shape_size({max, 1}) == max);
  CHECK(error_of([&] { ag::shape_size({max, 2}); }).first == "shape (" + std::to_string(max) + ", 2) has too many elements");
  // A zero anywhere makes any product empty, even past an overflowing prefix.
  CHECK(ag::shape_size({0, max, max}) == 0);
  CHECK(error_of([] { ag::shape_size({3, -1}); }).first == "negative dimension -1 in shape (3, -1)");
  // Bytes, not just elements: INT64_MAX float64 elements overflow a size_t of bytes; refused too.
  SettingsGuard guard;
  auto [bytes_message, bytes_code] = error_of([&] { ag::Tensor::allocate(ag::DType::kFloat64, {max}); });
  CHECK(bytes_code == ExitCode::kEval);
  CHECK(bytes_message == "shape (" + std::to_string(max) + ",) has too many elements");
  auto [huge_message, huge_code] = error_of([] { ag::Tensor::allocate(ag::DType::kFloat32, {std::int64_t{1} << 40}); });
  CHECK(huge_code == ExitCode::kEval);
  CHECK(huge_message.find("over the memory limit of 4 GiB") != std::string::npos);
}

TEST_CASE("limits: --max-order allows exactly its order and refuses one more") {
  SettingsGuard guard;
  auto spec = [](int order) {
    return "inputs:\n  x: 1.0\noperations:\n  - y = x * x * x\nderivatives:\n  - g = gradient(y, x, order=" +
           std::to_string(order) + ")\noutput: [g]\n";
  };
  limits::settings().max_order = 3;
  ag::testing::SpecRun at = ag::testing::run_spec_text(spec(3));
  CHECK(at.exit_code == 0);
  CHECK(at.output == "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>\n");
  ag::testing::SpecRun over = ag::testing::run_spec_text(spec(4));
  CHECK(over.exit_code == 3);
  CHECK(over.output.empty());
  CHECK(over.errors == "test.yaml:6:9: error: gradient(): order 4 is over the limit of 3 (raise it with --max-order)\n");

  limits::settings().max_order = limits::kDefaultMaxOrder;
  CHECK(ag::testing::run_spec_text(spec(16)).exit_code == 0);
  CHECK(ag::testing::run_spec_text(spec(17)).errors ==
        "test.yaml:6:9: error: gradient(): order 17 is over the limit of 16 (raise it with --max-order)\n");
}

TEST_CASE("limits: a deadline is checked at allocations, only on its own thread, and scopes nest") {
  SettingsGuard guard;
  limits::settings().timeout_seconds = 0.02;
  {
    limits::DeadlineScope scope;
    limits::check_deadline();  // within the time: nothing
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    auto [message, code] = error_of([] { limits::check_deadline(); });
    CHECK(code == ExitCode::kEval);
    CHECK(message == "time limit exceeded (0.02 s; raise it with --timeout)");
    CHECK(message == limits::time_limit_message());
    // Every tensor allocation checks it.
    CHECK(error_of([] { ag::Tensor::allocate(ag::DType::kFloat32, {4}); }).first == message);
    // Another thread has no deadline of its own.
    bool other_thread_threw = false;
    std::thread([&] {
      try {
        limits::check_deadline();
      } catch (const UserError&) {
        other_thread_threw = true;
      }
    }).join();
    CHECK_FALSE(other_thread_threw);
    {
      // A new spec gets its own time; leaving it restores the outer (expired) deadline.
      limits::settings().timeout_seconds = 60;
      limits::DeadlineScope inner;
      limits::check_deadline();
    }
    limits::settings().timeout_seconds = 0.02;
    CHECK_THROWS_AS(limits::check_deadline(), UserError);
  }
  limits::check_deadline();  // no scope: no deadline
}

TEST_CASE("limits: --timeout 0 (or an absurdly long one) means no time limit") {
  SettingsGuard guard;
  for (double seconds : {0.0, 1e9, 1e300, std::numeric_limits<double>::infinity()}) {
    CAPTURE(seconds);
    limits::settings().timeout_seconds = seconds;
    limits::DeadlineScope scope;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    limits::check_deadline();
  }
}

TEST_CASE("limits: a spec over its time fails with the place of the entry and nothing on stdout") {
  SettingsGuard guard;
  limits::settings().timeout_seconds = 0.05;
  limits::settings().max_order = 64;
  ag::testing::SpecRun run = ag::testing::run_spec_text(
      "inputs:\n  x: 1.0\noperations:\n  - y = sin(x) * cos(x) * exp(x)\nderivatives:\n  - g = gradient(y, x, order=64)\n"
      "output: [g]\n");
  CHECK(run.exit_code == 3);
  CHECK(run.output.empty());
  CHECK(run.errors == "test.yaml:6:9: error: time limit exceeded (0.05 s; raise it with --timeout)\n");
}
