#pragma once

#include <filesystem>
#include <string>

#include "pypi/dist/core_metadata.hpp"
#include "pypi/dist/dist_names.hpp"

namespace dp::pypi {

// A wheel or sdist and the core metadata found inside it.
struct Distribution {
  std::filesystem::path path;
  DistKind kind = DistKind::wheel;
  std::string filetype;       // "sdist" | "bdist_wheel"
  std::string pyversion;      // "source" for an sdist; the wheel's python tag, e.g. "py3"
  std::string metadata_path;  // where the metadata sits inside the archive
  CoreMetadata metadata;

  std::string name() const { return metadata.first("Name").value_or(""); }
  std::string version() const { return metadata.first("Version").value_or(""); }
  std::string metadata_version() const { return metadata.first("Metadata-Version").value_or(""); }
};

// Opens the archive and reads its metadata: <name>-<version>.dist-info/METADATA for a wheel,
// <top-level dir>/PKG-INFO for an sdist (nested PKG-INFO files are ignored).
// Throws DistributionError naming the file when it is no distribution or has no metadata.
Distribution inspect_distribution(const std::filesystem::path& file);

}  // namespace dp::pypi
