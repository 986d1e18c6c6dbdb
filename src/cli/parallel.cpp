// A fork-based worker pool. Processes, not threads: each spec runs in a fresh copy of the tool, so
// one spec's global state (random seeds, caches) or crash cannot touch another's.
#include "cli/parallel.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

#include "diag/error.h"

namespace ag::cli {
namespace {

struct Worker {
  pid_t pid;
  int fd;
  std::string received;
};

void write_all(int fd, const std::string& data) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string exit_description(int status) {
  if (WIFSIGNALED(status))
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status)) + " before reporting";
  return "ended unexpectedly";
}

}  // namespace

void run_jobs(std::size_t count, int jobs, const std::function<std::string(std::size_t)>& job,
              const std::function<void(std::size_t, const std::string&)>& done,
              const std::function<std::string(std::size_t, const std::string&)>& crashed,
              const std::function<void(std::size_t)>& progress) {
  if (jobs <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      std::string result = job(i);
      progress(i + 1);
      done(i, result);
    }
    return;
  }
  std::vector<std::optional<std::string>> results(count);
  std::map<std::size_t, Worker> running;
  std::size_t next_to_start = 0, next_to_report = 0, finished = 0;
  while (next_to_report < count) {
    while (running.size() < static_cast<std::size_t>(jobs) && next_to_start < count) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) throw UserError(ExitCode::kEval, std::string("cannot create a pipe: ") + std::strerror(errno));
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      pid_t pid = ::fork();
      if (pid < 0) throw UserError(ExitCode::kEval, std::string("cannot start a worker process: ") + std::strerror(errno));
      if (pid == 0) {
        ::close(fds[0]);
        std::string result;
        try {
          result = job(next_to_start);
        } catch (...) {
          ::_exit(70);
        }
        write_all(fds[1], result);
        ::_exit(0);  // no atexit handlers, no flushing of the parent's buffers a second time
      }
      ::close(fds[1]);
      running.emplace(next_to_start++, Worker{pid, fds[0], {}});
    }
    std::vector<pollfd> polls;
    std::vector<std::size_t> indices;
    for (auto& [index, worker] : running) {
      polls.push_back({worker.fd, POLLIN, 0});
      indices.push_back(index);
    }
    if (::poll(polls.data(), polls.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw UserError(ExitCode::kEval, std::string("poll failed: ") + std::strerror(errno));
    }
    for (std::size_t k = 0; k < polls.size(); ++k) {
      if (polls[k].revents == 0) continue;
      Worker& worker = running.at(indices[k]);
      char buffer[65536];
      ssize_t n = ::read(worker.fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        worker.received.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      ::close(worker.fd);
      int status = 0;
      while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
      }
      bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      results[indices[k]] = clean ? std::move(worker.received) : crashed(indices[k], exit_description(status));
      running.erase(indices[k]);
      progress(++finished);
    }
    while (next_to_report < count && results[next_to_report]) {
      done(next_to_report, *results[next_to_report]);
      results[next_to_report].reset();
      ++next_to_report;
    }
  }
}

}  // namespace ag::cli
