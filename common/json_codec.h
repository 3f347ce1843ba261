// The one JSON shape of each thing the product says to scripts, servers and
// pages: decisions, attendees, previous check-ins, undo results, search hits,
// attendance figures and print jobs (shapes documented in the README). Encoding
// is total; decoding validates and returns InvalidInput naming the bad member.
// nlohmann/json stays inside json_codec.cc. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/attendee.h"
#include "common/records.h"
#include "common/result.h"
#include "common/verdict.h"

namespace checkin {

// A JSON object under construction: the codec's shapes come back as one so a
// caller can add its own members (the scan line adds frame and latency).
// Strings that are not valid UTF-8 are written with U+FFFD in place.
class JsonObject {
 public:
  JsonObject();
  ~JsonObject();
  JsonObject(JsonObject&&) noexcept;
  JsonObject& operator=(JsonObject&&) noexcept;

  JsonObject& SetString(std::string_view key, std::string_view value);
  JsonObject& SetInt(std::string_view key, int64_t value);
  JsonObject& SetDouble(std::string_view key, double value);  // non-finite becomes null
  JsonObject& SetBool(std::string_view key, bool value);
  JsonObject& SetNull(std::string_view key);
  JsonObject& SetObject(std::string_view key, JsonObject value);
  JsonObject& SetArray(std::string_view key, std::vector<JsonObject> items);
  JsonObject& SetStringArray(std::string_view key, const std::vector<std::string>& items);
  // [[x, y], ...]: corners of a code in a picture.
  JsonObject& SetPointArray(std::string_view key,
                            const std::vector<std::pair<double, double>>& points);
  // One line, no spaces after separators.
  std::string Dump() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};
// "[{...},{...}]"
std::string DumpArray(const std::vector<JsonObject>& items);

// {"id","first_name","last_name","company","ticket_type","status",
//  "upstream_status","email"}: the email always masked (screens are public).
JsonObject AttendeeJson(const Attendee& a);
// {"at","gate","station","direction"}
JsonObject PreviousJson(const PreviousCheckin& p);
// {"verdict","code","reason","attendee"|null,"previous"|null,"message",
//  "gate","station","direction","at","checkin_id","offline"}
JsonObject DecisionJson(const Decision& d, std::string_view message);
// {"undone","attendee","undo_id"}
JsonObject UndoJson(const UndoResult& u);
// AttendeeJson plus "checked_in": PreviousJson of the admission in force, or null.
JsonObject SearchHitJson(const SearchHit& h);
// {"event","expected","checked_in","inside_now","cancelled","conflicts",
//  "by_ticket_type":[{"ticket_type","expected","checked_in"}],
//  "by_gate":[{"gate","entries","exits","denials"}], "denials":{verdict: n}}
JsonObject StatsJson(const Stats& s, std::string_view event_name);
// {"id","token","attendee_id","station","state","attempts","last_error",
//  "claimed_by","printer","printer_job_id","created_at","updated_at"}
JsonObject PrintJobJson(const PrintJob& j);
// {"queued","printing","done","failed"}
JsonObject QueueCountsJson(const QueueCounts& c);

// The inverse of the encoders above, for the hub and its stations. A masked
// email stays masked.
Result<Attendee> ParseAttendeeJson(std::string_view json);
Result<Decision> ParseDecisionJson(std::string_view json);
Result<Stats> ParseStatsJson(std::string_view json);
Result<PrintJob> ParsePrintJobJson(std::string_view json);

}  // namespace checkin
