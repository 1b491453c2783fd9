#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/version_source.hpp"

namespace dp::pipeline {

class PipelineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One pipeline as add_docker_pipeline() describes it in <name>.pipeline.json.
struct Pipeline {
  std::filesystem::path file;  // the JSON file this was read from, for messages
  std::string name;
  std::filesystem::path context;     // absolute: the docker build context
  std::filesystem::path dockerfile;  // relative to context
  std::string image;                 // repository part of the tag: <image>:<version>
  VersionSource version;             // as the user gave it; resolve_version() reads it
  std::vector<std::pair<std::string, std::string>> build_args;  // in order, ARG_VERSION excluded
  std::vector<std::filesystem::path> stamp;                     // relative to context
  std::vector<std::string> test_command;                        // argv run inside the image
  std::string dist_dir;                                         // absolute path inside the image
  std::string repository;            // .pypirc section or URL; empty: twine's default
  bool skip_existing = false;        // SKIP_EXISTING: files the index already has are not failures
  bool verify = false;               // VERIFY: confirm through the simple API what was uploaded
  std::filesystem::path work_dir;    // binary-dir folder this pipeline's steps write into
  std::filesystem::path binary_dir;  // the CMake build tree, never sent as build context

  std::filesystem::path iid_file() const { return work_dir / "image.iid"; }
  // The version the image in iid_file() was built with.
  std::filesystem::path built_version_file() const { return work_dir / "image.version"; }
  std::filesystem::path dist_out_dir() const { return work_dir / "dist"; }
};

// Reads and validates a pipeline file; errors name the file and the field.
Pipeline load(const std::filesystem::path& file);

}  // namespace dp::pipeline
