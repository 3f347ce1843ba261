#include "db/replica.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "common/timezone.h"
#include "db/logged_checkin_row.h"
#include "db/platform_rules_store.h"
#include "db/statement.h"

namespace checkin::db {

namespace {

// Tables only a replica has, beside the event schema.
constexpr const char* kReplicaTables =
    "CREATE TABLE IF NOT EXISTS replica_state ("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    // Check-ins the hub has: those it sent, and ours it acknowledged. Every
    // other check-in in the file is in the outbox.
    "CREATE TABLE IF NOT EXISTS replica_seen (uuid TEXT PRIMARY KEY) WITHOUT ROWID;"
    // Check-ins the hub refused (it says why): kept, out of the outbox, so
    // one bad row does not hold up the others.
    "CREATE TABLE IF NOT EXISTS replica_refused ("
    "  uuid TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID;"
    // Badges asked for while the hub was away: its print queue is where the
    // printing stations claim from, so they wait here until the next sync.
    "CREATE TABLE IF NOT EXISTS replica_badges ("
    "  id INTEGER PRIMARY KEY, attendee_id INTEGER NOT NULL, station TEXT NOT NULL,"
    "  at TEXT NOT NULL);";
constexpr const char* kQueueBadge =
    "INSERT INTO replica_badges (attendee_id, station, at) VALUES (?1, ?2, ?3)";
constexpr const char* kPendingBadges =
    "SELECT id, attendee_id, station FROM replica_badges ORDER BY id LIMIT ?1";
constexpr const char* kBadgeSent = "DELETE FROM replica_badges WHERE id = ?1";

constexpr const char* kGetState = "SELECT value FROM replica_state WHERE key = ?1";
constexpr const char* kSetState =
    "INSERT INTO replica_state (key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

// A code another ticket of the page is about to take is parked on a value
// no text equals, as the import does when codes move between tickets.
constexpr const char* kParkTicketCode =
    "UPDATE attendees SET ticket_code = CAST('moving ' || id AS BLOB)"
    " WHERE ticket_code = ?1 AND id <> ?2";
constexpr const char* kParkBadgeCode =
    "UPDATE attendees SET badge_code = CAST('moving ' || id AS BLOB)"
    " WHERE badge_code = ?1 AND id <> ?2";

constexpr const char* kUnindex =
    "INSERT INTO attendees_fts (attendees_fts, rowid, first_name, last_name, email, company)"
    " SELECT 'delete', id, first_name, last_name, email, company FROM attendees WHERE id = ?1";
constexpr const char* kIndex =
    "INSERT INTO attendees_fts (rowid, first_name, last_name, email, company)"
    " SELECT id, first_name, last_name, email, company FROM attendees WHERE id = ?1";

constexpr const char* kUpsertAttendee =
    "INSERT INTO attendees (id, source, ticket_id, order_id, ticket_code, badge_code, first_name,"
    " last_name, email, company, ticket_type, status, upstream_status, checkin_lists,"
    " blocked, valid_from, valid_until, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16, ?17, ?18,"
    " ?15, ?15)"
    " ON CONFLICT (id) DO UPDATE SET source = excluded.source, ticket_id = excluded.ticket_id,"
    " order_id = excluded.order_id, ticket_code = excluded.ticket_code,"
    " badge_code = excluded.badge_code, first_name = excluded.first_name,"
    " last_name = excluded.last_name, email = excluded.email, company = excluded.company,"
    " ticket_type = excluded.ticket_type, status = excluded.status,"
    " upstream_status = excluded.upstream_status, checkin_lists = excluded.checkin_lists,"
    " blocked = excluded.blocked, valid_from = excluded.valid_from,"
    " valid_until = excluded.valid_until, updated_at = excluded.updated_at";

constexpr const char* kInsertCheckin =
    "INSERT OR IGNORE INTO checkins (uuid, attendee_id, code, gate, station, direction, kind,"
    " source, verdict, reason, undoes, at, offline)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " (SELECT id FROM checkins WHERE uuid = ?11), ?12, ?13)";
constexpr const char* kSeen = "INSERT OR IGNORE INTO replica_seen (uuid) VALUES (?1)";

// A check-in (alias c) still to be uploaded.
constexpr const char* kWaiting =
    " NOT EXISTS (SELECT 1 FROM replica_seen s WHERE s.uuid = c.uuid)"
    " AND NOT EXISTS (SELECT 1 FROM replica_refused f WHERE f.uuid = c.uuid)";
const std::string kOutbox = std::string("SELECT ") + kLoggedCheckinColumns +
                            " FROM checkins c LEFT JOIN checkins u ON u.id = c.undoes WHERE" +
                            kWaiting + " ORDER BY c.id LIMIT ?1";
const std::string kOutboxSize = std::string("SELECT count(*) FROM checkins c WHERE") + kWaiting;

Result<std::optional<std::string>> GetState(sqlite3* h, const char* key) {
  Statement q(h, kGetState);
  q.Bind(1, key);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Status SetState(sqlite3* h, const char* key, const std::string& value) {
  Statement q(h, kSetState);
  q.Bind(1, key).Bind(2, value);
  return q.Run();
}

Result<int64_t> StateInt(sqlite3* h, const char* key, int64_t fallback) {
  auto v = GetState(h, key);
  if (!v.ok()) return v.status();
  if (!*v) return fallback;
  try {
    return static_cast<int64_t>(std::stoll(**v));
  } catch (...) {
    return Status::Internal(std::string("replica state '") + key + "' is damaged");
  }
}

}  // namespace

Replica::Replica(std::unique_ptr<Database> db, const Clock& clock)
    : db_(std::move(db)), clock_(clock) {}
Replica::~Replica() = default;

Result<std::unique_ptr<Replica>> Replica::OpenExisting(const std::string& path,
                                                       const Clock& clock) {
  auto db = Database::Open(path, OpenMode::kMustExist);
  if (!db.ok()) return db.status();
  if (Status s = Exec((*db)->handle(), kReplicaTables); !s.ok()) return s;
  auto event = (*db)->Event();
  if (!event.ok()) return event.status();
  return std::unique_ptr<Replica>(new Replica(std::move(*db), clock));
}

Result<std::unique_ptr<Replica>> Replica::Open(const std::string& path, const EventInfo& event,
                                               const Clock& clock) {
  // The roster is personal data (Ley 1581): the station's copy is for its
  // owner only. An empty file is an empty SQLite database, and SQLite gives
  // its journal files the mode of the database file.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  auto db = Database::Open(path, OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  sqlite3* h = (*db)->handle();
  if (Status s = Exec(h, kReplicaTables); !s.ok()) return s;
  auto mine = (*db)->Event();
  if (!mine.ok()) {
    if (mine.status().code() != StatusCode::kNotFound) return mine.status();
    if (Status s = (*db)->InitEvent(event, clock); !s.ok()) return s;
    if (Status s = SetState(h, "hub_event_created_at", event.created_at); !s.ok()) return s;
  } else {
    auto created = GetState(h, "hub_event_created_at");
    if (!created.ok()) return created.status();
    if (mine->name != event.name || !*created || **created != event.created_at) {
      return Status::InvalidInput(path + " is the replica of another event ('" + mine->name +
                                  "'); move it away, or give this station another replica file");
    }
  }
  return std::unique_ptr<Replica>(new Replica(std::move(*db), clock));
}

Result<ChangeCursor> Replica::Cursor() {
  sqlite3* h = db_->handle();
  ChangeCursor c;
  auto rev = StateInt(h, "cursor_rev", -1);
  auto id = StateInt(h, "cursor_attendee", 0);
  auto checkin = StateInt(h, "cursor_checkin", 0);
  auto rules = StateInt(h, "cursor_rules", 0);
  for (const auto* r : {&rev, &id, &checkin, &rules}) {
    if (!r->ok()) return r->status();
  }
  c.rev = *rev;
  c.attendee_id = *id;
  c.checkin_id = *checkin;
  c.rules_rev = *rules;
  return c;
}

Status Replica::Apply(const Changes& page) {
  sqlite3* h = db_->handle();
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  const std::string now = FormatUtc(clock_.Now());
  Statement park_ticket(h, kParkTicketCode), park_badge(h, kParkBadgeCode);
  Statement unindex(h, kUnindex), index(h, kIndex), upsert(h, kUpsertAttendee);
  for (const Attendee& a : page.attendees) {
    park_ticket.Bind(1, a.ticket_code).Bind(2, a.id);
    if (Status s = park_ticket.Run(); !s.ok()) return s;
    park_badge.Bind(1, a.badge_code).Bind(2, a.id);
    if (Status s = park_badge.Run(); !s.ok()) return s;
    unindex.Bind(1, a.id);
    if (Status s = unindex.Run(); !s.ok()) return s;
    upsert.Bind(1, a.id).Bind(2, a.source).Bind(3, a.ticket_id).Bind(4, a.order_id);
    upsert.Bind(5, a.ticket_code).Bind(6, a.badge_code).Bind(7, a.first_name);
    upsert.Bind(8, a.last_name).Bind(9, a.email).Bind(10, a.company).Bind(11, a.ticket_type);
    upsert.Bind(12, TicketStatusName(a.status)).Bind(13, a.upstream_status);
    upsert.Bind(14, a.checkin_lists).Bind(15, now).Bind(16, a.blocked).Bind(17, a.valid_from);
    upsert.Bind(18, a.valid_until);
    if (Status s = upsert.Run(); !s.ok()) return s;
    index.Bind(1, a.id);
    if (Status s = index.Run(); !s.ok()) return s;
  }
  Statement insert(h, kInsertCheckin), seen(h, kSeen);
  for (const LoggedCheckin& c : page.checkins) {
    BindLoggedCheckin(insert, c);
    insert.Bind(11, c.undoes).Bind(12, c.at).Bind(13, int64_t{c.offline});
    if (Status s = insert.Run(); !s.ok()) return s.WithContext("check-in " + c.uuid + ": ");
    seen.Bind(1, c.uuid);
    if (Status s = seen.Run(); !s.ok()) return s;
  }
  if (page.rules) {
    if (Status s = ClearRules(h); !s.ok()) return s;
    for (const SourceRules& r : *page.rules) {
      if (Status s = StoreRules(h, r.source, r.rules); !s.ok()) return s;
    }
    if (Status s = SetState(h, "cursor_rules", std::to_string(page.next.rules_rev)); !s.ok())
      return s;
  }
  if (Status s = SetState(h, "cursor_rev", std::to_string(page.next.rev)); !s.ok()) return s;
  if (Status s = SetState(h, "cursor_attendee", std::to_string(page.next.attendee_id)); !s.ok())
    return s;
  if (Status s = SetState(h, "cursor_checkin", std::to_string(page.next.checkin_id)); !s.ok())
    return s;
  if (Status s = SetState(h, "last_contact", now); !s.ok()) return s;
  return tx.Commit();
}

Status Replica::Remember(const LoggedCheckin& c) {
  sqlite3* h = db_->handle();
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement insert(h, kInsertCheckin), seen(h, kSeen);
  BindLoggedCheckin(insert, c);
  insert.Bind(11, c.undoes).Bind(12, c.at).Bind(13, int64_t{c.offline});
  if (Status s = insert.Run(); !s.ok()) return s;
  seen.Bind(1, c.uuid);
  if (Status s = seen.Run(); !s.ok()) return s;
  return tx.Commit();
}

Result<std::vector<LoggedCheckin>> Replica::Outbox(int limit) {
  Statement q(db_->handle(), kOutbox);
  q.Bind(1, int64_t{limit});
  std::vector<LoggedCheckin> out;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    LoggedCheckin c = ReadLoggedCheckin(q);
    c.offline = true;
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> Replica::OutboxSize() { return QueryInt(db_->handle(), kOutboxSize.c_str()); }

Result<int64_t> Replica::QueueBadge(int64_t attendee_id, const std::string& station) {
  Statement q(db_->handle(), kQueueBadge);
  q.Bind(1, attendee_id).Bind(2, station).Bind(3, FormatUtc(clock_.Now()));
  if (Status s = q.Run(); !s.ok()) return s;
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_->handle()));
}

