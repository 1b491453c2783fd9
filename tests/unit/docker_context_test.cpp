#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "docker/build_context.hpp"
#include "docker/dockerignore.hpp"
#include "process/process.hpp"
#include "support/temp_dir.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using namespace std::chrono_literals;

// The helper's main ignores SIGPIPE; a test whose reader quits early must see EPIPE, not die.
[[maybe_unused]] const bool sigpipe_ignored = [] {
  ::signal(SIGPIPE, SIG_IGN);
  return true;
}();

// --- DockerIgnore -----------------------------------------------------------------------------

TEST(DockerIgnoreTest, EmptyFileExcludesNothing) {
  const DockerIgnore ignore("");
  EXPECT_FALSE(ignore.excludes("anything"));
  EXPECT_FALSE(ignore.excludes("a/b/c"));
  EXPECT_FALSE(DockerIgnore().excludes("x"));
}

TEST(DockerIgnoreTest, AnInvalidSetIsAnErrorNamingItsLine) {
  try {
    const DockerIgnore ignore("dist\n[z-a]*.txt\n");
    FAIL() << "expected ContextError";
  } catch (const ContextError& e) {
    EXPECT_THAT(e.what(), HasSubstr(".dockerignore line 2: [z-a]*.txt is not a valid pattern"));
  }
}

TEST(DockerIgnoreTest, PlainNameMatchesFromTheContextRootOnly) {
  const DockerIgnore ignore("secret.txt\n");
  EXPECT_TRUE(ignore.excludes("secret.txt"));
  EXPECT_FALSE(ignore.excludes("sub/secret.txt"));
  EXPECT_FALSE(ignore.excludes("secret.txt.bak"));
  EXPECT_FALSE(ignore.excludes("my-secret.txt"));
}

TEST(DockerIgnoreTest, PlainNameExcludesADirectoryAndEverythingBelowIt) {
  const DockerIgnore ignore("build\n");
  EXPECT_TRUE(ignore.excludes("build"));
  EXPECT_TRUE(ignore.excludes("build/out.o"));
  EXPECT_TRUE(ignore.excludes("build/a/b/c.txt"));
  EXPECT_FALSE(ignore.excludes("builder"));
  EXPECT_FALSE(ignore.excludes("builder/x"));
  EXPECT_FALSE(ignore.excludes("src/build"));
}

TEST(DockerIgnoreTest, TrailingSlashExcludesTheDirectoryContents) {
  const DockerIgnore ignore("dist/\n");
  EXPECT_TRUE(ignore.excludes("dist"));
  EXPECT_TRUE(ignore.excludes("dist/pkg-1.0.tar.gz"));
  EXPECT_TRUE(ignore.excludes("dist/sub/x"));
  EXPECT_FALSE(ignore.excludes("distribution"));
}

TEST(DockerIgnoreTest, NestedPathPattern) {
  const DockerIgnore ignore("docs/build\n");
  EXPECT_TRUE(ignore.excludes("docs/build"));
  EXPECT_TRUE(ignore.excludes("docs/build/index.html"));
  EXPECT_FALSE(ignore.excludes("docs"));
  EXPECT_FALSE(ignore.excludes("docs/index.rst"));
  EXPECT_FALSE(ignore.excludes("build"));
}

TEST(DockerIgnoreTest, StarMatchesWithinOnePathSegment) {
  const DockerIgnore ignore("*.log\nsub/*.tmp\n");
  EXPECT_TRUE(ignore.excludes("a.log"));
  EXPECT_TRUE(ignore.excludes(".log"));
  EXPECT_FALSE(ignore.excludes("sub/a.log"));  // '*' does not cross '/'
  EXPECT_FALSE(ignore.excludes("a.log.txt"));
  EXPECT_TRUE(ignore.excludes("sub/x.tmp"));
  EXPECT_FALSE(ignore.excludes("sub/deeper/x.tmp"));
  EXPECT_FALSE(ignore.excludes("x.tmp"));
}

