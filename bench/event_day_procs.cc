#include "bench/event_day_procs.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace checkin::bench {
namespace {

// argv and envp are built before fork(): between fork and exec a child of a
// threaded process may only make async-signal-safe calls.
struct ExecImage {
  std::vector<std::string> strings;
  std::vector<char*> argv, envp;

  ExecImage(const std::string& binary, const std::vector<std::string>& args) {
    strings.push_back(binary);
    strings.insert(strings.end(), args.begin(), args.end());
    const size_t nargs = strings.size();
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view v(*e);
      if (v.rfind("CHECKIN_DB=", 0) == 0 || v.rfind("CHECKIN_CONFIG=", 0) == 0) continue;
      strings.emplace_back(v);
    }
    strings.emplace_back("CHECKIN_CONFIG=");
    for (size_t i = 0; i < strings.size(); ++i) {
      (i < nargs ? argv : envp).push_back(strings[i].data());
    }
    argv.push_back(nullptr);
    envp.push_back(nullptr);
  }
};

// In the child: `fd` onto `target`, or the file at `path` when fd < 0.
void Redirect(int fd, const char* path, int flags, int target) {
  if (fd < 0) fd = open(path, flags, 0644);
  if (fd >= 0 && fd != target) dup2(fd, target);
}

std::string ReadWhole(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

RunOutput RunToEnd(const std::string& binary, const std::vector<std::string>& args,
                   const std::string& scratch) {
  static std::atomic<int> serial{0};
  const std::string stem = scratch + "/run-" + std::to_string(++serial);
  const std::string out_path = stem + ".out", err_path = stem + ".err";
  ExecImage image(binary, args);
  RunOutput r;
  const pid_t pid = fork();
  if (pid < 0) {
    r.err = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    Redirect(-1, "/dev/null", O_RDONLY, 0);
    Redirect(-1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 1);
    Redirect(-1, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 2);
    execve(image.argv[0], image.argv.data(), image.envp.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.rc = ExitCode(status);
  r.out = ReadWhole(out_path);
  r.err = ReadWhole(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return r;
}

std::unique_ptr<Daemon> Daemon::Start(const std::string& binary,
                                      const std::vector<std::string>& args, const std::string& log,
                                      Io io, std::string* error) {
  // O_CLOEXEC: a station must not inherit another's pipe ends, or closing
  // one station's stdin would never reach it.
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  if (io == Io::kPiped && (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  ExecImage image(binary, args);
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return nullptr;
  }
  if (pid == 0) {
    const int log_flags = O_WRONLY | O_CREAT | O_APPEND;
    Redirect(in[0], "/dev/null", O_RDONLY, 0);
    Redirect(out[1], log.c_str(), log_flags, 1);
    Redirect(-1, log.c_str(), log_flags, 2);
    execve(image.argv[0], image.argv.data(), image.envp.data());
    _exit(127);
  }
  auto d = std::unique_ptr<Daemon>(new Daemon());
  d->pid_ = pid;
  d->log_ = log;
  if (io == Io::kPiped) {
    close(in[0]);
    close(out[1]);
    d->in_ = in[1];
    d->out_ = out[0];
  }
  return d;
}

Daemon::~Daemon() {
  Stop(std::chrono::milliseconds(0), SIGTERM);
  if (out_ >= 0) close(out_);
}

bool Daemon::WriteLine(const std::string& line) {
  if (in_ < 0) return false;
  const std::string bytes = line + "\n";
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(in_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool Daemon::ReadLine(std::string* line) {
  for (;;) {
    const size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      *line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return true;
    }
    char buf[4096];
    const ssize_t n = out_ < 0 ? 0 : read(out_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    pending_.append(buf, static_cast<size_t>(n));
  }
}

void Daemon::CloseInput() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

std::string Daemon::WaitForLog(const std::string& text, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  std::string seen;
  for (;;) {
    seen = ReadWhole(log_);
    if (seen.find(text) != std::string::npos) return seen;
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      status_ = ExitCode(status);
      return seen;
    }
    if (std::chrono::steady_clock::now() > end) return seen;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int Daemon::Stop(std::chrono::milliseconds limit, int sig) {
  CloseInput();
  if (pid_ <= 0) return status_;
  int status = 0;
  auto waited = [&](std::chrono::milliseconds within) {
    const auto end = std::chrono::steady_clock::now() + within;
    do {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < end);
    return false;
  };
  if (!waited(limit)) {
    kill(pid_, sig);
    if (!waited(std::chrono::seconds(10))) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  pid_ = -1;
  status_ = ExitCode(status);
  return status_;
}

std::unique_ptr<HubFile> HubFile::Open(const std::string& path, std::string* error) {
  auto f = std::unique_ptr<HubFile>(new HubFile());
  if (sqlite3_open_v2(path.c_str(), &f->db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    *error = path + ": " + (f->db_ ? sqlite3_errmsg(f->db_) : "cannot open");
    return nullptr;
  }
  sqlite3_busy_timeout(f->db_, 5000);
  return f;
}

HubFile::~HubFile() { sqlite3_close(db_); }

std::vector<std::vector<std::string>> HubFile::Rows(const std::string& sql,
                                                    const std::vector<std::string>& params) {
  std::vector<std::vector<std::string>> rows;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    error_ = sqlite3_errmsg(db_);
    return rows;
  }
  for (size_t i = 0; i < params.size(); ++i) {
    sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      const unsigned char* text = sqlite3_column_text(st, c);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) error_ = sqlite3_errmsg(db_);
  sqlite3_finalize(st);
  return rows;
}

int64_t HubFile::Count(const std::string& sql, const std::vector<std::string>& params) {
  auto rows = Rows(sql, params);
  if (rows.empty() || rows[0].empty()) return -1;
  return std::stoll(rows[0][0]);
}

}  // namespace checkin::bench
