#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "process/interrupts.hpp"

// Interrupt handlers change the whole process, so tests of interrupts run in death-test children
// (EXPECT_EXIT with the "threadsafe" style), which report a failed check with its message on
// stderr and a non-zero exit code, and end with std::_Exit(0) when every check held
// (expect_in_interruptible_child).
namespace dp::test {

[[noreturn]] inline void child_fails(const char* why) {
  std::fprintf(stderr, "check failed: %s\n", why);
  std::_Exit(1);
}

// Runs `body` in a death-test child with the interrupt handlers installed; the test passes when
// the body returns, every CHILD_CHECK in it having held.
template <typename Body>
void expect_in_interruptible_child(Body body) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto child = [&body] {
    process::install_interrupt_handlers();
    body();
    std::_Exit(0);
  };
  EXPECT_EXIT(child(), ::testing::ExitedWithCode(0), "");
}

}  // namespace dp::test

#define CHILD_CHECK(condition)                             \
  do {                                                     \
    if (!(condition)) ::dp::test::child_fails(#condition); \
  } while (false)
