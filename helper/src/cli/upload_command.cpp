#include <fmt/core.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "digest/file_digests.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "process/interrupts.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/check/release_versions.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/errors.hpp"
#include "pypi/index/simple_index.hpp"
#include "pypi/upload/upload_console.hpp"
#include "pypi/upload/upload_run.hpp"

namespace dp::cli {
namespace {

struct UploadArguments {
  std::vector<std::string> files;
  std::filesystem::path pipeline_file;
  std::string repository_name;
  std::string repository_url;
  std::string index_url;
  std::string username;
  std::string config_file;
  std::vector<std::string> password;  // only to refuse it, never read
  std::string comment;
  std::string cert;
  std::string client_cert;
  int timeout_seconds = static_cast<int>(pypi::HttpOptions{}.stall_timeout.count());
  int retries = pypi::RetryPolicy{}.retries;
  int jobs = 1;
  bool skip_existing = false;
  bool verify = false;
  bool dry_run = false;
  bool verbose = false;
  bool non_interactive = false;
  bool allow_local_version = false;
  bool disable_progress_bar = false;
};

std::optional<std::string> given(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

// Every file is read before the first byte is sent: all or nothing. Upload refuses what an index
// cannot take (see check_uploadable); the stricter rules (RECORD, description) are `check`'s,
// which the publish target runs first, so what twine uploads, this uploads.
std::vector<pypi::Distribution> inspected_dists(const std::vector<std::filesystem::path>& files) {
  std::vector<pypi::Distribution> dists;
  for (const auto& file : pypi::wheels_first(files)) {
    try {
      const auto report = pypi::check_uploadable(pypi::inspect_distribution(file));
      if (!report.passed()) {
        throw pypi::DistributionError(
            fmt::format("{}: {}", file.string(), fmt::join(report.errors, "; ")));
      }
      for (const auto& warning : report.warnings) {
        fmt::print(stderr, "warning: {}: {}\n", file.string(), warning);
      }
      dists.push_back(*report.distribution);
    } catch (const pypi::DistributionError& error) {
      throw pypi::DistributionError(fmt::format("{} (nothing was uploaded)", error.what()));
    }
  }
  return dists;
}

// The option, else the variable, else the .pypirc section's key, as twine orders them; the file
// must exist.
std::optional<std::filesystem::path> tls_file(const std::string& option, const char* variable,
                                              const std::optional<std::string>& from_section,
                                              std::string_view section_origin,
                                              std::string_view origin) {
  std::optional<std::string> value = given(option);
  if (!value && variable != nullptr) {
    if (const char* from_environment = std::getenv(variable); from_environment != nullptr) {
      value = given(from_environment);
      origin = variable;
    }
  }
  if (!value && from_section && !from_section->empty()) {
    value = from_section;
    origin = section_origin;
  }
  if (!value) return std::nullopt;
  if (!std::filesystem::is_regular_file(*value)) {
    throw pypi::ConfigurationError(fmt::format("{}: no such file: {}", origin, *value));
  }
  return std::filesystem::path{*value};
}

int dry_run(const pypi::ResolvedRepository& repository,
            const std::vector<pypi::Distribution>& dists) {
  for (const auto& dist : dists) {
    const auto digests = pypi::compute_file_digests(dist.path);
    fmt::print(
        "would upload {}: name {}, version {}, filetype {}, {} bytes, sha256 {}, to {} as {}\n",
        dist.path.filename().string(), dist.name(), dist.version(), dist.filetype, digests.size,
        digests.sha256, repository.url, repository.username);
  }
  fmt::print("nothing was sent\n");
  return 0;
}

std::string report_of(const pypi::Distribution& dist, const pypi::UploadResult& result) {
  std::string report = pypi::result_line(dist.path.filename().string(), result);
  if (!result.detail.empty()) report += ": " + result.detail;
  if (!result.advice.empty()) report += "\n  " + result.advice;
  return report;
}

int run_upload(const UploadArguments& arguments, const CLI::App& app) {
  pypi::RepositoryOptions options;
  options.repository_name = given(arguments.repository_name);
  options.repository_url = given(arguments.repository_url);
  options.username = given(arguments.username);
  if (!arguments.config_file.empty()) options.config_file = arguments.config_file;
  options.password_on_command_line = app.count("--password") > 0;

  bool skip_existing = arguments.skip_existing;
  bool verify = arguments.verify;
  std::optional<std::filesystem::path> dist_folder;
  std::optional<std::string> release_version;
  if (!arguments.pipeline_file.empty()) {
    const auto pipeline = pipeline::load(arguments.pipeline_file);
    pypi::apply_pipeline_repository(options, pipeline.repository);
    dist_folder = pipeline.dist_out_dir();
    release_version = pipeline::built_version(pipeline).canonical;
    skip_existing = skip_existing || pipeline.skip_existing;
    verify = verify || pipeline.verify;
  }
  const auto repository = pypi::resolve_repository(options, process::process_environment());
  const auto dists = inspected_dists(pypi::select_dist_files(arguments.files, dist_folder));
  if (release_version) pypi::require_release_version(dists, *release_version);
  pypi::require_publishable_versions(dists, repository.url, arguments.allow_local_version);
  if (arguments.dry_run) return dry_run(repository, dists);

  pypi::RunSettings settings;
  settings.jobs = arguments.jobs;
  settings.verify = verify;
  pypi::UploadSettings& upload = settings.upload;
  upload.skip_existing = skip_existing;
  upload.comment = given(arguments.comment);
  upload.retry.retries = arguments.retries;
  upload.http.stall_timeout = std::chrono::seconds{arguments.timeout_seconds};
  const auto section_key = [&](std::string_view key) {
    return fmt::format("{} of [{}] in the .pypirc", key, repository.name);
  };
  upload.http.ca_bundle =
      tls_file(arguments.cert, "TWINE_CERT", repository.ca_cert, section_key("ca_cert"), "--cert");
  upload.http.client_cert = tls_file(arguments.client_cert, nullptr, repository.client_cert,
                                     section_key("client_cert"), "--client-cert");
  pypi::SimpleIndex index{pypi::simple_index_candidates(repository.url, given(arguments.index_url)),
                          repository,
                          [http = upload.http](const std::string& url, const std::string& accept,
                                               const pypi::ResolvedRepository* credentials) {
                            return pypi::http_get(url, accept, credentials, http);
                          }};
  upload.index = &index;

  pypi::UploadConsole console{stdout,
                              !arguments.disable_progress_bar && ::isatty(STDOUT_FILENO) == 1};
  pypi::UploadConsole log_console{stderr, false};
  if (arguments.verbose) {
    upload.log = [&log_console](std::string_view line) {
      log_console.line(fmt::format("  {}", line));
    };
  }
  pypi::RunHooks hooks;
  hooks.on_result = [&console](const pypi::Distribution& dist, const pypi::UploadResult& result) {
    console.line(report_of(dist, result));
  };
  hooks.warn = [&log_console](std::string_view text) {
    log_console.line(fmt::format("warning: {}", text));
  };
  if (console.draws_progress()) {
    hooks.progress_for = [&console](const pypi::Distribution& dist) {
      return
          [&console, file = dist.path.filename().string()](
              std::uintmax_t sent, std::uintmax_t total) { console.progress(file, sent, total); };
    };
  }

  fmt::print("Uploading distributions to {}\n", repository.url);
  std::fflush(stdout);
  if (arguments.verbose) {
    log_console.line(fmt::format(
        "  repository: {}\n  username: {} (from {})\n  password: <hidden> (from {})\n  simple "
        "index candidates: {}",
        repository.name.empty() ? "(given by URL)" : repository.name, repository.username,
        repository.username_origin, repository.password_origin,
        fmt::join(pypi::simple_index_candidates(repository.url, given(arguments.index_url)),
                  ", ")));
  }
  const auto summary = pypi::upload_all(repository, dists, settings, hooks);
  if (summary.interrupted_by != 0) {
    console.line(fmt::format("{} uploaded, {} skipped, {} failed, {} not finished (interrupted)",
                             summary.uploaded, summary.skipped, summary.failed,
                             summary.unfinished));
    throw process::Interrupted(summary.interrupted_by);
  }
  for (const auto& failure : summary.verify_failures) console.line("verify failed: " + failure);
  if (verify && summary.verify_failures.empty()) {
    console.line(fmt::format("verified: the index lists every file with the sha256 sent"));
  }
  console.line(fmt::format("{} uploaded, {} skipped, {} failed", summary.uploaded, summary.skipped,
                           summary.failed));
  if (summary.failed > 0) {
    throw pypi::UploadError(fmt::format("{} of {} files failed: {}", summary.failed, dists.size(),
                                        fmt::join(summary.failed_files, ", ")));
  }
  if (!summary.verify_failures.empty()) {
    throw pypi::UploadError(fmt::format("--verify: {} file(s) not confirmed on the index",
                                        summary.verify_failures.size()));
  }
  return 0;
}

}  // namespace

Command add_upload_command(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "upload", "Upload sdists and wheels to a PyPI-compatible index, the way twine does");
  auto arguments = std::make_shared<UploadArguments>();
  app->add_option("files", arguments->files,
                  "Distribution files or glob patterns (dist/*); default: the pipeline's dists");
  add_pipeline_option(*app, arguments->pipeline_file, false);
  app->add_option("-r,--repository", arguments->repository_name,
                  "Section of the .pypirc to upload to (env TWINE_REPOSITORY; default: pypi)");
  app->add_option("--repository-url", arguments->repository_url,
                  "Upload URL; overrides --repository (env TWINE_REPOSITORY_URL)");
  app->add_option("--index-url", arguments->index_url,
                  "The index's simple API (default: derived from the upload URL)");
  app->add_option("-u,--username", arguments->username, "Username (env TWINE_USERNAME)");
  app->add_option("--config-file", arguments->config_file,
                  "The .pypirc to read (default ~/.pypirc)");
  app->add_option("--comment", arguments->comment, "Comment sent with each file");
  app->add_option("--cert", arguments->cert,
                  "CA bundle to verify the index's TLS certificate (env TWINE_CERT)");
  app->add_option("--client-cert", arguments->client_cert,
                  "TLS client certificate: a PEM file holding the certificate and its key");
  const pypi::UploadSettings defaults;
  app->add_option(
         "--timeout", arguments->timeout_seconds,
         fmt::format("Give up on a request on which no byte moved for this many seconds, and "
                     "{:g} s more per MiB while the index processes an upload (default {}); an "
                     "index that never answers is given up after {:g} s, plus {:g} s per MiB of "
                     "the largest file",
                     std::chrono::duration<double>(defaults.http.answer_wait_per_mib).count(),
                     defaults.http.stall_timeout.count(),
                     std::chrono::duration<double>(pypi::silent_index_budget(defaults)).count(),
                     std::chrono::duration<double>(pypi::silent_index_budget(defaults, 1 << 20) -
                                                   pypi::silent_index_budget(defaults))
                         .count()))
      ->check(CLI::PositiveNumber);
  app->add_option("--retries", arguments->retries,
                  fmt::format("Retries after connection failures, 5xx and 429 (default {}); a "
                              "request that timed out is retried {} at most",
                              defaults.retry.retries,
                              defaults.retry.timeout_retries == 1
                                  ? std::string{"once"}
                                  : fmt::format("{} times", defaults.retry.timeout_retries)))
      ->check(CLI::NonNegativeNumber);
  app->add_option("--jobs", arguments->jobs, "Files uploaded at once")->check(CLI::PositiveNumber);
  app->add_flag("--skip-existing", arguments->skip_existing,
                "Skip files the index already has with the same sha256");
  app->add_flag("--verify", arguments->verify,
                "Confirm through the simple API that the index lists every file with its sha256");
  app->add_flag("--dry-run", arguments->dry_run,
                "Show what would be uploaded, where and as whom; send nothing");
  app->add_flag("--allow-local-version", arguments->allow_local_version,
                "Upload local versions (1.0+g1a2b) to an index that is not on this host");
  app->add_flag("--verbose", arguments->verbose, "Show the URL, username and each response");
  app->add_flag("--non-interactive", arguments->non_interactive,
                "Accepted for twine compatibility (env TWINE_NON_INTERACTIVE); never prompts");
  app->add_flag("--disable-progress-bar", arguments->disable_progress_bar,
                "No progress bar, even on a terminal");
  // Taken (with its value, so the secret is not mistaken for a file name) only to be refused.
  app->add_option("-p,--password", arguments->password)
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("");
  return {app, [arguments, app] { return run_upload(*arguments, *app); }};
}

}  // namespace dp::cli
