// Reading whole files that come from outside (configs, layouts, exports),
// with a size cap so a wrong path to a disk image fails fast. Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"

namespace checkin {

// NotFound if it cannot be opened, InvalidInput if larger than `max_bytes`,
// DeviceError if reading fails midway.
Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes);

}  // namespace checkin
