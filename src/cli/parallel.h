// Running jobs in worker processes, several at a time, with results handed back in job order.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace ag::cli {

/// Runs job(0) ... job(count - 1), each in a forked child process, at most `jobs` at a time. Each
/// child sends the string its job returns back through a pipe; `done(i, result)` is called in the
/// parent in increasing i as soon as jobs 0..i have all finished, so what it prints comes out in
/// a fixed order. A child that dies gets the result `crashed(i, description)`. `progress(finished)`
/// is called after every job that finishes. With `jobs` <= 1 the jobs run in this process.
void run_jobs(std::size_t count, int jobs, const std::function<std::string(std::size_t)>& job,
              const std::function<void(std::size_t, const std::string&)>& done,
              const std::function<std::string(std::size_t, const std::string&)>& crashed,
              const std::function<void(std::size_t)>& progress);

}  // namespace ag::cli
