#include "process/process.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <system_error>
#include <thread>

#include "process/interrupts.hpp"
#include "process/unique_fd.hpp"

extern char** environ;

namespace dp::process {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kGraceBeforeKill = std::chrono::seconds(10);
constexpr int kPollTickMs = 100;

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Output pipes are read without blocking, so one poll loop serves both and the child.
Pipe make_output_pipe() {
  Pipe pipe = make_pipe();
  ::fcntl(pipe.read.get(), F_SETFL, ::fcntl(pipe.read.get(), F_GETFL) | O_NONBLOCK);
  return pipe;
}

// Owned copies of "NAME=value" strings plus the char* array execve wants.
class Environment {
 public:
  explicit Environment(const std::vector<std::pair<std::string, std::string>>& overrides) {
    std::map<std::string, std::string> vars;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string_view text(*entry);
      const auto equals = text.find('=');
      if (equals == std::string_view::npos) continue;
      vars[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
    for (const auto& [name, value] : overrides) vars[name] = value;
    for (const auto& [name, value] : vars) strings_.push_back(name + "=" + value);
    for (auto& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
  }
  char** data() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

class SpawnSetup {
 public:
  SpawnSetup() {
    ::posix_spawn_file_actions_init(&actions_);
    ::posix_spawnattr_init(&attributes_);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&defaults, signal);
    sigset_t empty;
    sigemptyset(&empty);
    ::posix_spawnattr_setsigdefault(&attributes_, &defaults);
    ::posix_spawnattr_setsigmask(&attributes_, &empty);
    ::posix_spawnattr_setflags(&attributes_, flags_);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  void redirect(int from, int to) { ::posix_spawn_file_actions_adddup2(&actions_, from, to); }
  void own_process_group() {
    ::posix_spawnattr_setpgroup(&attributes_, 0);
    flags_ |= POSIX_SPAWN_SETPGROUP;
    ::posix_spawnattr_setflags(&attributes_, flags_);
  }
  void chdir(const std::filesystem::path& dir) {
    ::posix_spawn_file_actions_addchdir_np(&actions_, dir.c_str());
  }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attributes() const { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
  short flags_ = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
};

enum class Drain { data, empty, closed };

// Reads what a non-blocking pipe holds right now.
Drain drain_into(int fd, std::string& sink) {
  char buffer[16384];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    sink.append(buffer, static_cast<std::size_t>(n));
    return Drain::data;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN) ? Drain::empty : Drain::closed;
}

// Reads until the pipe is empty; closes it at end of file.
void drain_all(UniqueFd& fd, std::string& sink) {
  Drain state = Drain::data;
  while (fd && state == Drain::data) {
    state = drain_into(fd.get(), sink);
    if (state == Drain::closed) fd.reset();
  }
}

// Hands complete lines of a pipe's output to a callback; finish() hands over a last line that
// lacks its newline.
class LineSplitter {
 public:
  explicit LineSplitter(const std::function<void(std::string_view)>& on_line) : on_line_(on_line) {}

  void drain(UniqueFd& fd) {
    if (!fd) return;
    drain_all(fd, pending_);
    std::size_t start = 0;
    for (auto end = pending_.find('\n'); end != std::string::npos;
         end = pending_.find('\n', start)) {
      on_line_(std::string_view(pending_).substr(start, end - start));
      start = end + 1;
    }
    pending_.erase(0, start);
  }
  void finish() {
    if (!pending_.empty()) on_line_(pending_);
    pending_.clear();
  }

 private:
  const std::function<void(std::string_view)>& on_line_;
  std::string pending_;
};

// glibc 2.36 declares pidfd_open() without C linkage, so the system call is made directly.
int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid), pidfd_(open_pidfd(pid)) {}
  ~Child() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      reap(0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  bool reaped() const { return reaped_; }

  // Collects the exit status if the child has ended; flags is 0 to block or WNOHANG.
  bool reap(int flags) {
    int status = 0;
    pid_t got;
    do {
      got = ::waitpid(pid_, &status, flags);
    } while (got < 0 && errno == EINTR);
    if (got != pid_) return false;
    reaped_ = true;
    status_ = status;
    return true;
  }
  int status() const { return status_; }

 private:
  pid_t pid_;
  UniqueFd pidfd_;
  bool reaped_ = false;
  int status_ = 0;
};

void signal_child(pid_t pid, int signal) {
  ::kill(pid, signal);
}

}  // namespace

namespace {

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::filesystem::path find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return is_executable_file(name) ? std::filesystem::path(name) : std::filesystem::path();
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const auto dir = dirs.substr(0, colon);
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return {};
}

Result run(const std::vector<std::string>& argv, const Options& options) {
  if (argv.empty()) throw ProcessError("no program to run");
  const auto program = find_executable(argv[0]);
  if (program.empty()) throw ProcessError(fmt::format("'{}' not found in PATH", argv[0]));

  SpawnSetup setup;
  Pipe in, out, err;
  if (options.feed_stdin) {
    in = make_pipe();
    setup.redirect(in.read.get(), STDIN_FILENO);
  }
  if (options.capture_stdout) {
    out = make_output_pipe();
    setup.redirect(out.write.get(), STDOUT_FILENO);
  }
  if (options.capture_stderr) {
    err = make_output_pipe();
    setup.redirect(err.write.get(), STDERR_FILENO);
  }
  Pipe lines;
  if (options.on_line && !options.capture_stdout && !options.capture_stderr) {
    lines = make_output_pipe();
    setup.redirect(lines.write.get(), STDOUT_FILENO);
    setup.redirect(lines.write.get(), STDERR_FILENO);
  }
  if (options.cwd) setup.chdir(*options.cwd);
  if (options.shielded) setup.own_process_group();

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  Environment environment(options.environment);

  // Declared before the child: on an exception the child is killed first, which unblocks the
  // feeder's writes, and only then is the feeder joined.
  std::jthread feeder;
  std::exception_ptr feed_error;

  pid_t pid = -1;
  const int spawn_error = ::posix_spawn(&pid, program.c_str(), setup.actions(), setup.attributes(),
                                        args.data(), environment.data());
  if (spawn_error != 0) {
    throw ProcessError(fmt::format("cannot start '{}': {}", argv[0], std::strerror(spawn_error)));
  }
  Child child(pid);
  in.read.reset();
  out.write.reset();
  err.write.reset();
  lines.write.reset();
  LineSplitter splitter(options.on_line);

  if (options.feed_stdin) {
    feeder = std::jthread([&, fd = std::move(in.write)]() mutable {
      try {
        options.feed_stdin(fd.get());
      } catch (...) {
        feed_error = std::current_exception();
      }
    });
  }

  Result result;
  const auto started = Clock::now();
  std::optional<Clock::time_point> stop_requested;
  auto request_stop = [&] {
    if (stop_requested) return;
    stop_requested = Clock::now();
    if (options.on_stop) options.on_stop();
    signal_child(child.pid(), result.interrupted_by != 0 ? result.interrupted_by : SIGTERM);
  };

  while (!child.reaped()) {
    std::vector<pollfd> fds;
    if (child.pidfd() >= 0) fds.push_back({child.pidfd(), POLLIN, 0});
    if (out.read) fds.push_back({out.read.get(), POLLIN, 0});
    if (err.read) fds.push_back({err.read.get(), POLLIN, 0});
    if (lines.read) fds.push_back({lines.read.get(), POLLIN, 0});
    if (!options.shielded && result.interrupted_by == 0 && interrupt_fd() >= 0) {
      fds.push_back({interrupt_fd(), POLLIN, 0});
    }
    const bool must_tick = child.pidfd() < 0 || options.timeout || stop_requested;
    ::poll(fds.data(), fds.size(), must_tick || fds.empty() ? kPollTickMs : -1);

    drain_all(out.read, result.out);
    drain_all(err.read, result.err);
    splitter.drain(lines.read);
    if (child.reap(WNOHANG)) break;

    if (!options.shielded && result.interrupted_by == 0 && pending_interrupt() != 0) {
      result.interrupted_by = pending_interrupt();
      request_stop();
    }
    if (options.timeout && !stop_requested && Clock::now() - started > *options.timeout) {
      result.timed_out = true;
      request_stop();
    }
    if (stop_requested && Clock::now() - *stop_requested > kGraceBeforeKill) {
      signal_child(child.pid(), SIGKILL);
    }
  }
  // What the child wrote before it ended is in the pipes now; a grandchild that still holds them
  // open is not waited for.
  drain_all(out.read, result.out);
  drain_all(err.read, result.err);
  splitter.drain(lines.read);
  splitter.finish();
  if (feeder.joinable()) feeder.join();

  if (WIFEXITED(child.status())) result.exit_code = WEXITSTATUS(child.status());
  if (WIFSIGNALED(child.status())) result.term_signal = WTERMSIG(child.status());
  // A child that failed explains itself better than the broken pipe its exit caused.
  if (feed_error && result.interrupted_by == 0 && result.ok()) std::rethrow_exception(feed_error);
  return result;
}

}  // namespace dp::process
