#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "docker/build_secrets.hpp"
#include "docker/image_build.hpp"
#include "docker/image_labels.hpp"
#include "process/process.hpp"
#include "stages/image/image_inputs.hpp"
#include "stages/image/image_step.hpp"
#include "support/fake_engine.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using test::ScopedEnv;

void git(const fs::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", dir.string(), "-c", "user.name=t", "-c",
                             "user.email=t@example.com", "-c", "commit.gpgsign=false"});
  process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  const auto result = process::run(args, options);
  ASSERT_TRUE(result.ok()) << result.err;
}

// --- labels ----------------------------------------------------------------------------------

TEST(ImageLabelsTest, CreatedHonoursSourceDateEpoch) {
  const ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
  EXPECT_EQ(created_timestamp(), "2023-11-14T22:13:20Z");
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
}

TEST(ImageLabelsTest, CreatedWithoutSourceDateEpochIsNow) {
  const ScopedEnv epoch("SOURCE_DATE_EPOCH", nullptr);
  EXPECT_THAT(created_timestamp(), ::testing::MatchesRegex(R"(20[0-9][0-9]-.*T.*Z)"));
}

TEST(ImageLabelsTest, InvalidSourceDateEpochIsAnError) {
  const ScopedEnv epoch("SOURCE_DATE_EPOCH", "yesterday");
  EXPECT_THROW(created_timestamp(), std::runtime_error);
}

TEST(ImageLabelsTest, SourceUrlsLoseCredentials) {
  EXPECT_EQ(label_source_url("https://user:ghp_x@github.com/org/repo.git", "/"),
            "https://github.com/org/repo.git");
  EXPECT_EQ(label_source_url("ssh://git@host:22/repo", "/"), "ssh://host:22/repo");
  EXPECT_EQ(label_source_url("git@github.com:org/repo.git", "/"), "git@github.com:org/repo.git");
  EXPECT_EQ(label_source_url("/srv/git/repo.git", "/"), "file:///srv/git/repo.git");
  EXPECT_EQ(label_source_url("../up/repo", "/srv/checkout"), "file:///srv/up/repo");
  // However long the URL, its token is not in the label.
  const std::string path(5000, 'p');
  EXPECT_EQ(label_source_url("https://user:ghp_x@github.com/" + path, "/"),
            "https://github.com/" + path);
  EXPECT_EQ(label_source_url("https://github.com/a@b", "/"), "https://github.com/a@b");
}

TEST(ImageLabelsTest, LabelsInOrderWithoutEmptyOnes) {
  OciLabels labels{"1.0+g1", "pydemo", {}, "2023-11-14T22:13:20Z", ""};
  EXPECT_THAT(
      labels.labels(),
      ElementsAre(std::pair<std::string, std::string>{"org.opencontainers.image.version", "1.0+g1"},
                  std::pair<std::string, std::string>{"org.opencontainers.image.title", "pydemo"},
                  std::pair<std::string, std::string>{kCreatedLabel, "2023-11-14T22:13:20Z"}));
  labels.source = {"abc", "https://h/r"};
  EXPECT_EQ(labels.labels().size(), 5u);
  labels.variant = "bullseye";
  EXPECT_EQ(labels.labels().back(),
            (std::pair<std::string, std::string>{kVariantLabel, "bullseye"}));
}

TEST(ImageLabelsTest, CommitTimeIsTheNewestCommitOfTheContext) {
  const test::TempDir repo;
  repo.write("ctx/app.py", "1\n");
  repo.write("other.txt", "1\n");
  EXPECT_EQ(git_commit_time(repo.path() / "ctx"), std::nullopt);  // not a checkout yet
  git(repo.path(), {"init", "-q"});
  git(repo.path(), {"add", "."});
  {
    const ScopedEnv date("GIT_COMMITTER_DATE", "@1700000000 +0000");
    git(repo.path(), {"commit", "-q", "-m", "one"});
  }
  repo.write("other.txt", "2\n");
  {
    const ScopedEnv date("GIT_COMMITTER_DATE", "@1800000000 +0000");
    git(repo.path(), {"commit", "-q", "-a", "-m", "outside the context"});
  }
  EXPECT_EQ(git_commit_time(repo.path() / "ctx"), "1700000000");
  EXPECT_EQ(git_commit_time(repo.path()), "1800000000");
}