TEST(DockerIgnoreTest, StarAloneExcludesEverything) {
  const DockerIgnore ignore("*\n");
  EXPECT_TRUE(ignore.excludes("a"));
  EXPECT_TRUE(ignore.excludes("a/b/c"));
  EXPECT_TRUE(ignore.excludes(".hidden"));
}

TEST(DockerIgnoreTest, QuestionMarkMatchesExactlyOneCharacterButNotSlash) {
  const DockerIgnore ignore("file?.txt\n");
  EXPECT_TRUE(ignore.excludes("file1.txt"));
  EXPECT_TRUE(ignore.excludes("fileX.txt"));
  EXPECT_FALSE(ignore.excludes("file.txt"));
  EXPECT_FALSE(ignore.excludes("file12.txt"));
  EXPECT_FALSE(ignore.excludes("file/.txt"));
}

TEST(DockerIgnoreTest, DoubleStarSlashMatchesAtAnyDepthIncludingTheRoot) {
  const DockerIgnore ignore("**/__pycache__\n");
  EXPECT_TRUE(ignore.excludes("__pycache__"));
  EXPECT_TRUE(ignore.excludes("pkg/__pycache__"));
  EXPECT_TRUE(ignore.excludes("pkg/sub/__pycache__/mod.cpython-311.pyc"));
  EXPECT_FALSE(ignore.excludes("pkg/__pycache__x"));
  EXPECT_FALSE(ignore.excludes("pkg/x__pycache__"));
}

TEST(DockerIgnoreTest, DoubleStarWithAWildcardName) {
  const DockerIgnore ignore("**/*.pyc\n");
  EXPECT_TRUE(ignore.excludes("a.pyc"));
  EXPECT_TRUE(ignore.excludes("pkg/a.pyc"));
  EXPECT_TRUE(ignore.excludes("pkg/sub/b.pyc"));
  EXPECT_FALSE(ignore.excludes("pkg/a.py"));
}

TEST(DockerIgnoreTest, DoubleStarInTheMiddleAndAtTheEnd) {
  const DockerIgnore middle("docs/**/*.html\n");
  EXPECT_TRUE(middle.excludes("docs/index.html"));
  EXPECT_TRUE(middle.excludes("docs/a/b/page.html"));
  EXPECT_FALSE(middle.excludes("other/page.html"));
  const DockerIgnore end("cache/**\n");
  EXPECT_TRUE(end.excludes("cache/x"));
  EXPECT_TRUE(end.excludes("cache/x/y"));
  EXPECT_FALSE(end.excludes("cachet"));
}

TEST(DockerIgnoreTest, CharacterClassesAndNegatedClasses) {
  const DockerIgnore ignore("[ab].txt\nlog[0-9]\n[!x]y\n");
  EXPECT_TRUE(ignore.excludes("a.txt"));
  EXPECT_TRUE(ignore.excludes("b.txt"));
  EXPECT_FALSE(ignore.excludes("c.txt"));
  EXPECT_TRUE(ignore.excludes("log7"));
  EXPECT_FALSE(ignore.excludes("logx"));
  EXPECT_TRUE(ignore.excludes("zy"));
  EXPECT_FALSE(ignore.excludes("xy"));
}

TEST(DockerIgnoreTest, SetsWithEscapesDashesAndCarets) {
  const DockerIgnore ignore("[\\]]x\n[a-]y\n[^0-9]z\n");
  EXPECT_TRUE(ignore.excludes("]x"));
  EXPECT_TRUE(ignore.excludes("-y"));
  EXPECT_TRUE(ignore.excludes("ay"));
  EXPECT_FALSE(ignore.excludes("by"));
  EXPECT_TRUE(ignore.excludes("az"));
  EXPECT_FALSE(ignore.excludes("5z"));
  EXPECT_THROW(DockerIgnore("dist\\\n"), ContextError);  // a trailing backslash escapes nothing
}

