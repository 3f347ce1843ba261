// The hub's TLS identity: a self-signed certificate and its private key, and
// the fingerprint stations pin instead of trusting a certificate authority.
// OpenSSL stays in the .cc. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace checkin::hub {

struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;  // PKCS#8, unencrypted: write it owner-only
  std::string fingerprint;      // CertificateFingerprint() of the certificate
};

// A new ECDSA P-256 key (Chromium loads the hub's pages, and it accepts no
// Ed25519 server certificate) and a certificate for it signed with SHA-256:
// random 128-bit serial, valid from an hour before clock.Now() (laptops'
// clocks drift) for two years, subject CN "checkin hub <event_name>"
// (shortened to the 64 characters X.509 allows), CA:FALSE, digitalSignature,
// serverAuth. Each of `alt_names` becomes a subjectAltName: an IP address
// when it parses as IPv4 or IPv6, else a DNS name. InvalidInput names an
// entry that is neither; Internal carries OpenSSL's reason.
Result<TlsIdentity> MakeSelfSignedIdentity(const std::string& event_name,
                                           const std::vector<std::string>& alt_names,
                                           const Clock& clock);

// The SHA-256 of the certificate's DER as 64 lowercase hex digits. Stations
// pin exactly this string: the pairing code carries it, and a station refuses
// a hub whose certificate gives another. InvalidInput if `pem` holds no
// certificate.
Result<std::string> CertificateFingerprint(std::string_view pem);
// The same for a certificate file; errors name the file.
Result<std::string> CertificateFingerprintOfFile(const std::string& path);

// Ok when the private key in `key_path` belongs to the certificate in
// `cert_path`. Otherwise the message names the file that cannot be read or
// parsed, or both files when they do not belong together.
Status CheckKeyMatchesCertificate(const std::string& key_path, const std::string& cert_path);

// True for what MakeSelfSignedIdentity takes as a DNS name: letters, digits,
// '-' and '.', 1 to 253 characters.
bool IsDnsName(std::string_view name);

}  // namespace checkin::hub
