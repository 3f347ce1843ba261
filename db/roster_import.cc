#include "db/roster_import.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/random.h"
#include "db/attendee_row.h"
#include "db/platform_rules_store.h"
#include "db/record_table.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

// The import is staged on the importer's own connection (a TEMP table, which
// takes no lock on the event file) and applied to `attendees` in one short
// write transaction at the end: the doors' redeems need the write lock, and
// reading, checking and staging a big export takes seconds. kDropStage runs
// first, since an applier that failed may have left its stage behind.
//
// Writing many new tickets is itself long (about a second for 100,000, most
// of it their unique codes and search terms), so above kChunkRows they go in
// ahead of the final transaction, in chunks of a few milliseconds, under an
// import run that keeps them invisible until the final transaction ends the
// run (see import_runs in db/schema.cc). One run at a time per event: an import waits
// for another's run to end, and clears a run whose importer died.
constexpr const char* kDropStage =
    "DROP TABLE IF EXISTS temp.roster_stage; DROP TABLE IF EXISTS temp.roster_match;"
    " DROP TABLE IF EXISTS temp.roster_early; DROP TABLE IF EXISTS temp.roster_new;";
constexpr int64_t kChunkRows = 1000;
// A chunk aims at holding the write lock about kChunkHold (its size follows
// what the last one took), then leaves it free as long, so that redeems
// waiting for it (they poll every 100 µs, see db/database.cc) get in: a
// redeem waits at most about one chunk. Until another connection writes, and
// once none has for kDoorsIdleAfter, nobody is waiting: chunks grow to
// kChunkHoldIdle with only kChunkGap between them, so that a first import
// into a new event is not many times slower for doors that are not there (a
// door that starts meanwhile waits for one such chunk, once).
constexpr std::chrono::microseconds kChunkHold{600};
constexpr std::chrono::microseconds kChunkHoldIdle{100000};
constexpr std::chrono::microseconds kChunkGap{300};
constexpr std::chrono::seconds kDoorsIdleAfter{10};
constexpr int64_t kChunkFirstRows = 64, kChunkMinRows = 16, kChunkMaxRows = 20000;
// A run whose alive_at has not moved for this long has lost its importer:
// a live one moves it every second.
constexpr std::chrono::seconds kRunStaleAfter{30};
// How long an import waits for another's run (a run lasts about as long as
// writing its rows: seconds), before giving up with "try again".
constexpr int kRunWaitTries = 600;
constexpr std::chrono::milliseconds kRunWaitPause{100};
constexpr const char* kCreateStage =
    "CREATE TEMP TABLE roster_stage (ticket_id TEXT NOT NULL UNIQUE, line INTEGER NOT NULL,"
    " order_id, ticket_code, badge_code, first_name, last_name, email, company, ticket_type,"
    " status, upstream_status, checkin_lists, blocked, valid_from, valid_until);"
    "CREATE INDEX temp.roster_stage_by_code ON roster_stage (ticket_code);"
    // The staged tickets this source already has, matched inside the final
    // transaction, with their old searchable text for the search index.
    "CREATE TEMP TABLE roster_match (ticket_id TEXT PRIMARY KEY, id INTEGER NOT NULL,"
    " same INTEGER, cancels INTEGER, text_changed INTEGER, code_changed INTEGER,"
    " first_name, last_name, email, company) WITHOUT ROWID;"
    // The staged rows that are new tickets, by the stage's rowid, less those
    // written ahead; kept so the final step does not scan the whole stage.
    "CREATE TEMP TABLE roster_new (row INTEGER PRIMARY KEY);"
    // The staged new tickets written ahead under this import's run.
    "CREATE TEMP TABLE roster_early (ticket_id TEXT PRIMARY KEY, id INTEGER NOT NULL)"
    " WITHOUT ROWID;";

