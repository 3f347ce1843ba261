#include "db/database.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/file.h"
#include "db/roster.h"
#include "db/schema.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

TEST(DatabaseTest, MissingFileIsNotFoundWithAHint) {
  TempDir dir;
  auto db = Database::Open(dir.File("none.db"), OpenMode::kMustExist);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kNotFound);
  EXPECT_NE(db.status().message().find("checkin init"), std::string::npos);
}

TEST(DatabaseTest, CreatesWalFileWithCurrentSchemaAndEvent) {
  TempDir dir;
  FakeClock clock;
  auto db = checkin::testing::NewEventDatabase(dir.File("e.db"), clock);
  ASSERT_NE(db, nullptr);
  auto ev = db->Event();
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->name, "KCD Colombia 2026");
  EXPECT_EQ(ev->timezone, "America/Bogota");
  EXPECT_EQ(ev->created_at, "2026-11-28T13:00:00.000Z");
  EXPECT_TRUE(std::filesystem::exists(dir.File("e.db-wal")));
  EXPECT_FALSE(db->InitEvent({"Otro", "America/Bogota", ""}, clock).ok()) << "one event per file";
}

TEST(DatabaseTest, ReopeningIsIdempotent) {
  TempDir dir;
  FakeClock clock;
  checkin::testing::NewEventDatabase(dir.File("e.db"), clock);
  auto again = Database::Open(dir.File("e.db"), OpenMode::kMustExist);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE((*again)->Event().ok());
}

TEST(DatabaseTest, RefusesFilesFromANewerVersion) {
  TempDir dir;
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(dir.File("new.db").c_str(), &raw), SQLITE_OK);
    // Ours ("CKIN"), from a later schema.
    sqlite3_exec(raw, "PRAGMA user_version = 99; PRAGMA application_id = 1129007438", nullptr,
                 nullptr, nullptr);
    sqlite3_close(raw);
  }
  auto db = Database::Open(dir.File("new.db"), OpenMode::kMustExist);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("newer checkin"), std::string::npos);
}

TEST(DatabaseTest, NotADatabaseIsAClearError) {
  TempDir dir;
  {
    std::ofstream f(dir.File("roster.db"));
    f << "ticket_code,first_name\nA,B\n";
  }
  auto db = Database::Open(dir.File("roster.db"), OpenMode::kMustExist);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(db.status().message(), dir.File("roster.db") +
                                       " no es una base de datos (¿es el archivo del evento?); no "
                                       "se modificó. Indique con --db el archivo del evento.");
}

// Files a volunteer may pass as --db by mistake: each is refused with the
// file's name and SQLite's reason, never an assert or a half-open database.
TEST(DatabaseTest, ForeignAndDamagedFilesAreRefusedWithTheReason) {
  TempDir dir;
  FakeClock clock;
  const std::string good = dir.File("good.db");
  checkin::testing::NewEventDatabase(good, clock);  // closed: the WAL is checkpointed into the file
  const auto size = std::filesystem::file_size(good);
  ASSERT_GT(size, 8192u);
  auto read = ReadWholeFile(good, size);
  ASSERT_TRUE(read.ok()) << read.status().message();
  const std::string bytes = *read;
  struct Case {
    std::string name;
    std::string content;
    std::string reason;
  };
  const Case cases[] = {
      {"zeros.db", std::string(4096, '\0'), "no es una base de datos"},
      {"binary.db", std::string(10000, '\xA5'), "no es una base de datos"},
      {"header_only.db", bytes.substr(0, 100), "database disk image is malformed"},
      {"truncated.db", bytes.substr(0, 4096 + 100), "database disk image is malformed"},
  };
  for (const auto& c : cases) {
    const std::string path = dir.File(c.name);
    {
      std::ofstream f(path, std::ios::binary);
      f << c.content;
    }
    auto db = Database::Open(path, OpenMode::kMustExist);
    ASSERT_FALSE(db.ok()) << c.name;
    EXPECT_EQ(db.status().message().rfind(path, 0), 0u) << c.name << ": " << db.status().message();
    EXPECT_NE(db.status().message().find(c.reason), std::string::npos)
        << c.name << ": " << db.status().message();
  }
}

