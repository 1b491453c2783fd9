#include "pypi/dist/dist_names.hpp"

#include <cctype>
#include <vector>

namespace dp::pypi {
namespace {

constexpr std::string_view wheel_suffix = ".whl";
constexpr std::string_view tar_gz_suffix = ".tar.gz";
constexpr std::string_view zip_suffix = ".zip";

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Replaces every run of characters matching `in_run` by one `replacement`.
template <typename Predicate>
std::string collapse_runs(std::string_view text, Predicate in_run, char replacement) {
  std::string result;
  bool in_a_run = false;
  for (const char c : text) {
    if (in_run(c)) {
      if (!in_a_run) result += replacement;
      in_a_run = true;
    } else {
      result += c;
      in_a_run = false;
    }
  }
  return result;
}

}  // namespace

std::optional<DistKind> dist_kind_of(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  if (name.ends_with(wheel_suffix)) return DistKind::wheel;
  if (name.ends_with(tar_gz_suffix)) return DistKind::sdist_tar_gz;
  if (name.ends_with(zip_suffix)) return DistKind::sdist_zip;
  return std::nullopt;
}

bool is_sdist(DistKind kind) {
  return kind != DistKind::wheel;
}

std::string filetype_of(DistKind kind) {
  return is_sdist(kind) ? "sdist" : "bdist_wheel";
}

std::optional<WheelName> parse_wheel_name(std::string_view file_name) {
  if (!file_name.ends_with(wheel_suffix)) return std::nullopt;
  file_name.remove_suffix(wheel_suffix.size());
  const auto parts = split(file_name, '-');
  for (const auto& part : parts) {
    if (part.empty()) return std::nullopt;
  }
  if (parts.size() == 5) return WheelName{parts[0], parts[1], "", parts[2], parts[3], parts[4]};
  if (parts.size() == 6 && std::isdigit(static_cast<unsigned char>(parts[2].front()))) {
    return WheelName{parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]};
  }
  return std::nullopt;
}

std::string wheel_pyversion(std::string_view file_name) {
  const auto wheel = parse_wheel_name(file_name);
  return wheel ? wheel->python_tag : "any";
}

std::optional<SdistName> parse_sdist_name(std::string_view file_name) {
  if (file_name.ends_with(tar_gz_suffix)) {
    file_name.remove_suffix(tar_gz_suffix.size());
  } else if (file_name.ends_with(zip_suffix)) {
    file_name.remove_suffix(zip_suffix.size());
  } else {
    return std::nullopt;
  }
  const auto dash = file_name.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == file_name.size()) {
    return std::nullopt;
  }
  return SdistName{std::string{file_name.substr(0, dash)}, std::string{file_name.substr(dash + 1)}};
}

std::string normalize_project_name(std::string_view name) {
  std::string normalized = collapse_runs(
      name, [](char c) { return c == '-' || c == '_' || c == '.'; }, '-');
  for (auto& c : normalized) c = lower(c);
  return normalized;
}

std::string safe_project_name(std::string_view name) {
  return collapse_runs(
      name, [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '.'); }, '-');
}

std::string version_for_file_name(std::string_view version) {
  std::string result;
  for (const char c : version) result += c == '-' ? '_' : lower(c);
  return result;
}

}  // namespace dp::pypi
