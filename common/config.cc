#include "common/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "common/file.h"
#include "common/pairing_code.h"
#include "common/text.h"

namespace checkin {
namespace {

std::string Where(const std::string& source, const toml::source_region& r) {
  return source + ":" + std::to_string(r.begin.line) + ": ";
}

// "2026-11-28": what gate days are written as (local dates of the event).
bool IsIsoDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  const unsigned month = static_cast<unsigned>((d[5] - '0') * 10 + (d[6] - '0'));
  const unsigned day = static_cast<unsigned>((d[8] - '0') * 10 + (d[9] - '0'));
  // A gate open on 2026-02-31 would never open: the calendar decides.
  return std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month),
                                     std::chrono::day(day))
      .ok();
}

Result<std::vector<std::string>> StringList(const toml::node* node, const std::string& what,
                                            const std::string& where) {
  std::vector<std::string> out;
  if (node == nullptr) return out;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return Status::InvalidInput(where + what + " must be a list of strings");
  for (const toml::node& item : *arr) {
    auto s = item.value<std::string>();
    if (!s) return Status::InvalidInput(where + what + " must be a list of strings");
    out.push_back(*s);
  }
  return out;
}

Result<Gate> ParseGate(const toml::table& t, const std::string& source) {
  const std::string where = Where(source, t.source());
  for (const auto& [key, node] : t) {
    if (key != "name" && key != "ticket_types" && key != "days") {
      return Status::InvalidInput(Where(source, node.source()) + "unknown key '" +
                                  std::string(key.str()) +
                                  "' in [[gate]] (expected name, ticket_types, days)");
    }
  }
  Gate g;
  auto name = t["name"].value<std::string>();
  if (!name || Trim(*name).empty())
    return Status::InvalidInput(where + "every [[gate]] needs a name");
  g.name = std::string(Trim(*name));
  auto types = StringList(t.get("ticket_types"), "ticket_types", where);
  if (!types.ok()) return types.status();
  g.ticket_types = *types;
  auto days = StringList(t.get("days"), "days", where);
  if (!days.ok()) return days.status();
  for (const auto& d : *days) {
    if (!IsIsoDate(d)) {
      return Status::InvalidInput(where + "day '" + d + "' of gate " + g.name +
                                  " is not YYYY-MM-DD");
    }
  }
  g.days = *days;
  return g;
}

// Line `line` (1-based) of `text`, without its end.
std::string_view LineOf(std::string_view text, size_t line) {
  for (size_t i = 1; i < line; ++i) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  return text.substr(0, text.find('\n'));
}

Result<std::string> HubString(const toml::node& value, std::string_view key,
                              const std::string& where) {
  auto v = value.value<std::string>();
  if (!v) return Status::InvalidInput(where + std::string(key) + " must be a string");
  return *v;
}

Result<std::string> HubPath(const toml::node& value, std::string_view key,
                            const std::string& where) {
  auto v = HubString(value, key, where);
  if (v.ok() && Trim(*v).empty())
    return Status::InvalidInput(where + std::string(key) + " must name a file");
  return v;
}

Status HubUrl(const std::string& url, const std::string& where, std::string_view key) {
  // The rule pairing codes follow: the URL came from one, or should have.
  return CheckHubUrl(url, Language::kEnglish).WithContext(where + std::string(key) + ": ");
}

// Reads one key of [hub] into `h`; `url` and `fallbacks` are joined later.
Status ParseHubKey(std::string_view key, const toml::node& value, const std::string& where,
                   HubSettings* h, std::optional<std::string>* url,
                   std::vector<std::string>* fallbacks) {
  if (key == "url") {
    auto v = HubString(value, key, where);
    if (!v.ok()) return v.status();
    if (Status s = HubUrl(*v, where, key); !s.ok()) return s;
    *url = *v;
  } else if (key == "urls") {
    auto v = StringList(&value, "urls", where);
    if (!v.ok()) return v.status();
    if (v->size() >= kMaxHubUrls) {
      return Status::InvalidInput(where + "urls holds at most " + std::to_string(kMaxHubUrls - 1) +
                                  " fallbacks (" + std::to_string(kMaxHubUrls) + " URLs with url)");
    }
    for (const std::string& u : *v) {
      if (Status s = HubUrl(u, where, key); !s.ok()) return s;
    }
    *fallbacks = *v;
  } else if (key == "fingerprint") {
    auto v = HubString(value, key, where);
    if (!v.ok()) return v.status();
    if (Status s = CheckFingerprint(*v, Language::kEnglish); !s.ok())
      return s.WithContext(where + "fingerprint: ");
    h->fingerprint = *v;
  } else if (key == "token_file" || key == "replica") {
    auto v = HubPath(value, key, where);
    if (!v.ok()) return v.status();
    (key == "replica" ? h->replica : h->token_file) = *v;
  } else if (key == "device") {
    auto v = HubString(value, key, where);
    if (!v.ok()) return v.status();
    h->device = *v;
  } else if (key == "role") {
    auto v = HubString(value, key, where);
    std::optional<Role> role = v.ok() ? ParseRole(*v) : std::nullopt;
    if (!role) return Status::InvalidInput(where + "role must be scan, desk, print or admin");
    h->role = role;
  } else if (key == "deadline_ms") {
    // An integer on purpose: 0.4 here would be a unit mistake, not 400 ms.
    const auto* v = value.as_integer();
    if (v == nullptr || v->get() < 50 || v->get() > 10000)
      return Status::InvalidInput(where + "deadline_ms must be a whole number from 50 to 10000");
    h->deadline_ms = static_cast<int>(v->get());
  } else {
    return Status::InvalidInput(where + "unknown key '" + std::string(key) +
                                "' in [hub] (expected url, urls, fingerprint, token_file, device,"
                                " role, deadline_ms, replica)");
  }
  return Status::Ok();
}

