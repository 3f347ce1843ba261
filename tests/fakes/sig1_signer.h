// Signs tickets in pretix's pretix_sig1 format with libsodium, for tests and
// benchmarks: a
// key pair, the protobuf payload and the reversed base64 code (written from
// pretix's secrets.py and pretix_sig1.proto, like the decoder it tests).
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/signed_ticket.h"

namespace checkin::testing::sig1 {

inline std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// --- the protobuf encoder: just what the tests need ---
inline std::string Varint(uint64_t v) {
  std::string out;
  do {
    out += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v != 0);
  return out;
}
inline std::string VarintField(uint64_t field, uint64_t v) {
  return Varint(field << 3) + Varint(v);
}
inline std::string BytesField(uint64_t field, std::string_view s) {
  return Varint(field << 3 | 2) + Varint(s.size()) + std::string(s);
}

struct TicketFields {
  std::string seed = "Xk3pQ9aZr";
  int64_t item = 0, variation = 0, subevent = 0, valid_from = 0, valid_until = 0;
};
// As pretix's generator writes it: proto3 leaves zero fields out.
inline std::string Payload(const TicketFields& t) {
  std::string p = BytesField(1, t.seed);
  const int64_t values[] = {t.item, t.variation, t.subevent, t.valid_from, t.valid_until};
  for (uint64_t field = 2; field <= 6; ++field) {
    const int64_t v = values[field - 2];
    if (v != 0) p += VarintField(field, static_cast<uint64_t>(v));
  }
  return p;
}

struct KeyPair {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk;
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk;
  KeyPair() { crypto_sign_keypair(pk.data(), sk.data()); }

  // What the API's valid_keys.pretix_sig1 holds: base64 of the PEM.
  std::string Published(const char* eol = "\n") const {
    static const unsigned char kPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                            0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    std::string der(reinterpret_cast<const char*>(kPrefix), sizeof kPrefix);
    der.append(reinterpret_cast<const char*>(pk.data()), pk.size());
    return Base64(std::string("-----BEGIN PUBLIC KEY-----") + eol + Base64(der) + eol +
                  "-----END PUBLIC KEY-----" + eol);
  }
  // A zero key, which verifies nothing, if ours did not parse.
  Sig1PublicKey Parsed() const {
    auto key = ParseSig1Key(Published());
    return key.ok() ? *key : Sig1PublicKey{};
  }
};

// The bytes before base64: version, lengths, payload, signature.
inline std::string SignedBytes(const std::string& payload, const KeyPair& key) {
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
                       key.sk.data());
  std::string out = {'\x01', static_cast<char>(payload.size() >> 8),
                     static_cast<char>(payload.size() & 0xff), 0, static_cast<char>(sig.size())};
  return out + payload + sig;
}
inline std::string CodeOf(const std::string& bytes) {
  const std::string b64 = Base64(bytes);
  return std::string(b64.rbegin(), b64.rend());
}
inline std::string Sign(const std::string& payload, const KeyPair& key) {
  return CodeOf(SignedBytes(payload, key));
}

}  // namespace checkin::testing::sig1
