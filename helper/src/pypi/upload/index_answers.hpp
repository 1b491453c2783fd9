#pragma once

#include <optional>
#include <string>

#include "pypi/config/repository.hpp"
#include "pypi/http/http_client.hpp"

namespace dp::pypi {

// Does the answer say the file is on the index already? pypiserver, devpi and Artifactory
// answer 409; warehouse (PyPI) 400 "File already exists"; Nexus 400 "Repository does not allow
// updating assets"; Artifactory also 403 "... already exists" or "... overwrite ...".
bool is_already_existing(const HttpResponse& response);

// For a 2xx answer whose body is an HTML page that reads as an error (a proxy's "502 Bad
// Gateway", a server's "Error: 500"), the page's excerpt; else nothing.
std::optional<std::string> error_page_in_success(const HttpResponse& response);

// The response as one line: "HTTP 409 Conflict: <response_excerpt of the body>".
std::string describe_response(const HttpResponse& response);

// "the index redirects to <Location>; upload to that URL instead (--repository-url
// <Location>)", noting an http -> https change; a loop when <Location> is the upload URL.
std::string redirect_message(const HttpResponse& response, const std::string& upload_url);

// What the user can do about a refused upload ("" when there is nothing to add).
std::string refusal_advice(const HttpResponse& response, const ResolvedRepository& repository);

}  // namespace dp::pypi
