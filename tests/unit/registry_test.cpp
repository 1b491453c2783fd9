// The registry component's parts that need no registry: PUSH references, WWW-Authenticate
// challenges, the engines' stored logins (files and credential helpers), base64. The client
// itself is tested against a real registry (tests/integration/push.py).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/errors.hpp"
#include "registry/credentials.hpp"
#include "registry/push_repository.hpp"
#include "registry/registry_client.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"
#include "text/base64.hpp"

namespace dp::registry {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string error_of(std::string_view value) {
  try {
    parse_push_repository(value);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(registryPushRepository, SplitsTheRegistryFromTheRepository) {
  const auto target = parse_push_repository("127.0.0.1:5000/team/app");
  EXPECT_EQ(target.registry, "127.0.0.1:5000");
  EXPECT_EQ(target.repository, "team/app");
  EXPECT_EQ(target.tagged("1.0"), "127.0.0.1:5000/team/app:1.0");
  EXPECT_EQ(target.pinned("sha256:ab"), "127.0.0.1:5000/team/app@sha256:ab");
  EXPECT_EQ(parse_push_repository("ghcr.io/org/app").registry, "ghcr.io");
  EXPECT_EQ(parse_push_repository("localhost/app").repository, "app");
  EXPECT_EQ(parse_push_repository("r.example/a_b/c--d.e").repository, "a_b/c--d.e");
}

TEST(registryPushRepository, RefusesWhatDockerWouldPushElsewhereOrNotAtAll) {
  EXPECT_THAT(error_of("team/app"), HasSubstr("'team' is not a registry host"));
  EXPECT_THAT(error_of("team/app"), HasSubstr("Docker Hub"));
  EXPECT_THAT(error_of("app"), HasSubstr("expected <registry>/<repository>"));
  EXPECT_THAT(error_of("127.0.0.1:5000/"), HasSubstr("expected <registry>/<repository>"));
  EXPECT_THAT(error_of("127.0.0.1:5000/app:1.0"), HasSubstr("takes no tag or digest"));
  EXPECT_THAT(error_of("127.0.0.1:5000/Team/app"), HasSubstr("repository part 'Team'"));
  EXPECT_THAT(error_of("127.0.0.1:5000/team//app"), HasSubstr("repository part ''"));
}

TEST(registryPushRepository, LoopbackRegistriesAreReachedOverPlainHttp) {
  EXPECT_EQ(api_base_url(parse_push_repository("127.0.0.1:5000/a")), "http://127.0.0.1:5000");
  EXPECT_EQ(api_base_url(parse_push_repository("localhost:5000/a")), "http://localhost:5000");
  EXPECT_EQ(api_base_url(parse_push_repository("ghcr.io/a")), "https://ghcr.io");
  EXPECT_EQ(api_base_url(parse_push_repository("127.example:5000/a")), "https://127.example:5000");
}

TEST(registryChallenge, ReadsBasicAndBearerChallenges) {
  const auto basic = parse_challenge(R"(Basic realm="dp-test")");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->scheme, "basic");
  EXPECT_EQ(basic->parameters.at("realm"), "dp-test");
  const auto bearer = parse_challenge(
      R"(Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a:pull,push")");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->scheme, "bearer");
  EXPECT_EQ(bearer->parameters.at("realm"), "https://auth.example/token");
  EXPECT_EQ(bearer->parameters.at("service"), "registry.example");
  EXPECT_EQ(bearer->parameters.at("scope"), "repository:a:pull,push");
  EXPECT_FALSE(parse_challenge(R"(Bearer realm="unterminated)"));
  EXPECT_FALSE(parse_challenge(""));
}

TEST(textBase64, DecodesStandardBase64WithOrWithoutPadding) {
  EXPECT_EQ(text::base64_decode("cHVzaGVyOnNlY3JldA=="), "pusher:secret");
  EXPECT_EQ(text::base64_decode("cHVzaGVyOnNlY3JldA"), "pusher:secret");
  EXPECT_EQ(text::base64_decode("YStiL2M/Pg=="), "a+b/c?>");
  EXPECT_EQ(text::base64_decode(""), "");
  EXPECT_FALSE(text::base64_decode("not base64!"));
  EXPECT_FALSE(text::base64_decode("abcde"));
}

class CredentialsTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> env_;
  process::EnvironmentLookup lookup() const {
    return [this](std::string_view name) -> std::optional<std::string> {
      const auto found = env_.find(std::string(name));
      if (found == env_.end()) return std::nullopt;
      return found->second;
    };
  }
  test::TempDir dir_;
};

TEST_F(CredentialsTest, EachEngineReadsItsOwnFilesInItsOrder) {
  env_ = {{"HOME", "/home/u"}, {"XDG_RUNTIME_DIR", "/run/user/1"}};
  EXPECT_THAT(auth_files(false, lookup()), ElementsAre(fs::path("/home/u/.docker/config.json")));
  EXPECT_THAT(auth_files(true, lookup()), ElementsAre(fs::path("/run/user/1/containers/auth.json"),
                                                      fs::path("/home/u/.docker/config.json")));
  env_["DOCKER_CONFIG"] = "/etc/dc";
  env_["REGISTRY_AUTH_FILE"] = "/etc/auth.json";
  EXPECT_THAT(auth_files(true, lookup()),
              ElementsAre(fs::path("/etc/auth.json"), fs::path("/etc/dc/config.json")));
}

TEST_F(CredentialsTest, ReadsTheLoginOfTheRegistryFromAuths) {
  const auto file = dir_.write("config.json", R"({"auths": {
      "other.example": {"auth": "b3RoZXI6eA=="},
      "http://127.0.0.1:5000": {"auth": "cHVzaGVyOnNlY3JldA=="}}})");
  const auto found = stored_credentials("127.0.0.1:5000", {dir_.path() / "missing.json", file});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "pusher");
  EXPECT_EQ(found->password, "secret");
  EXPECT_EQ(found->source, file.string());
  EXPECT_FALSE(stored_credentials("127.0.0.1:5001", {file}));
}

