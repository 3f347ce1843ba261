// Fuzz target: any bytes as outside text on its way to a screen or a log: a
// name for the terminal, an email field, a stream URL. Must never crash; what
// reaches a terminal holds no control it would act on and is idempotent, a
// masked field stays within a bound of its input, and text that is no URL
// passes RedactUrl unchanged.
#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/text.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Every code point of `s`, decoded as ForTerminal decodes (ICU's U8_NEXT),
// is one a terminal shows; false on invalid UTF-8.
bool NoTerminalControls(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 cp;
    U8_NEXT(p, i, n, cp);
    if (cp < 0 || checkin::IsTerminalControl(static_cast<uint32_t>(cp))) return false;
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
