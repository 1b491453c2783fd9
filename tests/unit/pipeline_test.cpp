#include "pipeline/pipeline.hpp"

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "pipeline/matrix.hpp"
#include "pipeline/resolved_version.hpp"
#include "pipeline/version_source.hpp"
#include "process/process.hpp"
#include "support/temp_dir.hpp"

namespace dp::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using StringPair = std::pair<std::string, std::string>;

using dp::test::TempDir;

// A pipeline file as add_docker_pipeline() writes it (see cmake/DockerPipeline.cmake).
json full_pipeline() {
  return json::parse(R"({
    "format": "1.5",
    "name": "pydemo",
    "context": "/src/example-project/python",
    "dockerfile": "docker/Dockerfile",
    "image": "registry.local:5000/team/pydemo",
    "version": "0.0.2",
    "build_args": ["ARG_REPO=pydemo", "EMPTY=", "EQUALS=a=b=c"],
    "stamp": ["setup.py", "pydemo/__init__.py"],
    "test_command": ["python3", "-m", "pytest", "-q", "tests"],
    "dist_dir": "/pydemo/dist",
    "repository": "testpypi",
    "work_dir": "/build/example/docker-pipeline/pydemo",
    "binary_dir": "/build"
  })");
}

class PipelineLoadTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& content) {
    const auto file = dir_.path() / "pydemo.pipeline.json";
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
  fs::path write(const json& document) { return write(document.dump(2) + "\n"); }

  // The message of the PipelineError that loading `document` raises.
  std::string error_of(const json& document) { return error_of_file(write(document)); }
  static std::string error_of_file(const fs::path& file) {
    try {
      load(file);
    } catch (const PipelineError& e) {
      return e.what();
    }
    return "(no error)";
  }

  fs::path file() const { return dir_.path() / "pydemo.pipeline.json"; }
  const fs::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
};

// --- valid files ------------------------------------------------------------------------------

TEST_F(PipelineLoadTest, LoadsEveryFieldOfAFullFile) {
  const auto path = write(full_pipeline());
  const auto p = load(path);
  EXPECT_EQ(p.file, path);
  EXPECT_EQ(p.name, "pydemo");
  EXPECT_EQ(p.context, fs::path("/src/example-project/python"));
  EXPECT_EQ(p.dockerfile, fs::path("docker/Dockerfile"));
  EXPECT_EQ(p.image, "registry.local:5000/team/pydemo");
  EXPECT_EQ(p.version.value, "0.0.2");
  EXPECT_THAT(p.build_args, ElementsAre(StringPair{"ARG_REPO", "pydemo"}, StringPair{"EMPTY", ""},
                                        StringPair{"EQUALS", "a=b=c"}));
  EXPECT_THAT(p.stamp, ElementsAre(fs::path("setup.py"), fs::path("pydemo/__init__.py")));
  EXPECT_THAT(p.test_command, ElementsAre("python3", "-m", "pytest", "-q", "tests"));
  EXPECT_EQ(p.dist_dir, "/pydemo/dist");
  EXPECT_EQ(p.repository, "testpypi");
  EXPECT_EQ(p.work_dir, fs::path("/build/example/docker-pipeline/pydemo"));
  EXPECT_EQ(p.binary_dir, fs::path("/build"));
}

TEST_F(PipelineLoadTest, DerivedPathsLieInTheWorkDir) {
  const auto p = load(write(full_pipeline()));
  EXPECT_EQ(p.iid_file(), fs::path("/build/example/docker-pipeline/pydemo/image.iid"));
  EXPECT_EQ(p.dist_out_dir(), fs::path("/build/example/docker-pipeline/pydemo/dist"));
}

TEST_F(PipelineLoadTest, OptionalFieldsMayBeEmptyAsCMakeWritesThem) {
  auto doc = full_pipeline();
  doc["build_args"] = json::array();
  doc["stamp"] = json::array();
  doc["test_command"] = json::array();
  doc["dist_dir"] = "";
  doc["repository"] = "";
  const auto p = load(write(doc));
  EXPECT_THAT(p.build_args, IsEmpty());
  EXPECT_THAT(p.stamp, IsEmpty());
  EXPECT_THAT(p.test_command, IsEmpty());
  EXPECT_EQ(p.dist_dir, "");
  EXPECT_EQ(p.repository, "");
}

TEST_F(PipelineLoadTest, OptionalFieldsMayBeAbsentOrNull) {
  auto doc = full_pipeline();
  for (const auto* field : {"build_args", "stamp", "test_command", "dist_dir", "binary_dir"}) {
    doc.erase(field);
  }
  doc["repository"] = nullptr;
  const auto p = load(write(doc));
  EXPECT_THAT(p.build_args, IsEmpty());
  EXPECT_THAT(p.stamp, IsEmpty());
  EXPECT_THAT(p.test_command, IsEmpty());
  EXPECT_EQ(p.dist_dir, "");
  EXPECT_EQ(p.repository, "");
  EXPECT_TRUE(p.binary_dir.empty());
}

TEST_F(PipelineLoadTest, VerifySdistIsOnUnlessTheFileSaysOff) {
  auto doc = full_pipeline();
  EXPECT_TRUE(load(write(doc)).verify_sdist);
  doc["verify_sdist"] = false;
  EXPECT_FALSE(load(write(doc)).verify_sdist);
  doc["verify_sdist"] = "OFF";
  EXPECT_THAT(error_of(doc), HasSubstr("field 'verify_sdist': expected true or false"));
}

