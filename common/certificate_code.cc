#include "common/certificate_code.h"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace checkin {
namespace {

constexpr size_t kKeyBytes = 32;

void AppendField(std::string& out, std::string_view field) {
  const uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(field);
}

}  // namespace

std::string NewCertificateKey() {
  if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing safe to do
  std::array<unsigned char, kKeyBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string hex(2 * kKeyBytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  hex.pop_back();
  sodium_memzero(key.data(), key.size());
  return hex;
}

Result<std::string> CertificateCode(std::string_view key_hex, std::string_view event_id,
                                    std::string_view source, std::string_view ticket_id) {
  std::array<unsigned char, kKeyBytes> key{};
  size_t key_len = 0;
  if (key_hex.size() != 2 * kKeyBytes ||
      sodium_hex2bin(key.data(), key.size(), key_hex.data(), key_hex.size(), nullptr, &key_len,
                     nullptr) != 0 ||
      key_len != kKeyBytes) {
    return Status::InvalidInput("the event's certificate key is damaged (not 64 hex digits)");
  }
  std::string message = "checkin certificate v1";
  AppendField(message, event_id);
  AppendField(message, source);
  AppendField(message, ticket_id);
  std::array<unsigned char, 16> mac{};
  crypto_generichash(mac.data(), mac.size(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  // The first 50 bits of the MAC, five at a time.
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | mac[static_cast<size_t>(i)];
  std::string code;
  for (size_t i = 0; i < kCertificateCodeLength; ++i) {
    if (i == kCertificateCodeLength / 2) code.push_back('-');
    code.push_back(kCertificateCodeAlphabet[(bits >> (59 - 5 * i)) & 31]);
  }
  return code;
}

std::optional<std::string> NormalizeCertificateCode(std::string_view typed) {
  std::string code;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kCertificateCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    if (code.size() == kCertificateCodeLength) return std::nullopt;
    code.push_back(c);
  }
  if (code.size() != kCertificateCodeLength) return std::nullopt;
  code.insert(kCertificateCodeLength / 2, 1, '-');
  return code;
}

bool SameCertificateCode(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace checkin
