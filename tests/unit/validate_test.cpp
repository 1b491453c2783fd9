// `docker-pipeline validate`: stages::validate() over a loaded pipeline, and the command's output.
#include "stages/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "process/process.hpp"
#include "support/temp_dir.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ValidateTest : public ::testing::Test {
 protected:
  ValidateTest() {
    dir_.write("context/Dockerfile", "FROM python:3.11\nARG ARG_VERSION\nCOPY . /src\n");
    dir_.write("context/setup.py", "from setuptools import setup\nsetup(version='0.0.1')\n");
    dir_.write("context/pkg/__init__.py", "__version__ = '0.0.1'\n");
    dir_.write("context/VERSION", "1.0-RC.2\n");
    doc_ = {{"format", "1.0"},
            {"name", "demo"},
            {"context", context().string()},
            {"dockerfile", "Dockerfile"},
            {"image", "demo"},
            {"version", "0.0.2"},
            {"stamp", {"setup.py", "pkg/__init__.py"}},
            {"artifacts", {"/src/reports", "/tmp/log.txt"}},
            {"work_dir", (dir_.path() / "build/docker-pipeline/demo").string()}};
  }

  fs::path context() const { return dir_.path() / "context"; }
  fs::path file() const { return dir_.path() / "demo.pipeline.json"; }
  fs::path write() const { return dir_.write("demo.pipeline.json", doc_.dump(2)); }
  pipeline::Pipeline loaded() const { return pipeline::load(write()); }

  // The message of the first problem validate() finds, or "(no error)".
  std::string error() const {
    try {
      validate(loaded());
    } catch (const UserError& e) {
      return e.what();
    }
    return "(no error)";
  }

  test::TempDir dir_;
  json doc_;
};

TEST_F(ValidateTest, AValidPipelinePassesAndIsDescribedOnOneLine) {
  const auto p = loaded();
  const auto validation = validate(p);
  EXPECT_EQ(validation.version, "0.0.2");
  EXPECT_EQ(validation.dockerfile_instructions, 3u);
  EXPECT_EQ(validation.stamp_files, 2u);
  EXPECT_EQ(validation.artifacts, 2u);
  EXPECT_EQ(describe(p, validation),
            file().string() +
                ": OK: pipeline demo, format 1.0, version 0.0.2, Dockerfile (3 instructions), 2 "
                "STAMP files, 2 artifacts");
}

TEST_F(ValidateTest, ChangesNothing) {
  const auto p = loaded();
  const auto before = dir_.entries();
  validate(p);
  EXPECT_EQ(dir_.entries(), before);
  EXPECT_FALSE(fs::exists(dir_.path() / "build"));
}

TEST_F(ValidateTest, AnInvalidVersionIsAnErrorNamingTheFile) {
  doc_["version"] = "1.0-beta!";
  EXPECT_THAT(error(), AllOf(StartsWith(file().string() + ": VERSION: "), HasSubstr("1.0-beta!")));
}

TEST_F(ValidateTest, AVersionFileIsReadAndNormalized) {
  doc_.erase("version");
  doc_["version_from"] = {{"source", "file"}, {"path", (context() / "VERSION").string()}};
  EXPECT_EQ(validate(loaded()).version, "1.0rc2");
  fs::remove(context() / "VERSION");
  EXPECT_THAT(error(), HasSubstr((context() / "VERSION").string()));
}

TEST_F(ValidateTest, AGitVersionIsLeftToTheBuildButItsFolderAndRegexAreChecked) {
  // No repository here: `git describe` is not run (it may refresh the index, and the version it
  // gives is the build's).
  doc_.erase("version");
  doc_["version_from"] = {{"source", "git"}, {"directory", context().string()}};
  EXPECT_EQ(validate(loaded()).version,
            "from git describe in " + context().string() + " (read at build time)");
  doc_["version_from"]["tag_regex"] = "^release-(";
  EXPECT_THAT(error(), StartsWith(file().string() + ": field 'version_from.tag_regex': "));
  doc_["version_from"]["tag_regex"] = "^release-(?P<version>.*)$";
  EXPECT_NO_THROW(validate(loaded()));
  doc_["version_from"]["directory"] = (dir_.path() / "gone").string();
  EXPECT_THAT(error(), StartsWith(file().string() + ": field 'version_from.directory': "));
}

