#include "text/file.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <optional>

namespace dp::text {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(std::string_view action, const fs::path& path, int error) {
  throw FileError(fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error)));
}

// A temporary file beside `target`, created with 0666 less the umask, removed again unless
// commit() renamed it into place.
class TempFile {
 public:
  explicit TempFile(const fs::path& target) {
    const auto stem = "." + target.filename().string() + fmt::format(".tmp-{}-", ::getpid());
    for (int attempt = 0; fd_ < 0; ++attempt) {
      path_ = target.parent_path() / (stem + std::to_string(attempt));
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ < 0 && (errno != EEXIST || attempt == 100)) {
        fail("create a temporary file next to", target, errno);
      }
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  void write_all(std::string_view content) {
    while (!content.empty()) {
      const auto written = ::write(fd_, content.data(), content.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        fail("write", path_, errno);
      }
      content.remove_prefix(static_cast<std::size_t>(written));
    }
  }

  void take_mode_and_owner(const struct stat& status) {
    if (::fchmod(fd_, status.st_mode & 07777) != 0) fail("write", path_, errno);
    // Keeping the owner only works with the right to; a file we may write is fine without it.
    [[maybe_unused]] const int ignored = ::fchown(fd_, status.st_uid, status.st_gid);
  }

  void commit(const fs::path& target) {
    if (::fsync(fd_) != 0) fail("write", path_, errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("write", path_, errno);
    move_into_place(path_, target);
    committed_ = true;
  }

 private:
  fs::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view content) {
  std::error_code error;
  auto target = fs::path(path);
  std::optional<struct stat> existing;
  if (fs::exists(path, error)) {
    target = fs::canonical(path, error);
    if (error) fail("write", path, error.value());
    existing.emplace();
    if (::stat(target.c_str(), &*existing) != 0) fail("write", path, errno);
  } else if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), error);
    if (error) fail("write", path, error.value());
  }
  TempFile temp{target};
  temp.write_all(content);
  if (existing) temp.take_mode_and_owner(*existing);
  temp.commit(target);
}

bool write_file_if_changed(const fs::path& path, std::string_view content) {
  if (read_file(path) == content) return false;
  write_file_atomically(path, content);
  return true;
}

void move_into_place(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) fail("replace", to, errno);
}

}  // namespace dp::text
