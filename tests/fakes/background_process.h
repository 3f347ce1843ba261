// A program the test starts and leaves running (the hub, a station daemon):
// its output goes to a file the test can wait on, and it is killed (SIGTERM,
// or SIGKILL on request) when the test is done with it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace checkin::testing {

class BackgroundProcess {
 public:
  // Starts `binary args...` with stdout and stderr appended to `log`, with
  // CHECKIN_DB unset and CHECKIN_CONFIG empty, as RunProcess does.
  BackgroundProcess(const std::string& binary, const std::vector<std::string>& args,
                    std::string log)
      : log_(std::move(log)) {
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      const int null_in = open("/dev/null", O_RDONLY);
      dup2(null_in, 0);
      std::vector<std::string> copy = args;
      std::string bin = binary;
      std::vector<char*> argv{bin.data()};
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      unsetenv("CHECKIN_DB");
      setenv("CHECKIN_CONFIG", "", 1);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
  }
  ~BackgroundProcess() { Stop(SIGTERM); }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Waits (at most `limit`) until the log holds `text`; what it holds then.
  std::string WaitFor(const std::string& text,
                      std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    std::string seen;
    while (std::chrono::steady_clock::now() < end) {
      std::ifstream f(log_);
      std::stringstream ss;
      ss << f.rdbuf();
      seen = ss.str();
      if (seen.find(text) != std::string::npos) return seen;
      int status = 0;
      if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;  // it ended without saying it
        return seen;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return seen;
  }

  // Sends `sig` and waits for the process to end; its exit status.
  int Stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
};

}  // namespace checkin::testing
