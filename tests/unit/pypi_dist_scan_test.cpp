// scan_archive over archives whose members would be written outside the folder they are
// extracted to: '..' and absolute paths, symbolic and hard links pointing out of it.
#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pypi/dist/dist_scan.hpp"
#include "pypi/errors.hpp"
#include "support/temp_dir.hpp"

namespace dp::pypi {
namespace {

using ::testing::HasSubstr;

struct Member {
  std::string path;
  std::string symlink;   // a symbolic link when not empty
  std::string hardlink;  // a hard link when not empty
};

// Writes a .tar.gz with a small regular file "demo-1.0/PKG-INFO" and then `members`.
std::filesystem::path write_tar(const test::TempDir& dir, const std::vector<Member>& members) {
  const auto path = dir.path() / "demo-1.0.tar.gz";
  ::archive* writer = archive_write_new();
  archive_write_add_filter_gzip(writer);
  archive_write_set_format_pax_restricted(writer);
  EXPECT_EQ(archive_write_open_filename(writer, path.c_str()), ARCHIVE_OK);
  const std::string text = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
  std::vector<Member> all{{"demo-1.0/PKG-INFO", "", ""}};
  all.insert(all.end(), members.begin(), members.end());
  for (const auto& member : all) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.path.c_str());
    archive_entry_set_perm(entry, 0644);
    if (!member.symlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, member.symlink.c_str());
    } else if (!member.hardlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, member.hardlink.c_str());
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_size(entry, static_cast<la_int64_t>(text.size()));
    }
    EXPECT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
    if (member.symlink.empty() && member.hardlink.empty()) {
      archive_write_data(writer, text.data(), text.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return path;
}

std::string scan_error(const std::vector<Member>& members) {
  test::TempDir dir;
  const auto file = write_tar(dir, members);
  try {
    scan_archive(file, archive::Format::tar_gz, {});
  } catch (const DistributionError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(pypiDistScan, MembersThatStayInTheirFolderAreRead) {
  EXPECT_EQ(scan_error({{"demo-1.0/a/../b.py", "", ""},
                        {"demo-1.0/pkg/link.py", "../b.py", ""},
                        {"demo-1.0/up", "..", ""},
                        {"demo-1.0/hard.py", "", "demo-1.0/PKG-INFO"}}),
            "(no error)");
}

TEST(pypiDistScan, AMemberOutsideTheFolderIsAnErrorNamingIt) {
  EXPECT_THAT(scan_error({{"demo-1.0/../../evil.py", "", ""}}),
              HasSubstr("demo-1.0.tar.gz: member 'demo-1.0/../../evil.py' is a '..' path"));
  EXPECT_THAT(scan_error({{"../evil.py", "", ""}}),
              HasSubstr("member '../evil.py' is a '..' path"));
  EXPECT_THAT(scan_error({{"/tmp/evil.py", "", ""}}),
              HasSubstr("member '/tmp/evil.py' is an absolute path"));
}

TEST(pypiDistScan, ALinkPointingOutOfTheFolderIsAnErrorNamingItsTarget) {
  EXPECT_THAT(scan_error({{"demo-1.0/pkg/data", "../../../etc", ""}}),
              HasSubstr("member 'demo-1.0/pkg/data' is a symbolic link to '../../../etc', "
                        "outside the folder it is extracted to"));
  EXPECT_THAT(scan_error({{"demo-1.0/passwd", "/etc/passwd", ""}}),
              HasSubstr("is a symbolic link to the absolute path '/etc/passwd'"));
  EXPECT_THAT(scan_error({{"demo-1.0/hard", "", "../outside"}}),
              HasSubstr("member 'demo-1.0/hard' is a hard link to '../outside'"));
}

}  // namespace
}  // namespace dp::pypi
