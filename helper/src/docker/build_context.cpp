#include "docker/build_context.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/core.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "docker/dockerignore.hpp"
#include "text/file.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;

DockerIgnore read_dockerignore(const fs::path& root) {
  const auto content = text::read_file(root / ".dockerignore");
  return content ? DockerIgnore(*content) : DockerIgnore();
}

bool is_under(const fs::path& path, const fs::path& dir) {
  const auto relative = path.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

bool is_always_sent(const BuildContext& context, const std::string& relative) {
  return std::find(context.always_sent.begin(), context.always_sent.end(), relative) !=
         context.always_sent.end();
}

using Entry = ContextEntry;

// `folder` (outside the context) as if it were the context's `prefix`, its parents included.
void add_folder(const std::string& prefix, const fs::path& folder, bool with_directories,
                std::vector<Entry>& entries) {
  if (with_directories) {
    for (auto slash = prefix.find('/'); slash != std::string::npos;
         slash = prefix.find('/', slash + 1)) {
      entries.push_back({prefix.substr(0, slash), folder});
    }
    entries.push_back({prefix, folder});
  }
  std::error_code error;
  fs::recursive_directory_iterator it(folder, error), end;
  if (error)
    throw ContextError(fmt::format("cannot read {}: {}", folder.string(), error.message()));
  for (; it != end; it.increment(error)) {
    if (error) throw ContextError(fmt::format("reading {}: {}", folder.string(), error.message()));
    if (it->is_directory() && !it->is_symlink() && !with_directories) continue;
    entries.push_back(
        {prefix + "/" + it->path().lexically_relative(folder).generic_string(), it->path()});
  }
}

// Directories come before what they contain, so the stream recreates the tree.
std::vector<Entry> collect_entries(const BuildContext& context, bool with_directories) {
  const auto ignore = read_dockerignore(context.root);
  std::vector<Entry> entries;
  std::error_code error;
  fs::recursive_directory_iterator it(context.root, error), end;
  if (error) {
    throw ContextError(
        fmt::format("cannot read build context {}: {}", context.root.string(), error.message()));
  }
  for (; it != end; it.increment(error)) {
    if (error) throw ContextError(fmt::format("reading build context: {}", error.message()));
    const auto& path = it->path();
    const bool directory = it->is_directory() && !it->is_symlink();
    bool skip = false;
    for (const auto& excluded : context.excluded_dirs)
      skip = skip || is_under(path, excluded) || path == excluded;
    const auto relative = path.lexically_relative(context.root).generic_string();
    skip = skip || (ignore.excludes(relative) && !is_always_sent(context, relative));
    if (skip) {
      // An excluded folder may still hold what a `!` line or always_sent brings back.
      if (directory && !ignore.has_exceptions() && context.always_sent.empty()) {
        it.disable_recursion_pending();
      }
      continue;
    }
    for (const auto& [prefix, folder] : context.added_dirs) {
      if (relative == prefix || relative.starts_with(prefix + "/")) {
        throw ContextError(
            fmt::format("the build context {} holds {}, where the pipeline puts {}: rename it",
                        context.root.string(), relative, folder.string()));
      }
    }
    if (directory && !with_directories) continue;
    entries.push_back({relative, path});
  }
  for (const auto& [prefix, folder] : context.added_dirs)
    add_folder(prefix, folder, with_directories, entries);
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.relative < b.relative; });
  // An added folder's parents may be folders of the context too.
  entries.erase(
      std::unique(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.relative == b.relative; }),
      entries.end());
  return entries;
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

class TarWriter {
 public:
  explicit TarWriter(int fd) : archive_(archive_write_new()) {
    // GNU tar: long names without pax headers, and names go out as the bytes they are on disk
    // (pax would convert them from this process's locale, which fails for non-ASCII in C).
    if (archive_write_set_format_gnutar(archive_.get()) != ARCHIVE_OK ||
        archive_write_open_fd(archive_.get(), fd) != ARCHIVE_OK) {
      fail("opening the context stream");
    }
  }

  void add(const Entry& entry, const std::string* replacement) {
    struct stat info {};
    if (::lstat(entry.absolute.c_str(), &info) != 0) {
      throw ContextError(
          fmt::format("cannot read {}: {}", entry.absolute.string(), std::strerror(errno)));
    }
    std::unique_ptr<archive_entry, EntryDeleter> header(archive_entry_new());
    archive_entry_copy_stat(header.get(), &info);
    archive_entry_set_pathname(header.get(), entry.relative.c_str());
    archive_entry_set_uname(header.get(), "");
    archive_entry_set_gname(header.get(), "");
    if (S_ISLNK(info.st_mode)) {
      const auto target = fs::read_symlink(entry.absolute);
      archive_entry_set_symlink(header.get(), target.c_str());
    }
    if (replacement != nullptr)
      archive_entry_set_size(header.get(), static_cast<la_int64_t>(replacement->size()));
    if (!S_ISREG(info.st_mode)) archive_entry_set_size(header.get(), 0);
    if (archive_write_header(archive_.get(), header.get()) != ARCHIVE_OK) fail(entry.relative);
    if (!S_ISREG(info.st_mode)) return;
    if (replacement != nullptr) {
      write(replacement->data(), replacement->size(), entry.relative);
    } else {
      copy_file(entry);
    }
  }

  void close() {
    if (archive_write_close(archive_.get()) != ARCHIVE_OK) fail("closing the context stream");
  }

 private:
  void copy_file(const Entry& entry) {
    std::ifstream in(entry.absolute, std::ios::binary);
    if (!in) throw ContextError(fmt::format("cannot open {}", entry.absolute.string()));
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      write(buffer, static_cast<std::size_t>(in.gcount()), entry.relative);
    }
  }

  void write(const char* data, std::size_t size, const std::string& what) {
    if (archive_write_data(archive_.get(), data, size) < 0) fail(what);
  }

  [[noreturn]] void fail(const std::string& what) {
    throw ContextError(
        fmt::format("writing build context ({}): {}", what, archive_error_string(archive_.get())));
  }

  std::unique_ptr<archive, ArchiveDeleter> archive_;
};

}  // namespace

std::vector<std::string> list_context_files(const BuildContext& context) {
  std::vector<std::string> files;
  for (auto& entry : collect_entries(context, false)) files.push_back(std::move(entry.relative));
  return files;
}

std::vector<ContextEntry> list_context_entries(const BuildContext& context) {
  return collect_entries(context, true);
}

void write_context_tar(int fd, const BuildContext& context) {
  TarWriter tar(fd);
  for (const auto& entry : collect_entries(context, true)) {
    const auto replaced = context.replacements.find(entry.relative);
    tar.add(entry, replaced == context.replacements.end() ? nullptr : &replaced->second);
  }
  tar.close();
}

}  // namespace dp::docker
