#include "scanner/sound.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace checkin::scanner {
namespace {

constexpr int kRate = 16000;

void Put16(std::string& s, int v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}
void Put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Appends `ms` of a sine at `hz` (0: silence), faded in and out to avoid clicks.
void Note(std::vector<int16_t>& pcm, double hz, int ms) {
  const int n = kRate * ms / 1000, fade = kRate / 200;
  for (int i = 0; i < n; ++i) {
    const double env =
        std::min({1.0, i / static_cast<double>(fade), (n - i) / static_cast<double>(fade)});
    const double v = hz <= 0 ? 0 : std::sin(2 * M_PI * hz * i / kRate);
    pcm.push_back(static_cast<int16_t>(12000 * env * v));
  }
}

const char* FileName(Tone t) {
  return t == Tone::kGreen ? "admitted.wav" : t == Tone::kAmber ? "already.wav" : "denied.wav";
}

}  // namespace

std::string ToneWav(Tone t) {
  std::vector<int16_t> pcm;
  if (t == Tone::kGreen) {
    Note(pcm, 880, 90);
    Note(pcm, 1320, 140);
  } else if (t == Tone::kAmber) {
    Note(pcm, 660, 220);
  } else {
    Note(pcm, 220, 160);
    Note(pcm, 0, 70);
    Note(pcm, 220, 160);
  }
  const auto bytes = static_cast<uint32_t>(pcm.size() * 2);
  std::string w = "RIFF";
  Put32(w, 36 + bytes);
  w += "WAVEfmt ";
  Put32(w, 16);
  Put16(w, 1);  // PCM
  Put16(w, 1);  // mono
  Put32(w, kRate);
  Put32(w, kRate * 2);
  Put16(w, 2);
  Put16(w, 16);
  w += "data";
  Put32(w, bytes);
  for (int16_t s : pcm) Put16(w, s);
  return w;
}

Beeper::Beeper() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "checkin-sound-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return;
  dir_ = tmpl;
  for (Tone t : {Tone::kGreen, Tone::kAmber, Tone::kRed}) {
    std::ofstream(dir_ + "/" + FileName(t), std::ios::binary) << ToneWav(t);
  }
}

Beeper::~Beeper() {
  for (int pid : children_) waitpid(pid, nullptr, 0);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void Beeper::Play(Tone t) {
  // Reap the tones that finished.
  std::erase_if(children_, [](int pid) { return waitpid(pid, nullptr, WNOHANG) != 0; });
  std::string file = dir_ + "/" + FileName(t);
  std::string prog = "aplay", quiet = "-q";
  char* argv[] = {prog.data(), quiet.data(), file.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  // The station blocks SIGINT/SIGTERM in its threads; the player must not inherit that.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const bool spawned = !dir_.empty() && posix_spawnp(&pid, "aplay", &fa, &attr, argv, environ) == 0;
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&fa);
  if (spawned) {
    children_.push_back(pid);
  } else {
    std::fputs(t == Tone::kGreen ? "\a" : "\a\a", stderr);
  }
}

}  // namespace checkin::scanner
