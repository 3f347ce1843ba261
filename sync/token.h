// The registration platform's API token, read where [registration] says:
// from token_file (owned by this user, mode 0600 or stricter) or, when none
// is named, from the environment variable token_env. Never from the command
// line, where `ps` shows it to everyone. Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "common/config.h"
#include "common/result.h"

namespace checkin::sync {

// Longer than any platform's token; a larger file is the wrong file.
inline constexpr size_t kMaxTokenBytes = 4096;

// The token, trimmed. InvalidInput naming the file or variable (never the
// token): a file others can read or change (with the chmod to run), owned by
// another user, empty, too long, or holding spaces or control characters
// inside; NotFound for a missing file or an unset variable. `getenv` is
// std::getenv unless a test gives its own.
Result<std::string> ReadRegistrationToken(
    const RegistrationSettings& settings,
    const std::function<const char*(const char*)>& getenv = {});

}  // namespace checkin::sync