TEST(ImageLabelsTest, GitRevisionDirtyOnlyForTheContextsTrackedFiles) {
  const test::TempDir repo;
  repo.write("ctx/app.py", "1\n");
  repo.write("other.txt", "1\n");
  EXPECT_EQ(git_source_revision(repo.path() / "ctx").revision, "");  // not a checkout yet
  git(repo.path(), {"init", "-q"});
  git(repo.path(), {"add", "."});
  git(repo.path(), {"commit", "-q", "-m", "one"});
  git(repo.path(), {"remote", "add", "origin", "https://me:secret@example.com/r.git"});

  auto source = git_source_revision(repo.path() / "ctx");
  EXPECT_EQ(source.revision.size(), 40u);
  EXPECT_EQ(source.source, "https://example.com/r.git");

  repo.write("other.txt", "2\n");
  repo.write("ctx/untracked.py", "x\n");
  EXPECT_EQ(git_source_revision(repo.path() / "ctx").revision, source.revision);
  repo.write("ctx/app.py", "2\n");
  EXPECT_EQ(git_source_revision(repo.path() / "ctx").revision, source.revision + "-dirty");
}

TEST(ImageLabelsTest, NoRemoteNoSource) {
  const test::TempDir repo;
  repo.write("a", "1");
  git(repo.path(), {"init", "-q"});
  git(repo.path(), {"add", "."});
  git(repo.path(), {"commit", "-q", "-m", "one"});
  EXPECT_EQ(git_source_revision(repo.path()).source, "");
}

// --- secrets and arguments -------------------------------------------------------------------

TEST(BuildSecretsTest, ArgumentsForFilesAndVariables) {
  EXPECT_THAT(
      secret_arguments(
          {{"pypirc", "/home/me/.pypirc", ""}, {"token", "", "TOKEN"}, {"odd", "/a,b", ""}}),
      ElementsAre("--secret", "id=pypirc,src=/home/me/.pypirc", "--secret", "id=token,env=TOKEN",
                  "--secret", "id=odd,\"src=/a,b\""));
}

TEST(BuildSecretsTest, ClassicBuilderRefusesSecrets) {
  const Engine classic{"docker", EngineKind::docker, "28.2.2", false, ""};
  EXPECT_NO_THROW(require_secret_support(classic, {}));
  try {
    require_secret_support(classic, {{"pypirc", "/x", ""}});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("classic builder"));
    EXPECT_THAT(e.what(), HasSubstr("pypirc"));
    EXPECT_THAT(e.what(), HasSubstr("DOCKER_BUILDKIT=1"));
    EXPECT_THAT(e.what(), HasSubstr("podman"));
  }
  const Engine buildkit{"docker", EngineKind::docker, "20.10", true, ""};
  EXPECT_NO_THROW(require_secret_support(buildkit, {{"pypirc", "/x", ""}}));
}

TEST(BuildSecretsTest, MissingSourcesNameTheIdNeverTheValue) {
  const test::TempDir dir;
  const auto file = dir.write("pypirc", "[pypi]\npassword = hunter2\n");
  const ScopedEnv set("DP_TEST_SECRET_SET", "hunter2");
  const ScopedEnv unset("DP_TEST_SECRET_UNSET", nullptr);
  EXPECT_NO_THROW(check_secret_sources({{"a", file, ""}, {"b", "", "DP_TEST_SECRET_SET"}}));
  try {
    check_secret_sources({{"gone", dir.path() / "missing", ""}});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("'gone'"));
  }
  try {
    check_secret_sources({{"tok", "", "DP_TEST_SECRET_UNSET"}});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("'tok'"));
    EXPECT_THAT(e.what(), HasSubstr("DP_TEST_SECRET_UNSET"));
  }
}

