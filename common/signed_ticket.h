// pretix's signed tickets (its "pretix_sig1" secret scheme): checks a scanned
// code against the event's published Ed25519 keys offline and decodes what the
// ticket says. libsodium stays inside signed_ticket.cc. Pure; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace checkin {

// Longer codes are refused before any decoding; real ones are ~120 bytes.
inline constexpr size_t kMaxSignedTicketBytes = 4096;
// More keys than pretix ever publishes at once (one, two while rotating).
inline constexpr size_t kMaxSig1Keys = 16;

struct Sig1PublicKey {
  std::array<uint8_t, 32> bytes{};  // the raw Ed25519 public key
};

// One entry of the event's `valid_keys.pretix_sig1`: base64 of a PEM
// "PUBLIC KEY" whose DER is an Ed25519 SubjectPublicKeyInfo. InvalidInput
// saying what is wrong for anything else (bad base64, no PEM armour, an RSA,
// EC or Ed448 key, a point that is not a usable Ed25519 key).
Result<Sig1PublicKey> ParseSig1Key(std::string_view published);
// All of them; InvalidInput naming the first bad one ("key 2 of 3: ...").
Result<std::vector<Sig1PublicKey>> ParseSig1Keys(const std::vector<std::string>& published);

// What a verified ticket says (pretix's protobuf `Ticket`).
struct SignedTicket {
  std::string seed;       // pretix's random part: unique per ticket (UTF-8)
  int64_t item = 0;       // product id
  int64_t variation = 0;  // 0: none
  int64_t subevent = 0;   // 0: none
  std::optional<int64_t> valid_from, valid_until;  // Unix seconds, when set
};

enum class SignedTicketCheck {
  kNotSigned,  // not shaped like a pretix_sig1 code: look it up as an ordinary code
  kMalformed,  // shaped like one but broken: truncated, bad base64, bad lengths or payload
  kForged,     // well formed, but no given key signed it (tampered, forged or no keys)
  kValid,      // signed by one of the keys; ticket() holds what it says
};

class [[nodiscard]] SignedTicketVerdict {
 public:
  SignedTicketVerdict(SignedTicketCheck check, std::string reason)
      : check_(check), reason_(std::move(reason)) {}
  explicit SignedTicketVerdict(SignedTicket ticket)
      : check_(SignedTicketCheck::kValid), ticket_(std::move(ticket)) {}

  SignedTicketCheck check() const { return check_; }
  bool valid() const { return check_ == SignedTicketCheck::kValid; }
  // Only for a valid verdict.
  const SignedTicket& ticket() const;
  // A short machine reason when not valid ("bad_base64", "length_mismatch",
  // "no_key_matches", ...): for logs, never shown as the code's content.
  const std::string& reason() const { return reason_; }

 private:
  SignedTicketCheck check_;
  std::string reason_;
  SignedTicket ticket_;
};

// Decides what `code` (as scanned, already trimmed) is. It is taken for a
// pretix_sig1 code when it is made of base64 characters only, is at least as
// long as the shortest possible one and, reversed, opens with the version
// byte; everything else is kNotSigned. Validity times are reported, not
// enforced: the caller compares them with its clock.
SignedTicketVerdict VerifySignedTicket(std::string_view code,
                                       const std::vector<Sig1PublicKey>& keys);

// The payload's protobuf alone, strictly (tests and the fuzz target reach it
// here without a signature). InvalidInput naming what is wrong.
Result<SignedTicket> DecodeSig1Payload(std::string_view bytes);

}  // namespace checkin
