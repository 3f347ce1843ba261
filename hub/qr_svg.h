// A QR code as an SVG document, drawn by the hub for the admins' device page
// (the pairing code shown on screen to a station's camera). Pure; thread-safe.
#pragma once

#include <string>

#include "common/result.h"

namespace checkin::hub {

// The QR of `text` (ZXing's writer, level M) with its 4-module quiet zone: a
// white square and one black <path>, one unit per module, scaled by the
// page. InvalidInput for empty text or text a QR cannot hold.
Result<std::string> QrSvg(const std::string& text);

}  // namespace checkin::hub