TEST_F(PipelineLoadTest, PushNamesARegistryAndRepository) {
  auto doc = full_pipeline();
  EXPECT_EQ(load(write(doc)).push, "");
  doc["push"] = {{"repository", "127.0.0.1:5000/team/app"}, {"latest", true}};
  const auto p = load(write(doc));
  EXPECT_EQ(p.push, "127.0.0.1:5000/team/app");
  EXPECT_TRUE(p.push_latest);
  doc["push"] = {{"repository", "team/app"}};
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr("field 'push.repository'"), HasSubstr("not a registry host")));
  doc["push"] = {{"repository", "127.0.0.1:5000/app"}, {"lastest", true}};
  EXPECT_THAT(error_of(doc), HasSubstr("field 'push.lastest': not a member of push"));
}

TEST_F(PipelineLoadTest, UnknownFieldIsAnErrorNamingIt) {
  auto doc = full_pipeline();
  doc["test_timout"] = 60;  // a typo
  EXPECT_EQ(error_of(doc), file().string() +
                               ": field 'test_timout': not a member of pipeline format 1.5; remove "
                               "it or re-run cmake");
}

TEST_F(PipelineLoadTest, UnknownMemberOfTheVersionSourceIsAnError) {
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "file"}, {"path", "/src/VERSION"}, {"directory", "/src"}};
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr("field 'version_from.directory'"),
                                   HasSubstr("not a member of a file version source")));
}

TEST_F(PipelineLoadTest, EscapedQuotesAndBackslashesAreDecoded) {
  // What _docker_pipeline_json_string() writes for a value holding '"' and '\'.
  auto doc = full_pipeline();
  doc["build_args"] = {R"(MSG=say "hi" in C:\temp)"};
  doc["test_command"] = {"sh", "-c", R"(echo "a\b")"};
  const auto p = load(write(doc));
  EXPECT_THAT(p.build_args, ElementsAre(StringPair{"MSG", R"(say "hi" in C:\temp)"}));
  EXPECT_THAT(p.test_command, ElementsAre("sh", "-c", R"(echo "a\b")"));
}

TEST_F(PipelineLoadTest, ReadsAFileWrittenByTheCMakeModuleHelpers) {
  // The module's own JSON helpers, driven the way add_docker_pipeline() drives them.
  const auto cmake = process::find_executable("cmake");
  ASSERT_FALSE(cmake.empty()) << "cmake not in PATH";
  const auto module = fs::path(DP_TEST_DATA_DIR).parent_path().parent_path().parent_path() /
                      "cmake" / "DockerPipeline.cmake";
  ASSERT_TRUE(fs::exists(module)) << module;
  const auto script = dir() / "write.cmake";
  const auto out = dir() / "generated.pipeline.json";
  std::ofstream(script) << "include(\"" << module.generic_string() << "\")\n"
                        << R"cmake(
set(json "{}")
_docker_pipeline_format(format)
_docker_pipeline_json_string(json "${json}" format "${format}")
_docker_pipeline_json_string(json "${json}" name "pydemo")
_docker_pipeline_json_string(json "${json}" context "/src/with space/python")
_docker_pipeline_json_string(json "${json}" dockerfile "Dockerfile")
_docker_pipeline_json_string(json "${json}" image "pydemo")
_docker_pipeline_json_string(json "${json}" version "1.0-Beta.2")
set(build_args "ARG_REPO=pydemo" "QUOTE=a\"b\\c")
set(stamp "")
set(test_command python3 -m pytest sh -c "true\; echo done")
_docker_pipeline_json_string_array(json "${json}" build_args build_args)
_docker_pipeline_json_string_array(json "${json}" stamp stamp)
_docker_pipeline_json_string_array(json "${json}" test_command test_command)
_docker_pipeline_json_string(json "${json}" dist_dir "")
_docker_pipeline_json_string(json "${json}" repository "")
_docker_pipeline_json_string(json "${json}" work_dir "/build/docker-pipeline/pydemo")
_docker_pipeline_json_string(json "${json}" binary_dir "/build")
file(WRITE "${OUT}" "${json}\n")
)cmake";
  process::Options options;
  options.capture_stdout = true;
  options.capture_stderr = true;
  const auto result =
      process::run({cmake.string(), "-DOUT=" + out.string(), "-P", script.string()}, options);
  ASSERT_TRUE(result.ok()) << result.err;

  const auto p = load(out);
  EXPECT_EQ(p.format, kPipelineFormat) << "the module's _docker_pipeline_format()";
  EXPECT_EQ(p.name, "pydemo");
  EXPECT_EQ(p.context, fs::path("/src/with space/python"));
  EXPECT_EQ(p.version.value, "1.0-Beta.2");
  EXPECT_THAT(p.build_args,
              ElementsAre(StringPair{"ARG_REPO", "pydemo"}, StringPair{"QUOTE", R"(a"b\c)"}));
  EXPECT_THAT(p.stamp, IsEmpty());
  EXPECT_THAT(p.test_command,
              ElementsAre("python3", "-m", "pytest", "sh", "-c", "true; echo done"));
  EXPECT_EQ(p.dist_dir, "");
  EXPECT_EQ(p.binary_dir, fs::path("/build"));
  EXPECT_EQ(resolve_version(p).canonical, "1.0b2");
}

// --- file-level errors ------------------------------------------------------------------------

TEST_F(PipelineLoadTest, MissingFileIsAnErrorNamingIt) {
  const auto missing = dir() / "absent.pipeline.json";
  EXPECT_THAT(error_of_file(missing), HasSubstr(missing.string()));
}

TEST_F(PipelineLoadTest, InvalidJsonIsAnErrorNamingTheFile) {
  const auto path = write(std::string(R"({"name": "pydemo",)"));
  EXPECT_THAT(error_of_file(path), AllOf(HasSubstr(path.string()), HasSubstr("JSON")));
}

TEST_F(PipelineLoadTest, EmptyFileIsAnErrorNamingTheFile) {
  const auto path = write(std::string());
  EXPECT_THAT(error_of_file(path), HasSubstr(path.string()));
}

TEST_F(PipelineLoadTest, TopLevelMustBeAnObject) {
  EXPECT_THAT(error_of(json::array({1, 2})),
              AllOf(HasSubstr(file().string()), HasSubstr("object")));
}

// --- missing required fields ------------------------------------------------------------------

class PipelineRequiredFieldTest : public PipelineLoadTest,
                                  public ::testing::WithParamInterface<const char*> {};

TEST_P(PipelineRequiredFieldTest, MissingFieldIsAnErrorNamingFileAndField) {
  auto doc = full_pipeline();
  doc.erase(GetParam());
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr(file().string()), HasSubstr(std::string("'") + GetParam() + "'"),
                    HasSubstr("missing (required)")));
}

