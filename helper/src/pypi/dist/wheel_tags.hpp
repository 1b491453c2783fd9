#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pypi/dist/dist_names.hpp"

// Wheel compatibility tags (PEP 425, PEP 600): which wheels an interpreter installs, and in which
// order pip prefers them.
namespace dp::pypi {

// What an interpreter tells about itself (the verify stage asks the one in each image).
struct Interpreter {
  std::string implementation = "cpython";  // sys.implementation.name
  int major = 3;
  int minor = 0;
  std::string version;  // platform.python_version(): "3.11.2"
  std::string glibc;    // "2.36"; empty on a libc that is not glibc
  std::string machine;  // platform.machine(): "x86_64", "aarch64"
};

// The tags the interpreter supports, most preferred first, as pip 23 (packaging 21.3) lists them
// for CPython on Linux: cp311-cp311-<platform>, cp311-abi3-..., cp311-none-..., older abi3, then
// py311-none-<platform> ... and the pure tags ending with py30-none-any. Platforms: manylinux_2_Y
// from the interpreter's glibc down to 2.5 (with the manylinux2014/2010/1 aliases), then
// linux_<machine>.
std::vector<std::string> supported_tags(const Interpreter& interpreter);

// The tags a wheel's name declares, its compressed sets expanded (py2.py3-none-any: two tags).
std::vector<std::string> wheel_tags(const WheelName& wheel);

// Of the wheels (file names), the one the interpreter installs, as pip chooses among them: the one
// with the most preferred supported tag. Nothing when none is supported.
std::optional<std::string> best_wheel(const std::vector<std::string>& wheel_files,
                                      const std::vector<std::string>& supported);

}  // namespace dp::pypi
