#include "hub/protocol.h"

#include "common/json_codec.h"
#include "common/json_reader.h"
#include "common/signed_ticket.h"
#include "common/text.h"

namespace checkin::hub {

namespace {

using json_reader::json;
using json_reader::ParseText;
using json_reader::Reader;
using json_reader::ReadPrevious;

// Outside text may hold invalid UTF-8 (a code from a damaged ticket): it is
// replaced, never thrown on.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// --- names of enums -----------------------------------------------------

std::string_view TargetName(UndoRequest::Target t) {
  switch (t) {
    case UndoRequest::Target::kLastAtStation:
      return "last_at_station";
    case UndoRequest::Target::kCode:
      return "code";
    case UndoRequest::Target::kAttendee:
      return "attendee";
  }
  return "last_at_station";
}
std::optional<UndoRequest::Target> ParseTarget(std::string_view s) {
  if (s == "last_at_station") return UndoRequest::Target::kLastAtStation;
  if (s == "code") return UndoRequest::Target::kCode;
  if (s == "attendee") return UndoRequest::Target::kAttendee;
  return std::nullopt;
}

std::string_view OutcomeName(PrintReport::Outcome o) {
  switch (o) {
    case PrintReport::Outcome::kSubmitted:
      return "submitted";
    case PrintReport::Outcome::kDone:
      return "done";
    case PrintReport::Outcome::kRetry:
      return "retry";
    case PrintReport::Outcome::kAway:
      return "away";
    case PrintReport::Outcome::kFailed:
      return "failed";
  }
  return "failed";
}
std::optional<PrintReport::Outcome> ParseOutcome(std::string_view s) {
  if (s == "submitted") return PrintReport::Outcome::kSubmitted;
  if (s == "done") return PrintReport::Outcome::kDone;
  if (s == "retry") return PrintReport::Outcome::kRetry;
  if (s == "away") return PrintReport::Outcome::kAway;
  if (s == "failed") return PrintReport::Outcome::kFailed;
  return std::nullopt;
}

// --- values inside bodies -------------------------------------------------

json AttendeeWire(const Attendee& a) {
  return {{"id", a.id},
          {"ticket_code", a.ticket_code},
          {"badge_code", a.badge_code},
          {"first_name", a.first_name},
          {"last_name", a.last_name},
          // Masked: no station job needs the address, and stations' screens
          // and logs are seen by many.
          {"email", MaskEmail(a.email)},
          {"company", a.company},
          {"ticket_type", a.ticket_type},
          {"status", TicketStatusName(a.status)},
          {"upstream_status", a.upstream_status},
          {"order_id", a.order_id},
          {"ticket_id", a.ticket_id},
          {"source", a.source},
          {"checkin_lists", a.checkin_lists},
          {"blocked", a.blocked},
          {"valid_from", a.valid_from},
          {"valid_until", a.valid_until}};
}
Attendee ReadAttendeeWire(const json& j, Reader& outer) {
  Reader r(j, "attendee");
  Attendee a;
  a.id = r.Int("id");
  a.ticket_code = r.String("ticket_code");
  a.badge_code = r.String("badge_code");
  a.first_name = r.String("first_name");
  a.last_name = r.String("last_name");
  a.email = r.String("email");
  a.company = r.String("company");
  a.ticket_type = r.String("ticket_type");
  a.status = r.Enum<TicketStatus>("status", ParseTicketStatus);
  a.upstream_status = r.String("upstream_status");
  a.order_id = r.String("order_id");
  a.ticket_id = r.String("ticket_id");
  a.source = r.String("source");
  a.checkin_lists = r.String("checkin_lists");
  a.blocked = r.String("blocked");
  a.valid_from = r.String("valid_from");
  a.valid_until = r.String("valid_until");
  outer.Adopt(r.status());
  return a;
}

json PreviousWire(const PreviousCheckin& p) {
  return {{"at", p.at},
          {"gate", p.gate},
          {"station", p.station},
          {"direction", DirectionName(p.direction)}};
}
// Print jobs and stats keep the shapes json_codec gives scripts: one codec
// each. An item is read back through its own text, which costs little for
// the few jobs a list holds.
PrintJob ReadPrintJobWire(const json& j, Reader& outer) {
  auto job = ParsePrintJobJson(Dump(j));
  if (!job.ok()) {
    outer.Adopt(job.status());
    return {};
  }
  return *job;
}

json LoggedWire(const db::LoggedCheckin& c) {
  return {{"uuid", c.uuid},       {"attendee_id", c.attendee_id},
          {"code", c.code},       {"gate", c.gate},
          {"station", c.station}, {"direction", DirectionName(c.direction)},
          {"kind", c.kind},       {"source", ScanSourceName(c.source)},
          {"verdict", c.verdict}, {"reason", c.reason},
          {"undoes", c.undoes},   {"at", c.at},
          {"offline", c.offline}};
}
db::LoggedCheckin ReadLoggedWire(const json& j, Reader& outer) {
  Reader r(j, "check-in");
  db::LoggedCheckin c;
  c.uuid = r.String("uuid");
  c.attendee_id = r.Int("attendee_id");
  c.code = r.String("code");
  c.gate = r.String("gate");
  c.station = r.String("station");
  c.direction = r.Enum<Direction>("direction", ParseDirection);
  c.kind = r.String("kind");
  c.source = r.Enum<ScanSource>("source", ParseScanSource);
  c.verdict = r.String("verdict");
  c.reason = r.String("reason");
  c.undoes = r.String("undoes");
  c.at = r.String("at");
  c.offline = r.Bool("offline");
  outer.Adopt(r.status());
  return c;
}

std::string_view OutcomeKindName(db::UploadOutcome::Kind k) {
  switch (k) {
    case db::UploadOutcome::Kind::kRecorded:
      return "recorded";
    case db::UploadOutcome::Kind::kAlready:
      return "already";
    case db::UploadOutcome::Kind::kRefused:
      return "refused";
  }
  return "refused";
}
std::optional<db::UploadOutcome::Kind> ParseOutcomeKind(std::string_view s) {
  if (s == "recorded") return db::UploadOutcome::Kind::kRecorded;
  if (s == "already") return db::UploadOutcome::Kind::kAlready;
  if (s == "refused") return db::UploadOutcome::Kind::kRefused;
  return std::nullopt;
}

// Reads the array member `key` of `r`'s object with `read`.
template <typename T, typename F>
std::vector<T> ReadArray(Reader& r, const char* key, size_t max, F read) {
  std::vector<T> out;
  const json* arr = r.Required(key);
  if (arr == nullptr) return out;
  if (!arr->is_array() || arr->size() > max) {
    r.Adopt(Status::InvalidInput(std::string("member '") + key + "' is not an array of at most " +
                                 std::to_string(max)));
    return out;
  }
  out.reserve(arr->size());
  for (const json& item : *arr) out.push_back(read(item, r));
  return out;
}

// Runs `read` on the array at the top of `body`, naming `what` in errors.
template <typename T, typename F>
Result<std::vector<T>> DecodeArray(std::string_view body, const char* what, F read) {
  auto j = ParseText(body, what);
  if (!j.ok()) return j.status();
  if (!j->is_array()) return Status::InvalidInput(std::string(what) + " is not a JSON array");
  json holder = json::object();
  Reader outer(holder, what);
  std::vector<T> out;
  out.reserve(j->size());
  for (const json& item : *j) out.push_back(read(item, outer));
  if (!outer.status().ok()) return outer.status();
  return out;
}

// Runs `read` on the object at the top of `body`, or gives nullopt for null.
template <typename T, typename F>
Result<std::optional<T>> DecodeOptional(std::string_view body, const char* what, F read) {
  auto j = ParseText(body, what);
  if (!j.ok()) return j.status();
  if (j->is_null()) return std::optional<T>();
  Reader outer(*j, what);
  T v = read(*j, outer);
  if (!outer.status().ok()) return outer.status();
  return std::optional<T>(std::move(v));
}

template <typename T, typename F>
Result<T> DecodeObject(std::string_view body, const char* what, F read) {
  auto j = ParseText(body, what);
  if (!j.ok()) return j.status();
  Reader r(*j, what);
  T v = read(r);
  if (!r.status().ok()) return r.status();
  return v;
}

}  // namespace

// --- status codes -----------------------------------------------------------

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kInvalidInput:
      return "invalid_input";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDeviceError:
      return "device_error";
    case StatusCode::kInternal:
      return "internal";
    case StatusCode::kConflict:
      return "conflict";
  }
  return "internal";
}

