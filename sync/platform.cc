#include "sync/platform.h"

#include "sync/pretix_source.h"

namespace checkin::sync {

Result<std::unique_ptr<PlatformSource>> OpenPlatform(const RegistrationSettings& settings,
                                                     const std::string& token,
                                                     const std::string& since, const Clock& clock,
                                                     Sleeper& sleeper, HttpOptions http) {
  if (settings.platform == "pretix") {
    PretixOptions o;
    o.url = settings.url;
    o.organizer = settings.organizer;
    o.event = settings.event;
    o.token = token;
    o.modified_since = since;
    o.http = http;
    return std::unique_ptr<PlatformSource>(std::make_unique<PretixSource>(o, clock, sleeper));
  }
  return Status::InvalidInput("[registration] platform '" + settings.platform +
                              "' is not one we sync with; use \"pretix\", \"eventbrite\" or"
                              " \"sympla\"");
}

}  // namespace checkin::sync
