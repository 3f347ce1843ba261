// The format, as read (not copied) from pretix's sources:
// - src/pretix/base/secrets.py (Sig1TicketSecretGenerator): version byte 0x01,
//   payload and signature lengths as big-endian 16-bit numbers, the protobuf
//   payload, its Ed25519 signature; base64, then the string reversed.
// - src/pretix/base/secretgenerators/pretix_sig1.proto: Ticket{string seed = 1;
//   int64 item = 2, variation = 3, subevent = 4; optional int64
//   validFromUnixTime = 5, validUntilUnixTime = 6}.
// - src/pretix/api/serializers/event.py (ValidKeysField): the event's
//   valid_keys.pretix_sig1 is a list of base64 PEM SubjectPublicKeyInfo keys.
// - libpretixsync's check/AsyncCheckProvider.kt and crypto/Utils.kt: how a
//   scanner reads them offline (validity times of 0 mean unset).
#include "common/signed_ticket.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>
#include <cstring>

#include "common/text.h"

namespace checkin {
namespace {

constexpr uint8_t kVersion = 0x01;
constexpr size_t kHeaderBytes = 5;
constexpr size_t kSignatureBytes = crypto_sign_BYTES;
// The shortest possible code: a header and a signature around an empty payload.
constexpr size_t kMinCodeChars = (kHeaderBytes + kSignatureBytes + 2) / 3 * 4;
constexpr size_t kMaxKeyChars = 1024;  // a base64 PEM Ed25519 key is 152
constexpr std::string_view kPemBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kPemEnd = "-----END PUBLIC KEY-----";
// DER of SubjectPublicKeyInfo{AlgorithmIdentifier{OID 1.3.101.112 (Ed25519)},
// BIT STRING of 32 bytes} up to the key itself (RFC 8410): fixed for Ed25519.
constexpr uint8_t kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                          0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr size_t kSpkiBytes = sizeof kEd25519SpkiPrefix + crypto_sign_PUBLICKEYBYTES;

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=';
}

// Strict: padding required, no stray bits, nothing left over; `ignore` lists
// characters skipped between groups (PEM line breaks). Strictness matters
// beyond tidiness: pretix's revocation and block lists name secrets as
// strings, so a second spelling of the same bytes must not verify.
bool FromBase64(std::string_view text, const char* ignore, std::string* out) {
  out->resize(text.size() / 4 * 3 + 3);
  size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out->data()), out->size(), text.data(),
                        text.size(), ignore, &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  out->resize(n);
  return true;
}