StatusCode ParseStatusCodeName(std::string_view name) {
  for (StatusCode c : {StatusCode::kOk, StatusCode::kNotFound, StatusCode::kInvalidInput,
                       StatusCode::kUnavailable, StatusCode::kDeviceError, StatusCode::kConflict}) {
    if (StatusCodeName(c) == name) return c;
  }
  return StatusCode::kInternal;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kInvalidInput:
      return 400;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeviceError:
      // The hub's disk or another of its devices refused: the station
      // cannot fix it, and may decide offline meanwhile.
      return 503;
    case StatusCode::kInternal:
      return 500;
    case StatusCode::kConflict:
      // A nonce reused for another scan: retrying the same body cannot help.
      return 409;
  }
  return 500;
}

// --- encoders -------------------------------------------------------------

std::string Encode(const PairRequest& v) { return Dump({{"secret", v.secret}}); }
std::string Encode(const PairResponse& v) {
  return Dump({{"device", v.device}, {"role", RoleName(v.role)}, {"token", v.token}});
}
std::string Encode(const RedeemRequest& v) {
  return Dump({{"payload", v.payload},
               {"gate", v.gate},
               {"station", v.station},
               {"direction", DirectionName(v.direction)},
               {"source", ScanSourceName(v.source)},
               {"attendee_id", v.attendee_id},
               {"nonce", v.nonce}});
}
std::string Encode(const UndoRequest& v) {
  return Dump({{"target", TargetName(v.target)},
               {"code", v.code},
               {"attendee_id", v.attendee_id},
               {"station", v.station},
               {"reason", v.reason}});
}
std::string Encode(const EnqueueRequest& v) {
  return Dump({{"attendee_id", v.attendee_id}, {"station", v.station}});
}
std::string Encode(const ClaimRequest& v) {
  return Dump({{"worker", v.worker}, {"printer", v.printer}});
}
std::string Encode(const PrinterReport& v) {
  return Dump({{"worker", v.worker},
               {"station", v.station},
               {"printer", v.printer},
               {"reachable", v.state.reachable},
               {"accepting", v.state.accepting},
               {"paused", v.state.paused},
               {"reasons", v.state.reasons}});
}
std::string Encode(const PrinterHeld& v) { return Dump({{"held", v.held}}); }
std::string Encode(const ReportRequest& v) {
  return Dump({{"job_id", v.job_id},
               {"outcome", OutcomeName(v.report.outcome)},
               {"printer_job_id", v.report.printer_job_id},
               {"error", v.report.error},
               {"retry_in_s", v.report.retry_in.count()}});
}
std::string Encode(const JobId& v) { return Dump({{"job_id", v.id}}); }
std::string Encode(const WireError& v) {
  return Dump({{"error", {{"code", StatusCodeName(v.code)}, {"message", v.message}}}});
}
std::string Encode(const EventInfo& v) {
  return Dump({{"name", v.name}, {"timezone", v.timezone}, {"created_at", v.created_at}});
}
std::string Encode(const Decision& d) {
  return Dump({{"verdict", VerdictName(d.verdict)},
               {"code", d.code},
               {"reason", d.reason},
               {"attendee", d.attendee ? AttendeeWire(*d.attendee) : json()},
               {"previous", d.previous ? PreviousWire(*d.previous) : json()},
               {"at", d.at},
               {"gate", d.gate},
               {"station", d.station},
               {"direction", DirectionName(d.direction)},
               {"checkin_id", d.checkin_uuid}});
}
std::string Encode(const UndoResult& u) {
  return Dump({{"attendee", AttendeeWire(u.attendee)},
               {"undone", PreviousWire(u.undone)},
               {"undo_id", u.undo_uuid}});
}
std::string Encode(const std::vector<SearchHit>& hits) {
  json arr = json::array();
  for (const SearchHit& h : hits) {
    arr.push_back({{"attendee", AttendeeWire(h.attendee)},
                   {"in_force", h.in_force ? PreviousWire(*h.in_force) : json()}});
  }
  return Dump(arr);
}
std::string Encode(const std::optional<Attendee>& a) {
  return a ? Dump(AttendeeWire(*a)) : std::string("null");
}
std::string Encode(const Stats& s) { return StatsJson(s, "").Dump(); }
std::string Encode(const std::optional<PrintJob>& j) {
  return j ? PrintJobJson(*j).Dump() : std::string("null");
}
std::string Encode(const std::vector<PrintJob>& jobs) {
  std::vector<JsonObject> items;
  items.reserve(jobs.size());
  for (const PrintJob& j : jobs) items.push_back(PrintJobJson(j));
  return DumpArray(items);
}
std::string Encode(const QueueCounts& c) {
  return Dump({{"queued", c.queued},
               {"printing", c.printing},
               {"done", c.done},
               {"failed", c.failed},
               {"cancelled", c.cancelled}});
}

