// Roster queries for volunteers and organizers: search by name, email or
// company (accent- and case-insensitive), lookup by code, and attendance
// figures. Read-only; one connection per thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/attendee.h"
#include "common/checkin_service.h"
#include "common/records.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"

namespace checkin::db {

// Ranking every match of a short prefix ("mar": a tenth of a big roster) costs
// more than a volunteer should wait, so only this many matches are ranked. A
// query that hits more is too vague anyway: the UI asks for another word.
inline constexpr int64_t kSearchCandidates = 1000;

// Every word of `query` must prefix-match a word of the name, email or
// company; the best of the first kSearchCandidates matches come first. An
// empty query is InvalidInput.
Result<std::vector<SearchHit>> SearchAttendees(Database& db, std::string_view query, int limit);

// By ticket code or badge code; nullopt when nobody has it.
Result<std::optional<Attendee>> FindAttendeeByCode(Database& db, std::string_view code);
Result<std::optional<Attendee>> FindAttendeeById(Database& db, int64_t id);

enum class AttendeeFilter { kValidOnly, kAll };
// Everyone on the roster, in id order (callers sort as they need).
Result<std::vector<Attendee>> ListAttendees(Database& db, AttendeeFilter filter);

// req.since as the CheckinService contract says.
Result<Stats> ComputeStats(Database& db, const StatsRequest& req);

}  // namespace checkin::db