// Reads protobuf wire format from a byte range.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(p_ + bytes.size()) {}
  bool done() const { return p_ == end_; }
  size_t left() const { return static_cast<size_t>(end_ - p_); }

  // At most ten bytes, the tenth adding only the 64th bit.
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int i = 0; i < 10 && p_ != end_; ++i) {
      const uint8_t b = *p_++;
      if (i == 9 && b > 1) return false;
      *v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool Take(size_t n, std::string_view* out) {
    if (n > left()) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return true;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

enum WireType : uint64_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

Status BadPayload(uint64_t field, const char* what) {
  return Status::InvalidInput("ticket payload: field " + std::to_string(field) + ": " + what);
}

// Stores a known varint field; other field numbers are skipped. A later
// occurrence wins, as protobuf says. Times of 0 or less mean unset, as
// libpretixsync reads them.
void StoreVarint(uint64_t field, uint64_t raw, SignedTicket* t) {
  const auto v = static_cast<int64_t>(raw);
  const auto time = v > 0 ? std::optional<int64_t>(v) : std::nullopt;
  switch (field) {
    case 2:
      t->item = v;
      break;
    case 3:
      t->variation = v;
      break;
    case 4:
      t->subevent = v;
      break;
    case 5:
      t->valid_from = time;
      break;
    case 6:
      t->valid_until = time;
      break;
    default:
      break;
  }
}

}  // namespace

const SignedTicket& SignedTicketVerdict::ticket() const {
  assert(valid() && "ticket() of a verdict that is not valid");
  return ticket_;
}

Result<SignedTicket> DecodeSig1Payload(std::string_view bytes) {
  SignedTicket t;
  WireReader r(bytes);
  while (!r.done()) {
    uint64_t tag = 0;
    if (!r.Varint(&tag))
      return Status::InvalidInput("ticket payload: a tag is cut short or too long");
    const uint64_t field = tag >> 3, wire = tag & 7;
    if (field == 0 || field > 0x1fffffff) return BadPayload(field, "not a field number");
    const bool known = field <= 6;
    if (known && wire != (field == 1 ? kLengthDelimited : kVarint)) {
      return BadPayload(field, "wrong wire type");
    }
    uint64_t n = 0;
    std::string_view skipped;
    switch (wire) {
      case kVarint:
        if (!r.Varint(&n)) return BadPayload(field, "varint cut short or longer than 64 bits");
        StoreVarint(field, n, &t);
        break;
      case kLengthDelimited:
        if (!r.Varint(&n) || n > r.left() || !r.Take(static_cast<size_t>(n), &skipped)) {
          return BadPayload(field, "length runs past the end");
        }
        if (field == 1) t.seed.assign(skipped);
        break;
      case kFixed64:
      case kFixed32:
        if (!r.Take(wire == kFixed64 ? 8 : 4, &skipped)) return BadPayload(field, "cut short");
        break;
      default:  // groups (3, 4) are long deprecated; 6 and 7 do not exist
        return BadPayload(field, "unsupported wire type");
    }
  }
  if (!IsValidUtf8(t.seed)) return BadPayload(1, "seed is not UTF-8");
  return t;
}

Result<Sig1PublicKey> ParseSig1Key(std::string_view published) {
  published = Trim(published);
  if (published.size() > kMaxKeyChars) return Status::InvalidInput("too long for a public key");
  std::string pem, der;
  if (!FromBase64(published, nullptr, &pem)) return Status::InvalidInput("not base64");
  std::string_view body = Trim(pem);
  if (body.size() < kPemBegin.size() + kPemEnd.size() || !body.starts_with(kPemBegin) ||
      !body.ends_with(kPemEnd)) {
    return Status::InvalidInput("not a PEM public key (no BEGIN/END PUBLIC KEY lines)");
  }
  body = body.substr(kPemBegin.size(), body.size() - kPemBegin.size() - kPemEnd.size());
  if (!FromBase64(Trim(body), "\r\n", &der)) return Status::InvalidInput("PEM body is not base64");
  if (der.size() != kSpkiBytes ||
      std::memcmp(der.data(), kEd25519SpkiPrefix, sizeof kEd25519SpkiPrefix) != 0) {
    return Status::InvalidInput("not an Ed25519 public key (pretix_sig1 uses Ed25519 only)");
  }
  Sig1PublicKey key;
  std::memcpy(key.bytes.data(), der.data() + sizeof kEd25519SpkiPrefix, key.bytes.size());
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  // Small-order and non-canonical points would make any signature check meaningless.
  if (crypto_core_ed25519_is_valid_point(key.bytes.data()) != 1) {
    return Status::InvalidInput("not a usable Ed25519 public key (invalid or small-order point)");
  }
  return key;
}

Result<std::vector<Sig1PublicKey>> ParseSig1Keys(const std::vector<std::string>& published) {
  if (published.size() > kMaxSig1Keys) {
    return Status::InvalidInput("more than " + std::to_string(kMaxSig1Keys) + " pretix_sig1 keys");
  }
  std::vector<Sig1PublicKey> keys;
  for (size_t i = 0; i < published.size(); ++i) {
    auto key = ParseSig1Key(published[i]);
    if (!key.ok()) {
      return key.status().WithContext("key " + std::to_string(i + 1) + " of " +
                                      std::to_string(published.size()) + ": ");
    }
    keys.push_back(*key);
  }
  return keys;
}

SignedTicketVerdict VerifySignedTicket(std::string_view code,
                                       const std::vector<Sig1PublicKey>& keys) {
  using enum SignedTicketCheck;
  if (code.size() > kMaxSignedTicketBytes) return {kMalformed, "too_long"};
  // Reversed, a pretix_sig1 code opens with the version byte 0x01 and a
  // payload length under 4096: "AQ" in base64. Plain codes (roster codes with
  // dashes, pretix's random lower-case secrets, barcodes of digits) fail one
  // of these tests and go to the roster as they are.
  if (code.size() < kMinCodeChars || !std::all_of(code.begin(), code.end(), IsBase64Char) ||
      !code.ends_with("QA")) {
    return {kNotSigned, "not_sig1"};
  }
  const std::string reversed(code.rbegin(), code.rend());
  std::string raw;
  if (!FromBase64(reversed, nullptr, &raw)) return {kMalformed, "bad_base64"};
  const auto* b = reinterpret_cast<const unsigned char*>(raw.data());
  if (raw.size() < kHeaderBytes || b[0] != kVersion) return {kMalformed, "bad_header"};
  const size_t payload_len = static_cast<size_t>(b[1]) << 8 | b[2];
  const size_t signature_len = static_cast<size_t>(b[3]) << 8 | b[4];
  if (signature_len != kSignatureBytes) return {kMalformed, "signature_length"};
  // Exactly: pretix ignores trailing bytes, but then one ticket would have
  // many spellings (see FromBase64).
  if (kHeaderBytes + payload_len + signature_len != raw.size()) {
    return {kMalformed, "length_mismatch"};
  }
  if (keys.empty()) return {kForged, "no_keys"};
  if (!SodiumReady()) return {kForged, "crypto_unavailable"};
  const unsigned char* payload = b + kHeaderBytes;
  const unsigned char* signature = payload + payload_len;
  const bool signed_by_one = std::any_of(keys.begin(), keys.end(), [&](const Sig1PublicKey& k) {
    return crypto_sign_verify_detached(signature, payload, payload_len, k.bytes.data()) == 0;
  });
  if (!signed_by_one) return {kForged, "no_key_matches"};
  // Decoded only once signed: bytes nobody vouched for never reach the parser.
  auto ticket =
      DecodeSig1Payload(std::string_view(reinterpret_cast<const char*>(payload), payload_len));
  if (!ticket.ok()) return {kMalformed, "bad_payload"};
  return SignedTicketVerdict(std::move(*ticket));
}

}  // namespace checkin
