// Code: what a ticket or badge QR (or a handheld scanner, or a volunteer's
// keyboard) hands us, cleaned up or refused. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin {

// Longest payload we look up. Real ticket codes are 10 to ~200 bytes (pretix's
// signed secrets are the long ones); anything bigger is not a ticket.
inline constexpr size_t kMaxCodeBytes = 512;

// Trims whitespace and control characters at both ends and validates the rest.
// InvalidInput, with a short machine reason as the message ("too_long",
// "nul_byte", "bad_utf8", "control_char", "empty"), for payloads that cannot be a
// ticket code.
Result<std::string> NormalizeCode(std::string_view raw);

// A printable, bounded rendering of any payload for logs and JSON: invalid bytes
// become \xNN and the result is cut at 80 characters.
std::string SafeCodeForDisplay(std::string_view raw);

}  // namespace checkin
