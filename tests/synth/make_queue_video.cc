// make_queue_video OUT.avi CODE... [--codes-file FILE] [--hold N] [--gap N] [--fps F]
//                  [--seed S] [--width W --height H]
//
// Writes an MJPG video of a queue at the desk: each code held up in turn by a new
// person, then a gap with no code. For end-to-end tests of the scan loop.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/number.h"
#include "tests/synth/synth.h"

namespace {

constexpr char kUsage[] =
    "usage: make_queue_video OUT.avi CODE... [--codes-file FILE] [--hold N] [--gap N] [--fps F]\n"
    "                        [--seed S] [--width W --height H]\n";

// One code per line; a trailing CR (a file from Windows) and blank lines are dropped.
bool ReadCodes(const std::string& file, std::vector<std::string>* codes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) codes->push_back(line);
  }
  return !in.bad();
}

bool ParseOption(std::string_view arg, const char* value, checkin::synth::QueueSpec* spec,
                 std::string* error) {
  checkin::Status st = checkin::Status::InvalidInput("unknown option " + std::string(arg));
  if (arg == "--hold") st = checkin::ParseIntInto(value, 1, 100'000, arg, &spec->hold_frames);
  if (arg == "--gap") st = checkin::ParseIntInto(value, 0, 100'000, arg, &spec->gap_frames);
  if (arg == "--seed") st = checkin::ParseIntInto(value, 0, INT64_MAX, arg, &spec->seed);
  if (arg == "--width") st = checkin::ParseIntInto(value, 16, 8192, arg, &spec->width);
  if (arg == "--height") st = checkin::ParseIntInto(value, 16, 8192, arg, &spec->height);
  if (arg == "--fps") {
    auto fps = checkin::ParseDouble(value, 1, 240, arg);
    st = fps.ok() ? checkin::Status::Ok() : fps.status();
    if (fps.ok()) spec->fps = *fps;
  }
  if (arg == "--codes-file") {
    if (ReadCodes(value, &spec->payloads)) return true;
    *error = std::string("cannot read ") + value;
    return false;
  }
  *error = st.message();
  return st.ok();
}

bool ParseArgs(int argc, char** argv, std::string* out, checkin::synth::QueueSpec* spec,
               std::string* error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with("--")) {
      if (out->empty()) {
        *out = arg;
      } else {
        spec->payloads.emplace_back(arg);
      }
      continue;
    }
    if (i + 1 >= argc) {
      *error = "missing value for " + std::string(arg);
      return false;
    }
    if (!ParseOption(arg, argv[++i], spec, error)) {
      if (error->empty()) *error = "bad value for " + std::string(arg);
      return false;
    }
  }
  if (out->empty() || spec->payloads.empty()) *error = "need OUT.avi and at least one code";
  return error->empty();
}

}  // namespace

int main(int argc, char** argv) {
  std::string out, error;
  checkin::synth::QueueSpec spec;
  if (!ParseArgs(argc, argv, &out, &spec, &error)) {
    std::fprintf(stderr, "make_queue_video: %s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (!checkin::synth::WriteQueueVideo(spec, out, &error)) {
    std::fprintf(stderr, "make_queue_video: %s\n", error.c_str());
    return 1;
  }
  std::printf("wrote %zu codes, %zu frames at %g fps to %s\n", spec.payloads.size(),
              spec.payloads.size() * static_cast<size_t>(spec.hold_frames + spec.gap_frames),
              spec.fps, out.c_str());
  return 0;
}
