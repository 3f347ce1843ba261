// The hub's certificate read back with OpenSSL itself and with the openssl
// program: what a browser and a station will check (key type, names, usage,
// validity, signature) and the fingerprint stations pin.
#include "hub/tls_identity.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>

#include "tests/fakes/test_db.h"
#include "tests/hub/openssl_tool.h"

namespace checkin::hub {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Cert ParseCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Cert c(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return c;
}

Key ParseKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Key k(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return k;
}

// The subjectAltNames as "DNS:x" / "IP:y", in order.
std::vector<std::string> AltNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_DNS) {
      out.push_back("DNS:" +
                    std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                                static_cast<size_t>(ASN1_STRING_length(gn->d.dNSName))));
    } else if (gn->type == GEN_IPADD) {
      char text[INET6_ADDRSTRLEN] = "?";
      const int family = gn->d.iPAddress->length == 4 ? AF_INET : AF_INET6;
      inet_ntop(family, gn->d.iPAddress->data, text, sizeof text);
      out.push_back("IP:" + std::string(text));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string CommonName(X509* cert) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
  return buf;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A TLS handshake in memory (a BIO pair, no sockets) between a server with
// `server`'s certificate and key and a client that trusts only `trusted_pem`
// and checks `host`, as a pinned station will. Returns the client's verify
// result, or -1 when the handshake did not complete.
long Handshake(const TlsIdentity& server, const std::string& trusted_pem, const std::string& host) {
  SSL_CTX* sctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX* cctx = SSL_CTX_new(TLS_client_method());
  Cert cert = ParseCert(server.certificate_pem), trusted = ParseCert(trusted_pem);
  Key key = ParseKey(server.private_key_pem);
  EXPECT_EQ(SSL_CTX_use_certificate(sctx, cert.get()), 1);
  EXPECT_EQ(SSL_CTX_use_PrivateKey(sctx, key.get()), 1);
  EXPECT_EQ(X509_STORE_add_cert(SSL_CTX_get_cert_store(cctx), trusted.get()), 1);
  SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, nullptr);
  SSL* s = SSL_new(sctx);
  SSL* c = SSL_new(cctx);
  unsigned char ip[sizeof(in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), ip) == 1 || inet_pton(AF_INET6, host.c_str(), ip) == 1)
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c), host.c_str());
  else
    SSL_set1_host(c, host.c_str());
  BIO *client_end = nullptr, *server_end = nullptr;
  BIO_new_bio_pair(&client_end, 0, &server_end, 0);
  SSL_set_bio(c, client_end, client_end);
  SSL_set_bio(s, server_end, server_end);
  SSL_set_connect_state(c);
  SSL_set_accept_state(s);
  bool done = false, failed = false;
  for (int round = 0; round < 50 && !done && !failed; ++round) {
    const int rc = SSL_do_handshake(c), rs = SSL_do_handshake(s);
    done = rc == 1 && rs == 1;
    for (auto [ssl, r] : {std::pair{c, rc}, std::pair{s, rs}}) {
      const int e = r == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, r);
      if (e != SSL_ERROR_NONE && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
        failed = true;
    }
  }
  const long verify = SSL_get_verify_result(c);
  SSL_free(c);
  SSL_free(s);
  SSL_CTX_free(cctx);
  SSL_CTX_free(sctx);
  ERR_clear_error();
  return done ? verify : -1;
}

const std::vector<std::string> kNames{"localhost",  "127.0.0.1",    "::1",
                                      "hub-laptop", "192.168.1.20", "2001:db8::5"};

TEST(TlsIdentityTest, CertificateIsWhatBrowsersAndStationsCheck) {
  FakeClock clock;
  auto id = MakeSelfSignedIdentity("KCD Colombia 2026", kNames, clock);
  ASSERT_TRUE(id.ok()) << id.status().message();
  Cert cert = ParseCert(id->certificate_pem);
  Key key = ParseKey(id->private_key_pem);
  ASSERT_TRUE(cert && key);

  EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_EC);
  char group[64] = {};
  size_t group_len = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group, sizeof group, &group_len), 1);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(CommonName(cert.get()), "checkin hub KCD Colombia 2026");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(AltNames(cert.get()),
            (std::vector<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:::1", "DNS:hub-laptop",
                                      "IP:192.168.1.20", "IP:2001:db8::5"}));

  // 128 random bits: 16 bytes, positive.
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  EXPECT_EQ(ASN1_STRING_length(serial), 16);
  EXPECT_NE(ASN1_STRING_type(serial), V_ASN1_NEG_INTEGER);

  const time_t now = std::chrono::system_clock::to_time_t(clock.Now());
  int days = 0, secs = 0;
  ASSERT_EQ(
      ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert.get()), X509_get0_notAfter(cert.get())),
      1);
  EXPECT_EQ(days * 86400L + secs, 730L * 86400 + 3600);
  EXPECT_EQ(X509_cmp_time(X509_get0_notBefore(cert.get()), nullptr), -1) << "already valid";
  time_t just_before = now - 3601, just_after = now - 3599;
  EXPECT_EQ(X509_cmp_time(X509_get0_notBefore(cert.get()), &just_before), 1);
  EXPECT_EQ(X509_cmp_time(X509_get0_notBefore(cert.get()), &just_after), -1);

  // CA:FALSE, digitalSignature only, serverAuth.
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_get_key_usage(cert.get()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()), static_cast<uint32_t>(XKU_SSL_SERVER));
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_SERVER, 0), 1);

  // The key signs, and the certificate's signature verifies with it.
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
  EXPECT_EQ(X509_verify(cert.get(), key.get()), 1);
}

