#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "pypi/config/ini_file.hpp"
#include "pypi/config/pypirc.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/errors.hpp"
#include "support/temp_dir.hpp"

namespace dp::pypi {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* local_pypirc = R"([distutils]
index-servers =
    pypi
    local
    nopass

[pypi]
username = ignored-for-pypi
password = pypi-token

[local]
repository = http://127.0.0.1:8080/
username = alice
password = s3cret-local
ca_cert = /etc/ssl/local-ca.pem
client_cert = /etc/ssl/alice.pem

[nopass]
repository = https://nopass.invalid/legacy/
username = bob

[unlisted]
repository = http://unlisted.invalid/
)";

class pypiRepositoryResolution : public ::testing::Test {
 protected:
  void SetUp() override {
    // Each test has its own HOME: CTest runs this fixture's tests at once, and a .pypirc being
    // rewritten by one of them reads as empty in another.
    home_.write(".pypirc", local_pypirc);
    variables_ = {{"HOME", home_.path().string()}};
  }

  process::EnvironmentLookup environment() const {
    return [variables = variables_](std::string_view name) -> std::optional<std::string> {
      const auto found = variables.find(std::string{name});
      if (found == variables.end()) return std::nullopt;
      return found->second;
    };
  }

  ResolvedRepository resolve(const RepositoryOptions& options) const {
    return resolve_repository(options, environment());
  }

  std::string error_of(const RepositoryOptions& options) const {
    try {
      resolve(options);
    } catch (const ConfigurationError& error) {
      return error.what();
    }
    return "no error";
  }

  test::TempDir home_;
  std::map<std::string, std::string> variables_;
};

TEST_F(pypiRepositoryResolution, NamedSectionGivesUrlAndCredentials) {
  RepositoryOptions options;
  options.repository_name = "local";
  const auto resolved = resolve(options);
  EXPECT_EQ(resolved.name, "local");
  EXPECT_EQ(resolved.url, "http://127.0.0.1:8080/");
  EXPECT_EQ(resolved.username, "alice");
  EXPECT_EQ(resolved.password, "s3cret-local");
  EXPECT_THAT(resolved.password_origin, HasSubstr("[local]"));
  EXPECT_EQ(resolved.ca_cert, "/etc/ssl/local-ca.pem");
  EXPECT_EQ(resolved.client_cert, "/etc/ssl/alice.pem");
}

TEST_F(pypiRepositoryResolution, DefaultsToPypiWithTheTokenUsername) {
  const auto resolved = resolve({});
  EXPECT_EQ(resolved.name, "pypi");
  EXPECT_EQ(resolved.url, "https://upload.pypi.org/legacy/");
  EXPECT_EQ(resolved.username, "__token__");  // twine ignores the section's username for PyPI
  EXPECT_EQ(resolved.password, "pypi-token");
}

TEST_F(pypiRepositoryResolution, TwineRepositoryNamesTheSectionWhenNoOptionDoes) {
  variables_["TWINE_REPOSITORY"] = "local";
  EXPECT_EQ(resolve({}).name, "local");
  RepositoryOptions options;
  options.repository_name = "pypi";
  EXPECT_EQ(resolve(options).name, "pypi");
}

TEST_F(pypiRepositoryResolution, AUrlBeatsAName) {
  variables_["TWINE_PASSWORD"] = "from-env";
  RepositoryOptions options;
  options.repository_name = "local";
  options.repository_url = "http://other.invalid:9000/upload/";
  options.username = "carol";
  const auto resolved = resolve(options);
  EXPECT_EQ(resolved.name, "");
  EXPECT_EQ(resolved.url, "http://other.invalid:9000/upload/");

  RepositoryOptions by_name;
  by_name.repository_name = "local";
  variables_["TWINE_REPOSITORY_URL"] = "http://env.invalid/";
  variables_["TWINE_USERNAME"] = "dave";
  EXPECT_EQ(resolve(by_name).url, "http://env.invalid/");
}

TEST_F(pypiRepositoryResolution, TheUrlOptionBeatsTwineRepositoryUrl) {
  variables_["TWINE_REPOSITORY_URL"] = "http://env.invalid/";
  variables_["TWINE_USERNAME"] = "dave";
  variables_["TWINE_PASSWORD"] = "pw";
  RepositoryOptions options;
  options.repository_url = "http://option.invalid/";
  EXPECT_EQ(resolve(options).url, "http://option.invalid/");
  EXPECT_EQ(resolve({}).url, "http://env.invalid/");
}