// CROSS JOIN keeps attendees as the outer loop: it has no index on ticket_id,
// the stage has. Rows of a run (ours included) are not tickets yet.
const std::string kMatch =
    std::string() +
    "INSERT INTO temp.roster_match SELECT s.ticket_id, a.id,"
    " a.order_id = s.order_id AND a.ticket_code = s.ticket_code"
    "   AND a.first_name = s.first_name AND a.last_name = s.last_name AND a.email = s.email"
    "   AND a.company = s.company AND a.ticket_type = s.ticket_type AND a.status = s.status"
    "   AND a.upstream_status = s.upstream_status AND a.checkin_lists = s.checkin_lists"
    "   AND a.blocked = s.blocked AND a.valid_from = s.valid_from"
    "   AND a.valid_until = s.valid_until,"
    " a.status = 'valid' AND s.status <> 'valid',"
    " a.first_name <> s.first_name OR a.last_name <> s.last_name OR a.email <> s.email"
    "   OR a.company <> s.company,"
    " a.ticket_code <> s.ticket_code,"
    " a.first_name, a.last_name, a.email, a.company"
    " FROM main.attendees a CROSS JOIN temp.roster_stage s ON s.ticket_id = a.ticket_id"
    " WHERE a.source = ?1 AND " +
    kVisible +
    // A signed ticket admitted before it was synced (db/checkin_desk.cc) is
    // the staged ticket with its code: it takes the ticket's id and data,
    // keeping its check-ins. Unless the source already has that ticket id.
    " UNION ALL SELECT s.ticket_id, a.id, 0, a.status = 'valid' AND s.status <> 'valid',"
    " 1, 0, a.first_name, a.last_name, a.email, a.company"
    " FROM main.attendees a JOIN temp.roster_stage s ON s.ticket_code = a.ticket_code"
    " WHERE a.source = ?1 AND a.upstream_status = '" +
    kSignedNotSynced +
    "' AND NOT EXISTS (SELECT 1 FROM main.attendees o WHERE o.source = ?1"
    " AND o.ticket_id = s.ticket_id) AND " +
    kVisible;

// Codes that move are first parked on a value no text equals (a blob), so
// two tickets can swap codes: SQLite checks UNIQUE row by row.
constexpr const char* kParkCodes =
    "UPDATE main.attendees SET ticket_code = CAST('moving ' || id AS BLOB)"
    " WHERE id IN (SELECT id FROM temp.roster_match WHERE code_changed)";

constexpr const char* kUpdate =
    "UPDATE main.attendees AS a SET ticket_id = s.ticket_id, order_id = s.order_id,"
    " ticket_code = s.ticket_code,"
    " first_name = s.first_name, last_name = s.last_name, email = s.email, company = s.company,"
    " ticket_type = s.ticket_type, status = s.status, upstream_status = s.upstream_status,"
    " checkin_lists = s.checkin_lists, blocked = s.blocked, valid_from = s.valid_from,"
    " valid_until = s.valid_until, updated_at = ?1, rev = ?2"
    " FROM temp.roster_match m JOIN temp.roster_stage s ON s.ticket_id = m.ticket_id"
    " WHERE a.id = m.id AND NOT m.same";

// New tickets from the stage, source ?1, created at ?2, in file order (so
// they get ids in the order of the export). `run` is the import_run value,
// `rev` their revision, `rows` a condition on the stage rowid n.row.
std::string InsertNew(const std::string& verb, const std::string& run, const std::string& rev,
                      const std::string& rows) {
  return verb +
         " INTO main.attendees (source, ticket_id, order_id, ticket_code, badge_code,"
         " first_name, last_name, email, company, ticket_type, status, upstream_status,"
         " checkin_lists, blocked, valid_from, valid_until, created_at, updated_at, import_run, "
         "rev)"
         " SELECT ?1, ticket_id, order_id, ticket_code, badge_code, first_name, last_name, email,"
         " company, ticket_type, status, upstream_status, checkin_lists, blocked, valid_from,"
         " valid_until, ?2, ?2, " +
         run + ", " + rev +
         " FROM temp.roster_new n JOIN temp.roster_stage s ON s.rowid = n.row WHERE " + rows +
         " ORDER BY n.row";
}

// The final step's: whatever is left of the new tickets.
const std::string kInsert = InsertNew("INSERT", "NULL", "?3", "1");

