#include "tests/fakes/test_db.h"

#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

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

ProcessOutput RunProcess(const std::string& binary, const std::vector<std::string>& args,
                         const std::vector<std::string>& env) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    const int null_in = open("/dev/null", O_RDONLY);
    dup2(null_in, 0);
    std::vector<char*> argv;
    std::string bin = binary;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    unsetenv("CHECKIN_DB");
    // Empty, not unset: the built-in defaults even where /etc/checkin has a config.
    setenv("CHECKIN_CONFIG", "", 1);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  // Both pipes are drained together so a chatty stderr cannot block the child.
  ProcessOutput o;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? o.out : o.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  o.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return o;
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

std::unique_ptr<db::LocalDesk> NewDesk(db::Database& db, const Clock& clock) {
  auto desk = db::LocalDesk::Over(db, clock, DefaultConfig());
  EXPECT_TRUE(desk.ok()) << desk.status().message();
  return desk.ok() ? std::move(desk).value() : nullptr;
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

int64_t QueryInt(db::Database& db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  EXPECT_EQ(sqlite3_step(st), SQLITE_ROW) << sql;
  const int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

}  // namespace checkin::testing