TEST_P(PipelineRequiredFieldTest, NullFieldCountsAsMissing) {
  auto doc = full_pipeline();
  doc[GetParam()] = nullptr;
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr(std::string("'") + GetParam() + "'"), HasSubstr("missing")));
}

TEST_P(PipelineRequiredFieldTest, NumberInsteadOfStringIsAnError) {
  auto doc = full_pipeline();
  doc[GetParam()] = 42;
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr(file().string()), HasSubstr(std::string("'") + GetParam() + "'"),
                    HasSubstr("expected a string, got 42")));
}

INSTANTIATE_TEST_SUITE_P(Fields, PipelineRequiredFieldTest,
                         ::testing::Values("name", "context", "dockerfile", "image", "version",
                                           "work_dir"));

// --- wrong types ------------------------------------------------------------------------------

TEST_F(PipelineLoadTest, OptionalStringOfWrongTypeIsAnError) {
  auto doc = full_pipeline();
  doc["repository"] = json::array({"pypi"});
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr("'repository'"), HasSubstr(R"(expected a string, got ["pypi"])")));
  doc = full_pipeline();
  doc["dist_dir"] = true;
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr("'dist_dir'"), HasSubstr("expected a string, got true")));
}

TEST_F(PipelineLoadTest, ListGivenAsAStringIsAnError) {
  auto doc = full_pipeline();
  doc["test_command"] = "python3 -m pytest";
  EXPECT_EQ(error_of(doc), file().string() +
                               R"(: field 'test_command': expected an array of strings, got )"
                               R"("python3 -m pytest")");
}

TEST_F(PipelineLoadTest, ListWithANonStringItemIsAnError) {
  auto doc = full_pipeline();
  doc["stamp"] = json::array({"setup.py", 7});
  EXPECT_THAT(error_of(doc), HasSubstr("field 'stamp[1]': expected a string, got 7"));
  doc = full_pipeline();
  doc["build_args"] = json::array({json::object({{"ARG_REPO", "pydemo"}})});
  EXPECT_THAT(error_of(doc),
              HasSubstr(R"(field 'build_args[0]': expected a string, got {"ARG_REPO":"pydemo"})"));
}

TEST_F(PipelineLoadTest, ObjectInsteadOfListIsAnError) {
  auto doc = full_pipeline();
  doc["build_args"] = {{"ARG_REPO", "pydemo"}};
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr("'build_args'"), HasSubstr("array of strings")));
}

TEST_F(PipelineLoadTest, SwitchOfWrongTypeIsAnError) {
  auto doc = full_pipeline();
  doc["pull"] = "ON";  // as CMake spells it, not as the module writes it
  EXPECT_EQ(error_of(doc), file().string() + R"(: field 'pull': expected true or false, got "ON")");
}

// --- build_args -------------------------------------------------------------------------------

TEST_F(PipelineLoadTest, BuildArgWithoutEqualsIsAnErrorQuotingIt) {
  auto doc = full_pipeline();
  doc["build_args"] = {"ARG_REPO=pydemo", "JUSTANAME"};
  EXPECT_EQ(error_of(doc),
            file().string() + R"(: field 'build_args[1]': expected NAME=VALUE, got "JUSTANAME")");
}

TEST_F(PipelineLoadTest, BuildArgWithoutNameIsAnError) {
  auto doc = full_pipeline();
  doc["build_args"] = {"=value"};
  // The name is quoted, never the value, which may be a secret.
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr(R"('build_args[0]': expected NAME=VALUE, got "=...")"),
                                   Not(HasSubstr("value\""))));
  doc["build_args"] = {"1ST=value"};  // not a name the module accepts either
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr(R"('build_args[0]': expected NAME=VALUE, got "1ST=...")"),
                    Not(HasSubstr("value\""))));
}

TEST_F(PipelineLoadTest, BuildArgSettingArgVersionIsRefused) {
  auto doc = full_pipeline();
  doc["build_args"] = {"ARG_REPO=pydemo", "ARG_VERSION=9.9"};
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr(file().string()), HasSubstr("'build_args[1]'"),
                                   HasSubstr("ARG_VERSION")));
}

TEST_F(PipelineLoadTest, BuildArgsWhoseNamesOnlyStartLikeArgVersionAreAccepted) {
  auto doc = full_pipeline();
  doc["build_args"] = {"ARG_VERSION_SUFFIX=x", "MY_ARG_VERSION=y"};
  const auto p = load(write(doc));
  EXPECT_THAT(p.build_args, ElementsAre(StringPair{"ARG_VERSION_SUFFIX", "x"},
                                        StringPair{"MY_ARG_VERSION", "y"}));
}

// --- path and value checks --------------------------------------------------------------------

TEST_F(PipelineLoadTest, RelativeContextIsRefused) {
  auto doc = full_pipeline();
  doc["context"] = "python";
  EXPECT_THAT(error_of(doc),
              AllOf(HasSubstr(file().string()), HasSubstr("'context'"), HasSubstr("absolute")));
}