// A chunk of the new tickets, written ahead under run ?3. A row whose code
// another row holds is left for the final step, which can move codes and
// names the clash (OR IGNORE skips only such rows: the stage was checked).
const std::string kInsertEarly =
    InsertNew("INSERT OR IGNORE", "?3", "?6", "n.row BETWEEN ?4 AND ?5");

// The revision the next write to attendees gives its rows (see the 3 -> 4
// migration in db/schema.cc). Read under the write lock.
constexpr const char* kNextRev = "SELECT COALESCE(MAX(rev), 0) + 1 FROM main.attendees";

// Rows written ahead that a re-match found to be tickets another import
// added meanwhile: they go, and the final step updates those tickets.
constexpr const char* kDropEarlyMatched =
    "INSERT INTO main.attendees_fts (attendees_fts, rowid, first_name, last_name, email, company)"
    " SELECT 'delete', a.id, a.first_name, a.last_name, a.email, a.company"
    " FROM temp.roster_early e JOIN temp.roster_match m USING (ticket_id)"
    " JOIN main.attendees a ON a.id = e.id;"
    "DELETE FROM main.attendees WHERE id IN"
    " (SELECT e.id FROM temp.roster_early e JOIN temp.roster_match m USING (ticket_id));"
    "DELETE FROM temp.roster_early WHERE ticket_id IN (SELECT ticket_id FROM temp.roster_match);"
    "DELETE FROM temp.roster_new WHERE row IN"
    " (SELECT s.rowid FROM temp.roster_early e JOIN temp.roster_stage s USING (ticket_id));";

// Old search terms of rows whose searchable text changes leave the index in
// one statement and the new ones enter in another (see the schema on why
// not triggers).
constexpr const char* kIndexOut =
    "INSERT INTO main.attendees_fts (attendees_fts, rowid, first_name, last_name, email,"
    " company) SELECT 'delete', id, first_name, last_name, email, company"
    " FROM temp.roster_match WHERE text_changed";
constexpr const char* kIndexNew =
    "INSERT INTO main.attendees_fts (rowid, first_name, last_name, email, company)"
    " SELECT id, first_name, last_name, email, company FROM main.attendees WHERE id > ?1";
constexpr const char* kIndexChanged =
    "INSERT INTO main.attendees_fts (rowid, first_name, last_name, email, company)"
    " SELECT id, first_name, last_name, email, company FROM main.attendees"
    " WHERE id IN (SELECT id FROM temp.roster_match WHERE text_changed)";

// Once counted, a matched ticket that is the same as staged needs nothing:
// the final step then only reads what changes.
constexpr const char* kDropSame = "DELETE FROM temp.roster_match WHERE same";

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

// The import runs listed besides `own`: whether one is alive, and those
// whose importer died.
struct OtherRuns {
  bool live = false;
  std::vector<int64_t> stale;
};
Result<OtherRuns> ListOtherRuns(sqlite3* h, int64_t own, const Clock& clock) {
  Statement q(h, "SELECT id, alive_at < ?2 FROM main.import_runs WHERE id <> ?1");
  q.Bind(1, own).Bind(2, FormatUtc(clock.Now() - kRunStaleAfter));
  OtherRuns out;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    if (q.Int(1) != 0) {
      out.stale.push_back(q.Int(0));
    } else {
      out.live = true;
    }
  }
  return out;
}