TEST(DockerIgnoreTest, ManyStarsAgainstALongNameMatchInOnePass) {
  // A backtracking matcher takes exponential time on this (found by fuzzing); the automaton
  // takes the pattern's length times the path's.
  const std::string stars(120, '*');
  const DockerIgnore ignore("L" + stars + "Lq\n");
  EXPECT_FALSE(ignore.excludes("L" + std::string(5000, 'L') + "x"));
  EXPECT_TRUE(ignore.excludes("L" + std::string(5000, 'L') + "q"));
  EXPECT_TRUE(ignore.excludes("LLq/below"));
}

TEST(DockerIgnoreTest, RegexCharactersInPatternsAreLiteral) {
  const DockerIgnore ignore("a+b(1).txt\nv1.0\n");
  EXPECT_TRUE(ignore.excludes("a+b(1).txt"));
  EXPECT_FALSE(ignore.excludes("aab1.txt"));
  EXPECT_TRUE(ignore.excludes("v1.0"));
  EXPECT_FALSE(ignore.excludes("v1x0"));  // '.' is not "any character"
}

TEST(DockerIgnoreTest, BackslashEscapesAWildcard) {
  const DockerIgnore ignore("\\*.txt\n");
  EXPECT_TRUE(ignore.excludes("*.txt"));
  EXPECT_FALSE(ignore.excludes("a.txt"));
}

TEST(DockerIgnoreTest, ExceptionReincludesAndTheLastMatchingLineWins) {
  const DockerIgnore ignore("*.md\n!README.md\n");
  EXPECT_TRUE(ignore.excludes("CHANGES.md"));
  EXPECT_FALSE(ignore.excludes("README.md"));

  const DockerIgnore reversed("!README.md\n*.md\n");
  EXPECT_TRUE(reversed.excludes("README.md"));
  EXPECT_TRUE(reversed.excludes("CHANGES.md"));

  const DockerIgnore again("*.md\n!README*.md\nREADME-secret.md\n");
  EXPECT_FALSE(again.excludes("README.md"));
  EXPECT_TRUE(again.excludes("README-secret.md"));
}

TEST(DockerIgnoreTest, ExceptionInsideAnExcludedDirectory) {
  const DockerIgnore ignore("docs\n!docs/keep.md\n");
  EXPECT_TRUE(ignore.excludes("docs"));
  EXPECT_TRUE(ignore.excludes("docs/other.md"));
  EXPECT_FALSE(ignore.excludes("docs/keep.md"));
}

TEST(DockerIgnoreTest, ExceptionWithoutAnExclusionChangesNothing) {
  const DockerIgnore ignore("!keep\n");
  EXPECT_FALSE(ignore.excludes("keep"));
  EXPECT_FALSE(ignore.excludes("other"));
}

TEST(DockerIgnoreTest, CommentsAndBlankLinesAreIgnored) {
  const DockerIgnore ignore("# a comment\n\n   \n\t\nfoo\n  # indented comment\n");
  EXPECT_TRUE(ignore.excludes("foo"));
  EXPECT_FALSE(ignore.excludes("# a comment"));
  EXPECT_FALSE(ignore.excludes("a comment"));
  EXPECT_FALSE(ignore.excludes(""));
  EXPECT_FALSE(ignore.excludes("bar"));
}

TEST(DockerIgnoreTest, SurroundingWhitespaceAndCrlfAreTrimmed) {
  const DockerIgnore ignore("  foo  \r\nbar\r\n\t*.tmp\t\r\n");
  EXPECT_TRUE(ignore.excludes("foo"));
  EXPECT_TRUE(ignore.excludes("bar"));
  EXPECT_TRUE(ignore.excludes("x.tmp"));
}

TEST(DockerIgnoreTest, LastLineWithoutNewlineCounts) {
  const DockerIgnore ignore("a\nb");
  EXPECT_TRUE(ignore.excludes("a"));
  EXPECT_TRUE(ignore.excludes("b"));
}

