#include "console/ci_log.hpp"

#include <fmt/core.h>

#include <cctype>
#include <filesystem>

namespace dp::console {
namespace {

// Workflow command data: '%', '\r' and '\n' escaped; properties escape ':' and ',' too.
std::string escaped(std::string_view text, bool property) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string section_name(std::string_view command, std::string_view title) {
  std::string name = fmt::format("docker_pipeline_{}_{}", command, title);
  for (auto& c : name) {
    const auto u = static_cast<unsigned char>(c);
    c = std::isalnum(u) || c == '.' || c == '-' ? static_cast<char>(std::tolower(u)) : '_';
  }
  return name;
}

}  // namespace

CiSystem detect_ci(const process::EnvironmentLookup& environment) {
  if (environment("GITHUB_ACTIONS") == "true") return CiSystem::github;
  if (environment("GITLAB_CI") == "true") return CiSystem::gitlab;
  return CiSystem::none;
}

CiSection::CiSection(CiSystem system, std::string_view command, const std::string& pipeline_file,
                     std::FILE* out, std::time_t now)
    : system_(system), out_(out) {
  const auto title = std::filesystem::path(pipeline_file).stem().stem().string();
  name_ = section_name(command, title);
  const auto header =
      fmt::format("docker-pipeline {}{}{}", command, title.empty() ? "" : " ", title);
  if (system_ == CiSystem::github) {
    fmt::print(out_, "::group::{}\n", escaped(header, false));
  } else if (system_ == CiSystem::gitlab) {
    fmt::print(out_, "\033[0Ksection_start:{}:{}[collapsed=true]\r\033[0K{}\n",
               static_cast<long long>(now), name_, header);
  }
  std::fflush(out_);
}

CiSection::~CiSection() {
  std::fflush(stderr);
  if (system_ == CiSystem::github) {
    fmt::print(out_, "::endgroup::\n");
  } else if (system_ == CiSystem::gitlab) {
    fmt::print(out_, "\033[0Ksection_end:{}:{}\r\033[0K\n",
               static_cast<long long>(std::time(nullptr)), name_);
  }
  std::fflush(out_);
}

std::string ci_error_line(CiSystem system, std::string_view command, std::string_view message) {
  if (system != CiSystem::github) return "";
  return fmt::format("::error title={}::{}\n",
                     escaped(fmt::format("docker-pipeline {}", command), true),
                     escaped(message, false));
}

std::string ci_mask_line(CiSystem system, std::string_view secret) {
  if (system != CiSystem::github || secret.empty() ||
      secret.find_first_of("\r\n") != std::string_view::npos) {
    return "";
  }
  return fmt::format("::add-mask::{}\n", secret);
}

}  // namespace dp::console
