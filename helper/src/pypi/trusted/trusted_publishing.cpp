#include "pypi/trusted/trusted_publishing.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "pypi/errors.hpp"
#include "pypi/http/http_client.hpp"
#include "pypi/http/response_excerpt.hpp"
#include "text/base64.hpp"

namespace dp::pypi {
namespace {

using nlohmann::json;

std::optional<std::string> variable(const process::EnvironmentLookup& environment,
                                    std::string_view name) {
  auto value = environment(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::string percent_encoded(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// A request that asks for JSON; a POST sends `body` as JSON.
HttpResponse json_request(const std::string& url, const HttpOptions& options,
                          std::vector<std::string> headers = {}, std::string body = {}) {
  HttpRequest request;
  request.url = url;
  request.headers = std::move(headers);
  request.headers.emplace_back("Accept: application/json");
  if (!body.empty()) {
    request.method = "POST";
    request.headers.emplace_back("Content-Type: application/json");
    request.body = std::move(body);
  }
  return http_request(request, options);
}

// The JSON object of an answer, or nothing when it is not one.
std::optional<json> json_object(const HttpResponse& response) {
  auto parsed = json::parse(response.body, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  return parsed;
}

std::string string_member(const json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string audience_of(const std::string& origin, const HttpOptions& options) {
  const auto url = origin + "/_/oidc/audience";
  const auto response = json_request(url, options);
  const auto answer = json_object(response);
  const auto audience = answer ? string_member(*answer, "audience") : "";
  if (!response.is_success() || audience.empty()) {
    throw UploadError(fmt::format(
        "trusted publishing: {} does not offer it (GET {} answered {} {}); configure a password "
        "or an API token for this index instead",
        origin, url, response.status, response.reason));
  }
  return audience;
}

std::string github_id_token(std::string_view audience,
                            const process::EnvironmentLookup& environment,
                            const HttpOptions& options) {
  const auto url = variable(environment, "ACTIONS_ID_TOKEN_REQUEST_URL");
  const auto bearer = variable(environment, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  if (!url || !bearer) {
    throw ConfigurationError(
        "trusted publishing: GitHub Actions gives this job no ID token "
        "(ACTIONS_ID_TOKEN_REQUEST_URL is not set): give the job `permissions: id-token: write`");
  }
  const auto request_url =
      fmt::format("{}{}audience={}", *url, url->find('?') == std::string::npos ? '?' : '&',
                  percent_encoded(audience));
  const auto response = json_request(request_url, options, {"Authorization: bearer " + *bearer});
  const auto answer = json_object(response);
  const auto token = answer ? string_member(*answer, "value") : "";
  if (!response.is_success() || token.empty()) {
    throw ConfigurationError(fmt::format(
        "trusted publishing: GitHub Actions' token service answered {} {} without a token: {}",
        response.status, response.reason, response_excerpt(response.body)));
  }
  return token;
}

std::string gitlab_id_token(std::string_view audience,
                            const process::EnvironmentLookup& environment) {
  const auto name = gitlab_id_token_variable(audience);
  auto token = variable(environment, name);
  if (!token) {
    throw ConfigurationError(fmt::format(
        "trusted publishing: the GitLab job declares no ID token {}: add `id_tokens: {}: aud: "
        "{}` to the job",
        name, name, audience));
  }
  return *token;
}

// The reasons an index gives for a refused exchange: PyPI's {"errors": [{"code", "description"}]}.
std::string refusal_reasons(const HttpResponse& response) {
  const auto answer = json_object(response);
  std::vector<std::string> reasons;
  if (answer) {
    const auto errors = answer->find("errors");
    if (errors != answer->end() && errors->is_array()) {
      for (const auto& error : *errors) {
        if (!error.is_object()) continue;
        const auto code = string_member(error, "code");
        const auto description = string_member(error, "description");
        reasons.push_back(code.empty() ? description : code + ": " + description);
      }
    }
    if (reasons.empty()) reasons.push_back(string_member(*answer, "message"));
  }
  if (reasons.empty() || reasons.front().empty()) return response_excerpt(response.body);
  return fmt::format("{}", fmt::join(reasons, "; "));
}

}  // namespace

TrustedPublishing parse_trusted_publishing(std::string_view value, std::string_view origin) {
  if (value == "auto") return TrustedPublishing::automatic;
  if (value == "always") return TrustedPublishing::always;
  if (value == "never") return TrustedPublishing::never;
  throw ConfigurationError(fmt::format("{} is '{}': use auto, always or never", origin, value));
}

IdTokenProvider id_token_provider(const process::EnvironmentLookup& environment) {
  if (environment("GITHUB_ACTIONS") == "true") {
    return variable(environment, "ACTIONS_ID_TOKEN_REQUEST_URL") &&
                   variable(environment, "ACTIONS_ID_TOKEN_REQUEST_TOKEN")
               ? IdTokenProvider::github
               : IdTokenProvider::none;
  }
  if (environment("GITLAB_CI") == "true") return IdTokenProvider::gitlab;
  return IdTokenProvider::none;
}

std::string_view provider_name(IdTokenProvider provider) {
  switch (provider) {
    case IdTokenProvider::github:
      return "GitHub Actions";
    case IdTokenProvider::gitlab:
      return "GitLab CI";
    case IdTokenProvider::none:
      break;
  }
  return "none";
}

std::string gitlab_id_token_variable(std::string_view audience) {
  std::string name;
  for (const char c : audience) {
    const auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_';
  }
  return name + "_ID_TOKEN";
}

std::string identity_claims(std::string_view id_token) {
  const auto first = id_token.find('.');
  const auto second = id_token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return "";
  std::string payload{id_token.substr(first + 1, second - first - 1)};
  for (auto& c : payload) c = c == '-' ? '+' : c == '_' ? '/' : c;  // base64url
  const auto decoded = text::base64_decode(payload);
  if (!decoded) return "";
  const auto claims = json::parse(*decoded, nullptr, false);
  if (!claims.is_object()) return "";
  std::vector<std::string> shown;
  for (const char* name : {"sub", "repository", "ref", "workflow_ref", "job_workflow_ref",
                           "environment", "project_path", "ci_config_ref_uri", "aud"}) {
    const auto value = string_member(claims, name);
    if (!value.empty()) shown.push_back(fmt::format("{}={}", name, value));
  }
  return fmt::format("{}", fmt::join(shown, ", "));
}

std::string mint_api_token(std::string_view upload_url, IdTokenProvider provider,
                           const process::EnvironmentLookup& environment,
                           const HttpOptions& options) {
  const auto origin = url_origin(upload_url);
  const auto audience = audience_of(origin, options);
  const auto id_token = provider == IdTokenProvider::github
                            ? github_id_token(audience, environment, options)
                            : gitlab_id_token(audience, environment);
  const auto url = origin + "/_/oidc/mint-token";
  const auto response = json_request(url, options, {}, json{{"token", id_token}}.dump());
  const auto answer = json_object(response);
  const auto token = answer ? string_member(*answer, "token") : "";
  if (!response.is_success() || token.empty()) {
    const auto claims = identity_claims(id_token);
    throw UploadError(fmt::format(
        "trusted publishing: {} refused the ID token from {} ({} {}): {}{}; the index's trusted "
        "publisher must match these claims",
        origin, provider_name(provider), response.status, response.reason,
        refusal_reasons(response),
        claims.empty() ? "" : fmt::format(" (token claims: {})", claims)));
  }
  return token;
}

}  // namespace dp::pypi
