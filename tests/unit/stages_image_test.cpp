#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "stages/image/image_stage.hpp"
#include "support/fake_engine.hpp"
#include "support/recording_reporter.hpp"
#include "support/scoped_env.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// The image stage, in process, on a pipeline whose engine is the fake engine of data/docker.
class ImageStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = test::install_fake_engine(dir_.path());
    dir_.write("ctx/app.py", "print(1)\n");
    dir_.write("p.json", R"({"name": "app", "context": ")" + (dir_.path() / "ctx").string() +
                             R"(", "dockerfile": "Dockerfile", "image": "app", "version": "1.0",
                             "work_dir": ")" +
                             (dir_.path() / "work").string() + R"("})");
  }

  // What `docker-pipeline build --pipeline p.json` with these flags prints and exits with.
  test::StageOutcome build(std::vector<std::string> flags = {}) {
    ImageOptions options;
    options.pipeline = dir_.path() / "p.json";
    for (const auto& flag : flags) {
      options.verbose = options.verbose || flag == "--verbose";
      options.force = options.force || flag == "--force";
      options.allow_insecure_dockerfile =
          options.allow_insecure_dockerfile || flag == "--allow-insecure-dockerfile";
    }
    const test::ScopedEnv engine("DOCKER_PIPELINE_ENGINE", engine_.c_str());
    const test::ScopedEnv buildkit("DOCKER_BUILDKIT", "");
    return test::run_stage("build",
                           [&](Reporter& reporter) { return run_image_stage(options, reporter); });
  }

  test::TempDir dir_;
  fs::path engine_;
};

TEST_F(ImageStageTest, InsecureDockerfileIsRefusedBeforeTheEngineIsAsked) {
  dir_.write("ctx/Dockerfile", "FROM base:1\n\nARG PYPI_TOKEN\nCOPY .pypirc /root/\n");
  const auto result = build();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("Dockerfile:3: ARG PYPI_TOKEN"));
  EXPECT_THAT(result.err, HasSubstr("and 1 more: "));
  EXPECT_THAT(result.err, HasSubstr("Dockerfile:4"));
  EXPECT_THAT(result.err, HasSubstr("--allow-insecure-dockerfile"));
  EXPECT_FALSE(fs::exists(dir_.path() / "bin/state/log"));
}

TEST_F(ImageStageTest, AllowInsecureDockerfileWarnsAndBuilds) {
  dir_.write("ctx/Dockerfile", "FROM scratch\nENV API_TOKEN=x\n");
  const auto result = build({"--allow-insecure-dockerfile"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("warning: "));
  EXPECT_THAT(result.err, HasSubstr("Dockerfile:2: ENV API_TOKEN"));
  EXPECT_THAT(result.out, HasSubstr("built app:1.0"));
}

TEST_F(ImageStageTest, MissingBaseImageIsOneLineWithTheDockerfileLine) {
  dir_.write("ctx/Dockerfile", "# base\nARG BASE=base:1\nFROM ${BASE}\n");
  const auto result = build();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("Dockerfile:3: base image base:1 is not present locally in "));
  EXPECT_THAT(result.err, HasSubstr("set PULL ON"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

TEST_F(ImageStageTest, SecondBuildIsUpToDateAndVerboseSaysWhy) {
  dir_.write("ctx/Dockerfile", "FROM base:1\nCOPY . .\n");
  dir_.write("bin/state/images/base_1", "sha256:" + std::string(64, 'b') + "\n");
  const auto first = build({"--verbose"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("builder: docker (classic builder)"));
  EXPECT_THAT(first.out, HasSubstr("DOCKER_PIPELINE_ENGINE="));
  EXPECT_THAT(first.out, HasSubstr("no buildx plugin"));
  EXPECT_THAT(first.out, HasSubstr("no earlier build recorded"));

  const auto second = build();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("app:1.0 is up to date"));
  EXPECT_THAT(second.out, Not(HasSubstr("building")));
  EXPECT_TRUE(fs::exists(dir_.path() / "work/image.version"));

  const auto forced = build({"--force"});
  EXPECT_THAT(forced.out, HasSubstr("forced"));
}

TEST_F(ImageStageTest, RunMountNeedsABuilderThatMounts) {
  dir_.write("ctx/Dockerfile",
             "FROM scratch\nRUN --network=none --mount=type=cache,target=/ccache make\n");
  const auto result = build();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("Dockerfile:2: RUN --mount needs BuildKit or podman, but "));
  EXPECT_THAT(result.err, HasSubstr("builds here with the classic builder: use a client with "
                                    "BuildKit"));
  EXPECT_THAT(test::read_file(dir_.path() / "bin/state/log"), Not(HasSubstr("build ")));
}

TEST_F(ImageStageTest, SecretsNeedABuilderThatMountsThem) {
  dir_.write("ctx/Dockerfile", "FROM scratch\n");
  dir_.write("p.json", R"({"name": "app", "context": ")" + (dir_.path() / "ctx").string() +
                           R"(", "dockerfile": "Dockerfile", "image": "app", "version": "1.0",
                           "secrets": ["id=pypirc,env=HOME"], "work_dir": ")" +
                           (dir_.path() / "work").string() + R"("})");
  const auto result = build();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot mount build secrets"));
  EXPECT_THAT(result.err, HasSubstr("podman"));
}

