#pragma once

#include <string>
#include <string_view>

#include "pypi/dist/wheel_tags.hpp"

// What the verify stage runs inside a verify image: the probe that asks its Python what it is,
// and the script that installs the dists into fresh venvs and runs the verify command.
namespace dp::stages {

// The folder the stage copies into each verify container: dists/, files/ (VERIFY_FILES, the
// command's working folder), wheelhouse/ (WHEELHOUSE) and the script.
inline constexpr std::string_view kVerifyRoot = "/dp-verify";

// The script's exit status when a dist does not install (pip's own output says why).
inline constexpr int kInstallFailedStatus = 199;

// `python3 -c <this>` prints one JSON line: {"python", "implementation", "glibc", "machine"}.
std::string_view interpreter_probe();

// Throws dp::UserError naming the image when the probe's output holds no such line.
pypi::Interpreter parse_interpreter(std::string_view output, std::string_view image);

// `sh <kVerifyRoot>/verify.sh <command>...`, with DP_VERIFY_INSTALLS (the dist file names to
// install, space-separated, each into a venv of its own) and DP_VERIFY_BUILD_ISOLATION (1: build an
// sdist in isolation, its backend from the wheelhouse; 0: with the image's own).
std::string_view verify_script();

}  // namespace dp::stages
