// Changing a station config file in place, as the commands that write one do
// (`station pair` its [hub], `roster gates --write` its gates): values written
// by toml++, every other line kept byte for byte, the file replaced
// atomically. Thread-compatible: one process writes a config at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config.h"
#include "common/result.h"
#include "common/verdict.h"

namespace checkin {

// A TOML string and a TOML array of strings, escaped as TOML wants; UTF-8
// stays as it is, readable.
std::string TomlString(std::string_view s);
std::string TomlStrings(const std::vector<std::string>& list);

// The config's text; "" when there is none yet. Errors as ReadWholeFile.
Result<std::string> ReadConfigText(const std::string& path);

// `text` with its 1-based lines [first, last] replaced by `section`, or with
// `section` added at the end (after a blank line) when first is 0.
std::string SpliceLines(const std::string& text, std::pair<size_t, size_t> lines,
                        const std::string& section);

// [[gate]] blocks for `gates`, after `comment` (lines of "# ...", or "").
std::string GateBlocks(const std::vector<Gate>& gates, const std::string& comment);

enum class ExistingGates { kRefuse, kReplace };

// Adds `gates` at the end of the config at `path` (created if missing),
// after `comment`. A gate of the same name (ignoring case and accents)
// already there is an error (kRefuse) or is removed first (kReplace). The
// file is written atomically and keeps its owner-only mode if it had one.
// - Conflict, touching nothing: a name is taken (kRefuse; naming them).
// - InvalidInput, touching nothing: the config does not load (its LoadConfig
//   error), or the result would not read back with these gates (e.g. gates
//   written as an inline array).
// - NotFound / DeviceError from writing; the config is left as it was.
Status AddGates(const std::string& path, const std::vector<Gate>& gates, const std::string& comment,
                ExistingGates existing);

}  // namespace checkin
