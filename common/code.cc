#include "common/code.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "common/text.h"

namespace checkin {
namespace {

constexpr size_t kShownBytes = 80;

bool IsTrimmable(unsigned char c) { return c <= 0x20 || c == 0x7F; }

// Codes are printable text: no real platform's code (pretix secrets and
// signed payloads, Eventbrite barcodes, Sympla numbers, our badges) holds a
// control, an invisible format character (bidi overrides, zero-width
// joiners), a line separator or a private-use character, and each of them
// would reach a volunteer's screen.
const char* Unprintable(std::string_view valid_utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(valid_utf8.data());
  const auto n = static_cast<int32_t>(valid_utf8.size());
  for (int32_t i = 0; i < n;) {
    UChar32 cp;
    U8_NEXT(s, i, n, cp);
    switch (u_charType(cp)) {
      case U_CONTROL_CHAR:
        return "control_char";
      case U_FORMAT_CHAR:
      case U_LINE_SEPARATOR:
      case U_PARAGRAPH_SEPARATOR:
      case U_PRIVATE_USE_CHAR:
      case U_SURROGATE:
        return "invisible_char";
      default:
        break;
    }
  }
  return nullptr;
}

}  // namespace

Result<std::string> NormalizeCode(std::string_view raw) {
  // Check the length before anything else touches the bytes.
  if (raw.size() > kMaxCodeBytes * 2) return Status::InvalidInput("too_long");
  if (raw.find('\0') != std::string_view::npos) return Status::InvalidInput("nul_byte");
  while (!raw.empty() && IsTrimmable(static_cast<unsigned char>(raw.front()))) raw.remove_prefix(1);
  while (!raw.empty() && IsTrimmable(static_cast<unsigned char>(raw.back()))) raw.remove_suffix(1);
  if (raw.empty()) return Status::InvalidInput("empty");
  if (raw.size() > kMaxCodeBytes) return Status::InvalidInput("too_long");
  if (!IsValidUtf8(raw)) return Status::InvalidInput("bad_utf8");
  if (const char* why = Unprintable(raw)) return Status::InvalidInput(why);
  return std::string(raw);
}

std::string SafeCodeForDisplay(std::string_view raw) {
  // Escaping only lengthens: escape no more than the shown part needs, plus
  // room for the character that straddles the cut.
  std::string out = ForTerminal(raw.substr(0, std::min<size_t>(raw.size(), kShownBytes + 4)));
  if (out.size() <= kShownBytes && raw.size() <= kShownBytes) return out;
  // Cut on a character boundary, then say that something was cut.
  out.resize(kShownBytes);
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return out + "...";
}

}  // namespace checkin
