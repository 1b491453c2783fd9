// Upload against a fault-injecting local HTTP server: the answers a real index gives only when
// something is wrong (409, 403, 5xx, 429, redirects, dropped connections, nobody listening),
// plus a simple API whose pages each test sets. Successful uploads are exercised against a real
// pypiserver by the integration tests.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "digest/file_digests.hpp"
#include "process/interrupts.hpp"
#include "process/process.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/errors.hpp"
#include "pypi/upload/index_answers.hpp"
#include "pypi/upload/journal.hpp"
#include "pypi/upload/upload_run.hpp"
#include "pypi/upload/uploader.hpp"
#include "stages/publish/upload_inputs.hpp"
#include "stages/publish/upload_stage.hpp"
#include "support/child_check.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace dp::pypi {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

struct RecordedRequest {
  std::string head;  // request line and headers
  std::string body;
};

// Canned answers with a special meaning to FaultyIndex.
const std::string drop_mid_body = "(drop the connection halfway through the body)";
// Read the request (recorded once its head is in), never answer, hold the connection until the
// client drops it: an index that accepts connections and stays silent. Also a page for GETs.
const std::string never_answer = "(never answer)";

// Answers each POST with the next canned response (the last one repeats) and records it; a GET
// gets the page set for its path, else 404. Answers "100 Continue" to "Expect: 100-continue"
// unless told to answer before the body or never to answer. Listens on 127.0.0.1 only.
class FaultyIndex {
 public:
  explicit FaultyIndex(std::vector<std::string> responses, bool answer_before_body = false)
      : responses_(std::move(responses)),
        answer_before_body_(answer_before_body),
        listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_.get(), 16) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FaultyIndex() {
    stop_ = true;
    thread_.join();
  }

  std::string root() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return root() + "/legacy/"; }
  void set_page(const std::string& path, std::string response) {
    std::lock_guard lock{mutex_};
    pages_[path] = std::move(response);
  }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock{mutex_};
    return requests_;
  }
  std::vector<std::string> gets() const {
    std::lock_guard lock{mutex_};
    return gets_;
  }
  // Waits until `count` requests (POSTs and GETs) have come in; false after 10 s without.
  bool wait_for_requests(std::size_t count) const {
    std::unique_lock lock{mutex_};
    return arrived_.wait_for(lock, std::chrono::seconds{10},
                             [&] { return requests_.size() + gets_.size() >= count; });
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd waiting{listener_.get(), POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      UniqueFd connection{::accept(listener_.get(), nullptr, nullptr)};
      if (connection.get() >= 0) answer(connection.get());
    }
  }

  void answer(int connection) {
    std::string data = read_until(connection, "", std::string::npos);
    const auto header_end = data.find("\r\n\r\n");
    if (header_end == std::string::npos) return;
    RecordedRequest request{data.substr(0, header_end), data.substr(header_end + 4)};
    if (request.head.starts_with("GET ")) {
      const auto path = request.head.substr(4, request.head.find(' ', 4) - 4);
      std::string response = http_response_404();
      {
        std::lock_guard lock{mutex_};
        gets_.push_back(path);
        if (const auto found = pages_.find(path); found != pages_.end()) response = found->second;
      }
      arrived_.notify_all();
      if (response == never_answer) {
        hold_silently(connection);
      } else {
        send_all(connection, response);
      }
      return;
    }
    std::string response;
    {
      std::lock_guard lock{mutex_};
      response = responses_[std::min(post_count_++, responses_.size() - 1)];
    }
    const std::size_t length = content_length(request.head);
    if (response == never_answer) {
      record(std::move(request));
      hold_silently(connection);
      return;
    }
    if (answer_before_body_) {
      send_all(connection, response);
      // Whatever the client still sends in the next moments would be the file.
      request.body = read_until(connection, request.body, length, 300);
    } else {
      if (request.head.find("Expect: 100-continue") != std::string::npos) {
        send_all(connection, "HTTP/1.1 100 Continue\r\n\r\n");
      }
      if (response == drop_mid_body) {
        request.body = read_until(connection, request.body, length / 2);
        linger reset{1, 0};  // close with RST: the client sees the connection reset
        ::setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      } else {
        // Recorded before the answer goes out: the client may look as soon as it has it.
        request.body = read_until(connection, request.body, length);
        record(std::move(request));
        send_all(connection, response);
        return;
      }
    }
    record(std::move(request));
  }

  void record(RecordedRequest request) {
    {
      std::lock_guard lock{mutex_};
      requests_.push_back(std::move(request));
    }
    arrived_.notify_all();
  }

  // Reads (and drops) what the client sends until it closes the connection or the index stops.
  void hold_silently(int connection) const {
    char buffer[65536];
    while (!stop_) {
      pollfd readable{connection, POLLIN, 0};
      if (::poll(&readable, 1, 50) > 0 && ::recv(connection, buffer, sizeof buffer, 0) <= 0) return;
    }
  }

  static std::string http_response_404() {
    return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  }

  static std::size_t content_length(const std::string& head) {
    const auto field = head.find("Content-Length: ");
    return field == std::string::npos ? 0 : std::stoul(head.substr(field + 16));
  }

  static void send_all(int connection, const std::string& data) {
    ::send(connection, data.data(), data.size(), MSG_NOSIGNAL);
  }

  // Reads until the head is complete (`wanted` npos) or `data` holds `wanted` bytes, or the
  // peer stops, or `timeout_ms` pass without data. Returns everything read, `data` included.
  static std::string read_until(int connection, std::string data, std::size_t wanted,
                                int timeout_ms = 5000) {
    char buffer[65536];
    while (wanted == std::string::npos ? data.find("\r\n\r\n") == std::string::npos
                                       : data.size() < wanted) {
      pollfd readable{connection, POLLIN, 0};
      if (::poll(&readable, 1, timeout_ms) <= 0) break;
      const std::size_t room = wanted == std::string::npos
                                   ? sizeof buffer
                                   : std::min(sizeof buffer, wanted - data.size());
      const auto count = ::recv(connection, buffer, room, 0);
      if (count <= 0) break;
      data.append(buffer, static_cast<std::size_t>(count));
    }
    return data;
  }

  std::vector<std::string> responses_;
  bool answer_before_body_;
  UniqueFd listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::size_t post_count_ = 0;
  std::vector<RecordedRequest> requests_;
  std::vector<std::string> gets_;
  std::map<std::string, std::string> pages_;
  std::thread thread_;
};

