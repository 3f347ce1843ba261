#include "db/sync_state.h"

#include "db/statement.h"

namespace checkin::db {
namespace {

constexpr const char* kColumns =
    "source, target, started_at, finished_at, ok, full, rows, added, updated, cancelled,"
    " unchanged, missing, cursor, error, next_at";

SyncPass ReadPass(const Statement& q) {
  SyncPass p;
  p.source = q.Text(0);
  p.target = q.Text(1);
  p.started_at = q.Text(2);
  p.finished_at = q.Text(3);
  p.ok = q.Int(4) != 0;
  p.full = q.Int(5) != 0;
  p.rows = static_cast<int>(q.Int(6));
  p.added = static_cast<int>(q.Int(7));
  p.updated = static_cast<int>(q.Int(8));
  p.cancelled = static_cast<int>(q.Int(9));
  p.unchanged = static_cast<int>(q.Int(10));
  p.missing = static_cast<int>(q.Int(11));
  p.cursor = q.Text(12);
  p.error = q.Text(13);
  p.next_at = q.Text(14);
  return p;
}

// The first column of the first row `sql` gives for target ?1, "" when
// there is none.
Result<std::string> NewestText(sqlite3* h, const char* sql, const std::string& target) {
  Statement q(h, sql);
  q.Bind(1, target);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  return *r && !q.IsNull(0) ? q.Text(0) : std::string();
}

}  // namespace

Status SyncState::Record(const SyncPass& p) {
  sqlite3* h = db_.handle();
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement add(h, std::string("INSERT INTO sync_passes (") + kColumns +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                       " ?15)");
  add.Bind(1, p.source).Bind(2, p.target).Bind(3, p.started_at).Bind(4, p.finished_at);
  add.Bind(5, int64_t{p.ok ? 1 : 0}).Bind(6, int64_t{p.full ? 1 : 0}).Bind(7, int64_t{p.rows});
  add.Bind(8, int64_t{p.added}).Bind(9, int64_t{p.updated}).Bind(10, int64_t{p.cancelled});
  add.Bind(11, int64_t{p.unchanged}).Bind(12, int64_t{p.missing}).Bind(13, p.cursor);
  add.Bind(14, p.error).Bind(15, p.next_at);
  if (Status s = add.Run(); !s.ok()) return s;
  // A hub syncing every minute writes 1,440 passes a day; the import
  // history keeps the counts of every pass that changed the roster.
  Statement prune(h,
                  "DELETE FROM sync_passes WHERE target = ?1 AND id <= (SELECT id FROM"
                  " sync_passes WHERE target = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)");
  prune.Bind(1, p.target).Bind(2, int64_t{kKeptPasses});
  if (Status s = prune.Run(); !s.ok()) return s;
  return tx.Commit();
}

Result<SyncResume> SyncState::ResumeFor(const std::string& target) {
  sqlite3* h = db_.handle();
  auto cursor = NewestText(
      h, "SELECT cursor FROM sync_passes WHERE target = ?1 AND ok ORDER BY id DESC LIMIT 1",
      target);
  if (!cursor.ok()) return cursor.status();
  auto full = NewestText(h,
                         "SELECT started_at FROM sync_passes WHERE target = ?1 AND ok AND full"
                         " ORDER BY id DESC LIMIT 1",
                         target);
  if (!full.ok()) return full.status();
  return SyncResume{*cursor, *full};
}

Result<std::vector<SyncTargetStatus>> SyncState::Targets() {
  sqlite3* h = db_.handle();
  std::vector<SyncTargetStatus> out;
  Statement last(h, std::string("SELECT ") + kColumns +
                        " FROM sync_passes WHERE id IN (SELECT MAX(id) FROM sync_passes"
                        " GROUP BY target) ORDER BY id DESC");
  for (;;) {
    auto r = last.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    SyncTargetStatus t;
    t.last = ReadPass(last);
    out.push_back(std::move(t));
  }
  for (SyncTargetStatus& t : out) {
    const std::string& target = t.last.target;
    auto ok_at = NewestText(
        h, "SELECT finished_at FROM sync_passes WHERE target = ?1 AND ok ORDER BY id DESC LIMIT 1",
        target);
    if (!ok_at.ok()) return ok_at.status();
    t.last_ok_at = *ok_at;
    Statement failed(h,
                     "SELECT error, finished_at FROM sync_passes WHERE target = ?1 AND NOT ok"
                     " ORDER BY id DESC LIMIT 1");
    failed.Bind(1, target);
    auto f = failed.Step();
    if (!f.ok()) return f.status();
    if (*f) {
      t.last_error = failed.Text(0);
      t.last_error_at = failed.Text(1);
    }
    auto in_a_row =
        NewestText(h,
                   "SELECT COUNT(*) FROM sync_passes WHERE target = ?1 AND NOT ok AND id >"
                   " COALESCE((SELECT MAX(id) FROM sync_passes WHERE target = ?1 AND ok), 0)",
                   target);
    if (!in_a_row.ok()) return in_a_row.status();
    t.failures_in_a_row = std::stoi(*in_a_row);
    auto next = NewestText(h,
                           "SELECT next_at FROM sync_passes WHERE target = ?1 AND next_at <> ''"
                           " ORDER BY id DESC LIMIT 1",
                           target);
    if (!next.ok()) return next.status();
    t.next_at = *next;
  }
  return out;
}

}  // namespace checkin::db
