// Each backend's rules are those of its documentation and source: setuptools
// (config/expand.py _find_module), hatchling (version/source/regex.py), pdm-backend
// (hooks/version/source.py), setuptools-scm (write_to/version_file), flit_core (common.Module).
#include "stamp/dynamic_version.hpp"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <algorithm>
#include <utility>

#include "stamp/stamp.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;
using View = toml::node_view<const toml::node>;

// Where the build sees $ARG_VERSION, a backend reading git tags can be told the version instead.
constexpr std::string_view kPretendVersion =
    "let the build pass the version, e.g. ENV SETUPTOOLS_SCM_PRETEND_VERSION=$ARG_VERSION in the "
    "Dockerfile";

bool is_identifier(std::string_view name) {
  const auto identifier_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  return !name.empty() && !(name.front() >= '0' && name.front() <= '9') &&
         std::all_of(name.begin(), name.end(), identifier_char);
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (std::size_t begin = 0;;) {
    const auto end = text.find(separator, begin);
    parts.emplace_back(text.substr(begin, end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

// `base/a/b.py` and `base/a/b/__init__.py` for module `a.b`, in the order `package_first` says.
void add_module_files(std::vector<fs::path>& candidates, const fs::path& base,
                      const std::vector<std::string>& module, bool package_first) {
  auto stem = base;
  for (const auto& part : module) stem /= part;
  auto module_file = stem;
  module_file += ".py";
  const auto package_file = stem / "__init__.py";
  candidates.push_back(package_first ? package_file : module_file);
  candidates.push_back(package_first ? module_file : package_file);
}

class Resolver {
 public:
  Resolver(const fs::path& path, const toml::table& document) : path_(path), doc_(document) {}

  std::optional<DynamicVersion> resolve() const {
    const auto backend = doc_["build-system"]["build-backend"].value_or(std::string{});
    using Finder = std::optional<DynamicVersion> (Resolver::*)() const;
    std::vector<Finder> finders;
    if (backend.starts_with("setuptools")) {
      finders = {&Resolver::setuptools, &Resolver::setuptools_scm};
    } else if (backend.starts_with("hatchling")) {
      finders = {&Resolver::hatch};
    } else if (backend.starts_with("pdm")) {
      finders = {&Resolver::pdm};
    } else if (backend.starts_with("flit_core")) {
      finders = {&Resolver::flit};
    } else {
      // No backend, or one with another plugin: whichever table the file has.
      finders = {&Resolver::setuptools, &Resolver::hatch, &Resolver::pdm,
                 &Resolver::setuptools_scm};
    }
    for (const auto finder : finders) {
      if (auto found = (this->*finder)()) return found;
    }
    throw StampError(fmt::format(
        "{}: [project] declares the version dynamic, and no table of its build backend says which "
        "file holds it; stamp that file instead (or give it with --pattern)",
        path_.string()));
  }

 private:
  [[noreturn]] void fail(std::string_view setting, std::string_view why) const {
    throw StampError(
        fmt::format("{}: the version is dynamic ({}): {}", path_.string(), setting, why));
  }

  std::optional<DynamicVersion> setuptools() const {
    const auto version = doc_["tool"]["setuptools"]["dynamic"]["version"];
    if (!version) return std::nullopt;
    if (const auto attr = version["attr"].value<std::string>()) return setuptools_attr(*attr);
    std::vector<std::string> files;
    if (const auto file = version["file"].value<std::string>()) files.push_back(*file);
    if (const auto* list = version["file"].as_array()) {
      for (const auto& entry : *list) files.push_back(entry.value_or(std::string{}));
    }
    const auto setting = fmt::format("[tool.setuptools.dynamic] version = {{file = {}}}",
                                     files.size() == 1 ? "\"" + files.front() + "\"" : "[...]");
    if (files.empty()) {
      fail("[tool.setuptools.dynamic] version",
           "neither attr nor file says where it is read from; stamp that file instead");
    }
    if (files.size() > 1) {
      fail(setting, "the version is read from several files joined; stamp them with --pattern");
    }
    if (files.front().empty()) fail(setting, "not a file name; stamp the file it reads instead");
    return DynamicVersion{setting, {files.front()}, {}, fmt::format("create {}", files.front())};
  }

  std::optional<DynamicVersion> setuptools_attr(const std::string& attr) const {
    const auto setting = fmt::format("[tool.setuptools.dynamic] version = {{attr = \"{}\"}}", attr);
    auto module = split(attr, '.');
    const auto name = module.back();
    module.pop_back();
    if (module.empty()) module = {"__init__"};
    if (!std::all_of(module.begin(), module.end(), is_identifier) || !is_identifier(name)) {
      fail(setting, "not a module attribute; stamp the file that defines it");
    }

    std::vector<fs::path> candidates;
    const auto* package_dir = doc_["tool"]["setuptools"]["package-dir"].as_table();
    if (package_dir == nullptr) {
      // Without package-dir, setuptools discovers a flat or a src/ layout.
      add_module_files(candidates, {}, module, false);
      add_module_files(candidates, "src", module, false);
    } else if (const auto custom = (*package_dir)[module.front()].value<std::string>()) {
      // {"pkg" = "lib/pkg"}: the top-level package lives in that folder.
      module.front() = fs::path{*custom}.filename().string();
      add_module_files(candidates, fs::path{*custom}.parent_path(), module, false);
    } else {
      add_module_files(candidates, (*package_dir)[""].value_or(std::string{}), module, false);
    }
    return DynamicVersion{
        setting, candidates, {name}, fmt::format("stamp the file that defines {}", attr)};
  }

  std::optional<DynamicVersion> hatch() const {
    const auto version = doc_["tool"]["hatch"]["version"];
    if (!version) return std::nullopt;
    const auto source = version["source"].value_or(std::string{"regex"});
    const auto path = version["path"].value<std::string>();
    const auto setting = path ? fmt::format("[tool.hatch.version] path = \"{}\"", *path)
                              : fmt::format("[tool.hatch.version] source = \"{}\"", source);
    if (source == "vcs")
      fail(setting, fmt::format("hatch-vcs reads it from git tags and no file holds it; {}",
                                kPretendVersion));
    if (source == "env") {
      fail(setting, fmt::format("read from the environment variable {}; set it from $ARG_VERSION "
                                "in the Dockerfile",
                                version["variable"].value_or(std::string{"?"})));
    }
    if (source != "regex" && source != "code") {
      fail(setting, fmt::format("unknown version source '{}'; stamp the file it reads", source));
    }
    if (!path) fail(setting, "no path says which file holds the version");
    std::vector<std::string> names{"__version__", "VERSION"};
    if (source == "code") {
      names = {version["expression"].value_or(std::string{"__version__"})};
      if (!is_identifier(names.front())) {
        fail(setting,
             fmt::format("the expression '{}' is not a name; stamp what it reads", names.front()));
      }
    } else if (version["pattern"].is_string()) {
      fail(setting, fmt::format("it has its own pattern; stamp {} with --pattern", *path));
    }
    return DynamicVersion{setting, {*path}, names, fmt::format("create {}", *path)};
  }

  std::optional<DynamicVersion> pdm() const {
    const auto version = doc_["tool"]["pdm"]["version"];
    if (!version) return std::nullopt;
    const auto source = version["source"].value_or(std::string{});
    const auto setting = fmt::format("[tool.pdm.version] source = \"{}\"", source);
    if (source == "scm") {
      fail(setting,
           "pdm-backend reads it from git tags and no file holds it; let the build pass the "
           "version, e.g. ENV PDM_BUILD_SCM_VERSION=$ARG_VERSION in the Dockerfile");
    }
    if (source != "file") fail(setting, "no file holds it; stamp the file its code reads");
    const auto path = version["path"].value<std::string>();
    if (!path) fail(setting, "no path says which file holds the version");
    return DynamicVersion{fmt::format("{}, path = \"{}\"", setting, *path),
                          {*path},
                          {"__version__"},
                          fmt::format("create {}", *path)};
  }

  std::optional<DynamicVersion> setuptools_scm() const {
    const auto* scm = doc_["tool"]["setuptools_scm"].as_table();
    if (scm == nullptr) return std::nullopt;
    for (const auto* key : {"version_file", "write_to"}) {
      const auto file = (*scm)[key].value<std::string>();
      if (!file) continue;
      const auto setting = fmt::format("[tool.setuptools_scm] {} = \"{}\"", key, *file);
      std::vector<std::string> names;
      if (fs::path{*file}.extension() == ".py") names = {"__version__", "version"};
      return DynamicVersion{
          setting,
          {*file},
          names,
          fmt::format("setuptools-scm writes it when it builds; {}", kPretendVersion)};
    }
    fail("[tool.setuptools_scm]",
         fmt::format("setuptools-scm reads it from git tags and no file holds it; {}",
                     kPretendVersion));
  }

  std::optional<DynamicVersion> flit() const {
    const bool named = doc_["tool"]["flit"]["module"]["name"].is_string();
    auto module = doc_["tool"]["flit"]["module"]["name"].value_or(
        doc_["project"]["name"].value_or(std::string{}));
    if (!named) std::replace(module.begin(), module.end(), '-', '_');
    const auto setting = named ? fmt::format("[tool.flit.module] name = \"{}\"", module)
                               : fmt::format("flit_core reads __version__ of module {}", module);
    const auto parts = split(module, '.');
    if (!std::all_of(parts.begin(), parts.end(), is_identifier)) {
      fail(setting, "not a module name; stamp the module that defines __version__");
    }
    std::vector<fs::path> candidates;
    add_module_files(candidates, {}, parts, true);
    add_module_files(candidates, "src", parts, true);
    return DynamicVersion{setting,
                          candidates,
                          {"__version__"},
                          fmt::format("stamp the module {} that defines __version__", module)};
  }

  const fs::path& path_;
  const toml::table& doc_;
};

bool declares_dynamic_version(const toml::table& document) {
  const auto* dynamic = document["project"]["dynamic"].as_array();
  if (dynamic == nullptr) return false;
  return std::any_of(dynamic->begin(), dynamic->end(), [](const toml::node& entry) {
    return entry.value<std::string>() == "version";
  });
}

}  // namespace

std::optional<DynamicVersion> find_dynamic_version(const fs::path& path, std::string_view content) {
  toml::table document;
  try {
    document = toml::parse(content, path.string());
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  if (document["project"]["version"] || document["tool"]["poetry"]["version"] ||
      !declares_dynamic_version(document)) {
    return std::nullopt;
  }
  return Resolver{path, document}.resolve();
}

}  // namespace dp::stamp
