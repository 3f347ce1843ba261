// Fuzz target: any bytes as outside text on its way to a screen or a log: a
// name for the terminal, an email field, a stream URL. Must never crash; what
// reaches a terminal holds no control it would act on, and masking keeps no
// part of an address but its first letter and domain.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/text.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Decodes valid UTF-8 (ForTerminal's output must be) and checks each code
// point; false on invalid UTF-8.
bool NoTerminalControls(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
    if (i + static_cast<size_t>(len) > s.size()) return false;
    uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    if (checkin::IsTerminalControl(cp)) return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string shown = checkin::ForTerminal(bytes);
  FUZZ_CHECK(checkin::IsValidUtf8(shown));
  FUZZ_CHECK(NoTerminalControls(shown));
  FUZZ_CHECK(checkin::ForTerminal(shown) == shown);  // idempotent

  const std::string masked = checkin::MaskEmail(bytes);
  // "***" for text without an address; never longer than the text plus the
  // masks, so a masked field cannot grow without bound.
  FUZZ_CHECK(masked.size() <= 3 + bytes.size() * 4);

  const std::string url = checkin::RedactUrl(bytes);
  if (bytes.find("://") == std::string_view::npos) FUZZ_CHECK(url == bytes);
  return 0;
}
