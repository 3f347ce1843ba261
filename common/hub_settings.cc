#include "common/hub_settings.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "common/config_edit.h"
#include "common/file.h"
#include "common/output_file.h"
#include "common/pairing_code.h"

namespace checkin {
namespace {

// `s` as written: empty paths become the default names beside the config.
HubSettings WithDefaults(const std::string& config_path, HubSettings s) {
  if (s.token_file.empty()) s.token_file = DefaultHubTokenFile(config_path);
  if (s.replica.empty()) s.replica = DefaultHubReplica(config_path);
  return s;
}

std::string HubSection(const HubSettings& s) {
  std::string out =
      "[hub]\n"
      "# Written by `checkin station pair`, which replaces this section when run\n"
      "# again. The device token is in token_file, readable by its owner only.\n";
  if (!s.urls.empty()) out += "url = " + TomlString(s.urls.front()) + "\n";
  if (s.urls.size() > 1) {
    out += "urls = " + TomlStrings({s.urls.begin() + 1, s.urls.end()}) + "\n";
  }
  if (!s.fingerprint.empty()) out += "fingerprint = " + TomlString(s.fingerprint) + "\n";
  out += "token_file = " + TomlString(s.token_file) + "\n";
  out += "replica = " + TomlString(s.replica) + "\n";
  if (!s.device.empty()) out += "device = " + TomlString(s.device) + "\n";
  if (s.role) out += "role = " + TomlString(std::string(RoleName(*s.role))) + "\n";
  out += "deadline_ms = " + std::to_string(s.deadline_ms) + "\n";
  return out;
}

// The 1-based lines [first, last] the [hub] section of `text` (which loads)
// takes: its header to the end of its last value. Comments after that belong
// to what follows. {0, 0} when there is no [hub].
Result<std::pair<size_t, size_t>> HubLines(const std::string& text) {
  try {
    const toml::table root = toml::parse(text);
    const toml::table* hub = root["hub"].as_table();
    if (hub == nullptr) return std::pair<size_t, size_t>{0, 0};
    size_t last = hub->source().begin.line;
    for (const auto& [key, value] : *hub) last = std::max<size_t>(last, value.source().end.line);
    return std::pair<size_t, size_t>{hub->source().begin.line, last};
  } catch (const toml::parse_error&) {
    return Status::Internal("the config parsed once and not twice");
  }
}

bool SamePath(const std::string& a, const std::string& b) {
  return std::filesystem::path(a).lexically_normal() == std::filesystem::path(b).lexically_normal();
}

}  // namespace

Status SaveHubSettings(const std::string& config_path, const HubSettings& settings,
                       std::string_view token) {
  if (!IsDeviceToken(token)) {
    return Status::InvalidInput("the device token does not have the expected form (" +
                                std::to_string(kDeviceTokenLength) +
                                " base32 characters); nothing was saved");
  }
  const HubSettings s = WithDefaults(config_path, settings);
  const std::string token_path = BesideConfig(config_path, s.token_file);
  if (SamePath(token_path, config_path))
    return Status::InvalidInput("token_file must not be the config file itself");
  auto old = ReadConfigText(config_path);
  if (!old.ok()) return old.status();
  if (auto loads = ParseConfig(*old, config_path); !loads.ok()) return loads.status();

  const std::string section = HubSection(s);
  if (auto check = ParseConfig(section, "hub settings"); !check.ok())
    return check.status().WithContext("not saved: ");
  auto lines = HubLines(*old);
  if (!lines.ok()) return lines.status();
  const std::string text = SpliceLines(*old, *lines, section);
  // What the station will read back must be what was asked for.
  HubSettings want = s;
  want.token_file = token_path;
  want.replica = BesideConfig(config_path, s.replica);
  auto reread = ParseConfig(text, config_path);
  if (!reread.ok() || reread->hub != want)
    return Status::Internal("the new [hub] section would not read back as written");

  // The token first: a config pointing at a token file that is not there yet
  // would fail on the station's next start.
  if (Status w = WriteFileAtomically(token_path, token, FileAccess::kOwnerOnly); !w.ok())
    return w.WithContext("device token: ");
  return WriteFileAtomically(config_path, text, FileAccess::kOwnerOnly).WithContext("config: ");
}

Result<std::string> ReadHubToken(const HubSettings& s) {
  const std::string& path = s.token_file;
  const std::string pair_again = ": pair this station again (checkin station pair CODE)";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Status::NotFound("device token file " + path + " is missing" + pair_again);
  if ((st.st_mode & 077) != 0) {
    // Whoever could read it may pose as this station: chmod alone is not enough.
    return Status::InvalidInput("device token file " + path +
                                " can be read or changed by other users: revoke this device on"
                                " the hub and pair again");
  }
  auto text = ReadWholeFile(path, 4096);
  if (!text.ok()) return text.status().WithContext("device token: ");
  std::string token = std::move(text).value();
  if (!token.empty() && token.back() == '\n') token.pop_back();
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty())
    return Status::InvalidInput("device token file " + path + " is empty" + pair_again);
  if (!IsDeviceToken(token)) {
    return Status::InvalidInput("device token file " + path + " does not hold a device token (" +
                                std::to_string(kDeviceTokenLength) + " base32 characters)" +
                                pair_again);
  }
  return token;
}

}  // namespace checkin
