#include "stamp/stamp.hpp"

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "stages/stamp/stamp_stage.hpp"
#include "stamp/dynamic_version.hpp"
#include "stamp/file_io.hpp"
#include "stamp/line_diff.hpp"
#include "stamp/pattern.hpp"
#include "stamp/plan.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string error_of(const fs::path& path, std::string_view content,
                     std::string_view version = "2.0") {
  try {
    stamp_content(path, content, version);
  } catch (const StampError& e) {
    return e.what();
  }
  return "(no error)";
}

// --- setup.py --------------------------------------------------------------------------------

TEST(stamp, SetupPyKeepsSingleQuotes) {
  EXPECT_EQ(stamp_content("setup.py", "setup(name='pydemo', version='0.0.1')\n", "0.0.2"),
            "setup(name='pydemo', version='0.0.2')\n");
}

TEST(stamp, SetupPyKeepsDoubleQuotesAndSpacing) {
  const std::string before =
      "from setuptools import setup\n"
      "\n"
      "setup(\n"
      "    name=\"pydemo\",\n"
      "    version = \"0.0.1\",\n"
      "    packages=[\"pydemo\"],\n"
      ")\n";
  const std::string after =
      "from setuptools import setup\n"
      "\n"
      "setup(\n"
      "    name=\"pydemo\",\n"
      "    version = \"1.2.3rc1\",\n"
      "    packages=[\"pydemo\"],\n"
      ")\n";
  EXPECT_EQ(stamp_content("setup.py", before, "1.2.3rc1"), after);
}

TEST(stamp, SetupPyFollowsAVersionConstantDefinedInTheFile) {
  const std::string before = "VERSION = '0.0.1'\nsetup(name='x', version=VERSION)\n";
  EXPECT_EQ(stamp_content("setup.py", before, "0.3"),
            "VERSION = '0.3'\nsetup(name='x', version=VERSION)\n");
}

TEST(stamp, SetupPyStampsDunderVersionToo) {
  const std::string before = "__version__ = \"0.1\"\nsetup(version=__version__)\n";
  EXPECT_EQ(stamp_content("setup.py", before, "0.2"),
            "__version__ = \"0.2\"\nsetup(version=__version__)\n");
}

TEST(stamp, SetupPyLeavesCommentsStringsAndOtherNamesAlone) {
  const std::string before =
      "\"\"\"Install with version='9.9' in mind.\"\"\"\n"
      "# version='8.8'\n"
      "import sys\n"
      "if sys.version_info < (3, 8): raise SystemExit('version=\"7.7\"')\n"
      "options.version = '6.6'\n"
      "setup(python_version='3', version='0.0.1', tag_version = '5.5')  # version='4.4'\n";
  const std::string after =
      "\"\"\"Install with version='9.9' in mind.\"\"\"\n"
      "# version='8.8'\n"
      "import sys\n"
      "if sys.version_info < (3, 8): raise SystemExit('version=\"7.7\"')\n"
      "options.version = '6.6'\n"
      "setup(python_version='3', version='1.0', tag_version = '5.5')  # version='4.4'\n";
  EXPECT_EQ(stamp_content("setup.py", before, "1.0"), after);
}

TEST(stamp, SetupPyRejectsAComputedVersionNamingTheFileAndLine) {
  const auto error = error_of("python/setup.py", "import x\nsetup(version=x.get_version())\n");
  EXPECT_THAT(error, AllOf(HasSubstr("python/setup.py:2:"), HasSubstr("not a string literal"),
                           HasSubstr("x.get_version()")));
}

TEST(stamp, SetupPyRejectsAnExpressionStartingWithALiteral) {
  EXPECT_THAT(error_of("setup.py", "setup(version='1.0' + suffix)\n"),
              HasSubstr("not a string literal"));
  EXPECT_THAT(error_of("setup.py", "setup(version=f'{major}.0')\n"),
              HasSubstr("not a string literal"));
}

TEST(stamp, SetupPyRejectsAFileWithoutVersionNamingIt) {
  EXPECT_EQ(error_of("pkg/setup.py", "from setuptools import setup\nsetup(name='x')\n"),
            "pkg/setup.py: no version field to stamp (expected version = '...' or __version__ = "
            "'...'); if setup.py reads the version from another file, stamp that file instead");
}

// --- other *.py ------------------------------------------------------------------------------

TEST(stamp, ModuleStampsDunderVersion) {
  EXPECT_EQ(
      stamp_content("pydemo/__init__.py", "\"\"\"Demo.\"\"\"\n__version__ = '0.0.1'\n", "0.0.2"),
      "\"\"\"Demo.\"\"\"\n__version__ = '0.0.2'\n");
}

TEST(stamp, ModuleStampsAGeneratedVersionFile) {
  // As setuptools-scm writes _version.py.
  const std::string before =
      "TYPE_CHECKING = False\n"
      "__version__: str\n"
      "version: str\n"
      "__version__ = version = '0.1.dev1+g1a2b3c'\n"
      "__version_tuple__ = version_tuple = (0, 1, 'dev1', 'g1a2b3c')\n";
  const std::string after =
      "TYPE_CHECKING = False\n"
      "__version__: str\n"
      "version: str\n"
      "__version__ = version = '0.2'\n"
      "__version_tuple__ = version_tuple = (0, 1, 'dev1', 'g1a2b3c')\n";
  EXPECT_EQ(stamp_content("src/pydemo/_version.py", before, "0.2"), after);
}

TEST(stamp, ModuleStampsAnAnnotatedAssignment) {
  EXPECT_EQ(stamp_content("_version.py", "__version__: Final[str] = \"1\"\n", "2"),
            "__version__: Final[str] = \"2\"\n");
}

TEST(stamp, ModuleDoesNotTakeAPlainVersionName) {
  EXPECT_THAT(error_of("pydemo/__init__.py", "version = '1.0'\n"),
              HasSubstr("pydemo/__init__.py: no version field to stamp (expected __version__"));
}

TEST(stamp, ModuleRejectsAnImportedVersion) {
  EXPECT_THAT(error_of("pydemo/__init__.py",
                       "from importlib.metadata import version\n"
                       "__version__ = version('pydemo')\n"),
              AllOf(HasSubstr("pydemo/__init__.py:2:"), HasSubstr("not a string literal")));
}

// --- setup.cfg -------------------------------------------------------------------------------

TEST(stamp, SetupCfgStampsTheMetadataSection) {
  const std::string before =
      "[metadata]\n"
      "name = pydemo\n"
      "version = 0.0.1\n"
      "\n"
      "[options]\n"
      "packages = find:\n";
  const std::string after =
      "[metadata]\n"
      "name = pydemo\n"
      "version = 0.0.2.post1\n"
      "\n"
      "[options]\n"
      "packages = find:\n";
  EXPECT_EQ(stamp_content("setup.cfg", before, "0.0.2.post1"), after);
}

TEST(stamp, SetupCfgIgnoresVersionInOtherSections) {
  const std::string before =
      "[bumpversion]\n"
      "version = 0.0.1\n"
      "[metadata]  # what PyPI shows\n"
      "Version:0.0.1   # the release\n"
      "[tool:pytest]\n"
      "version = 0.0.1\n";
  const std::string after =
      "[bumpversion]\n"
      "version = 0.0.1\n"
      "[metadata]  # what PyPI shows\n"
      "Version:3.0   # the release\n"
      "[tool:pytest]\n"
      "version = 0.0.1\n";
  EXPECT_EQ(stamp_content("setup.cfg", before, "3.0"), after);
}

TEST(stamp, SetupCfgIgnoresCommentsAndContinuationLines) {
  const std::string before =
      "[metadata]\n"
      "# version = 9\n"
      "description =\n"
      "  version = 8\n"
      "version = 1\n";
  const std::string after =
      "[metadata]\n"
      "# version = 9\n"
      "description =\n"
      "  version = 8\n"
      "version = 2\n";
  EXPECT_EQ(stamp_content("setup.cfg", before, "2"), after);
}

