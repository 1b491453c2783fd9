#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "pipeline/version_source.hpp"

namespace dp::pipeline {

class PipelineError : public UserError {
 public:
  using UserError::UserError;
};

// A BuildKit build secret: `id=NAME,src=FILE` or `id=NAME,env=VARIABLE`.
struct BuildSecret {
  std::string id;
  std::filesystem::path file;  // set for src=
  std::string variable;        // set for env=
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
  std::vector<std::pair<std::string, std::string>> test_env;    // TEST_ENV, in order
  double test_timeout_seconds = 0;                              // TEST_TIMEOUT; 0: none
  std::vector<std::string> artifacts;  // ARTIFACTS: absolute paths inside the container
  std::vector<BuildSecret> secrets;    // SECRETS
  std::string engine;                  // ENGINE: "docker", "podman" or "" (detect)
  bool pull = false;                   // PULL: the build may pull base images
  bool latest = false;                 // LATEST: tag <image>:latest too
  bool force = false;                  // DOCKER_PIPELINE_FORCE: build and test even when unchanged
  std::string repository;              // .pypirc section or URL; empty: twine's default
  bool skip_existing = false;        // SKIP_EXISTING: files the index already has are not failures
  bool verify = false;               // VERIFY: confirm through the simple API what was uploaded
  std::filesystem::path work_dir;    // binary-dir folder for the steps' own records
  std::filesystem::path output_dir;  // ${CMAKE_CURRENT_BINARY_DIR}/<name>: dist/ and artifacts/
  std::filesystem::path binary_dir;  // the CMake build tree, never sent as build context

  std::filesystem::path iid_file() const { return work_dir / "image.iid"; }
  // The version the image in iid_file() was built with.
  std::filesystem::path built_version_file() const { return work_dir / "image.version"; }
  std::filesystem::path dist_out_dir() const { return output_dir / "dist"; }
  std::filesystem::path artifacts_out_dir() const { return output_dir / "artifacts"; }
};

// Reads and validates a pipeline file; errors name the file and the field.
Pipeline load(const std::filesystem::path& file);

}  // namespace dp::pipeline
