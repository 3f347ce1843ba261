#include "db/roster_import.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/random.h"
#include "db/record_table.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

// The import is staged on the importer's own connection (a TEMP table, which
// takes no lock on the event file) and applied to `attendees` in one short
// write transaction at the end: the doors' redeems need the write lock, and
// reading, checking and staging a big export takes seconds. kDropStage runs
// first, since an applier that failed may have left its stage behind.
constexpr const char* kDropStage =
    "DROP TABLE IF EXISTS temp.roster_stage; DROP TABLE IF EXISTS temp.roster_match;";
constexpr const char* kCreateStage =
    "CREATE TEMP TABLE roster_stage (ticket_id TEXT NOT NULL UNIQUE, line INTEGER NOT NULL,"
    " order_id, ticket_code, badge_code, first_name, last_name, email, company, ticket_type,"
    " status, upstream_status, checkin_lists);"
    // The staged tickets this source already has, matched inside the final
    // transaction, with their old searchable text for the search index.
    "CREATE TEMP TABLE roster_match (ticket_id TEXT PRIMARY KEY, id INTEGER NOT NULL,"
    " same INTEGER, cancels INTEGER, text_changed INTEGER, code_changed INTEGER,"
    " first_name, last_name, email, company) WITHOUT ROWID;";

// CROSS JOIN keeps attendees as the outer loop: it has no index on ticket_id,
// the stage has.
constexpr const char* kMatch =
    "INSERT INTO temp.roster_match SELECT s.ticket_id, a.id,"
    " a.order_id = s.order_id AND a.ticket_code = s.ticket_code"
    "   AND a.first_name = s.first_name AND a.last_name = s.last_name AND a.email = s.email"
    "   AND a.company = s.company AND a.ticket_type = s.ticket_type AND a.status = s.status"
    "   AND a.upstream_status = s.upstream_status AND a.checkin_lists = s.checkin_lists,"
    " a.status = 'valid' AND s.status <> 'valid',"
    " a.first_name <> s.first_name OR a.last_name <> s.last_name OR a.email <> s.email"
    "   OR a.company <> s.company,"
    " a.ticket_code <> s.ticket_code,"
    " a.first_name, a.last_name, a.email, a.company"
    " FROM main.attendees a CROSS JOIN temp.roster_stage s ON s.ticket_id = a.ticket_id"
    " WHERE a.source = ?1";

// Codes that move are first parked on a value no text equals (a blob), so
// two tickets can swap codes: SQLite checks UNIQUE row by row.
constexpr const char* kParkCodes =
    "UPDATE main.attendees SET ticket_code = CAST('moving ' || id AS BLOB)"
    " WHERE id IN (SELECT id FROM temp.roster_match WHERE code_changed)";

constexpr const char* kUpdate =
    "UPDATE main.attendees AS a SET order_id = s.order_id, ticket_code = s.ticket_code,"
    " first_name = s.first_name, last_name = s.last_name, email = s.email, company = s.company,"
    " ticket_type = s.ticket_type, status = s.status, upstream_status = s.upstream_status,"
    " checkin_lists = s.checkin_lists, updated_at = ?1"
    " FROM temp.roster_match m JOIN temp.roster_stage s ON s.ticket_id = m.ticket_id"
    " WHERE a.id = m.id AND NOT m.same";

// In file order, so new tickets get ids in the order of the export.
constexpr const char* kInsert =
    "INSERT INTO main.attendees (source, ticket_id, order_id, ticket_code, badge_code,"
    " first_name, last_name, email, company, ticket_type, status, upstream_status,"
    " checkin_lists, created_at, updated_at)"
    " SELECT ?1, ticket_id, order_id, ticket_code, badge_code, first_name, last_name, email,"
    " company, ticket_type, status, upstream_status, checkin_lists, ?2, ?2"
    " FROM temp.roster_stage s"
    " WHERE NOT EXISTS (SELECT 1 FROM temp.roster_match m WHERE m.ticket_id = s.ticket_id)"
    " ORDER BY s.rowid";

// Old search terms of rows whose searchable text changes leave the index in
// one statement and the new ones enter in another (see the schema on why
// not triggers).
constexpr const char* kIndexOut =
    "INSERT INTO main.attendees_fts (attendees_fts, rowid, first_name, last_name, email,"
    " company) SELECT 'delete', id, first_name, last_name, email, company"
    " FROM temp.roster_match WHERE text_changed";
constexpr const char* kIndexIn =
    "INSERT INTO main.attendees_fts (rowid, first_name, last_name, email, company)"
    " SELECT id, first_name, last_name, email, company FROM main.attendees"
    " WHERE id > ?1 OR id IN (SELECT id FROM temp.roster_match WHERE text_changed)";

Result<int64_t> QueryInt(sqlite3* h, const char* sql) {
  Statement q(h, sql);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  return *r ? q.Int(0) : 0;
}

