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

}  // namespace checkin
