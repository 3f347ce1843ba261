#include "db/database.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "db/schema.h"
#include "db/statement.h"

namespace checkin::db {

std::string DefaultDatabasePath() {
  const char* env = std::getenv("CHECKIN_DB");
  return env != nullptr && *env != '\0' ? env : "checkin.db";
}

namespace {

Result<bool> HasTables(sqlite3* db) {
  Statement q(db, "SELECT 1 FROM sqlite_schema LIMIT 1");
  return q.Step();
}

Status NewerSchema(int64_t version) {
  return Status::InvalidInput("this database was written by a newer checkin (schema " +
                              std::to_string(version) + "); upgrade checkin to open it");
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, OpenMode mode) {
  struct stat st {};
  const bool exists = path != ":memory:" && ::stat(path.c_str(), &st) == 0;
  if (mode == OpenMode::kMustExist && path != ":memory:" && !exists) {
    return Status::NotFound("no database at " + path + "; create it with `checkin init --db " +
                            path + "`");
  }
  if (exists && S_ISDIR(st.st_mode)) {
    return Status::InvalidInput(path + " is a directory; --db needs the event file, e.g. " +
                                (std::filesystem::path(path) / "checkin.db").string());
  }
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteStatus(raw, rc, "cannot open " + path);
    sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  if (Status s = db->Connect(); !s.ok()) return s;
  if (Status s = db->Configure(); !s.ok()) return s.WithContext(path + ": ");
  if (Status s = db->Migrate(); !s.ok()) return s.WithContext(path + ": ");
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

// SQLite opens any file and reads it only at the first statement; read the
// schema now so a foreign or damaged file is named with SQLite's own reason
// ("notes.txt: file is not a database (is this a checkin event file?)").
Status Database::Connect() {
  // A second process (another station, the print daemon) may hold the write
  // lock for a moment; wait for it rather than fail the scan.
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_extended_result_codes(db_, 1);
  const int rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, path_);
}

Status Database::Configure() {
  Statement wal(db_, "PRAGMA journal_mode = WAL");
  auto r = wal.Step();
  if (!r.ok()) return r.status();
  if (!*r || (wal.Text(0) != "wal" && path_ != ":memory:")) {
    return Status::DeviceError("cannot switch to WAL mode (is the file on a network share?)");
  }
  // synchronous=FULL: in WAL mode NORMAL survives an application crash but may
  // lose the last commits on power loss, and a check-in we answered "admitted"
  // must survive both. FULL fsyncs the WAL at every commit.
  return Exec(db_,
              "PRAGMA synchronous = FULL;"
              "PRAGMA foreign_keys = ON;"
              "PRAGMA temp_store = MEMORY;"
              // Up to 64 MiB of page cache (used only as needed): a 100,000-row
              // import with its indexes then never spills mid-transaction.
              "PRAGMA cache_size = -65536;");
}

Status Database::Migrate() {
  Statement get(db_, "PRAGMA user_version");
  auto r = get.Step();
  if (!r.ok()) return r.status();
  const int64_t version = get.Int(0);
  get.Reset();
  if (version > kSchemaVersion) return NewerSchema(version);
  if (version == kSchemaVersion) return Status::Ok();
  Transaction tx(db_);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  // Re-read under the write lock: another process may have migrated meanwhile.
  r = get.Step();
  if (!r.ok()) return r.status();
  const int64_t locked_version = get.Int(0);
  get.Reset();
  // Below 0, or 0 with tables already there: another program's SQLite file,
  // which migrating would fill with our tables. Checked under the write lock,
  // where a checkin migrating the same new file cannot be mistaken for one.
  auto tables = HasTables(db_);
  if (!tables.ok()) return tables.status();
  if (locked_version < 0 || (locked_version == 0 && *tables)) {
    return Status::InvalidInput("a SQLite file of another program, not a checkin event file");
  }
  if (locked_version > kSchemaVersion)
    return NewerSchema(locked_version);  // never write it back down
  for (int64_t v = locked_version; v < kSchemaVersion; ++v) {
    if (Status s = Exec(db_, kMigrations[static_cast<size_t>(v)]); !s.ok()) {
      return s.WithContext("migration to schema " + std::to_string(v + 1) + ": ");
    }
  }
  const std::string set = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
  if (Status s = Exec(db_, set.c_str()); !s.ok()) return s;
  return tx.Commit();
}

Status Database::InitEvent(const EventInfo& info, const Clock& clock) {
  Statement ins(db_,
                "INSERT INTO event (id, name, timezone, created_at) VALUES (1, ?1, ?2, ?3)"
                " ON CONFLICT (id) DO NOTHING");
  ins.Bind(1, info.name).Bind(2, info.timezone).Bind(3, FormatUtc(clock.Now()));
  if (Status s = ins.Run(); !s.ok()) return s;
  if (sqlite3_changes(db_) == 0) {
    return Status::InvalidInput(path_ +
                                " already holds an event; use another --db path for a new event");
  }
  return Status::Ok();
}

Result<EventInfo> Database::Event() const {
  Statement q(db_, "SELECT name, timezone, created_at FROM event WHERE id = 1");
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    return Status::NotFound(path_ + " has no event yet; run `checkin init --db " + path_ +
                            "` first");
  }
  return EventInfo{q.Text(0), q.Text(1), q.Text(2)};
}

}  // namespace checkin::db
