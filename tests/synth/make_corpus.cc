// make_corpus OUT_DIR [--per-category N] [--seed S] [--width W --height H]
//
// Writes the synthetic golden corpus as zxing-cpp's black-box samples do:
// OUT_DIR/<category>/<name>.png and <name>.txt, the payloads a perfect reader
// finds, one per line (empty when the frame holds no code).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <string_view>
#include <system_error>

#include "common/number.h"
#include "tests/synth/synth.h"

namespace {

constexpr char kUsage[] =
    "usage: make_corpus OUT_DIR [--per-category N] [--seed S] [--width W --height H]\n";

struct Options {
  std::string out_dir;
  int per_category = 20;
  uint64_t seed = 1;
  int width = 1280;
  int height = 720;
};

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    checkin::Status st;
    if (arg == "--per-category") {
      st = checkin::ParseIntInto(value, 1, 100'000, arg, &o->per_category);
    } else if (arg == "--seed") {
      st = checkin::ParseIntInto(value, 0, INT64_MAX, arg, &o->seed);
    } else if (arg == "--width") {
      st = checkin::ParseIntInto(value, 16, 8192, arg, &o->width);
    } else if (arg == "--height") {
      st = checkin::ParseIntInto(value, 16, 8192, arg, &o->height);
    } else if (arg.starts_with("-") || !o->out_dir.empty()) {
      return false;
    } else {
      o->out_dir = arg;
      continue;
    }
    if (!st.ok()) {
      std::fprintf(stderr, "make_corpus: %s\n", st.message().c_str());
      return false;
    }
    ++i;
  }
  return !o->out_dir.empty();
}

bool WriteCase(const std::filesystem::path& root, const checkin::synth::CorpusCase& c,
               std::string* error) {
  const std::filesystem::path dir = root / c.category;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create " + dir.string() + ": " + ec.message();
    return false;
  }
  const std::filesystem::path png = dir / (c.name + ".png");
  if (!cv::imwrite(png.string(), checkin::synth::RenderScene(c.scene))) {
    *error = "cannot write " + png.string();
    return false;
  }
  std::ofstream txt(dir / (c.name + ".txt"), std::ios::binary);
  for (const std::string& payload : c.expected) txt << payload << '\n';
  if (!txt.flush()) {
    *error = "cannot write " + (dir / (c.name + ".txt")).string();
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  try {
    const auto cases = checkin::synth::GoldenCorpus(options.per_category, options.seed,
                                                    options.width, options.height);
    for (const auto& c : cases) {
      std::string error;
      if (!WriteCase(options.out_dir, c, &error)) {
        std::fprintf(stderr, "make_corpus: %s\n", error.c_str());
        return 1;
      }
    }
    std::printf("wrote %zu cases in %zu categories to %s\n", cases.size(),
                checkin::synth::CorpusCategories().size(), options.out_dir.c_str());
  } catch (const std::exception& e) {  // cv::Exception or a bad frame size
    std::fprintf(stderr, "make_corpus: %s\n", e.what());
    return 1;
  }
  return 0;
}
