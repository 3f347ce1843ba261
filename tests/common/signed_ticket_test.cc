// pretix_sig1 tickets: pretix's own published example, and tickets this test
// signs itself with libsodium in pretix's format (the encoder below is written
// from pretix's secrets.py and pretix_sig1.proto, like the decoder).
#include "common/signed_ticket.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/common/pretix_sig1_example.h"
#include "tests/fakes/sig1_signer.h"

namespace checkin {
namespace {

using namespace checkin::testing::sig1;

using Check = SignedTicketCheck;

class SignedTicketTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  KeyPair key_;
};

TEST_F(SignedTicketTest, PretixsOwnExampleVerifies) {
  auto keys = ParseSig1Keys({sig1_example::kPretixKey});
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  auto v = VerifySignedTicket(sig1_example::kPretixTicket, *keys);
  ASSERT_TRUE(v.valid()) << v.reason();
  EXPECT_EQ(v.ticket().seed, "CTJqJOl1H");
  EXPECT_EQ(v.ticket().item, 1);
  EXPECT_EQ(v.ticket().variation, 0);
  EXPECT_EQ(v.ticket().subevent, 14);
  EXPECT_FALSE(v.ticket().valid_from.has_value());
  EXPECT_FALSE(v.ticket().valid_until.has_value());
}

TEST_F(SignedTicketTest, GenuineTicketDecodesEveryField) {
  const TicketFields f{"aB3dE6gH9", 412, 77, 9, 1767225600, 1767312000};
  auto v = VerifySignedTicket(Sign(Payload(f), key_), {key_.Parsed()});
  ASSERT_TRUE(v.valid()) << v.reason();
  EXPECT_EQ(v.ticket().seed, f.seed);
  EXPECT_EQ(v.ticket().item, 412);
  EXPECT_EQ(v.ticket().variation, 77);
  EXPECT_EQ(v.ticket().subevent, 9);
  EXPECT_EQ(v.ticket().valid_from, 1767225600);
  EXPECT_EQ(v.ticket().valid_until, 1767312000);
}

TEST_F(SignedTicketTest, AFlippedBitAnywhereNeverVerifies) {
  const std::string bytes = SignedBytes(Payload({.item = 5, .valid_until = 1767312000}), key_);
  const std::vector<Sig1PublicKey> keys = {key_.Parsed()};
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit : {0, 7}) {
      std::string tampered = bytes;
      tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
      auto v = VerifySignedTicket(CodeOf(tampered), keys);
      EXPECT_FALSE(v.valid()) << "byte " << i << " bit " << bit;
      // Past the header only the signature can tell.
      if (i >= 5) {
        EXPECT_EQ(v.check(), Check::kForged) << "byte " << i << " bit " << bit;
      }
    }
  }
}

TEST_F(SignedTicketTest, AnyOtherCharacterInTheCodeNeverVerifies) {
  const std::string code = Sign(Payload({.item = 5}), key_);
  const std::vector<Sig1PublicKey> keys = {key_.Parsed()};
  for (size_t i = 0; i < code.size(); ++i) {
    for (char c : {'A', 'g', '7', '+', '/', '='}) {
      if (code[i] == c) continue;
      std::string changed = code;
      changed[i] = c;
      EXPECT_FALSE(VerifySignedTicket(changed, keys).valid()) << "position " << i << " -> " << c;
    }
  }
}

TEST_F(SignedTicketTest, WrongKeyIsForged) {
  const KeyPair other;
  auto v = VerifySignedTicket(Sign(Payload({.item = 5}), key_), {other.Parsed()});
  EXPECT_EQ(v.check(), Check::kForged);
  EXPECT_EQ(v.reason(), "no_key_matches");
  auto pretix = ParseSig1Keys({sig1_example::kOtherEventKey});
  ASSERT_TRUE(pretix.ok()) << pretix.status().message();
  EXPECT_EQ(VerifySignedTicket(sig1_example::kPretixTicket, *pretix).check(), Check::kForged);
}

TEST_F(SignedTicketTest, SecondKeyOfTwoVerifies) {
  const KeyPair old_key;
  auto keys = ParseSig1Keys({old_key.Published(), key_.Published()});
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  auto v = VerifySignedTicket(Sign(Payload({.item = 5}), key_), *keys);
  ASSERT_TRUE(v.valid()) << v.reason();
  EXPECT_EQ(v.ticket().item, 5);
}

