#include "common/config_edit.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "common/file.h"
#include "common/output_file.h"
#include "common/text.h"

namespace checkin {
namespace {

template <typename T>
std::string Toml(T&& value) {
  std::ostringstream out;
  out << toml::toml_formatter(value, toml::format_flags::allow_unicode_strings);
  return out.str();
}

struct GateLines {
  std::string name;
  std::pair<size_t, size_t> lines;  // header to its last value, 1-based
};

// The [[gate]] tables of `text` (which loads), where they stand. InvalidInput
// when a gate is an inline table, whose lines are not its own.
Result<std::vector<GateLines>> FindGates(const std::string& text) {
  std::vector<GateLines> out;
  try {
    const toml::table root = toml::parse(text);
    const toml::array* gates = root["gate"].as_array();
    if (gates == nullptr) return out;
    for (const toml::node& n : *gates) {
      const toml::table& t = *n.as_table();
      if (t.is_inline()) {
        return Status::InvalidInput(
            "the config's gates are written inline (gate = [{...}]); write them as [[gate]]"
            " tables first");
      }
      size_t last = t.source().begin.line;
      for (const auto& [key, value] : t) last = std::max<size_t>(last, value.source().end.line);
      out.push_back({t["name"].value_or(std::string()), {t.source().begin.line, last}});
    }
    return out;
  } catch (const toml::parse_error&) {
    return Status::Internal("the config parsed once and not twice");
  }
}

bool Named(const std::vector<Gate>& gates, const std::string& name) {
  return std::any_of(gates.begin(), gates.end(),
                     [&](const Gate& g) { return Fold(g.name) == Fold(Trim(name)); });
}

// The config's mode, so a config readable only by its owner stays so.
FileAccess AccessOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) == 0) return FileAccess::kOwnerOnly;
  return FileAccess::kShared;
}

}  // namespace

std::string TomlString(std::string_view s) { return Toml(toml::value<std::string>(s)); }

std::string TomlStrings(const std::vector<std::string>& list) {
  toml::array a;
  for (const auto& s : list) a.push_back(s);
  return Toml(a);
}

Result<std::string> ReadConfigText(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return std::string();
  auto text = ReadWholeFile(path, kMaxConfigBytes);
  if (!text.ok()) return text.status().WithContext("config: ");
  return text;
}

std::string SpliceLines(const std::string& text, std::pair<size_t, size_t> lines,
                        const std::string& section) {
  if (lines.first == 0) {
    if (text.empty()) return section;
    return text + (text.back() == '\n' ? "\n" : "\n\n") + section;
  }
  // Byte offsets of the first line's start and of the line after the last.
  auto start_of = [&](size_t line) {
    size_t at = 0;
    for (size_t i = 1; i < line && at != std::string::npos; ++i) {
      at = text.find('\n', at);
      if (at != std::string::npos) ++at;
    }
    return at == std::string::npos ? text.size() : at;
  };
  return text.substr(0, start_of(lines.first)) + section + text.substr(start_of(lines.second + 1));
}

std::string GateBlocks(const std::vector<Gate>& gates, const std::string& comment) {
  std::string out = comment;
  for (size_t i = 0; i < gates.size(); ++i) {
    const Gate& g = gates[i];
    out += (i == 0 ? "" : "\n") + std::string("[[gate]]\nname = ") + TomlString(g.name) + "\n";
    if (!g.ticket_types.empty()) out += "ticket_types = " + TomlStrings(g.ticket_types) + "\n";
    if (!g.days.empty()) out += "days = " + TomlStrings(g.days) + "\n";
  }
  return out;
}

Status AddGates(const std::string& path, const std::vector<Gate>& gates, const std::string& comment,
                ExistingGates existing) {
  auto old = ReadConfigText(path);
  if (!old.ok()) return old.status();
  auto loaded = ParseConfig(*old, path);
  if (!loaded.ok()) return loaded.status();
  auto present = FindGates(*old);
  if (!present.ok()) return present.status();

  std::string text = *old;
  std::string taken;
  // From the last to the first, so the line numbers above stay right.
  for (auto it = present->rbegin(); it != present->rend(); ++it) {
    if (!Named(gates, it->name)) continue;
    taken = "'" + it->name + "'" + (taken.empty() ? "" : ", ") + taken;
    if (existing == ExistingGates::kReplace) text = SpliceLines(text, it->lines, "");
  }
  if (!taken.empty() && existing == ExistingGates::kRefuse) {
    return Status::Conflict(path + " already has gates of these names: " + taken +
                            "; nothing was written");
  }
  // The comment of the gates replaced would otherwise stay behind, over nothing.
  if (!taken.empty() && !comment.empty()) {
    if (auto at = text.find(comment); at != std::string::npos) text.erase(at, comment.size());
  }
  text = SpliceLines(text, {0, 0}, GateBlocks(gates, comment));

  // What the doors will read back must be these gates, and the others kept.
  auto reread = ParseConfig(text, path);
  if (!reread.ok()) return reread.status().WithContext("not written: ");
  for (const Gate& g : gates) {
    auto found = reread->FindGate(g.name);
    if (!found.ok() || (*found)->ticket_types != g.ticket_types)
      return Status::Internal("gate '" + g.name + "' would not read back as written");
  }
  return WriteFileAtomically(path, text, AccessOf(path)).WithContext("config: ");
}

}  // namespace checkin