TEST(BuildArgumentsTest, PullPolicyPerEngine) {
  ImageBuild build;
  build.dockerfile = "Dockerfile";
  build.iid_file = "/w/image.iid";
  build.tags = {"img:1", "img:latest"};
  build.build_args = {{"ARG_VERSION", "1"}};
  build.labels = {{"l", "v"}};
  build.secrets = {{"s", "", "VAR"}};
  const Engine docker{"docker", EngineKind::docker, "20.10", true, ""};
  const Engine podman{"podman", EngineKind::podman, "4.3", false, ""};
  EXPECT_THAT(build_arguments(docker, build),
              ElementsAre("build", "--file", "Dockerfile", "--iidfile", "/w/image.iid", "--tag",
                          "img:1", "--tag", "img:latest", "--build-arg", "ARG_VERSION=1", "--label",
                          "l=v", "--secret", "id=s,env=VAR", "-"));
  EXPECT_THAT(build_arguments(podman, build), Contains("--pull=never"));
  build.pull = true;
  EXPECT_THAT(build_arguments(docker, build), Contains("--pull"));
  EXPECT_THAT(build_arguments(podman, build), Contains("--pull=always"));
}

// --- inputs and the image step, against a fake engine ----------------------------------------

class ImageStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto client = test::install_fake_engine(dir_.path());
    engine_ = Engine{client.string(), EngineKind::docker, "28.2.2", false, "fake"};
    dir_.write("ctx/Dockerfile", "FROM base:1\nCOPY . .\n");
    dir_.write("ctx/app.py", "print(1)\n");
    fs::create_directories(dir_.path() / "work");
    add_image("base:1", "sha256:" + std::string(64, 'b'));
  }

  void add_image(const std::string& reference, const std::string& id) {
    auto name = reference;
    for (auto& c : name)
      if (c == '/' || c == ':') c = '_';
    dir_.write("bin/state/images/" + name, id + "\n");
  }

  void remove_image(const std::string& reference) {
    auto name = reference;
    for (auto& c : name)
      if (c == '/' || c == ':') c = '_';
    fs::remove(dir_.path() / "bin/state/images" / name);
  }

  ImageStep step(const std::map<std::string, std::string>& replacements = {}) {
    ImageBuild build;
    build.context.root = dir_.path() / "ctx";
    build.context.replacements = replacements;
    build.dockerfile = "Dockerfile";
    build.tags = {"img:1.0"};
    build.build_args = {{"ARG_VERSION", "1.0"}};
    build.labels = {{"org.opencontainers.image.version", "1.0"},
                    {kRevisionLabel, revision_},
                    {kCreatedLabel, created_}};
    build.iid_file = dir_.path() / "work/image.iid";
    return ImageStep(engine_, std::move(build), dir_.path() / "ctx/Dockerfile",
                     {{"base:1", 1, "FROM base:1"}}, dir_.path() / "work/image.inputs");
  }

  int builds() const {
    const auto log = test::read_file(dir_.path() / "bin/state/log");
    int count = 0;
    for (std::size_t at = log.find("build "); at != std::string::npos;
         at = log.find("build ", at + 1)) {
      ++count;
    }
    return count;
  }

  // Checks the step and builds when needed; returns why it built, or "" when it did not.
  std::string run(const std::map<std::string, std::string>& replacements = {}, bool force = false) {
    auto image = step(replacements);
    image.check_base_images();
    const auto reason = image.reason_to_build(force);
    if (!reason) return "";
    image.build();
    return *reason;
  }

  test::TempDir dir_;
  Engine engine_;
  std::string created_ = "2026-01-01T00:00:00Z";
  std::string revision_ = "1111111111111111111111111111111111111111";
};

TEST_F(ImageStepTest, TheClassicBuilderGetsTheLabelsAsOneInstruction) {
  run();
  EXPECT_THAT(test::read_file(dir_.path() / "bin/state/log"), Not(HasSubstr("--label")));
  process::Options capture;
  capture.capture_stdout = true;
  const auto dockerfile = process::run(
      {"tar", "-xOf", (dir_.path() / "bin/state/context.tar").string(), "Dockerfile"}, capture);
  ASSERT_TRUE(dockerfile.ok());
  EXPECT_EQ(dockerfile.out,
            "FROM base:1\nCOPY . .\nLABEL \"org.opencontainers.image.version\"=\"1.0\" "
            "\"org.opencontainers.image.revision\"=\"" +
                revision_ + "\" \"org.opencontainers.image.created\"=\"" + created_ + "\"\n");
  EXPECT_EQ(test::read_file(dir_.path() / "ctx/Dockerfile"), "FROM base:1\nCOPY . .\n")
      << "on disk unchanged";
}

