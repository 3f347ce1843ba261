#include "cli/support.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "common/clock.h"
#include "common/hub_settings.h"
#include "common/number.h"
#include "common/text.h"
#include "common/timezone.h"
#include "printer/terminal_qr.h"

namespace checkin::cli {

void AddGlobalOptions(CLI::App& app, GlobalOptions& g) {
  app.add_option("--db", g.db_path, "Database file (default: $CHECKIN_DB or ./checkin.db)");
  app.add_option(
      "--config", g.config_path,
      "Station config, TOML (default: $CHECKIN_CONFIG, else /etc/checkin/checkin.toml if there, "
      "else one gate admitting all)");
  app.add_option("--lang", g.lang, "Language for people: es (default) or en")
      ->check(CLI::IsMember({"es", "en"}));
}

CLI::Option* AddIntOption(CLI::App& cmd, const std::string& name, int64_t& out, int64_t min,
                          int64_t max, const std::string& help) {
  return cmd.add_option_function<std::string>(
      name,
      [&out, min, max, name](const std::string& text) {
        auto n = ParseInt(text, min, max, name);
        // CLI11 turns this into "error: ..." and the usage exit status.
        if (!n.ok()) throw CLI::ValidationError(n.status().message());
        out = *n;
      },
      help);
}

CLI::Option* AddCodeOption(CLI::App& cmd, const std::string& name, std::string& out,
                           const std::string& help) {
  return cmd.add_option_function<std::string>(
      name,
      [&out, name](const std::string& text) {
        if (Trim(text).empty()) {
          throw CLI::ValidationError(name + ": the code is empty (is a shell variable unset?)");
        }
        out = text;
      },
      help);
}

namespace {

Result<Config> LoadStationConfig(const GlobalOptions& g) {
  const std::string path = FindConfigFile(g.config_path);
  Result<Config> c = path.empty() ? Result<Config>(DefaultConfig()) : LoadConfig(path);
  if (!c.ok()) return c;
  if (!g.lang.empty()) c->language = ParseLanguage(g.lang).value_or(c->language);
  return c;
}

}  // namespace

Language LanguageFor(const GlobalOptions& g) {
  auto config = LoadStationConfig(g);
  if (config.ok()) return config->language;
  return ParseLanguage(g.lang).value_or(Language::kSpanish);
}

Result<Opened> Open(const GlobalOptions& g, unsigned needs) {
  Opened o;
  if ((needs & Need::kConfig) != 0) {
    auto config = LoadStationConfig(g);
    if (!config.ok()) return config.status();
    o.config = std::move(config).value();
  }
  o.lang = g.lang.empty() ? o.config.language : ParseLanguage(g.lang).value_or(o.config.language);
  const std::string path = g.db_path.empty() ? db::DefaultDatabasePath() : g.db_path;
  // A paired station asks the hub, unless told to use a file by --db.
  if ((needs & Need::kService) == Need::kService && o.config.hub && g.db_path.empty()) {
    // OpenSSL writes with write(2): its close_notify on a socket that a
    // stopping daemon (or the network) already shut down would end the
    // process with SIGPIPE. Every failed write is an error value already.
    std::signal(SIGPIPE, SIG_IGN);
    auto setup = StationSetupFor(o.config);
    if (!setup.ok()) return setup.status();
    setup->remote.lang = o.lang;
    o.setup = std::move(*setup);
    o.link = std::make_shared<hub::HubLink>();
    auto station = hub::StationDesk::Open(o.setup, SystemClock(), o.link);
    if (!station.ok()) return station.status();
    o.station = std::move(station).value();
    auto ev = o.station->Event();
    if (!ev.ok()) return ev.status();
    o.event = std::move(ev).value();
    return o;
  }
  if ((needs & Need::kService) == Need::kService) {
    auto desk = db::LocalDesk::Open(path, SystemClock(), o.config);
    if (!desk.ok()) return desk.status();
    o.desk = std::move(desk).value();
    auto ev = o.desk->Event();
    if (!ev.ok()) return ev.status();
    o.event = std::move(ev).value();
    return o;
  }
  if ((needs & (Need::kDatabase | Need::kNewDatabase)) == 0) return o;
  const auto mode =
      (needs & Need::kNewDatabase) != 0 ? db::OpenMode::kCreateIfMissing : db::OpenMode::kMustExist;
  auto db = db::Database::Open(path, mode, o.lang);
  if (!db.ok()) return db.status();
  o.db = std::move(db).value();
  if ((needs & Need::kEvent) == Need::kEvent) {
    auto ev = o.db->Event();
    if (!ev.ok()) return ev.status();
    o.event = std::move(ev).value();
  }
  return o;
}

Result<hub::StationSetup> StationSetupFor(const Config& config) {
  if (!config.hub) {
    return Status::NotFound(
        "this station is not paired with a hub: run `checkin --config STATION.toml station pair "
        "CODE`");
  }
  auto token = ReadHubToken(*config.hub);
  if (!token.ok()) return token.status();
  hub::StationSetup setup;
  setup.remote.urls = config.hub->urls;
  setup.remote.fingerprint = config.hub->fingerprint;
  setup.remote.token = std::move(*token);
  setup.remote.deadline = std::chrono::milliseconds(config.hub->deadline_ms);
  setup.replica_path = config.hub->replica;
  setup.config = config;
  return setup;
}

Result<std::unique_ptr<hub::StationSync>> StartBackgroundSync(Opened& opened) {
  if (!opened.paired()) return std::unique_ptr<hub::StationSync>();
  const bool es = opened.es();
  return hub::StationSync::Start(
      opened.setup, SystemClock(), opened.link, hub::kSyncEvery,
      [es](const Result<hub::SyncReport>& r) {
        if (!r.ok()) {
          std::cerr << (es ? "sincronización: " : "sync: ") << SafeLines(r.status().message())
                    << "\n";
          return;
        }
        std::cerr << (es ? "sincronización: enviados " : "sync: uploaded ") << r->uploaded
                  << (es ? ", rechazados " : ", refused ") << r->refused
                  << (es ? ", conflictos " : ", conflicts ") << r->conflicts
                  << (es ? ", recibidos " : ", received ") << r->attendees
                  << (es ? " asistentes y " : " attendees and ") << r->checkins
                  << (es ? " registros" : " check-ins")
                  << (r->badges > 0 ? (es ? ", escarapelas en cola " : ", badges queued ") : "")
                  << (r->badges > 0 ? std::to_string(r->badges) : "") << "\n";
      });
}

int Fail(const Status& s) {
  // Some messages explain over several lines (an import's missing columns).
  std::cerr << "error: " << SafeLines(s.message()) << "\n";
  return kExitError;
}

std::string Safe(std::string_view outside) { return ForTerminal(outside); }

std::string SafeLines(std::string_view text) {
  std::string shown;
  for (size_t nl; (nl = text.find('\n')) != std::string_view::npos; text.remove_prefix(nl + 1))
    shown += ForTerminal(text.substr(0, nl)) + "\n";
  return shown + ForTerminal(text);
}

std::string DefaultStation() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "station";
  return host;
}