TEST_F(PipelineLoadTest, EmptyContextIsRefused) {
  auto doc = full_pipeline();
  doc["context"] = "";
  EXPECT_THAT(error_of(doc), HasSubstr("'context'"));
}

TEST_F(PipelineLoadTest, RelativeWorkDirIsRefused) {
  auto doc = full_pipeline();
  doc["work_dir"] = "docker-pipeline/pydemo";
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr("'work_dir'"), HasSubstr("absolute")));
}

TEST_F(PipelineLoadTest, RelativeDistDirIsRefusedQuotingIt) {
  auto doc = full_pipeline();
  doc["dist_dir"] = "pydemo/dist";
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr("'dist_dir'"), HasSubstr(R"("pydemo/dist")")));
}

TEST_F(PipelineLoadTest, EmptyVersionIsRefused) {
  auto doc = full_pipeline();
  doc["version"] = "";
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr(file().string()), HasSubstr("'version'")));
}

TEST_F(PipelineLoadTest, NamesAndImagesAreCheckedAsTheModuleChecksThem) {
  const auto error_with = [&](const char* field, const json& value) {
    auto doc = full_pipeline();
    doc[field] = value;
    return error_of(doc);
  };
  EXPECT_EQ(error_with("name", ""),
            file().string() +
                R"(: field 'name': expected a letter or digit, then letters, digits, '_', '.' )"
                R"(and '-' (at most 255 characters), got "")");
  // Longer names are refused before a regex sees them (std::regex recursed past the stack).
  EXPECT_THAT(error_with("name", std::string(30000, 'a')), HasSubstr("(at most 255 characters)"));
  EXPECT_THAT(error_with("image", std::string(30000, 'a')), HasSubstr("at most 255 characters"));
  EXPECT_THAT(error_with("name", "-demo"), HasSubstr("'name'"));
  EXPECT_THAT(error_with("name", "de mo"), HasSubstr("'name'"));
  EXPECT_EQ(load(write([] {
              auto doc = full_pipeline();
              doc["name"] = "Demo_2.x-y";
              return doc;
            }()))
                .name,
            "Demo_2.x-y");
  EXPECT_THAT(error_with("image", "Not:Valid"),
              HasSubstr(R"('image': expected an image repository (lower case, no tag, at most )"
                        R"(255 characters), got )"
                        R"("Not:Valid")"));
  EXPECT_THAT(error_with("image", ""), HasSubstr("'image'"));
  EXPECT_THAT(error_with("image", "pydemo:1.0"), HasSubstr("'image'"));
}

TEST_F(PipelineLoadTest, DockerfileAndStampFilesLieInsideTheContext) {
  const auto error_with = [&](const char* field, const json& value) {
    auto doc = full_pipeline();
    doc[field] = value;
    return error_of(doc);
  };
  EXPECT_THAT(error_with("dockerfile", "/src/Dockerfile"),
              HasSubstr(R"('dockerfile': expected a file relative to the context, inside it, )"
                        R"(got "/src/Dockerfile")"));
  EXPECT_THAT(error_with("dockerfile", "../Dockerfile"), HasSubstr("'dockerfile'"));
  EXPECT_THAT(error_with("dockerfile", ""), HasSubstr("'dockerfile'"));
  EXPECT_THAT(error_with("stamp", {"setup.py", "a/../../x.py"}),
              HasSubstr(R"('stamp[1]': expected a file relative to the context, inside it, got )"
                        R"("a/../../x.py")"));
  EXPECT_THAT(error_with("stamp", {"/src/setup.py"}), HasSubstr("'stamp[0]'"));
}

