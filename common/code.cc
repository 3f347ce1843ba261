#include "common/code.h"

#include <cstdio>

#include "common/text.h"

namespace checkin {
namespace {

bool IsTrimmable(unsigned char c) { return c <= 0x20 || c == 0x7F; }

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
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) return Status::InvalidInput("control_char");
  }
  return std::string(raw);
}

std::string SafeCodeForDisplay(std::string_view raw) {
  std::string out;
  const bool utf8 = IsValidUtf8(raw);
  size_t i = 0;
  for (; i < raw.size() && out.size() < 80; ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && !utf8)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (i < raw.size()) {
    // Cut on a character boundary, then say that something was cut.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "...";
  }
  return out;
}

}  // namespace checkin
