// Station configuration: language, gates (which ticket types each admits, on
// which days) and, on a paired station, how it reaches the venue hub. Read
// from a TOML file; see deploy/checkin.example.toml.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/messages.h"
#include "common/result.h"
#include "common/roles.h"
#include "common/verdict.h"

namespace checkin {

// The camera station's behaviour ([scanner] in the config file).
struct ScannerSettings {
  // A ticket out of sight this long and shown again is a new presentation
  // (answered "already checked in"); until then it is the same one.
  int repeat_after_ms = 2000;
  bool sound = true;  // a tone for admit, another for deny
};

inline constexpr int kDefaultHubDeadlineMs = 400;

// How a paired station reaches the venue hub ([hub] in the config file, which
// `checkin station pair` writes: see common/hub_settings.h). The device token
// is not here: it lives in `token_file`, readable by its owner only.
struct HubSettings {
  // Tried in order, the first that answers wins: `url`, then the `urls`
  // fallbacks; 1..kMaxHubUrls. https://, or http:// on loopback only.
  std::vector<std::string> urls;
  // SHA-256 of the hub's certificate, which the station pins: 64 lowercase
  // hex. Required when a URL is https://; otherwise "" is allowed.
  std::string fingerprint;
  // Paths as LoadConfig returns them: relative ones are made relative to the
  // config file's folder. Empty when saving: the defaults beside the config.
  std::string token_file;  // default STEM.token for STEM.toml
  std::string replica;     // the station's replica SQLite file; default STEM.replica.db
  std::string device;      // the device name the hub gave; informational
  std::optional<Role> role;
  // How long a station waits for the hub before deciding offline: 50..10000.
  int deadline_ms = kDefaultHubDeadlineMs;

  bool operator==(const HubSettings&) const = default;
};

// Where the roster comes from ([registration] in the config file): a
// registration platform's API that `checkin roster sync` and the hub follow.
// The token is never in the config: it is read from `token_file` (mode 0600
// or stricter) or, when that is empty, from the environment variable
// `token_env`.
struct RegistrationSettings {
  std::string platform;    // "pretix", "eventbrite" or "sympla"
  std::string url;         // the API's base URL; https://, or http:// on loopback
  std::string organizer;   // pretix only
  std::string event;       // the platform's event id or slug
  std::string token_file;  // made relative to the config's folder
  std::string token_env = "CHECKIN_REGISTRATION_TOKEN";
  int interval_s = 60;  // between passes of the hub and of `roster sync --every`
  // pretix only: the check-in list our admissions are sent back to after
  // each pass (sync/pretix_upload.h); 0 sends nothing.
  int64_t upload_list = 0;

  bool operator==(const RegistrationSettings&) const = default;
};
// interval_s's bounds, in seconds.
inline constexpr int kMinSyncIntervalS = 10;
inline constexpr int kMaxSyncIntervalS = 86400;
// A [registration] section for messages that ask for one.
inline constexpr const char* kRegistrationExample =
    "for example: [registration] platform = \"pretix\", url = \"https://pretix.eu/\", organizer"
    " = \"kcd\", event = \"bogota2025\", token_file = \"pretix.token\", interval_s = 60";

struct Config {
  Language language = Language::kSpanish;
  std::vector<Gate> gates;
  ScannerSettings scanner;
  std::optional<HubSettings> hub;  // set on a paired station
  std::optional<RegistrationSettings> registration;

  // The gate a scan happens at; InvalidInput naming the known gates otherwise.
  Result<const Gate*> FindGate(const std::string& name) const;
};

inline constexpr const char* kDefaultGate = "Principal";

// One gate, "Principal", that admits every ticket type every day; Spanish.
Config DefaultConfig();

// The machine-wide station config a venue laptop keeps.
inline constexpr const char* kSystemConfigFile = "/etc/checkin/checkin.toml";

// Where the station config comes from, the first that applies:
//   1. --config FILE;
//   2. $CHECKIN_CONFIG; set but empty, the built-in defaults (so tests and
//      the demo ignore whatever /etc/checkin holds);
//   3. /etc/checkin/checkin.toml, if it exists;
//   4. none: DefaultConfig().
// Returns the file to load, or "" for the defaults. A file named by 1 or 2 is
// returned even if missing, so loading it fails loudly instead of falling back.
struct ConfigSources {
  std::string flag;                // --config, "" when not given
  std::optional<std::string> env;  // $CHECKIN_CONFIG, nullopt when unset
  std::string system_file = kSystemConfigFile;
};
std::string FindConfigFile(const ConfigSources& sources,
                           const std::function<bool(const std::string&)>& exists);
// The same with this process's environment and the real filesystem.
std::string FindConfigFile(const std::string& flag);

// Config files are small; a larger one is the wrong file.
inline constexpr size_t kMaxConfigBytes = 1 << 20;

// Parses a TOML file. Errors name the file, the line and the key. Relative
// paths in [hub] are taken relative to `source_name`'s folder.
Result<Config> LoadConfig(const std::string& path);
Result<Config> ParseConfig(const std::string& toml_text, const std::string& source_name);

// `path` as a station opens it: relative paths are relative to the folder of
// the config file `config_path`.
std::string BesideConfig(const std::string& config_path, const std::string& path);
// Default [hub] file names, relative to the config's folder: "station.token"
// and "station.replica.db" for "/etc/x/station.toml".
std::string DefaultHubTokenFile(const std::string& config_path);
std::string DefaultHubReplica(const std::string& config_path);

}  // namespace checkin
