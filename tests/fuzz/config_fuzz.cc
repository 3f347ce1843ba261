// Fuzz target: any bytes as a station config file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto c = checkin::ParseConfig(text, "fuzz.toml");
  if (c.ok() && c->gates.empty()) __builtin_trap();                // a config always has a gate
  if (c.ok() && c->hub && c->hub->urls.empty()) __builtin_trap();  // a hub has a URL
  if (c.ok() && c->registration) {
    // A registration names its platform and event (and a pretix its address
    // and organizer), and syncs at a sane pace.
    const checkin::RegistrationSettings& r = *c->registration;
    if (r.platform.empty() || r.event.empty()) __builtin_trap();
    if (r.platform == "pretix" && (r.url.empty() || r.organizer.empty())) __builtin_trap();
    if (r.interval_s < checkin::kMinSyncIntervalS || r.interval_s > checkin::kMaxSyncIntervalS)
      __builtin_trap();
  }
  return 0;
}