TEST_F(PipelineLoadTest, NotJsonIsOneLineNamingTheFileAndWhere) {
  const auto path = write(std::string("{\n  \"name\": \"pydemo\",\n  oops\n}\n"));
  const auto message = error_of_file(path);
  EXPECT_THAT(message, AllOf(testing::StartsWith(path.string() + ": not JSON: line 3, column 3"),
                             testing::EndsWith("; re-run cmake to write it again")));
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST_F(PipelineLoadTest, EveryErrorIsOneLine) {
  auto doc = full_pipeline();
  doc["build_args"] = {"A\nB"};
  const auto message = error_of(doc);
  EXPECT_THAT(message, HasSubstr(R"(got "A\nB")"));
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST_F(PipelineLoadTest, LongValuesAreCutShortInMessages) {
  auto doc = full_pipeline();
  doc["engine"] = std::string(500, 'x');
  const auto message = error_of(doc);
  EXPECT_THAT(message, HasSubstr("xxx...")) << message;
  EXPECT_LT(message.size(), file().string().size() + 150);
}

// --- format -----------------------------------------------------------------------------------

class PipelineFormatTest : public PipelineLoadTest {
 protected:
  // Loads `doc`, collecting the warnings.
  Pipeline load_collecting(const json& doc) {
    return load(write(doc), [this](std::string_view warning) { warnings_.emplace_back(warning); });
  }
  std::vector<std::string> warnings_;
};

TEST_F(PipelineFormatTest, TheCurrentFormatLoadsWithoutWarnings) {
  const auto p = load_collecting(full_pipeline());
  EXPECT_EQ(p.format, (version::FormatVersion{1, 5}));
  EXPECT_EQ(p.format, kPipelineFormat);
  EXPECT_THAT(warnings_, IsEmpty());
}

TEST_F(PipelineFormatTest, AFileWithoutFormatIsReadAsOnePointZero) {
  // As modules before the member wrote it, with "schema": 1.
  auto doc = full_pipeline();
  doc.erase("format");
  doc["schema"] = 1;
  const auto p = load_collecting(doc);
  EXPECT_EQ(p.format, (version::FormatVersion{1, 0}));
  EXPECT_EQ(p.name, "pydemo");
  EXPECT_THAT(warnings_, IsEmpty());
  doc.erase("schema");
  EXPECT_EQ(load_collecting(doc).format, (version::FormatVersion{1, 0}));
}

TEST_F(PipelineFormatTest, SchemaIsNoMemberOfAFileWithAFormat) {
  auto doc = full_pipeline();
  doc["schema"] = 1;
  EXPECT_THAT(error_of(doc), HasSubstr("field 'schema': not a member of pipeline format 1.5"));
}

TEST_F(PipelineFormatTest, ANewerMajorFormatIsRefusedOnOneLineSayingWhatToDo) {
  auto doc = full_pipeline();
  doc["format"] = "2.0";
  EXPECT_EQ(error_of(doc), file().string() +
                               ": field 'format': 2.0 is newer than this docker-pipeline "
                               "understands (1.x): re-run cmake so the module and the helper "
                               "match, or upgrade docker-pipeline");
}

TEST_F(PipelineFormatTest, ANewerMajorFormatIsRefusedBeforeItsMembersAreJudged) {
  // Format 2 may have changed any member: its members' errors would mislead.
  auto doc = full_pipeline();
  doc["format"] = "2.3";
  doc["name"] = 42;
  doc["pipeline_v2"] = true;
  EXPECT_THAT(error_of(doc), HasSubstr("field 'format': 2.3 is newer"));
}

TEST_F(PipelineFormatTest, ANewerMinorFormatIsReadWithAWarningIgnoringWhatItAdds) {
  auto doc = full_pipeline();
  doc["format"] = "1.9";
  doc["added_in_1_9"] = {{"x", 1}};
  doc["version_from"] = {{"source", "file"}, {"path", "/src/VERSION"}, {"added", 1}};
  doc.erase("version");
  const auto p = load_collecting(doc);
  EXPECT_EQ(p.name, "pydemo");
  EXPECT_EQ(p.format, (version::FormatVersion{1, 9}));
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0], file().string() +
                              ": field 'format': 1.9 is newer than this docker-pipeline "
                              "understands (1.5); what it does not know is ignored: re-run cmake "
                              "so the module and the helper match, or upgrade docker-pipeline");
}

TEST_F(PipelineFormatTest, ANewerMinorFormatStillHasItsKnownMembersChecked) {
  auto doc = full_pipeline();
  doc["format"] = "1.5";
  doc["test_timeout"] = "abc";
  EXPECT_THAT(error_of(doc), HasSubstr("'test_timeout': expected a number"));
}

TEST_F(PipelineFormatTest, AMalformedFormatIsRefused) {
  for (const auto& format : {json("1"), json(1), json(1.0), json("1.0.0"), json("v1.0"), json(""),
                             json::array({1, 0})}) {
    auto doc = full_pipeline();
    doc["format"] = format;
    EXPECT_EQ(error_of(doc), file().string() +
                                 R"(: field 'format': expected "<major>.<minor>" such as "1.0", )"
                                 "got " +
                                 format.dump());
  }
}

TEST_F(PipelineFormatTest, AFormatOlderThanTheFirstIsRefused) {
  auto doc = full_pipeline();
  doc["format"] = "0.9";
  EXPECT_THAT(error_of(doc), HasSubstr("field 'format': 0.9 is no format of the pipeline file"));
}

// --- resolve_version --------------------------------------------------------------------------

Pipeline with_version(const std::string& version) {
  Pipeline p;
  p.file = "/build/pydemo.pipeline.json";
  p.version = VersionSource::fixed(version);
  return p;
}

TEST(ResolveVersionTest, PlainVersionIsKept) {
  const auto v = resolve_version(with_version("0.0.2"));
  EXPECT_EQ(v.canonical, "0.0.2");
  EXPECT_EQ(v.docker_tag, "0.0.2");
}

TEST(ResolveVersionTest, NormalizesToTheCanonicalForm) {
  const auto v = resolve_version(with_version("1.0-Beta.2"));
  EXPECT_EQ(v.canonical, "1.0b2");
  EXPECT_EQ(v.docker_tag, "1.0b2");
}

TEST(ResolveVersionTest, NormalizesOtherSpellings) {
  EXPECT_EQ(resolve_version(with_version("v2.1-RC-1")).canonical, "2.1rc1");
  EXPECT_EQ(resolve_version(with_version(" 1.0.post-2 ")).canonical, "1.0.post2");
  EXPECT_EQ(resolve_version(with_version("1.0-dev3")).canonical, "1.0.dev3");
}

TEST(ResolveVersionTest, LocalVersionBecomesADashInTheDockerTagOnly) {
  const auto v = resolve_version(with_version("2.0+ci.7"));
  EXPECT_EQ(v.canonical, "2.0+ci.7");
  EXPECT_EQ(v.docker_tag, "2.0-ci.7");
}

TEST(ResolveVersionTest, EpochIsSpelledWithUnderscoreInTheDockerTag) {
  const auto v = resolve_version(with_version("1!3.0"));
  EXPECT_EQ(v.canonical, "1!3.0");
  EXPECT_EQ(v.docker_tag, "1_3.0");
}

TEST(ResolveVersionTest, InvalidVersionIsAnErrorNamingThePipelineFileAndVersion) {
  try {
    resolve_version(with_version("1.0-beta!"));
    FAIL() << "expected PipelineError";
  } catch (const PipelineError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("/build/pydemo.pipeline.json"), HasSubstr("VERSION"),
                                HasSubstr("1.0-beta!")));
  }
}

