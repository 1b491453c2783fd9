#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dp::pypi {

// The readable start of an index's error page on one line: markup, <head>, <style> and
// <script> dropped, common entities decoded, whitespace runs collapsed, cut at `limit`
// characters ("..." appended). Plain-text bodies come out whitespace-collapsed.
std::string response_excerpt(std::string_view body, std::size_t limit = 300);

}  // namespace dp::pypi