std::string http_response(const std::string& status_line, const std::string& body = "",
                          const std::string& extra_headers = "") {
  return "HTTP/1.1 " + status_line + "\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

struct Part {
  std::string headers;
  std::string data;
};

// The parts of a multipart/form-data body, split on the boundary given in `head`.
std::vector<Part> multipart_parts(const RecordedRequest& request) {
  const auto start = request.head.find("boundary=");
  const auto boundary =
      "--" + request.head.substr(start + 9, request.head.find("\r\n", start) - start - 9);
  std::vector<Part> parts;
  std::size_t position = request.body.find(boundary);
  while (position != std::string::npos) {
    position += boundary.size();
    if (request.body.compare(position, 2, "--") == 0) break;
    const auto headers_end = request.body.find("\r\n\r\n", position);
    const auto next = request.body.find("\r\n" + boundary, headers_end);
    parts.push_back({request.body.substr(position + 2, headers_end - position - 2),
                     request.body.substr(headers_end + 4, next - headers_end - 4)});
    position = next == std::string::npos ? next : next + 2;
  }
  return parts;
}

std::string field_value(const std::vector<Part>& parts, const std::string& name) {
  for (const auto& part : parts) {
    if (part.headers.find("name=\"" + name + "\"") != std::string::npos) return part.data;
  }
  return "(missing)";
}

const std::string wheel_name = "demo_pkg-0.1.0-py3-none-any.whl";
const std::string wheel_sha256 = "a873ac59969d013b90f6dffa91a144ef77b1897326c592d6e1f7f06d5c4db5aa";

std::string json_page(const std::string& filename, const std::string& sha256) {
  return http_response(
      "200 OK",
      R"({"meta": {"api-version": "1.0"}, "name": "demo-pkg", "files": [{"filename": ")" +
          filename + R"(", "url": "x", "hashes": {"sha256": ")" + sha256 + R"("}}]})",
      "Content-Type: application/vnd.pypi.simple.v1+json\r\n");
}

class pypiUpload : public ::testing::Test {
 protected:
  ResolvedRepository repository_at(const std::string& url) const {
    ResolvedRepository repository;
    repository.url = url;
    repository.username = "alice";
    repository.password = "s3cret";
    repository.username_origin = "TWINE_USERNAME";
    repository.password_origin = "TWINE_PASSWORD";
    return repository;
  }

  // Points the settings at the index's simple API (<root>/simple/).
  void use_simple_api(const FaultyIndex& index) {
    simple_index_ = std::make_unique<SimpleIndex>(
        simple_index_candidates(index.url(), std::nullopt), repository_at(index.url()),
        // The upload's own options, as the helper has it: one SilentIndexes for both.
        [this](const std::string& url, const std::string& accept,
               const ResolvedRepository* credentials) {
          return http_get(url, accept, credentials, settings_.http);
        });
    settings_.index = simple_index_.get();
  }

  UploadResult upload(const FaultyIndex& index, const std::string& file = wheel_name) {
    return upload_distribution(repository_at(index.url()), inspect_distribution(fixtures / file),
                               settings_);
  }

  std::vector<std::chrono::milliseconds> sleeps_;
  std::unique_ptr<SimpleIndex> simple_index_;
  UploadSettings settings_ = [this] {
    UploadSettings settings;
    settings.retry.retries = 2;
    settings.retry.sleep = [this](std::chrono::milliseconds delay) { sleeps_.push_back(delay); };
    // The fixtures are small; these tests watch the 100-continue exchange all the same.
    settings.http.expect_continue_from = 0;
    return settings;
  }();
};

