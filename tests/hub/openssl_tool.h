// The openssl program as an independent judge of what the hub writes.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

#include "tests/fakes/test_db.h"

namespace checkin::hub::testing {

// `openssl x509 -noout -fingerprint -sha256` of a PEM file, in the form the
// hub prints: 64 lowercase hex digits, no colons. Empty if openssl fails.
inline std::string OpensslFingerprint(const std::string& pem_path) {
  const std::string out = checkin::testing::Shell(
      "/usr/bin/openssl x509 -noout -fingerprint "
      "-sha256 -in '" +
      pem_path + "' 2>/dev/null");
  const size_t eq = out.find('=');
  if (eq == std::string::npos) return "";
  std::string hex;
  for (char c : out.substr(eq + 1))
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return hex;
}

}  // namespace checkin::hub::testing
