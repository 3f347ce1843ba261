#include "db/database.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "db/schema.h"
#include "db/statement.h"

namespace checkin::db {

static_assert(kSchemaVersion == static_cast<int>(kMigrations.size()),
              "a migration was added without raising kSchemaVersion, or the reverse");

std::string DefaultDatabasePath() {
  const char* env = std::getenv("CHECKIN_DB");
  return env != nullptr && *env != '\0' ? env : "checkin.db";
}

namespace {

// Waits up to about 5 s for a lock another connection holds, in small steps
// at first: SQLite's own busy timeout sleeps 1, 2, 5, 10… ms between tries,
// so a redeem that meets a write of a millisecond or two (a chunk of a big
// import, another door's redeem) would wait several times as long.
int WaitForLock(void* /*unused*/, int tries) {
  constexpr int kFineTries = 500;     // 100 µs apart: the first ~50 ms
  constexpr int kCoarseTries = 4950;  // 1 ms apart: the rest of ~5 s
  if (tries < kFineTries) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    return 1;
  }
  if (tries < kFineTries + kCoarseTries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
  }
  return 0;
}

Status NewerSchema(const std::string& path, int64_t version) {
  return Status::InvalidInput(path + ": this database was written by a newer checkin (schema " +
                              std::to_string(version) + "); upgrade checkin to open it");
}

// What a file says about itself, read without writing anything.
struct Identity {
  int64_t application_id = 0;
  int64_t user_version = 0;
  bool has_tables = false;
  bool has_our_tables = false;
};

enum class Owner {
  kNobody,    // empty: ours to set up
  kUs,        // stamped with kApplicationId
  kUsBefore,  // our schema from before the stamp: stamp it
  kNewerUs,   // stamped, at a schema this build does not know
  kSomeoneElse,
};

Owner OwnerOf(const Identity& id) {
  if (id.application_id == kApplicationId)
    return id.user_version > kSchemaVersion ? Owner::kNewerUs : Owner::kUs;
  if (id.application_id != 0) return Owner::kSomeoneElse;
  if (!id.has_tables && id.user_version == 0) return Owner::kNobody;
  if (id.user_version >= 1 && id.user_version <= kSchemaVersion && id.has_our_tables)
    return Owner::kUsBefore;
  return Owner::kSomeoneElse;
}

// Errors are SQLite's, for Database::Explain.
Result<Identity> ReadIdentity(sqlite3* db) {
  Identity id;
  Statement app(db, "PRAGMA application_id");
  auto r = app.Step();
  if (!r.ok()) return r.status();
  id.application_id = app.Int(0);
  Statement version(db, "PRAGMA user_version");
  r = version.Step();
  if (!r.ok()) return r.status();
  id.user_version = version.Int(0);
  Statement tables(db,
                   "SELECT count(*), count(*) FILTER (WHERE type = 'table' AND name IN"
                   " ('event', 'attendees', 'checkins')) FROM sqlite_schema");
  r = tables.Step();
  if (!r.ok()) return r.status();
  id.has_tables = tables.Int(0) > 0;
  id.has_our_tables = tables.Int(1) == 3;
  return id;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, OpenMode mode,
                                                 Language lang) {
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
  std::unique_ptr<Database> db(new Database(raw, path, lang));
  if (rc != SQLITE_OK) return db->Explain(SqliteStatus(raw, rc, "cannot open"));
  if (Status s = db->Connect(); !s.ok()) return s;
  // Before anything is written (WAL switch included): another program's file
  // must leave here as it came.
  if (Status s = db->CheckIdentity(); !s.ok()) return s;
  if (Status s = db->Configure(); !s.ok()) return s;
  if (Status s = db->Migrate(); !s.ok()) return s;
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

// A failure at open in words for the person at the door (disk full, read-only,
// not a database), else SQLite's own reason after the file's name. Call it
// while the failed statement is alive: a rollback would clear SQLite's code.
Status Database::Explain(const Status& s) const {
  const int rc = sqlite3_extended_errcode(db_);
  const int err = sqlite3_system_errno(db_);
  std::optional<DatabaseTrouble> t;
  switch (rc & 0xFF) {
    case SQLITE_NOTADB:
      t = DatabaseTrouble::kNotADatabase;
      break;
    case SQLITE_FULL:
      t = DatabaseTrouble::kDiskFull;
      break;
    case SQLITE_READONLY:
      t = DatabaseTrouble::kReadOnly;
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      // Creating the -wal or -shm file next to the database, or growing it.
      if (err == ENOSPC || err == EDQUOT) t = DatabaseTrouble::kDiskFull;
      if (err == EROFS || err == EACCES || err == EPERM) t = DatabaseTrouble::kReadOnly;
      break;
    default:
      break;
  }
  if (!t) return s.WithContext(path_ + ": ");
  std::string message = DatabaseTroubleMessage(*t, path_, lang_);
  if (*t == DatabaseTrouble::kNotADatabase) return Status::InvalidInput(std::move(message));
  return Status::DeviceError(std::move(message));
}

// SQLite opens any file and reads it only at the first statement; read the
// schema now so a foreign or damaged file is named with the reason.
Status Database::Connect() {
  // A second process (another station, the print daemon) may hold the write
  // lock for a moment; wait for it rather than fail the scan.
  sqlite3_busy_handler(db_, WaitForLock, nullptr);
  sqlite3_extended_result_codes(db_, 1);
  const int rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : Explain(SqliteStatus(db_, rc, "cannot read it"));
}

Status Database::CheckIdentity() {
  auto id = ReadIdentity(db_);
  if (!id.ok()) return Explain(id.status());
  switch (OwnerOf(*id)) {
    case Owner::kSomeoneElse:
      return Status::InvalidInput(DatabaseTroubleMessage(DatabaseTrouble::kForeign, path_, lang_));
    case Owner::kNewerUs:
      return NewerSchema(path_, id->user_version);
    case Owner::kNobody:
    case Owner::kUs:
    case Owner::kUsBefore:
      break;
  }
  return Status::Ok();
}

Status Database::Configure() {
  Statement wal(db_, "PRAGMA journal_mode = WAL");
  auto r = wal.Step();
  if (!r.ok()) return Explain(r.status());
  if (!*r || (wal.Text(0) != "wal" && path_ != ":memory:")) {
    return Status::DeviceError(path_ +
                               ": cannot switch to WAL mode (is the file on a network share?)");
  }
  // synchronous=FULL: in WAL mode NORMAL survives an application crash but may
  // lose the last commits on power loss, and a check-in we answered "admitted"
  // must survive both. FULL fsyncs the WAL at every commit.
  Status s = Exec(db_,
                  "PRAGMA synchronous = FULL;"
                  "PRAGMA foreign_keys = ON;"
                  "PRAGMA temp_store = MEMORY;"
                  // Up to 64 MiB of page cache (used only as needed): a 100,000-row
                  // import with its indexes then never spills mid-transaction.
                  "PRAGMA cache_size = -65536;");
  return s.ok() ? s : Explain(s);
}

// Writes only to files CheckIdentity() let through, and checks again under
// the write lock: another process may have set up the same new file since.
Status Database::Migrate() {
  auto id = ReadIdentity(db_);
  if (!id.ok()) return Explain(id.status());
  if (OwnerOf(*id) == Owner::kUs && id->user_version == kSchemaVersion) return Status::Ok();
  Transaction tx(db_);
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return Explain(s);
  id = ReadIdentity(db_);
  if (!id.ok()) return Explain(id.status());
  const int64_t version = id->user_version;
  switch (OwnerOf(*id)) {
    case Owner::kSomeoneElse:
      return Status::InvalidInput(DatabaseTroubleMessage(DatabaseTrouble::kForeign, path_, lang_));
    case Owner::kNewerUs:
      return NewerSchema(path_, version);  // never write it back down
    case Owner::kNobody:
    case Owner::kUs:
    case Owner::kUsBefore:
      break;
  }
  for (int64_t v = version; v < kSchemaVersion; ++v) {
    if (Status s = Exec(db_, kMigrations[static_cast<size_t>(v)]); !s.ok()) {
      return Explain(s.WithContext("migration to schema " + std::to_string(v + 1) + ": "));
    }
  }
  const std::string set = "PRAGMA user_version = " + std::to_string(kSchemaVersion) +
                          "; PRAGMA application_id = " + std::to_string(kApplicationId);
  if (Status s = Exec(db_, set.c_str()); !s.ok()) return Explain(s);
  if (Status s = tx.Commit(); !s.ok()) return Explain(s);
  return Status::Ok();
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

Status Database::CheckStillAtPath() {
  if (!moved_) {
    int moved = 0;
    // SQLite's unix VFS compares the inode it holds with a stat() of the
    // path; :memory: has no file and answers SQLITE_NOTFOUND.
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK &&
        moved != 0)
      moved_ = true;
  }
  if (!moved_) return Status::Ok();
  return Status::NotFound(DatabaseTroubleMessage(DatabaseTrouble::kMoved, path_, lang_));
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
