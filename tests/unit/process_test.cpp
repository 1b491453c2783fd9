#include "process/process.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include "process/interrupts.hpp"
#include "process/unique_fd.hpp"
#include "support/child_check.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace dp::process {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using test::ScopedEnv;
using Clock = std::chrono::steady_clock;

// The helper's main ignores SIGPIPE (install_interrupt_handlers); a test feeding a child that quit
// must get EPIPE from write() too, not die.
[[maybe_unused]] const bool sigpipe_ignored = [] {
  ::signal(SIGPIPE, SIG_IGN);
  return true;
}();

using dp::test::TempDir;

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "write to child");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string random_bytes(std::size_t size) {
  std::mt19937 generator(42);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string data(size, '\0');
  for (auto& c : data) c = static_cast<char>(byte(generator));
  return data;
}

Options capture_both() {
  Options options;
  options.capture_stdout = true;
  options.capture_stderr = true;
  return options;
}

// --- exit status ------------------------------------------------------------------------------

TEST(ProcessRunTest, SuccessfulProgramIsOk) {
  const auto result = run({"true"});
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.term_signal, 0);
  EXPECT_EQ(result.status(), 0);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.interrupted_by, 0);
}

TEST(ProcessRunTest, ReportsTheExitCode) {
  const auto result = run({"sh", "-c", "exit 3"});
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.term_signal, 0);
  EXPECT_EQ(result.status(), 3);
}

TEST(ProcessRunTest, ReportsExitCodeAbove128AsExitCodeNotSignal) {
  const auto result = run({"sh", "-c", "exit 200"});
  EXPECT_EQ(result.exit_code, 200);
  EXPECT_EQ(result.term_signal, 0);
  EXPECT_EQ(result.status(), 200);
}

TEST(ProcessRunTest, ReportsTerminationBySignalAs128PlusSignal) {
  const auto result = run({"sh", "-c", "kill -TERM $$; sleep 5"});
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.term_signal, SIGTERM);
  EXPECT_EQ(result.status(), 128 + SIGTERM);
  EXPECT_FALSE(result.timed_out);
}

TEST(ProcessRunTest, ReportsKillSignal) {
  const auto result = run({"sh", "-c", "kill -KILL $$"});
  EXPECT_EQ(result.term_signal, SIGKILL);
  EXPECT_EQ(result.status(), 128 + SIGKILL);
}

TEST(ProcessResultTest, StatusPrefersTheSignal) {
  Result result;
  result.exit_code = 0;
  result.term_signal = SIGINT;
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status(), 130);
}

// --- arguments, program lookup ------------------------------------------------------------------

TEST(ProcessRunTest, PassesArgumentsVerbatimWithoutAShell) {
  Options options;
  options.capture_stdout = true;
  const auto result = run({"printf", "[%s]", "a b", "$HOME", "*", "", "'q'", "x;y"}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out, "[a b][$HOME][*][]['q'][x;y]");
}

TEST(ProcessRunTest, ProgramNotInPathThrowsProcessErrorNamingIt) {
  try {
    run({"dp-no-such-program-4711", "--help"});
    FAIL() << "expected ProcessError";
  } catch (const ProcessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("dp-no-such-program-4711"));
  }
}

TEST(ProcessRunTest, MissingExplicitPathThrowsProcessErrorNamingIt) {
  try {
    run({"/nonexistent/dp-tool"});
    FAIL() << "expected ProcessError";
  } catch (const ProcessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/dp-tool"));
  }
}

TEST(ProcessRunTest, EmptyArgvThrowsProcessError) {
  EXPECT_THROW(run({}), ProcessError);
}

TEST(ProcessRunTest, RunsAnExecutableGivenByPath) {
  TempDir dir;
  const auto script = dir.path() / "hello.sh";
  std::ofstream(script) << "#!/bin/sh\necho \"hello $1\"\n";
  fs::permissions(script, fs::perms::owner_all);
  Options options;
  options.capture_stdout = true;
  const auto result = run({script.string(), "world"}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out, "hello world\n");
}

// --- output capture ---------------------------------------------------------------------------