TEST(DatabaseTest, EmptyFileHasNoEventYet) {
  TempDir dir;
  std::ofstream(dir.File("empty.db")).close();
  auto db = Database::Open(dir.File("empty.db"), OpenMode::kMustExist);
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto ev = (*db)->Event();
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.status().code(), StatusCode::kNotFound);
  EXPECT_NE(ev.status().message().find("checkin init"), std::string::npos) << ev.status().message();
}

TEST(DatabaseTest, DirectoryIsNotAnEventFile) {
  TempDir dir;
  for (OpenMode mode : {OpenMode::kMustExist, OpenMode::kCreateIfMissing}) {
    auto db = Database::Open(dir.path().string(), mode);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(db.status().message().find("is a directory"), std::string::npos)
        << db.status().message();
  }
}

// Runs `sql` on the file at `path` with a plain connection of its own.
void RunSql(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(raw);
}

// Issue 9, item 10: any command, `stats` included, used to create our tables
// in another program's file, set its user_version and switch it to WAL.
TEST(DatabaseTest, AnotherProgramsFileIsRefusedBeforeAnythingIsWritten) {
  TempDir dir;
  const std::string cases[] = {
      "CREATE TABLE notes (body TEXT)",
      "PRAGMA user_version = -3",
      "CREATE TABLE foo (x); PRAGMA user_version = 7",
      "CREATE TABLE foo (x)",
      "PRAGMA application_id = 42",  // no tables, but marked as someone else's
      "CREATE TABLE event (x); CREATE TABLE attendees (x); CREATE TABLE checkins (x);"
      " PRAGMA application_id = 1",
  };
  for (const auto& sql : cases) {
    const std::string path = dir.File("other.db");
    std::filesystem::remove(path);
    RunSql(path, sql);
    auto before = ReadWholeFile(path, 1 << 20);
    ASSERT_TRUE(before.ok());
    for (OpenMode mode : {OpenMode::kMustExist, OpenMode::kCreateIfMissing}) {
      auto db = Database::Open(path, mode);
      ASSERT_FALSE(db.ok()) << sql;
      EXPECT_EQ(db.status().code(), StatusCode::kInvalidInput) << sql;
      EXPECT_EQ(db.status().message(),
                path +
                    " es un archivo SQLite de otro programa, no un archivo de evento de checkin; "
                    "no se modificó. Indique con --db el archivo del evento.")
          << sql;
    }
    auto after = ReadWholeFile(path, 1 << 20);
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(*before == *after) << sql << ": the file was changed";
    EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << sql << ": switched to WAL";
  }
}

int64_t Pragma(const std::string& path, const char* name) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, (std::string("PRAGMA ") + name).c_str(), -1, &st, nullptr);
  sqlite3_step(st);
  const int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return v;
}

TEST(DatabaseTest, NewFilesCarryOurApplicationId) {
  TempDir dir;
  FakeClock clock;
  ASSERT_NE(checkin::testing::NewEventDatabase(dir.File("e.db"), clock), nullptr);
  EXPECT_EQ(Pragma(dir.File("e.db"), "application_id"), 0x434B494E) << "ASCII CKIN";
  std::ofstream(dir.File("empty.db")).close();  // an empty file is ours to set up
  ASSERT_TRUE(Database::Open(dir.File("empty.db"), OpenMode::kMustExist).ok());
  EXPECT_EQ(Pragma(dir.File("empty.db"), "application_id"), 0x434B494E);
}

// Files made before the application_id keep working and get it on open.
TEST(DatabaseTest, OurFilesFromBeforeTheApplicationIdAreStamped) {
  TempDir dir;
  FakeClock clock;
  const std::string path = dir.File("e.db");
  ASSERT_NE(checkin::testing::NewEventDatabase(path, clock), nullptr);
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "PRAGMA application_id = 0", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  ASSERT_EQ(Pragma(path, "application_id"), 0);
  auto db = Database::Open(path, OpenMode::kMustExist);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_TRUE((*db)->Event().ok());
  db->reset();
  EXPECT_EQ(Pragma(path, "application_id"), 0x434B494E);
  EXPECT_EQ(Pragma(path, "user_version"), kSchemaVersion);
}

