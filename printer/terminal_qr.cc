#include "printer/terminal_qr.h"

#include "printer/qr.h"

namespace checkin::printer {
namespace {

constexpr int kQuietZone = 4;  // modules of light margin the QR standard asks for

}  // namespace

Result<std::string> RenderTerminalQr(const std::string& text, TerminalQrStyle style) {
  auto qr = EncodeQr(text);
  if (!qr.ok()) return qr.status();
  const int side = qr->size + 2 * kQuietZone;
  // Outside the symbol is quiet zone (light); below the last row is nothing.
  auto light = [&](int x, int y) {
    const int qx = x - kQuietZone, qy = y - kQuietZone;
    if (qx < 0 || qy < 0 || qx >= qr->size || qy >= qr->size) return true;
    return !qr->at(qx, qy);
  };
  std::string out;
  if (style == TerminalQrStyle::kAscii) {
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) out += light(x, y) ? "##" : "  ";
      out += '\n';
    }
    return out;
  }
  for (int y = 0; y < side; y += 2) {
    for (int x = 0; x < side; ++x) {
      const bool top = light(x, y);
      const bool bottom = y + 1 < side && light(x, y + 1);
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += '\n';
  }
  return out;
}

}  // namespace checkin::printer
