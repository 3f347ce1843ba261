// The devices a venue hub serves: adding one makes a one-time pairing secret,
// pairing spends it for a long-lived token, every request authenticates by
// that token, and revoking ends both. Only SHA-256 hashes of the secrets are
// stored. One DeviceRegistry per connection (like the Database under it).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/json_codec.h"
#include "common/messages.h"
#include "common/result.h"
#include "common/roles.h"
#include "db/database.h"

namespace checkin::db {

inline constexpr std::chrono::minutes kPairingValidity{15};
// Authenticate writes last_seen_at only when the stored one is older than
// this, so a busy station costs one write a minute, not one per request.
inline constexpr std::chrono::seconds kLastSeenResolution{60};
inline constexpr size_t kMaxDeviceNameBytes = 64;
// NoteReplica writes when the outbox size changed or the stored note is older
// than this: a station pulls every few seconds.
inline constexpr std::chrono::seconds kReplicaNoteResolution{10};

enum class DeviceState { kPairingPending, kPairingExpired, kPaired, kRevoked };
std::string_view DeviceStateName(DeviceState s);  // "pairing_pending", ...

struct Device {
  std::string name;
  Role role = Role::kScan;
  DeviceState state = DeviceState::kPairingPending;
  std::string created_at;  // FormatUtc text, like every time below
  std::string pairing_expires_at;
  std::string paired_at;     // empty until paired
  std::string last_seen_at;  // empty until its first request; to kLastSeenResolution
  std::string revoked_at;    // empty unless revoked
  // What the station last said of its replica (-1 and "" until it pulls).
  int64_t outbox = -1;           // its check-ins waiting to be uploaded
  int64_t replica_checkin = -1;  // the newest check-in of the hub's log it has
  std::string pulled_at;         // to kReplicaNoteResolution
};

struct DeviceStatus {
  Device device;
  // A request within a minute and a half: a station pulls every few
  // seconds, and last_seen_at moves once a minute.
  bool online = false;
  // Check-ins of the hub's log its replica lacks; -1 until it pulled once.
  int64_t replica_lag = -1;
};
// `hub device list --json`'s shape, which the dashboard reads too.
JsonObject DeviceStatusJson(const DeviceStatus& s);

// Shown once by `hub device add`; the registry keeps only its hash.
struct NewDevice {
  std::string name;
  Role role = Role::kScan;
  std::string pairing_secret;  // kPairingSecretLength base32 characters
  std::chrono::system_clock::time_point expires_at;
};

// Returned once by Pair(); the station keeps the token, the hub its hash.
struct PairedDevice {
  std::string name;
  Role role = Role::kScan;
  std::string token;  // 52 base32 characters: 260 random bits
};

class DeviceRegistry {
 public:
  DeviceRegistry(Database& db, const Clock& clock, Language lang = Language::kSpanish)
      : db_(db), clock_(clock), lang_(lang) {}

  // InvalidInput for a name that is empty, too long, not UTF-8 or holds a
  // control character, or that a device not revoked already has (revoke it
  // first: the name of a revoked device may be given again).
  Result<NewDevice> Add(const std::string& name, Role role,
                        std::chrono::minutes valid_for = kPairingValidity);
  // Spends the pairing secret (single use) for the device's token.
  // InvalidInput for a secret that is unknown, already used, expired or
  // whose device was revoked; the message never holds the secret.
  Result<PairedDevice> Pair(std::string_view pairing_secret);
  // The device behind `token`, its last_seen_at refreshed (see
  // kLastSeenResolution). InvalidInput for an empty token, NotFound for an
  // unknown or revoked one. A busy database while refreshing last seen does
  // not fail the request.
  Result<Device> Authenticate(std::string_view token);
  // Revokes the device called `name` that is not yet revoked; NotFound if none.
  Status Revoke(const std::string& name);
  // What station `device` says of its replica (see Device); written at most
  // every kReplicaNoteResolution unless the outbox size changed. A negative
  // `replica_checkin` keeps the one noted before.
  // `device` as Authenticate returned it for this request.
  Status NoteReplica(const Device& device, int64_t outbox, int64_t replica_checkin);
  // Every device, revoked ones too, oldest first.
  Result<std::vector<Device>> List();
  // The same, each with what `hub device list` and the dashboard say of it.
  Result<std::vector<DeviceStatus>> Statuses();

 private:
  Database& db_;
  const Clock& clock_;
  Language lang_;
};

// Printable UTF-8, 1..kMaxDeviceNameBytes bytes, no terminal controls, no
// leading or trailing spaces.
Status CheckDeviceName(std::string_view name, Language lang = Language::kSpanish);

}  // namespace checkin::db
