#include "stamp/plan.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "stamp/dynamic_version.hpp"
#include "stamp/file_io.hpp"
#include "stamp/locators.hpp"
#include "stamp/pattern.hpp"
#include "stamp/replace.hpp"
#include "stamp/stamp.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kItself = "the package at run time, not the build backend";
// How many `from .mod import __version__` are followed from one file.
constexpr int kMaxReferences = 4;

std::string joined(const std::vector<fs::path>& paths) {
  std::string text;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i > 0) text += i + 1 == paths.size() ? " nor " : ", ";
    text += paths[i].string();
  }
  return text;
}

// The folder holding a file's pyproject.toml, setup.py, setup.cfg or PKG-INFO, and what they say.
struct Project {
  fs::path root;
  fs::path pyproject;  // empty when there is none
  std::optional<std::string> pyproject_content;
  std::optional<PyprojectFacts> facts;
  bool pkg_info = false;
  // Where its pyproject.toml has the backend read a dynamic version, once asked.
  std::optional<std::optional<DynamicVersion>> source;

  std::string backend() const { return facts ? facts->backend : "setuptools"; }
  bool dynamic() const { return facts && facts->dynamic; }
};

bool is_within(const fs::path& dir, const fs::path& root) {
  const auto relative = dir.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

class Planner {
 public:
  Planner(const StampOptions& options, const FileReader& read) : options_(options), read_(read) {}

  void stamp(const fs::path& file) {
    const auto path = file.lexically_normal();
    auto content = current(path);
    if (!content) throw StampError(fmt::format("{}: no such file to stamp", file.string()));
    auto* project = project_of(path);
    check_not_generated(path, *content, project);
    const auto name = path.filename();
    if (options_.pattern) {
      record(path, path, *content,
             locate_with_pattern(path, *content, options_.version, *options_.pattern),
             options_.version, read_by(path, project));
    } else if (name == "pyproject.toml") {
      stamp_pyproject(path, *content, project);
    } else if (path.extension() == ".py") {
      const std::vector<std::string> names =
          name == "setup.py" ? std::vector<std::string>{"version", "__version__"}
                             : std::vector<std::string>{"__version__"};
      stamp_module(path, path, *content, names, read_by(path, project), true, project);
    } else {
      auto spans = locate_version(path, *content);  // its errors first
      record(path, path, *content, std::move(spans), value_for(path, options_.version),
             read_by(path, project));
    }
    if (project != nullptr && project->pkg_info) stamp_pkg_info(*project, path);
  }

  StampPlan take() { return {std::move(edits_), std::move(passed_)}; }

 private:
  void stamp_pyproject(const fs::path& path, std::string_view content, Project* project) {
    const auto backend = project != nullptr ? project->backend() : std::string{"setuptools"};
    const auto source = find_dynamic_version(path, content);
    if (!source) {
      record(path, path, content, locate_version(path, content), options_.version, backend);
    } else if (source->scm) {
      stamp_scm(path, *source, project);
    } else {
      stamp_dynamic(path, *source, backend, project);
    }
  }

  void stamp_dynamic(const fs::path& pyproject, const DynamicVersion& source,
                     const std::string& backend, Project* project) {
    std::vector<fs::path> candidates;
    for (const auto& candidate : source.candidates) {
      candidates.push_back((pyproject.parent_path() / candidate).lexically_normal());
    }
    for (const auto& candidate : candidates) {
      // Read errors too (the build stage refuses a file outside its context) name the setting.
      try {
        const auto content = current(candidate);
        if (!content) continue;
        check_not_generated(candidate, *content, project);
        if (source.cargo) {
          auto spans = locate_cargo_version(candidate, *content);  // its errors first
          record(candidate, pyproject, *content, std::move(spans),
                 value_for(candidate, options_.version), backend);
        } else if (source.names.empty()) {
          check_stampable(candidate, options_.version);
          record(candidate, pyproject, *content, locate_plain_version(candidate, *content),
                 options_.version, backend);
        } else {
          stamp_module(candidate, pyproject, *content, source.names, backend,
                       source.follows_imports, project);
        }
      } catch (const std::exception& e) {
        throw StampError(fmt::format("{}: the version is dynamic ({}), and {}", pyproject.string(),
                                     source.setting, e.what()));
      }
      return;
    }
    const auto missing = candidates.size() == 1
                             ? fmt::format("{} does not exist", candidates.front().string())
                             : fmt::format("neither {} exists", joined(candidates));
    throw StampError(fmt::format("{}: the version is dynamic ({}), and {}; {}", pyproject.string(),
                                 source.setting, missing, source.otherwise));
  }

  // A version derived from git: the PKG-INFO of an unpacked sdist holds it, or the build passes it.
  void stamp_scm(const fs::path& pyproject, const DynamicVersion& source, const Project* project) {
    const auto& scm = *source.scm;
    if (project != nullptr && project->pkg_info && scm.reads_pkg_info) return;  // stamped with it
    const auto prefix = fmt::format(
        "{}: the version is dynamic ({}): {} derives it from git when "
        "it builds, and no file holds it",
        pyproject.string(), source.setting, scm.backend);
    if (!options_.build_variables) {
      throw StampError(fmt::format(
          "{}; set {}={} in the environment of the build instead (in a pipeline, declare ARG {} "
          "in the Dockerfile: the pipeline passes the version in it)",
          prefix, scm.variable, options_.version, scm.variable));
    }
    const auto& passed = *options_.build_variables;
    std::string variable;
    if (passed.contains(scm.variable)) {
      variable = scm.variable;
    } else if (scm.variable == kPretendVersionVariable && scm.backend != "hatch-vcs" && project &&
               project->facts && !project->facts->name.empty() &&
               passed.contains(pretend_version_variable(project->facts->name))) {
      // hatch-vcs gives setuptools-scm no project name, so only the plain variable reaches it.
      variable = pretend_version_variable(project->facts->name);
    }
    if (variable.empty()) {
      throw StampError(
          fmt::format("{}; declare ARG {} in the Dockerfile, before the step that builds the "
                      "package: the pipeline passes the version in it",
                      prefix, scm.variable));
    }
    passed_.push_back({pyproject, scm.backend, variable});
  }

  // `__version__ = '...'` (or `names`) in a Python file; with `follow`, a file that imports it
  // from another module leads there.
  void stamp_module(const fs::path& path, const fs::path& requested, std::string_view content,
                    const std::vector<std::string>& names, const std::string& reader, bool follow,
                    Project* project, int depth = 0) {
    check_stampable(path, options_.version);
    const std::vector<std::string_view> views{names.begin(), names.end()};
    std::vector<ValueSpan> spans;
    try {
      spans = locate_python_version(path, content, views);
    } catch (const StampError&) {
      const auto reference = follow ? find_version_reference(content, views) : std::nullopt;
      if (!reference || depth >= kMaxReferences) throw;
      const auto candidates = module_files(path, reference->module);
      for (const auto& candidate : candidates) {
        const auto target = current(candidate);
        if (!target) continue;
        check_not_generated(candidate, *target, project);
        stamp_module(candidate, requested, *target, {reference->name}, reader, follow, project,
                     depth + 1);
        return;
      }
      throw StampError(
          fmt::format("{}: takes {} from {}, and neither {} exists; stamp the file "
                      "that defines it",
                      path.string(), reference->name, reference->module, joined(candidates)));
    }
    record(path, requested, content, spans, options_.version, reader);
  }

  // The files a module reference of `file` can be: `.mod` beside it, `..mod` in the folder
  // above, `pkg.mod` (setup.py's import) beside it or under src/.
  static std::vector<fs::path> module_files(const fs::path& file, const std::string& module) {
    auto base = file.parent_path();
    std::size_t dots = 0;
    while (dots < module.size() && module[dots] == '.') ++dots;
    for (std::size_t up = 1; up < dots; ++up) base = base.parent_path();
    std::vector<fs::path> bases{base};
    if (dots == 0) bases.push_back(base / "src");
    std::vector<fs::path> files;
    for (const auto& folder : bases) {
      auto stem = folder;
      std::size_t begin = dots;
      while (begin <= module.size()) {
        auto end = module.find('.', begin);
        if (end == std::string::npos) end = module.size();
        stem /= module.substr(begin, end - begin);
        begin = end + 1;
      }
      auto module_file = stem;
      module_file += ".py";
      files.push_back(module_file.lexically_normal());
      files.push_back((stem / "__init__.py").lexically_normal());
    }
    return files;
  }

  void stamp_pkg_info(Project& project, const fs::path& requested) {
    const auto path = (project.root / "PKG-INFO").lexically_normal();
    const auto content = current(path);
    if (!content) return;
    record(path, requested, *content, locate_pkg_info_version(path, *content), options_.version,
           pkg_info_reader(project));
  }

  std::string pkg_info_reader(Project& project) {
    if (project.backend() == "hatchling" && project.dynamic()) {
      return "hatchling, which takes a dynamic version from it in an unpacked sdist";
    }
    const auto* source = dynamic_source(project);
    if (source != nullptr && source->scm && source->scm->reads_pkg_info) {
      return fmt::format("{}, which takes the version from it where there is no git",
                         source->scm->backend);
    }
    return fmt::format("tools reading the unpacked sdist; {} writes a new one", project.backend());
  }

  // Who reads the version of a file given to stamp.
  std::string read_by(const fs::path& path, Project* project) {
    const auto name = path.filename();
    if (name == "setup.py" || name == "setup.cfg") return "setuptools";
    if (project == nullptr) return std::string{kItself};
    if (name == "pyproject.toml") return project->backend();
    if (name == "PKG-INFO") return pkg_info_reader(*project);
    if (name == "Cargo.toml") return project->backend() == "maturin" ? "maturin" : "cargo";
    const auto* source = dynamic_source(*project);
    if (source != nullptr) {
      for (const auto& candidate : source->candidates) {
        const auto file = (project->root / candidate).lexically_normal();
        if (file == path) return project->backend();
        if (current(file)) break;  // the backend reads the first that exists
      }
    }
    return std::string{kItself};
  }

  // The dynamic version source of a project's pyproject.toml, or null (none, or not resolvable:
  // then the file given is not known to be read by the backend).
  const DynamicVersion* dynamic_source(Project& project) {
    if (!project.source) {
      project.source.emplace();
      if (project.pyproject_content && project.dynamic()) {
        try {
          *project.source = find_dynamic_version(project.pyproject, *project.pyproject_content);
        } catch (const StampError&) {
          // Stamping that pyproject.toml says why; a file given on its own is stamped as such.
        }
      }
    }
    return *project.source ? &**project.source : nullptr;
  }

  // The nearest folder above `path` (within options_.root) that holds a project's files.
  Project* project_of(const fs::path& path) {
    for (auto dir = path.parent_path();; dir = dir.parent_path()) {
      if (options_.root && !is_within(dir, *options_.root)) return nullptr;
      if (const auto known = projects_.find(dir); known != projects_.end()) {
        return known->second.get();
      }
      auto project = std::make_unique<Project>();
      project->root = dir;
      if (auto content = current(dir / "pyproject.toml")) {
        project->pyproject = (dir / "pyproject.toml").lexically_normal();
        project->facts = read_pyproject(*content);
        project->pyproject_content = std::move(content);
      }
      project->pkg_info = current(dir / "PKG-INFO").has_value();
      if (project->pyproject_content || project->pkg_info || current(dir / "setup.py") ||
          current(dir / "setup.cfg")) {
        return projects_.emplace(dir, std::move(project)).first->second.get();
      }
      if (!dir.has_relative_path()) return nullptr;  // "" or "/": nothing above
    }
  }

  // Refuses a file that a build backend writes the version into as it builds.
  void check_not_generated(const fs::path& path, std::string_view content,
                           const Project* project) const {
    if (project != nullptr && project->facts) {
      const auto relative = path.lexically_relative(project->root);
      for (const auto& generated : project->facts->generated) {
        if (relative == generated.path || relative == "src" / generated.path) {
          refuse_generated(path, generated.backend,
                           fmt::format("{} in {}", generated.setting, project->pyproject.string()),
                           project);
        }
      }
    }
    const auto head = content.substr(0, 400);
    if (head.find("file generated by setuptools-scm") != std::string_view::npos ||
        head.find("file generated by setuptools_scm") != std::string_view::npos) {
      refuse_generated(path, "setuptools-scm", "its first lines say so", project);
    }
  }

  [[noreturn]] void refuse_generated(const fs::path& path, std::string_view backend,
                                     std::string_view why, const Project* project) const {
    const auto variable = backend == "pdm-backend" ? kPdmVersionVariable : kPretendVersionVariable;
    std::string fix;
    if (project != nullptr && project->pkg_info && backend != "pdm-backend") {
      fix = fmt::format(
          "stamp {} instead, which stamps {}, the version this unpacked sdist "
          "builds with",
          project->pyproject.empty() ? "PKG-INFO" : project->pyproject.string(),
          (project->root / "PKG-INFO").lexically_normal().string());
    } else if (options_.build_variables) {
      fix = fmt::format(
          "the pipeline passes the version to {} in the build arg {} (declare ARG {} "
          "in the Dockerfile)",
          backend, variable, variable);
    } else {
      fix = fmt::format("set {}={} in the environment of the build instead", variable,
                        options_.version);
    }
    throw StampError(fmt::format(
        "{}: {} writes this file when it builds ({}), so a version stamped here is overwritten; "
        "drop it from {}: {}",
        path.string(), backend, why, options_.build_variables ? "STAMP" : "the files to stamp",
        fix));
  }

  // The content as stamped so far, or as the reader has it.
  std::optional<std::string> current(const fs::path& path) {
    if (const auto* edit = find(path.lexically_normal())) return edit->after;
    return read_(path.lexically_normal());
  }

  void record(const fs::path& path, const fs::path& requested, std::string_view before,
              std::vector<ValueSpan> spans, const std::string& value, const std::string& reader) {
    check_stampable(path, value);
    const auto first =
        std::min_element(spans.begin(), spans.end(),
                         [](const ValueSpan& a, const ValueSpan& b) { return a.begin < b.begin; });
    const auto old_version =
        first == spans.end() ? std::string{}
                             : std::string{before.substr(first->begin, first->end - first->begin)};
    auto after = replace_spans(before, std::move(spans), value);
    if (auto* edit = find(path)) {
      edit->after = std::move(after);
      if (edit->read_by == kItself) edit->read_by = reader;
    } else {
      edits_.push_back(
          {path, requested, std::string{before}, std::move(after), old_version, value, reader});
    }
  }

  FileEdit* find(const fs::path& path) {
    const auto edit = std::find_if(edits_.begin(), edits_.end(),
                                   [&](const FileEdit& e) { return e.path == path; });
    return edit == edits_.end() ? nullptr : &*edit;
  }

  const StampOptions& options_;
  const FileReader& read_;
  std::vector<FileEdit> edits_;
  std::vector<PassedVersion> passed_;
  std::map<fs::path, std::unique_ptr<Project>> projects_;
};

}  // namespace

FileReader disk_reader() {
  return [](const fs::path& path) -> std::optional<std::string> {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return std::nullopt;
    return read_file(path);
  };
}

std::string pretend_version_variable(std::string_view name) {
  std::string variable{kPretendVersionVariable};
  variable += "_FOR_";
  bool separator = false;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      separator = true;
      continue;
    }
    if (separator) variable += '_';
    separator = false;
    variable += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return variable;
}

std::string reader_note(const FileEdit& edit) {
  if (edit.requested == edit.path) return fmt::format("(read by {})", edit.read_by);
  return fmt::format("(read by {}, the version of {})", edit.read_by, edit.requested.string());
}

StampPlan plan_stamp(const std::vector<fs::path>& files, const StampOptions& options,
                     const FileReader& read) {
  Planner planner{options, read};
  for (const auto& file : files) planner.stamp(file);
  return planner.take();
}

}  // namespace dp::stamp
