#include "cli/support.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "common/text.h"

namespace checkin::cli {

void AddGlobalOptions(CLI::App& app, GlobalOptions& g) {
  app.add_option("--db", g.db_path, "Database file (default: $CHECKIN_DB or ./checkin.db)");
  app.add_option("--config", g.config_path,
                 "Station config, TOML (default: $CHECKIN_CONFIG, else /etc/checkin/checkin.toml if there, "
                 "else one gate admitting all)");
  app.add_option("--lang", g.lang, "Language for people: es (default) or en")
      ->check(CLI::IsMember({"es", "en"}));
}

Result<std::unique_ptr<db::Database>> OpenDatabase(const GlobalOptions& g, db::OpenMode mode) {
  return db::Database::Open(g.db_path.empty() ? db::DefaultDatabasePath() : g.db_path, mode);
}

Result<Station> OpenStation(const GlobalOptions& g) {
  Station st;
  auto config = LoadStationConfig(g);
  if (!config.ok()) return config.status();
  st.config = std::move(config).value();
  st.lang = EffectiveLanguage(g, st.config);
  auto db = OpenDatabase(g, db::OpenMode::kMustExist);
  if (!db.ok()) return db.status();
  st.db = std::move(db).value();
  auto ev = st.db->Event();
  if (!ev.ok()) return ev.status();
  st.event = std::move(ev).value();
  return st;
}

Result<Config> LoadStationConfig(const GlobalOptions& g) {
  const std::string path = FindConfigFile(g.config_path);
  Result<Config> c = path.empty() ? Result<Config>(DefaultConfig()) : LoadConfig(path);
  if (!c.ok()) return c;
  if (!g.lang.empty()) c->language = ParseLanguage(g.lang).value_or(c->language);
  return c;
}

Language EffectiveLanguage(const GlobalOptions& g, const Config& c) {
  return g.lang.empty() ? c.language : ParseLanguage(g.lang).value_or(c.language);
}

int Fail(const Status& s) {
  std::cerr << "error: " << s.message() << "\n";
  return kExitError;
}

std::string DefaultStation() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "station";
  return host;
}

bool StdoutIsTerminal() {
  static const bool tty = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  return tty;
}

std::string Paint(const std::string& text, const char* ansi_code) {
  if (!StdoutIsTerminal()) return text;
  return std::string("\033[") + ansi_code + "m" + text + "\033[0m";
}

nlohmann::json AttendeeJson(const Attendee& a) {
  return {{"id", a.id},
          {"first_name", a.first_name},
          {"last_name", a.last_name},
          {"company", a.company},
          {"ticket_type", a.ticket_type},
          {"status", std::string(TicketStatusName(a.status))},
          {"upstream_status", a.upstream_status},
          // Never the full address: screens at a door are public.
          {"email", MaskEmail(a.email)}};
}

nlohmann::json PreviousJson(const PreviousCheckin& p) {
  return {{"at", p.at}, {"gate", p.gate}, {"station", p.station},
          {"direction", std::string(DirectionName(p.direction))}};
}

const char* VerdictColour(Verdict v) {
  switch (v) {
    case Verdict::kAdmitted: return "1;97;42";
    case Verdict::kAlreadyCheckedIn: return "1;30;43";
    default: return "1;97;41";
  }
}

}  // namespace checkin::cli