TEST(ProcessRunTest, CapturesStdoutAndStderrSeparately) {
  const auto result =
      run({"sh", "-c", "printf 'to out'; printf 'to err' >&2; printf ' more out'"}, capture_both());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out, "to out more out");
  EXPECT_EQ(result.err, "to err");
}

TEST(ProcessRunTest, CapturesOutputOfAFailingProgram) {
  const auto result = run({"sh", "-c", "echo partial; echo broken >&2; exit 7"}, capture_both());
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(result.out, "partial\n");
  EXPECT_EQ(result.err, "broken\n");
}

TEST(ProcessRunTest, UncapturedStreamIsNotInTheResult) {
  Options options;
  options.capture_stdout = true;
  const auto result = run({"sh", "-c", "echo out; echo 'expected stderr line' >&2"}, options);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "");
}

TEST(ProcessRunTest, HandsOverEachLineOfBothStreamsInOrder) {
  std::vector<std::string> lines;
  Options options;
  options.on_line = [&](std::string_view line) { lines.emplace_back(line); };
  const auto result =
      run({"sh", "-c", "echo one; echo two >&2; printf 'three\\nlast without newline'"}, options);
  EXPECT_TRUE(result.ok());
  EXPECT_THAT(lines, ::testing::ElementsAre("one", "two", "three", "last without newline"));
  EXPECT_EQ(result.out, "");
}

TEST(ProcessRunTest, CapturesLargeOutputOnBothStreamsWithoutDeadlock) {
  // 3 MiB on each stream, interleaved, far beyond a pipe's buffer.
  Options options = capture_both();
  options.timeout = 60s;
  const auto result = run({"sh", "-c",
                           "for i in 1 2 3; do head -c 1048576 /dev/zero; "
                           "head -c 1048576 /dev/zero | tr '\\0' e >&2; done"},
                          options);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.out, std::string(3 << 20, '\0'));
  EXPECT_EQ(result.err, std::string(3 << 20, 'e'));
}

// --- stdin ------------------------------------------------------------------------------------

TEST(ProcessRunTest, FeedsStdinAndCapturesTheEcho) {
  const std::string data = random_bytes(1 << 20);
  Options options;
  options.capture_stdout = true;
  options.timeout = 60s;
  options.feed_stdin = [&](int fd) { write_all(fd, data); };
  const auto result = run({"cat"}, options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.out.size(), data.size());
  EXPECT_TRUE(result.out == data) << "the echoed bytes differ from the fed bytes";
}

TEST(ProcessRunTest, ClosesStdinAfterFeeding) {
  Options options;
  options.capture_stdout = true;
  options.timeout = 30s;
  options.feed_stdin = [](int fd) { write_all(fd, "one\ntwo\nthree\n"); };
  // wc only ends, and reports, once it sees the end of its input.
  const auto result = run({"wc", "-l"}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.out, "3\n");
}

TEST(ProcessRunTest, FeedErrorIsRethrownWhenTheChildSucceeded) {
  Options options;
  options.feed_stdin = [](int) { throw std::runtime_error("feeder broke"); };
  try {
    run({"cat"}, options);
    FAIL() << "expected the feeder's exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "feeder broke");
  }
}

TEST(ProcessRunTest, FailingChildWinsOverTheFeedError) {
  Options options;
  options.feed_stdin = [](int fd) {
    // The child exits without reading: writing eventually fails with EPIPE.
    write_all(fd, std::string(4 << 20, 'x'));
  };
  Result result;
  ASSERT_NO_THROW(result = run({"sh", "-c", "exit 4"}, options));
  EXPECT_EQ(result.exit_code, 4);
}

// --- working directory and environment ----------------------------------------------------------

TEST(ProcessRunTest, RunsInTheGivenWorkingDirectory) {
  TempDir dir;
  Options options;
  options.capture_stdout = true;
  options.cwd = dir.path();
  const auto result = run({"pwd", "-P"}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out, fs::canonical(dir.path()).string() + "\n");
}

TEST(ProcessRunTest, WorkingDirectoryDoesNotChangeOurs) {
  TempDir dir;
  const auto before = fs::current_path();
  Options options;
  options.cwd = dir.path();
  run({"true"}, options);
  EXPECT_EQ(fs::current_path(), before);
}

