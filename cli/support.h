// Shared plumbing for the subcommands: global options, opening the database and
// config, rendering for people (Spanish/English, colour on a terminal) and JSON.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "common/attendee.h"
#include "common/config.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"

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

Result<std::unique_ptr<db::Database>> OpenDatabase(const GlobalOptions& g, db::OpenMode mode);
Result<Config> LoadStationConfig(const GlobalOptions& g);
Language EffectiveLanguage(const GlobalOptions& g, const Config& c);

// The station config, its language, the event database (which must exist)
// and its event, opened in that order: where most subcommands start.
struct Station {
  Config config;
  Language lang = Language::kSpanish;
  std::unique_ptr<db::Database> db;
  db::EventInfo event;
  bool es() const { return lang == Language::kSpanish; }
};
Result<Station> OpenStation(const GlobalOptions& g);

// Prints "error: ..." on stderr and returns kExitError.
int Fail(const Status& s);

// This machine's name, the default station id.
std::string DefaultStation();

bool StdoutIsTerminal();
// Wraps text in an ANSI colour when stdout is a terminal.
std::string Paint(const std::string& text, const char* ansi_code);
// White on green, black on amber, white on red.
const char* VerdictColour(Verdict v);

nlohmann::json AttendeeJson(const Attendee& a);
nlohmann::json PreviousJson(const PreviousCheckin& p);

// Registration of each subcommand; `exit_code` receives its result.
void RegisterInit(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterRoster(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterRedeem(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterUndo(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterStats(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterBadge(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterPrint(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterDecode(CLI::App& app, const GlobalOptions& g, int& exit_code);
void RegisterScan(CLI::App& app, const GlobalOptions& g, int& exit_code);

}  // namespace checkin::cli
