// The test stage's pieces that need no engine: its record, its outputs, its leftover policy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "stages/test/test_leftovers.hpp"
#include "stages/test/staging_dir.hpp"
#include "stages/test/test_outputs.hpp"
#include "stages/test/test_record.hpp"
#include "support/temp_dir.hpp"

namespace dp::docker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TestInputs sample_inputs() {
  return {"sha256:1234",
          "1.0",
          {"python3", "-m", "pytest", "-q", "tests"},
          {{"MODE", "ci"}, {"TOKEN", "s3cret-value"}},
          {"/pydemo/reports"},
          "/pydemo/dist"};
}

TEST(TestRecord, EveryInputChangesTheDigest) {
  const auto base = test_digest(sample_inputs());
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(test_digest(sample_inputs()), base);
  std::vector<TestInputs> changed(8, sample_inputs());
  changed[0].image_id = "sha256:5678";
  changed[1].version = "1.0.post1";
  changed[2].test_command = {"python3", "-m", "pytest -q", "tests"};
  changed[3].test_env[1].second = "other";
  changed[4].test_env[0].first = "MODE2";
  changed[5].artifacts = {"/pydemo/reports", "/tmp/coverage.xml"};
  changed[6].dist_dir = "/pydemo/dist2";
  changed[7].test_env.pop_back();
  for (const auto& inputs : changed) EXPECT_NE(test_digest(inputs), base);
}

TEST(TestRecord, ArgumentBoundariesCount) {
  auto joined = sample_inputs();
  joined.test_command = {"a b"};
  auto split = sample_inputs();
  split.test_command = {"a", "b"};
  EXPECT_NE(test_digest(joined), test_digest(split));
}

TEST(TestRecord, RoundTripsAndKeepsNoSecretValue) {
  const test::TempDir dir;
  const auto file = dir.path() / "work" / "test.passed";
  EXPECT_FALSE(read_test_record(file));
  const TestRecord record{test_digest(sample_inputs()),
                          {"pydemo-1.0-py3-none-any.whl", "pydemo-1.0.tar.gz"},
                          {"reports"}};
  write_test_record(file, record);
  const auto read = read_test_record(file);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->digest, record.digest);
  EXPECT_EQ(read->dists, record.dists);
  EXPECT_EQ(read->artifacts, record.artifacts);
  std::ifstream in(file);
  const std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(content, Not(HasSubstr("s3cret-value")));
  EXPECT_EQ(dir.entries(), 1u);  // no temp file left beside it
  remove_test_record(file);
  EXPECT_FALSE(read_test_record(file));
  remove_test_record(file);  // removing what is not there is no error
}

TEST(TestRecord, AnUnreadableRecordIsNoRecord) {
  const test::TempDir dir;
  EXPECT_FALSE(read_test_record(dir.write("test.passed", "{not json")));
  EXPECT_FALSE(read_test_record(dir.write("other.passed", R"({"digest": 3})")));
}

TEST(TestRecord, MissingOutputsAreNamed) {
  const test::TempDir dir;
  const TestRecord record{"d", {"a-1.0.tar.gz"}, {"reports"}};
  EXPECT_THAT(missing_output(record, dir.path() / "dist", dir.path() / "artifacts").value_or(""),
              HasSubstr("a-1.0.tar.gz"));
  dir.write("dist/a-1.0.tar.gz", "x");
  EXPECT_THAT(missing_output(record, dir.path() / "dist", dir.path() / "artifacts").value_or(""),
              HasSubstr("reports"));
  dir.write("artifacts/reports/junit.xml", "x");
  EXPECT_FALSE(missing_output(record, dir.path() / "dist", dir.path() / "artifacts"));
}

