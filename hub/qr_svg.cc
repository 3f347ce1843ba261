#include "hub/qr_svg.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <exception>

namespace checkin::hub {
namespace {

constexpr int kQuietZone = 4;  // modules of light margin the QR standard asks for

}  // namespace

Result<std::string> QrSvg(const std::string& text) {
  if (text.empty() || text.size() > 1000) {
    return Status::InvalidInput("a QR code here holds 1 to 1000 bytes");
  }
  ZXing::BitMatrix m;
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(0).setEccLevel(4);  // ZXing's scale 0..8: 4 is level M
    m = writer.encode(text, 0, 0);
  } catch (const std::exception& e) {
    // ZXing reports unencodable input by exception; it stops here.
    return Status::InvalidInput(std::string("cannot make a QR code: ") + e.what());
  }
  const std::string side = std::to_string(m.width() + 2 * kQuietZone);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" +
                    side + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One rectangle per horizontal run of dark modules keeps the path a few
  // kilobytes for a pairing code's symbol.
  for (int y = 0; y < m.height(); ++y) {
    for (int x = 0; x < m.width();) {
      if (!m.get(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < m.width() && m.get(x, y)) ++x;
      const std::string run = std::to_string(x - start);
      svg += "M" + std::to_string(start + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
             run + "v1h-" + run + "z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace checkin::hub
