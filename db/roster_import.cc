#include "db/roster_import.h"

#include <unordered_map>

#include "common/random.h"
#include "db/record_table.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

struct Existing {
  int64_t id = 0;
  RosterRecord rec;
  bool seen = false;
};

bool SameData(const RosterRecord& a, const RosterRecord& b) {
  return a.ticket_code == b.ticket_code && a.order_id == b.order_id && a.first_name == b.first_name &&
         a.last_name == b.last_name && a.email == b.email && a.company == b.company &&
         a.ticket_type == b.ticket_type && a.status == b.status &&
         a.upstream_status == b.upstream_status && a.checkin_lists == b.checkin_lists;
}

Status WriteError(const Status& s, const RosterRecord& r) {
  if (s.code() != StatusCode::kInvalidInput) return s;
  return Status::InvalidInput("line " + std::to_string(r.line) + ": ticket_code " + r.ticket_code +
                              " already belongs to another attendee in the database (" + s.message() + ")");
}

}  // namespace

Result<ImportSummary> ApplyRoster(Database& db, const RosterSnapshot& snap, MissingPolicy missing,
                                  ImportMode mode, const Clock& clock,
                                  const std::function<void(size_t, size_t)>& progress) {
  ImportSummary sum;
  sum.format = std::string(RosterFormatName(snap.format));
  sum.encoding = snap.encoding;
  sum.rows = snap.total_rows;
  sum.duplicate_rows = snap.duplicate_rows;
  sum.dry_run = mode == ImportMode::kDryRun;
  const std::string source = snap.source.empty() ? sum.format : snap.source;
  const std::string now = FormatUtc(clock.Now());

  sqlite3* h = db.handle();
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;

  std::unordered_map<std::string, Existing> existing;
  {
    Statement q(h,
                "SELECT id, ticket_id, ticket_code, order_id, first_name, last_name, email, company,"
                " ticket_type, status, upstream_status, checkin_lists FROM attendees WHERE source = ?1");
    q.Bind(1, source);
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      Existing e;
      e.id = q.Int(0);
      e.rec.ticket_id = q.Text(1);
      e.rec.ticket_code = q.Text(2);
      e.rec.order_id = q.Text(3);
      e.rec.first_name = q.Text(4);
      e.rec.last_name = q.Text(5);
      e.rec.email = q.Text(6);
      e.rec.company = q.Text(7);
      e.rec.ticket_type = q.Text(8);
      e.rec.status = ParseTicketStatus(q.Text(9)).value_or(TicketStatus::kCancelled);
      e.rec.upstream_status = q.Text(10);
      e.rec.checkin_lists = q.Text(11);
      existing.emplace(e.rec.ticket_id, std::move(e));
    }
  }

  int64_t max_id_before = 0;
  {
    Statement q(h, "SELECT COALESCE(MAX(id), 0) FROM attendees");
    auto r = q.Step();
    if (!r.ok()) return r.status();
    max_id_before = q.Int(0);
  }
  // Old search terms of rows whose searchable text changes are removed from
  // the index in one statement at the end (see the schema on why not triggers).
  if (Status s = Exec(h,
                      "CREATE TEMP TABLE IF NOT EXISTS fts_stale (id INTEGER PRIMARY KEY,"
                      " first_name, last_name, email, company); DELETE FROM temp.fts_stale;");
      !s.ok()) {
    return s;
  }

  std::vector<const RosterRecord*> fresh;
  for (const RosterRecord& r : snap.records) {
    if (existing.count(r.ticket_id) == 0) fresh.push_back(&r);
  }
  std::vector<std::string> badge_codes = RandomBase32Batch(fresh.size(), 16);
  for (auto& b : badge_codes) b.insert(0, "B-");

  Statement update(h,
                   "UPDATE attendees SET order_id = ?2, ticket_code = ?3, first_name = ?4,"
                   " last_name = ?5, email = ?6, company = ?7, ticket_type = ?8, status = ?9,"
                   " upstream_status = ?10, checkin_lists = ?11, updated_at = ?12 WHERE id = ?1");
  Statement stale(h,
                  "INSERT INTO temp.fts_stale (id, first_name, last_name, email, company)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)");
  const size_t total = snap.records.size();
  for (size_t i = 0; i < total; ++i) {
    const RosterRecord& r = snap.records[i];
    if (progress && i % 5000 == 0) progress(i, total);
    auto it = existing.find(r.ticket_id);
    if (it == existing.end()) continue;  // inserted below, all at once
    Existing& e = it->second;
    e.seen = true;
    if (SameData(e.rec, r)) {
      ++sum.unchanged;
      continue;
    }
    if (e.rec.first_name != r.first_name || e.rec.last_name != r.last_name ||
        e.rec.email != r.email || e.rec.company != r.company) {
      stale.Bind(1, e.id).Bind(2, e.rec.first_name).Bind(3, e.rec.last_name);
      stale.Bind(4, e.rec.email).Bind(5, e.rec.company);
      if (Status s = stale.Run(); !s.ok()) return s;
    }
    update.Bind(1, e.id).Bind(2, r.order_id).Bind(3, r.ticket_code).Bind(4, r.first_name);
    update.Bind(5, r.last_name).Bind(6, r.email).Bind(7, r.company).Bind(8, r.ticket_type);
    update.Bind(9, TicketStatusName(r.status)).Bind(10, r.upstream_status);
    update.Bind(11, r.checkin_lists).Bind(12, now);
    if (Status s = update.Run(); !s.ok()) return WriteError(s, r);
    if (e.rec.status == TicketStatus::kValid && r.status != TicketStatus::kValid) {
      ++sum.cancelled;
    } else {
      ++sum.updated;
    }
  }
  sum.added = static_cast<int>(fresh.size());
  if (progress) progress(total, total);

  {
    // New tickets go in with one INSERT ... SELECT straight from memory:
    // row-by-row inserts into the indexed table cost twice as much.
    RecordTable rows(h, fresh, badge_codes);
    if (!rows.status().ok()) return rows.status();
    // A new ticket may reuse a code another source's (or an older) ticket
    // owns: name its line rather than fail on the unique index without one.
    Statement clash(h,
                    "SELECT n.line, n.ticket_code, a.source FROM checkin_import_rows n"
                    " JOIN attendees a ON a.ticket_code = n.ticket_code ORDER BY n.line LIMIT 1");
    auto r = clash.Step();
    if (!r.ok()) return r.status();
    if (*r) {
      return Status::InvalidInput("line " + std::to_string(clash.Int(0)) + ": ticket_code " +
                                  clash.Text(1) + " already belongs to another attendee (source " +
                                  clash.Text(2) + ")");
    }
    Statement move(h,
                   "INSERT INTO attendees (source, ticket_id, order_id, ticket_code, badge_code,"
                   " first_name, last_name, email, company, ticket_type, status, upstream_status,"
                   " checkin_lists, created_at, updated_at)"
                   " SELECT ?1, ticket_id, order_id, ticket_code, badge_code, first_name, last_name,"
                   " email, company, ticket_type, status, upstream_status, checkin_lists, ?2, ?2"
                   " FROM checkin_import_rows");
    move.Bind(1, source).Bind(2, now);
    if (Status s = move.Run(); !s.ok()) return s;
  }

  if (Status s = Exec(h,
                      "INSERT INTO attendees_fts (attendees_fts, rowid, first_name, last_name,"
                      " email, company) SELECT 'delete', id, first_name, last_name, email, company"
                      " FROM temp.fts_stale");
      !s.ok()) {
    return s;
  }
  Statement index(h,
                  "INSERT INTO attendees_fts (rowid, first_name, last_name, email, company)"
                  " SELECT id, first_name, last_name, email, company FROM attendees"
                  " WHERE id > ?1 OR id IN (SELECT id FROM temp.fts_stale)");
  index.Bind(1, max_id_before);
  if (Status s = index.Run(); !s.ok()) return s;

  if (snap.full_export) {
    Statement cancel(h,
                     "UPDATE attendees SET status = 'cancelled', upstream_status = ?2,"
                     " updated_at = ?3 WHERE id = ?1");
    for (auto& [ticket_id, e] : existing) {
      if (e.seen || e.rec.status != TicketStatus::kValid) continue;
      sum.missing.push_back({ticket_id, e.rec.first_name + " " + e.rec.last_name});
      if (missing == MissingPolicy::kCancel) {
        cancel.Bind(1, e.id).Bind(2, "missing from export " + snap.origin).Bind(3, now);
        if (Status s = cancel.Run(); !s.ok()) return s;
        ++sum.missing_cancelled;
      }
    }
  }

  Statement log(h,
                "INSERT INTO imports (at, format, origin, encoding, rows, added, updated, cancelled,"
                " unchanged, missing, missing_cancelled)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  log.Bind(1, now).Bind(2, source).Bind(3, snap.origin).Bind(4, snap.encoding);
  log.Bind(5, int64_t{sum.rows}).Bind(6, int64_t{sum.added}).Bind(7, int64_t{sum.updated});
  log.Bind(8, int64_t{sum.cancelled}).Bind(9, int64_t{sum.unchanged});
  log.Bind(10, static_cast<int64_t>(sum.missing.size())).Bind(11, int64_t{sum.missing_cancelled});
  if (Status s = log.Run(); !s.ok()) return s;

  if (mode == ImportMode::kDryRun) return sum;  // the transaction rolls back
  if (Status s = tx.Commit(); !s.ok()) return s;
  return sum;
}

}  // namespace checkin::db
