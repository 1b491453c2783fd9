#pragma once

#include <cstdio>
#include <cstdlib>

// Interrupt handlers change the whole process, so tests of interrupts run in death-test children
// (EXPECT_EXIT with the "threadsafe" style), which report a failed check with its message on
// stderr and a non-zero exit code, and end with std::_Exit(0) when every check held.
namespace dp::test {

[[noreturn]] inline void child_fails(const char* why) {
  std::fprintf(stderr, "check failed: %s\n", why);
  std::_Exit(1);
}

}  // namespace dp::test

#define CHILD_CHECK(condition)                             \
  do {                                                     \
    if (!(condition)) ::dp::test::child_fails(#condition); \
  } while (false)
