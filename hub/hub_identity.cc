#include "hub/hub_identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "common/output_file.h"
#include "hub/tls_identity.h"

namespace checkin::hub {
namespace {

void AddOnce(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

enum class Presence { kMissing, kRegularFile };

// Both paths are looked at before anything is made, so a folder where the
// key should go stops `hub init` before it writes the certificate.
Result<Presence> Look(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Presence::kMissing;
    return Status::DeviceError("cannot look at " + path + ": " +
                               std::generic_category().message(errno));
  }
  if (!S_ISREG(st.st_mode))
    return Status::InvalidInput(path + " is " + (S_ISDIR(st.st_mode) ? "a folder" : "not a file") +
                                ", not the hub's file; move it out of the way and try again");
  return Presence::kRegularFile;
}

Result<HubIdentityState> KeepExisting(const HubFiles& files) {
  struct stat st {};
  if (::lstat(files.key.c_str(), &st) != 0)
    return Status::NotFound("the certificate " + files.certificate + " is there but its key " +
                            files.key + " is missing; put the key back, or run `hub init " +
                            "--renew` (every paired station must then pair again)");
  if (Status s = CheckKeyMatchesCertificate(files.key, files.certificate); !s.ok()) return s;
  auto fingerprint = CertificateFingerprintOfFile(files.certificate);
  if (!fingerprint.ok()) return fingerprint.status();
  return HubIdentityState{files, *fingerprint, false, false};
}

}  // namespace

HubFiles HubFilesFor(const std::string& db_path) {
  std::filesystem::path stem(db_path);
  stem.replace_extension();
  return {stem.string() + ".hub.crt", stem.string() + ".hub.key"};
}

std::vector<std::string> HubAltNames(const std::string& host_name,
                                     const std::vector<std::string>& addresses) {
  std::vector<std::string> names{"localhost", "127.0.0.1", "::1"};
  if (IsDnsName(host_name)) AddOnce(names, host_name);
  for (const auto& a : addresses) AddOnce(names, a);
  return names;
}

std::vector<std::string> StationUrls(const std::string& host_name,
                                     const std::vector<std::string>& addresses, int port) {
  std::vector<std::string> urls;
  const std::string suffix = ":" + std::to_string(port);
  if (IsDnsName(host_name)) urls.push_back("https://" + host_name + suffix);
  for (const auto& a : addresses) {
    const bool v6 = a.find(':') != std::string::npos;
    AddOnce(urls, "https://" + (v6 ? "[" + a + "]" : a) + suffix);
  }
  return urls;
}

Result<HubIdentityState> InitHubIdentity(const std::string& db_path, const std::string& event_name,
                                         const std::vector<std::string>& alt_names, Renew renew,
                                         const Clock& clock) {
  const HubFiles files = HubFilesFor(db_path);
  auto cert = Look(files.certificate);
  if (!cert.ok()) return cert.status();
  auto key = Look(files.key);
  if (!key.ok()) return key.status();
  if (*cert == Presence::kRegularFile && renew == Renew::kKeep) return KeepExisting(files);

  auto identity = MakeSelfSignedIdentity(event_name, alt_names, clock);
  if (!identity.ok()) return identity.status();
  // The key first: a certificate without its key is useless, while a key
  // without a certificate is replaced by the next `hub init`.
  if (Status s = WriteFileAtomically(files.key, identity->private_key_pem, FileAccess::kOwnerOnly);
      !s.ok())
    return s;
  if (Status s = WriteFileAtomically(files.certificate, identity->certificate_pem); !s.ok()) {
    // A key we have just created goes again; a renewed one stays, and the
    // next run reports the pair as not matching rather than guessing.
    if (*key == Presence::kMissing) ::unlink(files.key.c_str());
    return s;
  }
  return HubIdentityState{files, identity->fingerprint, true, *cert == Presence::kRegularFile};
}

}  // namespace checkin::hub
