#include "common/pairing_code.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/random.h"

namespace checkin {
namespace {

const std::string kSecret = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const std::string kFingerprint(64, 'a');

PairingCode Sample() {
  return {{"https://192.168.1.10:8443", "https://hub.local:8443/checkin"},
          kSecret,
          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
}

std::string Encoded(const PairingCode& c) {
  auto r = EncodePairingCode(c);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : std::string();
}

TEST(PairingCodeTest, RoundTrips) {
  const std::string text = Encoded(Sample());
  EXPECT_EQ(text.rfind("CKIN1-", 0), 0u);
  EXPECT_TRUE(std::all_of(
      text.begin(), text.end(),
      [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }))
      << "QR alphanumeric mode: " << text;
  auto back = DecodePairingCode(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->hub_urls, Sample().hub_urls);
  EXPECT_EQ(back->secret, kSecret);
  EXPECT_EQ(back->fingerprint, Sample().fingerprint);

  // Typed by hand: lower case, no dashes, spaces.
  std::string typed;
  for (char c : text) {
    if (c != '-') typed += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  typed.insert(20, " ");
  auto again = DecodePairingCode(typed);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->secret, kSecret);

  PairingCode loop{{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://h"},
                   kSecret,
                   kFingerprint};
  auto four = DecodePairingCode(Encoded(loop));
  ASSERT_TRUE(four.ok()) << four.status().message();
  EXPECT_EQ(four->hub_urls, loop.hub_urls);
}

TEST(PairingCodeTest, RejectsDamagedCodesWithoutShowingTheSecret) {
  const std::string text = Encoded(Sample());
  std::string flipped = text;
  const size_t at = text.size() / 2 + (text[text.size() / 2] == '-' ? 1 : 0);
  flipped[at] = flipped[at] == 'A' ? 'B' : 'A';
  std::string truncated = text.substr(0, text.size() - 7);
  struct Case {
    const char* name;
    std::string text;
    const char* expect;
  };
  const Case cases[] = {
      {"empty", "", "CKIN1-"},
      {"bad prefix", "CKIN2-" + text.substr(6), "CKIN1-"},
      {"no prefix", text.substr(6), "CKIN1-"},
      {"flipped character", flipped, "suma de control"},
      {"truncated", truncated, "incompleto"},
      {"only the prefix", "CKIN1-", "incompleto"},
      {"not base32", text.substr(0, 10) + "1" + text.substr(11), "no corresponde"},
  };
  for (const Case& c : cases) {
    auto r = DecodePairingCode(c.text);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << c.name;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.name << ": " << r.status().message();
    EXPECT_EQ(r.status().message().find(kSecret), std::string::npos) << c.name;
  }
  auto en = DecodePairingCode(flipped, Language::kEnglish);
  EXPECT_NE(en.status().message().find("checksum"), std::string::npos);
}

TEST(PairingCodeTest, RefusesPlainHttpOffLoopbackAndBadFingerprints) {
  struct Case {
    const char* name;
    PairingCode code;
    const char* expect;
  };
  const Case cases[] = {
      {"http off loopback", {{"http://192.168.1.10:8080"}, kSecret, kFingerprint}, "https://"},
      {"http on a name like loopback",
       {{"http://127.0.0.1.evil.com"}, kSecret, kFingerprint},
       "https://"},
      {"other scheme", {{"ftp://hub"}, kSecret, kFingerprint}, "https://"},
      {"credentials", {{"https://u:p@hub"}, kSecret, kFingerprint}, "contraseña"},
      {"space", {{"https://hub x"}, kSecret, kFingerprint}, "espacios"},
      {"no host", {{"https://:8443"}, kSecret, kFingerprint}, "equipo"},
      {"no urls", {{}, kSecret, kFingerprint}, "1 a 4"},
      {"five urls",
       {{"https://a", "https://b", "https://c", "https://d", "https://e"}, kSecret, kFingerprint},
       "1 a 4"},
      {"short fingerprint", {{"https://hub"}, kSecret, std::string(63, 'a')}, "64"},
      {"upper-case fingerprint", {{"https://hub"}, kSecret, std::string(64, 'A')}, "64"},
      {"colons in fingerprint", {{"https://hub"}, kSecret, "aa:" + std::string(61, 'a')}, "64"},
      {"short secret", {{"https://hub"}, "ABC", kFingerprint}, "secreto"},
  };
  for (const Case& c : cases) {
    auto r = EncodePairingCode(c.code);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.name << ": " << r.status().message();
  }
  EXPECT_TRUE(CheckHubUrl("http://localhost:8080/x").ok());
  EXPECT_TRUE(CheckHubUrl("https://[fe80::1]:8443").ok());
  EXPECT_FALSE(CheckHubUrl("http://[fe80::1]:8443").ok());
}

// A code built by hand, as another program (or an attacker) could: the layout
// is base32 of [url count][len url]...[20-byte secret]
// [32-byte fingerprint][CRC-32, big-endian], the CRC zlib's.
std::string HandMade(const std::vector<std::string>& urls) {
  std::vector<uint8_t> b{static_cast<uint8_t>(urls.size())};
  for (const std::string& u : urls) {
    b.push_back(static_cast<uint8_t>(u.size()));
    b.insert(b.end(), u.begin(), u.end());
  }
  b.insert(b.end(), 20 + 32, 0x5A);
  const uLong crc = crc32(0, b.data(), static_cast<uInt>(b.size()));
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(crc >> shift));
  std::string out = "CKIN1-";
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t v : b) {
    acc = (acc << 8) | v;
    for (bits += 8; bits >= 5; bits -= 5)
      out += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(acc >> (bits - 5)) & 31];
  }
  if (bits > 0) out += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(acc << (5 - bits)) & 31];
  return out;
}

TEST(PairingCodeTest, DeviceTokensAreUpperCaseBase32OfOneLength) {
  EXPECT_TRUE(IsDeviceToken(RandomBase32(kDeviceTokenLength)));
  EXPECT_TRUE(IsDeviceToken(std::string(kDeviceTokenLength, '7')));
  for (const std::string& bad :
       {std::string(), RandomBase32(kDeviceTokenLength - 1), RandomBase32(kDeviceTokenLength + 1),
        std::string(kDeviceTokenLength, 'a'), std::string(kDeviceTokenLength, '1'),
        std::string(kDeviceTokenLength - 1, 'A') + "="}) {
    EXPECT_FALSE(IsDeviceToken(bad)) << bad;
  }
}

TEST(PairingCodeTest, DecodingChecksWhatEncodingWouldHaveRefused) {
  auto good = DecodePairingCode(HandMade({"https://10.0.0.1:8443"}));
  ASSERT_TRUE(good.ok()) << good.status().message();
  std::string fingerprint;
  for (int i = 0; i < 32; ++i) fingerprint += "5a";
  EXPECT_EQ(good->fingerprint, fingerprint);
  EXPECT_EQ(good->secret.size(), kPairingSecretLength);

  struct Case {
    const char* name;
    std::vector<std::string> urls;
    const char* expect;
  };
  const Case cases[] = {
      {"http off loopback", {"http://10.0.0.1:8080"}, "https://"},
      {"no urls", {}, "incompleto"},
      {"five urls",
       {"https://a", "https://b", "https://c", "https://d", "https://e"},
       "incompleto"},
      {"control character", {"https://hub\x1b[2J"}, "espacios"},
  };
  for (const Case& c : cases) {
    auto r = DecodePairingCode(HandMade(c.urls));
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.name << ": " << r.status().message();
  }
}

}  // namespace
}  // namespace checkin
