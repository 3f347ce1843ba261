#include "bench/sqlite_floors.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

extern char** environ;

namespace checkin::bench {
namespace {

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status::Internal(what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

// Opens `path` for the floors with the pragmas checkin::db::Database sets, so a
// floor's commit costs what ours would.
Result<sqlite3*> OpenDurable(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Status s = SqliteError(db, "cannot open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  const char* pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
  if (sqlite3_exec(db, pragmas, nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = SqliteError(db, path);
    sqlite3_close(db);
    return s;
  }
  return db;
}

Status ExecSync(sqlite3* db, Sync sync) {
  const char* sql = sync == Sync::kFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF";
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK ? Status::Ok()
                                                                       : SqliteError(db, sql);
}

}  // namespace

Status SetSync(db::Database& db, Sync sync) { return ExecSync(db.handle(), sync); }

std::string SqliteVersion() { return sqlite3_libversion(); }

Result<double> TimeSqliteShellImport(const std::string& sqlite3_exe, const std::string& db_path,
                                     const std::string& csv_path, const Clock& clock) {
  std::vector<std::string> args = {sqlite3_exe,
                                   "-batch",
                                   "-bail",
                                   db_path,
                                   "PRAGMA journal_mode = WAL;",
                                   "PRAGMA synchronous = FULL;",
                                   ".import --csv " + csv_path + " attendees_floor"};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // The shell echoes "wal" for the journal_mode pragma; keep the table clean.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);

  const auto start = clock.Monotonic();
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, sqlite3_exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::NotFound("cannot run " + sqlite3_exe + " (install the sqlite3 package)");
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return Status::Internal("waitpid failed");
  const std::chrono::duration<double> took = clock.Monotonic() - start;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Internal(sqlite3_exe + " .import failed (exit status " +
                            std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
  return took.count();
}

Result<double> TimeSchemaBulkInsert(db::Database& db, const std::string& staged_db,
                                    const Clock& clock) {
  std::string quoted;
  for (char c : staged_db) {
    if (c == '\'') quoted += c;  // SQL doubles a quote inside a literal
    quoted += c;
  }
  const std::string sql =
      "ATTACH '" + quoted +
      "' AS staged; BEGIN IMMEDIATE;"
      " INSERT INTO attendees (source, ticket_id, order_id, ticket_code, badge_code, first_name,"
      " last_name, email, company, ticket_type, status, upstream_status, checkin_lists,"
      " created_at, updated_at)"
      " SELECT 'generic', ticket_id, order_id, ticket_code, 'B-' || hex(randomblob(10)),"
      " first_name, last_name, email, company, ticket_type, 'valid', status, checkin_lists,"
      " '2026-11-28T13:00:00.000Z', '2026-11-28T13:00:00.000Z' FROM staged.attendees_floor;"
      " INSERT INTO attendees_fts (rowid, first_name, last_name, email, company)"
      " SELECT id, first_name, last_name, email, company FROM attendees;"
      " COMMIT;";
  const auto start = clock.Monotonic();
  const int rc = sqlite3_exec(db.handle(), sql.c_str(), nullptr, nullptr, nullptr);
  const std::chrono::duration<double> took = clock.Monotonic() - start;
  Status s = rc == SQLITE_OK ? Status::Ok() : SqliteError(db.handle(), "schema bulk insert");
  sqlite3_exec(db.handle(), "ROLLBACK; DETACH staged;", nullptr, nullptr, nullptr);
  if (!s.ok()) return s;
  return took.count();
}

Result<long long> CountRows(const std::string& db_path, const std::string& table) {
  auto db = OpenDurable(db_path);
  if (!db.ok()) return db.status();
  sqlite3_stmt* st = nullptr;
  const std::string sql = "SELECT COUNT(*) FROM " + table;
  long long n = -1;
  if (sqlite3_prepare_v2(*db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  Status s = n < 0 ? SqliteError(*db, sql) : Status::Ok();
  sqlite3_finalize(st);
  sqlite3_close(*db);
  if (!s.ok()) return s;
  return n;
}

Result<std::unique_ptr<DurableInsertFloor>> DurableInsertFloor::Open(const std::string& path) {
  auto db = OpenDurable(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<DurableInsertFloor> floor(new DurableInsertFloor(*db));
  const char* schema =
      "CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, code TEXT NOT NULL,"
      " gate TEXT NOT NULL, station TEXT NOT NULL, verdict TEXT NOT NULL, at TEXT NOT NULL)";
  if (sqlite3_exec(*db, schema, nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(*db,
                         "INSERT INTO log (code, gate, station, verdict, at)"
                         " VALUES (?1, 'Principal', 'bench', 'admitted', ?2)",
                         -1, &floor->insert_, nullptr) != SQLITE_OK) {
    return SqliteError(*db, path);
  }
  return floor;
}

DurableInsertFloor::~DurableInsertFloor() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

Status DurableInsertFloor::Insert(std::string_view code, std::string_view at) {
  sqlite3_bind_text(insert_, 1, code.data(), static_cast<int>(code.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(insert_, 2, at.data(), static_cast<int>(at.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(insert_);
  sqlite3_reset(insert_);
  return rc == SQLITE_DONE ? Status::Ok() : SqliteError(db_, "floor insert");
}

Status DurableInsertFloor::SetSync(Sync sync) { return ExecSync(db_, sync); }

Result<std::unique_ptr<PointLookupFloor>> PointLookupFloor::Open(const std::string& path) {
  auto db = OpenDurable(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<PointLookupFloor> floor(new PointLookupFloor(*db));
  if (sqlite3_prepare_v2(*db,
                         "SELECT id, first_name, last_name, email, company FROM attendees"
                         " WHERE ticket_code = ?1",
                         -1, &floor->select_, nullptr) != SQLITE_OK) {
    return SqliteError(*db, path);
  }
  return floor;
}

PointLookupFloor::~PointLookupFloor() {
  sqlite3_finalize(select_);
  sqlite3_close(db_);
}

Result<bool> PointLookupFloor::Lookup(std::string_view code) {
  sqlite3_bind_text(select_, 1, code.data(), static_cast<int>(code.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(select_);
  if (rc == SQLITE_ROW) {
    // Read the row as a caller would rather than only find it.
    for (int col = 1; col <= 4; ++col) sqlite3_column_text(select_, col);
  }
  sqlite3_reset(select_);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, "floor lookup");
  return rc == SQLITE_ROW;
}

}  // namespace checkin::bench