TEST_F(pypiUpload, AConflictFailsWithStatusReasonAndBody) {
  FaultyIndex index{
      {http_response("409 Conflict", "<html><body><h1>File already exists</h1></body></html>")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.response.status, 409);
  EXPECT_EQ(result.detail,
            wheel_name + " already exists on the index (HTTP 409 Conflict: File already exists)");
  EXPECT_EQ(result.attempts, 1);
}

TEST_F(pypiUpload, SendsTheFormTheWayTwineDoes) {
  FaultyIndex index{{http_response("409 Conflict")}};
  upload(index);
  const auto requests = index.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests.front();
  EXPECT_THAT(request.head, StartsWith("POST /legacy/ HTTP/1.1\r\n"));
  // base64("alice:s3cret")
  EXPECT_THAT(request.head, HasSubstr("Authorization: Basic YWxpY2U6czNjcmV0\r\n"));
  EXPECT_THAT(request.head, HasSubstr("Content-Type: multipart/form-data; boundary="));
  EXPECT_THAT(request.head, HasSubstr("Expect: 100-continue\r\n"));

  const auto parts = multipart_parts(request);
  EXPECT_EQ(field_value(parts, ":action"), "file_upload");
  EXPECT_EQ(field_value(parts, "protocol_version"), "1");
  EXPECT_EQ(field_value(parts, "name"), "demo-pkg");
  EXPECT_EQ(field_value(parts, "version"), "0.1.0");
  EXPECT_EQ(field_value(parts, "filetype"), "bdist_wheel");
  EXPECT_EQ(field_value(parts, "pyversion"), "py3");
  EXPECT_EQ(field_value(parts, "sha256_digest"),
            "a873ac59969d013b90f6dffa91a144ef77b1897326c592d6e1f7f06d5c4db5aa");
  EXPECT_EQ(field_value(parts, "description"),
            "# demo_pkg\n\nA fixture. Second paragraph\nspans two lines.\n");

  // The digests follow the content, so the file is hashed while it is sent.
  const auto content_at = std::find_if(parts.begin(), parts.end(), [](const auto& part) {
    return part.headers.find("name=\"content\"") != std::string::npos;
  });
  ASSERT_NE(content_at, parts.end());
  const auto& content = *content_at;
  EXPECT_EQ(field_value(std::vector(content_at + 1, parts.end()), "sha256_digest").size(), 64u);
  EXPECT_EQ(field_value(std::vector(content_at + 1, parts.end()), "blake2_256_digest").size(), 64u);
  EXPECT_THAT(content.headers, AllOf(HasSubstr("name=\"content\""),
                                     HasSubstr("filename=\"demo_pkg-0.1.0-py3-none-any.whl\""),
                                     HasSubstr("Content-Type: application/octet-stream")));
  EXPECT_EQ(content.data, test::read_file(fixtures / "demo_pkg-0.1.0-py3-none-any.whl"));
  for (const auto& part : parts) {
    if (&part != &content) {
      EXPECT_THAT(part.headers, Not(HasSubstr("Content-Type")));
    }
  }
}

TEST_F(pypiUpload, SkipExistingSkipsAConflict) {
  FaultyIndex index{{http_response("409 Conflict")}};
  settings_.skip_existing = true;
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::skipped);
  EXPECT_EQ(result.detail, "already on the index (409 Conflict)");
}

TEST_F(pypiUpload, SkipExistingSkipsPypisBadRequestThatSaysAlreadyExists) {
  settings_.skip_existing = true;
  FaultyIndex exists{
      {http_response("400 File already exists. See https://pypi.org/help/#file-name-reuse")}};
  EXPECT_EQ(upload(exists).outcome, UploadOutcome::skipped);
  FaultyIndex invalid{{http_response("400 Invalid value for classifiers")}};
  const auto result = upload(invalid);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.detail, "HTTP 400 Invalid value for classifiers");
}

TEST_F(pypiUpload, AWrongPasswordFails) {
  FaultyIndex index{{http_response("403 Forbidden", "Invalid or non-existing authentication.")}};
  const auto result = upload(index, "demo_pkg-0.1.0.tar.gz");
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.detail, "HTTP 403 Forbidden: Invalid or non-existing authentication.");
}