TEST(ResolveVersionTest, NonPep440VersionIsRefused) {
  EXPECT_THROW(resolve_version(with_version("latest")), PipelineError);
  EXPECT_THROW(resolve_version(with_version("1.0.0-SNAPSHOT")), PipelineError);
}

TEST(ResolveVersionTest, TagTooLongForDockerIsAPipelineError) {
  EXPECT_THROW(resolve_version(with_version("1.0+" + std::string(130, 'a'))), PipelineError);
}

TEST_F(PipelineLoadTest, LoadedVersionResolvesWithTheFileInErrors) {
  auto doc = full_pipeline();
  doc["version"] = "not a version";
  const auto path = write(doc);
  const auto p = load(path);  // load() keeps the version as written ...
  try {
    resolve_version(p);  // ... and resolving it names the file
    FAIL() << "expected PipelineError";
  } catch (const PipelineError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(path.string()), HasSubstr("VERSION")));
  }
}

// --- container stage fields -------------------------------------------------------------------

TEST_F(PipelineLoadTest, ReadsTheContainerStageFields) {
  auto doc = full_pipeline();
  doc["test_env"] = {"PYTHONUNBUFFERED=1", "EMPTY=", "EQ=a=b"};
  doc["test_timeout"] = 90.5;
  doc["artifacts"] = {"/pydemo/reports", "/tmp/log.txt"};
  doc["secrets"] = {"id=pypirc,src=/home/u/.pypirc", "env=TOKEN,id=token"};
  doc["engine"] = "podman";
  doc["pull"] = true;
  doc["latest"] = true;
  doc["force"] = true;
  doc["output_dir"] = "/build/example/pydemo";
  const auto p = load(write(doc));
  EXPECT_THAT(p.test_env, ElementsAre(StringPair{"PYTHONUNBUFFERED", "1"}, StringPair{"EMPTY", ""},
                                      StringPair{"EQ", "a=b"}));
  EXPECT_EQ(p.test_timeout_seconds, 90.5);
  EXPECT_THAT(p.artifacts, ElementsAre("/pydemo/reports", "/tmp/log.txt"));
  ASSERT_EQ(p.secrets.size(), 2u);
  EXPECT_EQ(p.secrets[0].id, "pypirc");
  EXPECT_EQ(p.secrets[0].file, fs::path("/home/u/.pypirc"));
  EXPECT_EQ(p.secrets[1].id, "token");
  EXPECT_EQ(p.secrets[1].variable, "TOKEN");
  EXPECT_EQ(p.engine, "podman");
  EXPECT_TRUE(p.pull && p.latest && p.force);
  EXPECT_EQ(p.dist_out_dir(), fs::path("/build/example/pydemo/dist"));
  EXPECT_EQ(p.artifacts_out_dir(), fs::path("/build/example/pydemo/artifacts"));
}

TEST_F(PipelineLoadTest, ContainerStageFieldsDefaultToNothing) {
  const auto p = load(write(full_pipeline()));
  EXPECT_THAT(p.test_env, IsEmpty());
  EXPECT_EQ(p.test_timeout_seconds, 0);
  EXPECT_THAT(p.artifacts, IsEmpty());
  EXPECT_THAT(p.secrets, IsEmpty());
  EXPECT_EQ(p.engine, "");
  EXPECT_FALSE(p.pull || p.latest || p.force);
  EXPECT_EQ(p.output_dir, p.work_dir);
}

TEST_F(PipelineLoadTest, ReadsThePublishingFields) {
  EXPECT_EQ(load(write(full_pipeline())).trusted_publishing, "auto");
  EXPECT_FALSE(load(write(full_pipeline())).attestations);
  auto doc = full_pipeline();
  doc["trusted_publishing"] = "always";
  doc["attestations"] = true;
  const auto p = load(write(doc));
  EXPECT_EQ(p.trusted_publishing, "always");
  EXPECT_TRUE(p.attestations);
  doc["trusted_publishing"] = "sometimes";
  EXPECT_THAT(error_of(doc), HasSubstr(R"('trusted_publishing': expected "auto", "always" or )"
                                       R"("never", got "sometimes")"));
}

TEST_F(PipelineLoadTest, BadContainerStageFieldsAreRefusedNamingThem) {
  const auto error_with = [&](const char* field, const json& value) {
    auto doc = full_pipeline();
    doc[field] = value;
    return error_of(doc);
  };
  EXPECT_THAT(error_with("test_env", {"NOEQUALS"}),
              HasSubstr(R"('test_env[0]': expected NAME=VALUE, got "NOEQUALS")"));
  EXPECT_THAT(error_with("test_timeout", -1),
              HasSubstr("'test_timeout': expected a number of seconds, 0 or more, got -1"));
  EXPECT_THAT(error_with("test_timeout", "abc"),
              HasSubstr(R"('test_timeout': expected a number of seconds, 0 or more, got "abc")"));
  EXPECT_THAT(
      error_with("artifacts", {"/ok", "reports"}),
      HasSubstr(R"('artifacts[1]': expected an absolute path inside the image, got "reports")"));
  EXPECT_THAT(error_with("engine", "rkt"),
              HasSubstr(R"('engine': expected "docker", "podman" or "" (detect one), got "rkt")"));
  EXPECT_THAT(
      error_with("secrets", {"id=x"}),
      HasSubstr(R"('secrets[0]': expected id=NAME,src=FILE or id=NAME,env=VARIABLE, got "id=x")"));
  EXPECT_THAT(error_with("secrets", {"id=x,src=/a,env=B"}),
              HasSubstr("expected id=NAME,src=FILE or id=NAME,env=VARIABLE"));
  EXPECT_THAT(error_with("secrets", {"id=x,src=rel"}), HasSubstr("absolute"));
  EXPECT_THAT(error_with("secrets", {"id=x,mode=0400"}), HasSubstr("unknown key 'mode'"));
  EXPECT_THAT(error_with("output_dir", "rel"),
              HasSubstr(R"('output_dir': expected an absolute path, got "rel")"));
  EXPECT_THAT(error_with("binary_dir", "build"),
              HasSubstr(R"('binary_dir': expected an absolute path, got "build")"));
}