TEST(DockerIgnoreTest, LeadingDotSlashAndSlashAreDropped) {
  const DockerIgnore ignore("./foo\n/bar\n/sub/./baz\nx//y\n");
  EXPECT_TRUE(ignore.excludes("foo"));
  EXPECT_TRUE(ignore.excludes("bar"));
  EXPECT_TRUE(ignore.excludes("sub/baz"));
  EXPECT_TRUE(ignore.excludes("x/y"));
  EXPECT_FALSE(ignore.excludes("sub/foo"));
}

TEST(DockerIgnoreTest, ExceptionPatternsAreCleanedToo) {
  const DockerIgnore ignore("*.txt\n! ./keep.txt\n");
  EXPECT_TRUE(ignore.excludes("drop.txt"));
  EXPECT_FALSE(ignore.excludes("keep.txt"));
}

TEST(DockerIgnoreTest, PatternThatIsOnlySlashesOrDotIsIgnored) {
  const DockerIgnore ignore("/\n.\n./\n");
  EXPECT_FALSE(ignore.excludes("anything"));
  EXPECT_FALSE(ignore.excludes("a/b"));
}

// --- build context: fixtures ------------------------------------------------------------------

using dp::test::TempDir;

void write_file(const fs::path& path, std::string_view content,
                fs::perms mode = fs::perms::owner_read | fs::perms::owner_write |
                                 fs::perms::group_read | fs::perms::others_read) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  fs::permissions(path, mode);
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string data(size, '\0');
  for (auto& c : data) c = static_cast<char>(byte(generator));
  return data;
}

constexpr auto kExecutable = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec;
constexpr auto kPrivate = fs::perms::owner_read | fs::perms::owner_write;

// A small project tree:
//   Dockerfile, setup.py, run.sh (0755), secret.key (0600), empty.txt, link -> setup.py,
//   pkg/__init__.py, pkg/sub/deep.py, pkg_link -> pkg, emptydir/
class BuildContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(root() / "Dockerfile", "FROM scratch\nCOPY . /app\n");
    write_file(root() / "setup.py", "setup(name='demo', version='0.0.1')\n");
    write_file(root() / "run.sh", "#!/bin/sh\necho run\n", kExecutable);
    write_file(root() / "secret.key", "not so secret\n", kPrivate);
    write_file(root() / "empty.txt", "");
    write_file(root() / "pkg" / "__init__.py", "__version__ = '0.0.1'\n");
    write_file(root() / "pkg" / "sub" / "deep.py", "DEEP = True\n");
    fs::create_directory(root() / "emptydir");
    fs::create_symlink("setup.py", root() / "link");
    fs::create_directory_symlink("pkg", root() / "pkg_link");
  }

  const fs::path& root() const { return dir_.path(); }
  BuildContext context() const { return BuildContext{root(), {}, {}, {}, {}}; }

  // The tar stream write_context_tar produces, collected through `cat`.
  static std::string tar_bytes(const BuildContext& context) {
    process::Options options;
    options.capture_stdout = true;
    options.timeout = 60s;
    options.feed_stdin = [&](int fd) { write_context_tar(fd, context); };
    const auto result = process::run({"cat"}, options);
    EXPECT_TRUE(result.ok());
    return result.out;
  }

  // `tar -tvf -` lines for the stream.
  static std::vector<std::string> tar_listing(const std::string& tar) {
    process::Options options;
    options.capture_stdout = true;
    options.capture_stderr = true;
    options.timeout = 60s;
    options.feed_stdin = [&](int fd) { write_all(fd, tar); };
    const auto result = process::run({"tar", "-tvf", "-"}, options);
    EXPECT_TRUE(result.ok()) << result.err;
    std::vector<std::string> lines;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  // The names in the stream, in stream order.
  static std::vector<std::string> tar_names(const std::string& tar) {
    process::Options options;
    options.capture_stdout = true;
    options.capture_stderr = true;
    options.timeout = 60s;
    options.feed_stdin = [&](int fd) { write_all(fd, tar); };
    const auto result = process::run({"tar", "-tf", "-"}, options);
    EXPECT_TRUE(result.ok()) << result.err;
    std::vector<std::string> names;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) names.push_back(line);
    return names;
  }

  // Extracts the stream into `target` with GNU tar, which also checks the stream is well formed.
  static void extract(const std::string& tar, const fs::path& target) {
    process::Options options;
    options.capture_stderr = true;
    options.timeout = 60s;
    options.feed_stdin = [&](int fd) { write_all(fd, tar); };
    const auto result = process::run({"tar", "-xpf", "-", "-C", target.string()}, options);
    ASSERT_TRUE(result.ok()) << result.err;
    EXPECT_EQ(result.err, "");
  }

  static void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "write");
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

 private:
  TempDir dir_;
};

