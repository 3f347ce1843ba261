#include "db/roster_import.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
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
  return a.ticket_code == b.ticket_code && a.order_id == b.order_id &&
         a.first_name == b.first_name && a.last_name == b.last_name && a.email == b.email &&
         a.company == b.company && a.ticket_type == b.ticket_type && a.status == b.status &&
         a.upstream_status == b.upstream_status && a.checkin_lists == b.checkin_lists;
}

Status WriteError(const Status& s, const RosterRecord& r) {
  if (s.code() != StatusCode::kInvalidInput) return s;
  return Status::InvalidInput("line " + std::to_string(r.line) + ": ticket_code " + r.ticket_code +
                              " already belongs to another attendee in the database (" +
                              s.message() + ")");
}

}  // namespace

struct RosterApplier::State {
  explicit State(Database& d) : db(d), tx(d.handle()) {}
  Database& db;
  Transaction tx;
  std::string source, now;
  std::unordered_map<std::string, Existing> existing;
  int64_t max_id_before = 0;
  std::unique_ptr<Statement> update, stale;
  ImportSummary sum;
};

RosterApplier::RosterApplier(std::unique_ptr<State> st) : st_(std::move(st)) {}
RosterApplier::~RosterApplier() = default;

Result<std::unique_ptr<RosterApplier>> RosterApplier::Begin(Database& db, const std::string& source,
                                                            const Clock& clock) {
  auto st = std::make_unique<State>(db);
  st->source = source;
  st->now = FormatUtc(clock.Now());
  sqlite3* h = db.handle();
  if (Status s = st->tx.Begin(TxMode::kImmediate); !s.ok()) return s;

  Statement q(
      h,
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
    st->existing.emplace(e.rec.ticket_id, std::move(e));
  }
  Statement max(h, "SELECT COALESCE(MAX(id), 0) FROM attendees");
  auto r = max.Step();
  if (!r.ok()) return r.status();
  st->max_id_before = max.Int(0);

  // Old search terms of rows whose searchable text changes are removed from
  // the index in one statement at the end (see the schema on why not triggers).
  if (Status s = Exec(h,
                      "CREATE TEMP TABLE IF NOT EXISTS fts_stale (id INTEGER PRIMARY KEY,"
                      " first_name, last_name, email, company); DELETE FROM temp.fts_stale;");
      !s.ok()) {
    return s;
  }
  st->update = std::make_unique<Statement>(
      h,
      "UPDATE attendees SET order_id = ?2, ticket_code = ?3, first_name = ?4, last_name = ?5,"
      " email = ?6, company = ?7, ticket_type = ?8, status = ?9, upstream_status = ?10,"
      " checkin_lists = ?11, updated_at = ?12 WHERE id = ?1");
  st->stale = std::make_unique<Statement>(h,
                                          "INSERT INTO temp.fts_stale (id, first_name, last_name, "
                                          "email, company) VALUES (?1, ?2, ?3, ?4, ?5)");
  return std::unique_ptr<RosterApplier>(new RosterApplier(std::move(st)));
}