TEST(stamp, SetupCfgRejectsOnlyANonMetadataVersion) {
  EXPECT_EQ(error_of("setup.cfg", "[options]\nversion = 1\n"),
            "setup.cfg: no version field to stamp (expected 'version = ...' in the [metadata] "
            "section)");
}

TEST(stamp, SetupCfgRejectsAnAttrDirectivePointingAtTheSource) {
  EXPECT_EQ(error_of("setup.cfg", "[metadata]\nversion = attr: pydemo.__version__\n"),
            "setup.cfg:2: [metadata] version is read from 'attr: pydemo.__version__'; stamp that "
            "file instead");
}

// --- pyproject.toml --------------------------------------------------------------------------

TEST(stamp, PyprojectStampsTheProjectTable) {
  const std::string before =
      "[build-system]\n"
      "requires = [\"setuptools>=61\"]\n"
      "\n"
      "[project]\n"
      "name = \"pydemo\"\n"
      "version = \"0.0.1\"  # bumped by the release\n"
      "dependencies = []\n";
  const std::string after =
      "[build-system]\n"
      "requires = [\"setuptools>=61\"]\n"
      "\n"
      "[project]\n"
      "name = \"pydemo\"\n"
      "version = \"1.0b1\"  # bumped by the release\n"
      "dependencies = []\n";
  EXPECT_EQ(stamp_content("pyproject.toml", before, "1.0b1"), after);
}

TEST(stamp, PyprojectKeepsLiteralStringQuotes) {
  EXPECT_EQ(stamp_content("pyproject.toml", "[project]\nname='x'\nversion   =   '1'\n", "2"),
            "[project]\nname='x'\nversion   =   '2'\n");
}

TEST(stamp, PyprojectStampsPoetry) {
  EXPECT_EQ(stamp_content("pyproject.toml", "[tool.poetry]\nname = \"x\"\nversion = \"0.1.0\"\n",
                          "0.2.0"),
            "[tool.poetry]\nname = \"x\"\nversion = \"0.2.0\"\n");
}

TEST(stamp, PyprojectLeavesVersionKeysOfOtherTablesAlone) {
  const std::string before =
      "[tool.bumpversion]\n"
      "version = \"0.0.1\"\n"
      "[project]\n"
      "name = \"x\"\n"
      "optional-dependencies = { docs = [\"sphinx\"] }\n"
      "version = \"0.0.1\"\n"
      "[project.urls]\n"
      "version = \"https://example.invalid/0.0.1\"\n"
      "[tool.other.project]\n"
      "version = \"0.0.1\"\n";
  const std::string after =
      "[tool.bumpversion]\n"
      "version = \"0.0.1\"\n"
      "[project]\n"
      "name = \"x\"\n"
      "optional-dependencies = { docs = [\"sphinx\"] }\n"
      "version = \"5\"\n"
      "[project.urls]\n"
      "version = \"https://example.invalid/0.0.1\"\n"
      "[tool.other.project]\n"
      "version = \"0.0.1\"\n";
  EXPECT_EQ(stamp_content("pyproject.toml", before, "5"), after);
}

TEST(stamp, PyprojectFindsDottedKeysAndInlineTables) {
  EXPECT_EQ(stamp_content("pyproject.toml", "project.name = \"x\"\nproject.version = \"1\"\n", "2"),
            "project.name = \"x\"\nproject.version = \"2\"\n");
  EXPECT_EQ(stamp_content("pyproject.toml",
                          "project = { name = \"naïve-ünïcode\", version = \"1\" }\n", "2"),
            "project = { name = \"naïve-ünïcode\", version = \"2\" }\n");
}

TEST(stamp, PyprojectStampsBothProjectAndPoetryWhenBothHaveOne) {
  EXPECT_EQ(stamp_content("pyproject.toml",
                          "[tool.poetry]\nversion = \"1\"\n[project]\nversion = \"1\"\n", "2"),
            "[tool.poetry]\nversion = \"2\"\n[project]\nversion = \"2\"\n");
}

TEST(stamp, PyprojectKeepsAByteOrderMark) {
  EXPECT_EQ(stamp_content("pyproject.toml", "\xEF\xBB\xBFproject.version = \"1\"\n", "2"),
            "\xEF\xBB\xBFproject.version = \"2\"\n");
}

TEST(stamp, PyprojectRejectsADynamicVersionSayingWhatToStampInstead) {
  const std::string content =
      "[project]\n"
      "name = \"pydemo\"\n"
      "dynamic = [\"version\"]\n"
      "[tool.setuptools.dynamic]\n"
      "version = {attr = \"pydemo.__version__\"}\n";
  EXPECT_EQ(error_of("py/pyproject.toml", content),
            "py/pyproject.toml: [project] declares the version dynamic and has none to stamp; "
            "stamp the file it is read from instead (setuptools reads it from attr "
            "'pydemo.__version__')");
}

TEST(stamp, PyprojectRejectsAMissingVersion) {
  EXPECT_THAT(error_of("pyproject.toml", "[project]\nname = \"x\"\n[tool.x]\nversion = \"1\"\n"),
              HasSubstr("pyproject.toml: no version field to stamp"));
}

TEST(stamp, PyprojectRejectsANonStringVersion) {
  EXPECT_EQ(error_of("pyproject.toml", "[project]\nversion = 1\n"),
            "pyproject.toml:2: [project] version is not a string");
}

TEST(stamp, PyprojectRejectsInvalidToml) {
  EXPECT_THAT(error_of("pyproject.toml", "[project\nversion = \"1\"\n"),
              HasSubstr("pyproject.toml:1:"));
}

// --- every kind ------------------------------------------------------------------------------

struct KindCase {
  std::string file;
  std::string content;  // with LF line endings and version 0.0.1
};

const std::vector<KindCase> kKinds = {
    {"setup.py", "setup(\n    name='x',\n    version='0.0.1',\n)\n"},
    {"setup.cfg", "[metadata]\nname = x\nversion = 0.0.1\n"},
    {"pyproject.toml", "[project]\nname = \"x\"\nversion = \"0.0.1\"\n"},
    {"__init__.py", "__version__ = \"0.0.1\"\n"},
};

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

class StampKindTest : public ::testing::TestWithParam<KindCase> {};

TEST_P(StampKindTest, ChangesOnlyTheValue) {
  const auto& [file, content] = GetParam();
  EXPECT_EQ(stamp_content(file, content, "1.0+g1a2b"), replace_all(content, "0.0.1", "1.0+g1a2b"));
}

TEST_P(StampKindTest, IsIdempotent) {
  const auto& [file, content] = GetParam();
  const auto once = stamp_content(file, content, "2.0");
  EXPECT_EQ(stamp_content(file, once, "2.0"), once);
}

TEST_P(StampKindTest, KeepsCrlfLineEndings) {
  const auto& [file, content] = GetParam();
  const auto crlf = replace_all(content, "\n", "\r\n");
  EXPECT_EQ(stamp_content(file, crlf, "2.0"), replace_all(crlf, "0.0.1", "2.0"));
}

TEST_P(StampKindTest, WorksWithoutFinalNewline) {
  const auto& [file, content] = GetParam();
  const auto unterminated = content.substr(0, content.size() - 1);
  EXPECT_EQ(stamp_content(file, unterminated, "2.0"), replace_all(unterminated, "0.0.1", "2.0"));
}

TEST_P(StampKindTest, RejectsAnEmptyFileNamingIt) {
  const auto& file = GetParam().file;
  EXPECT_THAT(error_of("dir/" + file, ""), HasSubstr("dir/" + file + ": no version field"));
}

TEST_P(StampKindTest, RejectsTextThatIsNoVersion) {
  const auto& [file, content] = GetParam();
  EXPECT_THAT(error_of(file, content, "1.0\"; import os"), HasSubstr("not a version"));
  EXPECT_THAT(error_of(file, content, ""), HasSubstr("not a version"));
}

INSTANTIATE_TEST_SUITE_P(stamp, StampKindTest, ::testing::ValuesIn(kKinds), [](const auto& info) {
  auto name = info.param.file;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
});