// Imports are the only writers of attendees and each logs itself: the last
// import's id tells whether attendees changed since a match.
Result<int64_t> LastImportId(sqlite3* h) {
  return QueryInt(h, "SELECT COALESCE(MAX(id), 0) FROM main.imports");
}

// Names the first staged line whose code another ticket still holds, once a
// write has failed on the UNIQUE constraint. Codes stay out of the message:
// they are what gets a person in.
Status CodeClash(sqlite3* h, const std::string& source, const Status& failed) {
  Statement q(h,
              "SELECT s.line, a.source, o.line FROM temp.roster_stage s"
              " JOIN main.attendees a ON a.ticket_code = s.ticket_code"
              " LEFT JOIN temp.roster_stage o ON a.source = ?1 AND o.ticket_id = a.ticket_id"
              " WHERE NOT (a.source = ?1 AND a.ticket_id = s.ticket_id) ORDER BY s.line LIMIT 1");
  q.Bind(1, source);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) return failed;
  const std::string line = "line " + std::to_string(q.Int(0)) + ": ";
  if (!q.IsNull(2)) {
    return Status::InvalidInput(line + "its ticket_code is still the code of the ticket at line " +
                                std::to_string(q.Int(2)) +
                                "; a code can move to another ticket only if its old ticket "
                                "takes a new one in the same file");
  }
  return Status::InvalidInput(
      line + "its ticket_code already belongs to another attendee (source " + q.Text(1) +
      ", a ticket not in this file); fix the code in the export or the "
      "other ticket first");
}

}  // namespace

struct RosterApplier::State {
  explicit State(Database& d) : db(d) {}
  ~State() { static_cast<void>(Exec(db.handle(), kDropStage)); }  // frees the staged rows
  Database& db;
  std::string source, now;
  ImportSummary sum;
  int64_t matched_at = -1;           // the last import id Match saw
  std::vector<int64_t> missing_ids;  // as Match found them
};

RosterApplier::RosterApplier(std::unique_ptr<State> st) : st_(std::move(st)) {}
RosterApplier::~RosterApplier() = default;

Result<std::unique_ptr<RosterApplier>> RosterApplier::Begin(Database& db, const std::string& source,
                                                            const Clock& clock) {
  if (Status s = Exec(db.handle(), kDropStage); !s.ok()) return s;
  if (Status s = Exec(db.handle(), kCreateStage); !s.ok()) return s;
  auto st = std::make_unique<State>(db);
  st->source = source;
  st->now = FormatUtc(clock.Now());
  return std::unique_ptr<RosterApplier>(new RosterApplier(std::move(st)));
}

Status RosterApplier::Add(const std::vector<const RosterRecord*>& records) {
  if (records.empty()) return Status::Ok();
  sqlite3* h = st_->db.handle();
  // Every staged row gets a badge code; only the new tickets keep theirs.
  std::vector<std::string> badge_codes = RandomBase32Batch(records.size(), 16);
  for (auto& b : badge_codes) b.insert(0, "B-");
  // One INSERT ... SELECT straight from memory, in autocommit: it writes the
  // TEMP database only, so the event file stays unlocked between batches.
  RecordTable rows(h, records, badge_codes);
  if (!rows.status().ok()) return rows.status();
  Statement stage(h,
                  "INSERT INTO temp.roster_stage (ticket_id, line, order_id, ticket_code,"
                  " badge_code, first_name, last_name, email, company, ticket_type, status,"
                  " upstream_status, checkin_lists)"
                  " SELECT ticket_id, line, order_id, ticket_code, badge_code, first_name,"
                  " last_name, email, company, ticket_type, status, upstream_status, checkin_lists"
                  " FROM checkin_import_rows");
  if (Status s = stage.Run(); !s.ok()) {
    if (s.code() != StatusCode::kInvalidInput) return s;
    return Status::InvalidInput("a ticket_id appears twice in the export (" + s.message() + ")");
  }
  return Status::Ok();
}

// Matches the stage against the tickets of this source as they are now:
// counts, and the valid tickets a full export no longer lists. It only reads
// the event, so it runs before the write lock and again under it only if an
// import committed in between (imports are the only writers of attendees and
// each logs itself in `imports`).
Status RosterApplier::Match(const RosterSnapshot& info) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  ImportSummary& sum = st.sum;
  auto version = LastImportId(h);
  if (!version.ok()) return version.status();
  st.matched_at = *version;
  if (Status s = Exec(h, "DELETE FROM temp.roster_match"); !s.ok()) return s;
  Statement match(h, kMatch);
  match.Bind(1, st.source);
  if (Status s = match.Run(); !s.ok()) return s;
  Statement counts(h,
                   "SELECT (SELECT count(*) FROM temp.roster_stage), count(*), total(same),"
                   " total(NOT same AND cancels) FROM temp.roster_match");
  if (auto r = counts.Step(); !r.ok()) return r.status();
  sum.added = static_cast<int>(counts.Int(0) - counts.Int(1));
  sum.unchanged = static_cast<int>(counts.Int(2));
  sum.cancelled = static_cast<int>(counts.Int(3));
  sum.updated = static_cast<int>(counts.Int(1)) - sum.unchanged - sum.cancelled;
  counts.Reset();

  sum.missing.clear();
  st.missing_ids.clear();
  if (!info.full_export) return Status::Ok();
  Statement q(h,
              "SELECT a.id, a.ticket_id, a.first_name || ' ' || a.last_name"
              " FROM main.attendees a WHERE a.source = ?1 AND a.status = 'valid' AND NOT EXISTS"
              " (SELECT 1 FROM temp.roster_stage s WHERE s.ticket_id = a.ticket_id) ORDER BY a.id");
  q.Bind(1, st.source);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    st.missing_ids.push_back(q.Int(0));
    sum.missing.push_back({q.Text(1), q.Text(2)});
  }
  return Status::Ok();
}

