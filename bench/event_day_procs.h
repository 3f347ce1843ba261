// The real processes of bench/event_day: one-shot `checkin` commands whose
// output is read back, and long-lived daemons (the hub, the scan and print
// stations) whose stdin and stdout the simulator may hold. Children get
// CHECKIN_DB unset and CHECKIN_CONFIG empty, as the tests' processes do.
// Start and Run may be called from several threads; one Daemon per owner.
// HubFile reads the hub's event file as an outside observer would.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace checkin::bench {

struct RunOutput {
  int rc = -1;  // exit status, or -1 when it did not exit normally
  std::string out, err;
};

// Runs `binary args...` to its end; its stdout and stderr go through files
// under `scratch` (a folder) and are returned.
RunOutput RunToEnd(const std::string& binary, const std::vector<std::string>& args,
                   const std::string& scratch);

enum class Io {
  kLogOnly,  // stdin /dev/null; stdout and stderr appended to the log
  kPiped,    // stdin and stdout are pipes held here; stderr to the log
};

class Daemon {
 public:
  // Null (with `*error`) when the process cannot be started.
  static std::unique_ptr<Daemon> Start(const std::string& binary,
                                       const std::vector<std::string>& args, const std::string& log,
                                       Io io, std::string* error);
  ~Daemon();  // SIGTERM, then SIGKILL after 10 s
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Writes one line to its stdin (kPiped); false once it is gone.
  bool WriteLine(const std::string& line);
  // Reads one line of its stdout (kPiped), blocking; false at its end.
  bool ReadLine(std::string* line);
  // Ends its stdin: a keyboard-only `checkin scan` then finishes and exits.
  void CloseInput();
  // Waits until the log holds `text` (or the process ended, or `limit`);
  // the log then.
  std::string WaitForLog(const std::string& text, std::chrono::milliseconds limit);
  // Waits up to `limit` for it to exit by itself, then sends `sig` and waits
  // (SIGKILL after 10 s more). Its exit status as RunOutput::rc has it.
  int Stop(std::chrono::milliseconds limit, int sig);

 private:
  Daemon() = default;
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string log_;
  std::string pending_;  // bytes of stdout read past the last line
  int status_ = -1;
};

// The hub's SQLite file, read-only and straight through SQLite: the bench
// checks the product against its file, not through the product's own code.
class HubFile {
 public:
  static std::unique_ptr<HubFile> Open(const std::string& path, std::string* error);
  ~HubFile();
  HubFile(const HubFile&) = delete;
  HubFile& operator=(const HubFile&) = delete;

  // Each row of `sql` (text parameters ?1, ?2...) as text, NULL as "".
  // Empty on error, with error() set.
  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const std::vector<std::string>& params = {});
  // The first column of the first row as a number (-1 on error).
  int64_t Count(const std::string& sql, const std::vector<std::string>& params = {});
  const std::string& error() const { return error_; }

 private:
  HubFile() = default;
  sqlite3* db_ = nullptr;
  std::string error_;
};

}  // namespace checkin::bench