Result<HubSettings> ParseHub(const toml::node& node, const std::string& source,
                             std::string_view text) {
  const std::string where = Where(source, node.source());
  const toml::table* t = node.as_table();
  // Only a [hub] header has a block of lines that pairing again can replace;
  // `hub = {...}` and `hub.url = ...` have none.
  if (t == nullptr || Trim(LineOf(text, node.source().begin.line)).substr(0, 1) != "[") {
    return Status::InvalidInput(where + "hub settings are written as a [hub] table");
  }
  HubSettings h;
  std::optional<std::string> url;
  std::vector<std::string> fallbacks;
  for (const auto& [key, value] : *t) {
    Status s = ParseHubKey(key.str(), value, Where(source, value.source()), &h, &url, &fallbacks);
    if (!s.ok()) return s;
  }
  if (!url) return Status::InvalidInput(where + "[hub] needs url, the hub's https:// address");
  h.urls.push_back(*url);
  h.urls.insert(h.urls.end(), fallbacks.begin(), fallbacks.end());
  const bool https = std::any_of(h.urls.begin(), h.urls.end(),
                                 [](const std::string& u) { return u.substr(0, 8) == "https://"; });
  if (https && h.fingerprint.empty()) {
    return Status::InvalidInput(where +
                                "[hub] needs fingerprint (the SHA-256 of the hub's certificate)"
                                " to reach it over https://");
  }
  h.token_file =
      BesideConfig(source, h.token_file.empty() ? DefaultHubTokenFile(source) : h.token_file);
  h.replica = BesideConfig(source, h.replica.empty() ? DefaultHubReplica(source) : h.replica);
  return h;
}

// The API's base URL: https://, or plain http:// to this machine only (a test
// server, or a pretix behind a local proxy); the token must never cross a
// network in clear.
Status CheckRegistrationUrl(const std::string& url, const std::string& where) {
  const std::string bad = where + "url: ";
  if (url.empty() || url.size() > 255 ||
      std::any_of(url.begin(), url.end(), [](char ch) { return ch <= ' ' || ch >= 0x7F; })) {
    return Status::InvalidInput(bad + "must be 1 to 255 characters, no spaces");
  }
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0)
    return Status::InvalidInput(bad + "must start with https://");
  const std::string_view rest = std::string_view(url).substr(https ? 8 : 7);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos)
    return Status::InvalidInput(bad +
                                "must not carry a user or password (the token goes in "
                                "token_file)");
  const std::string_view host = AuthorityHost(authority);
  if (host.empty()) return Status::InvalidInput(bad + "names no host");
  // A base URL has no query: one there could carry a secret into every
  // message and --status line that names the URL.
  if (url.find_first_of("?#") != std::string::npos)
    return Status::InvalidInput(bad + "must be the API's base address, without ?query or #part");
  if (!https && !IsLoopbackHost(host)) {
    return Status::InvalidInput(bad +
                                "plain http:// is allowed only to this machine"
                                " (localhost, 127.0.0.1); use https://");
  }
  return Status::Ok();
}

