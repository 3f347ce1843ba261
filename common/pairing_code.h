// Pairing codes: what `checkin hub device add` shows once (as text and as a
// QR) and `checkin station pair` reads: the hub's URLs, the device's one-time
// pairing secret and the SHA-256 fingerprint of the hub's certificate, which
// the station pins. "CKIN1-" + base32 in groups of five: QR alphanumeric mode
// keeps the symbol small, and it can be typed (case, dashes and spaces do not
// matter). A CRC-32 inside catches a mistyped character. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/messages.h"
#include "common/result.h"

namespace checkin {

// A pairing secret: this many base32 characters (160 bits), from RandomBase32.
inline constexpr size_t kPairingSecretLength = 32;
inline constexpr size_t kMaxHubUrls = 4;
// A device token, what pairing spends the secret for: this many base32
// characters (260 bits).
inline constexpr size_t kDeviceTokenLength = 52;

struct PairingCode {
  std::vector<std::string> hub_urls;  // 1..kMaxHubUrls, tried in order
  std::string secret;                 // kPairingSecretLength base32 characters
  std::string fingerprint;            // SHA-256 of the certificate: 64 lowercase hex
};

// InvalidInput (in `lang`) for a code that breaks a rule below; the message
// names the rule and never holds the secret.
Result<std::string> EncodePairingCode(const PairingCode& code, Language lang = Language::kSpanish);
// Strict: the version prefix, every length, each URL, the fingerprint and the
// checksum. InvalidInput naming what is wrong (never the secret).
Result<PairingCode> DecodePairingCode(std::string_view text, Language lang = Language::kSpanish);

// A hub URL a station may be given: https://HOST[:PORT][/PATH], or http:// on
// loopback only (localhost, 127.x.x.x, [::1]): the venue Wi-Fi is shared with
// attendees. Printable ASCII, no credentials, at most 255 bytes.
Status CheckHubUrl(std::string_view url, Language lang = Language::kSpanish);
// localhost, 127.x.x.x, ::1 or [::1]: where plain HTTP is allowed.
bool IsLoopbackHost(std::string_view host);
// The host of a URL's authority (what follows "scheme://" up to the path):
// "[::1]" keeps its brackets, a port is left out; "" when it names none.
std::string_view AuthorityHost(std::string_view authority);
// 64 lowercase hexadecimal digits.
Status CheckFingerprint(std::string_view fingerprint, Language lang = Language::kSpanish);
// kDeviceTokenLength upper-case RFC 4648 base32 characters (A-Z, 2-7).
bool IsDeviceToken(std::string_view token);

}  // namespace checkin