// --- list_context_files -----------------------------------------------------------------------

TEST_F(BuildContextTest, ListsFilesAndLinksSortedWithoutDirectories) {
  EXPECT_THAT(list_context_files(context()),
              ElementsAre("Dockerfile", "empty.txt", "link", "pkg/__init__.py", "pkg/sub/deep.py",
                          "pkg_link", "run.sh", "secret.key", "setup.py"));
}

TEST_F(BuildContextTest, DoesNotFollowASymlinkedDirectory) {
  const auto files = list_context_files(context());
  EXPECT_THAT(files, Contains("pkg_link"));
  EXPECT_THAT(files, Not(Contains("pkg_link/__init__.py")));
}

TEST_F(BuildContextTest, DockerignoreFiltersFilesAndDirectories) {
  write_file(root() / ".dockerignore", "# local junk\n*.key\npkg/sub\n**/*.log\n");
  write_file(root() / "pkg" / "debug.log", "log\n");
  write_file(root() / "trace.log", "log\n");
  EXPECT_THAT(list_context_files(context()),
              ElementsAre(".dockerignore", "Dockerfile", "empty.txt", "link", "pkg/__init__.py",
                          "pkg_link", "run.sh", "setup.py"));
}

TEST_F(BuildContextTest, DockerignoreExceptionKeepsAFile) {
  write_file(root() / ".dockerignore", "*.py\n!setup.py\n");
  const auto files = list_context_files(context());
  EXPECT_THAT(files, Contains("setup.py"));
  EXPECT_THAT(files, Contains("pkg/__init__.py"));  // "*.py" matches at the root only
}

// Docker sends the Dockerfile and .dockerignore even when .dockerignore excludes them.
TEST_F(BuildContextTest, AlwaysSentFilesSurviveAnAllowlistDockerignore) {
  write_file(root() / ".dockerignore", "*\n!pkg\n");
  write_file(root() / "docker" / "Dockerfile", "FROM scratch\n");
  auto ctx = context();
  ctx.always_sent = {"docker/Dockerfile", ".dockerignore"};
  const auto files = list_context_files(ctx);
  EXPECT_THAT(files, Contains("docker/Dockerfile"));
  EXPECT_THAT(files, Contains(".dockerignore"));
  EXPECT_THAT(files, Contains("pkg/__init__.py"));
  EXPECT_THAT(files, Not(Contains("setup.py")));
}

// Docker re-includes `!docs/keep.md` below an excluded `docs`, so the walk must go on descending.
TEST_F(BuildContextTest, DockerignoreExceptionBelowAnExcludedDirectoryIsSent) {
  write_file(root() / "docs" / "keep.md", "keep\n");
  write_file(root() / "docs" / "drop.md", "drop\n");
  write_file(root() / ".dockerignore", "docs\n!docs/keep.md\n");
  const auto files = list_context_files(context());
  EXPECT_THAT(files, Contains("docs/keep.md"));
  EXPECT_THAT(files, Not(Contains("docs/drop.md")));
}

TEST_F(BuildContextTest, ExcludedDirsAreLeftOut) {
  write_file(root() / "build" / "CMakeCache.txt", "cache\n");
  write_file(root() / "build" / "docker-pipeline" / "pydemo" / "image.iid", "sha256:1\n");
  write_file(root() / "builder" / "keep.txt", "kept\n");  // shares a prefix, not a parent
  auto ctx = context();
  ctx.excluded_dirs = {root() / "build"};
  const auto files = list_context_files(ctx);
  EXPECT_THAT(files, Not(Contains(StartsWith("build/"))));
  EXPECT_THAT(files, Contains("builder/keep.txt"));
  EXPECT_THAT(files, Contains("setup.py"));
}

