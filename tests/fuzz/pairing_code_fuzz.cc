// Fuzz target: any bytes as a pairing code typed or scanned at a station.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/pairing_code.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto code = checkin::DecodePairingCode(bytes);
  if (!code.ok()) return 0;
  FUZZ_CHECK(!code->hub_urls.empty() && code->hub_urls.size() <= checkin::kMaxHubUrls);
  for (const auto& url : code->hub_urls) FUZZ_CHECK(checkin::CheckHubUrl(url).ok());
  FUZZ_CHECK(code->secret.size() == checkin::kPairingSecretLength);
  FUZZ_CHECK(checkin::CheckFingerprint(code->fingerprint).ok());
  // What decodes encodes again to the same fields.
  auto again = checkin::EncodePairingCode(*code);
  FUZZ_CHECK(again.ok());
  auto back = checkin::DecodePairingCode(*again);
  FUZZ_CHECK(back.ok() && back->hub_urls == code->hub_urls && back->secret == code->secret &&
             back->fingerprint == code->fingerprint);
  return 0;
}
