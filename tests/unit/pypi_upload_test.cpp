// Upload against a fault-injecting local HTTP server: the answers a real index gives only when
// something is wrong (409, 403, 5xx, redirects, nobody listening). Successful uploads are
// exercised against a real pypiserver by the integration tests.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pypi/distribution.hpp"
#include "pypi/uploader.hpp"

namespace dp::pypi {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
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

// Answers each connection with the next canned response (the last one repeats) and records
// the requests. Listens on 127.0.0.1 only.
class FaultyIndex {
 public:
  explicit FaultyIndex(std::vector<std::string> responses)
      : responses_(std::move(responses)), listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_.get(), 8) != 0 ||
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

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/legacy/"; }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock{mutex_};
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd waiting{listener_.get(), POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      UniqueFd connection{::accept(listener_.get(), nullptr, nullptr)};
      if (connection.get() < 0) continue;
      auto request = read_request(connection.get());
      std::string response;
      {
        std::lock_guard lock{mutex_};
        response = responses_[std::min(requests_.size(), responses_.size() - 1)];
        requests_.push_back(std::move(request));
      }
      ::send(connection.get(), response.data(), response.size(), MSG_NOSIGNAL);
      ::shutdown(connection.get(), SHUT_WR);
    }
  }

  static RecordedRequest read_request(int connection) {
    std::string data;
    char buffer[65536];
    std::size_t header_end = std::string::npos;
    std::size_t content_length = 0;
    while (true) {
      if (header_end == std::string::npos &&
          (header_end = data.find("\r\n\r\n")) != std::string::npos) {
        const auto head = data.substr(0, header_end);
        const auto field = head.find("Content-Length: ");
        if (field != std::string::npos) content_length = std::stoul(head.substr(field + 16));
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
      const auto count = ::recv(connection, buffer, sizeof buffer, 0);
      if (count <= 0) break;
      data.append(buffer, static_cast<std::size_t>(count));
    }
    if (header_end == std::string::npos) return {data, ""};
    return {data.substr(0, header_end), data.substr(header_end + 4)};
  }

  std::vector<std::string> responses_;
  UniqueFd listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
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

std::string file_content(const std::filesystem::path& file) {
  std::ifstream stream{file, std::ios::binary};
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

class pypiUpload : public ::testing::Test {
 protected:
  ResolvedRepository repository_at(const std::string& url) const {
    ResolvedRepository repository;
    repository.url = url;
    repository.username = "alice";
    repository.password = "s3cret";
    return repository;
  }

  UploadResult upload(const FaultyIndex& index,
                      const std::string& file = "demo_pkg-0.1.0-py3-none-any.whl") {
    return upload_distribution(repository_at(index.url()), inspect_distribution(fixtures / file),
                               settings_);
  }

  UploadSettings settings_ = [] {
    UploadSettings settings;
    settings.max_attempts = 3;
    settings.retry_delay = std::chrono::milliseconds{0};
    return settings;
  }();
};

TEST_F(pypiUpload, AConflictFailsWithStatusReasonAndBody) {
  FaultyIndex index{
      {http_response("409 Conflict", "<html><body><h1>File already exists</h1></body></html>")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_EQ(result.response.status, 409);
  EXPECT_EQ(result.detail, "HTTP 409 Conflict: File already exists");
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
  EXPECT_THAT(request.head, Not(HasSubstr("Expect:")));

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

  const auto& content = parts.back();
  EXPECT_THAT(content.headers, AllOf(HasSubstr("name=\"content\""),
                                     HasSubstr("filename=\"demo_pkg-0.1.0-py3-none-any.whl\""),
                                     HasSubstr("Content-Type: application/octet-stream")));
  EXPECT_EQ(content.data, file_content(fixtures / "demo_pkg-0.1.0-py3-none-any.whl"));
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
  EXPECT_EQ(result.detail, "HTTP 409 Conflict");
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
  for (const auto& line : log) EXPECT_THAT(line, Not(HasSubstr("s3cret")));
}

TEST_F(pypiUpload, ARedirectIsReportedNotFollowed) {
  FaultyIndex index{{http_response("301 Moved Permanently", "",
                                   "Location: https://elsewhere.invalid/legacy/\r\n")}};
  const auto result = upload(index);
  EXPECT_EQ(result.outcome, UploadOutcome::failed);
  EXPECT_THAT(result.detail, AllOf(HasSubstr("HTTP 301 Moved Permanently"),
                                   HasSubstr("https://elsewhere.invalid/legacy/")));
  EXPECT_EQ(index.requests().size(), 1u);
}

TEST_F(pypiUpload, AStatusLineWithoutReasonGetsTheStandardOne) {
  FaultyIndex index{{"HTTP/1.1 409\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"}};
  EXPECT_EQ(upload(index).detail, "HTTP 409 Conflict");
}

TEST_F(pypiUpload, NobodyListeningIsATransportErrorAfterRetries) {
  std::string url;
  {
    FaultyIndex closed{{http_response("200 OK")}};
    url = closed.url();
  }
  try {
    upload_distribution(repository_at(url), inspect_distribution(fixtures / "demo_pkg-0.1.0.zip"),
                        settings_);
    FAIL() << "no error";
  } catch (const TransportError& error) {
    EXPECT_TRUE(error.could_not_connect());
    EXPECT_THAT(error.what(), AllOf(HasSubstr("demo_pkg-0.1.0.zip"), HasSubstr(url),
                                    HasSubstr("(after 3 attempts)"), Not(HasSubstr("s3cret"))));
  }
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
