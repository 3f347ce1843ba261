// A scanned code the roster does not have, ruled by what the registration
// platform published beside its tickets (db/registration_source.h's
// PlatformRules): a revoked code is cancelled, a blocked one not allowed, and
// a pretix signed ticket is verified offline against the event's keys. A
// genuine one (sold after the last sync) joins the roster there and then,
// marked kSignedNotSynced until the next sync brings the ticket itself
// (db/roster_import.cc then adopts the row, check-ins and all); a tampered or
// forged one is invalid.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"

namespace checkin::db {

// The ruling for `code` (normalised, and not in the roster), or nullopt when
// the platform's rules say nothing of it, or when it was a genuine signed
// ticket just added to the roster: the caller looks it up again. Writes in
// a transaction of its own, so call it outside one.
Result<std::optional<Ruling>> RuleUnlistedCode(Database& db, const std::string& code,
                                               const Clock& clock);

}  // namespace checkin::db