TEST(ProcessRunTest, MissingWorkingDirectoryThrowsProcessError) {
  TempDir dir;
  Options options;
  options.cwd = dir.path() / "does-not-exist";
  EXPECT_THROW(run({"true"}, options), ProcessError);
}

TEST(ProcessRunTest, EnvironmentOverridesAreAddedAndReplaceInheritedValues) {
  ScopedEnv inherited("DP_TEST_INHERITED", "kept");
  ScopedEnv replaced("DP_TEST_REPLACED", "old");
  Options options;
  options.capture_stdout = true;
  options.environment = {{"DP_TEST_ADDED", "new value with spaces"},
                         {"DP_TEST_REPLACED", "new"},
                         {"DP_TEST_EMPTY", ""}};
  const auto result = run({"sh", "-c",
                           "printf '%s|%s|%s|%s' \"$DP_TEST_INHERITED\" \"$DP_TEST_ADDED\" "
                           "\"$DP_TEST_REPLACED\" \"${DP_TEST_EMPTY-unset}\""},
                          options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out, "kept|new value with spaces|new|");
  // Our own environment is untouched.
  EXPECT_STREQ(std::getenv("DP_TEST_REPLACED"), "old");
  EXPECT_EQ(std::getenv("DP_TEST_ADDED"), nullptr);
}

TEST(ProcessRunTest, EnvironmentOverrideOfPathDoesNotChangeProgramLookup) {
  // The program is looked up in our PATH; the child's PATH is what it is given.
  Options options;
  options.capture_stdout = true;
  options.environment = {{"PATH", "/dp-test-nowhere"}};
  const auto result = run({"sh", "-c", "printf %s \"$PATH\""}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out, "/dp-test-nowhere");
}

// --- timeout ----------------------------------------------------------------------------------

TEST(ProcessRunTest, TimeoutStopsTheChildQuickly) {
  int stops = 0;
  Options options;
  options.timeout = 300ms;
  options.on_stop = [&] { ++stops; };
  const auto started = Clock::now();
  const auto result = run({"sleep", "30"}, options);
  const auto elapsed = Clock::now() - started;
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(result.term_signal, SIGTERM);
  EXPECT_EQ(result.status(), 128 + SIGTERM);
  EXPECT_FALSE(result.ok());
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 5s);
}