// An environment variable's name as a shell writes it.
bool IsEnvName(const std::string& name) {
  if (name.empty() || name.size() > 64 || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

// Reads one key of [registration] into `r`.
Status ParseRegistrationKey(std::string_view key, const toml::node& value, const std::string& where,
                            RegistrationSettings* r) {
  if (key == "interval_s") {
    // Whole seconds: under 10 would hammer the platform's API (pretix asks
    // clients to poll gently); over a day is not a sync any more.
    const auto* v = value.as_integer();
    if (v == nullptr || v->get() < kMinSyncIntervalS || v->get() > kMaxSyncIntervalS) {
      return Status::InvalidInput(where + "interval_s must be a whole number of seconds from " +
                                  std::to_string(kMinSyncIntervalS) + " to " +
                                  std::to_string(kMaxSyncIntervalS));
    }
    r->interval_s = static_cast<int>(v->get());
    return Status::Ok();
  }
  if (key == "upload_list") {
    const auto* v = value.as_integer();
    if (v == nullptr || v->get() < 1 || v->get() > (int64_t{1} << 53)) {
      return Status::InvalidInput(where +
                                  "upload_list must be the id of a pretix check-in list (a "
                                  "whole number from 1)");
    }
    r->upload_list = v->get();
    return Status::Ok();
  }
  std::string* field = key == "platform"     ? &r->platform
                       : key == "url"        ? &r->url
                       : key == "organizer"  ? &r->organizer
                       : key == "event"      ? &r->event
                       : key == "token_file" ? &r->token_file
                       : key == "token_env"  ? &r->token_env
                                             : nullptr;
  if (field == nullptr) {
    const std::string hint = key == "token" ? " (the token goes in token_file, never here)" : "";
    return Status::InvalidInput(where + "unknown key '" + std::string(key) +
                                "' in [registration] (expected platform, url, organizer, event,"
                                " token_file, token_env, interval_s, upload_list)" +
                                hint);
  }
  auto v = HubString(value, key, where);
  if (!v.ok()) return v.status();
  if (Trim(*v).empty()) return Status::InvalidInput(where + std::string(key) + " is empty");
  *field = std::string(Trim(*v));
  if (key == "platform" && *field != "pretix" && *field != "eventbrite" && *field != "sympla") {
    return Status::InvalidInput(where + "platform '" + *field +
                                "' is not one we sync with; use \"pretix\", \"eventbrite\" or"
                                " \"sympla\"");
  }
  if (key == "url") return CheckRegistrationUrl(*field, where);
  if (key == "token_env" && !IsEnvName(*field)) {
    return Status::InvalidInput(where +
                                "token_env must name an environment variable (A-Z, 0-9, _)");
  }
  return Status::Ok();
}

Result<RegistrationSettings> ParseRegistration(const toml::node& node, const std::string& source) {
  const std::string where = Where(source, node.source());
  const toml::table* t = node.as_table();
  if (t == nullptr)
    return Status::InvalidInput(where +
                                "registration settings are written as a [registration]"
                                " table");
  RegistrationSettings r;
  for (const auto& [key, value] : *t) {
    Status s = ParseRegistrationKey(key.str(), value, Where(source, value.source()), &r);
    if (!s.ok()) return s;
  }
  // Eventbrite and Sympla have one API address each, which their clients
  // know; a pretix runs wherever its organizer runs it.
  const bool pretix = r.platform == "pretix";
  const char* missing = r.platform.empty()              ? "platform"
                        : r.event.empty()               ? "event"
                        : pretix && r.url.empty()       ? "url"
                        : pretix && r.organizer.empty() ? "organizer"
                                                        : nullptr;
  if (missing != nullptr) {
    return Status::InvalidInput(where + "[registration] needs " + missing + " (" +
                                kRegistrationExample + ")");
  }
  if (r.upload_list != 0 && !pretix) {
    return Status::InvalidInput(where +
                                "[registration] upload_list sends check-ins to a pretix check-in"
                                " list; " +
                                r.platform + " has none");
  }
  if (!r.token_file.empty()) r.token_file = BesideConfig(source, r.token_file);
  return r;
}
}  // namespace

Result<const Gate*> Config::FindGate(const std::string& name) const {
  const std::string folded = Fold(name);
  std::string known;
  for (const Gate& g : gates) {
    if (Fold(g.name) == folded) return &g;
    known += (known.empty() ? "" : ", ") + g.name;
  }
  return Status::InvalidInput("unknown gate '" + name + "'; the configured gates are: " + known);
}

Config DefaultConfig() {
  Config c;
  c.gates.push_back(Gate{kDefaultGate, {}, {}});
  return c;
}

Result<ScannerSettings> ParseScanner(const toml::node& node, const std::string& source) {
  const toml::table* t = node.as_table();
  if (t == nullptr)
    return Status::InvalidInput(Where(source, node.source()) + "[scanner] must be a table");
  ScannerSettings s;
  for (const auto& [key, value] : *t) {
    const std::string where = Where(source, value.source());
    if (key == "repeat_after_s") {
      auto v = value.value<double>();
      // NaN compares false with everything: without isfinite it slipped through
      // and switched repeat suppression off.
      if (!v || !std::isfinite(*v) || *v < 0.2 || *v > 600)
        return Status::InvalidInput(where + "repeat_after_s must be 0.2 to 600 seconds");
      s.repeat_after_ms = static_cast<int>(*v * 1000);
    } else if (key == "sound") {
      auto v = value.value<bool>();
      if (!v) return Status::InvalidInput(where + "sound must be true or false");
      s.sound = *v;
    } else {
      return Status::InvalidInput(where + "unknown key '" + std::string(key.str()) +
                                  "' in [scanner] (expected repeat_after_s, sound)");
    }
  }
  return s;
}

Result<Config> ParseConfig(const std::string& toml_text, const std::string& source_name) {
  toml::table root;
  try {
    // toml++ reports syntax errors by exception; none leaves this function.
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(Where(source_name, e.source()) + std::string(e.description()));
  }
  Config c;
  for (const auto& [key, node] : root) {
    if (key != "language" && key != "gate" && key != "scanner" && key != "hub" &&
        key != "registration") {
      return Status::InvalidInput(Where(source_name, node.source()) + "unknown key '" +
                                  std::string(key.str()) +
                                  "' (expected language, [[gate]], [scanner], [hub],"
                                  " [registration])");
    }
  }
  if (const toml::node* reg = root.get("registration")) {
    auto parsed = ParseRegistration(*reg, source_name);
    if (!parsed.ok()) return parsed.status();
    c.registration = std::move(parsed).value();
  }
  if (const toml::node* hub = root.get("hub")) {
    auto parsed = ParseHub(*hub, source_name, toml_text);
    if (!parsed.ok()) return parsed.status();
    c.hub = std::move(parsed).value();
  }
  if (const toml::node* scan = root.get("scanner")) {
    auto parsed = ParseScanner(*scan, source_name);
    if (!parsed.ok()) return parsed.status();
    c.scanner = *parsed;
  }
  if (auto lang = root["language"].value<std::string>()) {
    auto parsed_lang = ParseLanguage(*lang);
    if (!parsed_lang) {
      return Status::InvalidInput(Where(source_name, root.get("language")->source()) +
                                  "language must be \"es\" or \"en\", not \"" + *lang + "\"");
    }
    c.language = *parsed_lang;
  }
  if (const toml::node* gates = root.get("gate")) {
    const toml::array* arr = gates->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      return Status::InvalidInput(Where(source_name, gates->source()) +
                                  "gates are written as [[gate]] tables");
    }
    for (const toml::node& n : *arr) {
      auto g = ParseGate(*n.as_table(), source_name);
      if (!g.ok()) return g.status();
      for (const Gate& other : c.gates) {
        if (Fold(other.name) == Fold(g->name)) {
          return Status::InvalidInput(Where(source_name, n.source()) + "gate '" + g->name +
                                      "' is defined twice");
        }
      }
      c.gates.push_back(std::move(g).value());
    }
  }
  if (c.gates.empty()) c.gates = DefaultConfig().gates;
  return c;
}