json RulesWire(const db::SourceRules& s) {
  json items = json::array();
  for (const auto& i : s.rules.items) {
    items.push_back({{"id", i.id}, {"name", i.name}, {"admission", i.admission}});
  }
  return {{"source", s.source},
          {"signing_keys", s.rules.signing_keys},
          {"items", items},
          {"revoked_codes", s.rules.revoked_codes},
          {"blocked_codes", s.rules.blocked_codes}};
}

std::vector<std::string> ReadStrings(Reader& r, const char* key, size_t max) {
  return ReadArray<std::string>(r, key, max, [key](const json& j, Reader& outer) {
    if (!j.is_string()) {
      outer.Adopt(Status::InvalidInput(std::string("member '") + key + "' holds a non-string"));
      return std::string();
    }
    return j.get<std::string>();
  });
}

db::SourceRules ReadRulesWire(const json& j, Reader& outer) {
  Reader r(j, "rules");
  db::SourceRules s;
  s.source = r.String("source");
  s.rules.signing_keys = ReadStrings(r, "signing_keys", kMaxSig1Keys);
  s.rules.items = ReadArray<db::PlatformRules::Item>(
      r, "items", kMaxRuleItems, [](const json& item, Reader& o) {
        Reader i(item, "item");
        db::PlatformRules::Item out{i.Int("id"), i.String("name"), i.Bool("admission")};
        o.Adopt(i.status());
        return out;
      });
  s.rules.revoked_codes = ReadStrings(r, "revoked_codes", kMaxRuleCodes);
  s.rules.blocked_codes = ReadStrings(r, "blocked_codes", kMaxRuleCodes);
  outer.Adopt(r.status());
  return s;
}