TEST(ProcessRunTest, OnStopRunsBeforeTheChildIsSignalled) {
  bool child_alive_in_on_stop = false;
  TempDir dir;
  const auto pid_file = dir.path() / "pid";
  Options options;
  options.timeout = 300ms;
  options.on_stop = [&] {
    std::ifstream in(pid_file);
    pid_t pid = 0;
    in >> pid;
    child_alive_in_on_stop = pid > 0 && ::kill(pid, 0) == 0;
  };
  const auto result =
      run({"sh", "-c", "echo $$ > \"$0\"; exec sleep 30", pid_file.string()}, options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_TRUE(child_alive_in_on_stop);
}

TEST(ProcessRunTest, TimeoutNotReachedLeavesTheChildAlone) {
  int stops = 0;
  Options options;
  options.timeout = 20s;
  options.on_stop = [&] { ++stops; };
  const auto result = run({"sh", "-c", "exit 5"}, options);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(stops, 0);
  EXPECT_EQ(result.exit_code, 5);
}

TEST(ProcessRunTest, TimeoutKeepsTheOutputCapturedSoFar) {
  Options options = capture_both();
  options.timeout = 300ms;
  const auto result = run({"sh", "-c", "echo started; echo warming >&2; exec sleep 30"}, options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.out, "started\n");
  EXPECT_EQ(result.err, "warming\n");
}

TEST(ProcessRunTest, TimeoutKillsAChildThatIgnoresSigterm) {
  // Takes the 10 s grace period the helper gives a child between SIGTERM and SIGKILL.
  int stops = 0;
  Options options;
  options.timeout = 200ms;
  options.on_stop = [&] { ++stops; };
  const auto started = Clock::now();
  const auto result = run({"sh", "-c", "trap '' TERM; exec sleep 60"}, options);
  const auto elapsed = Clock::now() - started;
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(result.term_signal, SIGKILL);
  EXPECT_LT(elapsed, 20s);
}

// A grandchild that inherited the captured stdout must not keep run() waiting.
TEST(ProcessRunTest, TimeoutReturnsQuicklyEvenIfAGrandchildHoldsCapturedOutput) {
  Options options;
  options.capture_stdout = true;
  options.timeout = 300ms;
  const auto started = Clock::now();
  const auto result = run({"sh", "-c", "sleep 6 & wait"}, options);
  const auto elapsed = Clock::now() - started;
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(elapsed, 4s);
}

// --- interrupts -------------------------------------------------------------------------------

TEST(InterruptsTest, InterruptedNamesTheSignal) {
  const Interrupted interrupted(SIGTERM);
  EXPECT_EQ(interrupted.signal(), SIGTERM);
  EXPECT_THAT(interrupted.what(), HasSubstr("15"));
}

// Interrupt handlers change the whole process, so these run in death-test children (CHILD_CHECK).

TEST(InterruptsDeathTest, InterruptStopsTheChildAndIsReported) {
  test::expect_in_interruptible_child([] {
    CHILD_CHECK(pending_interrupt() == 0);
    CHILD_CHECK(interrupt_fd() >= 0);
    int stops = 0;
    Options options;
    options.on_stop = [&] { ++stops; };
    std::jthread sender([] {
      std::this_thread::sleep_for(300ms);
      ::kill(::getpid(), SIGINT);
    });
    const auto started = Clock::now();
    const auto result = run({"sleep", "30"}, options);
    const auto elapsed = Clock::now() - started;
    CHILD_CHECK(result.interrupted_by == SIGINT);
    CHILD_CHECK(result.term_signal == SIGINT);  // the interrupt is forwarded as is
    CHILD_CHECK(stops == 1);
    CHILD_CHECK(!result.timed_out);
    CHILD_CHECK(elapsed < 5s);
    CHILD_CHECK(pending_interrupt() == SIGINT);
  });
}

// The clean-up the unwinding stack does after an interrupt (`docker rm --force`) runs shielded.
TEST(InterruptsDeathTest, CleanupCommandStartedAfterAnInterruptRunsToCompletion) {
  test::expect_in_interruptible_child([] {
    ::kill(::getpid(), SIGINT);
    CHILD_CHECK(pending_interrupt() == SIGINT);
    Options options;
    options.capture_stdout = true;
    options.shielded = true;
    const auto result = run({"sh", "-c", "sleep 0.5; echo cleaned up"}, options);
    CHILD_CHECK(result.interrupted_by == 0);
    CHILD_CHECK(result.ok());
    CHILD_CHECK(result.out == "cleaned up\n");
  });
}

// on_stop's own command (`docker kill <id>`) runs shielded to completion.
TEST(InterruptsDeathTest, OnStopCanRunACommandDuringAnInterrupt) {
  test::expect_in_interruptible_child([] {
    std::optional<Result> stop_command;
    Options options;
    options.on_stop = [&] {
      Options quiet;
      quiet.capture_stdout = true;
      quiet.shielded = true;
      stop_command = run({"sh", "-c", "sleep 0.5; echo stopped"}, quiet);
    };
    std::jthread sender([] {
      std::this_thread::sleep_for(300ms);
      ::kill(::getpid(), SIGTERM);
    });
    const auto result = run({"sleep", "30"}, options);
    CHILD_CHECK(result.interrupted_by == SIGTERM);
    CHILD_CHECK(stop_command.has_value());
    CHILD_CHECK(stop_command->ok());
    CHILD_CHECK(stop_command->out == "stopped\n");
  });
}

// Work started after Ctrl-C (the next docker command of an interrupted stage) stops at once.
TEST(InterruptsDeathTest, UnshieldedCommandStartedAfterAnInterruptIsStopped) {
  test::expect_in_interruptible_child([] {
    ::kill(::getpid(), SIGINT);
    const auto started = std::chrono::steady_clock::now();
    const auto result = run({"sleep", "30"});
    CHILD_CHECK(result.interrupted_by == SIGINT);
    CHILD_CHECK(std::chrono::steady_clock::now() - started < 5s);
  });
}

TEST(InterruptsDeathTest, InterruptDoesNotKillTheHelper) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto scenario = [] {
    install_interrupt_handlers();
    ::kill(::getpid(), SIGTERM);
    ::kill(::getpid(), SIGHUP);
    // The first signal is the one recorded.
    std::_Exit(pending_interrupt() == SIGTERM ? 0 : 1);
  };
  EXPECT_EXIT(scenario(), ::testing::ExitedWithCode(0), "");
}

