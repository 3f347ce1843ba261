// Shared plumbing for the subcommands: global options, opening what a
// subcommand needs (config, language, event file, check-in service) through
// one helper, and rendering for people (Spanish/English, colour on a
// terminal). CLI11 and nlohmann stay out of this header: every subcommand
// includes it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/checkin_service.h"
#include "common/config.h"
#include "common/json_codec.h"
#include "common/messages.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"
#include "db/local_desk.h"
#include "hub/station_desk.h"
#include "hub/station_sync.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace checkin::cli {

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDenied = 1;  // a check-in was refused
inline constexpr int kExitError = 2;   // usage or system error

struct GlobalOptions {
  std::string db_path;
  std::string config_path;
  std::string lang;  // overrides the config's language when set
};

// Registers --db, --config and --lang on `app`.
void AddGlobalOptions(CLI::App& app, GlobalOptions& g);

// A whole-number option read by ParseInt (common/number.h): text, a value
// out of [min, max] or one too large for 64 bits is a usage error naming the
// option, never a silently clamped number.
CLI::Option* AddIntOption(CLI::App& cmd, const std::string& name, int64_t& out, int64_t min,
                          int64_t max, const std::string& help);

// A ticket or badge code, positional ("CODE") or named ("--code"). An empty
// one is a usage error: it is almost always an unset shell variable, and
// acting on it would pick someone by default.
CLI::Option* AddCodeOption(CLI::App& cmd, const std::string& name, std::string& out,
                           const std::string& help);

// What a subcommand needs opened. Each brings what it implies.
struct Need {
  enum : unsigned {
    kConfig = 1,             // the station config and its language
    kDatabase = 2,           // the event file, which must exist
    kNewDatabase = 4,        // the event file, created if missing
    kEvent = 8 | kDatabase,  // ... holding an event (`checkin init` done)
    // The check-in service: on the event file, or through the hub on a
    // paired station (its config has [hub]; then there is no event file).
    kService = 16 | kEvent | kConfig,
  };
};

// What Open() opened, in that order: config, language, database, event,
// service. Members a subcommand did not ask for stay empty.
struct Opened {
  Config config;  // defaults unless Need::kConfig
  Language lang = Language::kSpanish;
  std::unique_ptr<db::Database> db;  // set when the desk does not own it
  EventInfo event;
  std::unique_ptr<db::LocalDesk> desk;
  std::unique_ptr<hub::StationDesk> station;  // instead of `desk` on a paired station
  std::shared_ptr<hub::HubLink> link;         // shared by the station's desks
  hub::StationSetup setup;                    // how `station` was opened

  bool es() const { return lang == Language::kSpanish; }
  bool paired() const { return station != nullptr; }
  db::Database& database() { return desk ? desk->database() : *db; }
  CheckinService& service() {
    if (station) return *station;
    return *desk;
  }
};
Result<Opened> Open(const GlobalOptions& g, unsigned needs);
// On a paired station, the thread that keeps its replica and outbox in step
// with the hub while a daemon runs (null when not paired); its passes are
// reported on stderr.
Result<std::unique_ptr<hub::StationSync>> StartBackgroundSync(Opened& opened);
// What a paired station needs to reach the hub, from its config's [hub]
// section and token file. NotFound when the config has no [hub].
Result<hub::StationSetup> StationSetupFor(const Config& config);
// The language Open() would use, Spanish when the config cannot be read:
// for telling why Open() failed.
Language LanguageFor(const GlobalOptions& g);

// Prints "error: ..." on stderr and returns kExitError. The message's lines
// pass through ForTerminal: they name files, codes and values from outside.
int Fail(const Status& s);

// Outside text for a person's screen: common/text.h's ForTerminal, under a
// name short enough for every `<<` that prints a name, gate or file.
std::string Safe(std::string_view outside);
// The same for text of several lines (help, import errors): each line
// through ForTerminal, the line breaks kept.
std::string SafeLines(std::string_view text);

// This machine's name, the default station id.
std::string DefaultStation();
std::string StationOr(const std::string& station);  // `station`, or DefaultStation() when empty
// `station`; when empty, on a paired station the device name the hub gave
// (so `hub conflicts` tells cloned laptops apart), else DefaultStation().
std::string StationOr(const std::string& station, const Opened& opened);

// "2026-11-28 08:05 America/Bogota": a time as the venue reads it.
std::string EventTimeText(std::chrono::system_clock::time_point t, const std::string& tz);

bool StdoutIsTerminal();
// Progress of a long batch on stderr, for 200 items or more: a bar redrawn
// in place on a terminal, else one "what: done/total" line at the end.
void ShowProgress(const char* what, size_t done, size_t total);
// Wraps text in an ANSI colour when stdout is a terminal.
std::string Paint(const std::string& text, const char* ansi_code);
// White on green, black on amber, white on red.
const char* VerdictColour(Verdict v);
// `text` as a QR code in the terminal (nothing when it cannot be drawn).
void PrintTerminalQr(const std::string& text);
// One JSON document and a newline on stdout.
void PrintJson(const JsonObject& o);

// Registration of each subcommand; `exit_code` receives its result.
void RegisterInit(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterRoster(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `gates` under the `roster` subcommand (cmd_roster_gates.cc).
void RegisterRosterGates(CLI::App& roster, const GlobalOptions& g, int& exit_code);
// `sync` under the `roster` subcommand.
void RegisterRosterSync(CLI::App& roster, const GlobalOptions& g, int& exit_code);
void RegisterRedeem(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterUndo(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterStats(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterReport(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterBadge(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterCertificates(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterPrint(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterDecode(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterScan(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterHub(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterStation(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `device add|list|revoke` under the `hub` subcommand.
void RegisterHubDevice(CLI::App& hub, const GlobalOptions& g, int& exit_code);
void RegisterHubWeb(CLI::App& hub, const GlobalOptions& g, int& exit_code);

// `hub serve`, and `station ui` (station_ui: the pages over this laptop's own
// file, refused on a paired station, with an organizer link printed).
struct ServeOptions {
  std::string listen;
  std::string certificate;  // default: beside the database
  std::string key;
  int64_t threads = 96;
  bool station_ui = false;
};
int RunHubServe(const GlobalOptions& g, const ServeOptions& o);

}  // namespace checkin::cli