TEST_F(ValidateTest, TheContextMustBeAFolder) {
  doc_["context"] = (dir_.path() / "gone").string();
  EXPECT_EQ(error(), file().string() + ": field 'context': " + (dir_.path() / "gone").string() +
                         " is not a directory");
}

TEST_F(ValidateTest, TheDockerfileMustExist) {
  doc_["dockerfile"] = "docker/Dockerfile";
  EXPECT_EQ(error(), file().string() + ": field 'dockerfile': " +
                         (context() / "docker/Dockerfile").string() + " is not a file");
  fs::create_directories(context() / "docker/Dockerfile");
  EXPECT_THAT(error(), HasSubstr("is not a file"));
}

TEST_F(ValidateTest, TheDockerfileMustParse) {
  dir_.write("context/Dockerfile", "# escape=x\nFROM python:3.11\n");
  // As the image stage says it: the Dockerfile and the line.
  EXPECT_EQ(error(), (context() / "Dockerfile").string() +
                         ": line 1: invalid escape directive 'x' (\\ or `)");
}

TEST_F(ValidateTest, StampFilesMustBeRegularFilesOfTheContext) {
  doc_["stamp"] = {"setup.py", "nope.py"};
  EXPECT_EQ(error(), file().string() +
                         ": field 'stamp[1]': 'nope.py' is not a file in the context " +
                         context().string());
  doc_["stamp"] = {"pkg"};
  EXPECT_THAT(error(), HasSubstr("field 'stamp[0]': 'pkg' is not a file"));
  fs::create_symlink("setup.py", context() / "link.py");
  doc_["stamp"] = {"link.py"};
  EXPECT_EQ(error(), file().string() +
                         ": field 'stamp[0]': 'link.py' is a symbolic link; stamp the file it "
                         "points to");
  fs::create_symlink("gone.py", context() / "dangling.py");
  doc_["stamp"] = {"dangling.py"};
  EXPECT_THAT(error(), HasSubstr("is a symbolic link"));
}

TEST_F(ValidateTest, ArtifactsMustHaveDistinctNames) {
  doc_["artifacts"] = {"/src/reports", "/tmp/reports/"};
  EXPECT_EQ(error(), file().string() +
                         ": field 'artifacts': ARTIFACTS '/src/reports' and '/tmp/reports/' would "
                         "both be copied to artifacts/reports; copy their parent folder instead");
  doc_["artifacts"] = {"/"};
  EXPECT_THAT(error(), HasSubstr("field 'artifacts': ARTIFACTS '/' names no file or folder"));
}

// --- the command ------------------------------------------------------------------------------

process::Result run_validate(const fs::path& file) {
  process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  return process::run({DP_HELPER_PATH, "validate", "--pipeline", file.string()}, options);
}

TEST_F(ValidateTest, TheCommandPrintsOneOkLineAndExitsZero) {
  const auto result = run_validate(write());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "docker-pipeline validate: " + file().string() +
                            ": OK: pipeline demo, format 1.0, version 0.0.2, Dockerfile (3 "
                            "instructions), 2 STAMP files, 2 artifacts\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(ValidateTest, TheCommandPrintsOneErrorLineAndExitsOne) {
  doc_["test_timeout"] = "abc";
  const auto result = run_validate(write());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "docker-pipeline validate: error: " + file().string() +
                R"(: field 'test_timeout': expected a number of seconds, 0 or more, got "abc")"
                "\n");
}

TEST_F(ValidateTest, TheCommandWarnsAboutANewerMinorFormat) {
  doc_["format"] = "1.7";
  const auto result = run_validate(write());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr(": OK: pipeline demo, format 1.7,"));
  EXPECT_THAT(result.err, StartsWith("docker-pipeline: warning: " + file().string() +
                                     ": field 'format': 1.7 is newer"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

TEST_F(ValidateTest, TheCommandRefusesANewerMajorFormat) {
  doc_["format"] = "2.0";
  const auto result = run_validate(write());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("re-run cmake so the module and the helper match"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace dp::stages
