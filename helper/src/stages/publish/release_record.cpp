#include "stages/publish/release_record.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "core/errors.hpp"
#include "pipeline/pipeline.hpp"
#include "text/file.hpp"

namespace dp::stages {
namespace {

using nlohmann::json;

// Columns padded to their widest cell, two spaces apart, each line indented by two.
std::vector<std::string> columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::vector<std::string> lines;
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += ' ' + row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 1, ' ');
    }
    lines.push_back(line.substr(0, line.find_last_not_of(' ') + 1));
  }
  return lines;
}

}  // namespace

std::vector<std::string> release_table(const json& record) {
  try {
    const auto format = record.at("format").get<std::string>();
    if (!format.starts_with("1.")) {
      throw UserError(
          fmt::format("release record format {} is newer than this docker-pipeline "
                      "reads (1.x): upgrade it",
                      format));
    }
    std::vector<std::string> lines;
    const auto& git = record.at("git");
    const auto revision = git.at("revision").get<std::string>();
    lines.push_back(fmt::format(
        "{} {}, released {} ({})", record.at("pipeline").get<std::string>(),
        record.at("version").get<std::string>(), record.value("finished", std::string("?")),
        revision.empty() ? "not from git"
                         : fmt::format("git {}{}", revision.substr(0, 12),
                                       git.at("dirty").get<bool>() ? ", dirty tree" : "")));
    lines.push_back(fmt::format("dists on {}", record.at("index").get<std::string>()));
    std::vector<std::vector<std::string>> rows{{"file", "size", "sha256", "url"}};
    for (const auto& dist : record.at("dists")) {
      rows.push_back({dist.at("file").get<std::string>(),
                      std::to_string(dist.at("size").get<std::uintmax_t>()),
                      dist.at("sha256").get<std::string>().substr(0, 12),
                      dist.at("url").get<std::string>()});
    }
    for (auto& line : columns(rows)) lines.push_back(std::move(line));
    const auto& image = record.at("image");
    lines.push_back(fmt::format("image {}", image.at("id").get<std::string>()));
    if (image.contains("pushed")) {
      std::vector<std::vector<std::string>> pushed{{"tag", "pushed as"}};
      for (const auto& tag : image.at("pushed")) {
        pushed.push_back(
            {tag.at("tag").get<std::string>(), tag.at("reference").get<std::string>()});
      }
      for (auto& line : columns(pushed)) lines.push_back(std::move(line));
    }
    if (!record.at("verify").empty()) {
      std::vector<std::vector<std::string>> verified{{"verify image", "result"}};
      for (const auto& result : record.at("verify")) {
        verified.push_back({result.at("image").get<std::string>(),
                            result.at("passed").get<bool>() ? "passed" : "not passed"});
      }
      for (auto& line : columns(verified)) lines.push_back(std::move(line));
    }
    return lines;
  } catch (const json::exception& e) {
    throw UserError(
        fmt::format("the release record is not one this docker-pipeline reads: {}", e.what()));
  }
}

int run_release_stage(const ReleaseOptions& options, Reporter& reporter) {
  const auto p = pipeline::load(options.pipeline);
  const auto file = p.output_dir / "release.json";
  const auto content = text::read_file(file);
  if (!content) {
    throw UserError(fmt::format("{} has no release record yet (no {}): publish it first", p.name,
                                file.string()));
  }
  const auto record = json::parse(*content, nullptr, false);
  if (record.is_discarded()) throw UserError(fmt::format("{}: not JSON", file.string()));
  if (options.json) {
    reporter.print(record.dump(2));
    return 0;
  }
  try {
    for (const auto& line : release_table(record)) reporter.print(line);
  } catch (const UserError& e) {
    throw UserError(fmt::format("{}: {}", file.string(), e.what()));
  }
  return 0;
}

}  // namespace dp::stages