// Removes a run's rows and then the run, in short transactions. The run is
// marked first, which stops its importer (if it was only slow) from writing
// more; every delete checks the run is still listed, so the rows of a run
// that ended (and became tickets) are never touched.
Status ClearRun(sqlite3* h, int64_t run) {
  Statement mark(h, "UPDATE main.import_runs SET clearing = 1 WHERE id = ?1");
  mark.Bind(1, run);
  if (Status s = mark.Run(); !s.ok()) return s;
  std::vector<int64_t> ids;
  {
    Statement q(h, "SELECT id FROM main.attendees WHERE import_run = ?1 ORDER BY id");
    q.Bind(1, run);
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      ids.push_back(q.Int(0));
    }
  }
  constexpr const char* kListed = "EXISTS (SELECT 1 FROM main.import_runs WHERE id = ?2)";
  Statement unindex(h, std::string("INSERT INTO main.attendees_fts (attendees_fts, rowid,"
                                   " first_name, last_name, email, company)"
                                   " SELECT 'delete', id, first_name, last_name, email, company"
                                   " FROM main.attendees WHERE id = ?1 AND import_run = ?2 AND ") +
                           kListed);
  Statement remove(
      h,
      std::string("DELETE FROM main.attendees WHERE id = ?1 AND import_run = ?2 AND ") + kListed);
  for (size_t i = 0; i < ids.size(); i += kChunkRows) {
    Transaction tx(h);
    if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
    for (size_t j = i; j < std::min(ids.size(), i + kChunkRows); ++j) {
      unindex.Bind(1, ids[j]).Bind(2, run);
      if (Status s = unindex.Run(); !s.ok()) return s;
      remove.Bind(1, ids[j]).Bind(2, run);
      if (Status s = remove.Run(); !s.ok()) return s;
    }
    if (Status s = tx.Commit(); !s.ok()) return s;
  }
  Statement end(h, "DELETE FROM main.import_runs WHERE id = ?1");
  end.Bind(1, run);
  return end.Run();
}

}  // namespace

struct RosterApplier::State {
  State(Database& d, const Clock& c) : db(d), clock(c) {}
  ~State() {
    // Finish ends or clears its run; this is for an applier dropped midway.
    if (run != 0) static_cast<void>(ClearRun(db.handle(), run));
    static_cast<void>(Exec(db.handle(), kDropStage));  // frees the staged rows
  }
  Database& db;
  const Clock& clock;
  int64_t run = 0;  // this import's run while it has one
  int64_t rev = 0;  // the revision its rows get: its run's, or taken by the final step
  std::optional<std::chrono::steady_clock::time_point> beat_at;  // its alive_at last moved
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
  auto st = std::make_unique<State>(db, clock);
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
  Statement stage(
      h,
      "INSERT OR REPLACE INTO temp.roster_stage (ticket_id, line, order_id, ticket_code,"
      " badge_code, first_name, last_name, email, company, ticket_type, status,"
      " upstream_status, checkin_lists, blocked, valid_from, valid_until)"
      " SELECT ticket_id, line, order_id, ticket_code, badge_code, first_name,"
      " last_name, email, company, ticket_type, status, upstream_status, checkin_lists,"
      " blocked, valid_from, valid_until FROM checkin_import_rows");
  // A ticket staged again replaces its earlier copy: an API lists a ticket
  // twice when its order changes while the pages are read, and the later
  // copy is the newer. Exports reach here with their repeats already refused
  // (RosterMapper).
  if (Status s = stage.Run(); !s.ok()) return s;
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
  if (Status s = Exec(h,
                      "DELETE FROM temp.roster_new; INSERT INTO temp.roster_new SELECT s.rowid"
                      " FROM temp.roster_stage s WHERE NOT EXISTS"
                      " (SELECT 1 FROM temp.roster_match m WHERE m.ticket_id = s.ticket_id)");
      !s.ok())
    return s;