std::string Encode(const db::Changes& c) {
  json attendees = json::array();
  for (const Attendee& a : c.attendees) attendees.push_back(AttendeeWire(a));
  json checkins = json::array();
  for (const db::LoggedCheckin& l : c.checkins) checkins.push_back(LoggedWire(l));
  json out = {{"attendees", attendees},
              {"checkins", checkins},
              {"next",
               {{"rev", c.next.rev},
                {"attendee_id", c.next.attendee_id},
                {"checkin_id", c.next.checkin_id},
                {"rules_rev", c.next.rules_rev}}},
              {"more", c.more}};
  if (c.rules) {
    json rules = json::array();
    for (const db::SourceRules& s : *c.rules) rules.push_back(RulesWire(s));
    out["rules"] = std::move(rules);
  }
  return Dump(out);
}
std::string Encode(const UploadRequest& u) {
  json checkins = json::array();
  for (const db::LoggedCheckin& l : u.checkins) checkins.push_back(LoggedWire(l));
  return Dump({{"checkins", checkins}, {"outbox", u.outbox}});
}
std::string Encode(const UploadResponse& u) {
  json outcomes = json::array();
  for (const db::UploadOutcome& o : u.outcomes) {
    outcomes.push_back({{"uuid", o.uuid},
                        {"kind", OutcomeKindName(o.kind)},
                        {"reason", o.reason},
                        {"conflict", o.conflict}});
  }
  return Dump({{"outcomes", outcomes}});
}