Status RosterApplier::Add(const std::vector<const RosterRecord*>& records) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  std::vector<const RosterRecord*> fresh;
  for (const RosterRecord* rp : records) {
    const RosterRecord& r = *rp;
    auto it = st.existing.find(r.ticket_id);
    if (it == st.existing.end()) {
      fresh.push_back(rp);  // inserted below, all at once
      continue;
    }
    Existing& e = it->second;
    e.seen = true;
    if (SameData(e.rec, r)) {
      ++st.sum.unchanged;
      continue;
    }
    if (e.rec.first_name != r.first_name || e.rec.last_name != r.last_name ||
        e.rec.email != r.email || e.rec.company != r.company) {
      st.stale->Bind(1, e.id).Bind(2, e.rec.first_name).Bind(3, e.rec.last_name);
      st.stale->Bind(4, e.rec.email).Bind(5, e.rec.company);
      if (Status s = st.stale->Run(); !s.ok()) return s;
    }
    Statement& u = *st.update;
    u.Bind(1, e.id).Bind(2, r.order_id).Bind(3, r.ticket_code).Bind(4, r.first_name);
    u.Bind(5, r.last_name).Bind(6, r.email).Bind(7, r.company).Bind(8, r.ticket_type);
    u.Bind(9, TicketStatusName(r.status)).Bind(10, r.upstream_status);
    u.Bind(11, r.checkin_lists).Bind(12, st.now);
    if (Status s = u.Run(); !s.ok()) return WriteError(s, r);
    if (e.rec.status == TicketStatus::kValid && r.status != TicketStatus::kValid) {
      ++st.sum.cancelled;
    } else {
      ++st.sum.updated;
    }
  }
  if (fresh.empty()) return Status::Ok();

  std::vector<std::string> badge_codes = RandomBase32Batch(fresh.size(), 16);
  for (auto& b : badge_codes) b.insert(0, "B-");
  // New tickets go in with one INSERT ... SELECT straight from memory:
  // row-by-row inserts into the indexed table cost twice as much.
  RecordTable rows(h, fresh, badge_codes);
  if (!rows.status().ok()) return rows.status();
  Statement move(h,
                 "INSERT INTO attendees (source, ticket_id, order_id, ticket_code, badge_code,"
                 " first_name, last_name, email, company, ticket_type, status, upstream_status,"
                 " checkin_lists, created_at, updated_at)"
                 " SELECT ?1, ticket_id, order_id, ticket_code, badge_code, first_name, last_name,"
                 " email, company, ticket_type, status, upstream_status, checkin_lists, ?2, ?2"
                 " FROM checkin_import_rows");
  move.Bind(1, st.source).Bind(2, st.now);
  if (Status s = move.Run(); !s.ok()) {
    if (s.code() != StatusCode::kInvalidInput) return s;
    // A new ticket reuses a code another source's (or an older) ticket owns.
    // The failed statement left nothing behind; find the line to name it.
    Statement clash(h,
                    "SELECT n.line, n.ticket_code, a.source FROM checkin_import_rows n"
                    " JOIN attendees a ON a.ticket_code = n.ticket_code ORDER BY n.line LIMIT 1");
    auto r = clash.Step();
    if (!r.ok()) return r.status();
    if (!*r) return s;
    return Status::InvalidInput("line " + std::to_string(clash.Int(0)) + ": ticket_code " +
                                clash.Text(1) + " already belongs to another attendee (source " +
                                clash.Text(2) + ")");
  }
  st.sum.added += static_cast<int>(fresh.size());
  return Status::Ok();
}

Result<ImportSummary> RosterApplier::Finish(const RosterSnapshot& info, MissingPolicy missing,
                                            ImportMode mode) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  ImportSummary& sum = st.sum;
  sum.format = std::string(RosterFormatName(info.format));
  sum.encoding = info.encoding;
  sum.rows = info.total_rows;
  sum.duplicate_rows = info.duplicate_rows;
  sum.dry_run = mode == ImportMode::kDryRun;

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
  index.Bind(1, st.max_id_before);
  if (Status s = index.Run(); !s.ok()) return s;

  if (info.full_export) {
    Statement cancel(h,
                     "UPDATE attendees SET status = 'cancelled', upstream_status = ?2,"
                     " updated_at = ?3 WHERE id = ?1");
    for (auto& [ticket_id, e] : st.existing) {
      if (e.seen || e.rec.status != TicketStatus::kValid) continue;
      sum.missing.push_back({ticket_id, e.rec.first_name + " " + e.rec.last_name});
      if (missing == MissingPolicy::kCancel) {
        cancel.Bind(1, e.id).Bind(2, "missing from export " + info.origin).Bind(3, st.now);
        if (Status s = cancel.Run(); !s.ok()) return s;
        ++sum.missing_cancelled;
      }
    }
  }

  Statement log(
      h,
      "INSERT INTO imports (at, format, origin, encoding, rows, added, updated, cancelled,"
      " unchanged, missing, missing_cancelled)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  log.Bind(1, st.now).Bind(2, st.source).Bind(3, info.origin).Bind(4, info.encoding);
  log.Bind(5, int64_t{sum.rows}).Bind(6, int64_t{sum.added}).Bind(7, int64_t{sum.updated});
  log.Bind(8, int64_t{sum.cancelled}).Bind(9, int64_t{sum.unchanged});
  log.Bind(10, static_cast<int64_t>(sum.missing.size())).Bind(11, int64_t{sum.missing_cancelled});
  if (Status s = log.Run(); !s.ok()) return s;

  if (mode == ImportMode::kDryRun) return sum;  // the transaction rolls back
  if (Status s = st.tx.Commit(); !s.ok()) return s;
  return sum;
}

