// Helpers for tests that use a real SQLite file in a fresh temporary folder.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/local_desk.h"
#include "tests/fakes/fake_clock.h"

namespace checkin::testing {

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Runs a shell command and returns what it printed on stdout (tests use it
// for poppler's tools and the CUPS fixture).
std::string Shell(const std::string& command);

// A program's exit status (128 + signal if killed) and what it printed.
struct ProcessOutput {
  int rc = -1;
  std::string out, err;
};
// Runs `binary` with `args` and extra `env` ("NAME=value"), with
// CHECKIN_DB unset, CHECKIN_CONFIG empty (the built-in config, whatever
// /etc/checkin holds), stdin from /dev/null.
ProcessOutput RunProcess(const std::string& binary, const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {});

// Path of a file under tests/data.
std::string DataFile(const std::string& relative);

// Opens a new event database at `path` (America/Bogota) or fails the test.
std::unique_ptr<db::Database> NewEventDatabase(const std::string& path, const Clock& clock);

// The check-in service over `db` with the default config (one gate,
// Principal, admitting everyone), or fails the test.
std::unique_ptr<db::LocalDesk> NewDesk(db::Database& db, const Clock& clock);

// Imports a CSV file or fails the test; returns rows added.
int ImportFile(db::Database& db, const std::string& path, const Clock& clock);
// The same for a file of tests/data/import.
int ImportFixture(db::Database& db, const std::string& name, const Clock& clock);
// The same for deploy/sample/roster.csv (200 attendees, 194 valid).
int ImportSampleRoster(db::Database& db, const Clock& clock);

// The first column of the first row `sql` returns (a count, an id), or fails
// the test.
int64_t QueryInt(db::Database& db, const std::string& sql);

}  // namespace checkin::testing
