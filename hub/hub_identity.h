// The hub's certificate and key as files beside the event database, made once
// and kept: stations pin the certificate's fingerprint, so a new one means
// pairing every station again. Thread-compatible (one `hub init` at a time).
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace checkin::hub {

// The port `hub serve` listens on unless told otherwise, and the one in the
// URLs `hub init` prints.
inline constexpr int kDefaultHubPort = 8443;

struct HubFiles {
  std::string certificate;  // "/x/venue.hub.crt" for "/x/venue.db"
  std::string key;          // "/x/venue.hub.key"
};
HubFiles HubFilesFor(const std::string& db_path);

// What the certificate names: localhost, 127.0.0.1 and ::1 (a station on the
// hub's own laptop), `host_name` when it is a valid DNS name, then
// `addresses`; each once.
std::vector<std::string> HubAltNames(const std::string& host_name,
                                     const std::vector<std::string>& addresses);

// "https://HOST:PORT" for the host name, then for each address (IPv6 in
// brackets): what a station on another laptop can be given.
std::vector<std::string> StationUrls(const std::string& host_name,
                                     const std::vector<std::string>& addresses, int port);

enum class Renew { kKeep, kReplace };

struct HubIdentityState {
  HubFiles files;
  std::string fingerprint;
  bool created = false;  // false: the certificate was already there and is kept
  bool renewed = false;  // an existing certificate was replaced
};

// Makes the hub's key and certificate beside `db_path` (MakeSelfSignedIdentity
// with `alt_names`), unless a certificate is already there and `renew` is
// kKeep: then it is left untouched and its fingerprint returned, once its key
// is checked to match. The key is created owner-only (0600) from the first
// byte; each file is replaced atomically. Errors name the file:
// InvalidInput for a folder or other non-regular file at either path and for
// a key that does not match its certificate; NotFound for a missing key
// beside a kept certificate; DeviceError when writing fails. A failure while
// creating leaves no new file behind. Blocks on the disk.
Result<HubIdentityState> InitHubIdentity(const std::string& db_path, const std::string& event_name,
                                         const std::vector<std::string>& alt_names, Renew renew,
                                         const Clock& clock);

}  // namespace checkin::hub