  sum.missing.clear();
  st.missing_ids.clear();
  if (!info.full_export) return Status::Ok();
  Statement q(h, std::string("SELECT a.id, a.ticket_id, a.first_name || ' ' || a.last_name"
                             " FROM main.attendees a WHERE a.source = ?1 AND a.status = 'valid'"
                             " AND NOT EXISTS (SELECT 1 FROM temp.roster_stage s"
                             " WHERE s.ticket_id = a.ticket_id) AND NOT (a.upstream_status = '") +
                     kSignedNotSynced +
                     "' AND EXISTS (SELECT 1 FROM temp.roster_stage s"
                     " WHERE s.ticket_code = a.ticket_code)) AND " +
                     kVisible + " ORDER BY a.id");
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

// Moves this import's run on, under the write lock: fails if the run is
// gone or being cleared (another import took it for dead).
Status RosterApplier::KeepRun() {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  Statement listed(h, "SELECT count(*) FROM main.import_runs WHERE id = ?1 AND NOT clearing");
  listed.Bind(1, st.run);
  auto r = listed.Step();
  if (!r.ok()) return r.status();
  if (listed.Int(0) != 1) {
    return Status::Unavailable(
        "another import took this one for abandoned and removed what it had written; nothing "
        "changed: run it again");
  }
  // A write per second is enough to show the run alive (stale after 30 s).
  const auto now = st.clock.Monotonic();
  if (st.beat_at && now - *st.beat_at < std::chrono::seconds(1)) return Status::Ok();
  st.beat_at = now;
  Statement beat(h, "UPDATE main.import_runs SET alive_at = ?2 WHERE id = ?1");
  beat.Bind(1, st.run).Bind(2, FormatUtc(st.clock.Now()));
  return beat.Run();
}

Status RosterApplier::Exclusive(const std::function<Status(Transaction&)>& write) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  for (int tries = 0;; ++tries) {
    OtherRuns others;
    {
      Transaction tx(h);
      if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
      auto listed = ListOtherRuns(h, st.run, st.clock);
      if (!listed.ok()) return listed.status();
      if (!listed->live && listed->stale.empty()) return write(tx);
      others = std::move(*listed);
    }  // rolled back: clearing takes transactions of its own
    for (int64_t run : others.stale) {
      if (Status s = ClearRun(h, run); !s.ok()) return s;
    }
    if (!others.live) continue;
    if (tries >= kRunWaitTries) {
      return Status::Unavailable(
          "another roster import is writing to this event; nothing changed: try again when it "
          "has finished");
    }
    std::this_thread::sleep_for(kRunWaitPause);
  }
}

