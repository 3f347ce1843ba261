// netcut: the TCP proxy of tests/netcut as a program, for shell scripts (the
// demo's venue scene, the event-day bench) that cut one station off its hub.
//
//   netcut --to HUB_PORT [--listen PORT]
//
// prints "netcut listening at 127.0.0.1:PORT", then SIGUSR1 drops the link,
// SIGHUP stalls it, SIGUSR2 heals it, SIGINT/SIGTERM end it. Loopback only.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/netcut/tcp_proxy.h"

namespace {

int Port(const char* text) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < 0 || v > 65535) return -1;
  return static_cast<int>(v);
}

}  // namespace

int main(int argc, char** argv) {
  int to = -1, listen = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--to") == 0) {
      to = Port(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--listen") == 0) {
      listen = Port(argv[i + 1]);
    } else {
      to = -1;
      break;
    }
  }
  if (to <= 0 || listen < 0 || argc % 2 == 0) {
    std::fprintf(stderr, "usage: netcut --to PORT [--listen PORT]\n");
    return 2;
  }
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGUSR1, SIGUSR2, SIGHUP, SIGINT, SIGTERM}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the proxy's thread starts
  std::string error;
  auto proxy = checkin::netcut::TcpProxy::Start(to, listen, &error);
  if (!proxy) {
    std::fprintf(stderr, "netcut: %s\n", error.c_str());
    return 1;
  }
  std::printf("netcut listening at 127.0.0.1:%d\n", proxy->port());
  std::fflush(stdout);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGUSR1) {
      proxy->CutOff(checkin::netcut::Cut::kDrop);
      std::printf("netcut: link dropped\n");
    } else if (sig == SIGHUP) {
      proxy->CutOff(checkin::netcut::Cut::kHang);
      std::printf("netcut: link stalled\n");
    } else if (sig == SIGUSR2) {
      proxy->Heal();
      std::printf("netcut: link healed\n");
    } else {
      break;
    }
    std::fflush(stdout);
  }
  return 0;
}
