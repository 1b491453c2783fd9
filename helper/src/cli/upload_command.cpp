#include <fmt/core.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "pipeline/pipeline.hpp"
#include "pypi/dist_check.hpp"
#include "pypi/dist_files.hpp"
#include "pypi/errors.hpp"
#include "pypi/repository.hpp"
#include "pypi/uploader.hpp"

namespace dp::cli {
namespace {

struct UploadArguments {
  std::vector<std::string> files;
  std::filesystem::path pipeline_file;
  std::string repository_name;
  std::string repository_url;
  std::string username;
  std::string config_file;
  std::vector<std::string> password;  // only to refuse it, never read
  std::string comment;
  bool skip_existing = false;
  bool verbose = false;
  bool non_interactive = false;
  bool disable_progress_bar = false;
};

std::optional<std::string> given(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

// twine's size display: KB below 1024 KB, MB above.
std::string human_size(std::uintmax_t bytes) {
  const double kilobytes = static_cast<double>(bytes) / 1024.0;
  if (kilobytes > 1024.0) return fmt::format("{:.1f} MB", kilobytes / 1024.0);
  return fmt::format("{:.1f} KB", kilobytes);
}

// Every file is read and validated before the first byte is sent: all or nothing.
std::vector<pypi::Distribution> inspected_dists(const std::vector<std::filesystem::path>& files) {
  std::vector<pypi::Distribution> dists;
  for (const auto& file : pypi::wheels_first(files)) {
    auto report = pypi::check_distribution(file);
    if (!report.passed()) {
      throw pypi::DistributionError(fmt::format("{}: {} (nothing was uploaded)", file.string(),
                                                fmt::join(report.errors, "; ")));
    }
    dists.push_back(std::move(*report.distribution));
  }
  return dists;
}

// What the user can do about a refusal, where the answer says.
std::string failure_hint(const pypi::HttpResponse& response,
                         const pypi::ResolvedRepository& repository) {
  if (pypi::is_already_existing(response)) {
    return " (the index has this file already; --skip-existing skips such files)";
  }
  if (response.status == 401 || response.status == 403) {
    return fmt::format(" (the index refused user '{}' from {} with the password from {})",
                       repository.username, repository.username_origin, repository.password_origin);
  }
  return "";
}

int run_upload(const UploadArguments& arguments, const CLI::App& app) {
  pypi::RepositoryOptions options;
  options.repository_name = given(arguments.repository_name);
  options.repository_url = given(arguments.repository_url);
  options.username = given(arguments.username);
  if (!arguments.config_file.empty()) options.config_file = arguments.config_file;
  options.password_on_command_line = app.count("--password") > 0;

  std::optional<std::filesystem::path> dist_folder;
  if (!arguments.pipeline_file.empty()) {
    const auto pipeline = pipeline::load(arguments.pipeline_file);
    pypi::apply_pipeline_repository(options, pipeline.repository);
    dist_folder = pipeline.dist_out_dir();
  }
  const auto repository = pypi::resolve_repository(options, pypi::process_environment());
  const auto dists = inspected_dists(pypi::select_dist_files(arguments.files, dist_folder));

  pypi::UploadSettings settings;
  settings.skip_existing = arguments.skip_existing;
  settings.comment = given(arguments.comment);
  if (arguments.verbose) {
    settings.log = [](std::string_view line) { fmt::print(stderr, "  {}\n", line); };
  }

  fmt::print("Uploading distributions to {}\n", repository.url);
  if (arguments.verbose) {
    fmt::print(stderr,
               "  repository: {}\n  username: {} (from {})\n  password: <hidden> (from {})\n",
               repository.name.empty() ? "(given by URL)" : repository.name, repository.username,
               repository.username_origin, repository.password_origin);
  }
  int uploaded = 0;
  int skipped = 0;
  for (const auto& dist : dists) {
    const std::string file_name = dist.path.filename().string();
    pypi::UploadResult result;
    try {
      result = pypi::upload_distribution(repository, dist, settings);
    } catch (const std::exception&) {
      fmt::print("failed   {}\n", file_name);
      throw;
    }
    const std::string size = human_size(result.size);
    switch (result.outcome) {
      case pypi::UploadOutcome::uploaded:
        ++uploaded;
        fmt::print("uploaded {} ({})\n", file_name, size);
        break;
      case pypi::UploadOutcome::skipped:
        ++skipped;
        fmt::print("skipped  {} ({}): already on the index ({})\n", file_name, size, result.detail);
        break;
      case pypi::UploadOutcome::failed:
        fmt::print("failed   {} ({})\n", file_name, size);
        throw pypi::UploadError(fmt::format("{} was not uploaded: {}{}", file_name, result.detail,
                                            failure_hint(result.response, repository)));
    }
  }
  fmt::print("{} uploaded, {} skipped\n", uploaded, skipped);
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
  app->add_option("-u,--username", arguments->username, "Username (env TWINE_USERNAME)");
  app->add_option("--config-file", arguments->config_file,
                  "The .pypirc to read (default ~/.pypirc)");
  app->add_option("--comment", arguments->comment, "Comment sent with each file");
  app->add_flag("--skip-existing", arguments->skip_existing,
                "Skip files the index already has (HTTP 409, or 400 \"already exists\")");
  app->add_flag("--verbose", arguments->verbose, "Show the URL, username and each response");
  app->add_flag("--non-interactive", arguments->non_interactive,
                "Accepted for twine compatibility; docker-pipeline never prompts");
  app->add_flag("--disable-progress-bar", arguments->disable_progress_bar,
                "Accepted for twine compatibility; no progress bar is drawn");
  // Taken (with its value, so the secret is not mistaken for a file name) only to be refused.
  app->add_option("-p,--password", arguments->password)
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("");
  return {app, [arguments, app] { return run_upload(*arguments, *app); }};
}

}  // namespace dp::cli
