// Database: one SQLite file per event holding the roster, the append-only
// check-in log, the badge print queue and the import history. A Database is one
// connection: use it from one thread at a time; open one per thread or process.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/messages.h"
#include "common/records.h"
#include "common/result.h"

struct sqlite3;

namespace checkin::db {

enum class OpenMode { kCreateIfMissing, kMustExist };

// Newest schema this build knows; files at a newer version are refused.
inline constexpr int kSchemaVersion = 10;  // kMigrations.size(), checked in database.cc

// SQLite's application_id of our files: ASCII "CKIN". A file with tables and
// another id (or none, and not our schema) is another program's.
inline constexpr int32_t kApplicationId = 0x434B494E;

class Database {
 public:
  // Opens (or creates) the file, checks it is ours, then sets WAL,
  // synchronous=FULL, foreign keys and a busy timeout, and migrates the
  // schema forward (stamping kApplicationId on files made before it). A file
  // that is not ours is refused before anything is written to it. NotFound
  // for a missing file in kMustExist mode, with a hint to run `checkin init`;
  // InvalidInput naming the file for a directory, a file that is not SQLite
  // or another program's SQLite file; DeviceError for a read-only file or
  // folder or a full disk; Internal for a damaged file. Messages for people
  // are in `lang`.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, OpenMode mode,
                                                Language lang = Language::kSpanish);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }  // for db/ internals

  // Creates the event row; InvalidInput if this file already holds an event.
  Status InitEvent(const EventInfo& info, const Clock& clock);
  // NotFound when `checkin init` has not been run on this file.
  Result<EventInfo> Event() const;

  // Ok while the path still names the file this connection has open. Once
  // that file was deleted, renamed or replaced, NotFound for good: whatever
  // is written through this connection is lost or diverges from the file
  // other processes open by the path. One stat() of the path.
  Status CheckStillAtPath();

 private:
  Database(sqlite3* db, std::string path, Language lang)
      : db_(db), path_(std::move(path)), lang_(lang) {}
  Status Connect();
  Status CheckIdentity();
  Status Configure();
  Status Migrate();
  Status Explain(const Status& s) const;

  sqlite3* db_;
  std::string path_;
  Language lang_;
  bool moved_ = false;  // latched: a file that came back is not trusted either
};

// The default database path: $CHECKIN_DB, else ./checkin.db.
std::string DefaultDatabasePath();

}  // namespace checkin::db