Result<std::vector<Replica::PendingBadge>> Replica::PendingBadges(int limit) {
  Statement q(db_->handle(), kPendingBadges);
  q.Bind(1, int64_t{limit});
  std::vector<PendingBadge> out;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back({q.Int(0), q.Int(1), q.Text(2)});
  }
  return out;
}

Status Replica::BadgeSent(int64_t id) {
  Statement q(db_->handle(), kBadgeSent);
  q.Bind(1, id);
  return q.Run();
}

Status Replica::Acknowledge(const std::vector<std::string>& uuids) {
  sqlite3* h = db_->handle();
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement seen(h, kSeen);
  for (const std::string& u : uuids) {
    seen.Bind(1, u);
    if (Status s = seen.Run(); !s.ok()) return s;
  }
  if (Status s = SetState(h, "last_contact", FormatUtc(clock_.Now())); !s.ok()) return s;
  return tx.Commit();
}

Status Replica::Refuse(const std::string& uuid, const std::string& reason) {
  Statement q(db_->handle(),
              "INSERT OR REPLACE INTO replica_refused (uuid, reason, at) VALUES (?1, ?2, ?3)");
  q.Bind(1, uuid).Bind(2, reason).Bind(3, FormatUtc(clock_.Now()));
  return q.Run();
}

