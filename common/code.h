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
// "nul_byte", "bad_utf8", "control_char" (C0, DEL or C1), "invisible_char"
// (bidi controls, zero-width and private-use characters, line separators),
// "empty"), for payloads that cannot be a ticket code.
Result<std::string> NormalizeCode(std::string_view raw);

// A printable, bounded rendering of any payload for logs and JSON: ForTerminal
// (common/text.h) cut at 80 bytes.
std::string SafeCodeForDisplay(std::string_view raw);

}  // namespace checkin
