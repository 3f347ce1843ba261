// One registration platform's roster behind one interface, so `roster sync`,
// its --status and the hub's sync loop need not know which platform an event
// sells on. OpenPlatform() picks the client [registration] names.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "common/result.h"
#include "db/registration_source.h"
#include "sync/http_get.h"

namespace checkin::sync {

class PlatformSource : public db::RegistrationSource {
 public:
  // After a successful Fetch(): what the next pass passes as `since` to ask
  // only for what changed (pretix's X-Page-Generated, Eventbrite's changed
  // time); "" when the platform cannot list changes, so every pass is full.
  virtual std::string cursor() const = 0;
};

// The source for one pass. `since` is the previous pass's cursor(), "" for a
// full pass (whose snapshot lists every ticket, so missing ones are found).
// `token` as read by ReadRegistrationToken. InvalidInput for an unknown
// platform or a setting it needs left empty.
Result<std::unique_ptr<PlatformSource>> OpenPlatform(const RegistrationSettings& settings,
                                                     const std::string& token,
                                                     const std::string& since, const Clock& clock,
                                                     Sleeper& sleeper, HttpOptions http = {});

}  // namespace checkin::sync