Status RosterApplier::WriteEarly(const ImportProgressFn& progress) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  Status opened = Exclusive([&](Transaction& tx) -> Status {
    Statement open(h,
                   "INSERT INTO main.import_runs (source, started_at, alive_at, rev)"
                   " VALUES (?1, ?2, ?2, ?3)");
    auto rev = QueryInt(h, kNextRev);
    if (!rev.ok()) return rev.status();
    st.rev = *rev;
    open.Bind(1, st.source).Bind(2, FormatUtc(st.clock.Now())).Bind(3, st.rev);
    if (Status s = open.Run(); !s.ok()) return s;
    auto id = QueryInt(h, "SELECT last_insert_rowid()");
    if (!id.ok()) return id.status();
    if (Status s = tx.Commit(); !s.ok()) return s;
    st.run = *id;
    return Status::Ok();
  });
  if (!opened.ok()) return opened;

  auto last = QueryInt(h, "SELECT COALESCE(MAX(rowid), 0) FROM temp.roster_stage");
  if (!last.ok()) return last.status();
  // The chunks commit without waiting for the disk, which would cost each
  // one as much as a redeem. Safe: the write-ahead log loses, at worst, its
  // last transactions, never earlier ones, so after a power cut either the
  // run row (committed durably above) still hides what survived of its
  // rows, or the final transaction (durable again) made them tickets.
  if (Status s = Exec(h, "PRAGMA synchronous = NORMAL"); !s.ok()) return s;
  struct Durable {
    sqlite3* h;
    ~Durable() { static_cast<void>(Exec(h, "PRAGMA synchronous = FULL")); }
  } durable{h};
  Statement insert(h, kInsertEarly);
  size_t written = 0;
  Statement note(h,
                 "INSERT INTO temp.roster_early (ticket_id, id)"
                 " SELECT ticket_id, id FROM main.attendees WHERE id > ?1 AND import_run = ?2");
  Statement done(h,
                 "DELETE FROM temp.roster_new WHERE row IN (SELECT s.rowid FROM main.attendees a"
                 " JOIN temp.roster_stage s ON s.ticket_id = a.ticket_id"
                 " WHERE a.id > ?1 AND a.import_run = ?2)");
  Statement index(h, kIndexNew);
  int64_t rows = kChunkFirstRows;
  // PRAGMA data_version moves when another connection commits.
  Statement others_wrote(h, "PRAGMA data_version");
  auto data_version = [&]() -> Result<int64_t> {
    auto r = others_wrote.Step();
    if (!r.ok()) return r.status();
    const int64_t v = others_wrote.Int(0);
    others_wrote.Reset();
    return v;
  };
  auto seen_version = data_version();
  if (!seen_version.ok()) return seen_version.status();
  std::optional<std::chrono::steady_clock::time_point> doors_wrote_at;
  for (int64_t lo = 1; lo <= *last;) {
    const int64_t hi = lo + rows - 1;
    const auto began = st.clock.Monotonic();
    Transaction tx(h);
    if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
    if (Status s = KeepRun(); !s.ok()) return s;
    // Under the write lock, the rows above today's largest id are this chunk's.
    auto before = QueryInt(h, "SELECT COALESCE(MAX(id), 0) FROM main.attendees");
    if (!before.ok()) return before.status();
    insert.Bind(1, st.source).Bind(2, st.now).Bind(3, st.run);
    insert.Bind(4, lo).Bind(5, hi).Bind(6, st.rev);
    if (Status s = insert.Run(); !s.ok()) return s;
    auto inserted = QueryInt(h, "SELECT changes()");
    if (!inserted.ok()) return inserted.status();
    written += static_cast<size_t>(*inserted);
    index.Bind(1, *before);
    if (Status s = index.Run(); !s.ok()) return s;
    if (Status s = tx.Commit(); !s.ok()) return s;
    const auto held =
        std::chrono::duration_cast<std::chrono::microseconds>(st.clock.Monotonic() - began);
    // Off the lock: our own notes of what the chunk wrote. Were they lost,
    // the final step would meet these rows' codes and refuse the import,
    // and clearing finds a run's rows by their run id anyway.
    note.Bind(1, *before).Bind(2, st.run);
    if (Status s = note.Run(); !s.ok()) return s;
    done.Bind(1, *before).Bind(2, st.run);
    if (Status s = done.Run(); !s.ok()) return s;
    lo = hi + 1;
    auto version = data_version();
    if (!version.ok()) return version.status();
    if (*version != *seen_version) doors_wrote_at = st.clock.Monotonic();
    seen_version = version;
    const bool doors_idle =
        !doors_wrote_at || st.clock.Monotonic() - *doors_wrote_at > kDoorsIdleAfter;
    const auto target = doors_idle ? kChunkHoldIdle : kChunkHold;
    if (held > target) {
      rows = std::max(kChunkMinRows, rows / 2);
    } else if (held < target / 2) {
      rows = std::min(kChunkMaxRows, rows * 2);
    }
    // While doors write, the chunk's pages go into the event file now, off
    // the write lock, so that the write-ahead log stays short (every read
    // searches it) and never grows to where a redeem's commit would have to
    // do this (SQLite's automatic checkpoint, ~1,000 pages).
    if (!doors_idle) {
      if (Status s = Exec(h, "PRAGMA wal_checkpoint(PASSIVE)"); !s.ok()) return s;
    }
    std::this_thread::sleep_for(doors_idle ? kChunkGap : std::max(kChunkGap, held));
    if (progress) {
      progress({ImportProgress::Step::kWriting, written, static_cast<size_t>(st.sum.added)});
    }
  }
  return Status::Ok();
}

