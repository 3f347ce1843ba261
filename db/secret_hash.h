// How the db module stores secrets it hands out (device tokens, pairing
// codes, page login links and sessions) and the PINs people choose: only
// hashes, compared in constant time. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin::db {

// Lowercase hex of the SHA-256. For random secrets of 100 bits or more a
// plain hash cannot be reversed by guessing, and it stays indexable.
Result<std::string> Sha256Hex(std::string_view data);

// Lowercase hex of scrypt(pin, salt): PINs are short enough to guess, so
// each guess must cost (N = 2^14, r = 8, p = 1: about 16 MiB and tens of ms).
Result<std::string> PinHashHex(std::string_view pin, std::string_view salt);

// Equal bytes, in time independent of where they differ.
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace checkin::db