TEST(stamp, ContentRejectsUnknownKindsOfFile) {
  EXPECT_EQ(error_of("docs/conf.txt", "version = '1'\n"),
            "docs/conf.txt: don't know how to stamp this kind of file (expected setup.py, "
            "setup.cfg, pyproject.toml, PKG-INFO, Cargo.toml or a *.py file with __version__)");
  EXPECT_THAT(error_of("package.json", "{\"version\": \"1\"}"), HasSubstr("don't know"));
}

// --- files -----------------------------------------------------------------------------------

using dp::test::TempDir;

ino_t inode_of(const fs::path& path) {
  struct stat status {};
  ::stat(path.c_str(), &status);
  return status.st_ino;
}

TEST(stamp, FileRewritesTheFileAndKeepsItsMode) {
  const TempDir dir;
  const auto mode = fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read;
  const auto path = dir.write("setup.py", "setup(version='0.0.1')\n");
  fs::permissions(path, mode);
  EXPECT_TRUE(stamp_file(path, "0.0.2"));
  EXPECT_EQ(read_file(path), "setup(version='0.0.2')\n");
  EXPECT_EQ(fs::status(path).permissions(), mode);
}

TEST(stamp, FileReplacesTheFileThroughARename) {
  const TempDir dir;
  const auto path = dir.write("pkg/__init__.py", "__version__ = '1'\n");
  const auto inode = inode_of(path);
  ASSERT_TRUE(stamp_file(path, "2"));
  EXPECT_NE(inode_of(path), inode);  // a new file took its place: never half-written
  EXPECT_EQ(dir.entries(), 1u);      // no temporary file left behind
}

TEST(stamp, FileLeavesAnUpToDateFileUntouched) {
  const TempDir dir;
  const auto path = dir.write("setup.cfg", "[metadata]\nversion = 2\n");
  const auto inode = inode_of(path);
  EXPECT_FALSE(stamp_file(path, "2"));
  EXPECT_EQ(inode_of(path), inode);
}

TEST(stamp, FileLeavesTheFileAloneOnError) {
  const TempDir dir;
  const auto path = dir.write("pyproject.toml", "[project]\nname = \"x\"\n");
  EXPECT_THROW(stamp_file(path, "2"), StampError);
  EXPECT_EQ(read_file(path), "[project]\nname = \"x\"\n");
  EXPECT_EQ(dir.entries(), 1u);
}

TEST(stamp, FileFollowsASymlinkAndKeepsIt) {
  const TempDir dir;
  const auto target = dir.write("real/__init__.py", "__version__ = '1'\n");
  const auto link = dir.path() / "_version.py";
  fs::create_symlink(target, link);
  EXPECT_TRUE(stamp_file(link, "2"));
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read_file(target), "__version__ = '2'\n");
}

TEST(stamp, FileNamesAMissingFile) {
  const TempDir dir;
  const auto path = dir.path() / "setup.py";
  try {
    stamp_file(path, "1");
    FAIL() << "no error";
  } catch (const StampError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("cannot read " + path.string()),
                                HasSubstr("No such file or directory")));
  }
}

TEST(stamp, WriteNamesAMissingFile) {
  const TempDir dir;
  EXPECT_THAT([&] { write_file_atomically(dir.path() / "gone.py", "x"); },
              ::testing::ThrowsMessage<StampError>(
                  HasSubstr("cannot write " + (dir.path() / "gone.py").string())));
}

// A write that fails half-way (here: a file size limit, which holds for root too) leaves the
// original untouched and no temporary file behind.
TEST(stamp, FailedWriteLeavesTheFileAndNoTemporary) {
  const TempDir dir;
  const auto path = dir.write("setup.py", "setup(version='1')\n");
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto scenario = [&] {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4, 4};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    bool threw = false;
    try {
      stamp_file(path, "2");
    } catch (const StampError&) {
      threw = true;
    }
    std::_Exit(threw ? 0 : 1);
  };
  EXPECT_EXIT(scenario(), ::testing::ExitedWithCode(0), "");
  EXPECT_EQ(read_file(path), "setup(version='1')\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

// --- line_diff -------------------------------------------------------------------------------

TEST(stamp, LineDiffShowsEachChangedLine) {
  const std::string before = "a\r\nversion='1'\r\nb\r\nc\r\n__version__='1'\r\n";
  const std::string after = "a\r\nversion='2'\r\nb\r\nc\r\n__version__='2'\r\n";
  EXPECT_EQ(line_diff("setup.py", before, after),
            "--- setup.py\n+++ setup.py\n"
            "@@ -2 +2 @@\n-version='1'\n+version='2'\n"
            "@@ -5 +5 @@\n-__version__='1'\n+__version__='2'\n");
}

TEST(stamp, LineDiffIsEmptyWithoutChange) {
  EXPECT_EQ(line_diff("x", "a\nb\n", "a\nb\n"), "");
}

TEST(stamp, LineDiffGroupsLinesWhenTheirCountChanges) {
  EXPECT_EQ(line_diff("f", "a\nb\nc\nd\n", "a\nB1\nB2\nd\n"),
            "--- f\n+++ f\n@@ -2,2 +2,2 @@\n-b\n-c\n+B1\n+B2\n");
  EXPECT_EQ(line_diff("f", "a\nb\nd\n", "a\nB1\nB2\nd\n"),
            "--- f\n+++ f\n@@ -2 +2,2 @@\n-b\n+B1\n+B2\n");
}

// --- plan_stamp: dynamic versions --------------------------------------------------------------

// A project in memory: path -> content.
using Files = std::map<fs::path, std::string>;

FileReader reader_of(const Files& files) {
  return [&files](const fs::path& path) -> std::optional<std::string> {
    const auto found = files.find(path);
    if (found == files.end()) return std::nullopt;
    return found->second;
  };
}

std::vector<FileEdit> plan(const Files& files, std::vector<fs::path> given,
                           std::string_view version = "2.0",
                           std::optional<std::string> pattern = std::nullopt) {
  return plan_stamp(given, {std::string{version}, std::move(pattern), std::nullopt, std::nullopt},
                    reader_of(files))
      .edits;
}

std::string plan_error(const Files& files, std::vector<fs::path> given,
                       std::optional<std::string> pattern = std::nullopt) {
  try {
    plan(files, std::move(given), "2.0", std::move(pattern));
  } catch (const StampError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string dynamic_pyproject(std::string_view backend, std::string_view tool) {
  return fmt::format(
      "[build-system]\nbuild-backend = \"{}\"\n[project]\nname = \"py-demo\"\n"
      "dynamic = [\"version\"]\n{}",
      backend, tool);
}

const std::string kAttr =
    dynamic_pyproject("setuptools.build_meta",
                      "[tool.setuptools.dynamic]\nversion = {attr = \"pydemo.__version__\"}\n");

TEST(stamp, PlanStampsTheGivenFiles) {
  const Files files{{"setup.py", "setup(version='1')\n"},
                    {"setup.cfg", "[metadata]\nversion=2.0\n"}};
  const auto edits = plan(files, {"./setup.py", "setup.cfg"});
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].path, "setup.py");
  EXPECT_EQ(edits[0].requested, "setup.py");
  EXPECT_EQ(edits[0].before, "setup(version='1')\n");
  EXPECT_EQ(edits[0].after, "setup(version='2.0')\n");
  EXPECT_TRUE(edits[0].changes());
  EXPECT_FALSE(edits[1].changes());  // already at the version: an edit that changes nothing
}

TEST(stamp, PlanStampsADynamicVersionThroughTheModuleItIsReadFrom) {
  const Files files{{"py/pyproject.toml", kAttr}, {"py/pydemo/__init__.py", "__version__ = '1'\n"}};
  const auto edits = plan(files, {"py/pyproject.toml"});
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].path, "py/pydemo/__init__.py");
  EXPECT_EQ(edits[0].requested, "py/pyproject.toml");
  EXPECT_EQ(edits[0].after, "__version__ = '2.0'\n");
}

TEST(stamp, PlanPrefersAModuleFileAsSetuptoolsDoes) {
  const Files files{{"pyproject.toml", kAttr},
                    {"pydemo.py", "__version__ = '1'\n"},
                    {"src/pydemo/__init__.py", "__version__ = '1'\n"}};
  EXPECT_EQ(plan(files, {"pyproject.toml"}).at(0).path, "pydemo.py");
}

