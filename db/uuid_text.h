// The one spelling of a check-in's uuid the log keeps: RFC 4122 text in
// lowercase. For the db module's .cc files (libuuid stays in the .cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace checkin::db {

// `text` as lowercase RFC 4122 text when it is a UUID in any case, 36
// characters, not the nil UUID (what an unset field looks like); nullopt
// otherwise.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace checkin::db
