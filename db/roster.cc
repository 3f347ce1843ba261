#include "db/roster.h"

#include "common/clock.h"
#include "common/text.h"
#include "db/attendee_row.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

// Turns what a volunteer typed into a safe FTS5 query: each word becomes a
// quoted prefix term, so punctuation and FTS operators in the input are inert.
std::string ToFtsQuery(std::string_view query) {
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += ' ';
    out += '"' + word + "\"*";
    word.clear();
  };
  for (char ch : query) {
    const auto c = static_cast<unsigned char>(ch);
    // Bytes >= 0x80 are parts of letters such as ñ: keep them in the word.
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word.push_back(ch);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// Admissions in force: admitted rows no undo points at.
constexpr const char* kInForce =
    "SELECT * FROM checkins c WHERE c.kind = 'admitted'"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)";

}  // namespace

Result<std::vector<SearchHit>> SearchAttendees(Database& db, std::string_view query, int limit) {
  if (!IsValidUtf8(query)) return Status::InvalidInput("the search text is not valid UTF-8");
  const std::string fts = ToFtsQuery(query);
  if (fts.empty()) return Status::InvalidInput("type part of a name, email or company to search");
  Statement st(db.handle(),
               std::string("SELECT ") + kAttendeeColumns +
                   ", (SELECT c.at || '|' || c.gate || '|' || c.station || '|' || c.direction"
                   "   FROM checkins c WHERE c.attendee_id = a.id AND c.kind = 'admitted'"
                   "   AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)"
                   "   ORDER BY c.id DESC LIMIT 1)"
                   " FROM (SELECT rowid AS id, rank FROM attendees_fts WHERE attendees_fts MATCH ?1"
                   "       LIMIT ?3) m"
                   " JOIN attendees a ON a.id = m.id WHERE " +
                   kVisible + " ORDER BY m.rank LIMIT ?2");
  st.Bind(1, fts).Bind(2, static_cast<int64_t>(limit)).Bind(3, kSearchCandidates);
  std::vector<SearchHit> hits;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    SearchHit h{ReadAttendee(st), std::nullopt};
    if (!st.IsNull(kAttendeeColumnCount)) {
      const std::string packed = st.Text(kAttendeeColumnCount);
      PreviousCheckin p;
      size_t a = packed.find('|'), b = packed.find('|', a + 1), c = packed.rfind('|');
      p.at = packed.substr(0, a);
      p.gate = packed.substr(a + 1, b - a - 1);
      p.station = packed.substr(b + 1, c - b - 1);
      p.direction = ParseDirection(packed.substr(c + 1)).value_or(Direction::kEntry);
      h.in_force = p;
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

namespace {

// Runs a bound query over kAttendeeColumns and reads its first row, if any.
Result<std::optional<Attendee>> FirstAttendee(Statement& st) {
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<Attendee>();
  return std::optional<Attendee>(ReadAttendee(st));
}

}  // namespace

Result<std::optional<Attendee>> FindAttendeeByCode(Database& db, std::string_view code) {
  Statement st(db.handle(), std::string("SELECT ") + kAttendeeColumns +
                                " FROM attendees a WHERE (a.ticket_code = ?1 OR a.badge_code = ?1)"
                                " AND " +
                                kVisible + " LIMIT 1");
  st.Bind(1, code);
  return FirstAttendee(st);
}

Result<std::optional<Attendee>> FindAttendeeById(Database& db, int64_t id) {
  Statement st(db.handle(), std::string("SELECT ") + kAttendeeColumns +
                                " FROM attendees a WHERE a.id = ?1 AND " + kVisible);
  st.Bind(1, id);
  return FirstAttendee(st);
}

Result<std::vector<Attendee>> ListAttendees(Database& db, AttendeeFilter filter) {
  Statement st(db.handle(),
               std::string("SELECT ") + kAttendeeColumns + " FROM attendees a WHERE " + kVisible +
                   (filter == AttendeeFilter::kValidOnly ? " AND a.status = 'valid'" : "") +
                   " ORDER BY a.id");
  std::vector<Attendee> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadAttendee(st));
  }
  return out;
}

Result<Stats> ComputeStats(Database& db, const StatsRequest& req) {
  Stats s;
  // FormatUtc text sorts as time, and every time sorts after "".
  const std::string since = req.since ? FormatUtc(*req.since) : "";
  const std::string in_force = kInForce;
  Statement types(db.handle(),
                  "WITH f AS (" + in_force +
                      "),"
                      " entered AS (SELECT DISTINCT attendee_id FROM f WHERE direction = 'entry')"
                      " SELECT a.ticket_type, COUNT(*),"
                      " SUM(a.id IN (SELECT attendee_id FROM entered))"
                      " FROM attendees a WHERE a.status = 'valid' AND " +
                      kVisible + " GROUP BY a.ticket_type ORDER BY COUNT(*) DESC, a.ticket_type");
  for (;;) {
    auto r = types.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    TicketTypeStats t{types.Text(0), types.Int(1), types.Int(2)};
    s.expected += t.expected;
    s.checked_in += t.checked_in;
    s.by_ticket_type.push_back(t);
  }
  Statement gates(
      db.handle(),
      "WITH f AS (" + in_force +
          ")"
          " SELECT g.gate,"
          "  (SELECT COUNT(*) FROM f WHERE f.gate = g.gate AND f.direction = 'entry'"
          "   AND f.at >= ?1),"
          "  (SELECT COUNT(*) FROM f WHERE f.gate = g.gate AND f.direction = 'exit'"
          "   AND f.at >= ?1),"
          "  (SELECT COUNT(*) FROM checkins d WHERE d.gate = g.gate AND d.kind = 'denied'"
          "   AND d.at >= ?1)"
          " FROM (SELECT DISTINCT gate FROM checkins) g ORDER BY g.gate");
  gates.Bind(1, since);
  for (;;) {
    auto r = gates.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    s.by_gate.push_back(GateStats{gates.Text(0), gates.Int(1), gates.Int(2), gates.Int(3)});
  }
  Statement inside(db.handle(),
                   "WITH f AS (" + in_force +
                       "),"
                       " latest AS (SELECT attendee_id, MAX(id) AS id FROM f GROUP BY attendee_id)"
                       " SELECT COUNT(*) FROM latest JOIN checkins c ON c.id = latest.id"
                       " WHERE c.direction = 'entry'");
  auto r = inside.Step();
  if (!r.ok()) return r.status();
  s.inside_now = inside.Int(0);
  Statement cancelled(db.handle(), std::string("SELECT COUNT(*) FROM attendees a WHERE a.status "
                                               "!= 'valid' AND ") +
                                       kVisible);
  r = cancelled.Step();
  if (!r.ok()) return r.status();
  s.cancelled = cancelled.Int(0);
  auto conflicts = QueryInt(db.handle(), "SELECT COUNT(*) FROM conflicts");
  if (!conflicts.ok()) return conflicts.status();
  s.conflicts = *conflicts;
  Statement denials(db.handle(),
                    "SELECT verdict, COUNT(*) FROM checkins WHERE kind = 'denied' AND at >= ?1"
                    " GROUP BY verdict ORDER BY COUNT(*) DESC, verdict");
  denials.Bind(1, since);
  for (;;) {
    auto d = denials.Step();
    if (!d.ok()) return d.status();
    if (!*d) break;
    s.denials_by_verdict.emplace_back(denials.Text(0), denials.Int(1));
  }
  return s;
}

}  // namespace checkin::db