std::string FindConfigFile(const ConfigSources& sources,
                           const std::function<bool(const std::string&)>& exists) {
  if (!sources.flag.empty()) return sources.flag;
  if (sources.env) return *sources.env;
  if (exists(sources.system_file)) return sources.system_file;
  return "";
}

std::string FindConfigFile(const std::string& flag) {
  ConfigSources sources{flag, std::nullopt};
  if (const char* env = std::getenv("CHECKIN_CONFIG"); env != nullptr) sources.env = env;
  return FindConfigFile(sources, [](const std::string& path) {
    // A file that cannot even be looked at (no permission on /etc/checkin)
    // counts as there: loading it then says why, rather than the station
    // quietly running on the defaults.
    std::error_code ec;
    const bool there = std::filesystem::exists(path, ec);
    return there || static_cast<bool>(ec);
  });
}

std::string BesideConfig(const std::string& config_path, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(config_path).parent_path() / p).string();
}

std::string DefaultHubTokenFile(const std::string& config_path) {
  return std::filesystem::path(config_path).stem().string() + ".token";
}

std::string DefaultHubReplica(const std::string& config_path) {
  return std::filesystem::path(config_path).stem().string() + ".replica.db";
}

Result<Config> LoadConfig(const std::string& path) {
  auto text = ReadWholeFile(path, kMaxConfigBytes);
  if (!text.ok()) return text.status().WithContext("config: ");
  return ParseConfig(*text, path);
}

}  // namespace checkin