// --- find_executable --------------------------------------------------------------------------

TEST(FindExecutableTest, FindsAProgramInPath) {
  const auto sh = find_executable("sh");
  ASSERT_FALSE(sh.empty());
  EXPECT_EQ(sh.filename(), "sh");
  EXPECT_EQ(::access(sh.c_str(), X_OK), 0);
}

TEST(FindExecutableTest, UnknownNameIsEmpty) {
  EXPECT_TRUE(find_executable("dp-no-such-program-4711").empty());
}

TEST(FindExecutableTest, ExplicitPathIsCheckedNotSearched) {
  TempDir dir;
  const auto tool = dir.path() / "tool";
  const auto data = dir.path() / "data";
  std::ofstream(tool) << "#!/bin/sh\n";
  std::ofstream(data) << "not a program\n";
  fs::permissions(tool, fs::perms::owner_all);
  fs::permissions(data, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(find_executable(tool.string()), tool);
  EXPECT_TRUE(find_executable(data.string()).empty());
  EXPECT_TRUE(find_executable((dir.path() / "absent").string()).empty());
}

TEST(FindExecutableTest, SearchesPathInOrderAndSkipsNonExecutables) {
  TempDir first;
  TempDir second;
  std::ofstream(first.path() / "dp-tool") << "not executable\n";
  fs::permissions(first.path() / "dp-tool", fs::perms::owner_read | fs::perms::owner_write);
  std::ofstream(second.path() / "dp-tool") << "#!/bin/sh\n";
  fs::permissions(second.path() / "dp-tool", fs::perms::owner_all);
  ScopedEnv path("PATH", first.path().string() + ":" + second.path().string());
  EXPECT_EQ(find_executable("dp-tool"), second.path() / "dp-tool");
}

// access(X_OK) also holds for a directory; execvp() skips such a folder, and so must we.
TEST(FindExecutableTest, SkipsDirectoriesNamedLikeTheProgram) {
  TempDir first;
  TempDir second;
  fs::create_directory(first.path() / "dp-tool");
  std::ofstream(second.path() / "dp-tool") << "#!/bin/sh\necho found\n";
  fs::permissions(second.path() / "dp-tool", fs::perms::owner_all);
  ScopedEnv path("PATH", first.path().string() + ":" + second.path().string());
  EXPECT_EQ(find_executable("dp-tool"), second.path() / "dp-tool");
  EXPECT_TRUE(find_executable(first.path().string()).empty());
}

// --- UniqueFd ---------------------------------------------------------------------------------

bool is_open(int fd) {
  return ::fcntl(fd, F_GETFD) != -1;
}

TEST(UniqueFdTest, ClosesOnDestruction) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  { UniqueFd read(fds[0]), write(fds[1]); }
  EXPECT_FALSE(is_open(fds[0]));
  EXPECT_FALSE(is_open(fds[1]));
}

TEST(UniqueFdTest, MoveTransfersOwnership) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd keep(fds[1]);
  UniqueFd target;
  EXPECT_FALSE(target);
  {
    UniqueFd source(fds[0]);
    target = std::move(source);
    EXPECT_FALSE(source);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  }
  EXPECT_TRUE(target);
  EXPECT_EQ(target.get(), fds[0]);
  EXPECT_TRUE(is_open(fds[0]));
}

TEST(UniqueFdTest, ReleaseGivesUpOwnershipAndResetCloses) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd read(fds[0]);
  UniqueFd write(fds[1]);
  const int released = read.release();
  EXPECT_EQ(released, fds[0]);
  EXPECT_FALSE(read);
  write.reset();
  EXPECT_FALSE(is_open(fds[1]));
  EXPECT_TRUE(is_open(released));
  ::close(released);
}

}  // namespace
}  // namespace dp::process