TEST_F(ImageStepTest, MissingBaseImageNamesItAndTheLine) {
  remove_image("base:1");
  auto image = step();
  try {
    image.check_base_images();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("Dockerfile:1: base image base:1 is not present locally"));
    EXPECT_THAT(e.what(), HasSubstr("PULL ON"));
  }
  EXPECT_EQ(builds(), 0);
}

TEST_F(ImageStepTest, UnchangedInputsBuildNothing) {
  EXPECT_EQ(run(), "no earlier build recorded");
  EXPECT_EQ(builds(), 1);
  const auto id = test::read_file(dir_.path() / "work/image.iid");
  created_ = "2027-01-01T00:00:00Z";  // .created and .revision are not inputs
  revision_ = "2222222222222222222222222222222222222222-dirty";
  EXPECT_EQ(run(), "");
  EXPECT_EQ(builds(), 1);
  EXPECT_EQ(test::read_file(dir_.path() / "work/image.iid"), id);
}

TEST_F(ImageStepTest, AnyInputChangeBuildsAgain) {
  run();
  dir_.write("ctx/app.py", "print(2)\n");
  EXPECT_EQ(run(), "app.py changed");
  dir_.write("ctx/new.py", "");
  EXPECT_EQ(run(), "new.py added");
  fs::permissions(dir_.path() / "ctx/new.py", fs::perms::owner_exec, fs::perm_options::add);
  EXPECT_EQ(run(), "new.py changed");
  EXPECT_EQ(run({{"app.py", "stamped"}}), "app.py changed");
  EXPECT_EQ(run({{"app.py", "stamped"}}), "");
  add_image("base:1", "sha256:" + std::string(64, 'c'));
  EXPECT_THAT(run({{"app.py", "stamped"}}), HasSubstr("base image base:1 is another image"));
  EXPECT_EQ(run({{"app.py", "stamped"}}, true), "forced");
  EXPECT_EQ(builds(), 7);
}

TEST_F(ImageStepTest, DeletedImageIsNoticedAndAMovedTagPutBack) {
  run();
  const auto id = test::read_file(dir_.path() / "work/image.iid");
  add_image("img:1.0", "sha256:" + std::string(64, 'f'));  // the tag now names another image
  EXPECT_EQ(run(), "");
  EXPECT_THAT(test::read_file(dir_.path() / "bin/state/log"), HasSubstr("tag " + id + " img:1.0"));
  EXPECT_EQ(builds(), 1);

  remove_image("img:1.0");
  remove_image(id);
  EXPECT_THAT(run(), HasSubstr("is no longer in"));
  EXPECT_EQ(builds(), 2);
}

TEST(ImageInputsTest, DescribesWhatChanged) {
  ImageInputs before, now;
  before.summary = {{"builder", "docker (BuildKit)"},
                    {"labels", {{"org.opencontainers.image.version", "1.0"}}},
                    {"build_args", {{"ARG_REPO", "a"}}}};
  now.summary = {{"builder", "podman"},
                 {"labels", {{"org.opencontainers.image.version", "1.1"}}},
                 {"build_args", {{"ARG_REPO", "a"}}}};
  before.files = {{"a", "1"}, {"b", "1"}};
  now.files = {{"a", "2"}, {"c", "1"}};
  EXPECT_EQ(describe_changes(before, now),
            "builder \"docker (BuildKit)\" -> \"podman\", version 1.0 -> 1.1, a changed, c added "
            "and 1 more");
  EXPECT_NE(before.digest(), now.digest());
  EXPECT_EQ(describe_changes(now, now), "nothing");
}

TEST(ImageInputsTest, RecordRoundTrip) {
  const test::TempDir dir;
  InputsRecord record;
  record.inputs.summary = {{"format", 1}, {"builder", "podman"}};
  record.inputs.files = {{"x", "100644 ab"}};
  record.digest = record.inputs.digest();
  record.image_id = "sha256:1";
  write_inputs_record(dir.path() / "image.inputs", record);
  const auto back = read_inputs_record(dir.path() / "image.inputs");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->digest, record.digest);
  EXPECT_EQ(back->inputs.digest(), record.digest);
  EXPECT_EQ(back->image_id, "sha256:1");
  dir.write("broken", "{");
  EXPECT_FALSE(read_inputs_record(dir.path() / "broken"));
  EXPECT_FALSE(read_inputs_record(dir.path() / "missing"));
}

}  // namespace
}  // namespace dp::docker
