#pragma once

#include <string>
#include <string_view>

#include "process/environment.hpp"
#include "pypi/http/curl_session.hpp"

// Trusted publishing: an upload without a stored password. The CI job proves who it is with an
// OpenID Connect ID token, which the index exchanges for a short-lived API token.
namespace dp::pypi {

enum class TrustedPublishing {
  automatic,  // when the job can get an ID token and no password is configured (the default)
  always,     // an error when the job cannot get one; a configured password is not used
  never,
};

// "auto", "always" or "never"; throws ConfigurationError naming `origin` and the value otherwise.
TrustedPublishing parse_trusted_publishing(std::string_view value, std::string_view origin);

// Where the job gets its ID token.
enum class IdTokenProvider {
  none,
  github,  // GitHub Actions with `permissions: id-token: write`:
           // ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN
  gitlab,  // GitLab CI (GITLAB_CI=true): the variable its job's `id_tokens` declares
};
IdTokenProvider id_token_provider(const process::EnvironmentLookup& environment);
std::string_view provider_name(IdTokenProvider provider);  // "GitHub Actions", "GitLab CI"

// The variable a GitLab job declares for `audience` under `id_tokens`, as PyPI's documentation and
// the `id` library name it: PYPI_ID_TOKEN for "pypi", TESTPYPI_ID_TOKEN for "testpypi".
std::string gitlab_id_token_variable(std::string_view audience);

// The claims of an ID token that say who the job is (sub, repository, ref, workflow, environment
// ...), "name=value" joined with ", ", for the message of a refused exchange; "" when the token
// is not a JWT. Never the signature.
std::string identity_claims(std::string_view id_token);

// Mints an API token for the index that takes uploads at `upload_url`: asks it for the audience
// (GET <origin>/_/oidc/audience), gets an ID token for that audience from `provider`, exchanges
// it (POST <origin>/_/oidc/mint-token). Throws ConfigurationError when the provider gives no
// token (saying what the job must declare) and UploadError when the index does not offer trusted
// publishing or refuses the exchange (with the reasons it gives and the token's claims). The
// tokens are never in a message.
std::string mint_api_token(std::string_view upload_url, IdTokenProvider provider,
                           const process::EnvironmentLookup& environment,
                           const HttpOptions& options);

}  // namespace dp::pypi