TEST(TestOutputs, ArtifactsLandUnderTheirLastComponent) {
  EXPECT_THAT(artifact_names({"/pydemo/reports", "/tmp/coverage.xml", "/var/log/app/"}),
              ElementsAre(std::pair<std::string, std::string>{"/pydemo/reports", "reports"},
                          std::pair<std::string, std::string>{"/tmp/coverage.xml", "coverage.xml"},
                          std::pair<std::string, std::string>{"/var/log/app", "app"}));
  EXPECT_TRUE(artifact_names({}).empty());
}

TEST(TestOutputs, ArtifactNamesMustBeUnique) {
  try {
    artifact_names({"/a/reports", "/b/reports/"});
    FAIL() << "two artifacts named reports";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("'/a/reports' and '/b/reports/'"));
    EXPECT_THAT(e.what(), HasSubstr("artifacts/reports"));
  }
  EXPECT_THROW(artifact_names({"/"}), std::invalid_argument);
  EXPECT_THROW(artifact_names({"/tmp/.."}), std::invalid_argument);
}

TEST(TestOutputs, OnlyDistsOfTheVersionAreSelected) {
  const auto selection =
      select_dists({"pydemo-0.0.2-py3-none-any.whl", "pydemo-0.0.2.tar.gz",
                    "pydemo-0.0.1-py3-none-any.whl", "pydemo-0.0.1.tar.gz", "pydemo-0.0.2.zip",
                    "build.log", "pydemo-0.0.2", "Pydemo-0.0.2.0-1-cp311-cp311-linux_x86_64.whl"},
                   "0.0.2");
  EXPECT_THAT(selection.dists, ElementsAre("Pydemo-0.0.2.0-1-cp311-cp311-linux_x86_64.whl",
                                           "pydemo-0.0.2-py3-none-any.whl", "pydemo-0.0.2.tar.gz",
                                           "pydemo-0.0.2.zip"));
  EXPECT_THAT(selection.others, ElementsAre("build.log", "pydemo-0.0.1-py3-none-any.whl",
                                            "pydemo-0.0.1.tar.gz", "pydemo-0.0.2"));
}

TEST(TestOutputs, VersionsCompareNormalized) {
  EXPECT_THAT(select_dists({"pkg-1.0b2-py3-none-any.whl", "pkg-1.0.b2.tar.gz",
                            "pkg-1.0b2+local.1-py3-none-any.whl"},
                           "1.0b2")
                  .dists,
              ElementsAre("pkg-1.0.b2.tar.gz", "pkg-1.0b2-py3-none-any.whl"));
  EXPECT_THAT(
      select_dists({"pkg-1.0+g1a2b-py3-none-any.whl", "pkg-1.0+g1a2b.tar.gz"}, "1.0+g1a2b").dists,
      ElementsAre("pkg-1.0+g1a2b-py3-none-any.whl", "pkg-1.0+g1a2b.tar.gz"));
  EXPECT_TRUE(select_dists({"pkg-1.0.tar.gz"}, "not a version").dists.empty());
}

// The pid of a process that has ended and been reaped.
long ended_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST(TestOutputs, StagingFoldersOfKilledHelpersAreRemoved) {
  const test::TempDir dir;
  auto killed = current_owner();
  killed.pid = ended_pid();
  dir.write(".staging-killed/owner", format_owner(killed) + "\n");
  dir.write(".staging-killed/dist/pydemo-1.0.tar.gz", "x");
  dir.write(".staging-running/owner", format_owner(current_owner()) + "\n");
  dir.write(".staging-anonymous/dist/pydemo-1.0.tar.gz", "x");
  dir.write("dist/owner", format_owner(killed));

  EXPECT_THAT(remove_stale_staging(dir.path()), ElementsAre(dir.path() / ".staging-killed"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / ".staging-killed"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / ".staging-running"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / ".staging-anonymous"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "dist/owner"));
  EXPECT_TRUE(remove_stale_staging(dir.path() / "missing").empty());
}

ContainerOwner me() {
  return {"builder", "boot-1", "pid:[4026531836]", 4242, 777};
}