TEST_F(PipelineLoadTest, ABadTestEnvNameIsNamedWithoutItsValue) {
  auto doc = full_pipeline();
  doc["test_env"] = {"1TOKEN=s3cr3t-value"};
  const auto message = error_of(doc);
  EXPECT_THAT(message, HasSubstr(R"('test_env[0]': expected NAME=VALUE, got "1TOKEN=...")"));
  EXPECT_THAT(message, Not(HasSubstr("s3cr3t")));
}

// --- version sources --------------------------------------------------------------------------

TEST_F(PipelineLoadTest, ReadsAGitVersionSource) {
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "git"},
                         {"directory", "/src/example-project/python"},
                         {"local", false},
                         {"tag_regex", "^release-(.*)$"}};
  const auto p = load(write(doc));
  EXPECT_EQ(p.version.kind, VersionSource::Kind::git);
  EXPECT_EQ(p.version.path, fs::path("/src/example-project/python"));
  EXPECT_FALSE(p.version.local);
  EXPECT_EQ(p.version.tag_regex, "^release-(.*)$");
}

TEST_F(PipelineLoadTest, AGitSourceKeepsTheLocalPartUnlessTold) {
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "git"}, {"directory", "/src"}};
  const auto p = load(write(doc));
  EXPECT_TRUE(p.version.local);
  EXPECT_EQ(p.version.tag_regex, "");
}

TEST_F(PipelineLoadTest, ReadsAFileVersionSource) {
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "file"}, {"path", "/src/VERSION"}};
  const auto p = load(write(doc));
  EXPECT_EQ(p.version.kind, VersionSource::Kind::file);
  EXPECT_EQ(p.version.path, fs::path("/src/VERSION"));
}

TEST_F(PipelineLoadTest, VersionSourceErrorsNameTheMember) {
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "svn"}};
  EXPECT_THAT(error_of(doc),
              HasSubstr(R"('version_from.source': expected "git" or "file", got "svn")"));
  doc["version_from"] = {{"source", "file"}, {"path", "VERSION"}};
  EXPECT_THAT(error_of(doc), AllOf(HasSubstr("'version_from.path'"), HasSubstr("absolute")));
  doc["version_from"] = "git";
  EXPECT_THAT(error_of(doc), HasSubstr(R"('version_from': expected an object, got "git")"));
}

TEST_F(PipelineLoadTest, VersionAndVersionFromTogetherAreRefused) {
  auto doc = full_pipeline();
  doc["version_from"] = {{"source", "file"}, {"path", "/src/VERSION"}};
  EXPECT_THAT(error_of(doc), HasSubstr("'version': given together with 'version_from'"));
}

TEST_F(PipelineLoadTest, AFileSourceIsReadWhenResolved) {
  const auto version_file = dir() / "VERSION";
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "file"}, {"path", version_file.string()}};
  const auto p = load(write(doc));
  std::ofstream(version_file) << "1.0-RC.2\n";
  EXPECT_EQ(resolve_version(p).canonical, "1.0rc2");
  std::ofstream(version_file) << "1.1\n";  // a new version without loading the pipeline again
  EXPECT_EQ(resolve_version(p).canonical, "1.1");
}