TEST_F(BuildContextTest, ExcludedDirOutsideTheContextChangesNothing) {
  TempDir elsewhere;
  auto ctx = context();
  ctx.excluded_dirs = {elsewhere.path(), root().parent_path() / "unrelated"};
  EXPECT_EQ(list_context_files(ctx), list_context_files(context()));
}

TEST_F(BuildContextTest, ExcludedDirsAreNotSentInTheTarEither) {
  write_file(root() / "build" / "CMakeCache.txt", "cache\n");
  auto ctx = context();
  ctx.excluded_dirs = {root() / "build"};
  const auto names = tar_names(tar_bytes(ctx));
  EXPECT_THAT(names, Not(Contains(StartsWith("build"))));
  EXPECT_THAT(names, Contains("setup.py"));
}

TEST(BuildContextErrorsTest, MissingRootThrowsContextError) {
  TempDir dir;
  const BuildContext ctx{dir.path() / "nope", {}, {}, {}, {}};
  try {
    list_context_files(ctx);
    FAIL() << "expected ContextError";
  } catch (const ContextError& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir.path() / "nope").string()));
  }
}

// --- write_context_tar ------------------------------------------------------------------------

TEST_F(BuildContextTest, TarRecreatesTheTreeWithContentLinksAndEmptyDirectories) {
  TempDir out;
  extract(tar_bytes(context()), out.path());
  for (const auto* name : {"Dockerfile", "setup.py", "run.sh", "secret.key", "empty.txt",
                           "pkg/__init__.py", "pkg/sub/deep.py"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(fs::is_regular_file(fs::symlink_status(out.path() / name)));
    EXPECT_EQ(test::read_file(out.path() / name), test::read_file(root() / name));
  }
  EXPECT_TRUE(fs::is_symlink(out.path() / "link"));
  EXPECT_EQ(fs::read_symlink(out.path() / "link"), "setup.py");
  EXPECT_TRUE(fs::is_symlink(out.path() / "pkg_link"));
  EXPECT_EQ(fs::read_symlink(out.path() / "pkg_link"), "pkg");
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(out.path() / "emptydir")));
}

TEST_F(BuildContextTest, AnAddedFolderIsSentUnderItsPathWhateverDockerignoreSays) {
  TempDir wheelhouse;
  wheelhouse.write("numpy-2.0-cp311-cp311-manylinux_2_17_x86_64.whl", "wheel");
  wheelhouse.write("sub/pybind11-2.13.whl", "wheel2");
  auto ctx = context();
  ctx.added_dirs[kWheelhouseInContext] = wheelhouse.path();
  EXPECT_THAT(list_context_files(ctx),
              AllOf(Contains(".docker-pipeline/wheelhouse/numpy-2.0-cp311-cp311-manylinux_2_17_"
                             "x86_64.whl"),
                    Contains(".docker-pipeline/wheelhouse/sub/pybind11-2.13.whl")));
  TempDir out;
  extract(tar_bytes(ctx), out.path());
  EXPECT_EQ(test::read_file(out.path() / ".docker-pipeline/wheelhouse/sub/pybind11-2.13.whl"),
            "wheel2");

  fs::create_directories(root() / ".docker-pipeline/wheelhouse");
  try {
    list_context_files(ctx);
    FAIL() << "expected ContextError";
  } catch (const ContextError& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds .docker-pipeline/wheelhouse, where the pipeline puts "));
  }
}

