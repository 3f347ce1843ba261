// Station configuration: language and gates (which ticket types each admits, on
// which days). Read from a TOML file; see deploy/checkin.example.toml.
#pragma once

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

// Parses a TOML file. Errors name the file, the line and the key.
Result<Config> LoadConfig(const std::string& path);
Result<Config> ParseConfig(const std::string& toml_text, const std::string& source_name);

}  // namespace checkin
