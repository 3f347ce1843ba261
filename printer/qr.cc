#include "printer/qr.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <exception>

namespace checkin::printer {

Result<QrMatrix> EncodeQr(const std::string& text) {
  if (text.empty() || text.size() > 1000) {
    return Status::InvalidInput("a badge QR holds 1 to 1000 bytes");
  }
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(0).setEccLevel(4);  // ZXing's scale 0..8: 4 is level M
    const ZXing::BitMatrix m = writer.encode(text, 0, 0);
    QrMatrix q;
    q.size = m.width();
    q.dark.resize(static_cast<size_t>(q.size) * static_cast<size_t>(q.size));
    for (int y = 0; y < q.size; ++y) {
      for (int x = 0; x < q.size; ++x) q.dark[static_cast<size_t>(y * q.size + x)] = m.get(x, y);
    }
    return q;
  } catch (const std::exception& e) {
    // ZXing reports unencodable input by exception; it stops here.
    return Status::InvalidInput(std::string("cannot make a QR code: ") + e.what());
  }
}

}  // namespace checkin::printer
