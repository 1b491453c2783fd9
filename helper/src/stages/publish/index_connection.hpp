#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "process/environment.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/http/curl_session.hpp"
#include "pypi/index/simple_index.hpp"
#include "stages/publish/upload_options.hpp"
#include "stages/reporter.hpp"

// The index an upload or a publish talks to: its repository, credentials and transport, resolved
// once per command.
namespace dp::stages {

// Where an upload with `options` goes and how the index is reached: the repository as twine
// resolves it (with the pipeline's REPOSITORY when given), and the transport settings
// (--timeout; --cert, TWINE_CERT or the section's ca_cert; --client-cert or client_cert). With
// trusted publishing (see pypi/trusted), the credentials are `__token__` and a token the index
// minted for this job (not yet minted for a dry run), and `renew_password` mints another. The
// password goes to the reporter's mask(). Throws as pypi::resolve_repository and
// pypi::mint_api_token do.
struct IndexConnection {
  pypi::ResolvedRepository repository;
  pypi::HttpOptions http;
  std::function<std::string()> renew_password;  // empty: not renewable
};
IndexConnection connect_index(const UploadOptions& options, const pipeline::Pipeline* pipeline,
                              const process::EnvironmentLookup& environment, Reporter& reporter);

// Where the index's simple API may be (`index_url` alone when not empty), and that API, asked
// with the connection's settings and its credentials where they belong.
std::vector<std::string> simple_index_urls(const IndexConnection& connection,
                                           const std::string& index_url);
pypi::SimpleIndex simple_index(const IndexConnection& connection,
                               std::vector<std::string> candidates);

}  // namespace dp::stages
