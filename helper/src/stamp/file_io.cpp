#include "stamp/file_io.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "stamp/stamp.hpp"
#include "text/file.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(std::string_view action, const fs::path& path, int error) {
  throw StampError(fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error)));
}

// A mkstemp() file that is removed again unless commit() renamed it into place.
class TempFile {
 public:
  explicit TempFile(const fs::path& target) {
    auto pattern =
        (target.parent_path() / ("." + target.filename().string() + ".stamp-XXXXXX")).string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0) fail("create a temporary file next to", target, errno);
    path_ = pattern;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }

  void commit(const fs::path& target) {
    if (::fsync(fd_) != 0) fail("write", path_, errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("write", path_, errno);
    if (::rename(path_.c_str(), target.c_str()) != 0) fail("replace", target, errno);
    committed_ = true;
  }

 private:
  fs::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

void write_all(int fd, std::string_view content, const fs::path& path) {
  while (!content.empty()) {
    const auto written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write", path, errno);
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

std::string read_file(const fs::path& path) {
  auto content = text::read_file(path);
  if (!content) fail("read", path, errno);
  return std::move(*content);
}

void write_file_atomically(const fs::path& path, std::string_view content) {
  std::error_code error;
  const auto target = fs::canonical(path, error);
  if (error) fail("write", path, error.value());
  struct stat status {};
  if (::stat(target.c_str(), &status) != 0) fail("write", path, errno);

  TempFile temp{target};
  write_all(temp.fd(), content, temp.path());
  if (::fchmod(temp.fd(), status.st_mode & 07777) != 0) fail("write", temp.path(), errno);
  // Keeping the owner only works with the right to; a file we may write is fine without it.
  [[maybe_unused]] const int ignored = ::fchown(temp.fd(), status.st_uid, status.st_gid);
  temp.commit(target);
}

}  // namespace dp::stamp
