#include "docker/dockerfile_lint.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "docker/dockerignore.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

bool names_pypirc(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path.ends_with(".pypirc");
}

// The context files a COPY/ADD source takes: the file itself, or everything below a folder, or
// what a wildcard matches (with what is below a matched folder).
std::vector<std::string> files_taken(std::string_view source,
                                     const std::vector<std::string>& context_files) {
  while (source.starts_with("./") || source.starts_with("/")) source.remove_prefix(1);
  if (source.starts_with("!") || source.starts_with("#")) return {};
  const bool everything = source.empty() || source == "." || source == "./";
  const DockerIgnore pattern(everything ? std::string_view{} : source);
  std::vector<std::string> taken;
  for (const auto& file : context_files) {
    if (everything || pattern.excludes(file)) taken.push_back(file);
  }
  return taken;
}

std::string secret_fix(const std::string& name) {
  const auto id = text::lowercase(name);
  return fmt::format(
      "pass it as a build secret instead: SECRETS id={0},env={1} in add_docker_pipeline() and "
      "RUN --mount=type=secret,id={0} ... in the Dockerfile",
      id, name);
}

void lint_variables(const Instruction& instruction, std::vector<LintFinding>& findings) {
  const bool env = instruction.keyword == "ENV";
  for (const auto& pair : parse_key_values(instruction.arguments, env)) {
    if (!is_credential_name(pair.key)) continue;
    findings.push_back(
        {instruction.line,
         fmt::format("{} {}: {} named like a credential keeps its value in the image ({}); {}",
                     instruction.keyword, pair.key, env ? "an environment variable" : "a build arg",
                     env ? "its config, for every container" : "docker history shows it",
                     secret_fix(pair.key))});
  }
}

void lint_copy(const Instruction& instruction, const std::vector<std::string>& context_files,
               std::vector<LintFinding>& findings) {
  auto words = split_words(instruction.arguments);
  const auto flags = take_flags(words);
  if (words.size() < 2) return;
  const bool from_elsewhere = std::any_of(flags.begin(), flags.end(),
                                          [](const auto& flag) { return flag.first == "from"; });
  const auto fix = fmt::format(
      "keep it out of the image: list it in .dockerignore, pass it as a build secret "
      "(SECRETS id=pypirc,src=$ENV{{HOME}}/.pypirc in add_docker_pipeline()) and read it with "
      "RUN --mount=type=secret,id=pypirc,target=/root/.pypirc ...");
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const auto& source = words[i];
    if (source.starts_with("<<")) continue;  // a heredoc: the Dockerfile's own text
    if (names_pypirc(source)) {
      findings.push_back(
          {instruction.line,
           fmt::format("{} {}: copies a .pypirc into the image, where every layer keeps it; {}",
                       instruction.keyword, source, fix)});
      continue;
    }
    if (from_elsewhere || source.find("://") != std::string::npos) continue;
    for (const auto& file : files_taken(source, context_files)) {
      if (!names_pypirc(file)) continue;
      findings.push_back(
          {instruction.line,
           fmt::format("{} {}: copies {} (sent in the build context) into the image, where every "
                       "layer keeps it; {}",
                       instruction.keyword, source, file, fix)});
    }
  }
}

}  // namespace

bool is_credential_name(const std::string& name) {
  const auto lower = text::lowercase(name);
  return lower.find("password") != std::string::npos || lower.find("token") != std::string::npos ||
         lower.find("secret") != std::string::npos;
}

std::vector<LintFinding> lint_dockerfile(const std::vector<Instruction>& instructions,
                                         const std::vector<std::string>& context_files) {
  std::vector<LintFinding> findings;
  for (const auto& instruction : instructions) {
    if (instruction.keyword == "ARG" || instruction.keyword == "ENV") {
      lint_variables(instruction, findings);
    } else if (instruction.keyword == "COPY" || instruction.keyword == "ADD") {
      lint_copy(instruction, context_files, findings);
    }
  }
  return findings;
}

}  // namespace dp::docker