// The pipeline file of SetUp with more fields (JSON members, comma-separated).
void write_pipeline(const test::TempDir& dir, const std::string& more) {
  dir.write("p.json", R"({"name": "app", "context": ")" + (dir.path() / "ctx").string() +
                          R"(", "dockerfile": "Dockerfile", "image": "app", "version": "1.0",
                          "work_dir": ")" +
                          (dir.path() / "work").string() + R"(", )" + more + "}");
}

const std::string kHatchVcs =
    "[build-system]\nrequires = [\"hatchling\", \"hatch-vcs\"]\nbuild-backend = "
    "\"hatchling.build\"\n[project]\nname = \"py-demo\"\ndynamic = [\"version\"]\n"
    "[tool.hatch.version]\nsource = \"vcs\"\n";

TEST_F(ImageStageTest, VersionFromGitReachesItsBackendThroughTheBuildArgsTheDockerfileDeclares) {
  dir_.write("ctx/Dockerfile",
             "FROM scratch\nARG SETUPTOOLS_SCM_PRETEND_VERSION PDM_BUILD_SCM_VERSION\n"
             "ARG SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PY_DEMO=0\nARG OTHER\nCOPY . .\n");
  dir_.write("ctx/pyproject.toml", kHatchVcs);
  write_pipeline(dir_, R"("stamp": ["pyproject.toml"], "build_args": ["OTHER=x"])");
  const auto result = build();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("docker-pipeline:   pyproject.toml: hatch-vcs gets version "
                                    "1.0 from the build arg SETUPTOOLS_SCM_PRETEND_VERSION\n"));
  const auto log = test::read_file(dir_.path() / "bin/state/log");
  EXPECT_THAT(log, HasSubstr("--build-arg ARG_VERSION=1.0 --build-arg PDM_BUILD_SCM_VERSION=1.0 "
                             "--build-arg SETUPTOOLS_SCM_PRETEND_VERSION=1.0 --build-arg "
                             "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PY_DEMO=1.0 --build-arg "
                             "OTHER=x"));
}

TEST_F(ImageStageTest, VersionFromGitWithoutItsBuildArgIsRefused) {
  dir_.write("ctx/Dockerfile", "FROM scratch\nCOPY . .\n");
  dir_.write("ctx/pyproject.toml", kHatchVcs);
  write_pipeline(dir_, R"("stamp": ["pyproject.toml"])");
  const auto result = build();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("pyproject.toml: the version is dynamic ([tool.hatch.version] source = "
                        "\"vcs\"): hatch-vcs derives it from git when it builds, and no file holds "
                        "it; declare ARG SETUPTOOLS_SCM_PRETEND_VERSION in the Dockerfile"));
  EXPECT_FALSE(fs::exists(dir_.path() / "bin/state/log"));

  // A Dockerfile that does not declare them gets none: the classic builder would warn.
  write_pipeline(dir_, R"("stamp": [])");
  ASSERT_EQ(build().exit_code, 0);
  EXPECT_THAT(test::read_file(dir_.path() / "bin/state/log"), Not(HasSubstr("SCM")));
}

