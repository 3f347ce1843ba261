// Unpredictable identifiers from the kernel's CSPRNG: badge codes and check-in
// ids. Thread-safe.
#pragma once

#include <string>
#include <vector>

namespace checkin {

// `n` characters of RFC 4648 base32 (A-Z, 2-7): easy to read aloud and to type.
std::string RandomBase32(size_t n);

// `count` such strings from one read of the kernel's pool (bulk imports).
std::vector<std::string> RandomBase32Batch(size_t count, size_t n);

// A random (version 4) UUID in canonical text form.
std::string RandomUuid();

}  // namespace checkin