TEST_F(CredentialsTest, AMalformedFileIsNamedAndNoSecretShown) {
  const auto bad_json = dir_.write("bad.json", "{");
  EXPECT_THROW(stored_credentials("r.example", {bad_json}), UserError);
  const auto bad_auth = dir_.write(
      "auth.json", R"({"auths": {"r.example": {"auth": "c2VjcmV0LXdpdGhvdXQtY29sb24="}}})");
  try {
    stored_credentials("r.example", {bad_auth});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_THAT(e.what(), HasSubstr(bad_auth.string()));
    EXPECT_THAT(e.what(), HasSubstr("is not base64 of <user>:<password>"));
    EXPECT_THAT(e.what(), Not(HasSubstr("secret-without-colon")));
  }
}

TEST_F(CredentialsTest, AskTheCredentialHelperTheFileNames) {
  // A credential helper as docker runs it: `docker-credential-<name> get`, the registry on stdin.
  const auto helper = dir_.write("bin/docker-credential-fake", R"(#!/bin/sh
read registry
if [ "$registry" = r.example ]; then
  echo '{"ServerURL": "r.example", "Username": "robot", "Secret": "from-helper"}'
else
  echo "credentials not found in native keychain"; exit 1
fi
)");
  fs::permissions(helper, fs::perms::owner_all);
  const test::ScopedEnv path("PATH", (dir_.path() / "bin").string() + ":" + ::getenv("PATH"));
  const auto per_registry = dir_.write("helpers.json", R"({"credHelpers": {"r.example": "fake"}})");
  const auto found = stored_credentials("r.example", {per_registry});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "robot");
  EXPECT_EQ(found->password, "from-helper");
  EXPECT_EQ(found->source, "docker-credential-fake");
  const auto store = dir_.write("store.json", R"({"credsStore": "fake"})");
  EXPECT_FALSE(stored_credentials("other.example", {store}));
  EXPECT_EQ(stored_credentials("r.example", {store})->password, "from-helper");
}

}  // namespace
}  // namespace dp::registry