TEST_F(ImageStageTest, StampedFilesAreListedWithTheBackendThatReadsThem) {
  dir_.write("ctx/Dockerfile", "FROM scratch\nCOPY . .\n");
  dir_.write("ctx/pyproject.toml",
             "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"x\"\n"
             "dynamic = [\"version\"]\n[tool.hatch.version]\npath = \"x.py\"\n");
  dir_.write("ctx/x.py", "__version__ = '0.1'\n");
  dir_.write("ctx/PKG-INFO", "Metadata-Version: 2.4\nName: x\nVersion: 0.1\n");
  write_pipeline(dir_, R"("stamp": ["pyproject.toml"])");
  const auto result = build();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("docker-pipeline:   x.py: stamped 0.1 -> 1.0 (read by hatchling, the "
                        "version of pyproject.toml)\n"
                        "docker-pipeline:   PKG-INFO: stamped 0.1 -> 1.0 (read by hatchling, which "
                        "takes a dynamic version from it in an unpacked sdist, the version of "
                        "pyproject.toml)\n"));
  EXPECT_EQ(test::read_file(dir_.path() / "ctx/PKG-INFO"),
            "Metadata-Version: 2.4\nName: x\nVersion: 0.1\n");  // never on disk
}

TEST_F(ImageStageTest, BuildArgsMayNotSetTheVersionVariables) {
  dir_.write("ctx/Dockerfile", "FROM scratch\n");
  write_pipeline(dir_, R"("build_args": ["PDM_BUILD_SCM_VERSION=9"])");
  const auto result = build();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("field 'build_args[0]': sets PDM_BUILD_SCM_VERSION, which the "
                                    "pipeline passes with its VERSION when the Dockerfile "
                                    "declares ARG PDM_BUILD_SCM_VERSION; drop it"));
}

TEST_F(ImageStageTest, AMatrixBuildsOneImagePerVariantWithItsArgTagsAndLabel) {
  dir_.write("ctx/Dockerfile",
             "ARG BASE=base:1\nFROM ${BASE}\nARG ARG_VARIANT SOURCE_DATE_EPOCH\nCOPY . .\n");
  dir_.write("bin/state/images/base_a", "sha256:" + std::string(64, 'a') + "\n");
  dir_.write("bin/state/images/base_b", "sha256:" + std::string(64, 'b') + "\n");
  write_pipeline(dir_, R"("latest": true, "matrix": {"build_arg": "BASE", "variants": [
                 {"name": "a", "value": "base:a"}, {"name": "b", "value": "base:b"}]})");
  const test::ScopedEnv jobs("DOCKER_PIPELINE_JOBS", "1");
  const test::ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
  const auto first = build();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("app 1.0: 2 variants of BASE (1 at once)"));
  EXPECT_THAT(first.out, HasSubstr("built app:1.0-a, app:1.0, app:latest ("));
  EXPECT_THAT(first.out, HasSubstr("built app:1.0-b ("));
  const auto log = test::read_file(dir_.path() / "bin/state/log");
  EXPECT_THAT(log, HasSubstr("--build-arg ARG_VERSION=1.0 --build-arg SOURCE_DATE_EPOCH=1700000000 "
                             "--build-arg ARG_VARIANT=b --build-arg BASE=base:b"));
  // The classic builder gets the labels in the Dockerfile it is sent.
  EXPECT_THAT(test::read_file(dir_.path() / "bin/state/context.tar"),
              HasSubstr(R"("io.docker-pipeline.variant"="b")"));
  EXPECT_EQ(test::read_file(dir_.path() / "work/image.version"), "1.0\n");
  EXPECT_TRUE(fs::exists(dir_.path() / "work/variants/b/image.iid"));

  const auto second = build();
  EXPECT_THAT(second.out, HasSubstr("app:1.0-a is up to date"));
  EXPECT_THAT(second.out, HasSubstr("app:1.0-b is up to date"));

  dir_.write("ctx/Dockerfile", "FROM base:1\n");
  const auto undeclared = build();
  EXPECT_EQ(undeclared.exit_code, 1);
  EXPECT_THAT(undeclared.err, HasSubstr("field 'matrix.build_arg': the Dockerfile "));
  EXPECT_THAT(undeclared.err, HasSubstr("declares no ARG BASE, so every variant would build the "
                                        "same image"));
}

}  // namespace
}  // namespace dp::stages
