// Fuzz target over the upload journal (<dist folder>/.docker-pipeline-upload.json): a cache a
// later run reads, perhaps left half-written by another tool or edited by hand. An unreadable
// journal reads as empty; nothing throws, and an entry recorded is found again after it is saved
// and read back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/upload/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using dp::fuzz::check;
  using dp::pypi::UploadJournal;
  const auto text = dp::fuzz::as_text(data, size);
  const auto& folder = dp::fuzz::scratch().path();
  dp::fuzz::scratch().write(std::string{UploadJournal::file_name}, text);

  UploadJournal journal(folder);
  journal.find("demo-1.0-py3-none-any.whl", "https://upload.pypi.org/legacy/");
  journal.record({"demo-1.0.tar.gz", "uploaded", std::string(64, 'a'), 1234,
                  "http://127.0.0.1:8080/", "2024-05-01T12:00:00Z"});
  const UploadJournal again(folder);
  const auto entry = again.find("demo-1.0.tar.gz", "http://127.0.0.1:8080/");
  check(entry && entry->size == 1234 && entry->outcome == "uploaded",
        "a recorded entry is not read back");
  return 0;
}