std::string Encode(const WebLoginLink& v) {
  return Dump({{"device", v.device},
               {"role", PageRoleName(v.role)},
               {"path", v.path},
               {"expires_at", v.expires_at}});
}

// --- decoders -------------------------------------------------------------

template <>
Result<PairRequest> Decode<PairRequest>(std::string_view body) {
  return DecodeObject<PairRequest>(body, "pairing request",
                                   [](Reader& r) { return PairRequest{r.String("secret")}; });
}

template <>
Result<PairResponse> Decode<PairResponse>(std::string_view body) {
  return DecodeObject<PairResponse>(body, "pairing answer", [](Reader& r) {
    PairResponse p;
    p.device = r.String("device");
    p.role = r.Enum<Role>("role", ParseRole);
    p.token = r.String("token");
    return p;
  });
}

template <>
Result<RedeemRequest> Decode<RedeemRequest>(std::string_view body) {
  return DecodeObject<RedeemRequest>(body, "redeem request", [](Reader& r) {
    RedeemRequest q;
    q.payload = r.String("payload");
    q.gate = r.String("gate");
    q.station = r.String("station");
    q.direction = r.Enum<Direction>("direction", ParseDirection);
    q.source = r.Enum<ScanSource>("source", ParseScanSource);
    q.attendee_id = r.Int("attendee_id");
    if (q.attendee_id < 0)
      r.Adopt(Status::InvalidInput("redeem request member 'attendee_id' is negative"));
    q.nonce = r.String("nonce");
    return q;
  });
}

template <>
Result<UndoRequest> Decode<UndoRequest>(std::string_view body) {
  return DecodeObject<UndoRequest>(body, "undo request", [](Reader& r) {
    UndoRequest q;
    q.target = r.Enum<UndoRequest::Target>("target", ParseTarget);
    q.code = r.String("code");
    q.attendee_id = r.Int("attendee_id");
    q.station = r.String("station");
    // Absent from stations older than the undo's reason.
    if (r.Optional("reason")) q.reason = r.String("reason");
    return q;
  });
}

template <>
Result<EnqueueRequest> Decode<EnqueueRequest>(std::string_view body) {
  return DecodeObject<EnqueueRequest>(body, "print request", [](Reader& r) {
    return EnqueueRequest{r.Int("attendee_id"), r.String("station")};
  });
}

template <>
Result<ClaimRequest> Decode<ClaimRequest>(std::string_view body) {
  return DecodeObject<ClaimRequest>(body, "claim request", [](Reader& r) {
    return ClaimRequest{r.String("worker"), r.String("printer")};
  });
}

