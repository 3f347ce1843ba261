#include "hub/tls_identity.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <memory>

#include "common/file.h"

namespace checkin::hub {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Asn1Integer = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

constexpr size_t kMaxPemBytes = 1 << 20;  // a certificate or key is a few KiB

// OpenSSL's reason for the last failure, and its error queue emptied so the
// next failure is not blamed on this one.
std::string OpenSslReason() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

Status Failed(const std::string& what) {
  return Status::Internal(what + " failed: " + OpenSslReason());
}

Bio MemoryBio(std::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

Result<Cert> ParseCertificate(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) return Status::InvalidInput("too large for a certificate");
  Bio bio = MemoryBio(pem);
  Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return Status::InvalidInput("no PEM certificate in it: " + OpenSslReason());
  return cert;
}

Result<std::string> Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return Failed("hashing the certificate");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 0xF];
  }
  return hex;
}

// X.509 caps the CN at 64 characters; cut at a UTF-8 character boundary.
std::string CommonName(const std::string& event_name) {
  std::string cn = "checkin hub " + event_name;
  size_t chars = 0, i = 0;
  for (; i < cn.size(); ++i) {
    if ((static_cast<unsigned char>(cn[i]) & 0xC0) != 0x80 && ++chars > 64) break;
  }
  return cn.substr(0, i);
}

bool IsIpAddress(const std::string& s) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

Status AddAltNames(X509* cert, const std::vector<std::string>& alt_names) {
  GeneralNames names(sk_GENERAL_NAME_new_null());
  if (!names) return Failed("allocating subjectAltName");
  for (const std::string& n : alt_names) {
    const bool ip = IsIpAddress(n);
    if (!ip && !IsDnsName(n))
      return Status::InvalidInput("'" + n + "' is neither an IP address nor a DNS name");
    GENERAL_NAME* gn =
        a2i_GENERAL_NAME(nullptr, nullptr, nullptr, ip ? GEN_IPADD : GEN_DNS, n.c_str(), 0);
    if (gn == nullptr || sk_GENERAL_NAME_push(names.get(), gn) == 0) {
      GENERAL_NAME_free(gn);
      return Failed("adding subjectAltName " + n);
    }
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
    return Failed("adding subjectAltName");
  return Status::Ok();
}

Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return Failed(std::string("adding extension ") + value);
  return Status::Ok();
}

// A positive serial of 128 random bits (the top bit kept clear so the DER
// integer stays 16 bytes), as RFC 5280 asks: unpredictable, at most 20 bytes.
Status SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Failed("drawing a serial number");
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7F) | 0x40);
  Bignum bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  Asn1Integer serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!serial || X509_set_serialNumber(cert, serial.get()) != 1)
    return Failed("setting the serial number");
  return Status::Ok();
}

Status SetValidity(X509* cert, const Clock& clock) {
  const time_t now = std::chrono::system_clock::to_time_t(clock.Now());
  constexpr long kHour = 3600;
  constexpr int kTwoYearsInDays = 730;
  if (ASN1_TIME_set(X509_getm_notBefore(cert), now - kHour) == nullptr ||
      ASN1_TIME_adj(X509_getm_notAfter(cert), now, kTwoYearsInDays, 0) == nullptr)
    return Failed("setting the validity");
  return Status::Ok();
}

Status SetSubject(X509* cert, const std::string& event_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  const std::string cn = CommonName(event_name);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(cert, name) != 1)
    return Failed("setting the subject name");
  return Status::Ok();
}

Result<Cert> BuildCertificate(EVP_PKEY* key, const std::string& event_name,
                              const std::vector<std::string>& alt_names, const Clock& clock) {
  Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), key) != 1)
    return Failed("creating the certificate");
  for (Status s : {SetRandomSerial(cert.get()), SetValidity(cert.get(), clock),
                   SetSubject(cert.get(), event_name), AddAltNames(cert.get(), alt_names),
                   AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"),
                   AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature"),
                   AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"),
                   AddExtension(cert.get(), NID_subject_key_identifier, "hash")}) {
    if (!s.ok()) return s;
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0) return Failed("signing the certificate");
  return cert;
}

}  // namespace

bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<TlsIdentity> MakeSelfSignedIdentity(const std::string& event_name,
                                           const std::vector<std::string>& alt_names,
                                           const Clock& clock) {
  Key key(EVP_EC_gen("P-256"));
  if (!key) return Failed("generating an ECDSA P-256 key");
  auto cert = BuildCertificate(key.get(), event_name, alt_names, clock);
  if (!cert.ok()) return cert.status();
  Bio cert_out(BIO_new(BIO_s_mem())), key_out(BIO_new(BIO_s_mem()));
  if (!cert_out || !key_out || PEM_write_bio_X509(cert_out.get(), cert->get()) != 1 ||
      PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1)
    return Failed("writing PEM");
  auto fingerprint = Fingerprint(cert->get());
  if (!fingerprint.ok()) return fingerprint.status();
  return TlsIdentity{BioText(cert_out.get()), BioText(key_out.get()), *fingerprint};
}

Result<std::string> CertificateFingerprint(std::string_view pem) {
  auto cert = ParseCertificate(pem);
  if (!cert.ok()) return cert.status();
  return Fingerprint(cert->get());
}

Result<std::string> CertificateFingerprintOfFile(const std::string& path) {
  auto pem = ReadWholeFile(path, kMaxPemBytes);
  if (!pem.ok()) return pem.status();
  auto fingerprint = CertificateFingerprint(*pem);
  if (!fingerprint.ok()) return fingerprint.status().WithContext(path + ": ");
  return fingerprint;
}

Status CheckKeyMatchesCertificate(const std::string& key_path, const std::string& cert_path) {
  auto cert_pem = ReadWholeFile(cert_path, kMaxPemBytes);
  if (!cert_pem.ok()) return cert_pem.status();
  auto cert = ParseCertificate(*cert_pem);
  if (!cert.ok()) return cert.status().WithContext(cert_path + ": ");
  auto key_pem = ReadWholeFile(key_path, kMaxPemBytes);
  if (!key_pem.ok()) return key_pem.status();
  Bio bio = MemoryBio(*key_pem);
  // No passphrase: OpenSSL's default would prompt on the terminal for one.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return -1; };
  Key key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr);
  if (!key)
    return Status::InvalidInput(key_path + ": no PEM private key in it: " + OpenSslReason());
  if (X509_check_private_key(cert->get(), key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidInput("the key in " + key_path + " does not belong to the certificate " +
                                cert_path + "; put the matching key back, or run `hub init " +
                                "--renew` (every paired station must then pair again)");
  }
  return Status::Ok();
}

}  // namespace checkin::hub
