#include "sync/token.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "common/file.h"
#include "common/text.h"

namespace checkin::sync {
namespace {

// The token goes into an HTTP header: a line break inside would let the
// file write headers of its own.
Result<std::string> CheckToken(std::string_view raw, const std::string& where) {
  const std::string token(Trim(raw));
  if (token.empty()) return Status::InvalidInput(where + " holds no token: it is empty");
  if (token.size() > kMaxTokenBytes)
    return Status::InvalidInput(where + " is too long to be an API token");
  if (!std::all_of(token.begin(), token.end(), [](char ch) { return ch > ' ' && ch < 0x7F; })) {
    return Status::InvalidInput(where +
                                " holds spaces or control characters inside the token; it"
                                " should hold the token alone, on one line");
  }
  return token;
}

Result<std::string> FromFile(const std::string& path) {
  const std::string where = "the token file " + path;
  struct stat st {};
  // lstat: a link could point the check at one file and the read at another.
  if (::lstat(path.c_str(), &st) != 0) {
    return Status::NotFound(where +
                            " is missing; write the platform's API token into it and"
                            " run: chmod 600 " +
                            path);
  }
  if (!S_ISREG(st.st_mode))
    return Status::InvalidInput(where + " is not a regular file (links are refused too)");
  if (st.st_uid != ::geteuid()) {
    return Status::InvalidInput(where +
                                " belongs to another user; the user running checkin must"
                                " own it (chown)");
  }
  if ((st.st_mode & 077) != 0) {
    // Whoever can read it can sell and refund tickets in the organizer's name.
    return Status::InvalidInput(where + " can be read or changed by other users; run: chmod 600 " +
                                path);
  }
  // Room for a token with spaces around it, and to tell a too-long one so.
  auto text = ReadWholeFile(path, 16 * kMaxTokenBytes);
  if (!text.ok()) return text.status();
  return CheckToken(*text, where);
}

}  // namespace

Result<std::string> ReadRegistrationToken(const RegistrationSettings& settings,
                                          const std::function<const char*(const char*)>& getenv) {
  if (!settings.token_file.empty()) return FromFile(settings.token_file);
  const char* value =
      getenv ? getenv(settings.token_env.c_str()) : std::getenv(settings.token_env.c_str());
  const std::string where = "the environment variable " + settings.token_env;
  if (value == nullptr) {
    return Status::NotFound("no API token: [registration] names no token_file and " + where +
                            " is not set");
  }
  return CheckToken(value, where);
}

}  // namespace checkin::sync