TEST_F(BuildContextTest, TarKeepsFileModes) {
  const auto listing = tar_listing(tar_bytes(context()));
  EXPECT_THAT(listing, Contains(AllOf(StartsWith("-rwxr-xr-x "), EndsWith(" run.sh"))));
  EXPECT_THAT(listing, Contains(AllOf(StartsWith("-rw------- "), EndsWith(" secret.key"))));
  EXPECT_THAT(listing, Contains(AllOf(StartsWith("-rw-r--r-- "), EndsWith(" setup.py"))));
  EXPECT_THAT(listing, Contains(AllOf(StartsWith("l"), EndsWith(" link -> setup.py"))));
  EXPECT_THAT(listing, Contains(AllOf(StartsWith("d"), HasSubstr(" pkg"))));

  TempDir out;
  extract(tar_bytes(context()), out.path());
  EXPECT_EQ(fs::status(out.path() / "run.sh").permissions(), kExecutable);
  EXPECT_EQ(fs::status(out.path() / "secret.key").permissions(), kPrivate);
}

TEST_F(BuildContextTest, TarListsDirectoriesBeforeTheirContent) {
  const auto names = tar_names(tar_bytes(context()));
  const auto position = [&](std::string_view prefix) {
    return std::find_if(names.begin(), names.end(),
                        [&](const std::string& n) { return n.rfind(prefix, 0) == 0; }) -
           names.begin();
  };
  ASSERT_THAT(names, Contains(StartsWith("pkg/sub/deep.py")));
  EXPECT_LT(position("pkg/sub"), position("pkg/sub/deep.py"));
  EXPECT_LT(position("pkg"), position("pkg/__init__.py"));
  // Paths are relative to the context, without "./" or the root's own name.
  EXPECT_THAT(names, Not(Contains(StartsWith("./"))));
  EXPECT_THAT(names, Not(Contains(StartsWith("/"))));
}

TEST_F(BuildContextTest, TarHonoursDockerignore) {
  write_file(root() / ".dockerignore", "secret.key\npkg/sub/\n");
  TempDir out;
  extract(tar_bytes(context()), out.path());
  EXPECT_FALSE(fs::exists(out.path() / "secret.key"));
  EXPECT_FALSE(fs::exists(out.path() / "pkg" / "sub"));
  EXPECT_TRUE(fs::exists(out.path() / "pkg" / "__init__.py"));
  EXPECT_TRUE(fs::exists(out.path() / ".dockerignore"));
}

TEST_F(BuildContextTest, ReplacementContentIsSentAndTheFileOnDiskIsUnchanged) {
  const auto setup_before = test::read_file(root() / "setup.py");
  const auto init_before = test::read_file(root() / "pkg" / "__init__.py");
  const auto setup_mtime = fs::last_write_time(root() / "setup.py");
  auto ctx = context();
  // One replacement longer and one shorter than the file: a wrong size in the header would
  // corrupt every entry after it.
  ctx.replacements["setup.py"] = "setup(name='demo', version='2.0.1rc1.post3.dev4+local.build')\n";
  ctx.replacements["pkg/__init__.py"] = "V='2'\n";

  TempDir out;
  extract(tar_bytes(ctx), out.path());
  EXPECT_EQ(test::read_file(out.path() / "setup.py"), ctx.replacements["setup.py"]);
  EXPECT_EQ(test::read_file(out.path() / "pkg" / "__init__.py"), "V='2'\n");
  EXPECT_EQ(test::read_file(out.path() / "pkg" / "sub" / "deep.py"), "DEEP = True\n");
  EXPECT_EQ(test::read_file(out.path() / "secret.key"), "not so secret\n");

  EXPECT_EQ(test::read_file(root() / "setup.py"), setup_before);
  EXPECT_EQ(test::read_file(root() / "pkg" / "__init__.py"), init_before);
  EXPECT_EQ(fs::last_write_time(root() / "setup.py"), setup_mtime);
}

TEST_F(BuildContextTest, ReplacementKeepsTheFileMode) {
  auto ctx = context();
  ctx.replacements["run.sh"] = "#!/bin/sh\necho replaced\n";
  const auto listing = tar_listing(tar_bytes(ctx));
  EXPECT_THAT(listing, Contains(AllOf(StartsWith("-rwxr-xr-x "), EndsWith(" run.sh"))));
}

