#include "stamp/stamp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "stamp/file_io.hpp"
#include "stamp/line_diff.hpp"
#include "support/temp_dir.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;

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
            "'...')");
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
            "setup.cfg, pyproject.toml or a *.py file with __version__)");
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

}  // namespace
}  // namespace dp::stamp