Result<ImportSummary> ApplyRoster(Database& db, const RosterSnapshot& snap, MissingPolicy missing,
                                  ImportMode mode, const Clock& clock) {
  auto applier = RosterApplier::Begin(
      db, snap.source.empty() ? std::string(RosterFormatName(snap.format)) : snap.source, clock);
  if (!applier.ok()) return applier.status();
  std::vector<const RosterRecord*> all;
  all.reserve(snap.records.size());
  for (const RosterRecord& r : snap.records) all.push_back(&r);
  if (Status s = (*applier)->Add(all); !s.ok()) return s;
  return (*applier)->Finish(snap, missing, mode);
}

namespace {

// Carries a streaming source's batches from its thread to the database's.
class BatchQueue {
 public:
  void Start(RosterFormat format, const std::string& source) {
    std::lock_guard<std::mutex> lock(mu_);
    source_ = source;
    format_ = format;
    started_ = true;
    cv_.notify_one();
  }
  void Push(RecordBatch&& b) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return;
    batches_.push_back(std::move(b));
    cv_.notify_one();
  }
  void Close(Result<RosterSnapshot> result) {
    std::lock_guard<std::mutex> lock(mu_);
    result_.emplace(std::move(result));
    cv_.notify_one();
  }
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  bool cancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }
  // The roster's source name, or nullopt when the stream ended without one.
  std::optional<std::string> WaitStart() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return started_ || result_.has_value(); });
    if (!started_) return std::nullopt;
    return source_;
  }
  // The next batch; nullopt once the stream has ended and all were taken.
  std::optional<RecordBatch> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !batches_.empty() || result_.has_value(); });
    if (batches_.empty()) return std::nullopt;
    RecordBatch b = std::move(batches_.front());
    batches_.pop_front();
    return b;
  }
  Result<RosterSnapshot> TakeResult() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(*result_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false, cancelled_ = false;
  std::string source_;
  RosterFormat format_ = RosterFormat::kGeneric;
  std::deque<RecordBatch> batches_;
  std::optional<Result<RosterSnapshot>> result_;
};

}  // namespace

Result<ImportSummary> ImportRoster(Database& db, RegistrationSource& source, MissingPolicy missing,
                                   ImportMode mode, const Clock& clock,
                                   const std::function<void(size_t)>& progress) {
  // The source reads and checks on its own thread while this one stores what
  // it has checked so far; all of it in one transaction, so any error, on
  // either side, still changes nothing.
  BatchQueue queue;
  std::thread reader([&] {
    StreamCallbacks cb;
    cb.on_start = [&](RosterFormat f, const std::string& s) { queue.Start(f, s); };
    cb.on_batch = [&](RecordBatch&& b) { queue.Push(std::move(b)); };
    cb.keep_going = [&] { return !queue.cancelled(); };
    queue.Close(source.Stream(cb));
  });
  // Batches stay alive until the end: their records are the reader's
  // allocations, and freeing them here, mid-import, would contend with it.
  std::vector<RecordBatch> done;
  auto stop = [&](const Status& s) {
    queue.Cancel();
    reader.join();
    return s;
  };

  auto source_name = queue.WaitStart();
  if (!source_name) {
    reader.join();
    return queue.TakeResult().status();
  }
  auto applier = RosterApplier::Begin(db, *source_name, clock);
  if (!applier.ok()) return stop(applier.status());
  size_t rows = 0;
  while (auto batch = queue.Pop()) {
    if (Status s = (*applier)->Add(batch->records); !s.ok()) return stop(s);
    rows += batch->records.size();
    if (progress) progress(rows);
    done.push_back(std::move(*batch));
  }
  reader.join();
  auto info = queue.TakeResult();
  if (!info.ok()) return info.status();
  return (*applier)->Finish(*info, missing, mode);
}

}  // namespace checkin::db