TEST_F(pypiUpload, AServerErrorIsRetriedAndMaySucceed) {
  FaultyIndex index{{http_response("500 Internal Server Error"), http_response("200 OK")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::uploaded);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(result.size, std::filesystem::file_size(fixtures / "demo_pkg-0.1.0-py3-none-any.whl"));
}

TEST_F(pypiUpload, APersistentServerErrorFailsAfterTheLastAttempt) {
  FaultyIndex index{{http_response("503 Service Unavailable", "try later")}};
  std::vector<std::string> log;
  settings_.log = [&log](std::string_view line) { log.emplace_back(line); };
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(index.requests().size(), 3u);
  EXPECT_EQ(result.detail, "HTTP 503 Service Unavailable: try later (after 3 attempts)");
  EXPECT_THAT(log, Contains(HasSubstr("retry 2 of 2")));
  EXPECT_THAT(sleeps_, ElementsAre(std::chrono::seconds{1}, std::chrono::seconds{2}));
  for (const auto& line : log) EXPECT_THAT(line, Not(HasSubstr("s3cret")));
}

TEST_F(pypiUpload, ARedirectIsReportedNotFollowed) {
  FaultyIndex index{{http_response("301 Moved Permanently", "",
                                   "Location: https://elsewhere.invalid/legacy/\r\n")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_THAT(
      result.detail,
      AllOf(HasSubstr("HTTP 301 Moved Permanently"),
            HasSubstr("the index redirects to https://elsewhere.invalid/legacy/; upload to "
                      "that URL instead (--repository-url https://elsewhere.invalid/legacy/)"),
            HasSubstr("https instead of http")));
  EXPECT_EQ(index.requests().size(), 1u);
}

TEST_F(pypiUpload, ARedirectToTheUploadUrlItselfIsNamedALoop) {
  FaultyIndex index{{http_response("301 Moved Permanently", "", "Location: /legacy/\r\n")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_THAT(result.detail,
              AllOf(HasSubstr("HTTP 301 Moved Permanently: a redirect loop: the index redirects "
                              "the upload to the URL it was sent to, " +
                              index.url()),
                    Not(HasSubstr("upload to that URL instead"))));
  EXPECT_EQ(index.requests().size(), 1u);
}

TEST_F(pypiUpload, A200ThatIsAnErrorPageIsUploadedAndSaysSo) {
  const std::string page =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
      "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  FaultyIndex index{{http_response("200 OK", page, "Content-Type: text/html\r\n")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::uploaded);
  EXPECT_EQ(result.detail,
            "the index answered HTTP 200 with what reads as an error page (502 Bad Gateway nginx); "
            "it may not have stored the file: --verify checks");
  FaultyIndex plain{{http_response("200 OK", "<html><body>OK: demo uploaded</body></html>",
                                   "Content-Type: text/html\r\n")}};
  EXPECT_EQ(upload(plain).detail, "");
}

TEST_F(pypiUpload, AStatusLineWithoutReasonGetsTheStandardOne) {
  FaultyIndex index{{"HTTP/1.1 409\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}};
  EXPECT_THAT(upload(index).detail, HasSubstr("(HTTP 409 Conflict)"));
}

TEST_F(pypiUpload, NobodyListeningFailsAfterRetries) {
  std::string url;
  {
    FaultyIndex closed{{http_response("200 OK")}};
    url = closed.url();
  }
  const auto result = upload_distribution(
      repository_at(url), inspect_distribution(fixtures / "demo_pkg-0.1.0.zip"), settings_);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_THAT(result.detail, AllOf(HasSubstr("demo_pkg-0.1.0.zip"), HasSubstr(url),
                                   HasSubstr("(after 3 attempts)"), Not(HasSubstr("s3cret"))));
}

TEST_F(pypiUpload, ServerErrorTwiceThenSuccessUploadsOnce) {
  FaultyIndex index{{http_response("500 Internal Server Error"),
                     http_response("500 Internal Server Error"), http_response("200 OK")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::uploaded);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(index.requests().size(), 3u);
  EXPECT_THAT(sleeps_, ElementsAre(std::chrono::seconds{1}, std::chrono::seconds{2}));
}

TEST_F(pypiUpload, TooManyRequestsWaitsAsRetryAfterSays) {
  FaultyIndex index{
      {http_response("429 Too Many Requests", "", "Retry-After: 1\r\n"), http_response("200 OK")}};
  settings_.retry.first_delay = std::chrono::milliseconds{50};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::uploaded);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_THAT(sleeps_, ElementsAre(std::chrono::seconds{1}));
}

TEST_F(pypiUpload, OtherClientErrorsAreNotRetried) {
  FaultyIndex index{{http_response("400 Invalid classifier"), http_response("200 OK")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(result.detail, "HTTP 400 Invalid classifier");
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(pypiUpload, ALostAnswerIsCheckedOnTheIndexBeforeRetrying) {
  FaultyIndex index{{drop_mid_body, http_response("200 OK")}};
  index.set_page("/simple/demo-pkg/", json_page(wheel_name, wheel_sha256));
  use_simple_api(index);
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::uploaded) << result.detail;
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(index.requests().size(), 1u);
  EXPECT_THAT(index.gets(), ElementsAre("/simple/demo-pkg/"));
  EXPECT_THAT(sleeps_, IsEmpty());
}

TEST_F(pypiUpload, ALostAnswerIsRetriedWhenTheIndexDoesNotHaveTheFile) {
  FaultyIndex index{{drop_mid_body, http_response("200 OK")}};
  use_simple_api(index);
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::uploaded) << result.detail;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(index.requests().size(), 2u);
}

TEST_F(pypiUpload, WithoutSkipExistingAnExistingFileFailsPointingAtSkipExisting) {
  FaultyIndex index{{http_response("400 File already exists. See https://pypi.org/help/")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_THAT(result.detail, HasSubstr(wheel_name + " already exists on the index"));
  EXPECT_THAT(result.advice, HasSubstr("--skip-existing"));
}

TEST_F(pypiUpload, SkipExistingAsksTheSimpleApiAndSendsNothing) {
  FaultyIndex index{{http_response("200 OK")}};
  index.set_page("/simple/demo-pkg/", json_page(wheel_name, wheel_sha256));
  use_simple_api(index);
  settings_.skip_existing = true;
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::skipped);
  EXPECT_THAT(result.detail, HasSubstr("same sha256"));
  EXPECT_THAT(index.requests(), IsEmpty());
}

TEST_F(pypiUpload, ADifferentSha256OnTheIndexIsAnErrorNotASkip) {
  FaultyIndex index{{http_response("409 Conflict")}};
  const std::string theirs(64, 'f');
  index.set_page(
      "/simple/demo-pkg/",
      http_response("200 OK", "<html><body><a href=\"/packages/" + wheel_name +
                                  "#sha256=" + theirs + "\">" + wheel_name + "</a></body></html>"));
  use_simple_api(index);
  settings_.skip_existing = true;
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.detail, wheel_name + " is on the index with a different sha256 (" + theirs +
                               ") than the local file (" + wheel_sha256 + ")");
  EXPECT_THAT(index.requests(), IsEmpty());
}

TEST_F(pypiUpload, SmallFilesGoWithoutWaitingFor100Continue) {
  FaultyIndex index{{http_response("200 OK")}};
  settings_.http.expect_continue_from = 1 << 20;  // the default; the fixture is 1.2 KB
  upload(index);
  ASSERT_EQ(index.requests().size(), 1u);
  EXPECT_THAT(index.requests().front().head, Not(HasSubstr("Expect:")));
}

TEST_F(pypiUpload, RefusedCredentialsFailBeforeTheFileIsSent) {
  FaultyIndex index{{http_response("403 Forbidden", "Invalid API Token")},
                    /*answer_before_body=*/true};
  // The refusal must win over libcurl's give-up-and-send even on a loaded machine.
  settings_.http.expect_continue_wait = std::chrono::seconds(20);
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.bytes_sent, 0u);
  // The index records the request only after watching for a body: the client may be back first.
  ASSERT_TRUE(index.wait_for_requests(1));
  ASSERT_EQ(index.requests().size(), 1u);
  EXPECT_THAT(index.requests().front().body, IsEmpty());
  EXPECT_THAT(result.advice, HasSubstr("for an API token the username is __token__"));
  EXPECT_THAT(result.advice, Not(HasSubstr("s3cret")));
}

// An index that accepts connections and never answers costs two timeouts, not one per attempt
// and lookup.
class pypiSilentIndex : public pypiUpload {
 protected:
  pypiSilentIndex() {
    settings_.http.stall_timeout = std::chrono::seconds{1};
    settings_.http.expect_continue_from = 1 << 20;  // the default: the body goes out at once
  }
};

TEST_F(pypiSilentIndex, IsGivenUpAfterTwoTimeoutsForEveryFileAndLookup) {
  FaultyIndex index{{never_answer}};
  index.set_page("/simple/demo-pkg/", never_answer);
  use_simple_api(index);
  const auto result = upload(index);
  // The upload timed out, and so did the lookup asking whether it had arrived: no retry.
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(index.requests().size(), 1u);
  EXPECT_THAT(index.gets(), ElementsAre("/simple/demo-pkg/"));
  EXPECT_THAT(sleeps_, IsEmpty());
  EXPECT_THAT(result.detail,
              AllOf(StartsWith("uploading " + wheel_name + " to " + index.url() + " failed: "),
                    HasSubstr("timed out: nothing moved for 1 s"),
                    HasSubstr("not tried again: " + index.root() +
                              " gave no answer to 2 requests in a row"),
                    Not(HasSubstr("s3cret"))));
  EXPECT_THAT(result.advice, HasSubstr("--timeout (1 s)"));

  // Another file is not sent at all.
  const auto next = upload(index, "demo_pkg-0.1.0.zip");
  EXPECT_EQ(next.outcome, UploadOutcome::failed);
  EXPECT_THAT(next.detail, HasSubstr("demo_pkg-0.1.0.zip to " + index.url() +
                                     " not tried: " + index.root() + " gave no answer"));
  EXPECT_THAT(next.advice, HasSubstr("--timeout"));
  EXPECT_EQ(index.requests().size(), 1u);
  EXPECT_EQ(index.gets().size(), 1u);
}

TEST_F(pypiSilentIndex, ATimedOutUploadIsRetriedOnceThoughMoreRetriesAreAllowed) {
  FaultyIndex index{{never_answer}};
  use_simple_api(index);  // answers (404): the index is up, only its uploads hang
  ASSERT_GT(settings_.retry.retries, 1);
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(index.requests().size(), 2u);
  EXPECT_THAT(sleeps_, ElementsAre(std::chrono::seconds{1}));
  EXPECT_THAT(result.detail,
              AllOf(HasSubstr("nothing moved for 1 s"), HasSubstr("(after 2 attempts)")));
}

TEST(pypiUploadDefaults, GiveUpOnASilentIndexWithinAMinute) {
  using namespace std::chrono_literals;
  const UploadSettings defaults;
  EXPECT_EQ(defaults.http.connect_timeout, 10s);
  EXPECT_EQ(defaults.http.stall_timeout, 20s);
  EXPECT_EQ(defaults.retry.retries, 3);
  EXPECT_EQ(defaults.retry.timeout_retries, 1);
  // Two requests that time out after 20 s each, and the first backoff between them.
  EXPECT_EQ(silent_index_budget(defaults), 41s);
  EXPECT_LE(silent_index_budget(defaults), 60s);
  // The answer to a large upload is waited for longer: 500 MiB, 50 s more.
  EXPECT_EQ(silent_index_budget(defaults, std::uintmax_t{500} << 20), 141s);
}

class pypiUploadRun : public pypiUpload {
 protected:
  // Copies of the fixture wheel in `count` folders of a temporary directory.
  std::vector<Distribution> wheels(int count) {
    std::vector<Distribution> distributions;
    for (int i = 0; i < count; ++i) {
      const auto folder = directory_.path() / std::to_string(i);
      std::filesystem::create_directories(folder);
      std::filesystem::copy_file(fixtures / wheel_name, folder / wheel_name);
      distributions.push_back(inspect_distribution(folder / wheel_name));
    }
    return distributions;
  }

  RunSummary run(const FaultyIndex& index, const std::vector<Distribution>& distributions) {
    run_settings_.upload = settings_;
    return upload_all(repository_at(index.url()), distributions, run_settings_, {});
  }

  test::TempDir directory_;
  RunSettings run_settings_;
};

TEST_F(pypiUploadRun, SeveralJobsUploadEveryFile) {
  FaultyIndex index{{http_response("200 OK")}};
  run_settings_.jobs = 3;
  const auto summary = run(index, wheels(5));
  EXPECT_EQ(summary.uploaded, 5);
  EXPECT_TRUE(summary.ok());
  EXPECT_EQ(index.requests().size(), 5u);
}

TEST_F(pypiUploadRun, TheRunsFirstFileGoesAloneBeforeTheOthersStart) {
  // An index makes a project it lacks with its first upload: several first uploads would race.
  FaultyIndex index{{http_response("200 OK")}};
  run_settings_.upload = settings_;
  run_settings_.jobs = 4;
  std::mutex mutex;
  std::vector<std::string> events;
  const auto event = [&](std::string what, const Distribution& distribution) {
    std::lock_guard lock{mutex};
    events.push_back(what + " " + distribution.path.parent_path().filename().string());
  };
  RunHooks hooks;
  hooks.progress_for = [&](const Distribution& distribution) {
    event("start", distribution);
    return ProgressCallback{};
  };
  hooks.on_result = [&](const Distribution& distribution, const UploadResult&) {
    event("done", distribution);
  };
  const auto summary = upload_all(repository_at(index.url()), wheels(5), run_settings_, hooks);
  EXPECT_EQ(summary.uploaded, 5);
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(events[0], "start 0");
  EXPECT_EQ(events[1], "done 0");
}

TEST_F(pypiUploadRun, RefusedShortLivedCredentialsAreRenewedAndTheFileSentAgain) {
  FaultyIndex index{{http_response("403 Forbidden"), http_response("200 OK")}};
  int renewals = 0;
  run_settings_.renew_password = [&] {
    ++renewals;
    return std::string("fresh-token");
  };
  const auto summary = run(index, wheels(1));
  EXPECT_EQ(summary.uploaded, 1);
  EXPECT_EQ(renewals, 1);
  ASSERT_EQ(index.requests().size(), 2u);
  EXPECT_THAT(index.requests()[1].head,
              HasSubstr("Authorization: Basic YWxpY2U6ZnJlc2gtdG9rZW4=\r\n"));  // alice:fresh-token
}

TEST_F(pypiUploadRun, CredentialsAreRenewedOncePerRunAtMost) {
  FaultyIndex index{{http_response("403 Forbidden")}};
  int renewals = 0;
  run_settings_.renew_password = [&] {
    ++renewals;
    return std::string("fresh-token");
  };
  const auto summary = run(index, wheels(2));
  EXPECT_EQ(summary.failed, 2);
  EXPECT_EQ(renewals, 1);
  EXPECT_EQ(index.requests().size(), 3u);  // the first file twice, the second once
}

TEST_F(pypiUploadRun, WheelsGoFirstAndNoSdistFollowsAFailedWheel) {
  const auto folder = directory_.path() / "dist";
  std::filesystem::create_directories(folder);
  for (const std::string& name : {std::string("demo_pkg-0.1.0.tar.gz"), wheel_name}) {
    std::filesystem::copy_file(fixtures / name, folder / name);
  }
  const std::vector<Distribution> sdist_first = {
      inspect_distribution(folder / "demo_pkg-0.1.0.tar.gz"),
      inspect_distribution(folder / wheel_name)};
  run_settings_.jobs = 2;
  run_settings_.journal = false;

  FaultyIndex refusing{{http_response("400 Bad Request")}};
  const auto failed = run(refusing, sdist_first);
  EXPECT_EQ(failed.failed, 1);
  EXPECT_EQ(failed.unfinished, 1);  // the sdist was not sent
  ASSERT_EQ(refusing.requests().size(), 1u);
  EXPECT_THAT(refusing.requests().front().body, HasSubstr(wheel_name));

  FaultyIndex accepting{{http_response("200 OK")}};
  EXPECT_EQ(run(accepting, sdist_first).uploaded, 2);
  ASSERT_EQ(accepting.requests().size(), 2u);
  EXPECT_THAT(accepting.requests().front().body, HasSubstr(wheel_name));
}

TEST_F(pypiUploadRun, TheJournalKeepsAFileFromBeingSentTwice) {
  FaultyIndex index{{http_response("200 OK")}};
  const auto distributions = wheels(1);
  EXPECT_EQ(run(index, distributions).uploaded, 1);

  const UploadJournal journal{distributions.front().path.parent_path()};
  const auto entry = journal.find(wheel_name, index.url());
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->outcome, "uploaded");
  EXPECT_EQ(entry->sha256, wheel_sha256);

  const auto again = run(index, distributions);
  EXPECT_EQ(again.skipped, 1);
  EXPECT_EQ(again.results.front().detail, "uploaded earlier (journal)");
  EXPECT_EQ(index.requests().size(), 1u);
}

TEST_F(pypiUploadRun, TheJournalIsCheckedAgainstTheIndex) {
  FaultyIndex index{{http_response("200 OK")}};
  const auto distributions = wheels(1);
  run(index, distributions);
  use_simple_api(index);
  // The index does not list the file: the journal is not trusted, the file goes again.
  EXPECT_EQ(run(index, distributions).uploaded, 1);
  index.set_page("/simple/demo-pkg/", json_page(wheel_name, wheel_sha256));
  const auto summary = run(index, distributions);
  EXPECT_EQ(summary.skipped, 1);
  EXPECT_EQ(summary.results.front().detail, "uploaded earlier (journal; the index lists it)");
  EXPECT_EQ(index.requests().size(), 2u);
}

TEST_F(pypiUploadRun, VerifyFailsNamingAFileTheIndexDoesNotList) {
  FaultyIndex index{{http_response("200 OK")}};
  use_simple_api(index);
  run_settings_.verify = true;
  run_settings_.journal = false;
  const auto missing = run(index, wheels(1));
  EXPECT_FALSE(missing.ok());
  EXPECT_THAT(missing.verify_failures, ElementsAre(HasSubstr(wheel_name + ": not listed")));

  index.set_page("/simple/demo-pkg/", json_page(wheel_name, wheel_sha256));
  const auto summary = upload_all(repository_at(index.url()),
                                  {inspect_distribution(fixtures / wheel_name)}, run_settings_, {});
  EXPECT_TRUE(summary.ok());
}

// The upload stage, in process: what `docker-pipeline upload` does with its options.
class pypiUploadStage : public pypiUploadRun {
 protected:
  test::StageOutcome upload_stage(const FaultyIndex& index, const std::filesystem::path& file) {
    options_.repository_url = index.url();
    options_.files = {file.string()};
    const process::EnvironmentLookup environment = [](std::string_view name) {
      if (name == "TWINE_USERNAME") return std::optional<std::string>{"alice"};
      if (name == "TWINE_PASSWORD") return std::optional<std::string>{"s3cret"};
      return std::optional<std::string>{};
    };
    return test::run_stage("upload", [&](stages::Reporter& reporter) {
      return stages::run_upload_stage(options_, environment, reporter);
    });
  }

  stages::UploadOptions options_;
};

TEST_F(pypiUploadStage, DryRunSendsNothingAndShowsNoSecret) {
  FaultyIndex index{{http_response("200 OK")}};
  options_.dry_run = true;
  const auto result = upload_stage(index, fixtures / wheel_name);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, AllOf(HasSubstr("would upload " + wheel_name), HasSubstr(wheel_sha256),
                                HasSubstr(index.url()), HasSubstr("as alice"),
                                HasSubstr("nothing was sent"), Not(HasSubstr("s3cret"))));
  EXPECT_THAT(index.requests(), IsEmpty());
  EXPECT_THAT(index.gets(), IsEmpty());
}

TEST_F(pypiUploadStage, TheJournalMakesASecondUploadANoOp) {
  FaultyIndex index{{http_response("200 OK")}};
  const auto file = wheels(1).front().path;
  const auto first = upload_stage(index, file);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, AllOf(HasSubstr("Uploading distributions to " + index.url() + "\n"),
                               HasSubstr("uploaded " + wheel_name),
                               HasSubstr("1 uploaded, 0 skipped, 0 failed\n")));
  EXPECT_TRUE(std::filesystem::exists(file.parent_path() / UploadJournal::file_name));
  // Skipped only while the index still lists the file with the same sha256.
  index.set_page("/simple/demo-pkg/", json_page(wheel_name, wheel_sha256));
  const auto second = upload_stage(index, file);
  EXPECT_THAT(second.out, AllOf(HasSubstr("uploaded earlier (journal; the index lists it)"),
                                HasSubstr("0 uploaded, 1 skipped, 0 failed\n")));
  EXPECT_EQ(index.requests().size(), 1u);
}

TEST_F(pypiUploadStage, NoJournalNeitherReadsNorWritesIt) {
  FaultyIndex index{{http_response("200 OK")}};
  const auto file = wheels(1).front().path;
  options_.no_journal = true;
  EXPECT_EQ(upload_stage(index, file).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(file.parent_path() / UploadJournal::file_name));

  options_.no_journal = false;
  EXPECT_EQ(upload_stage(index, file).exit_code, 0);  // writes the journal
  index.set_page("/simple/demo-pkg/", json_page(wheel_name, wheel_sha256));
  options_.no_journal = true;
  const auto again = upload_stage(index, file);  // sent again, as twine would
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("1 uploaded, 0 skipped, 0 failed\n"));
  EXPECT_EQ(index.requests().size(), 3u);
}

TEST_F(pypiUploadStage, TwineCertComesFromTheGivenEnvironmentAndMustExist) {
  FaultyIndex index{{http_response("200 OK")}};
  options_.cert = "/nonexistent/ca.pem";
  const auto result = upload_stage(index, fixtures / wheel_name);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--cert: no such file: /nonexistent/ca.pem"));
  EXPECT_THAT(index.requests(), IsEmpty());
  EXPECT_EQ(stages::tls_file({"", "--cert", "TWINE_CERT", std::nullopt, ""},
                             [](std::string_view) { return std::optional<std::string>{}; }),
            std::nullopt);
  EXPECT_THAT(
      [] {
        stages::tls_file({"", "--cert", "TWINE_CERT", std::nullopt, ""}, [](std::string_view) {
          return std::optional<std::string>{"/nonexistent/twine.pem"};
        });
      },
      ::testing::ThrowsMessage<ConfigurationError>(
          HasSubstr("TWINE_CERT: no such file: /nonexistent/twine.pem")));
}

// Interrupts: an interrupting signal ends every wait of an upload at once. The handlers change
// the whole process, so these run in death-test children (CHILD_CHECK).
using Clock = std::chrono::steady_clock;

// Sends `signal` to the process once the index has seen `requests` requests; the time it was
// sent is in sent_at() after join().
class SignalOnRequest {
 public:
  SignalOnRequest(const FaultyIndex& index, std::size_t requests, int signal)
      : thread_([&index, requests, signal, this] {
          CHILD_CHECK(index.wait_for_requests(requests));
          sent_at_ = Clock::now();
          ::kill(::getpid(), signal);
        }) {}
  Clock::time_point sent_at() {
    thread_.join();
    return sent_at_;
  }

 private:
  Clock::time_point sent_at_;
  std::jthread thread_;
};

class pypiUploadRunDeathTest : public pypiUploadRun {
 protected:
  // Uploads to an index that keeps the upload waiting; the signal, sent once the request came
  // in, must end it within a bound generous for a loaded machine.
  void interrupted_while_waiting(const FaultyIndex& index, int signal) {
    SignalOnRequest sender{index, 1, signal};
    try {
      upload(index);
      test::child_fails("the upload ended without the interrupt");
    } catch (const process::Interrupted& interrupted) {
      CHILD_CHECK(interrupted.signal() == signal);
    }
    CHILD_CHECK(Clock::now() - sender.sent_at() < std::chrono::seconds{5});
  }
};

TEST_F(pypiUploadRunDeathTest, AnInterruptEndsTheWaitForTheAnswer) {
  test::expect_in_interruptible_child([this] {
    FaultyIndex index{{never_answer}};
    settings_.http.stall_timeout = std::chrono::seconds{300};  // only the signal ends it
    settings_.http.expect_continue_from = 1 << 20;             // the body goes out at once
    interrupted_while_waiting(index, SIGINT);
  });
}

TEST_F(pypiUploadRunDeathTest, AnInterruptEndsTheWaitFor100Continue) {
  test::expect_in_interruptible_child([this] {
    FaultyIndex index{{never_answer}};
    settings_.http.stall_timeout = std::chrono::seconds{300};
    settings_.http.expect_continue_wait = std::chrono::seconds{300};
    interrupted_while_waiting(index, SIGTERM);
    CHILD_CHECK(index.requests().front().head.find("Expect: 100-continue") != std::string::npos);
  });
}

TEST_F(pypiUploadRunDeathTest, AnInterruptEndsTheBackoff) {
  test::expect_in_interruptible_child([this] {
    FaultyIndex index{{http_response("503 Service Unavailable")}};
    settings_.retry.sleep = nullptr;  // the helper's own wait
    settings_.retry.first_delay = std::chrono::seconds{300};
    interrupted_while_waiting(index, SIGTERM);
    CHILD_CHECK(index.requests().size() == 1);
  });
}

TEST_F(pypiUploadRunDeathTest, AnInterruptEndsASimpleApiLookup) {
  test::expect_in_interruptible_child([this] {
    FaultyIndex index{{http_response("200 OK")}};
    index.set_page("/simple/demo-pkg/", never_answer);
    use_simple_api(index);
    settings_.skip_existing = true;
    settings_.http.stall_timeout = std::chrono::seconds{300};
    interrupted_while_waiting(index, SIGINT);
    CHILD_CHECK(index.requests().empty());  // nothing was uploaded after it
  });
}

TEST_F(pypiUploadRunDeathTest, AnInterruptedRunJournalsWhatWasUploadedAndNothingElse) {
  test::expect_in_interruptible_child([this] {
    FaultyIndex index{{http_response("200 OK"), never_answer}};
    settings_.http.stall_timeout = std::chrono::seconds{300};
    settings_.http.expect_continue_from = 1 << 20;
    const auto distributions = wheels(3);
    SignalOnRequest sender{index, 2, SIGTERM};
    const auto summary = run(index, distributions);
    CHILD_CHECK(Clock::now() - sender.sent_at() < std::chrono::seconds{5});
    CHILD_CHECK(summary.interrupted_by == SIGTERM);
    CHILD_CHECK(!summary.ok());
    CHILD_CHECK(summary.uploaded == 1);
    CHILD_CHECK(summary.failed == 0);
    CHILD_CHECK(summary.unfinished == 2);
    CHILD_CHECK(index.requests().size() == 2);  // the third file was not started
    const auto uploaded =
        UploadJournal{distributions[0].path.parent_path()}.find(wheel_name, index.url());
    CHILD_CHECK(uploaded.has_value() && uploaded->outcome == "uploaded");
    CHILD_CHECK(!UploadJournal{distributions[1].path.parent_path()}
                     .find(wheel_name, index.url())
                     .has_value());
    for (const auto& distribution : distributions) {
      for (const auto& entry :
           std::filesystem::directory_iterator{distribution.path.parent_path()}) {
        CHILD_CHECK(entry.path().extension() != ".tmp");
      }
    }
  });
}

TEST(pypiDigestsDeathTest, AnInterruptStopsTheHashing) {
  test::expect_in_interruptible_child([] {
    ::kill(::getpid(), SIGINT);
    try {
      digest::compute_file_digests(fixtures / wheel_name);
      test::child_fails("the hashing went on");
    } catch (const process::Interrupted& interrupted) {
      CHILD_CHECK(interrupted.signal() == SIGINT);
    }
  });
}

TEST(pypiIndexAnswers, RecogniseAlreadyExistsFromEachIndex) {
  const auto answer = [](long status, std::string reason, std::string body = "") {
    HttpResponse response;
    response.status = status;
    response.reason = std::move(reason);
    response.body = std::move(body);
    return response;
  };
  EXPECT_TRUE(is_already_existing(answer(409, "Conflict")));  // pypiserver, devpi
  EXPECT_TRUE(is_already_existing(answer(400, "File already exists. See https://pypi.org/")));
  EXPECT_TRUE(is_already_existing(answer(400, "Repository does not allow updating assets: pypi")));
  EXPECT_TRUE(is_already_existing(answer(403, "Forbidden", "Not enough permissions to overwrite")));
  EXPECT_TRUE(is_already_existing(answer(403, "Forbidden", "artifact already exists")));
  EXPECT_FALSE(is_already_existing(answer(403, "Forbidden", "Invalid API Token")));
  EXPECT_FALSE(is_already_existing(answer(400, "Invalid classifier")));
}

TEST(pypiDescribeResponse, ExcerptsHtmlBodiesToOneShortLine) {
  HttpResponse response;
  response.status = 400;
  response.reason = "Bad Request";
  response.body =
      "<html>\n<head><title>x</title></head>\n<body>  " + std::string(500, 'a') + "</body>";
  const auto description = describe_response(response);
  EXPECT_THAT(description, StartsWith("HTTP 400 Bad Request: aaaa"));
  EXPECT_EQ(description.size(), std::string{"HTTP 400 Bad Request: "}.size() + 300 + 3);
  EXPECT_EQ(description.find('\n'), std::string::npos);
}

TEST(pypiDescribeResponse, KeepsTheMessageOfPypiserversErrorPage) {
  // pypiserver 2.4's answer to an upload of a file it has.
  HttpResponse response;
  response.status = 409;
  response.reason = "Conflict";
  response.body = R"(
    <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
    <html>
        <head>
            <title>Error: 409 Conflict</title>
            <style type="text/css">
              html {background-color: #eee; font-family: sans;}
            </style>
        </head>
        <body>
            <h1>Error: 409 Conflict</h1>
            <p>Sorry, the requested URL <tt>&#039;http://127.0.0.1:8080/&#039;</tt>
               caused an error:</p>
            <pre>Package &#039;demo_pkg-0.1.0.zip&#039; already exists!
  You may start server with `--overwrite` option.</pre>
        </body>
    </html>
)";
  EXPECT_EQ(describe_response(response),
            "HTTP 409 Conflict: Error: 409 Conflict Sorry, the requested URL "
            "'http://127.0.0.1:8080/' caused an error: Package 'demo_pkg-0.1.0.zip' already "
            "exists! You may start server with `--overwrite` option.");
}

TEST(pypiDescribeResponse, OfAPlainTextBody) {
  HttpResponse response;
  response.status = 403;
  response.reason = "Forbidden";
  response.body = "Invalid or non-existing authentication\n information. &amp; more";
  EXPECT_EQ(describe_response(response),
            "HTTP 403 Forbidden: Invalid or non-existing authentication information. & more");
}

}  // namespace
}  // namespace dp::pypi