TEST(stamp, PlanFollowsACustomPackageDir) {
  const auto pyproject =
      dynamic_pyproject("setuptools.build_meta",
                        "[tool.setuptools]\npackage-dir = {pydemo = \"lib/demo\"}\n"
                        "[tool.setuptools.dynamic]\nversion = {attr = \"pydemo.meta.VERSION\"}\n");
  const Files files{{"pyproject.toml", pyproject}, {"lib/demo/meta.py", "VERSION = '1'\n"}};
  EXPECT_EQ(plan(files, {"pyproject.toml"}).at(0).after, "VERSION = '2.0'\n");
}

TEST(stamp, PlanStampsAPyprojectOnceWithTheFileItReads) {
  const Files files{{"pyproject.toml", kAttr}, {"pydemo/__init__.py", "__version__ = '1'\n"}};
  const auto edits = plan(files, {"pyproject.toml", "pydemo/__init__.py"});
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].before, "__version__ = '1'\n");
  EXPECT_EQ(edits[0].after, "__version__ = '2.0'\n");
}

TEST(stamp, PlanStampsAPoetryVersionEvenWhenProjectDeclaresItDynamic) {
  // Poetry 2 reads [tool.poetry] version when [project] leaves it dynamic.
  const Files files{{"pyproject.toml",
                     "[project]\nname = \"x\"\ndynamic = [\"version\"]\n[tool.poetry]\nversion = "
                     "\"1\"\n"}};
  const auto edits = plan(files, {"pyproject.toml"});
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_THAT(edits[0].after, HasSubstr("version = \"2.0\""));
}

TEST(stamp, PlanNamesTheFilesAModuleWasLookedForIn) {
  EXPECT_EQ(
      plan_error({{"py/pyproject.toml", kAttr}}, {"py/pyproject.toml"}),
      "py/pyproject.toml: the version is dynamic ([tool.setuptools.dynamic] version = {attr = "
      "\"pydemo.__version__\"}), and neither py/pydemo.py, py/pydemo/__init__.py, "
      "py/src/pydemo.py nor py/src/pydemo/__init__.py exists; stamp the file that defines "
      "pydemo.__version__");
}

TEST(stamp, PlanNamesThePyprojectWhenTheModuleHasNoLiteral) {
  const Files files{{"pyproject.toml", kAttr},
                    {"pydemo/__init__.py", "from importlib.metadata import version\n"}};
  EXPECT_EQ(plan_error(files, {"pyproject.toml"}),
            "pyproject.toml: the version is dynamic ([tool.setuptools.dynamic] version = {attr = "
            "\"pydemo.__version__\"}), and pydemo/__init__.py: no version field to stamp "
            "(expected __version__ = '...')");
  const Files imported{{"pyproject.toml", kAttr},
                       {"pydemo/__init__.py", "from ._version import __version__\n"}};
  EXPECT_EQ(plan_error(imported, {"pyproject.toml"}),
            "pyproject.toml: the version is dynamic ([tool.setuptools.dynamic] version = {attr = "
            "\"pydemo.__version__\"}), and pydemo/__init__.py: takes __version__ from ._version, "
            "and neither pydemo/_version.py nor pydemo/_version/__init__.py exists; stamp the file "
            "that defines it");
}

TEST(stamp, PlanStampsAVersionFileKeepingItsNewline) {
  const Files files{
      {"pyproject.toml", dynamic_pyproject("setuptools.build_meta",
                                           "[tool.setuptools.dynamic]\nversion = {file = "
                                           "[\"VERSION\"]}\n")},
      {"VERSION", "1.0\r\n"}};
  EXPECT_EQ(plan(files, {"pyproject.toml"}).at(0).after, "2.0\r\n");
}

TEST(stamp, PlanRejectsAVersionFileHoldingMore) {
  const auto pyproject = dynamic_pyproject("setuptools.build_meta",
                                           "[tool.setuptools.dynamic]\nversion = {file = \"V\"}\n");
  EXPECT_EQ(plan_error({{"pyproject.toml", pyproject}, {"V", "version 1.0\n"}}, {"pyproject.toml"}),
            "pyproject.toml: the version is dynamic ([tool.setuptools.dynamic] version = {file = "
            "\"V\"}), and V: holds more than a version; a version file holds the version and "
            "nothing else (or stamp it with --pattern)");
  EXPECT_THAT(plan_error({{"pyproject.toml", pyproject}, {"V", "\n"}}, {"pyproject.toml"}),
              HasSubstr("V: no version field to stamp"));
  EXPECT_THAT(plan_error({{"pyproject.toml", pyproject}}, {"pyproject.toml"}),
              HasSubstr("and V does not exist; create V"));
}

TEST(stamp, PlanRejectsSeveralVersionFiles) {
  const auto pyproject = dynamic_pyproject(
      "setuptools.build_meta", "[tool.setuptools.dynamic]\nversion = {file = [\"A\", \"B\"]}\n");
  EXPECT_THAT(
      plan_error({{"pyproject.toml", pyproject}}, {"pyproject.toml"}),
      AllOf(HasSubstr("pyproject.toml: the version is dynamic"), HasSubstr("several files")));
}

TEST(stamp, PlanRejectsASetuptoolsVersionWithoutSource) {
  const auto pyproject = dynamic_pyproject("setuptools.build_meta",
                                           "[tool.setuptools.dynamic]\nversion = {x = \"V\"}\n");
  EXPECT_EQ(plan_error({{"pyproject.toml", pyproject}}, {"pyproject.toml"}),
            "pyproject.toml: the version is dynamic ([tool.setuptools.dynamic] version): neither "
            "attr nor file says where it is read from; stamp that file instead");
}

TEST(stamp, PlanFollowsHatchSources) {
  const auto regex =
      dynamic_pyproject("hatchling.build", "[tool.hatch.version]\npath = \"v.py\"\n");
  EXPECT_EQ(plan({{"pyproject.toml", regex}, {"v.py", "VERSION = \"1\"\n"}}, {"pyproject.toml"})
                .at(0)
                .after,
            "VERSION = \"2.0\"\n");
  const auto code = dynamic_pyproject(
      "hatchling.build",
      "[tool.hatch.version]\nsource = \"code\"\npath = \"v.py\"\nexpression = \"RELEASE\"\n");
  EXPECT_EQ(plan({{"pyproject.toml", code}, {"v.py", "RELEASE = \"1\"\n"}}, {"pyproject.toml"})
                .at(0)
                .after,
            "RELEASE = \"2.0\"\n");
}

TEST(stamp, PlanSaysWhatToDoWhenNoFileHoldsTheVersion) {
  const auto vcs = dynamic_pyproject("hatchling.build", "[tool.hatch.version]\nsource = \"vcs\"\n");
  EXPECT_EQ(plan_error({{"pyproject.toml", vcs}}, {"pyproject.toml"}),
            "pyproject.toml: the version is dynamic ([tool.hatch.version] source = \"vcs\"): "
            "hatch-vcs derives it from git when it builds, and no file holds it; set "
            "SETUPTOOLS_SCM_PRETEND_VERSION=2.0 in the environment of the build instead (in a "
            "pipeline, declare ARG SETUPTOOLS_SCM_PRETEND_VERSION in the Dockerfile: the pipeline "
            "passes the version in it)");
  const auto scm = dynamic_pyproject("setuptools.build_meta", "[tool.setuptools_scm]\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", scm}}, {"pyproject.toml"}),
              HasSubstr("SETUPTOOLS_SCM_PRETEND_VERSION"));
  const auto pdm = dynamic_pyproject("pdm.backend", "[tool.pdm.version]\nsource = \"scm\"\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", pdm}}, {"pyproject.toml"}),
              HasSubstr("pdm-backend derives it from git when it builds, and no file holds it; "
                        "set PDM_BUILD_SCM_VERSION=2.0 in the environment of the build"));
  // setuptools-scm named only as a requirement of a setuptools build.
  const auto required = fmt::format(
      "[build-system]\nrequires = [\"setuptools>=64\", \"setuptools_scm[toml]>=8\"]\n"
      "build-backend = \"setuptools.build_meta\"\n[project]\nname = \"x\"\n"
      "dynamic = [\"version\"]\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", required}}, {"pyproject.toml"}),
              HasSubstr("(setuptools-scm in [build-system] requires): setuptools-scm derives it"));
  const auto skbuild = dynamic_pyproject("scikit_build_core.build",
                                         "[tool.scikit-build]\nmetadata.version.provider = "
                                         "\"scikit_build_core.metadata.setuptools_scm\"\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", skbuild}}, {"pyproject.toml"}),
              HasSubstr("setuptools-scm (through scikit-build-core) derives it from git"));
  const auto custom = dynamic_pyproject(
      "hatchling.build",
      "[tool.hatch.version]\npath = \"v.txt\"\npattern = \"v: (?P<version>.+)\"\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", custom}}, {"pyproject.toml"}),
              HasSubstr("it has its own pattern; stamp v.txt with --pattern"));
  EXPECT_EQ(plan_error({{"pyproject.toml", dynamic_pyproject("setuptools.build_meta", "")}},
                       {"pyproject.toml"}),
            "pyproject.toml: [project] declares the version dynamic, and no table of its build "
            "backend (setuptools) says which file holds it; stamp that file instead (or give it "
            "with --pattern)");
}

