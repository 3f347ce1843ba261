// checkin decode: the scanner's still-image pipeline on image files, one line
// per file. How people find out why a ticket does not scan, and how the
// decoder is benchmarked on a corpus.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
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

int RunDecode(const DecodeOptions& o) {
  scanner::Decoder decoder(scanner::Effort::kStill);
  int rc = kExitOk;
  for (const std::string& file : o.files) {
    auto frame = scanner::LoadImage(file);
    if (!frame.ok()) {
      if (o.json) {
        JsonObject j;
        j.SetString("file", file).SetString("error", frame.status().message());
        PrintJson(j);
      } else {
        std::cerr << "error: " << Safe(frame.status().message()) << "\n";
      }
      rc = kExitError;
      continue;
    }
    const auto start = SystemClock().Monotonic();
    auto codes = decoder.Decode(*frame);
    const double ms =
        std::chrono::duration<double, std::milli>(SystemClock().Monotonic() - start).count();
    if (!codes.ok()) return Fail(codes.status());
    // What the scanner would redeem: the raw bytes through the same check,
    // not ZXing's text (which reads "caf\xE9" as "café").
    std::vector<Result<std::string>> redeemed;
    for (const auto& c : *codes) redeemed.push_back(NormalizeCode(c.bytes));
    const bool any_valid =
        std::any_of(redeemed.begin(), redeemed.end(), [](const auto& r) { return r.ok(); });
    if (!any_valid && rc == kExitOk) rc = kExitDenied;
    if (o.json) {
      std::vector<JsonObject> list;
      for (size_t i = 0; i < codes->size(); ++i) {
        const auto& c = (*codes)[i];
        std::vector<std::pair<double, double>> corners;
        for (const auto& p : c.corners) corners.emplace_back(p.x, p.y);
        JsonObject code;
        code.SetString("text", redeemed[i].ok() ? *redeemed[i] : SafeCodeForDisplay(c.bytes))
            .SetBool("valid", redeemed[i].ok());
        if (!redeemed[i].ok()) code.SetString("invalid", redeemed[i].status().message());
        code.SetPointArray("corners", corners);
        list.push_back(std::move(code));
      }
      JsonObject j;
      j.SetString("file", file)
          .SetArray("codes", std::move(list))
          .SetDouble("ms", std::round(ms * 10) / 10);
      PrintJson(j);
      continue;
    }
    std::cout << Safe(file) << ": ";
    if (codes->empty())
      std::cout << "no QR code found (" << frame->width << "x" << frame->height << ")";
    for (size_t i = 0; i < codes->size(); ++i) {
      const auto& c = (*codes)[i];
      std::cout << (i > 0 ? ", " : "") << SafeCodeForDisplay(c.bytes) << " [" << c.remedy << "]";
      if (!redeemed[i].ok())
        std::cout << " not a valid ticket code (" << redeemed[i].status().message() << ")";
    }
    std::printf(" %.1f ms\n", ms);
    std::fflush(stdout);
  }
  return rc;
}

}  // namespace

void RegisterDecode(CLI::App& app, const GlobalOptions& /*g*/, int& exit_code) {
  auto o = std::make_shared<DecodeOptions>();
  auto* cmd = app.add_subcommand("decode",
                                 "Find the QR codes in image files, as the scanner would (exit 0 "
                                 "a valid code in every file, 1 some not, 2 error)");
  cmd->add_option("FILE", o->files, "Images: PNG, JPEG, ...")->required();
  cmd->add_flag("--json", o->json,
                "One JSON object per file: file, codes (text as the scanner redeems it, valid, "
                "invalid: the reason, corners), ms");
  cmd->callback([&exit_code, o] { exit_code = RunDecode(*o); });
}

}  // namespace checkin::cli