template <>
Result<ReportRequest> Decode<ReportRequest>(std::string_view body) {
  return DecodeObject<ReportRequest>(body, "print report", [](Reader& r) {
    ReportRequest q;
    q.job_id = r.Int("job_id");
    q.report.outcome = r.Enum<PrintReport::Outcome>("outcome", ParseOutcome);
    q.report.printer_job_id = r.String("printer_job_id");
    q.report.error = r.String("error");
    const int64_t retry = r.Int("retry_in_s");
    // A day is far beyond any backoff the daemon uses; more is a bad body.
    if (retry < 0 || retry > 86'400)
      r.Adopt(Status::InvalidInput("print report member 'retry_in_s' is out of range"));
    q.report.retry_in = std::chrono::seconds(retry);
    return q;
  });
}

template <>
Result<PrinterReport> Decode<PrinterReport>(std::string_view body) {
  return DecodeObject<PrinterReport>(body, "printer report", [](Reader& r) {
    PrinterReport p;
    p.worker = r.String("worker");
    p.station = r.String("station");
    p.printer = r.String("printer");
    p.state.reachable = r.Bool("reachable");
    p.state.accepting = r.Bool("accepting");
    p.state.paused = r.Bool("paused");
    p.state.reasons = r.String("reasons");
    // Shown on the print desk page: plain text of a sane length only.
    for (const std::string* text : {&p.worker, &p.station, &p.printer, &p.state.reasons}) {
      if (text->size() > kMaxPrinterTextBytes || !IsValidUtf8(*text) || ForTerminal(*text) != *text)
        r.Adopt(Status::InvalidInput("printer report: a name or reason is too long or not text"));
    }
    if (p.worker.empty()) r.Adopt(Status::InvalidInput("printer report member 'worker' is empty"));
    return p;
  });
}

template <>
Result<PrinterHeld> Decode<PrinterHeld>(std::string_view body) {
  return DecodeObject<PrinterHeld>(body, "printer answer",
                                   [](Reader& r) { return PrinterHeld{r.Bool("held")}; });
}

template <>
Result<JobId> Decode<JobId>(std::string_view body) {
  return DecodeObject<JobId>(body, "print job id",
                             [](Reader& r) { return JobId{r.Int("job_id")}; });
}

template <>
Result<WireError> Decode<WireError>(std::string_view body) {
  auto j = ParseText(body, "error answer");
  if (!j.ok()) return j.status();
  Reader outer(*j, "error answer");
  const json* e = outer.Required("error");
  if (e == nullptr) return outer.status();
  Reader r(*e, "error");
  WireError w;
  w.code = ParseStatusCodeName(r.String("code"));
  w.message = r.String("message");
  if (!r.status().ok()) return r.status();
  return w;
}

template <>
Result<EventInfo> Decode<EventInfo>(std::string_view body) {
  return DecodeObject<EventInfo>(body, "event", [](Reader& r) {
    EventInfo e;
    e.name = r.String("name");
    e.timezone = r.String("timezone");
    e.created_at = r.String("created_at");
    return e;
  });
}

template <>
Result<Decision> Decode<Decision>(std::string_view body) {
  return DecodeObject<Decision>(body, "decision", [](Reader& r) {
    Decision d;
    d.verdict = r.Enum<Verdict>("verdict", ParseVerdict);
    d.code = r.String("code");
    d.reason = r.String("reason");
    if (const json* a = r.Optional("attendee")) d.attendee = ReadAttendeeWire(*a, r);
    if (const json* p = r.Optional("previous")) d.previous = ReadPrevious(*p, r);
    d.at = r.String("at");
    d.gate = r.String("gate");
    d.station = r.String("station");
    d.direction = r.Enum<Direction>("direction", ParseDirection);
    d.checkin_uuid = r.String("checkin_id");
    return d;
  });
}

template <>
Result<UndoResult> Decode<UndoResult>(std::string_view body) {
  return DecodeObject<UndoResult>(body, "undo answer", [](Reader& r) {
    UndoResult u;
    if (const json* a = r.Required("attendee")) u.attendee = ReadAttendeeWire(*a, r);
    if (const json* p = r.Required("undone")) u.undone = ReadPrevious(*p, r);
    u.undo_uuid = r.String("undo_id");
    return u;
  });
}

template <>
Result<std::vector<SearchHit>> Decode<std::vector<SearchHit>>(std::string_view body) {
  return DecodeArray<SearchHit>(body, "search hits", [](const json& item, Reader& outer) {
    Reader r(item, "search hit");
    SearchHit h;
    if (const json* a = r.Required("attendee")) h.attendee = ReadAttendeeWire(*a, r);
    if (const json* p = r.Optional("in_force")) h.in_force = ReadPrevious(*p, r);
    outer.Adopt(r.status());
    return h;
  });
}

template <>
Result<std::optional<Attendee>> Decode<std::optional<Attendee>>(std::string_view body) {
  return DecodeOptional<Attendee>(body, "attendee", ReadAttendeeWire);
}

template <>
Result<Stats> Decode<Stats>(std::string_view body) {
  return ParseStatsJson(body);
}

template <>
Result<std::optional<PrintJob>> Decode<std::optional<PrintJob>>(std::string_view body) {
  return DecodeOptional<PrintJob>(body, "print job", ReadPrintJobWire);
}

template <>
Result<std::vector<PrintJob>> Decode<std::vector<PrintJob>>(std::string_view body) {
  return DecodeArray<PrintJob>(body, "print jobs", ReadPrintJobWire);
}

template <>
Result<QueueCounts> Decode<QueueCounts>(std::string_view body) {
  return DecodeObject<QueueCounts>(body, "queue counts", [](Reader& r) {
    QueueCounts c;
    c.queued = r.Int("queued");
    c.printing = r.Int("printing");
    c.done = r.Int("done");
    c.failed = r.Int("failed");
    // Optional: a hub from before the print desk cancelled nothing.
    if (const auto* n = r.Optional("cancelled"); n && n->is_number_integer())
      c.cancelled = n->get<int64_t>();
    return c;
  });
}

template <>
Result<db::Changes> Decode<db::Changes>(std::string_view body) {
  return DecodeObject<db::Changes>(body, "changes", [](Reader& r) {
    db::Changes c;
    c.attendees = ReadArray<Attendee>(r, "attendees", kMaxChangesPage, ReadAttendeeWire);
    c.checkins = ReadArray<db::LoggedCheckin>(r, "checkins", kMaxChangesPage, ReadLoggedWire);
    if (const json* n = r.Required("next")) {
      Reader next(*n, "next");
      c.next.rev = next.Int("rev");
      c.next.attendee_id = next.Int("attendee_id");
      c.next.checkin_id = next.Int("checkin_id");
      c.next.rules_rev = next.Int("rules_rev");
      r.Adopt(next.status());
    }
    if (r.Optional("rules") != nullptr) {
      c.rules = ReadArray<db::SourceRules>(r, "rules", kMaxRuleSources, ReadRulesWire);
    }
    c.more = r.Bool("more");
    return c;
  });
}

template <>
Result<UploadRequest> Decode<UploadRequest>(std::string_view body) {
  return DecodeObject<UploadRequest>(body, "upload", [](Reader& r) {
    UploadRequest u;
    u.checkins = ReadArray<db::LoggedCheckin>(r, "checkins", kMaxUploadBatch, ReadLoggedWire);
    u.outbox = r.Int("outbox");
    return u;
  });
}

template <>
Result<UploadResponse> Decode<UploadResponse>(std::string_view body) {
  return DecodeObject<UploadResponse>(body, "upload answer", [](Reader& r) {
    UploadResponse u;
    u.outcomes = ReadArray<db::UploadOutcome>(
        r, "outcomes", kMaxUploadBatch, [](const json& item, Reader& outer) {
          Reader o(item, "outcome");
          db::UploadOutcome out;
          out.uuid = o.String("uuid");
          out.kind = o.Enum<db::UploadOutcome::Kind>("kind", ParseOutcomeKind);
          out.reason = o.String("reason");
          out.conflict = o.Bool("conflict");
          outer.Adopt(o.status());
          return out;
        });
    return u;
  });
}

template <>
Result<WebLoginLink> Decode<WebLoginLink>(std::string_view body) {
  return DecodeObject<WebLoginLink>(body, "login link", [](Reader& r) {
    WebLoginLink l;
    l.device = r.String("device");
    l.role = r.Enum<Role>("role", ParsePageRole);
    l.path = r.String("path");
    l.expires_at = r.String("expires_at");
    return l;
  });
}

}  // namespace checkin::hub