TEST(stamp, PlanDoesNotStampTheFileSetuptoolsScmWrites) {
  // setuptools-scm rewrites its version file from git as it builds: stamping it does nothing.
  const auto scm = dynamic_pyproject("setuptools.build_meta",
                                     "[tool.setuptools_scm]\nversion_file = \"pkg/_version.py\"\n");
  const Files files{{"pyproject.toml", scm}, {"pkg/_version.py", "__version__ = '1'\n"}};
  EXPECT_THAT(plan_error(files, {"pyproject.toml"}),
              HasSubstr("pyproject.toml: the version is dynamic ([tool.setuptools_scm]): "
                        "setuptools-scm derives it from git when it builds"));
  EXPECT_EQ(
      plan_error(files, {"pkg/_version.py"}),
      "pkg/_version.py: setuptools-scm writes this file when it builds ([tool.setuptools_scm] "
      "version_file = \"pkg/_version.py\" in pyproject.toml), so a version stamped here is "
      "overwritten; drop it from the files to stamp: set SETUPTOOLS_SCM_PRETEND_VERSION=2.0 "
      "in the environment of the build instead");
}

TEST(stamp, PlanFindsFlitModules) {
  const auto flit = dynamic_pyproject("flit_core.buildapi", "");
  EXPECT_EQ(plan({{"pyproject.toml", flit}, {"src/py_demo/__init__.py", "__version__ = '1'\n"}},
                 {"pyproject.toml"})
                .at(0)
                .path,
            "src/py_demo/__init__.py");
  EXPECT_THAT(plan_error({{"pyproject.toml", flit}}, {"pyproject.toml"}),
              HasSubstr("(flit_core reads __version__ of module py_demo), and neither "
                        "py_demo/__init__.py, py_demo.py, src/py_demo/__init__.py nor "
                        "src/py_demo.py exists"));
}

TEST(stamp, PlanFindsNoDynamicVersionWhereThereIsNone) {
  EXPECT_FALSE(find_dynamic_version("pyproject.toml", "[project]\nversion = \"1\"\n"));
  EXPECT_FALSE(find_dynamic_version("pyproject.toml", "[project]\nname = \"x\"\n"));
  EXPECT_FALSE(find_dynamic_version("pyproject.toml", "[project\n"));
}

TEST(stamp, PlanNamesAMissingFile) {
  EXPECT_EQ(plan_error({}, {"dir/setup.py"}), "dir/setup.py: no such file to stamp");
}

TEST(stamp, PlanNamesTheSettingWhenTheReaderRefusesItsFile) {
  const FileReader refusing = [](const fs::path& path) -> std::optional<std::string> {
    if (path == "pyproject.toml") return kAttr;
    if (path == "PKG-INFO" || path == "setup.py" || path == "setup.cfg") return std::nullopt;
    throw std::runtime_error("outside the context: " + path.string());
  };
  EXPECT_THAT(
      [&] {
        plan_stamp({"pyproject.toml"}, {"2.0", std::nullopt, std::nullopt, std::nullopt}, refusing);
      },
      ::testing::ThrowsMessage<StampError>(
          AllOf(HasSubstr("pyproject.toml: the version is dynamic ([tool.setuptools"),
                HasSubstr("outside the context: pydemo.py"))));
}

// --- plan_stamp: unpacked sdists, versions from git, generated files ---------------------------

const std::string kPkgInfo = "Metadata-Version: 2.4\nName: py-demo\nVersion: 1.0\n\nVersion: 1.0\n";

StampPlan full_plan(const Files& files, std::vector<fs::path> given,
                    std::optional<std::set<std::string>> build_variables = std::nullopt) {
  return plan_stamp(given, {"2.0", std::nullopt, std::nullopt, std::move(build_variables)},
                    reader_of(files));
}

std::string full_plan_error(const Files& files, std::vector<fs::path> given,
                            std::optional<std::set<std::string>> build_variables = std::nullopt) {
  try {
    full_plan(files, std::move(given), std::move(build_variables));
  } catch (const StampError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(stamp, PkgInfoStampsTheVersionHeaderOnly) {
  EXPECT_EQ(stamp_content("PKG-INFO", kPkgInfo, "2.0"),
            "Metadata-Version: 2.4\nName: py-demo\nVersion: 2.0\n\nVersion: 1.0\n");
  EXPECT_EQ(stamp_content("PKG-INFO", "Name: x\r\nversion:\t1.0 \r\n", "2"),
            "Name: x\r\nversion:\t2 \r\n");
  EXPECT_THAT(error_of("sdist/PKG-INFO", "Metadata-Version: 2.1\nName: x\n\nVersion: 1\n"),
              HasSubstr("sdist/PKG-INFO: no version field to stamp (expected a Version: header"));
}

TEST(stamp, PlanStampsThePkgInfoOfAnUnpackedSdist) {
  const auto hatch =
      dynamic_pyproject("hatchling.build", "[tool.hatch.version]\npath = \"v.py\"\n");
  const Files files{{"sdist/pyproject.toml", hatch},
                    {"sdist/v.py", "__version__ = '1.0'\n"},
                    {"sdist/PKG-INFO", kPkgInfo}};
  const auto edits = plan(files, {"sdist/pyproject.toml"});
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].path, "sdist/v.py");
  EXPECT_EQ(edits[0].read_by, "hatchling");
  EXPECT_EQ(edits[0].old_version, "1.0");
  EXPECT_EQ(edits[0].new_version, "2.0");
  EXPECT_EQ(edits[1].path, "sdist/PKG-INFO");
  EXPECT_EQ(edits[1].requested, "sdist/pyproject.toml");
  EXPECT_EQ(edits[1].read_by,
            "hatchling, which takes a dynamic version from it in an unpacked sdist");
  EXPECT_EQ(edits[1].after, "Metadata-Version: 2.4\nName: py-demo\nVersion: 2.0\n\nVersion: 1.0\n");
  EXPECT_EQ(reader_note(edits[1]),
            "(read by hatchling, which takes a dynamic version from it in an unpacked sdist, the "
            "version of sdist/pyproject.toml)");

  // A module named on its own belongs to the same project: its PKG-INFO is stamped too.
  const auto module = plan(files, {"sdist/v.py"});
  ASSERT_EQ(module.size(), 2u);
  EXPECT_EQ(module[0].read_by, "hatchling");  // the file [tool.hatch.version] names
  EXPECT_EQ(module[1].path, "sdist/PKG-INFO");

  const Files setup_py{{"setup.py", "setup(version='1.0')\n"},
                       {"pkg/__init__.py", "__version__ = '1.0'\n"},
                       {"PKG-INFO", kPkgInfo}};
  const auto legacy = plan(setup_py, {"setup.py", "pkg/__init__.py"});
  ASSERT_EQ(legacy.size(), 3u);
  EXPECT_EQ(legacy[0].read_by, "setuptools");
  EXPECT_EQ(legacy[1].path, "PKG-INFO");
  EXPECT_EQ(legacy[1].read_by, "tools reading the unpacked sdist; setuptools writes a new one");
  EXPECT_EQ(legacy[2].read_by, "the package at run time, not the build backend");
}

