// checkin roster sync: the roster from the registration platform named in
// the config's [registration]: one pass, a pass every interval until
// SIGINT/SIGTERM (--every), or how the last passes went (--status). The
// passes themselves live in sync/, shared with the hub.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/number.h"
#include "common/priority.h"
#include "common/timezone.h"
#include "db/platform_uploads.h"
#include "db/sync_state.h"
#include "sync/sync_loop.h"
#include "sync/sync_pass.h"

namespace checkin::cli {
namespace {

struct SyncOptions {
  std::string every;  // "" for one pass; "-" for the config's interval_s
  bool status = false;
  bool full = false;
  bool json = false;
};

// "60s", "5m", "90" (seconds), "1h": 1 s to a day. Below interval_s's 10 s
// floor only for a local server (the tests' platforms).
Result<std::chrono::seconds> ParseEvery(const std::string& text) {
  std::string_view digits = text;
  int64_t unit = 1;
  if (!digits.empty() && (digits.back() == 's' || digits.back() == 'm' || digits.back() == 'h')) {
    unit = digits.back() == 'h' ? 3600 : digits.back() == 'm' ? 60 : 1;
    digits.remove_suffix(1);
  }
  auto n = ParseInt(digits, 1, kMaxSyncIntervalS / unit, "--every");
  if (!n.ok()) {
    return Status::InvalidInput("--every takes a time from 1s to 24h, like 60s, 5m or 90; not '" +
                                text + "'");
  }
  return std::chrono::seconds(*n * unit);
}

// The local time of a UTC text from the event file, as the venue reads it.
std::string SyncTime(const std::string& utc, const std::string& tz) {
  auto t = ParseUtc(utc);
  return t.ok() ? EventTimeText(*t, tz) : utc;
}

JsonObject PassJson(const db::SyncPass& p) {
  JsonObject o;
  o.SetString("started_at", p.started_at).SetString("finished_at", p.finished_at);
  o.SetBool("ok", p.ok).SetBool("full", p.full).SetInt("rows", p.rows);
  o.SetInt("added", p.added).SetInt("updated", p.updated).SetInt("cancelled", p.cancelled);
  o.SetInt("unchanged", p.unchanged).SetInt("missing", p.missing).SetString("error", p.error);
  return o;
}

int PrintSyncStatus(Opened& opened, bool json) {
  const bool es = opened.es();
  auto targets = db::SyncState(opened.database()).Targets();
  if (!targets.ok()) return Fail(targets.status());
  if (json) {
    std::vector<JsonObject> items;
    for (const db::SyncTargetStatus& t : *targets) {
      JsonObject o;
      o.SetString("source", t.last.source).SetString("target", t.last.target);
      o.SetObject("last", PassJson(t.last)).SetString("last_ok_at", t.last_ok_at);
      o.SetString("last_error", t.last_error).SetString("last_error_at", t.last_error_at);
      o.SetInt("failures_in_a_row", t.failures_in_a_row).SetString("next_at", t.next_at);
      auto sent = db::CountUploads(opened.database(), t.last.source);
      if (!sent.ok()) return Fail(sent.status());
      if (sent->sent + sent->refused > 0) {
        JsonObject u;
        u.SetInt("sent", sent->sent).SetInt("refused", sent->refused);
        u.SetInt("pending", sent->pending);
        o.SetObject("uploads", std::move(u));
      }
      items.push_back(std::move(o));
    }
    std::cout << DumpArray(items) << "\n";
    return kExitOk;
  }
  if (targets->empty()) {
    std::cout << (es ? "Aún no se ha sincronizado este evento (checkin roster sync hace una "
                       "pasada).\n"
                     : "This event has not synced yet (checkin roster sync runs one pass).\n");
    return kExitOk;
  }
  const std::string& tz = opened.event.timezone;
  const auto now = SystemClock().Now();
  for (const db::SyncTargetStatus& t : *targets) {
    const db::SyncPass& p = t.last;
    std::cout << Safe(p.target) << "\n  " << (es ? "última pasada: " : "last pass: ")
              << SyncTime(p.finished_at, tz) << ", ";
    if (p.ok) {
      std::cout << (es ? "correcta" : "ok") << " ("
                << (p.full ? (es ? "completa" : "full") : (es ? "solo cambios" : "changes only"))
                << "): " << p.added << (es ? " nuevos, " : " added, ") << p.updated
                << (es ? " actualizados, " : " updated, ") << p.cancelled
                << (es ? " cancelados, " : " cancelled, ") << p.unchanged
                << (es ? " sin cambios, " : " unchanged, ") << p.rows << (es ? " filas" : " rows");
      if (p.missing > 0) std::cout << ", " << p.missing << (es ? " ya no están" : " gone upstream");
      std::cout << "\n";
    } else {
      std::cout << (es ? "FALLÓ" : "FAILED") << " (" << t.failures_in_a_row
                << (es ? " seguidas; no se cambió nada)\n" : " in a row; nothing changed)\n");
    }
    std::cout << "  " << (es ? "última correcta: " : "last good: ")
              << (t.last_ok_at.empty() ? (es ? "ninguna" : "none") : SyncTime(t.last_ok_at, tz))
              << "\n  " << (es ? "próxima: " : "next: ");
    auto next = ParseUtc(t.next_at);
    if (!next.ok()) {
      std::cout << (es ? "ninguna programada (el hub con [registration], o roster sync --every, "
                         "las hace solas)\n"
                       : "none scheduled (the hub with [registration], or roster sync --every, "
                         "runs them by itself)\n");
    } else if (*next + std::chrono::minutes(1) < now) {
      std::cout << (es ? "debía ser " : "was due ") << EventTimeText(*next, tz)
                << (es ? " (¿sigue en marcha el hub o roster sync --every?)\n"
                       : " (is the hub or roster sync --every still running?)\n");
    } else {
      std::cout << EventTimeText(*next, tz) << "\n";
    }
    // Check-ins sent back to the platform (pretix's upload_list), once any was.
    auto sent = db::CountUploads(opened.database(), p.source);
    if (!sent.ok()) return Fail(sent.status());
    if (sent->sent + sent->refused > 0) {
      std::cout << "  " << (es ? "check-ins enviados a " : "check-ins sent to ") << p.source << ": "
                << sent->sent << (es ? ", rechazados: " : ", refused: ") << sent->refused
                << (es ? ", pendientes: " : ", pending: ") << sent->pending << "\n";
    }
    std::cout << "  " << (es ? "último error: " : "last error: ");
    if (t.last_error.empty()) {
      std::cout << (es ? "ninguno" : "none") << "\n";
    } else {
      std::cout << SyncTime(t.last_error_at, tz) << ": " << SafeLines(t.last_error) << "\n";
    }
  }
  return kExitOk;
}

int PrintPass(const sync::SyncPassOutcome& o, Language lang, bool json) {
  const bool es = lang == Language::kSpanish;
  if (!o.recorded.ok()) {
    std::cerr << (es ? "aviso: la pasada no quedó registrada: "
                     : "warning: the pass was not "
                       "recorded: ")
              << SafeLines(o.recorded.message()) << "\n";
  }
  if (!o.status.ok()) {
    return Fail(o.status.WithContext(es ? "sincronización fallida, no se cambió nada: "
                                        : "sync failed, nothing changed: "));
  }
  const db::SyncPass& p = o.pass;
  if (json) {
    std::vector<JsonObject> missing;
    for (const auto& m : o.missing) {
      JsonObject item;
      item.SetString("ticket_id", m.ticket_id).SetString("name", m.name);
      missing.push_back(std::move(item));
    }
    JsonObject j = PassJson(p);
    j.SetString("source", p.source).SetArray("missing_tickets", std::move(missing));
    PrintJson(j);
    return kExitOk;
  }
  std::cout << Safe(sync::PassLine(o, lang)) << "\n";
  size_t shown = 0;
  for (const auto& m : o.missing) {
    if (++shown > 20) {
      std::cout << "    … " << o.missing.size() - 20 << (es ? " más" : " more") << "\n";
      break;
    }
    std::cout << "    - " << Safe(m.ticket_id) << "  " << Safe(m.name) << "\n";
  }
  return kExitOk;
}

// Passes until SIGINT or SIGTERM, one line each; a failed pass is reported
// and the next one runs all the same.
int RunEvery(Opened& opened, std::chrono::seconds every) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  const Language lang = opened.lang;
  const std::string tz = opened.event.timezone;
  const Clock& clock = SystemClock();
  auto loop = sync::SyncLoop::Start(opened.database().path(), *opened.config.registration, every,
                                    clock, [lang, tz, &clock](const sync::SyncPassOutcome& o) {
                                      std::cout << EventTimeText(clock.Now(), tz) << "  "
                                                << Safe(sync::PassLine(o, lang)) << std::endl;
                                    });
  if (!loop.ok()) return Fail(loop.status());
  int sig = 0;
  sigwait(&stop_signals, &sig);
  (*loop)->Stop();
  std::cout << (lang == Language::kSpanish ? "Sincronización detenida.\n" : "Sync stopped.\n");
  return kExitOk;
}

int RunRosterSync(const GlobalOptions& g, const SyncOptions& o) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  if (o.status) return PrintSyncStatus(*opened, o.json);
  const bool es = opened->es();
  if (!opened->config.registration) {
    return Fail(Status::InvalidInput(
        std::string(es ? "la configuración no tiene sección [registration], que dice de qué "
                         "plataforma viene la lista (--config ARCHIVO); "
                       : "the config has no [registration] section saying which platform the "
                         "roster comes from (--config FILE); ") +
        kRegistrationExample));
  }
  if (!o.every.empty()) {
    auto every = o.every == "-" ? Result<std::chrono::seconds>(
                                      std::chrono::seconds(opened->config.registration->interval_s))
                                : ParseEvery(o.every);
    if (!every.ok()) return Fail(every.status());
    return RunEvery(*opened, *every);
  }
  // The doors may share this laptop's two cores; the sync can wait.
  static_cast<void>(LowerThisThreadsPriority());
  sync::SyncPassOptions options;
  options.kind = o.full ? sync::PassKind::kFull : sync::PassKind::kAuto;
  auto outcome = sync::RunSyncPass(opened->database(), *opened->config.registration, options,
                                   SystemClock(), sync::RealSleeper());
  return PrintPass(outcome, opened->lang, o.json);
}

}  // namespace

void RegisterRosterSync(CLI::App& roster, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<SyncOptions>();
  auto* cmd = roster.add_subcommand(
      "sync",
      "Bring the roster from the registration platform of the config's [registration]: one pass,"
      " all or nothing");
  cmd->add_option("--every", o->every,
                  "Sync again every TIME (60s, 5m, 90; alone: the config's interval_s) until"
                  " Ctrl+C")
      ->expected(0, 1)
      ->default_str("-");
  cmd->add_flag("--status", o->status,
                "Show the last pass per platform, its counts, the next pass and the last error");
  cmd->add_flag("--full", o->full,
                "List every ticket this time (tickets gone upstream are reported as missing)");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([&g, &exit_code, o, cmd] {
    if (o->status && (cmd->count("--every") > 0 || o->full)) {
      exit_code = Fail(Status::InvalidInput("--status goes alone (with --json at most)"));
      return;
    }
    if (cmd->count("--every") > 0 && o->every.empty()) o->every = "-";
    exit_code = RunRosterSync(g, *o);
  });
}

}  // namespace checkin::cli
