// A scanned code the roster does not have, ruled by what the registration
// platform published beside its tickets (db/registration_source.h's
// PlatformRules): a revoked code is cancelled, a blocked one not allowed, and
// a pretix signed ticket is verified offline against the event's keys. A
// genuine one (sold after the last sync) joins the roster there and then,
// marked kSignedNotSynced until the next sync brings the ticket itself
// (db/roster_import.cc then adopts the row, check-ins and all); a tampered or
// forged one is invalid. In a station's replica, whose attendees are the
// hub's alone, a genuine one is ruled on what the ticket says and joins no
// roster: the hub adds it when the check-in is uploaded.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"

namespace checkin::db {

struct UnlistedCode {
  // Decided outright: revoked, blocked, forged, not an admission.
  std::optional<Ruling> ruling;
  // A genuine signed ticket not added to the roster (`may_add` false): the
  // holder as the ticket describes them (id 0, no name, ticket type and
  // validity from the ticket, upstream_status kSignedNotSynced), to be ruled
  // like any attendee.
  std::optional<Attendee> holder;
};

// What the platform's rules make of `code` (normalised, and not in the
// roster). Neither member set: the rules say nothing of it, or it was a
// genuine signed ticket just added to the roster (`may_add`), which the
// caller looks up again. Adding writes in a transaction of its own, so call
// it outside one.
Result<UnlistedCode> RuleUnlistedCode(Database& db, const std::string& code, const Clock& clock,
                                      bool may_add);

}  // namespace checkin::db
