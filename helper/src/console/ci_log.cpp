#include "console/ci_log.hpp"

#include <fmt/core.h>

#include <cctype>
#include <ctime>
#include <filesystem>

namespace dp::console {
namespace {

CiLog* current_log = nullptr;

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

std::string section_name(std::string_view title) {
  std::string name{title};
  for (auto& c : name) {
    const auto u = static_cast<unsigned char>(c);
    c = std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
  }
  return name;
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out.empty() ? " " : out;
}

std::string markdown_row(const std::vector<std::string>& cells) {
  std::string row = "|";
  for (const auto& cell : cells) row += " " + markdown_cell(cell) + " |";
  return row + "\n";
}

}  // namespace

CiSystem detect_ci(const process::EnvironmentLookup& environment) {
  if (environment("GITHUB_ACTIONS") == "true") return CiSystem::github;
  if (environment("GITLAB_CI") == "true") return CiSystem::gitlab;
  return CiSystem::none;
}

CiLog::CiLog(CiSystem system, std::string_view command, const std::string& pipeline_file,
             const process::EnvironmentLookup& environment, std::FILE* out)
    : system_(system),
      out_(out),
      command_(command),
      started_(std::chrono::steady_clock::now()),
      previous_(current_log) {
  const auto pipeline = std::filesystem::path(pipeline_file).stem().stem().string();
  title_ = fmt::format("docker-pipeline {}{}{}", command, pipeline.empty() ? "" : " ", pipeline);
  name_ = section_name(title_);
  if (system_ == CiSystem::github) {
    summary_file_ = environment("GITHUB_STEP_SUMMARY").value_or("");
    workspace_ = environment("GITHUB_WORKSPACE").value_or("");
  }
  std::lock_guard lock{mutex_};
  open(title_);
  current_log = this;
}

CiLog::~CiLog() {
  if (!finished_) close();
  current_log = previous_;
}

CiLog* CiLog::current() {
  return current_log;
}

void CiLog::open(std::string_view title) {
  if (system_ == CiSystem::github) {
    fmt::print(out_, "::group::{}\n", escaped(title, false));
  } else if (system_ == CiSystem::gitlab) {
    fmt::print(out_, "\033[0Ksection_start:{}:{}[collapsed=true]\r\033[0K{}\n",
               static_cast<long long>(std::time(nullptr)), section_name(title), title);
  }
  open_ = true;
  std::fflush(out_);
}

void CiLog::close() {
  std::fflush(stderr);
  std::lock_guard lock{mutex_};
  if (!open_) return;
  if (system_ == CiSystem::github) {
    fmt::print(out_, "::endgroup::\n");
  } else if (system_ == CiSystem::gitlab) {
    fmt::print(out_, "\033[0Ksection_end:{}:{}\r\033[0K\n",
               static_cast<long long>(std::time(nullptr)), name_);
  }
  open_ = false;
  std::fflush(out_);
}

void CiLog::finish(int status, std::string_view failure) {
  close();
  finished_ = true;
  std::lock_guard lock{mutex_};
  std::string reason{failure};
  if (status != 0 && reason.empty()) {
    reason = failure_line_.empty() ? fmt::format("exit status {}", status) : failure_line_;
  }
  if (status != 0) fmt::print(out_, "{}", ci_error_line(system_, command_, reason));
  std::fflush(out_);
  if (summary_file_.empty()) return;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started_;
  std::string text = fmt::format("### {} `{}`: {} in {:.1f} s\n\n", status == 0 ? "✅" : "❌", title_,
                                 status == 0 ? "done" : "failed", took.count());
  if (status != 0) text += fmt::format("> {}\n\n", markdown_cell(reason));
  for (const auto& table : tables_) {
    text += fmt::format("**{}**\n\n{}\n", table.title, markdown_table(table));
  }
  std::FILE* summary = std::fopen(summary_file_.c_str(), "a");
  if (summary == nullptr || std::fputs(text.c_str(), summary) < 0) {
    fmt::print(stderr, "docker-pipeline {}: warning: cannot append to GITHUB_STEP_SUMMARY {}\n",
               command_, summary_file_);
  }
  if (summary != nullptr) std::fclose(summary);
}

void CiLog::before_line() {
  std::lock_guard lock{mutex_};
  if (!open_ && !finished_ && system_ == CiSystem::github) open(title_ + " (continued)");
}

void CiLog::unit(std::string_view name, const std::vector<std::string>& lines) {
  if (system_ == CiSystem::none) {
    for (const auto& line : lines) fmt::print(out_, "[{}] {}\n", name, line);
    std::fflush(out_);
    return;
  }
  std::fflush(stderr);
  std::lock_guard lock{mutex_};
  const auto title = fmt::format("{}: {}", title_, name);
  if (system_ == CiSystem::github && open_) fmt::print(out_, "::endgroup::\n");
  open(title);
  for (const auto& line : lines) fmt::print(out_, "{}\n", line);
  if (system_ == CiSystem::github) {
    fmt::print(out_, "::endgroup::\n");
    open_ = false;
  } else {
    fmt::print(out_, "\033[0Ksection_end:{}:{}\r\033[0K\n",
               static_cast<long long>(std::time(nullptr)), section_name(title));
  }
  std::fflush(out_);
}

void CiLog::annotate(const stages::Annotation& annotation) {
  if (system_ != CiSystem::github) return;
  std::string file = annotation.file;
  if (!workspace_.empty() && std::filesystem::path(file).is_absolute()) {
    const auto relative = std::filesystem::path(file).lexically_relative(workspace_);
    if (!relative.empty() && *relative.begin() != "..") file = relative.string();
  }
  std::string properties;
  if (!file.empty()) properties += "file=" + escaped(file, true) + ",";
  if (!file.empty() && annotation.line > 0) properties += fmt::format("line={},", annotation.line);
  properties += "title=" + escaped(annotation.title, true);
  std::lock_guard lock{mutex_};
  fmt::print(out_, "::error {}::{}\n", properties, escaped(annotation.message, false));
  std::fflush(out_);
}

void CiLog::mask(std::string_view secret) {
  const auto line = ci_mask_line(system_, secret);
  if (line.empty()) return;
  std::lock_guard lock{mutex_};
  fmt::print(out_, "{}", line);
  std::fflush(out_);
}

void CiLog::summarize(const stages::SummaryTable& table) {
  std::lock_guard lock{mutex_};
  for (auto& earlier : tables_) {  // the variants' rows of one table
    if (earlier.title == table.title && earlier.header == table.header) {
      earlier.rows.insert(earlier.rows.end(), table.rows.begin(), table.rows.end());
      return;
    }
  }
  tables_.push_back(table);
}

void CiLog::failed(std::string_view line) {
  std::lock_guard lock{mutex_};
  failure_line_ = line;
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

std::string markdown_table(const stages::SummaryTable& table) {
  std::string text = markdown_row(table.header);
  text += "|";
  for (std::size_t i = 0; i < table.header.size(); ++i) text += " --- |";
  text += "\n";
  for (const auto& row : table.rows) text += markdown_row(row);
  return text;
}

}  // namespace dp::console
