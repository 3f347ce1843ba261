#include "db/offline.h"

#include "common/timezone.h"
#include "common/verdict.h"
#include "db/attendee_row.h"
#include "db/logged_checkin_row.h"
#include "db/roster.h"
#include "db/statement.h"
#include "db/unlisted_code.h"
#include "db/uuid_text.h"

namespace checkin::db {

namespace {

constexpr size_t kMaxFieldBytes = 256;

constexpr const char* kHave = "SELECT id FROM checkins WHERE uuid = ?1";
constexpr const char* kAttendeeExists = "SELECT count(*) FROM attendees a WHERE a.id = ?1";
constexpr const char* kInsert =
    "INSERT INTO checkins (uuid, attendee_id, code, gate, station, direction, kind, source,"
    " verdict, reason, undoes, at, offline)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)";

// The attendee's other entry still in force with no exit of theirs between
// it and the scan at ?3: the same person can't have been let in twice.
// Preferably the one that is the admission (not yet the later side of a
// conflict): a scan earlier than it makes it a conflict, and conflicts hold
// one row per later admission, so pairing with one already listed as a
// later side would record nothing.
constexpr const char* kOtherEntry =
    "SELECT e.id, e.at FROM checkins e"
    " WHERE e.attendee_id = ?1 AND e.kind = 'admitted' AND e.direction = 'entry' AND e.id <> ?2"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = e.id)"
    " AND NOT EXISTS (SELECT 1 FROM checkins x WHERE x.attendee_id = ?1 AND x.kind = 'admitted'"
    "   AND x.direction = 'exit' AND NOT EXISTS (SELECT 1 FROM checkins ux WHERE ux.undoes = x.id)"
    "   AND x.at > min(e.at, ?3) AND x.at < max(e.at, ?3))"
    " ORDER BY EXISTS (SELECT 1 FROM conflicts k WHERE k.second_checkin = e.id), e.id DESC"
    " LIMIT 1";
constexpr const char* kRecordConflict =
    "INSERT OR IGNORE INTO conflicts (attendee_id, first_checkin, second_checkin, gap_ms,"
    " found_at) VALUES (?1, ?2, ?3, ?4, ?5)";

// Why `c` cannot be recorded as it stands; empty when it can.
std::string Invalid(const LoggedCheckin& c) {
  // As the log keeps them (a replica's rows were written so): lowercase.
  if (CanonicalUuid(c.uuid) != c.uuid) return "uuid is not a lowercase UUID";
  for (const std::string* f : {&c.code, &c.gate, &c.station, &c.verdict, &c.reason}) {
    if (f->size() > kMaxFieldBytes) return "a field is longer than 256 bytes";
  }
  if (c.kind != "admitted" && c.kind != "denied" && c.kind != "undo") return "unknown kind";
  if ((c.kind == "undo") != !c.undoes.empty()) return "undoes is set for, and only for, an undo";
  if (c.kind != "undo") {
    auto v = ParseVerdict(c.verdict);
    if (!v) return "unknown verdict";
    if ((*v == Verdict::kAdmitted) != (c.kind == "admitted")) return "verdict and kind disagree";
  }
  if (c.attendee_id < 0) return "negative attendee id";
  if (!ParseUtc(c.at).ok()) return "scan time is not a UTC time";
  return "";
}

int64_t GapMs(const std::string& a, const std::string& b) {
  auto ta = ParseUtc(a), tb = ParseUtc(b);
  if (!ta.ok() || !tb.ok()) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*tb - *ta).count();
}

}  // namespace

