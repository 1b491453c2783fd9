#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/pipeline.hpp"

// How the version reaches what the image build sees: the build args that carry it, and the
// files of the context stamped with it (in what the build sends, never on disk).
namespace dp::stages {

// The build args that carry the version besides ARG_VERSION: SETUPTOOLS_SCM_PRETEND_VERSION
// (and its _FOR_<NAME> forms) and PDM_BUILD_SCM_VERSION, where the Dockerfile declares them with
// ARG and BUILD_ARGS does not set them. Only declared ones: the classic builder warns about others.
std::vector<std::pair<std::string, std::string>> version_build_args(
    const std::set<std::string>& declared, const pipeline::Pipeline& pipeline,
    const std::string& version);

inline constexpr const char* kSourceDateEpoch = "SOURCE_DATE_EPOCH";
inline constexpr const char* kVariantArg = "ARG_VARIANT";
// 1980-01-01: the earliest time a zip file (a wheel) can hold.
inline constexpr const char* kEarliestZipTime = "315532800";

// The build args that make builds reproducible and tell variants apart, where the Dockerfile
// declares them with ARG and BUILD_ARGS does not set them: SOURCE_DATE_EPOCH (the environment's,
// else the commit time of the context's newest commit, docker::git_commit_time, else
// kEarliestZipTime: never the time of the build) and, for a variant of a matrix, ARG_VARIANT
// (its name).
std::vector<std::pair<std::string, std::string>> reproducibility_build_args(
    const std::set<std::string>& declared, const pipeline::Pipeline& pipeline);

// What the build sends in place of the files stamping changes (STAMP files, the version files of
// a dynamic pyproject.toml, the PKG-INFO of an unpacked sdist), and what it says about them.
struct ContextStamp {
  std::map<std::string, std::string> replacements;  // context-relative path -> stamped content
  std::vector<std::string> report;                  // one line per file
};

// The STAMP files, in the context. Throws pipeline::PipelineError naming the field for one that is
// not a regular file of the context (missing, a folder, a symbolic link).
std::vector<std::filesystem::path> stamp_files(const pipeline::Pipeline& pipeline);

// Throws dp::UserError for a STAMP file that is missing, a symbolic link or outside the context,
// and stamp's own errors for a file that cannot be stamped.
ContextStamp stamp_context(const pipeline::Pipeline& pipeline, const std::string& version,
                           const std::set<std::string>& build_variables);

}  // namespace dp::stages
