// Who may use the pages (issue 11): one-time login links that `checkin hub
// open` prints, a PIN per role that the admin sets (none by default), and
// the browser sessions either one starts. Only hashes of links, tokens and
// PINs are stored. One WebLogins per connection, like the Database under it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/messages.h"
#include "common/result.h"
#include "common/roles.h"
#include "db/database.h"

namespace checkin::db {

inline constexpr std::chrono::minutes kLoginLinkValidity{5};
// A volunteer's shift and then some: a door screen left open all day stays
// logged in, and a browser forgotten at the desk is not for the next event.
inline constexpr std::chrono::hours kWebSessionLifetime{14};
inline constexpr size_t kMinPinDigits = 6;
inline constexpr size_t kMaxPinDigits = 12;
// Wrong PINs for one role in a row before it is locked for kPinLock.
inline constexpr int kPinTries = 5;
inline constexpr std::chrono::minutes kPinLock{5};

// Shown once by `hub open`; only its hash is kept.
struct LoginLink {
  std::string secret;
  Role role = Role::kScan;
  std::string station;
  std::chrono::system_clock::time_point expires_at;
};

struct WebSession {
  std::string token;  // the cookie's value; empty when read back by Find
  std::string csrf;   // echoed by the page in a header on every change
  Role role = Role::kScan;
  std::string station;  // the door screen's station; may be empty
  std::string expires_at;
};

class WebLogins {
 public:
  WebLogins(Database& db, const Clock& clock, Language lang = Language::kSpanish)
      : db_(db), clock_(clock), lang_(lang) {}

  // InvalidInput for a station name that is too long or not printable.
  Result<LoginLink> OpenLink(Role role, const std::string& station,
                             std::chrono::minutes valid_for = kLoginLinkValidity);
  // A link asked for by the paired, not revoked device called `device`, for
  // its own browser: labelled with its name (as the station), and the
  // session it starts ends when the device is revoked. NotFound when no
  // such device.
  Result<LoginLink> OpenDeviceLink(const std::string& device, Role role);
  // Spends a link (first use only) for a new session. InvalidInput for a
  // link that is unknown, used, expired or whose device was revoked; the
  // message never holds it.
  Result<WebSession> SpendLink(std::string_view secret);

  // InvalidInput unless `pin` is kMinPinDigits to kMaxPinDigits digits.
  Status SetPin(Role role, std::string_view pin);
  // A session for the right PIN of `role`. InvalidInput for a wrong one,
  // or for a role without a PIN; Unavailable while the role is locked
  // after kPinTries wrong ones.
  Result<WebSession> SpendPin(Role role, std::string_view pin, const std::string& station);

  // The live session behind a cookie's token; NotFound when unknown,
  // expired, ended, or started for a device since revoked.
  Result<WebSession> Find(std::string_view token);
  Status End(std::string_view token);
  // How many live sessions each device not revoked has open, by its name
  // (devices with none are left out): the device page shows who is logged in.
  Result<std::map<std::string, int64_t>> LiveDeviceSessions();

 private:
  // `device_id` 0: the link or session belongs to no device.
  Result<LoginLink> InsertLink(Role role, const std::string& station,
                               std::chrono::minutes valid_for, int64_t device_id);
  Result<WebSession> NewSession(Role role, const std::string& station, const char* how,
                                int64_t device_id = 0);

  Database& db_;
  const Clock& clock_;
  Language lang_;
};

}  // namespace checkin::db
