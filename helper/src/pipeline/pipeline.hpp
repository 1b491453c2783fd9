#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "pipeline/version_source.hpp"
#include "version/format_version.hpp"

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

// The newest format of the pipeline file this helper reads: the file's "format" member, which
// cmake/DockerPipeline.cmake writes. A file of a newer minor format is read with a warning (the
// members it does not know are ignored); a newer major format is refused. A file without "format"
// comes from a module older than the member and is read as 1.0, whose members it has. 1.1 added
// verify_images, verify_command, verify_files and wheelhouse; 1.2 added matrix; 1.3 verify_sdist;
// 1.4 push; 1.5 trusted_publishing and attestations.
inline constexpr version::FormatVersion kPipelineFormat{1, 5};

// One value of MATRIX: the build arg's value and the short name the module derived from it.
struct Variant {
  std::string name;  // [a-z0-9_.-], unique in the matrix: the tag suffix and folder name
  std::string value;
};

// One pipeline as add_docker_pipeline() describes it in <name>.pipeline.json.
struct Pipeline {
  std::filesystem::path file;  // the JSON file this was read from, for messages
  version::FormatVersion format =
      kPipelineFormat;  // as the file declares it (1.0 when it does not)
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
  bool skip_existing = false;  // SKIP_EXISTING: files the index already has are not failures
  bool verify = false;         // VERIFY: confirm through the simple API what was uploaded
  std::string trusted_publishing = "auto";  // TRUSTED_PUBLISHING: auto, always or never
  bool attestations = false;  // ATTESTATIONS: every dist must have its .publish.attestation
  std::vector<std::string> verify_images;           // VERIFY_IMAGES: local images with a tag
  std::vector<std::string> verify_command;          // VERIFY_COMMAND; empty: test_command
  std::vector<std::filesystem::path> verify_files;  // VERIFY_FILES, relative to context
  bool verify_sdist = true;  // VERIFY_SDIST: the first verify image builds and tests the sdist
  std::filesystem::path wheelhouse;  // WHEELHOUSE: absolute folder of wheels; empty: none
  std::string push;                  // PUSH: "<registry>/<repository>"; empty: no push
  bool push_latest = false;          // PUSH_LATEST: push <version> and latest
  std::string matrix_arg;            // MATRIX: the build arg each variant sets; empty: no matrix
  std::vector<Variant> variants;     // MATRIX: its values, in order (the first is the primary)
  std::string variant;  // set in the pipelines expand_matrix() makes: this one's variant name
  bool primary = true;  // false for every variant but the first
  std::filesystem::path work_dir;    // binary-dir folder for the steps' own records
  std::filesystem::path output_dir;  // ${CMAKE_CURRENT_BINARY_DIR}/<name>: dist/ and artifacts/
  std::filesystem::path binary_dir;  // the CMake build tree, never sent as build context

  // The tag of this pipeline's image for a version's tag: "<image>:<version tag>", with
  // "-<variant>" for a variant of a matrix.
  std::string image_tag(const std::string& docker_tag) const {
    return image + ":" + docker_tag + (variant.empty() ? "" : "-" + variant);
  }
  // The test stage's record: what passed and the dists it copied out (for a matrix: the merged
  // dists of all variants).
  std::filesystem::path test_record() const { return work_dir / "test.passed"; }
  std::filesystem::path iid_file() const { return work_dir / "image.iid"; }
  // The version the image in iid_file() was built with.
  std::filesystem::path built_version_file() const { return work_dir / "image.version"; }
  std::filesystem::path dist_out_dir() const { return output_dir / "dist"; }
  std::filesystem::path artifacts_out_dir() const { return output_dir / "artifacts"; }
  // The verify stage's outputs and records for one image, by its name (its tag: the verify
  // stage's VerifyTarget::name).
  std::filesystem::path verify_out_dir(const std::string& name) const {
    return output_dir / "verify" / name;
  }
  std::filesystem::path verify_record(const std::string& name) const {
    return work_dir / "verify" / (name + ".passed");
  }
};

// Receives the warnings of load(): one line each, naming the file.
using Warn = std::function<void(std::string_view)>;

// Reads and validates a pipeline file: every member has its type and a value the module could
// have written, and a member this helper does not know is an error (unless the format is a newer
// minor one). Throws PipelineError with one line "<file>: field '<name>': <problem>" (or
// "<file>: <problem>" when the file is no JSON object). The one-argument form prints the warnings
// on stderr as "docker-pipeline: warning: <warning>".
Pipeline load(const std::filesystem::path& file);
Pipeline load(const std::filesystem::path& file, const Warn& warn);

}  // namespace dp::pipeline