TEST(TestLeftovers, OwnerLabelsRoundTrip) {
  const auto label = format_owner(me());
  EXPECT_EQ(label, "host=builder boot=boot-1 pidns=pid:[4026531836] pid=4242 start=777");
  const auto owner = parse_owner(label);
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->host, "builder");
  EXPECT_EQ(owner->boot_id, "boot-1");
  EXPECT_EQ(owner->pid_namespace, "pid:[4026531836]");
  EXPECT_EQ(owner->pid, 4242);
  EXPECT_EQ(owner->start_time, 777u);
  EXPECT_FALSE(parse_owner(""));
  EXPECT_FALSE(parse_owner("<no value>"));
  EXPECT_FALSE(parse_owner("host=a boot=b pid=x start=1"));
  EXPECT_FALSE(parse_owner("host=a boot=b pid=1"));
}

TEST(TestLeftovers, TheOwnersFateDecides) {
  const auto self = me();
  auto owner = me();
  owner.pid = 100;
  owner.start_time = 50;
  const auto running = [](long pid) -> std::optional<unsigned long long> {
    if (pid == 100) return 50;
    if (pid == 200) return 99;  // the pid was reused by a later process
    return std::nullopt;
  };
  EXPECT_EQ(owner_state(owner, self, running), OwnerState::alive);
  owner.pid = 200;
  EXPECT_EQ(owner_state(owner, self, running), OwnerState::gone);
  owner.pid = 300;
  EXPECT_EQ(owner_state(owner, self, running), OwnerState::gone);

  auto elsewhere = owner;
  elsewhere.pid_namespace = "pid:[1]";  // a CI job in another container of this host
  EXPECT_EQ(owner_state(elsewhere, self, running), OwnerState::unknown);
  elsewhere = owner;
  elsewhere.boot_id = "boot-0";
  EXPECT_EQ(owner_state(elsewhere, self, running), OwnerState::gone);  // this host, rebooted
  elsewhere.host = "laptop";
  EXPECT_EQ(owner_state(elsewhere, self, running), OwnerState::unknown);  // a remote engine's
  EXPECT_EQ(owner_state(std::nullopt, self, running), OwnerState::unknown);
}

TEST(TestLeftovers, AConcurrentRunIsLeftAlone) {
  for (const char* status : {"created", "running", "exited", "paused", "dead"}) {
    EXPECT_TRUE(is_leftover(status, OwnerState::gone)) << status;
    EXPECT_FALSE(is_leftover(status, OwnerState::alive)) << status;
  }
  EXPECT_TRUE(is_leftover("exited", OwnerState::unknown));
  EXPECT_TRUE(is_leftover("dead", OwnerState::unknown));
  EXPECT_FALSE(is_leftover("running", OwnerState::unknown));
  EXPECT_FALSE(is_leftover("created", OwnerState::unknown));
  EXPECT_FALSE(is_leftover("paused", OwnerState::unknown));
}

TEST(TestLeftovers, ThisProcessIsAlive) {
  const auto self = current_owner();
  EXPECT_EQ(self.pid, static_cast<long>(::getpid()));
  EXPECT_FALSE(self.boot_id.empty());
  EXPECT_GT(self.start_time, 0u);
  EXPECT_EQ(owner_state(parse_owner(format_owner(self)), self), OwnerState::alive);
  EXPECT_FALSE(process_start_time(-1));
}

TEST(TestLeftovers, AKilledButUnreapedHelperIsGone) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  // Not reaped yet: a zombie, as a helper killed with SIGKILL is until its parent waits.
  std::string state;
  for (int tries = 0; tries < 500 && state != "Z"; ++tries) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string line;
    std::getline(stat, line);
    state = line.substr(line.rfind(')') + 2, 1);
    if (state != "Z") ::usleep(10000);
  }
  EXPECT_EQ(state, "Z");
  EXPECT_FALSE(process_start_time(child));
  ::waitpid(child, nullptr, 0);
}

}  // namespace
}  // namespace dp::docker
