#include "common/pairing_code.h"

#include <algorithm>
#include <cstdint>

namespace checkin {
namespace {

constexpr std::string_view kPrefix = "CKIN1-";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr size_t kSecretBytes = kPairingSecretLength * 5 / 8;
constexpr size_t kFingerprintBytes = 32;
constexpr size_t kChecksumBytes = 4;
constexpr size_t kGroup = 5;  // characters between dashes

using Bytes = std::vector<uint8_t>;

Status Invalid(Language lang, const char* es, const char* en) {
  return Status::InvalidInput(lang == Language::kSpanish ? es : en);
}

int Base32Value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

std::string Base32(const Bytes& in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : in) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32[(acc >> bits) & 31u];
    }
  }
  if (bits > 0) out += kBase32[(acc << (5 - bits)) & 31u];
  return out;
}

// False on a character outside the alphabet or stray bits at the end (which
// a well-formed encoding leaves zero): either means the text was damaged.
bool FromBase32(std::string_view in, Bytes* out) {
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base32Value(c);
    if (v < 0) return false;
    acc = (acc << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return (acc & ((1u << bits) - 1)) == 0;
}

uint32_t Crc32(const uint8_t* p, size_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Secrets and tokens are written upper case; only typed codes are folded.
bool IsUpperBase32(std::string_view s, size_t length) {
  bool ok = s.size() == length;
  for (char c : s) ok = ok && Base32Value(c) >= 0 && !(c >= 'a' && c <= 'z');
  return ok;
}

Status CheckSecret(std::string_view secret, Language lang) {
  if (IsUpperBase32(secret, kPairingSecretLength)) return Status::Ok();
  return Invalid(lang, "el secreto de emparejamiento no tiene la forma esperada",
                 "the pairing secret does not have the expected form");
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  if (host.substr(0, 4) != "127.") return false;
  for (char c : host) {
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  return true;
}

std::string_view AuthorityHost(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    return authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

Status CheckHubUrl(std::string_view url, Language lang) {
  const bool es = lang == Language::kSpanish;
  if (url.empty() || url.size() > 255) {
    return Invalid(lang, "la URL del hub debe tener de 1 a 255 caracteres",
                   "a hub URL must have 1 to 255 characters");
  }
  for (char c : url) {
    if (c <= ' ' || c >= 0x7F) {
      return Invalid(lang, "la URL del hub tiene espacios o caracteres no ASCII",
                     "the hub URL has spaces or non-ASCII characters");
    }
  }
  std::string_view rest;
  bool https = false;
  if (url.substr(0, 8) == "https://") {
    https = true;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return Invalid(lang, "la URL del hub debe empezar con https://",
                   "the hub URL must start with https://");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(lang, "la URL del hub no debe llevar usuario ni contraseña",
                   "the hub URL must not carry a user or password");
  }
  const std::string_view host = AuthorityHost(authority);
  if (host.empty()) {
    return Invalid(lang, "la URL del hub no nombra un equipo", "the hub URL names no host");
  }
  if (!https && !IsLoopbackHost(host)) {
    return Status::InvalidInput(
        es ? "http:// sin cifrar solo se admite en este mismo equipo (localhost, 127.0.0.1);"
             " en la red del lugar use https://"
           : "plain http:// is only accepted on this machine (localhost, 127.0.0.1); on the venue"
             " network use https://");
  }
  return Status::Ok();
}

Status CheckFingerprint(std::string_view fingerprint, Language lang) {
  bool ok = fingerprint.size() == 2 * kFingerprintBytes;
  for (char c : fingerprint) ok = ok && HexValue(c) >= 0;
  if (ok) return Status::Ok();
  return Invalid(lang,
                 "la huella del certificado debe ser su SHA-256: 64 dígitos hexadecimales en"
                 " minúscula",
                 "the certificate fingerprint must be its SHA-256: 64 lowercase hexadecimal"
                 " digits");
}

bool IsDeviceToken(std::string_view token) { return IsUpperBase32(token, kDeviceTokenLength); }

Result<std::string> EncodePairingCode(const PairingCode& code, Language lang) {
  if (code.hub_urls.empty() || code.hub_urls.size() > kMaxHubUrls) {
    return Invalid(lang, "un código de emparejamiento lleva de 1 a 4 URL del hub",
                   "a pairing code carries 1 to 4 hub URLs");
  }
  Bytes bytes{static_cast<uint8_t>(code.hub_urls.size())};
  for (const std::string& url : code.hub_urls) {
    if (Status s = CheckHubUrl(url, lang); !s.ok()) return s;
    bytes.push_back(static_cast<uint8_t>(url.size()));
    bytes.insert(bytes.end(), url.begin(), url.end());
  }
  if (Status s = CheckSecret(code.secret, lang); !s.ok()) return s;
  if (!FromBase32(code.secret, &bytes)) return Status::Internal("pairing secret");
  if (Status s = CheckFingerprint(code.fingerprint, lang); !s.ok()) return s;
  for (size_t i = 0; i < code.fingerprint.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(HexValue(code.fingerprint[i]) * 16 +
                                         HexValue(code.fingerprint[i + 1])));
  }
  const uint32_t crc = Crc32(bytes.data(), bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(crc >> shift));
  const std::string body = Base32(bytes);
  std::string out(kPrefix);
  for (size_t i = 0; i < body.size(); i += kGroup) {
    if (i > 0) out += '-';
    out += body.substr(i, kGroup);
  }
  return out;
}

Result<PairingCode> DecodePairingCode(std::string_view text, Language lang) {
  std::string body;
  for (char c : text) {
    if (c != '-' && c != ' ' && c != '\t' && c != '\n' && c != '\r') body += c;
  }
  // The prefix without its dash, compared case-blind: typed codes may lose both.
  const std::string_view prefix = kPrefix.substr(0, kPrefix.size() - 1);
  bool prefixed = body.size() >= prefix.size();
  for (size_t i = 0; prefixed && i < prefix.size(); ++i) {
    prefixed = (body[i] & ~0x20) == prefix[i] || body[i] == prefix[i];
  }
  if (!prefixed) {
    return Invalid(lang,
                   "esto no es un código de emparejamiento de checkin (empieza con CKIN1-): copie"
                   " el que mostró `checkin hub device add`",
                   "this is not a checkin pairing code (it starts with CKIN1-): copy the one"
                   " `checkin hub device add` showed");
  }
  const std::string_view payload = std::string_view(body).substr(prefix.size());
  if (!std::all_of(payload.begin(), payload.end(), [](char c) { return Base32Value(c) >= 0; })) {
    return Invalid(lang,
                   "el código de emparejamiento tiene un carácter que no corresponde: cópielo de"
                   " nuevo",
                   "the pairing code has a character that does not belong: copy it again");
  }
  const Status damaged = Invalid(lang,
                                 "el código de emparejamiento está incompleto o tiene un carácter"
                                 " mal copiado (la suma de control no coincide): cópielo de nuevo",
                                 "the pairing code is incomplete or has a mistyped character (its"
                                 " checksum does not match): copy it again");
  Bytes bytes;
  if (!FromBase32(payload, &bytes)) return damaged;  // stray bits: cut short
  if (bytes.size() < 1 + kSecretBytes + kFingerprintBytes + kChecksumBytes) return damaged;
  const size_t n = bytes.size() - kChecksumBytes;
  uint32_t stored = 0;
  for (size_t i = n; i < bytes.size(); ++i) stored = (stored << 8) | bytes[i];
  if (Crc32(bytes.data(), n) != stored) return damaged;

  PairingCode code;
  size_t at = 0;
  const size_t urls = bytes[at++];
  if (urls < 1 || urls > kMaxHubUrls) return damaged;
  for (size_t u = 0; u < urls; ++u) {
    if (at >= n) return damaged;
    const size_t len = bytes[at++];
    if (len > n - at) return damaged;
    std::string url(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    bytes.begin() + static_cast<std::ptrdiff_t>(at + len));
    at += len;
    if (Status s = CheckHubUrl(url, lang); !s.ok()) return s;
    code.hub_urls.push_back(std::move(url));
  }
  if (n - at != kSecretBytes + kFingerprintBytes) return damaged;
  code.secret = Base32(Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                             bytes.begin() + static_cast<std::ptrdiff_t>(at + kSecretBytes)));
  at += kSecretBytes;
  static constexpr char kHex[] = "0123456789abcdef";
  for (; at < n; ++at) {
    code.fingerprint += kHex[bytes[at] >> 4];
    code.fingerprint += kHex[bytes[at] & 15];
  }
  return code;
}

}  // namespace checkin