TEST_F(BuildContextTest, EmptyReplacementEmptiesTheSentFile) {
  auto ctx = context();
  ctx.replacements["setup.py"] = "";
  TempDir out;
  extract(tar_bytes(ctx), out.path());
  EXPECT_EQ(test::read_file(out.path() / "setup.py"), "");
  EXPECT_EQ(test::read_file(out.path() / "run.sh"), "#!/bin/sh\necho run\n");
}

TEST_F(BuildContextTest, ReplacementOfAnIgnoredFileIsNotSent) {
  write_file(root() / ".dockerignore", "setup.py\n");
  auto ctx = context();
  ctx.replacements["setup.py"] = "stamped\n";
  EXPECT_THAT(tar_names(tar_bytes(ctx)), Not(Contains("setup.py")));
}

TEST_F(BuildContextTest, LargeBinaryFileRoundTrips) {
  const auto data = random_bytes((3 << 20) + 12345, 7);
  write_file(root() / "data" / "blob.bin", data);
  TempDir out;
  extract(tar_bytes(context()), out.path());
  const auto copy = test::read_file(out.path() / "data" / "blob.bin");
  ASSERT_EQ(copy.size(), data.size());
  EXPECT_TRUE(copy == data) << "the extracted bytes differ";
}

TEST_F(BuildContextTest, LongPathsRoundTrip) {
  // Longer than ustar's 100-byte name and 155-byte prefix fields.
  const std::string dir(120, 'd');
  const std::string relative = dir + "/" + dir + "/" + std::string(110, 'f') + ".txt";
  write_file(root() / relative, "deep\n");
  EXPECT_THAT(list_context_files(context()), Contains(relative));
  TempDir out;
  extract(tar_bytes(context()), out.path());
  EXPECT_EQ(test::read_file(out.path() / relative), "deep\n");
}

TEST_F(BuildContextTest, NamesWithSpacesRoundTrip) {
  write_file(root() / "my docs" / "read me.txt", "spaced\n");
  TempDir out;
  extract(tar_bytes(context()), out.path());
  EXPECT_EQ(test::read_file(out.path() / "my docs" / "read me.txt"), "spaced\n");
}

// The helper runs in the C locale, in which libarchive cannot convert non-ASCII names.
TEST_F(BuildContextTest, NonAsciiNamesRoundTrip) {
  const std::string name =
      "donn\xc3\xa9"
      "es/caf\xc3\xa9.txt";  // "données/café.txt" in UTF-8
  write_file(root() / name, "utf-8\n");
  EXPECT_THAT(list_context_files(context()), Contains(name));
  TempDir out;
  extract(tar_bytes(context()), out.path());
  EXPECT_EQ(test::read_file(out.path() / name), "utf-8\n");
}

TEST_F(BuildContextTest, ReaderQuittingEarlyIsAnError) {
  write_file(root() / "big.bin", random_bytes(4 << 20, 9));
  process::Options options;
  options.timeout = 60s;
  const auto ctx = context();
  options.feed_stdin = [&](int fd) { write_context_tar(fd, ctx); };
  // `true` reads nothing and succeeds, so the failed write is what run() reports.
  EXPECT_THROW(process::run({"true"}, options), ContextError);
}

TEST_F(BuildContextTest, ListMatchesWhatTheTarSends) {
  write_file(root() / ".dockerignore", "*.key\n");
  auto ctx = context();
  std::vector<std::string> sent;
  for (const auto& line : tar_listing(tar_bytes(ctx))) {
    if (line.empty() || line[0] == 'd') continue;
    // "<mode> <owner> <size> <date> <time> <name>[ -> <target>]"
    std::istringstream fields(line);
    std::string mode, owner, size, date, time, name;
    fields >> mode >> owner >> size >> date >> time >> name;
    sent.push_back(name);
  }
  std::sort(sent.begin(), sent.end());
  EXPECT_EQ(sent, list_context_files(ctx));
  EXPECT_THAT(sent, Not(IsEmpty()));
}

}  // namespace
}  // namespace dp::docker
