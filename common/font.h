// Finding font files by name through fontconfig, so badges and the station
// screen use whatever the machine has installed, wherever it put it.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin {

// The fonts of the default badge layout and of the station screen: DejaVu
// Sans, Debian's fonts-dejavu-core (a dependency of the package).
inline constexpr std::string_view kDefaultFont = "DejaVu Sans";
inline constexpr std::string_view kDefaultBoldFont = "DejaVu Sans:bold";

// The file of the installed font that best matches a fontconfig pattern
// ("DejaVu Sans", "DejaVu Sans:bold"). NotFound, naming the font and what to
// install, when no installed font has the pattern's family (fontconfig itself
// would silently offer another family); InvalidInput for a malformed pattern.
Result<std::string> FindFontFile(std::string_view pattern);

// A font file and, for a collection (.ttc), the face in it.
struct FontFace {
  std::string path;
  int index = 0;
};

// The installed TrueType font closest to `family` that draws every character
// of `utf8_text` (spaces and controls aside): how a name in a script the
// default font lacks (CJK, Devanagari) finds a font. TrueType outlines only,
// since the PDF library embeds no other. NotFound, naming the characters,
// when no installed font has them all.
Result<FontFace> FindFontCovering(std::string_view utf8_text,
                                  std::string_view family = kDefaultFont);

}  // namespace checkin
