#include "sync/platform.h"

#include "sync/eventbrite_source.h"
#include "sync/pretix_source.h"
#include "sync/sympla_source.h"

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
  // Default source names as the CSV import's, so an API sync and an export
  // of the same event land on the same roster.
  if (settings.platform == "eventbrite") {
    EventbriteOptions o;
    if (!settings.url.empty()) o.url = settings.url;
    o.event = settings.event;
    o.token = token;
    o.changed_since = since;
    o.http = http;
    return std::unique_ptr<PlatformSource>(std::make_unique<EventbriteSource>(o, clock, sleeper));
  }
  if (settings.platform == "sympla") {
    SymplaOptions o;
    if (!settings.url.empty()) o.url = settings.url;
    o.event = settings.event;
    o.token = token;
    o.http = http;
    return std::unique_ptr<PlatformSource>(std::make_unique<SymplaSource>(o, clock, sleeper));
  }
  return Status::InvalidInput("[registration] platform '" + settings.platform +
                              "' is not one we sync with; use \"pretix\", \"eventbrite\" or"
                              " \"sympla\"");
}

}  // namespace checkin::sync
