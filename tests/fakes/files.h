// Reading back what a test's code wrote into a folder: the names there and a
// file's bytes. Header-only, for tests.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace checkin::testing {

using NameList = std::vector<std::string>;

// Every name in `dir`, hidden ones included, sorted.
inline NameList Names(const std::filesystem::path& dir) {
  NameList out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The whole file, empty if it cannot be read.
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The permission bits of `path` (0600, 0644, ...), -1 when it is not there.
inline int ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace checkin::testing