TEST_F(SignedTicketTest, NoKeysVerifiesNothing) {
  auto v = VerifySignedTicket(sig1_example::kPretixTicket, {});
  EXPECT_EQ(v.check(), Check::kForged);
  EXPECT_EQ(v.reason(), "no_keys");
}

TEST_F(SignedTicketTest, TruncatedOrExtendedCodeIsMalformed) {
  const std::string code = Sign(Payload({.item = 5}), key_);
  const std::vector<Sig1PublicKey> keys = {key_.Parsed()};
  // The QR text ends with the header; losing its start loses the signature's end.
  for (size_t cut = 1; code.size() - cut >= 92; ++cut) {
    EXPECT_EQ(VerifySignedTicket(code.substr(cut), keys).check(), Check::kMalformed) << cut;
  }
  // Too short to hold a signature at all: not taken for a signed ticket.
  EXPECT_EQ(VerifySignedTicket(code.substr(code.size() - 40), keys).check(), Check::kNotSigned);
  // Bytes after the signature: another spelling of the same ticket.
  auto v = VerifySignedTicket(CodeOf(SignedBytes(Payload({.item = 5}), key_) + "xyz"), keys);
  EXPECT_EQ(v.check(), Check::kMalformed);
  EXPECT_EQ(v.reason(), "length_mismatch");
}

TEST_F(SignedTicketTest, BadBase64IsMalformedOtherCharactersAreNotSigned) {
  const std::vector<Sig1PublicKey> keys = {key_.Parsed()};
  // 69 + 4 bytes: "==" padding at the start of the code, 4 unused bits.
  const std::string code = Sign(Payload({.seed = "ab"}), key_);
  ASSERT_EQ(code.substr(0, 2), "==");
  ASSERT_TRUE(VerifySignedTicket(code, keys).valid());
  // The last character before the padding carries the unused bits: set one.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string stray_bits = code;
  stray_bits[2] = alphabet[alphabet.find(code[2]) ^ 1];
  EXPECT_EQ(VerifySignedTicket(stray_bits, keys).reason(), "bad_base64");
  EXPECT_EQ(VerifySignedTicket(code.substr(0, 40) + "=" + code.substr(41), keys).reason(),
            "bad_base64");
  EXPECT_EQ(VerifySignedTicket(code.substr(2), keys).reason(), "bad_base64");
  // A character outside the alphabet: not a pretix_sig1 code at all.
  EXPECT_EQ(VerifySignedTicket(code.substr(0, 40) + "-" + code.substr(41), keys).check(),
            Check::kNotSigned);
  EXPECT_EQ(VerifySignedTicket(code + " ", keys).check(), Check::kNotSigned);
}

TEST_F(SignedTicketTest, OrdinaryCodesAreNotSigned) {
  const std::vector<Sig1PublicKey> keys = {key_.Parsed()};
  for (const char* code : {"KCD26-2IBYYURL7B", "", "QA", "8471203394857", "TICKETQA",
                           "abcdefghjkmnpqrstuvwxyz234567", "https://pretix.eu/kcd/t/QA"}) {
    EXPECT_EQ(VerifySignedTicket(code, keys).check(), Check::kNotSigned) << code;
  }
  // pretix's random secrets are lower case: never "AQ" when reversed.
  EXPECT_EQ(VerifySignedTicket(std::string(120, 'q') + "qa", keys).check(), Check::kNotSigned);
}

TEST_F(SignedTicketTest, OversizedCodeIsRefusedBeforeDecoding) {
  const std::string big = std::string(kMaxSignedTicketBytes - 1, 'A') + "QA";
  auto v = VerifySignedTicket(big, {key_.Parsed()});
  EXPECT_EQ(v.check(), Check::kMalformed);
  EXPECT_EQ(v.reason(), "too_long");
}

TEST_F(SignedTicketTest, SignatureLengthOtherThan64IsMalformed) {
  std::string bytes = SignedBytes(Payload({.item = 5}), key_);
  bytes[4] = 63;
  bytes.pop_back();
  EXPECT_EQ(VerifySignedTicket(CodeOf(bytes), {key_.Parsed()}).reason(), "signature_length");
}

