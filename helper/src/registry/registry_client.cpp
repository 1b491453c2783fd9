#include "registry/registry_client.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "digest/digest.hpp"
#include "pypi/http/response_excerpt.hpp"
#include "text/text.hpp"

namespace dp::registry {
namespace {

using nlohmann::json;

constexpr std::string_view kManifestTypes =
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

std::string header(const pypi::HttpResponse& response, const std::string& name) {
  const auto found = response.headers.find(name);
  return found == response.headers.end() ? std::string() : found->second;
}

// What the registry said, for a message: the distribution spec's {"errors": [{"message"}]}.
std::string said(const pypi::HttpResponse& response) {
  try {
    const auto body = json::parse(response.body);
    const auto& first = body.at("errors").at(0);
    return fmt::format("{} {}: {}", response.status, response.reason,
                       first.value("message", first.value("code", std::string("error"))));
  } catch (const json::exception&) {
    return fmt::format("{} {}", response.status, response.reason);
  }
}

std::string url_encode(std::string_view value) {
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::optional<Challenge> parse_challenge(std::string_view header) {
  header = text::trim(header);
  const auto space = header.find(' ');
  Challenge challenge;
  challenge.scheme = text::lowercase(header.substr(0, space));
  if (challenge.scheme.empty()) return std::nullopt;
  std::string_view rest = space == std::string_view::npos ? "" : header.substr(space + 1);
  while (!(rest = text::trim(rest, " ,")).empty()) {
    const auto equals = rest.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const auto key = text::lowercase(text::trim(rest.substr(0, equals)));
    rest.remove_prefix(equals + 1);
    std::string value;
    if (rest.starts_with('"')) {
      const auto close = rest.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      value = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
    } else {
      const auto comma = rest.find(',');
      value = text::trim(rest.substr(0, comma));
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma);
    }
    challenge.parameters[key] = value;
  }
  return challenge;
}

RegistryClient::RegistryClient(PushRepository target, std::optional<Credentials> credentials,
                               pypi::HttpOptions options)
    : target_(std::move(target)),
      credentials_(std::move(credentials)),
      options_(std::move(options)) {}

pypi::HttpResponse RegistryClient::send(pypi::HttpRequest request) {
  const auto with_authorization = [this](pypi::HttpRequest r) {
    if (!bearer_.empty()) {
      r.headers.push_back("Authorization: Bearer " + bearer_);
    } else if (basic_) {
      r.basic = pypi::HttpRequest::Basic{credentials_->username, credentials_->password};
    }
    return r;
  };
  auto response = pypi::http_request(with_authorization(request), options_);
  if (response.status == 401) {
    authenticate(response);
    response = pypi::http_request(with_authorization(request), options_);
    if (response.status == 401) {
      throw RegistryError(fmt::format(
          "registry {} refuses the credentials from {} ({}): log in again with `docker login {}`",
          target_.registry, credentials_->source, said(response), target_.registry));
    }
  }
  return response;
}

void RegistryClient::authenticate(const pypi::HttpResponse& refusal) {
  if (!credentials_) {
    throw RegistryError(fmt::format(
        "registry {} wants a login ({}), and the engine's credential store has none for it: "
        "log in with `docker login {}` (or `podman login`)",
        target_.registry, said(refusal), target_.registry));
  }
  const auto challenge = parse_challenge(header(refusal, "www-authenticate"));
  if (!challenge || challenge->scheme == "basic") {
    basic_ = true;
    return;
  }
  if (challenge->scheme != "bearer" || !challenge->parameters.contains("realm")) {
    throw RegistryError(
        fmt::format("registry {} asks for authentication this helper does not "
                    "speak: {}",
                    target_.registry, header(refusal, "www-authenticate")));
  }
  // The token flow: a token for pushing to the repository, from the realm, with Basic auth.
  auto url = challenge->parameters.at("realm");
  url += url.find('?') == std::string::npos ? '?' : '&';
  if (const auto service = challenge->parameters.find("service");
      service != challenge->parameters.end()) {
    url += "service=" + url_encode(service->second) + '&';
  }
  url += "scope=" + url_encode(fmt::format("repository:{}:pull,push", target_.repository));
  pypi::HttpRequest token_request;
  token_request.url = url;
  token_request.basic = pypi::HttpRequest::Basic{credentials_->username, credentials_->password};
  const auto answer = pypi::http_request(token_request, options_);
  if (!answer.is_success()) {
    throw RegistryError(
        fmt::format("registry {} refuses the credentials from {}: its token service answered {}",
                    target_.registry, credentials_->source, said(answer)));
  }
  try {
    const auto body = json::parse(answer.body);
    const auto token = body.contains("token") ? body.at("token") : body.at("access_token");
    bearer_ = token.get<std::string>();
  } catch (const json::exception&) {
    throw RegistryError(
        fmt::format("registry {}: its token service answered without a token", target_.registry));
  }
}

void RegistryClient::check_access() {
  pypi::HttpRequest request;
  request.url = api_base_url(target_) + "/v2/";
  const auto response = send(request);
  if (!response.is_success()) {
    throw RegistryError(
        fmt::format("registry {} answered GET /v2/ with {}", target_.registry, said(response)));
  }
}

std::optional<Manifest> RegistryClient::manifest(std::string_view tag) {
  pypi::HttpRequest request;
  request.url =
      fmt::format("{}/v2/{}/manifests/{}", api_base_url(target_), target_.repository, tag);
  request.headers.push_back(fmt::format("Accept: {}", kManifestTypes));
  const auto response = send(request);
  if (response.status == 404) return std::nullopt;
  if (!response.is_success()) {
    throw RegistryError(fmt::format("registry {}: asking for {} answered {}", target_.registry,
                                    target_.tagged(tag), said(response)));
  }
  Manifest manifest;
  manifest.digest = header(response, "docker-content-digest");
  if (manifest.digest.empty()) {
    manifest.digest = "sha256:" + digest::hex_of(digest::Algorithm::sha256, response.body);
  }
  try {
    const auto body = json::parse(response.body);
    if (body.contains("config")) manifest.config_digest = body.at("config").at("digest");
  } catch (const json::exception&) {
    throw RegistryError(fmt::format("registry {}: the manifest of {} is not JSON", target_.registry,
                                    target_.tagged(tag)));
  }
  return manifest;
}

}  // namespace dp::registry
