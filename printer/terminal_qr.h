// A QR code drawn with text, for a terminal: how `checkin hub device add`
// shows a pairing code to a station's camera or phone. Pure; thread-safe.
#pragma once

#include <string>

#include "common/result.h"

namespace checkin::printer {

enum class TerminalQrStyle {
  kHalfBlocks,  // Unicode ▀ ▄ █: two modules a character row, square on most fonts
  kAscii,       // "##" and "  ": one module per two characters, any terminal
};

// The QR of `text` (ZXing's writer, level M) with its 4-module quiet zone, one
// line per character row, each ending in '\n'. Ink (█, ##) marks LIGHT
// modules and blanks the dark ones, as `qrencode -t UTF8` does: on a dark
// terminal it reads as dark on light; the caller paints the lines white on
// black when it can (ANSI colours) so it reads on a light one too.
// InvalidInput for text a QR cannot hold.
Result<std::string> RenderTerminalQr(const std::string& text, TerminalQrStyle style);

}  // namespace checkin::printer