TEST(stamp, PlanStampsTheOwnPkgInfoOfEachProjectOnly) {
  const Files files{{"a/pyproject.toml", "[project]\nname = \"a\"\nversion = \"1\"\n"},
                    {"a/PKG-INFO", kPkgInfo},
                    {"b/pyproject.toml", "[project]\nname = \"b\"\nversion = \"1\"\n"},
                    {"PKG-INFO", kPkgInfo}};
  const auto edits = plan(files, {"a/pyproject.toml", "b/pyproject.toml"});
  ASSERT_EQ(edits.size(), 3u);
  EXPECT_EQ(edits[1].path, "a/PKG-INFO");
  EXPECT_EQ(edits[2].path, "b/pyproject.toml");
}

TEST(stamp, PlanStampsTheVersionFromGitOfAnUnpackedSdistInItsPkgInfo) {
  const auto vcs = dynamic_pyproject("hatchling.build", "[tool.hatch.version]\nsource = \"vcs\"\n");
  const auto edits = plan({{"pyproject.toml", vcs}, {"PKG-INFO", kPkgInfo}}, {"pyproject.toml"});
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].path, "PKG-INFO");
  EXPECT_THAT(edits[0].read_by, HasSubstr("hatchling"));

  // pdm-backend does not read PKG-INFO: the variable is still needed, and PKG-INFO is stamped.
  const auto pdm = dynamic_pyproject("pdm.backend", "[tool.pdm.version]\nsource = \"scm\"\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", pdm}, {"PKG-INFO", kPkgInfo}}, {"pyproject.toml"}),
              HasSubstr("set PDM_BUILD_SCM_VERSION=2.0 in the environment of the build"));
  const auto with_variable =
      full_plan({{"pyproject.toml", pdm}, {"PKG-INFO", kPkgInfo}}, {"pyproject.toml"},
                std::set<std::string>{"PDM_BUILD_SCM_VERSION"});
  ASSERT_EQ(with_variable.edits.size(), 1u);
  EXPECT_EQ(with_variable.edits[0].read_by,
            "tools reading the unpacked sdist; pdm-backend writes a new one");
  EXPECT_EQ(with_variable.passed.size(), 1u);

  const auto scm = dynamic_pyproject("setuptools.build_meta", "[tool.setuptools_scm]\n");
  const auto setuptools =
      plan({{"pyproject.toml", scm}, {"PKG-INFO", kPkgInfo}}, {"pyproject.toml"});
  ASSERT_EQ(setuptools.size(), 1u);
  EXPECT_EQ(setuptools[0].read_by,
            "setuptools-scm, which takes the version from it where there is no git");
}

TEST(stamp, PlanLetsTheBuildPassAVersionFromGit) {
  const auto vcs = dynamic_pyproject("hatchling.build", "[tool.hatch.version]\nsource = \"vcs\"\n");
  const auto passed = full_plan({{"pyproject.toml", vcs}}, {"pyproject.toml"},
                                std::set<std::string>{"SETUPTOOLS_SCM_PRETEND_VERSION"});
  EXPECT_TRUE(passed.edits.empty());
  ASSERT_EQ(passed.passed.size(), 1u);
  EXPECT_EQ(passed.passed[0].pyproject, "pyproject.toml");
  EXPECT_EQ(passed.passed[0].backend, "hatch-vcs");
  EXPECT_EQ(passed.passed[0].variable, "SETUPTOOLS_SCM_PRETEND_VERSION");

  // hatch-vcs gives setuptools-scm no project name: the per-project variable does not reach it.
  const std::set<std::string> per_project{"SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PY_DEMO"};
  EXPECT_EQ(full_plan_error({{"pyproject.toml", vcs}}, {"pyproject.toml"}, per_project),
            "pyproject.toml: the version is dynamic ([tool.hatch.version] source = \"vcs\"): "
            "hatch-vcs derives it from git when it builds, and no file holds it; declare ARG "
            "SETUPTOOLS_SCM_PRETEND_VERSION in the Dockerfile, before the step that builds the "
            "package: the pipeline passes the version in it");
  const auto scm = dynamic_pyproject("setuptools.build_meta", "[tool.setuptools_scm]\n");
  EXPECT_EQ(
      full_plan({{"pyproject.toml", scm}}, {"pyproject.toml"}, per_project).passed.at(0).variable,
      "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PY_DEMO");

  const auto pdm = dynamic_pyproject("pdm.backend", "[tool.pdm.version]\nsource = \"scm\"\n");
  EXPECT_THAT(full_plan_error({{"pyproject.toml", pdm}}, {"pyproject.toml"}, per_project),
              HasSubstr("declare ARG PDM_BUILD_SCM_VERSION in the Dockerfile"));
  EXPECT_EQ(full_plan({{"pyproject.toml", pdm}}, {"pyproject.toml"},
                      std::set<std::string>{"PDM_BUILD_SCM_VERSION"})
                .passed.at(0)
                .backend,
            "pdm-backend");
}

TEST(stamp, PlanRefusesTheFilesBackendsWriteAsTheyBuild) {
  struct Case {
    std::string table;
    std::string named;
    std::string message;
  };
  const std::vector<Case> cases{
      {"[tool.setuptools_scm]\nwrite_to = \"pkg/_version.py\"\n", "src/pkg/_version.py",
       "setuptools-scm writes this file when it builds ([tool.setuptools_scm] write_to = "
       "\"pkg/_version.py\" in pyproject.toml)"},
      {"[tool.hatch.version]\nsource = \"vcs\"\n[tool.hatch.build.hooks.vcs]\nversion-file = "
       "\"src/pkg/_version.py\"\n",
       "src/pkg/_version.py",
       "hatch-vcs writes this file when it builds ([tool.hatch.build.hooks.vcs] version-file = "
       "\"src/pkg/_version.py\" in pyproject.toml)"},
      {"[tool.pdm.version]\nsource = \"scm\"\nwrite_to = \"pkg/_version.py\"\n", "pkg/_version.py",
       "pdm-backend writes this file when it builds ([tool.pdm.version] write_to = "
       "\"pkg/_version.py\" in pyproject.toml)"},
      {"[[tool.scikit-build.generate]]\npath = \"pkg/_version.py\"\ntemplate = \"v = "
       "'${version}'\"\n",
       "pkg/_version.py",
       "scikit-build-core writes this file when it builds ([[tool.scikit-build.generate]] path = "
       "\"pkg/_version.py\" in pyproject.toml)"}};
  for (const auto& [table, named, message] : cases) {
    const Files files{{"pyproject.toml", dynamic_pyproject("", table)},
                      {named, "__version__ = '1'\n"}};
    EXPECT_THAT(full_plan_error(files, {named}), HasSubstr(message)) << table;
  }
  // Through `from ._version import version as __version__` too.
  const Files imported{{"pyproject.toml", dynamic_pyproject("setuptools.build_meta",
                                                            "[tool.setuptools_scm]\nversion_file = "
                                                            "\"pkg/_version.py\"\n")},
                       {"pkg/__init__.py", "from ._version import version as __version__\n"},
                       {"pkg/_version.py", "__version__ = version = '1'\n"}};
  EXPECT_THAT(full_plan_error(imported, {"pkg/__init__.py"}),
              HasSubstr("pkg/_version.py: setuptools-scm writes this file"));

  // The fix says what reaches the backend: the build arg in a pipeline, PKG-INFO in an sdist.
  const Files files{
      {"pyproject.toml", dynamic_pyproject("pdm.backend",
                                           "[tool.pdm.version]\nsource = \"scm\"\nwrite_to = "
                                           "\"pkg/_version.py\"\n")},
      {"pkg/_version.py", "__version__ = '1'\n"}};
  EXPECT_THAT(full_plan_error(files, {"pkg/_version.py"}, std::set<std::string>{}),
              HasSubstr("drop it from STAMP: the pipeline passes the version to pdm-backend in "
                        "the build arg PDM_BUILD_SCM_VERSION (declare ARG PDM_BUILD_SCM_VERSION in "
                        "the Dockerfile)"));
  auto pdm_sdist = files;  // pdm-backend does not read PKG-INFO
  pdm_sdist["PKG-INFO"] = kPkgInfo;
  EXPECT_THAT(full_plan_error(pdm_sdist, {"pkg/_version.py"}),
              HasSubstr("drop it from the files to stamp: set PDM_BUILD_SCM_VERSION=2.0"));
  auto sdist = imported;
  sdist["PKG-INFO"] = kPkgInfo;
  EXPECT_THAT(full_plan_error(sdist, {"pkg/_version.py"}),
              HasSubstr("drop it from the files to stamp: stamp pyproject.toml instead, which "
                        "stamps PKG-INFO, the version this unpacked sdist builds with"));
}

