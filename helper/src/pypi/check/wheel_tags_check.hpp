#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pypi/check/check_findings.hpp"
#include "pypi/dist/dist_scan.hpp"
#include "pypi/dist/distribution.hpp"

namespace dp::pypi {

// A wheel's name, WHEEL file and content agree: the tags its name declares are its WHEEL's Tag:
// lines, both ways, and a wheel whose WHEEL says Root-Is-Purelib: true holds no compiled
// extension module (*.so, *.pyd), which would be installed where a pure package goes. Each
// disagreement is an error naming it. The scan must keep <dist_info>/WHEEL.
CheckFindings check_wheel_tags(const DistScan& scan, std::string_view file_name,
                               const std::string& dist_info);

// The platform tags of a wheel's name that PyPI and TestPyPI refuse: linux_<machine> (but
// linux_armv6l and linux_armv7l), which say nothing of the C library the wheel needs.
std::vector<std::string> platforms_pypi_refuses(std::string_view wheel_file_name);

// "<file>: platform tag linux_x86_64 is refused by PyPI and TestPyPI; ..." with the fix
// (auditwheel repair), or "" when the wheel has no such tag.
std::string refused_platform_problem(std::string_view wheel_file_name);

// Upload's check before a byte is sent: to PyPI or TestPyPI (`url`), a wheel with a platform tag
// they refuse is a DistributionError naming it.
void require_index_platforms(const std::vector<Distribution>& dists, std::string_view url);

}  // namespace dp::pypi
