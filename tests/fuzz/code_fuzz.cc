// Fuzz target: any bytes as a scanned code.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/code.h"
#include "common/text.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto code = checkin::NormalizeCode(bytes);
  if (code.ok()) {
    FUZZ_CHECK(!code->empty() && code->size() <= checkin::kMaxCodeBytes);
    FUZZ_CHECK(checkin::IsValidUtf8(*code));
    FUZZ_CHECK(code->find('\0') == std::string::npos);
  }
  const std::string shown = checkin::SafeCodeForDisplay(bytes);
  FUZZ_CHECK(shown.size() <= 90);
  FUZZ_CHECK(checkin::IsValidUtf8(shown));
  return 0;
}
