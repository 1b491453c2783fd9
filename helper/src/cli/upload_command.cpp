#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>

#include "cli/command.hpp"
#include "process/environment.hpp"
#include "pypi/upload/journal.hpp"
#include "pypi/upload/uploader.hpp"
#include "stages/publish/upload_stage.hpp"

namespace dp::cli {
namespace {

// The stage's options, and what only the terminal has.
struct UploadArguments {
  stages::UploadOptions stage;
  bool disable_progress_bar = false;
};

}  // namespace

Command add_upload_command(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "upload", "Upload sdists and wheels to a PyPI-compatible index, the way twine does");
  app->footer(fmt::format(
      "Journal: every file's outcome is recorded beside it, in <dist folder>/{} (per upload URL). "
      "A later upload to the same URL does not send again a file the journal has as uploaded with "
      "the same sha256: it is skipped (\"uploaded earlier (journal)\") while the index's simple "
      "API still lists it, is sent again when the index answers without listing it, and fails "
      "when the index lists it with another sha256; when no simple index answers, the journal is "
      "trusted. A file whose content changed is always sent. --no-journal neither reads nor "
      "writes the journal: every file is sent, as twine sends it.",
      pypi::UploadJournal::file_name));
  auto arguments = std::make_shared<UploadArguments>();
  auto& options = arguments->stage;
  app->add_option("files", options.files,
                  "Distribution files or glob patterns (dist/*); default: the pipeline's dists");
  add_pipeline_option(*app, options.pipeline, false);
  app->add_option("-r,--repository", options.repository_name,
                  "Section of the .pypirc to upload to (env TWINE_REPOSITORY; default: pypi)");
  app->add_option("--repository-url", options.repository_url,
                  "Upload URL; overrides --repository (env TWINE_REPOSITORY_URL)");
  app->add_option("--index-url", options.index_url,
                  "The index's simple API (default: derived from the upload URL)");
  app->add_option("-u,--username", options.username, "Username (env TWINE_USERNAME)");
  app->add_option("--config-file", options.config_file, "The .pypirc to read (default ~/.pypirc)");
  app->add_option("--comment", options.comment, "Comment sent with each file");
  app->add_option("--cert", options.cert,
                  "CA bundle to verify the index's TLS certificate (env TWINE_CERT)");
  app->add_option("--client-cert", options.client_cert,
                  "TLS client certificate: a PEM file holding the certificate and its key");
  const pypi::UploadSettings defaults;
  const auto in_s = [](auto duration) { return std::chrono::duration<double>(duration).count(); };
  const auto silent = [&](std::uintmax_t size) {
    return pypi::silent_index_budget(defaults, size);
  };
  app->add_option(
         "--timeout", options.timeout_seconds,
         fmt::format("Give up on a request on which no byte moved for this many seconds, "
                     "and {:g} s more per MiB while the index processes an upload "
                     "(default {}); an index that never answers is given up after {:g} "
                     "s, plus {:g} s per MiB of the largest file",
                     in_s(defaults.http.answer_wait_per_mib), defaults.http.stall_timeout.count(),
                     in_s(silent(0)), in_s(silent(1 << 20) - silent(0))))
      ->check(CLI::PositiveNumber);
  app->add_option("--retries", options.retries,
                  fmt::format("Retries after connection failures, 5xx and 429 (default {}); a "
                              "request that timed out is retried at most {} time(s)",
                              defaults.retry.retries, defaults.retry.timeout_retries))
      ->check(CLI::NonNegativeNumber);
  app->add_option("--jobs", options.jobs, "Files uploaded at once (default 4; the first alone)")
      ->check(CLI::PositiveNumber);
  app->add_option("--trusted-publishing", options.trusted_publishing,
                  "auto (default), always or never: in CI, upload with a token the index mints for "
                  "the job's OpenID Connect identity (env DOCKER_PIPELINE_TRUSTED_PUBLISHING)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app->add_flag("--skip-existing", options.skip_existing,
                "Skip files the index already has with the same sha256");
  app->add_flag("--verify", options.verify,
                "Confirm through the simple API that the index lists every file with its sha256");
  app->add_flag("--dry-run", options.dry_run,
                "Show what would be uploaded, where and as whom; send nothing");
  app->add_flag("--allow-local-version", options.allow_local_version,
                "Upload local versions (1.0+g1a2b) to an index that is not on this host");
  app->add_flag("--no-journal", options.no_journal,
                "Neither read nor write the upload journal: send every file, as twine does");
  app->add_flag("--attestations", options.attestations,
                "Require each file's PEP 740 attestation (<file>.publish.attestation)");
  app->add_flag("--verbose", options.verbose, "Show the URL, username and each response");
  app->add_flag("--non-interactive")
      ->description("Accepted for twine compatibility (env TWINE_NON_INTERACTIVE); never prompts");
  app->add_flag("--disable-progress-bar", arguments->disable_progress_bar,
                "No progress bar, even on a terminal");
  // Taken (with its value, so the secret is not mistaken for a file name) only to be refused.
  app->add_option("-p,--password")
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("");
  return {app, [arguments, app] {
            arguments->stage.password_on_command_line = app->count("--password") > 0;
            console::TerminalReporter reporter{"upload", !arguments->disable_progress_bar};
            return stages::run_upload_stage(arguments->stage, process::process_environment(),
                                            reporter);
          }};
}

}  // namespace dp::cli
