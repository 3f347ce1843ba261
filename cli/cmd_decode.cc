// checkin decode: the scanner's still-image pipeline on image files, one line
// per file. How people find out why a ticket does not scan, and how the
// decoder is benchmarked on a corpus.
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/code.h"
#include "scanner/decoder.h"
#include "scanner/frame_source.h"

namespace checkin::cli {
namespace {

struct DecodeOptions {
  std::vector<std::string> files;
  bool json = false;
};

int Run(const DecodeOptions& o) {
  scanner::Decoder decoder(scanner::Effort::kStill);
  int rc = kExitOk;
  for (const std::string& file : o.files) {
    auto frame = scanner::LoadImage(file);
    if (!frame.ok()) {
      if (o.json) {
        std::cout << nlohmann::json{{"file", file}, {"error", frame.status().message()}}.dump(
                         -1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
      } else {
        std::cerr << "error: " << frame.status().message() << "\n";
      }
      rc = kExitError;
      continue;
    }
    const auto start = SystemClock().Monotonic();
    auto codes = decoder.Decode(*frame);
    const double ms = std::chrono::duration<double, std::milli>(SystemClock().Monotonic() - start).count();
    if (!codes.ok()) return Fail(codes.status());
    if (codes->empty() && rc == kExitOk) rc = kExitDenied;
    if (o.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : *codes) {
        nlohmann::json corners = nlohmann::json::array();
        for (const auto& p : c.corners) corners.push_back({p.x, p.y});
        list.push_back({{"text", c.text}, {"corners", corners}});
      }
      std::cout << nlohmann::json{{"file", file}, {"codes", list}, {"ms", std::round(ms * 10) / 10}}.dump(
                       -1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      continue;
    }
    std::cout << file << ": ";
    if (codes->empty()) std::cout << "no QR code found (" << frame->width << "x" << frame->height << ")";
    for (size_t i = 0; i < codes->size(); ++i) {
      const auto& c = (*codes)[i];
      std::cout << (i > 0 ? ", " : "") << SafeCodeForDisplay(c.bytes) << " [" << c.remedy << "]";
    }
    std::printf(" %.1f ms\n", ms);
    std::fflush(stdout);
  }
  return rc;
}

}  // namespace

void RegisterDecode(CLI::App& app, const GlobalOptions& /*g*/, int& exit_code) {
  auto o = std::make_shared<DecodeOptions>();
  auto* cmd = app.add_subcommand(
      "decode", "Find the QR codes in image files, as the scanner would (exit 0 all found, 1 some not, 2 error)");
  cmd->add_option("FILE", o->files, "Images: PNG, JPEG, ...")->required();
  cmd->add_flag("--json", o->json, "One JSON object per file: file, codes (text, corners), ms");
  cmd->callback([&exit_code, o] { exit_code = Run(*o); });
}

}  // namespace checkin::cli
