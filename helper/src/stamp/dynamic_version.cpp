// Each backend's rules are those of its documentation and source: setuptools
// (config/expand.py _find_module), hatchling (version/source/regex.py), pdm-backend
// (hooks/version/source.py), setuptools-scm (write_to/version_file), flit_core (common.Module),
// scikit-build-core (metadata/regex.py, settings), maturin (the [package] version of Cargo.toml).
#include "stamp/dynamic_version.hpp"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

#include "stamp/plan.hpp"
#include "stamp/stamp.hpp"
#include "text/text.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;
using View = toml::node_view<const toml::node>;

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

// The requirement's distribution name, normalized: "setuptools_scm[toml]>=6" is setuptools-scm.
std::string requirement_name(std::string_view requirement) {
  const auto end = requirement.find_first_of(" <>=!~;[(@");
  std::string name{text::trim(requirement.substr(0, end))};
  for (auto& c : name) {
    c = c == '_' || c == '.' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

std::vector<std::string> build_requires(const toml::table& document) {
  std::vector<std::string> names;
  if (const auto* requires_ = document["build-system"]["requires"].as_array()) {
    for (const auto& entry : *requires_) {
      if (const auto text = entry.value<std::string>()) names.push_back(requirement_name(*text));
    }
  }
  return names;
}

bool requires_any(const toml::table& document, std::initializer_list<std::string_view> names) {
  const auto required = build_requires(document);
  return std::any_of(required.begin(), required.end(), [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  });
}

DynamicVersion from_file(std::string setting, std::vector<fs::path> candidates,
                         std::vector<std::string> names, std::string otherwise) {
  DynamicVersion found;
  found.setting = std::move(setting);
  found.candidates = std::move(candidates);
  found.names = std::move(names);
  found.otherwise = std::move(otherwise);
  return found;
}

class Resolver {
 public:
  Resolver(const fs::path& path, const toml::table& document) : path_(path), doc_(document) {}

  std::optional<DynamicVersion> resolve() const {
    const auto backend = backend_name(doc_["build-system"]["build-backend"].value_or(std::string{}),
                                      build_requires(doc_));
    using Finder = std::optional<DynamicVersion> (Resolver::*)() const;
    std::vector<Finder> finders;
    if (backend == "setuptools") {
      finders = {&Resolver::setuptools, &Resolver::setuptools_scm};
    } else if (backend == "hatchling") {
      finders = {&Resolver::hatch};
    } else if (backend == "pdm-backend") {
      finders = {&Resolver::pdm};
    } else if (backend == "flit_core") {
      finders = {&Resolver::flit};
    } else if (backend == "scikit-build-core") {
      finders = {&Resolver::scikit_build};
    } else if (backend == "maturin") {
      finders = {&Resolver::maturin};
    } else {
      // Another backend, or one with another plugin: whichever table the file has.
      finders = {&Resolver::setuptools, &Resolver::hatch, &Resolver::pdm, &Resolver::scikit_build,
                 &Resolver::setuptools_scm};
    }
    for (const auto finder : finders) {
      if (auto found = (this->*finder)()) return found;
    }
    throw StampError(fmt::format(
        "{}: [project] declares the version dynamic, and no table of its build backend ({}) says "
        "which file holds it; stamp that file instead (or give it with --pattern)",
        path_.string(), backend));
  }

 private:
  [[noreturn]] void fail(std::string_view setting, std::string_view why) const {
    throw StampError(
        fmt::format("{}: the version is dynamic ({}): {}", path_.string(), setting, why));
  }

  static DynamicVersion scm(std::string setting, std::string backend, std::string_view variable) {
    DynamicVersion found;
    found.setting = std::move(setting);
    found.scm = ScmVersion{std::move(backend), std::string{variable}};
    return found;
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
    return from_file(setting, {files.front()}, {}, fmt::format("create {}", files.front()));
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
    auto found =
        from_file(setting, candidates, {name}, fmt::format("stamp the file that defines {}", attr));
    found.follows_imports = true;
    return found;
  }

  std::optional<DynamicVersion> hatch() const {
    const auto version = doc_["tool"]["hatch"]["version"];
    if (!version) return std::nullopt;
    const auto source = version["source"].value_or(std::string{"regex"});
    const auto path = version["path"].value<std::string>();
    const auto setting = path ? fmt::format("[tool.hatch.version] path = \"{}\"", *path)
                              : fmt::format("[tool.hatch.version] source = \"{}\"", source);
    if (source == "vcs") return scm(setting, "hatch-vcs", kPretendVersionVariable);
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
    return from_file(setting, {*path}, names, fmt::format("create {}", *path));
  }

  std::optional<DynamicVersion> pdm() const {
    const auto version = doc_["tool"]["pdm"]["version"];
    if (!version) return std::nullopt;
    const auto source = version["source"].value_or(std::string{});
    const auto setting = fmt::format("[tool.pdm.version] source = \"{}\"", source);
    if (source == "scm") {
      auto found = scm(setting, "pdm-backend", kPdmVersionVariable);
      found.scm->reads_pkg_info = false;
      return found;
    }
    if (source != "file") fail(setting, "no file holds it; stamp the file its code reads");
    const auto path = version["path"].value<std::string>();
    if (!path) fail(setting, "no path says which file holds the version");
    return from_file(fmt::format("{}, path = \"{}\"", setting, *path), {*path}, {"__version__"},
                     fmt::format("create {}", *path));
  }

  std::optional<DynamicVersion> setuptools_scm() const {
    if (doc_["tool"]["setuptools_scm"].is_table()) {
      return scm("[tool.setuptools_scm]", "setuptools-scm", kPretendVersionVariable);
    }
    if (requires_any(doc_, {"setuptools-scm"})) {
      return scm("setuptools-scm in [build-system] requires", "setuptools-scm",
                 kPretendVersionVariable);
    }
    return std::nullopt;
  }

  std::optional<DynamicVersion> scikit_build() const {
    const auto version = doc_["tool"]["scikit-build"]["metadata"]["version"];
    if (!version) return std::nullopt;
    const auto provider = version["provider"].value_or(std::string{});
    const auto setting =
        fmt::format("[tool.scikit-build] metadata.version.provider = \"{}\"", provider);
    if (provider == "scikit_build_core.metadata.setuptools_scm") {
      return scm(setting, "setuptools-scm (through scikit-build-core)", kPretendVersionVariable);
    }
    if (provider != "scikit_build_core.metadata.regex") {
      fail(setting, "no file this tool knows holds it; stamp the file the provider reads");
    }
    const auto input = version["input"].value<std::string>();
    if (!input) fail(setting, "no input says which file holds the version");
    if (version["regex"].is_string()) {
      fail(setting, fmt::format("it has its own regex; stamp {} with --pattern", *input));
    }
    return from_file(fmt::format("{}, input = \"{}\"", setting, *input), {*input},
                     {"__version__", "VERSION"}, fmt::format("create {}", *input));
  }

  std::optional<DynamicVersion> maturin() const {
    const auto manifest = doc_["tool"]["maturin"]["manifest-path"].value_or(std::string{});
    const auto setting = manifest.empty()
                             ? std::string{"maturin reads [package] version of Cargo.toml"}
                             : fmt::format("[tool.maturin] manifest-path = \"{}\"", manifest);
    const auto file = manifest.empty() ? std::string{"Cargo.toml"} : manifest;
    auto found = from_file(setting, {file}, {}, fmt::format("create {}", file));
    found.cargo = true;
    return found;
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
    auto found = from_file(setting, candidates, {"__version__"},
                           fmt::format("stamp the module {} that defines __version__", module));
    found.follows_imports = true;
    return found;
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

bool has_own_version(const toml::table& document) {
  return document["project"]["version"] || document["tool"]["poetry"]["version"];
}

void add_generated(std::vector<GeneratedFile>& files, const View& node, std::string backend,
                   std::string_view table, std::string_view key) {
  if (const auto file = node.value<std::string>()) {
    files.push_back({fs::path{*file}.lexically_normal(), std::move(backend),
                     fmt::format("[{}] {} = \"{}\"", table, key, *file)});
  }
}

}  // namespace

std::string backend_name(std::string_view backend, const std::vector<std::string>& requires_) {
  if (backend.empty()) return "setuptools";
  static constexpr std::pair<std::string_view, std::string_view> kModules[] = {
      {"setuptools", "setuptools"},
      {"hatchling", "hatchling"},
      {"flit_core", "flit_core"},
      {"poetry.core", "poetry-core"},
      {"poetry.masonry", "poetry-core"},
      {"pdm.backend", "pdm-backend"},
      {"pdm.pep517", "pdm-backend"},
      {"maturin", "maturin"},
      {"scikit_build_core", "scikit-build-core"}};
  const auto module = backend.substr(0, backend.find(':'));
  for (const auto& [prefix, name] : kModules) {
    if (module.starts_with(prefix) &&
        (module.size() == prefix.size() || module[prefix.size()] == '.')) {
      return std::string{name};
    }
  }
  // A backend of the project's own (backend-path) wrapping a known one.
  static constexpr std::pair<std::string_view, std::string_view> kDistributions[] = {
      {"scikit-build-core", "scikit-build-core"},
      {"hatchling", "hatchling"},
      {"flit-core", "flit_core"},
      {"poetry-core", "poetry-core"},
      {"pdm-backend", "pdm-backend"},
      {"maturin", "maturin"},
      {"setuptools", "setuptools"}};
  for (const auto& [distribution, name] : kDistributions) {
    if (std::find(requires_.begin(), requires_.end(), distribution) != requires_.end()) {
      return std::string{name};
    }
  }
  return std::string{module};
}

std::optional<DynamicVersion> find_dynamic_version(const fs::path& path, std::string_view content) {
  toml::table document;
  try {
    document = toml::parse(content, path.string());
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  if (has_own_version(document) || !declares_dynamic_version(document)) return std::nullopt;
  return Resolver{path, document}.resolve();
}

std::optional<PyprojectFacts> read_pyproject(std::string_view content) {
  toml::table document;
  try {
    document = toml::parse(content);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  const auto& doc = std::as_const(document);
  PyprojectFacts facts;
  facts.name =
      doc["project"]["name"].value_or(doc["tool"]["poetry"]["name"].value_or(std::string{}));
  facts.backend = backend_name(doc["build-system"]["build-backend"].value_or(std::string{}),
                               build_requires(doc));
  facts.dynamic = !has_own_version(document) && declares_dynamic_version(document);
  auto& generated = facts.generated;
  const auto scm = doc["tool"]["setuptools_scm"];
  add_generated(generated, scm["version_file"], "setuptools-scm", "tool.setuptools_scm",
                "version_file");
  add_generated(generated, scm["write_to"], "setuptools-scm", "tool.setuptools_scm", "write_to");
  add_generated(generated, doc["tool"]["hatch"]["build"]["hooks"]["vcs"]["version-file"],
                "hatch-vcs", "tool.hatch.build.hooks.vcs", "version-file");
  add_generated(generated, doc["tool"]["pdm"]["version"]["write_to"], "pdm-backend",
                "tool.pdm.version", "write_to");
  if (const auto* generate = doc["tool"]["scikit-build"]["generate"].as_array()) {
    for (const auto& entry : *generate) {
      add_generated(generated, View{entry}["path"], "scikit-build-core",
                    "[tool.scikit-build.generate]", "path");
    }
  }
  return facts;
}

}  // namespace dp::stamp