std::string StationOr(const std::string& station) {
  return station.empty() ? DefaultStation() : station;
}

std::string StationOr(const std::string& station, const Opened& opened) {
  if (station.empty() && opened.paired() && opened.config.hub && !opened.config.hub->device.empty())
    return opened.config.hub->device;
  return StationOr(station);
}

std::string EventTimeText(std::chrono::system_clock::time_point t, const std::string& tz) {
  auto local = ToLocalTime(t, tz);
  if (!local.ok()) return FormatUtc(t);
  return local->Date() + " " + local->HourMinute() + " " + Safe(tz);
}

void ShowProgress(const char* what, size_t done, size_t total) {
  if (total < 200) return;
  if (isatty(STDERR_FILENO) == 1) {
    const size_t filled = 20 * done / total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(20 - filled, ' ') << "] " << done
              << "/" << total << (done == total ? "\n" : "") << std::flush;
  } else if (done == total) {
    std::cerr << what << ": " << done << "/" << total << "\n";
  }
}

bool StdoutIsTerminal() {
  static const bool tty = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  return tty;
}

std::string Paint(const std::string& text, const char* ansi_code) {
  if (!StdoutIsTerminal()) return text;
  return std::string("\033[") + ansi_code + "m" + text + "\033[0m";
}

namespace {

// Half blocks where the terminal speaks UTF-8 (the locale says so), else ASCII.
printer::TerminalQrStyle QrStyleForLocale() {
  for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(var);
    if (v == nullptr || *v == '\0') continue;
    const std::string value = v;
    const bool utf8 =
        value.find("UTF-8") != std::string::npos || value.find("utf8") != std::string::npos ||
        value.find("UTF8") != std::string::npos || value.find("utf-8") != std::string::npos;
    return utf8 ? printer::TerminalQrStyle::kHalfBlocks : printer::TerminalQrStyle::kAscii;
  }
  return printer::TerminalQrStyle::kAscii;
}

}  // namespace

void PrintTerminalQr(const std::string& text) {
  auto qr = printer::RenderTerminalQr(text, QrStyleForLocale());
  if (!qr.ok()) return;
  std::string line;
  for (char c : *qr) {
    if (c != '\n') {
      line += c;
      continue;
    }
    // White ink on black, whatever the terminal's own colours.
    std::cout << Paint(line, "97;40") << "\n";
    line.clear();
  }
  std::cout << "\n";
}

const char* VerdictColour(Verdict v) {
  switch (v) {
    case Verdict::kAdmitted:
      return "1;97;42";
    case Verdict::kAlreadyCheckedIn:
      return "1;30;43";
    default:
      return "1;97;41";
  }
}

void PrintJson(const JsonObject& o) { std::cout << o.Dump() << std::endl; }

}  // namespace checkin::cli