TEST(stamp, PlanFollowsAnImportedVersion) {
  const auto flit = dynamic_pyproject("flit_core.buildapi", "");
  const Files files{{"pyproject.toml", flit},
                    {"py_demo/__init__.py", "from .meta import (__version__, other)\n"},
                    {"py_demo/meta.py", "from ..py_demo._v import V as __version__\n"},
                    {"py_demo/_v.py", "V = '1'\n"}};
  const auto edits = plan(files, {"pyproject.toml"});
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].path, "py_demo/_v.py");
  EXPECT_EQ(edits[0].after, "V = '2.0'\n");

  // hatchling reads the file's text, never imports it.
  const auto hatch =
      dynamic_pyproject("hatchling.build", "[tool.hatch.version]\npath = \"v.py\"\n");
  EXPECT_THAT(plan_error({{"pyproject.toml", hatch},
                          {"v.py", "from .m import __version__\n"},
                          {"m.py", "__version__ = '1'\n"}},
                         {"pyproject.toml"}),
              HasSubstr("v.py: no version field to stamp"));

  EXPECT_THAT(
      plan_error({{"setup.py", "import six\nsetup(version=six.__version__)\n"}}, {"setup.py"}),
      HasSubstr("setup.py: takes __version__ from six, and neither six.py, "
                "six/__init__.py, src/six.py nor src/six/__init__.py exists"));
}

TEST(stamp, PlanStampsCargoTomlForMaturinAsSemVer) {
  const auto maturin = dynamic_pyproject("maturin", "");
  const Files files{{"pyproject.toml", maturin},
                    {"Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\n"}};
  const auto edits = plan(files, {"pyproject.toml"}, "2.0.0rc1");
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].after, "[package]\nname = \"x\"\nversion = \"2.0.0-rc.1\"\n");
  // maturin would build 2.0.0rc1, which the pipeline's publish refuses as another version.
  EXPECT_THAT([&] { plan(files, {"pyproject.toml"}, "2.0rc1"); },
              ::testing::ThrowsMessage<StampError>(
                  HasSubstr("Cargo.toml: Cargo.toml holds a SemVer version, and 2.0rc1 would be "
                            "written 2.0.0-rc.1, which maturin builds as 2.0.0rc1: give the "
                            "version as 2.0.0rc1")));
  EXPECT_EQ(edits[0].new_version, "2.0.0-rc.1");
  EXPECT_EQ(edits[0].read_by, "maturin");
  EXPECT_THAT(
      [&] { plan(files, {"pyproject.toml"}, "2.0.0.post1"); },
      ::testing::ThrowsMessage<StampError>(HasSubstr("Cargo.toml holds a SemVer version, and "
                                                     "2.0.0.post1 has none")));
  const Files workspace{{"pyproject.toml", maturin},
                        {"Cargo.toml", "[package]\nname = \"x\"\nversion.workspace = true\n"}};
  EXPECT_THAT(plan_error(workspace, {"pyproject.toml"}),
              HasSubstr("Cargo.toml:3: [package] takes its version from the workspace"));
  const auto manifest =
      dynamic_pyproject("maturin", "[tool.maturin]\nmanifest-path = \"rust/Cargo.toml\"\n");
  EXPECT_EQ(
      plan({{"pyproject.toml", manifest}, {"rust/Cargo.toml", "[package]\nversion = \"1\"\n"}},
           {"pyproject.toml"}, "2.0.0")
          .at(0)
          .path,
      "rust/Cargo.toml");
}

TEST(stamp, PlanFollowsScikitBuildRegexProvider) {
  const auto skbuild = dynamic_pyproject(
      "scikit_build_core.build",
      "[tool.scikit-build.metadata.version]\nprovider = \"scikit_build_core.metadata.regex\"\n"
      "input = \"src/x/__init__.py\"\n");
  EXPECT_EQ(plan({{"pyproject.toml", skbuild}, {"src/x/__init__.py", "__version__ = '1'\n"}},
                 {"pyproject.toml"})
                .at(0)
                .read_by,
            "scikit-build-core");
}

TEST(stamp, BackendNamesAsUsersKnowThem) {
  EXPECT_EQ(backend_name("", {}), "setuptools");
  EXPECT_EQ(backend_name("setuptools.build_meta:__legacy__", {}), "setuptools");
  EXPECT_EQ(backend_name("hatchling.ouroboros", {}), "hatchling");
  EXPECT_EQ(backend_name("poetry.core.masonry.api", {}), "poetry-core");
  EXPECT_EQ(backend_name("pdm.backend.intree", {}), "pdm-backend");
  EXPECT_EQ(backend_name("backend", {"scikit-build-core"}), "scikit-build-core");
  EXPECT_EQ(backend_name("mesonpy", {"meson-python"}), "mesonpy");
  EXPECT_EQ(backend_name("hatchlingx.build", {}), "hatchlingx.build");
}

TEST(stamp, PretendVersionVariableSpellsTheNameAsSetuptoolsScm) {
  EXPECT_EQ(pretend_version_variable("py-demo"), "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PY_DEMO");
  EXPECT_EQ(pretend_version_variable("Zope.Interface__x"),
            "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_ZOPE_INTERFACE_X");
}

// --- --pattern ---------------------------------------------------------------------------------

