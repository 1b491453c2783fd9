#include "stages/image/context_stamp.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/errors.hpp"
#include "docker/image_labels.hpp"
#include "process/environment.hpp"
#include "stamp/plan.hpp"

namespace dp::stages {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> version_build_args(
    const std::set<std::string>& declared, const pipeline::Pipeline& p,
    const std::string& version) {
  std::vector<std::pair<std::string, std::string>> args;
  for (const auto& name : declared) {
    const bool carries_version =
        name == stamp::kPretendVersionVariable || name == stamp::kPdmVersionVariable ||
        name.starts_with(fmt::format("{}_FOR_", stamp::kPretendVersionVariable));
    const bool given = std::any_of(p.build_args.begin(), p.build_args.end(),
                                   [&](const auto& arg) { return arg.first == name; });
    if (carries_version && !given) args.emplace_back(name, version);
  }
  return args;
}

std::vector<std::pair<std::string, std::string>> reproducibility_build_args(
    const std::set<std::string>& declared, const pipeline::Pipeline& p) {
  const auto wanted = [&](const std::string& name) {
    return declared.contains(name) &&
           std::none_of(p.build_args.begin(), p.build_args.end(),
                        [&](const auto& arg) { return arg.first == name; });
  };
  std::vector<std::pair<std::string, std::string>> args;
  if (wanted(kSourceDateEpoch)) {
    auto epoch = process::process_environment()(kSourceDateEpoch);
    if (!epoch || epoch->empty()) epoch = docker::git_commit_time(p.context);
    args.emplace_back(kSourceDateEpoch, epoch.value_or(kEarliestZipTime));
  }
  if (!p.variant.empty() && wanted(kVariantArg)) args.emplace_back(kVariantArg, p.variant);
  return args;
}

std::vector<fs::path> stamp_files(const pipeline::Pipeline& p) {
  std::vector<fs::path> files;
  for (std::size_t i = 0; i < p.stamp.size(); ++i) {
    const auto& relative = p.stamp[i];
    const auto path = p.context / relative;
    const auto fail = [&](std::string_view problem) {
      throw pipeline::PipelineError(fmt::format("{}: field 'stamp[{}]': '{}' {}", p.file.string(),
                                                i, relative.string(), problem));
    };
    std::error_code error;
    if (fs::is_symlink(path, error)) fail("is a symbolic link; stamp the file it points to");
    if (!fs::is_regular_file(path, error)) {
      fail(fmt::format("is not a file in the context {}", p.context.string()));
    }
    files.push_back(path);
  }
  return files;
}

ContextStamp stamp_context(const pipeline::Pipeline& p, const std::string& version,
                           const std::set<std::string>& build_variables) {
  const auto files = stamp_files(p);
  auto context = p.context.lexically_normal();
  if (!context.has_filename()) context = context.parent_path();  // "ctx/" is "ctx"
  const auto in_context = [&](const fs::path& path) {
    const auto relative = path.lexically_normal().lexically_relative(context);
    return relative.empty() || *relative.begin() == ".." ? fs::path{} : relative;
  };
  // Only what the build sees can be stamped: a pyproject.toml may name a file outside it.
  const auto read = [&, disk = stamp::disk_reader()](const fs::path& path) {
    const auto relative = in_context(path);
    if (relative.empty()) {
      throw UserError(fmt::format("{}: cannot stamp {}: outside the context {}", p.file.string(),
                                  path.string(), context.string()));
    }
    if (fs::is_symlink(path)) {
      throw UserError(fmt::format("{}: '{}' is a symbolic link; stamp the file it points to",
                                  p.file.string(), relative.string()));
    }
    return disk(path);
  };

  ContextStamp stamped;
  auto plan = stamp::plan_stamp(files, {version, std::nullopt, context, build_variables}, read);
  for (auto& edit : plan.edits) {
    // Paths as the context has them, in the report too.
    edit.path = in_context(edit.path);
    edit.requested = in_context(edit.requested);
    const auto name = edit.path.generic_string();
    stamped.report.push_back(
        edit.changes()
            ? fmt::format("{}: stamped {} -> {} {}", name, edit.old_version, edit.new_version,
                          stamp::reader_note(edit))
            : fmt::format("{}: already {} {}", name, edit.new_version, stamp::reader_note(edit)));
    stamped.replacements[name] = std::move(edit.after);
  }
  for (const auto& passed : plan.passed) {
    stamped.report.push_back(fmt::format("{}: {} gets version {} from the build arg {}",
                                         in_context(passed.pyproject).generic_string(),
                                         passed.backend, version, passed.variable));
  }
  return stamped;
}

}  // namespace dp::stages
