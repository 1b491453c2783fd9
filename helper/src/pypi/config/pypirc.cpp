#include "pypi/config/pypirc.hpp"

#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "pypi/config/ini_file.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

std::vector<std::string> split_whitespace(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream stream{std::string{text}};
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

}  // namespace

std::vector<std::string> PypircConfig::names() const {
  std::vector<std::string> result;
  for (const auto& [name, repository] : repositories) result.push_back(name);
  return result;
}

PypircConfig parse_pypirc(std::string_view text, const std::filesystem::path& file) {
  const IniFile ini = IniFile::parse(text, file);
  PypircRepository defaults;
  defaults.username = ini.get("server-login", "username");
  defaults.password = ini.get("server-login", "password");
  const auto index_servers =
      split_whitespace(ini.get("distutils", "index-servers").value_or("pypi testpypi"));

  PypircConfig config;
  config.file = file;
  config.repositories["pypi"] = defaults;
  config.repositories["pypi"].url = std::string{pypi_upload_url};
  for (const auto& name : index_servers) {
    auto [entry, inserted] = config.repositories.try_emplace(name, defaults);
    if (name == "testpypi") entry->second.url = std::string{testpypi_upload_url};
    if (auto url = ini.get(name, "repository")) entry->second.url = std::move(url);
    if (auto username = ini.get(name, "username")) entry->second.username = std::move(username);
    if (auto password = ini.get(name, "password")) entry->second.password = std::move(password);
    if (auto ca_cert = ini.get(name, "ca_cert")) entry->second.ca_cert = std::move(ca_cert);
    if (auto client_cert = ini.get(name, "client_cert")) {
      entry->second.client_cert = std::move(client_cert);
    }
  }
  return config;
}

PypircConfig read_pypirc(const std::filesystem::path& file, bool must_exist) {
  std::ifstream stream{file, std::ios::binary};
  if (!stream) {
    std::error_code error;
    if (must_exist || std::filesystem::exists(file, error)) {
      throw ConfigurationError(fmt::format("cannot read the configuration file {}", file.string()));
    }
    return parse_pypirc("", file);
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return parse_pypirc(text.str(), file);
}

}  // namespace dp::pypi