// Writes the matched stage; runs under the write lock.
Status RosterApplier::Apply(const RosterSnapshot& info, MissingPolicy missing) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  auto version = LastImportId(h);
  if (!version.ok()) return version.status();
  if (*version != st.matched_at) {
    if (Status s = Match(info); !s.ok()) return s;
  }
  if (missing == MissingPolicy::kCancel) {
    Statement cancel(h,
                     "UPDATE main.attendees SET status = 'cancelled', upstream_status = ?2,"
                     " updated_at = ?3 WHERE id = ?1");
    for (int64_t id : st.missing_ids) {
      cancel.Bind(1, id).Bind(2, "missing from export " + info.origin).Bind(3, st.now);
      if (Status s = cancel.Run(); !s.ok()) return s;
      ++st.sum.missing_cancelled;
    }
  }
  auto max_id = QueryInt(h, "SELECT COALESCE(MAX(id), 0) FROM main.attendees");
  if (!max_id.ok()) return max_id.status();
  if (Status s = Exec(h, kIndexOut); !s.ok()) return s;
  if (Status s = Exec(h, kParkCodes); !s.ok()) return s;
  Statement update(h, kUpdate);
  update.Bind(1, st.now);
  if (Status s = update.Run(); !s.ok()) {
    return s.code() == StatusCode::kInvalidInput ? CodeClash(h, st.source, s) : s;
  }
  Statement insert(h, kInsert);
  insert.Bind(1, st.source).Bind(2, st.now);
  if (Status s = insert.Run(); !s.ok()) {
    return s.code() == StatusCode::kInvalidInput ? CodeClash(h, st.source, s) : s;
  }
  Statement index(h, kIndexIn);
  index.Bind(1, *max_id);
  return index.Run();
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

  {
    // A read snapshot: redeems go on writing meanwhile.
    Transaction read(h);
    if (Status s = read.Begin(TxMode::kDeferred); !s.ok()) return s;
    if (Status s = Match(info); !s.ok()) return s;
    if (Status s = read.Commit(); !s.ok()) return s;
  }
  // The only time the import holds the write lock. A dry run takes it too, so
  // that its figures and conflicts are exactly those of the real thing.
  Transaction tx(h);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  if (Status s = Apply(info, missing); !s.ok()) return s;

  Statement log(
      h,
      "INSERT INTO main.imports (at, format, origin, encoding, rows, added, updated, cancelled,"
      " unchanged, missing, missing_cancelled)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  log.Bind(1, st.now).Bind(2, st.source).Bind(3, info.origin).Bind(4, info.encoding);
  log.Bind(5, int64_t{sum.rows}).Bind(6, int64_t{sum.added}).Bind(7, int64_t{sum.updated});
  log.Bind(8, int64_t{sum.cancelled}).Bind(9, int64_t{sum.unchanged});
  log.Bind(10, static_cast<int64_t>(sum.missing.size())).Bind(11, int64_t{sum.missing_cancelled});
  if (Status s = log.Run(); !s.ok()) return s;

  if (mode == ImportMode::kDryRun) return sum;  // the transaction rolls back
  if (Status s = tx.Commit(); !s.ok()) return s;
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
  // The source reads and checks on its own thread while this one stages what
  // it has checked so far; the stage reaches the event only in Finish's one
  // transaction, so any error, on either side, still changes nothing.
  BatchQueue queue;
  std::thread reader([&] {
    StreamCallbacks cb;
    cb.on_start = [&](RosterFormat f, const std::string& s) { queue.Start(f, s); };
    cb.on_batch = [&](RecordBatch&& b) { queue.Push(std::move(b)); };
    cb.keep_going = [&] { return !queue.cancelled(); };
    queue.Close(source.Stream(cb));
  });
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
    if (progress) progress(rows);  // the batch is staged: its records can go
  }
  reader.join();
  auto info = queue.TakeResult();
  if (!info.ok()) return info.status();
  return (*applier)->Finish(*info, missing, mode);
}

}  // namespace checkin::db