Result<std::vector<UploadOutcome>> RecordOffline(Database& db,
                                                 const std::vector<LoggedCheckin>& given,
                                                 const Clock& clock) {
  sqlite3* h = db.handle();
  // A station cut off from the hub admits a genuine signed ticket no roster
  // had by its code alone (db/unlisted_code.h). Here it gets its attendee,
  // joining the roster first if need be, before the log's transaction.
  std::vector<LoggedCheckin> batch = given;
  for (LoggedCheckin& c : batch) {
    if (c.kind != "admitted" || c.attendee_id != 0 || !Invalid(c).empty()) continue;
    auto found = FindAttendeeByCode(db, c.code);
    if (!found.ok()) return found.status();
    if (!*found) {
      auto ruled = RuleUnlistedCode(db, c.code, clock, /*may_add=*/true);
      if (!ruled.ok()) return ruled.status();
      found = FindAttendeeByCode(db, c.code);
      if (!found.ok()) return found.status();
    }
    if (*found) c.attendee_id = (*found)->id;
  }
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement have(h, kHave), exists(h, kAttendeeExists), insert(h, kInsert);
  Statement other(h, kOtherEntry), conflict(h, kRecordConflict);
  const std::string now = FormatUtc(clock.Now());
  std::vector<UploadOutcome> out;
  out.reserve(batch.size());
  // The row id of `uuid` in the log, 0 if none.
  auto id_of = [&](const std::string& uuid) -> Result<int64_t> {
    have.Bind(1, uuid);
    auto r = have.Step();
    if (!r.ok()) return r.status();
    const int64_t id = *r ? have.Int(0) : 0;
    have.Reset();
    return id;
  };
  for (const LoggedCheckin& c : batch) {
    UploadOutcome o;
    o.uuid = c.uuid;
    o.reason = Invalid(c);
    if (!o.reason.empty()) {
      out.push_back(std::move(o));
      continue;
    }
    auto already = id_of(c.uuid);
    if (!already.ok()) return already.status();
    if (*already != 0) {
      o.kind = UploadOutcome::Kind::kAlready;
      out.push_back(std::move(o));
      continue;
    }
    if (c.attendee_id > 0) {
      exists.Bind(1, c.attendee_id);
      auto r = exists.Step();
      if (!r.ok()) return r.status();
      const bool known = exists.Int(0) > 0;
      exists.Reset();
      if (!known) {
        o.reason = "the hub has no attendee " + std::to_string(c.attendee_id);
        out.push_back(std::move(o));
        continue;
      }
    }
    int64_t undoes = 0;
    if (c.kind == "undo") {
      auto u = id_of(c.undoes);
      if (!u.ok()) return u.status();
      if (*u == 0) {
        o.reason = "the check-in it undoes is not on the hub";
        out.push_back(std::move(o));
        continue;
      }
      undoes = *u;
    }
    BindLoggedCheckin(insert, c);
    if (undoes > 0) {
      insert.Bind(11, undoes);
    } else {
      insert.BindNull(11);
    }
    insert.Bind(12, c.at);
    if (Status s = insert.Run(); !s.ok()) return s;
    auto id = QueryInt(h, "SELECT last_insert_rowid()");
    if (!id.ok()) return id.status();
    o.kind = UploadOutcome::Kind::kRecorded;

    if (c.kind == "admitted" && c.direction == Direction::kEntry && c.attendee_id > 0) {
      other.Bind(1, c.attendee_id).Bind(2, *id).Bind(3, c.at);
      auto r = other.Step();
      if (!r.ok()) return r.status();
      if (*r) {
        const int64_t other_id = other.Int(0);
        const std::string other_at = other.Text(1);
        const bool mine_first = c.at < other_at;
        conflict.Bind(1, c.attendee_id).Bind(2, mine_first ? *id : other_id);
        conflict.Bind(3, mine_first ? other_id : *id);
        conflict.Bind(4, mine_first ? GapMs(c.at, other_at) : GapMs(other_at, c.at));
        conflict.Bind(5, now);
        other.Reset();
        if (Status s = conflict.Run(); !s.ok()) return s;
        o.conflict = true;
      } else {
        other.Reset();
      }
    }
    out.push_back(std::move(o));
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<std::vector<Conflict>> ListConflicts(Database& db) {
  const std::string sql =
      std::string("SELECT ") + kAttendeeColumns +
      ", f.uuid, f.gate, f.station, f.at, f.offline, s.uuid, s.gate, s.station, s.at, s.offline,"
      " k.gap_ms, k.found_at FROM conflicts k JOIN attendees a ON a.id = k.attendee_id"
      " JOIN checkins f ON f.id = k.first_checkin JOIN checkins s ON s.id = k.second_checkin"
      " ORDER BY k.id";
  Statement q(db.handle(), sql);
  std::vector<Conflict> out;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    Conflict c;
    c.attendee = ReadAttendee(q);
    int col = kAttendeeColumnCount;
    for (ConflictSide* side : {&c.first, &c.second}) {
      side->uuid = q.Text(col++);
      side->gate = q.Text(col++);
      side->station = q.Text(col++);
      side->at = q.Text(col++);
      side->offline = q.Int(col++) != 0;
    }
    c.gap_ms = q.Int(col++);
    c.found_at = q.Text(col++);
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> NewestCheckinId(Database& db) {
  return QueryInt(db.handle(), "SELECT COALESCE(MAX(id), 0) FROM checkins");
}

Result<int64_t> CountConflicts(Database& db) {
  return QueryInt(db.handle(), "SELECT count(*) FROM conflicts");
}

}  // namespace checkin::db
