#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>

#include "docker/engine.hpp"
#include "support/temp_dir.hpp"

namespace dp::docker {
namespace {

using ::testing::HasSubstr;

TEST(EngineRequestTest, PipelineFieldBeatsTheEnvironment) {
  const auto request = requested_engine("podman", "docker");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->client, "podman");
  EXPECT_THAT(request->reason, HasSubstr("ENGINE"));
}

TEST(EngineRequestTest, EnvironmentVariableNamesAClientOrAPath) {
  const auto request = requested_engine("", "/usr/bin/docker");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->client, "/usr/bin/docker");
  EXPECT_THAT(request->reason, HasSubstr("DOCKER_PIPELINE_ENGINE=/usr/bin/docker"));
}

TEST(EngineRequestTest, NothingRequestedMeansDetect) {
  EXPECT_FALSE(requested_engine("", nullptr));
  EXPECT_FALSE(requested_engine("", ""));
}

TEST(EngineKindTest, PodmanByFileName) {
  EXPECT_TRUE(is_podman_client("podman"));
  EXPECT_TRUE(is_podman_client("/opt/bin/podman-remote"));
  EXPECT_FALSE(is_podman_client("/usr/bin/docker"));
}

TEST(DockerBuilderTest, BuildxMeansBuildKit) {
  const auto choice = choose_docker_builder("28.2.2", true, nullptr);
  EXPECT_TRUE(choice.buildkit);
  EXPECT_THAT(choice.reason, HasSubstr("buildx"));
}

TEST(DockerBuilderTest, ClientsBefore23HaveBuildKitBuiltIn) {
  const auto choice = choose_docker_builder("20.10.24+dfsg1", false, nullptr);
  EXPECT_TRUE(choice.buildkit);
  EXPECT_THAT(choice.reason, HasSubstr("built in"));
  EXPECT_FALSE(choose_docker_builder("18.06.1-ce", false, nullptr).buildkit);
}

TEST(DockerBuilderTest, NewClientWithoutBuildxUsesTheClassicBuilder) {
  const auto choice = choose_docker_builder("28.2.2", false, nullptr);
  EXPECT_FALSE(choice.buildkit);
  EXPECT_THAT(choice.reason, HasSubstr("no buildx"));
  EXPECT_FALSE(choose_docker_builder("unknown", false, nullptr).buildkit);
}

TEST(DockerBuilderTest, DockerBuildkitVariableDecides) {
  EXPECT_FALSE(choose_docker_builder("28.2.2", true, "0").buildkit);
  EXPECT_FALSE(choose_docker_builder("20.10.24", false, "false").buildkit);
  EXPECT_TRUE(choose_docker_builder("20.10.24", false, "1").buildkit);
  EXPECT_THAT(choose_docker_builder("20.10.24", false, "1").reason, HasSubstr("DOCKER_BUILDKIT=1"));
  EXPECT_FALSE(choose_docker_builder("28.2.2", false, "").buildkit);  // empty: not set
}

TEST(DockerBuilderTest, BuildKitThatCannotRunIsAnError) {
  try {
    choose_docker_builder("28.2.2", false, "1");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("DOCKER_BUILDKIT=1"));
    EXPECT_THAT(e.what(), HasSubstr("buildx"));
  }
  EXPECT_THROW(choose_docker_builder("20.10.24", false, "yes"), std::runtime_error);
}

TEST(EngineTest, BuildEnvironmentAndBuilderNames) {
  Engine docker{"docker", EngineKind::docker, "20.10", true, ""};
  EXPECT_EQ(docker.builder(), "docker (BuildKit)");
  EXPECT_TRUE(docker.can_mount_secrets());
  ASSERT_EQ(docker.build_environment().size(), 1u);
  EXPECT_EQ(docker.build_environment()[0].second, "1");
  docker.buildkit = false;
  EXPECT_EQ(docker.builder(), "docker (classic builder)");
  EXPECT_FALSE(docker.can_mount_secrets());
  EXPECT_EQ(docker.build_environment()[0].second, "0");

  const Engine podman{"podman", EngineKind::podman, "4.3.1", false, ""};
  EXPECT_EQ(podman.builder(), "podman");
  EXPECT_TRUE(podman.can_mount_secrets());
  EXPECT_TRUE(podman.build_environment().empty());
}

// PATH holding a docker whose engine does not answer and a podman that works.
class EngineFallbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_client("docker",
                 "echo 'Cannot connect to the Docker daemon at tcp://10.0.0.9:2375' >&2; exit 1");
    write_client("podman", "echo 4.3.1");
    keep("PATH", dir_.path().string());
    keep("DOCKER_PIPELINE_ENGINE", std::nullopt);
    keep("DOCKER_HOST", std::nullopt);
    keep("DOCKER_CONTEXT", std::nullopt);
  }
  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  void write_client(const std::string& name, const std::string& body) {
    const auto path = dir_.write(name, "#!/bin/sh\n" + body + "\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  void keep(const std::string& name, const std::optional<std::string>& value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }

  test::TempDir dir_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(EngineFallbackTest, PodmanStandsInForADockerEngineThatDoesNotAnswer) {
  const auto engine = detect_engine("");
  EXPECT_EQ(engine.kind, EngineKind::podman);
  EXPECT_THAT(engine.reason, HasSubstr("docker's engine does not answer"));
}

TEST_F(EngineFallbackTest, AnEngineChosenThroughDockerHostIsNeverReplaced) {
  ::setenv("DOCKER_HOST", "tcp://10.0.0.9:2375", 1);
  try {
    detect_engine("");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("DOCKER_HOST=tcp://10.0.0.9:2375 does not answer"));
  }
}

}  // namespace
}  // namespace dp::docker
