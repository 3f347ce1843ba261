// What `checkin station pair` leaves on a station: the device token in a file
// only its owner can read, and the [hub] section of the station config (see
// HubSettings in common/config.h). Thread-compatible: one process writes a
// station's config at a time.
#pragma once

#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"

namespace checkin {

// Writes `token` to the settings' token_file, then makes the [hub] section of
// the config at `config_path` hold `s` (a missing config is created). Relative
// paths in `s` are relative to the config's folder; empty ones get the
// defaults (DefaultHubTokenFile, DefaultHubReplica). Both files are written
// atomically, mode 0600 from their first byte. Every other line of the config,
// comments included, is kept byte for byte; an old [hub] section is replaced
// where it stood, a new one goes at the end. Blocks on the disk.
// - InvalidInput, touching nothing: a token that is not a device token, a
//   config that does not load (its LoadConfig error), settings LoadConfig
//   would refuse.
// - NotFound / DeviceError from writing (folder missing, disk full): the
//   config is left as it was; a token file may already hold the new token.
// The token never appears in a message or in the config.
Status SaveHubSettings(const std::string& config_path, const HubSettings& s,
                       std::string_view token);

// The device token in `s.token_file`. InvalidInput, naming the file and never
// its content, when the file can be read or written by group or others, is
// empty, or does not hold one device token (one trailing newline is allowed);
// NotFound when it is missing.
Result<std::string> ReadHubToken(const HubSettings& s);

}  // namespace checkin