TEST_F(pypiRepositoryResolution, UsernameOptionThenVariableThenSection) {
  RepositoryOptions options;
  options.repository_name = "local";
  variables_["TWINE_USERNAME"] = "from-env";
  EXPECT_EQ(resolve(options).username, "from-env");
  options.username = "from-option";
  EXPECT_EQ(resolve(options).username, "from-option");
  EXPECT_EQ(resolve(options).username_origin, "--username");
}

TEST_F(pypiRepositoryResolution, TwinePasswordBeatsTheSection) {
  variables_["TWINE_PASSWORD"] = "from-env";
  RepositoryOptions options;
  options.repository_name = "local";
  EXPECT_EQ(resolve(options).password, "from-env");
  EXPECT_EQ(resolve(options).password_origin, "TWINE_PASSWORD");
}

TEST_F(pypiRepositoryResolution, EmptyVariablesCountAsUnset) {
  variables_["TWINE_REPOSITORY_URL"] = "";
  variables_["TWINE_PASSWORD"] = "";
  RepositoryOptions options;
  options.repository_name = "local";
  EXPECT_EQ(resolve(options).password, "s3cret-local");
}

TEST_F(pypiRepositoryResolution, AMissingNameListsTheKnownOnes) {
  RepositoryOptions options;
  options.repository_name = "unlisted";  // a section, but not in index-servers: twine ignores it
  EXPECT_THAT(error_of(options),
              AllOf(HasSubstr("no repository 'unlisted'"), HasSubstr("local, nopass, pypi")));
}

TEST_F(pypiRepositoryResolution, AMissingPasswordSaysWhatToSet) {
  RepositoryOptions options;
  options.repository_name = "nopass";
  EXPECT_THAT(error_of(options), AllOf(HasSubstr("no password for repository 'nopass'"),
                                       HasSubstr("TWINE_PASSWORD"), HasSubstr(".pypirc")));
}

TEST_F(pypiRepositoryResolution, AUrlReadsNoPypircAndNeedsTwineCredentials) {
  RepositoryOptions options;
  options.repository_url = "http://127.0.0.1:8080/";
  EXPECT_THAT(error_of(options), HasSubstr("no username"));
  options.username = "alice";
  EXPECT_THAT(error_of(options), AllOf(HasSubstr("no password"), HasSubstr("TWINE_PASSWORD")));
  variables_["TWINE_PASSWORD"] = "pw";
  EXPECT_EQ(resolve(options).password, "pw");
}

TEST_F(pypiRepositoryResolution, PypiUrlsDefaultToTheTokenUser) {
  variables_["TWINE_PASSWORD"] = "pypi-abc";
  RepositoryOptions options;
  options.repository_url = "http://test.pypi.org/legacy/";  // twine forces https for PyPI hosts
  const auto resolved = resolve(options);
  EXPECT_EQ(resolved.url, "https://test.pypi.org/legacy/");
  EXPECT_EQ(resolved.username, "__token__");
}

TEST_F(pypiRepositoryResolution, ThePasswordOptionIsRefused) {
  variables_["TWINE_PASSWORD"] = "pw";
  RepositoryOptions options;
  options.repository_name = "local";
  options.password_on_command_line = true;
  EXPECT_THAT(error_of(options), AllOf(HasSubstr("--password is not accepted"),
                                       HasSubstr("TWINE_PASSWORD"), HasSubstr(".pypirc")));
}

TEST_F(pypiRepositoryResolution, APasswordInACommandLineUrlIsRefusedAndNeverEchoed) {
  RepositoryOptions options;
  options.repository_url = "http://alice:hunter2@127.0.0.1:8080/";
  EXPECT_THAT(error_of(options), AllOf(HasSubstr("holds a password"), Not(HasSubstr("hunter2"))));
}

TEST_F(pypiRepositoryResolution, TwineRepositoryUrlMayCarryCredentials) {
  variables_["TWINE_REPOSITORY_URL"] = "http://alice:hunter2@127.0.0.1:8080/simple/";
  const auto resolved = resolve({});
  EXPECT_EQ(resolved.url, "http://127.0.0.1:8080/simple/");
  EXPECT_EQ(resolved.username, "alice");
  EXPECT_EQ(resolved.password, "hunter2");
}

