// Where the platform rules (db/registration_source.h's PlatformRules) live in
// an event file: written by the roster import and a replica's feed, read by
// the change feed. Internal to the db module.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "db/changes.h"
#include "db/registration_source.h"

struct sqlite3;

namespace checkin::db {

// Replaces the source's signing keys, products and barred codes, and raises
// the rules' revision. Inside the caller's transaction.
Status StoreRules(sqlite3* h, const std::string& source, const PlatformRules& rules);

// Forgets every source's rules (a replica then stores the hub's afresh).
Status ClearRules(sqlite3* h);

// Every source's rules, by source.
Result<std::vector<SourceRules>> AllRules(sqlite3* h);

}  // namespace checkin::db