TEST(TlsIdentityTest, StationThatPinsTheCertificateCompletesAHandshake) {
  FakeClock clock;
  clock.Set(SystemClock().Now());  // OpenSSL checks validity against the real time
  auto hub = MakeSelfSignedIdentity("Evento", kNames, clock);
  auto impostor = MakeSelfSignedIdentity("Evento", kNames, clock);
  ASSERT_TRUE(hub.ok() && impostor.ok());
  EXPECT_EQ(Handshake(*hub, hub->certificate_pem, "localhost"), X509_V_OK);
  EXPECT_EQ(Handshake(*hub, hub->certificate_pem, "hub-laptop"), X509_V_OK);
  EXPECT_EQ(Handshake(*hub, hub->certificate_pem, "192.168.1.20"), X509_V_OK);
  EXPECT_EQ(Handshake(*impostor, hub->certificate_pem, "localhost"), -1)
      << "another key with the same names is refused";
  EXPECT_EQ(Handshake(*hub, hub->certificate_pem, "other-laptop"), -1)
      << "a name the certificate does not carry is refused";
}

TEST(TlsIdentityTest, FingerprintIsWhatTheOpensslProgramSays) {
  FakeClock clock;
  auto id = MakeSelfSignedIdentity("Evento", kNames, clock);
  ASSERT_TRUE(id.ok()) << id.status().message();
  TempDir dir;
  const std::string path = dir.File("hub.crt");
  WriteFile(path, id->certificate_pem);
  const std::string expected = testing::OpensslFingerprint(path);
  ASSERT_EQ(expected.size(), 64u) << expected;
  EXPECT_EQ(id->fingerprint, expected);
  auto from_pem = CertificateFingerprint(id->certificate_pem);
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().message();
  EXPECT_EQ(*from_pem, expected);
  auto from_file = CertificateFingerprintOfFile(path);
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  EXPECT_EQ(*from_file, expected);

  auto again = MakeSelfSignedIdentity("Evento", kNames, clock);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->fingerprint, id->fingerprint) << "a new key and serial each time";
}

TEST(TlsIdentityTest, LongEventNameIsShortenedAtACharacterBoundary) {
  FakeClock clock;
  std::string name;
  for (int i = 0; i < 80; ++i) name += "é";
  auto id = MakeSelfSignedIdentity(name, kNames, clock);
  ASSERT_TRUE(id.ok()) << id.status().message();
  Cert cert = ParseCert(id->certificate_pem);
  ASSERT_TRUE(cert);
  const ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(
      X509_get_subject_name(cert.get()),
      X509_NAME_get_index_by_NID(X509_get_subject_name(cert.get()), NID_commonName, -1)));
  const std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(cn)),
                         static_cast<size_t>(ASN1_STRING_length(cn)));
  std::string expected = "checkin hub ";
  for (int i = 0; i < 64 - 12; ++i) expected += "é";
  EXPECT_EQ(text, expected);
}

TEST(TlsIdentityTest, AltNameThatIsNeitherIpNorDnsIsRefused) {
  FakeClock clock;
  auto id = MakeSelfSignedIdentity("Evento", {"localhost", "evil,IP:1.2.3.4"}, clock);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(id.status().message().find("'evil,IP:1.2.3.4'"), std::string::npos)
      << id.status().message();
}

TEST(TlsIdentityTest, KeyCheckNamesTheFileThatIsWrong) {
  FakeClock clock;
  auto a = MakeSelfSignedIdentity("Evento", kNames, clock);
  auto b = MakeSelfSignedIdentity("Evento", kNames, clock);
  ASSERT_TRUE(a.ok() && b.ok());
  TempDir dir;
  const std::string cert = dir.File("hub.crt"), key = dir.File("hub.key"),
                    foreign = dir.File("other.key"), junk = dir.File("junk.pem");
  WriteFile(cert, a->certificate_pem);
  WriteFile(key, a->private_key_pem);
  WriteFile(foreign, b->private_key_pem);
  WriteFile(junk, "not PEM at all\n");

  Status ok = CheckKeyMatchesCertificate(key, cert);
  EXPECT_TRUE(ok.ok()) << ok.message();

  Status swapped = CheckKeyMatchesCertificate(foreign, cert);
  ASSERT_FALSE(swapped.ok());
  EXPECT_NE(swapped.message().find(foreign), std::string::npos) << swapped.message();
  EXPECT_NE(swapped.message().find(cert), std::string::npos) << swapped.message();

  Status bad_key = CheckKeyMatchesCertificate(junk, cert);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.message().rfind(junk + ": no PEM private key", 0), 0u) << bad_key.message();

  Status bad_cert = CheckKeyMatchesCertificate(key, junk);
  ASSERT_FALSE(bad_cert.ok());
  EXPECT_EQ(bad_cert.message().rfind(junk + ": no PEM certificate", 0), 0u) << bad_cert.message();

  auto fp = CertificateFingerprintOfFile(dir.File("missing.crt"));
  ASSERT_FALSE(fp.ok());
  EXPECT_NE(fp.status().message().find("missing.crt"), std::string::npos);
}

}  // namespace
}  // namespace checkin::hub