std::string pattern_error(std::string_view content, const std::string& pattern) {
  try {
    stamp_with_pattern("conf/app.yaml", content, "2.0", pattern);
  } catch (const StampError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(stamp, PatternReplacesTheGroupOfEveryMatch) {
  EXPECT_EQ(stamp_with_pattern("Chart.yaml", "version: 1.0\nappVersion: \"1.0\"\nname: v\n", "2.0",
                               R"(^(?:version: |appVersion: ")([^"\s]+))"),
            "version: 2.0\nappVersion: \"2.0\"\nname: v\n");
}

TEST(stamp, PatternBypassesTheKindOfFile) {
  const Files files{{"pyproject.toml", kAttr + "# release 1.0\n"}};
  EXPECT_THAT(plan(files, {"pyproject.toml"}, "2.0", R"(# release (\S+))").at(0).after,
              HasSubstr("# release 2.0\n"));
}

TEST(stamp, PatternRejectsAFileItDoesNotMatch) {
  EXPECT_EQ(pattern_error("name: x\n", "version: (.+)"),
            "conf/app.yaml: --pattern 'version: (.+)' matches nothing; no version field to stamp");
}

TEST(stamp, PatternNeedsExactlyOneGroup) {
  EXPECT_EQ(pattern_error("v: 1\n", "v: [0-9]+"),
            "--pattern 'v: [0-9]+': has 0 capture groups; it needs exactly one, around the "
            "version value (write other groups as (?:...))");
  EXPECT_THAT(pattern_error("v: 1\n", "(v): ([0-9]+)"), HasSubstr("has 2 capture groups"));
}

TEST(stamp, PatternRejectsAnInvalidRegex) {
  EXPECT_THAT(pattern_error("v: 1\n", "v: ([0-9]+"),
              HasSubstr("--pattern 'v: ([0-9]+': not a valid regular expression"));
}

TEST(stamp, PatternMustCaptureTheWholeVersion) {
  EXPECT_THAT(pattern_error("v: 1.0\n", R"(v: (\d+))"),
              HasSubstr("conf/app.yaml: --pattern 'v: (\\d+)' must capture the whole version"));
  EXPECT_THAT(pattern_error("v: 1.0\n", R"(v: (1\.0))"),
              HasSubstr("must capture the whole version"));
  EXPECT_THAT(pattern_error("v: x\n", "v: x(1)?"), HasSubstr("without its group"));
}

// --- the corpus --------------------------------------------------------------------------------

const fs::path kCorpus = fs::path{DP_TEST_DATA_DIR} / "stamp";

std::vector<std::string> corpus_cases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.is_directory()) cases.push_back(entry.path().filename().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

// Relative path -> content of every file below `dir` (none when it does not exist).
Files tree(const fs::path& dir) {
  Files files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path().lexically_relative(dir)] = read_file(entry);
  }
  return files;
}

struct CorpusArgs {
  std::vector<std::string> all;  // as the CLI takes them
  StampOptions options;
  std::vector<fs::path> files;
};

CorpusArgs corpus_args(const std::string& name) {
  CorpusArgs args;
  std::istringstream lines{read_file(kCorpus / name / "args")};
  for (std::string line; std::getline(lines, line);) args.all.push_back(line);
  for (std::size_t i = 0; i < args.all.size(); ++i) {
    if (args.all[i] == "--version") {
      args.options.version = args.all.at(++i);
    } else if (args.all[i] == "--pattern") {
      args.options.pattern = args.all.at(++i);
    } else {
      args.files.emplace_back(args.all[i]);
    }
  }
  return args;
}

// The tree `input` becomes once `edits` are applied.
Files applied(Files input, const std::vector<FileEdit>& edits) {
  for (const auto& edit : edits) input[edit.path] = edit.after;
  return input;
}

// What `docker-pipeline stamp` prints and exits with for `request`.
test::StageOutcome stamp_stage(const stages::StampRequest& request) {
  return test::run_stage("stamp", [&](stages::Reporter& reporter) {
    return stages::run_stamp_stage(request, reporter);
  });
}

class StampCorpus : public ::testing::TestWithParam<std::string> {};

// The message of a case that must be refused (its `error` file, one line), if it is one.
std::optional<std::string> corpus_error(const std::string& name) {
  const auto file = kCorpus / name / "error";
  if (!fs::exists(file)) return std::nullopt;
  auto message = read_file(file);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return message;
}

TEST_P(StampCorpus, StampsExactlyAsExpectedAndOnlyOnce) {
  const auto input = tree(kCorpus / GetParam() / "input");
  const auto expected_changes = tree(kCorpus / GetParam() / "expected");
  const auto args = corpus_args(GetParam());
  if (const auto error = corpus_error(GetParam())) {
    EXPECT_TRUE(expected_changes.empty()) << "a refused case changes nothing";
    EXPECT_THAT([&] { plan_stamp(args.files, args.options, reader_of(input)); },
                ::testing::ThrowsMessage<StampError>(HasSubstr(*error)));
    return;
  }

  const auto edits = plan_stamp(args.files, args.options, reader_of(input)).edits;
  Files changed;
  for (const auto& edit : edits) {
    EXPECT_EQ(edit.before, input.at(edit.path)) << edit.path;
    if (edit.changes()) changed[edit.path] = edit.after;
  }
  EXPECT_EQ(changed, expected_changes);  // byte for byte, and no other file

  const auto once = applied(input, edits);
  const auto again = plan_stamp(args.files, args.options, reader_of(once)).edits;
  for (const auto& edit : again) EXPECT_FALSE(edit.changes()) << edit.path << ": " << edit.after;
}

// The same through the stamp stage, on disk.
TEST_P(StampCorpus, StageStampsTheFilesOnDisk) {
  const dp::test::TempDir dir;
  fs::copy(kCorpus / GetParam() / "input", dir.path(), fs::copy_options::recursive);
  const auto input = tree(dir.path());
  const auto args = corpus_args(GetParam());
  stages::StampRequest request;
  request.version = args.options.version;
  request.pattern = args.options.pattern;
  request.files = args.files;
  request.directory = dir.path();

  const auto first = stamp_stage(request);
  if (const auto error = corpus_error(GetParam())) {
    EXPECT_EQ(first.exit_code, 1);
    EXPECT_THAT(first.err, HasSubstr(*error));
    EXPECT_EQ(tree(dir.path()), input);
    return;
  }
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto expected = input;
  for (const auto& [path, content] : tree(kCorpus / GetParam() / "expected")) {
    expected[path] = content;
  }
  EXPECT_EQ(tree(dir.path()), expected);

  const auto second = stamp_stage(request);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, Not(HasSubstr("stamped")));
  EXPECT_THAT(second.out, HasSubstr(": already "));
  EXPECT_EQ(tree(dir.path()), expected);
}

INSTANTIATE_TEST_SUITE_P(stamp, StampCorpus, ::testing::ValuesIn(corpus_cases()),
                         [](const auto& info) { return info.param; });

// --- the stamp stage (`docker-pipeline stamp`; its options are tested in cli_test.cpp) ---------

// `stamp --version VERSION [ARGS...] FILE...` as run in `dir`.
test::StageOutcome stamp_command(const fs::path& dir, std::vector<std::string> args) {
  stages::StampRequest request;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--version") {
      request.version = args.at(++i);
    } else if (args[i] == "--pattern") {
      request.pattern = args.at(++i);
    } else if (args[i] == "--dry-run") {
      request.dry_run = true;
    } else {
      request.files.emplace_back(args[i]);
    }
  }
  request.directory = dir;
  return stamp_stage(request);
}

TEST(stamp, StageSaysWhichFileADynamicVersionWasStampedIn) {
  const TempDir dir;
  dir.write("pyproject.toml", kAttr);
  dir.write("pydemo/__init__.py", "__version__ = '1'\n");
  const auto dry = stamp_command(dir.path(), {"--version", "2.0", "--dry-run", "pyproject.toml"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out,
            "pydemo/__init__.py: would stamp 1 -> 2.0 (read by setuptools, the version of "
            "pyproject.toml)\n"
            "--- pydemo/__init__.py\n+++ pydemo/__init__.py\n@@ -1 +1 @@\n"
            "-__version__ = '1'\n+__version__ = '2.0'\n");
  EXPECT_EQ(read_file(dir.path() / "pydemo/__init__.py"), "__version__ = '1'\n");

  const auto real = stamp_command(dir.path(), {"--version", "2.0", "pyproject.toml"});
  EXPECT_EQ(real.out,
            "pydemo/__init__.py: stamped 1 -> 2.0 (read by setuptools, the version of "
            "pyproject.toml)\n");
  EXPECT_EQ(read_file(dir.path() / "pydemo/__init__.py"), "__version__ = '2.0'\n");
  EXPECT_EQ(
      stamp_command(dir.path(), {"--version", "2.0", "pyproject.toml"}).out,
      "pydemo/__init__.py: already 2.0 (read by setuptools, the version of pyproject.toml)\n");
}

TEST(stamp, StageWritesNothingWhenOneFileFails) {
  const TempDir dir;
  dir.write("setup.py", "setup(version='1')\n");
  dir.write("pyproject.toml", kAttr);
  const auto result = stamp_command(dir.path(), {"--version", "2", "setup.py", "pyproject.toml"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("pyproject.toml: the version is dynamic"));
  EXPECT_EQ(read_file(dir.path() / "setup.py"), "setup(version='1')\n");
}

TEST(stamp, StageReportsPatternErrors) {
  const TempDir dir;
  dir.write("app.yaml", "name: x\n");
  const auto result =
      stamp_command(dir.path(), {"--version", "2", "--pattern", "version: (.+)", "app.yaml"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err,
              HasSubstr("error: app.yaml: --pattern 'version: (.+)' matches nothing; no version "
                        "field to stamp"));
}

}  // namespace
}  // namespace dp::stamp
