// Station configuration: language and gates (which ticket types each admits, on
// which days). Read from a TOML file; see deploy/checkin.example.toml.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/messages.h"
#include "common/result.h"
#include "common/verdict.h"

namespace checkin {

// The camera station's behaviour ([scanner] in the config file).
struct ScannerSettings {
  // A ticket out of sight this long and shown again is a new presentation
  // (answered "already checked in"); until then it is the same one.
  int repeat_after_ms = 2000;
  bool sound = true;  // a tone for admit, another for deny
};

struct Config {
  Language language = Language::kSpanish;
  std::vector<Gate> gates;
  ScannerSettings scanner;

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

// Parses a TOML file. Errors name the file, the line and the key.
Result<Config> LoadConfig(const std::string& path);
Result<Config> ParseConfig(const std::string& toml_text, const std::string& source_name);

}  // namespace checkin
