// Verification codes of certificates of attendance: a short keyed MAC of the
// ticket and the event under the event's secret key, so a code can be checked
// by whoever holds the event file and made by nobody else. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin {

// Characters of a code: Crockford's base32 (no I, L, O or U), read aloud and
// typed without confusion. kCertificateCodeLength of them carry 50 bits.
inline constexpr std::string_view kCertificateCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr size_t kCertificateCodeLength = 10;

// A new secret key for an event: 32 bytes from the kernel's CSPRNG, in hex.
std::string NewCertificateKey();

// The code of one ticket ("7K2QH-M9XTD"): BLAKE2b keyed with `key_hex`
// over the event's identity and the ticket's source and id, each
// length-prefixed so no two inputs share an encoding. InvalidInput for a key
// that is not 64 hex digits.
Result<std::string> CertificateCode(std::string_view key_hex, std::string_view event_id,
                                    std::string_view source, std::string_view ticket_id);

// What a person typed, in the form CertificateCode writes: case folded,
// spaces and dashes dropped then one dash in the middle, O read as 0, I and L
// as 1. Nullopt when it is not kCertificateCodeLength characters of the
// alphabet.
std::optional<std::string> NormalizeCertificateCode(std::string_view typed);

// Constant-time comparison of two codes of the same length.
bool SameCertificateCode(std::string_view a, std::string_view b);

}  // namespace checkin
