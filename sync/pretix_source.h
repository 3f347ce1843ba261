// The roster of one pretix event, read from pretix's REST API: its products
// (names, which admit) and its orders with their positions, page by page; and
// its check-in lists, as gates.
// One Fetch() at a time per source.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "db/registration_source.h"
#include "sync/http_get.h"
#include "sync/platform.h"
#include "sync/pretix_json.h"

namespace checkin::sync {

struct PretixOptions {
  std::string url;  // the API's base URL, e.g. "https://pretix.eu/"
  std::string organizer, event;
  std::string token;  // an API token of the organizer; appears in no message
  std::string source = "pretix";
  // ISO 8601. Set: only orders changed since then (a partial snapshot,
  // full_export false); pass the last pass's page_generated(). Empty: the
  // whole event.
  std::string modified_since;
  int max_pages = 2000;  // per list; 2000 pages of 50 orders is a large event
  HttpOptions http;
};

// The gates the event's check-in lists stand for (GatesFromCheckinLists),
// and what they cannot say, in words.
struct PretixGates {
  std::vector<Gate> gates;
  std::vector<std::string> notes;
};

class PretixSource final : public PlatformSource {
 public:
  PretixSource(PretixOptions options, const Clock& clock, Sleeper& sleeper);
  ~PretixSource() override;

  // The event's admission tickets, all or nothing. Errors: InvalidInput
  // (bad config, token refused, malformed page, a secret on two tickets,
  // a page loop), NotFound (no such organizer or event), Unavailable (pretix
  // unreachable or overloaded after retries).
  Result<db::RosterSnapshot> Fetch() override;
  // The same, each page of tickets handed on as it is read, so an import
  // stores it while the next is fetched. A ticket may come twice (its order
  // changed while we paged): the later copy is the one to keep.
  Result<db::RosterSnapshot> Stream(const db::StreamCallbacks& cb) override;

  // The event's check-in lists as gates. Errors as Fetch(), and InvalidInput
  // for lists that cannot be gates (see GatesFromCheckinLists).
  Result<PretixGates> FetchGates();

  // pretix's own time when the last successful Fetch() began listing orders
  // (its X-Page-Generated header): the next pass's modified_since, as pretix
  // advises, so our clock's skew loses no order. Empty if pretix sent none.
  const std::string& page_generated() const { return page_generated_; }
  std::string cursor() const override { return page_generated_; }

 private:
  struct Session;
  Result<std::unique_ptr<Session>> Begin() const;
  Result<PretixItems> FetchItems(Session& session) const;
  // Reads the event, handing each order page's tickets to `tickets`; the
  // snapshot it returns has every field but the records.
  using TicketsRead = std::function<Status(std::vector<db::RosterRecord>&&)>;
  Result<db::RosterSnapshot> Read(const TicketsRead& tickets);

  PretixOptions options_;
  const Clock& clock_;
  Sleeper& sleeper_;
  std::string page_generated_;
};

}  // namespace checkin::sync