Result<int64_t> Replica::RefusedCount() {
  return QueryInt(db_->handle(), "SELECT count(*) FROM replica_refused");
}

Status Replica::NoteHub(std::chrono::milliseconds offset) {
  sqlite3* h = db_->handle();
  if (Status s = SetState(h, "hub_offset_ms", std::to_string(offset.count())); !s.ok()) return s;
  return SetState(h, "last_contact", FormatUtc(clock_.Now()));
}

Status Replica::NotePulled() {
  return SetState(db_->handle(), "last_pull", FormatUtc(clock_.Now()));
}

Result<Replica::HubContact> Replica::Contact() {
  sqlite3* h = db_->handle();
  HubContact c;
  auto offset = GetState(h, "hub_offset_ms");
  if (!offset.ok()) return offset.status();
  if (*offset) {
    auto ms = StateInt(h, "hub_offset_ms", 0);
    if (!ms.ok()) return ms.status();
    c.offset = std::chrono::milliseconds(*ms);
  }
  auto contact = GetState(h, "last_contact");
  if (!contact.ok()) return contact.status();
  c.last_contact = contact->value_or("");
  auto pull = GetState(h, "last_pull");
  if (!pull.ok()) return pull.status();
  c.last_pull = pull->value_or("");
  return c;
}

}  // namespace checkin::db