// A file of schema 1 (before imports wrote ahead) opens as schema 2 with its
// tickets as they were: rows without an import run are everybody's.
TEST(DatabaseTest, SchemaOneFileMigratesWithItsTicketsVisible) {
  TempDir dir;
  FakeClock clock;
  const std::string path = dir.File("old.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, kMigrations[0], nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO event VALUES (1, 'KCD', 'America/Bogota', '');"
                           "INSERT INTO attendees (source, ticket_id, ticket_code, badge_code,"
                           " first_name, last_name, status, created_at, updated_at) VALUES"
                           " ('generic', 'T1', 'OLDA1', 'B-OLD', 'Ana', 'Paz', 'valid', '', '');"
                           "INSERT INTO attendees_fts (rowid, first_name, last_name, email,"
                           " company) SELECT id, first_name, last_name, email, company"
                           " FROM attendees;"
                           "PRAGMA user_version = 1; PRAGMA application_id = 1129007438;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = Database::Open(path, OpenMode::kMustExist);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(checkin::testing::QueryInt(**db, "PRAGMA user_version"), kSchemaVersion);
  auto ana = FindAttendeeByCode(**db, "OLDA1");
  ASSERT_TRUE(ana.ok() && ana->has_value());
  EXPECT_EQ((*ana)->first_name, "Ana");
  auto hits = SearchAttendees(**db, "ana", 5);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);
}

// Schema 6 copies the print queue into a table that knows 'cancelled': a
// file of schema 5 keeps its jobs, and they can be cancelled afterwards.
TEST(DatabaseTest, SchemaFiveFileKeepsItsPrintJobs) {
  TempDir dir;
  const std::string path = dir.File("five.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    for (size_t v = 0; v < 5; ++v) {
      ASSERT_EQ(sqlite3_exec(raw, kMigrations[v], nullptr, nullptr, nullptr), SQLITE_OK) << v;
    }
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO event VALUES (1, 'KCD', 'America/Bogota', '');"
                           "INSERT INTO attendees (source, ticket_id, ticket_code, badge_code,"
                           " first_name, last_name, status, created_at, updated_at) VALUES"
                           " ('generic', 'T1', 'OLDA1', 'B-OLD', 'Ana', 'Paz', 'valid', '', '');"
                           "INSERT INTO print_jobs (token, attendee_id, station, state, attempts,"
                           " created_at, updated_at) VALUES ('TOK1', 1, 'puerta', 'done', 1, 'a',"
                           " 'b'), ('TOK2', 1, 'puerta', 'queued', 0, 'c', 'd');"
                           "PRAGMA user_version = 5; PRAGMA application_id = 1129007438;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = Database::Open(path, OpenMode::kMustExist);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(checkin::testing::QueryInt(**db, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(checkin::testing::QueryInt(**db,
                                       "SELECT COUNT(*) FROM print_jobs WHERE token IN"
                                       " ('TOK1', 'TOK2') AND reason = ''"),
            2);
  EXPECT_EQ(sqlite3_exec((*db)->handle(),
                         "UPDATE print_jobs SET state = 'cancelled' WHERE token = 'TOK2'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_EQ(checkin::testing::QueryInt(**db, "SELECT COUNT(*) FROM printers"), 0);
}

TEST(DatabaseTest, CheckinLogIsAppendOnly) {
  TempDir dir;
  FakeClock clock;
  auto db = checkin::testing::NewEventDatabase(dir.File("e.db"), clock);
  ASSERT_NE(db, nullptr);
  sqlite3* h = db->handle();
  ASSERT_EQ(sqlite3_exec(h,
                         "INSERT INTO checkins (uuid, code, gate, station, direction, kind, source,"
                         " verdict, at) VALUES ('u1', 'X', 'G', 'S', 'entry', 'denied', 'manual',"
                         " 'unknown', 'now')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(h, "UPDATE checkins SET verdict = 'admitted'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(h, "DELETE FROM checkins", nullptr, nullptr, nullptr), SQLITE_OK);
}

TEST(DatabaseTest, DurabilitySettings) {
  TempDir dir;
  FakeClock clock;
  auto db = checkin::testing::NewEventDatabase(dir.File("e.db"), clock);
  ASSERT_NE(db, nullptr);
  auto pragma = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db->handle(), sql, -1, &st, nullptr);
    sqlite3_step(st);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
  };
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma("PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(pragma("PRAGMA foreign_keys"), "1");
  EXPECT_EQ(pragma("PRAGMA user_version"), std::to_string(kSchemaVersion));
}

}  // namespace
}  // namespace checkin::db