// Writes the matched stage; runs under the write lock, with no other run
// listed. Ending this import's run makes the rows written ahead tickets.
Status RosterApplier::Apply(const RosterSnapshot& info, MissingPolicy missing) {
  State& st = *st_;
  sqlite3* h = st.db.handle();
  if (st.run != 0) {
    if (Status s = KeepRun(); !s.ok()) return s;
  } else {
    auto rev = QueryInt(h, kNextRev);
    if (!rev.ok()) return rev.status();
    st.rev = *rev;
  }
  auto version = LastImportId(h);
  if (!version.ok()) return version.status();
  if (*version != st.matched_at) {
    if (Status s = Match(info); !s.ok()) return s;
    if (Status s = Exec(h, kDropEarlyMatched); !s.ok()) return s;
    if (Status s = Exec(h, kDropSame); !s.ok()) return s;
  }
  if (missing == MissingPolicy::kCancel) {
    Statement cancel(h,
                     "UPDATE main.attendees SET status = 'cancelled', upstream_status = ?2,"
                     " updated_at = ?3, rev = ?4 WHERE id = ?1");
    for (int64_t id : st.missing_ids) {
      cancel.Bind(1, id).Bind(2, "missing from export " + info.origin).Bind(3, st.now);
      cancel.Bind(4, st.rev);
      if (Status s = cancel.Run(); !s.ok()) return s;
      ++st.sum.missing_cancelled;
    }
  }
  auto max_id = QueryInt(h, "SELECT COALESCE(MAX(id), 0) FROM main.attendees");
  if (!max_id.ok()) return max_id.status();
  if (Status s = Exec(h, kIndexOut); !s.ok()) return s;
  if (Status s = Exec(h, kParkCodes); !s.ok()) return s;
  Statement update(h, kUpdate);
  update.Bind(1, st.now).Bind(2, st.rev);
  if (Status s = update.Run(); !s.ok()) {
    return s.code() == StatusCode::kInvalidInput ? CodeClash(h, st.source, s) : s;
  }
  Statement insert(h, kInsert);
  insert.Bind(1, st.source).Bind(2, st.now).Bind(3, st.rev);
  if (Status s = insert.Run(); !s.ok()) {
    return s.code() == StatusCode::kInvalidInput ? CodeClash(h, st.source, s) : s;
  }
  Statement index(h, kIndexNew);
  index.Bind(1, *max_id);
  if (Status s = index.Run(); !s.ok()) return s;
  if (Status s = Exec(h, kIndexChanged); !s.ok()) return s;
  if (info.rules) {
    if (Status s = StoreRules(h, st.source, *info.rules); !s.ok()) return s;
  }
  if (st.run == 0) return Status::Ok();
  Statement end(h, "DELETE FROM main.import_runs WHERE id = ?1");
  end.Bind(1, st.run);
  return end.Run();
}

Result<ImportSummary> RosterApplier::Finish(const RosterSnapshot& info, MissingPolicy missing,
                                            ImportMode mode, const ImportProgressFn& progress) {
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
    if (Status s = Exec(h, kDropSame); !s.ok()) return s;
  }
  // A dry run writes ahead too, so that its figures and conflicts are
  // exactly those of the real thing, and clears what it wrote.
  Status written = sum.added > kChunkRows ? WriteEarly(progress) : Status::Ok();
  if (written.ok()) {
    written = Exclusive([&](Transaction& tx) -> Status {
      if (Status s = Apply(info, missing); !s.ok()) return s;
      Statement log(h,
                    "INSERT INTO main.imports (at, format, origin, encoding, rows, added, updated,"
                    " cancelled, unchanged, missing, missing_cancelled)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
      log.Bind(1, st.now).Bind(2, st.source).Bind(3, info.origin).Bind(4, info.encoding);
      log.Bind(5, int64_t{sum.rows}).Bind(6, int64_t{sum.added}).Bind(7, int64_t{sum.updated});
      log.Bind(8, int64_t{sum.cancelled}).Bind(9, int64_t{sum.unchanged});
      log.Bind(10, static_cast<int64_t>(sum.missing.size()));
      log.Bind(11, int64_t{sum.missing_cancelled});
      if (Status s = log.Run(); !s.ok()) return s;
      if (mode == ImportMode::kDryRun) return Status::Ok();  // the transaction rolls back
      if (Status s = tx.Commit(); !s.ok()) return s;
      st.run = 0;  // ended by the commit
      return Status::Ok();
    });
  }
  // A failed import, or a dry run, leaves nothing behind. Should clearing
  // fail too, the run stays invisible and the next import clears it.
  if (st.run != 0 && ClearRun(h, st.run).ok()) st.run = 0;
  if (!written.ok()) return written;
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
                                   const ImportProgressFn& progress) {
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
    if (progress) progress({ImportProgress::Step::kReading, rows, 0});  // its records can go
  }
  reader.join();
  auto info = queue.TakeResult();
  if (!info.ok()) return info.status();
  return (*applier)->Finish(*info, missing, mode, progress);
}

}  // namespace checkin::db
