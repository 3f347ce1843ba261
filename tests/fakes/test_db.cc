#include "tests/fakes/test_db.h"

#include <cstdio>
#include <cstdlib>
#include <random>

#include "db/registration_source.h"
#include "db/roster_import.h"

namespace checkin::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "checkin-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  EXPECT_NE(made, nullptr);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string DataFile(const std::string& relative) {
  return std::string(CHECKIN_TEST_DATA_DIR) + "/" + relative;
}

std::unique_ptr<db::Database> NewEventDatabase(const std::string& path, const Clock& clock) {
  auto db = db::Database::Open(path, db::OpenMode::kCreateIfMissing);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return nullptr;
  Status s = (*db)->InitEvent({"KCD Colombia 2026", "America/Bogota", ""}, clock);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(db).value();
}

int ImportFile(db::Database& db, const std::string& path, const Clock& clock) {
  db::CsvExportSource src(path, db::RosterFormat::kAuto, {});
  auto snap = src.Fetch();
  EXPECT_TRUE(snap.ok()) << snap.status().message();
  if (!snap.ok()) return -1;
  auto sum = db::ApplyRoster(db, *snap, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
  EXPECT_TRUE(sum.ok()) << sum.status().message();
  return sum.ok() ? sum->added : -1;
}

int ImportFixture(db::Database& db, const std::string& name, const Clock& clock) {
  return ImportFile(db, DataFile("import/" + name), clock);
}

int ImportSampleRoster(db::Database& db, const Clock& clock) {
  return ImportFile(db, DataFile("../../deploy/sample/roster.csv"), clock);
}

}  // namespace checkin::testing
