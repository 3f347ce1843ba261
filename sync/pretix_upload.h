// Sends our admissions back to pretix (its check-in RPC, POST
// /api/v1/organizers/{organizer}/checkinrpc/redeem/), so the organizer's
// pretix backend shows attendance too. Each goes with `force` (our door
// already decided), its original time and our check-in's uuid as pretix's
// nonce, so a resend after a lost answer is not counted twice.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "db/database.h"
#include "sync/http_get.h"

namespace checkin::sync {

struct PretixUploadOptions {
  std::string url;  // the API's base URL
  std::string organizer;
  std::string token;              // appears in no message
  int64_t checkin_list = 0;       // the pretix check-in list our admissions go to
  std::string source = "pretix";  // our roster's source whose check-ins are sent
  int max_per_pass = 500;         // a long backlog goes over several passes
  HttpOptions http;
};

struct UploadSummary {
  int sent = 0;
  int refused = 0;            // pretix would not take them (unknown secret, say): not retried
  int64_t pending = 0;        // left for the next pass
  std::string first_refusal;  // pretix's reason, in its words
};

// One pass. A check-in pretix answered (taken or refused) is recorded and
// never sent again; one it did not answer stays pending. Errors: the token
// refused, pretix unreachable or overloaded (what was answered before stays
// recorded), a bad option.
Result<UploadSummary> UploadCheckins(db::Database& db, const PretixUploadOptions& options,
                                     const Clock& clock, Sleeper& sleeper);

}  // namespace checkin::sync
