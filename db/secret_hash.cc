#include "db/secret_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace checkin::db {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

}  // namespace

Result<std::string> Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    // A broken OpenSSL install: no hash at all beats a wrong one that could match.
    return Status::Internal("SHA-256 unavailable (OpenSSL)");
  }
  return Hex(md, len);
}

Result<std::string> PinHashHex(std::string_view pin, std::string_view salt) {
  unsigned char key[32];
  if (EVP_PBE_scrypt(pin.data(), pin.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                     salt.size(), 1U << 14U, 8, 1, 64U << 20U, key, sizeof key) != 1) {
    return Status::Internal("scrypt unavailable (OpenSSL)");
  }
  return Hex(key, sizeof key);
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace checkin::db