TEST_F(SignedTicketTest, UnknownFieldsAreSkipped) {
  std::string payload = VarintField(7, 123456789) + BytesField(1, "seedseed1") +
                        BytesField(8, std::string("\x00\xff\x10", 3)) + VarintField(2, 42);
  payload += Varint(9 << 3 | 1) + std::string(8, '\x7f');   // fixed64
  payload += Varint(10 << 3 | 5) + std::string(4, '\x01');  // fixed32
  payload += BytesField(100000, "future field") + VarintField(4, 3);
  auto v = VerifySignedTicket(Sign(payload, key_), {key_.Parsed()});
  ASSERT_TRUE(v.valid()) << v.reason();
  EXPECT_EQ(v.ticket().seed, "seedseed1");
  EXPECT_EQ(v.ticket().item, 42);
  EXPECT_EQ(v.ticket().subevent, 3);
}

TEST_F(SignedTicketTest, SignedButBrokenPayloadIsMalformed) {
  const std::string seed = BytesField(1, "s");
  const struct {
    const char* name;
    std::string payload;
  } cases[] = {
      {"overlong varint (11 bytes)", seed + Varint(2 << 3) + std::string(10, '\xff') + '\x01'},
      {"tenth varint byte past 64 bits", seed + Varint(2 << 3) + std::string(9, '\xff') + '\x02'},
      {"varint cut short", seed + Varint(2 << 3) + "\xff"},
      {"length past the end", Varint(1 << 3 | 2) + Varint(100) + "abc"},
      {"item as a string", seed + BytesField(2, "42")},
      {"seed as a number", VarintField(1, 7)},
      {"valid_from as fixed64", seed + Varint(5 << 3 | 1) + std::string(8, '\0')},
      {"group wire type", seed + Varint(9 << 3 | 3)},
      {"field number 0", seed + VarintField(0, 1)},
      {"seed not UTF-8", BytesField(1, "\xc3\x28")},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(DecodeSig1Payload(c.payload).ok()) << c.name;
    auto v = VerifySignedTicket(Sign(c.payload, key_), {key_.Parsed()});
    EXPECT_EQ(v.check(), Check::kMalformed) << c.name;
    EXPECT_EQ(v.reason(), "bad_payload") << c.name;
  }
}

TEST_F(SignedTicketTest, TenByteVarintIsANegativeNumber) {
  auto t = DecodeSig1Payload(BytesField(1, "s") + VarintField(3, static_cast<uint64_t>(-1)));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->variation, -1);
}

TEST_F(SignedTicketTest, KeysArePemEd25519Only) {
  EXPECT_TRUE(ParseSig1Key(key_.Published("\r\n")).ok()) << "CRLF line ends";
  const auto refused = [](const std::string& published, const char* why) {
    auto key = ParseSig1Key(published);
    EXPECT_FALSE(key.ok()) << why;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidInput) << why;
  };
  refused("not base64!", "not base64");
  refused(Base64("MCowBQYDK2VwAyEA7AD7/vFA33EsY4z2PHr7iZPsZ8n5dh0ajP8gyzNmmIs="), "no PEM armour");
  refused(Base64("-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----\n"), "body");
  // Ed448: same shape, OID 1.3.101.113 and a 57-byte key.
  std::string ed448 = "\x30\x43\x30\x05\x06\x03\x2b\x65\x71\x03\x3a";
  ed448 += std::string(1, '\0') + std::string(57, '\x11');
  refused(Base64("-----BEGIN PUBLIC KEY-----\n" + Base64(ed448) + "\n-----END PUBLIC KEY-----\n"),
          "Ed448");
  // An EC P-256 key (made with Python's cryptography for this test).
  refused(Base64("-----BEGIN PUBLIC KEY-----\n"
                 "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkMx4IUVMRGRRMeMr5LiQkC4m+lhE\n"
                 "OTYEqoi99WRXxeEh6jZikXixxeOUBJpUjiozWnN2KIG96C5sAnjfVAt9Pg==\n"
                 "-----END PUBLIC KEY-----\n"),
          "P-256");
  // The identity point: small order, any "signature" would do.
  KeyPair weak;
  weak.pk.fill(0);
  weak.pk[0] = 1;
  refused(weak.Published(), "small order");
  auto keys = ParseSig1Keys({key_.Published(), "junk"});
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().message().rfind("key 2 of 2: ", 0), 0u) << keys.status().message();
  EXPECT_FALSE(ParseSig1Keys(std::vector<std::string>(kMaxSig1Keys + 1, key_.Published())).ok());
}

}  // namespace
}  // namespace checkin