TEST_F(pypiRepositoryResolution, RefusesUrlsThatAreNotHttp) {
  variables_["TWINE_PASSWORD"] = "pw";
  RepositoryOptions options;
  options.username = "u";
  options.repository_url = "ftp://host/";
  EXPECT_THAT(error_of(options), HasSubstr("not http or https"));
  options.repository_url = "http:///path";
  EXPECT_THAT(error_of(options), HasSubstr("no host"));
}

TEST_F(pypiRepositoryResolution, AnExplicitConfigFileMustExistTheDefaultNeedNot) {
  RepositoryOptions options;
  options.config_file = home_.path() / "absent.pypirc";
  EXPECT_THAT(error_of(options), HasSubstr("absent.pypirc"));
  std::filesystem::remove(home_.path() / ".pypirc");
  variables_["TWINE_PASSWORD"] = "pw";
  EXPECT_EQ(resolve({}).url, "https://upload.pypi.org/legacy/");
  RepositoryOptions testpypi;
  testpypi.repository_name = "testpypi";
  EXPECT_EQ(resolve(testpypi).url, "https://test.pypi.org/legacy/");
}

TEST(pypiPipelineRepository, AUrlStandsForRepositoryUrlAndANameForRepository) {
  RepositoryOptions by_url;
  apply_pipeline_repository(by_url, "http://127.0.0.1:8080/");
  EXPECT_EQ(by_url.repository_url, "http://127.0.0.1:8080/");
  EXPECT_FALSE(by_url.repository_name.has_value());
  EXPECT_EQ(by_url.repository_url_origin, "the pipeline's REPOSITORY");

  RepositoryOptions by_name;
  apply_pipeline_repository(by_name, "local");
  EXPECT_EQ(by_name.repository_name, "local");
  EXPECT_FALSE(by_name.repository_url.has_value());

  RepositoryOptions unchanged;
  apply_pipeline_repository(unchanged, "");
  EXPECT_FALSE(unchanged.repository_name || unchanged.repository_url);
}

TEST(pypiPipelineRepository, TheCommandLineWins) {
  RepositoryOptions options;
  options.repository_name = "testpypi";
  apply_pipeline_repository(options, "http://127.0.0.1:8080/");
  EXPECT_EQ(options.repository_name, "testpypi");
  EXPECT_FALSE(options.repository_url.has_value());
}

TEST(pypiPypirc, WithoutAFileHasPypiAndTestpypi) {
  const auto config = parse_pypirc("", "none");
  EXPECT_EQ(config.names(), (std::vector<std::string>{"pypi", "testpypi"}));
  EXPECT_EQ(config.repositories.at("testpypi").url, "https://test.pypi.org/legacy/");
}

TEST(pypiPypirc, ServerLoginGivesDefaultCredentials) {
  const auto config = parse_pypirc(
      "[server-login]\nusername: old\npassword: oldpw\n[distutils]\nindex-servers = a\n"
      "[a]\nrepository = http://a.invalid/\n",
      "f");
  EXPECT_EQ(config.names(), (std::vector<std::string>{"a", "pypi"}));  // no testpypi listed
  EXPECT_EQ(config.repositories.at("a").username, "old");
  EXPECT_EQ(config.repositories.at("a").password, "oldpw");
}

TEST(pypiIniFile, ReadsConfigparsersDialect) {
  const auto ini = IniFile::parse(
      "# comment\n[Section]\nKey = value with = sign\nother: colon\n; more\nmulti =\n  one\n  "
      "two\n",
      "f");
  EXPECT_EQ(ini.get("Section", "key"), "value with = sign");
  EXPECT_EQ(ini.get("Section", "other"), "colon");
  EXPECT_EQ(ini.get("Section", "multi"), "one\ntwo");
  EXPECT_FALSE(ini.get("section", "key").has_value());  // section names keep their case
}

TEST(pypiIniFile, MalformedLinesAreReportedWithoutTheirContent) {
  try {
    IniFile::parse("[a]\npassword = fine\nhunter2-without-delimiter\n", "my.pypirc");
    FAIL() << "no error";
  } catch (const ConfigurationError& error) {
    EXPECT_THAT(error.what(),
                AllOf(HasSubstr("my.pypirc"), HasSubstr("line 3"), Not(HasSubstr("hunter2"))));
  }
  EXPECT_THROW(IniFile::parse("key = before section\n", "f"), ConfigurationError);
  EXPECT_THROW(IniFile::parse("[a]\n[a]\n", "f"), ConfigurationError);
  EXPECT_THROW(IniFile::parse("[a]\nk=1\nk=2\n", "f"), ConfigurationError);
}

}  // namespace
}  // namespace dp::pypi