TEST_F(PipelineLoadTest, AFileSourceErrorNamesThePipelineAndTheFile) {
  const auto version_file = dir() / "VERSION";
  auto doc = full_pipeline();
  doc.erase("version");
  doc["version_from"] = {{"source", "file"}, {"path", version_file.string()}};
  const auto p = load(write(doc));
  const auto message = [&] {
    try {
      resolve_version(p);
    } catch (const PipelineError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_THAT(message(), AllOf(HasSubstr(file().string()), HasSubstr(version_file.string())));
  std::ofstream(version_file) << "\n";
  EXPECT_THAT(message(), HasSubstr("empty"));
  std::ofstream(version_file) << "version = 1.0\n";
  EXPECT_THAT(message(), HasSubstr("only the version"));
  std::ofstream(version_file) << "1.0-beta!\n";
  EXPECT_THAT(message(), AllOf(HasSubstr("VERSION_FROM FILE"), HasSubstr("1.0-beta!")));
}

TEST(VersionSourceTest, ParsesCommandLineSources) {
  const auto git = parse_version_source("git", "/srv/checkout");
  EXPECT_EQ(git.kind, VersionSource::Kind::git);
  EXPECT_EQ(git.path, fs::path("/srv/checkout"));
  EXPECT_EQ(parse_version_source("git:sub/dir", "/srv/checkout").path,
            fs::path("/srv/checkout/sub/dir"));
  const auto file = parse_version_source("file:../VERSION", "/srv/checkout/src");
  EXPECT_EQ(file.kind, VersionSource::Kind::file);
  EXPECT_EQ(file.path, fs::path("/srv/checkout/VERSION"));
  EXPECT_EQ(parse_version_source("file:/abs/VERSION", "/srv/checkout").path,
            fs::path("/abs/VERSION"));
}

TEST(VersionSourceTest, UnknownSourcesAreRefusedListingTheKnownOnes) {
  for (const auto* text : {"svn", "file", "file:", "", "GIT"}) {
    try {
      parse_version_source(text, "/srv/checkout");
      ADD_FAILURE() << text << " was accepted";
    } catch (const VersionSourceError& e) {
      EXPECT_THAT(e.what(), AllOf(HasSubstr(fmt::format("'{}'", text)), HasSubstr("file:PATH")));
    }
  }
}

// --- the version file of the build ------------------------------------------------------------

TEST(VersionFileTest, IsWrittenOnlyWhenTheVersionChanges) {
  TempDir dir;
  const auto file = dir.path() / "work" / "version";
  EXPECT_TRUE(write_version_if_changed(file, "1.0"));
  const auto first = fs::last_write_time(file);
  EXPECT_FALSE(write_version_if_changed(file, "1.0"));
  EXPECT_EQ(fs::last_write_time(file), first);
  EXPECT_TRUE(write_version_if_changed(file, "1.1"));
  std::ifstream in(file);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "1.1\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 1)
      << "a temporary file is left";
}

TEST(VersionFileTest, ANewFileGetsTheUmasksMode) {
  TempDir dir;
  const auto file = dir.path() / "work" / "version";
  const mode_t umask = ::umask(027);
  write_version_if_changed(file, "1.0");
  ::umask(umask);
  EXPECT_EQ(fs::status(file).permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

TEST(VersionFileTest, BuiltVersionIsWhatTheBuildRecorded) {
  TempDir dir;
  Pipeline p;
  p.file = dir.path() / "pydemo.pipeline.json";
  p.name = "pydemo";
  p.work_dir = dir.path() / "work";
  p.version = VersionSource::fixed("9.9");  // the source may have moved on since the build
  try {
    built_version(p);
    FAIL() << "expected PipelineError";
  } catch (const PipelineError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("pydemo-image"), HasSubstr("image.version")));
  }
  write_version_if_changed(p.built_version_file(), "2.0+g1a2b");
  const auto built = built_version(p);
  EXPECT_EQ(built.canonical, "2.0+g1a2b");
  EXPECT_EQ(built.docker_tag, "2.0-g1a2b");
}

// --- MATRIX -----------------------------------------------------------------------------------

json with_matrix() {
  auto doc = full_pipeline();
  doc["output_dir"] = "/build/example/pydemo";
  doc["matrix"] = json::parse(R"({"build_arg": "BASE_IMAGE", "variants": [
      {"name": "bullseye", "value": "docker-pipeline/python3:bullseye"},
      {"name": "trixie", "value": "docker-pipeline/python3:trixie"}]})");
  return doc;
}

TEST_F(PipelineLoadTest, ReadsTheMatrix) {
  const auto p = load(write(with_matrix()));
  EXPECT_EQ(p.matrix_arg, "BASE_IMAGE");
  ASSERT_EQ(p.variants.size(), 2u);
  EXPECT_EQ(p.variants[1].name, "trixie");
  EXPECT_EQ(p.variants[1].value, "docker-pipeline/python3:trixie");
  EXPECT_TRUE(load(write(full_pipeline())).variants.empty());
}

TEST_F(PipelineLoadTest, ABadMatrixIsNamedByItsField) {
  auto doc = with_matrix();
  doc["matrix"]["variants"][1]["name"] = "bullseye";
  EXPECT_THAT(error_of(doc),
              HasSubstr("field 'matrix.variants[1].name': bullseye names two variants"));
  doc = with_matrix();
  doc["matrix"]["variants"][0]["name"] = "Bull Eye";
  EXPECT_THAT(error_of(doc), HasSubstr("field 'matrix.variants[0].name': expected lower-case"));
  doc = with_matrix();
  doc["matrix"]["variants"] = json::array();
  EXPECT_THAT(error_of(doc), HasSubstr("field 'matrix.variants': missing or empty"));
  doc = with_matrix();
  doc["matrix"]["variants"][0]["tags"] = 1;
  EXPECT_THAT(error_of(doc), HasSubstr("field 'matrix.variants[0].tags': not a member"));
  doc = with_matrix();
  doc["matrix"]["build_arg"] = "ARG_VERSION";
  EXPECT_THAT(error_of(doc), HasSubstr("field 'matrix.build_arg': ARG_VERSION is set by the "
                                       "pipeline itself"));
  doc = with_matrix();
  doc["build_args"] = {"BASE_IMAGE=x"};
  EXPECT_THAT(error_of(doc), HasSubstr("field 'matrix.build_arg': BASE_IMAGE is set by "
                                       "BUILD_ARGS too"));
}

TEST_F(PipelineLoadTest, EachVariantHasItsBuildArgRecordsOutputsAndTag) {
  const auto p = load(write(with_matrix()));
  const auto variants = expand_matrix(p);
  ASSERT_EQ(variants.size(), 2u);
  const auto& second = variants[1];
  EXPECT_EQ(second.variant, "trixie");
  EXPECT_TRUE(variants[0].primary);
  EXPECT_FALSE(second.primary);
  EXPECT_EQ(second.build_args.back(), (StringPair{"BASE_IMAGE", "docker-pipeline/python3:trixie"}));
  EXPECT_EQ(second.work_dir, "/build/example/docker-pipeline/pydemo/variants/trixie");
  EXPECT_EQ(second.dist_out_dir(), "/build/example/pydemo/variants/trixie/dist");
  EXPECT_EQ(second.image_tag("1.0-g1"), "registry.local:5000/team/pydemo:1.0-g1-trixie");
  EXPECT_EQ(p.image_tag("1.0"), "registry.local:5000/team/pydemo:1.0");
  EXPECT_EQ(p.dist_out_dir(), "/build/example/pydemo/dist");  // the merged dists

  const auto alone = expand_matrix(load(write(full_pipeline())));
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].variant, "");
  EXPECT_EQ(alone[0].work_dir, "/build/example/docker-pipeline/pydemo");
}

}  // namespace
}  // namespace dp::pipeline
