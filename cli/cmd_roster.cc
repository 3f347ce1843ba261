// checkin roster import | search | sync: bring the registration platform's
// export in, find people by name, email or company, and sync from the
// platform's API (cli/cmd_roster_sync.cc).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/priority.h"
#include "common/text.h"
#include "common/timezone.h"
#include "db/registration_source.h"
#include "db/roster.h"
#include "db/roster_import.h"

namespace checkin::cli {
namespace {

std::string T(Language lang, const std::string& es, const std::string& en) {
  return lang == Language::kSpanish ? es : en;
}

struct ImportOptions {
  std::string file;
  std::string format = "auto";
  std::string source;
  std::vector<std::string> maps;
  bool dry_run = false;
  bool cancel_missing = false;
  bool json = false;
};

// How far the import is, on stderr, for exports big enough to make people
// wait: rows read, then new tickets written.
void ShowProgress(const db::ImportProgress& p) {
  const bool writing = p.step == db::ImportProgress::Step::kWriting;
  static size_t last_shown[2] = {0, 0};
  size_t& last = last_shown[writing ? 1 : 0];
  if (p.done < 20000 || p.done - last < 20000) return;
  last = p.done;
  if (isatty(STDERR_FILENO) == 1) {
    std::cerr << "\r  " << p.done;
    if (writing) std::cerr << " / " << p.total;
    std::cerr << " …" << std::flush;
  } else if (writing) {
    std::cerr << "import: " << p.done << " of " << p.total << " new tickets written\n";
  } else {
    std::cerr << "import: " << p.done << " rows\n";
  }
}

int RunImport(const GlobalOptions& g, const ImportOptions& o) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const Language lang = opened->lang;
  auto format = db::ParseRosterFormat(o.format);
  if (!format.ok()) return Fail(format.status());
  std::vector<db::ColumnMap> maps;
  for (const auto& spec : o.maps) {
    auto m = db::ParseColumnMap(spec);
    if (!m.ok()) return Fail(m.status());
    maps.push_back(*m);
  }
  if (!o.source.empty()) {
    if (Status s = db::ValidateSourceName(o.source); !s.ok()) return Fail(s);
  }

  db::CsvExportSource source(o.file, *format, maps, o.source);
  // The doors may share this laptop's two cores; the import can wait.
  static_cast<void>(LowerThisThreadsPriority());
  auto sum = db::ImportRoster(
      opened->database(), source,
      o.cancel_missing ? db::MissingPolicy::kCancel : db::MissingPolicy::kReport,
      o.dry_run ? db::ImportMode::kDryRun : db::ImportMode::kApply, SystemClock(), ShowProgress);
  if (isatty(STDERR_FILENO) == 1) std::cerr << "\r";
  if (!sum.ok()) {
    return Fail(sum.status().WithContext(T(
        lang, "importación rechazada, no se cambió nada: ", "import rejected, nothing changed: ")));
  }
  if (o.json) {
    std::vector<JsonObject> missing;
    for (const auto& m : sum->missing) {
      JsonObject item;
      item.SetString("ticket_id", m.ticket_id).SetString("name", m.name);
      missing.push_back(std::move(item));
    }
    JsonObject j;
    j.SetString("file", o.file)
        .SetString("format", sum->format)
        .SetString("encoding", sum->encoding);
    j.SetInt("rows", static_cast<int64_t>(sum->rows))
        .SetInt("duplicate_rows", static_cast<int64_t>(sum->duplicate_rows));
    j.SetInt("added", static_cast<int64_t>(sum->added))
        .SetInt("updated", static_cast<int64_t>(sum->updated));
    j.SetInt("cancelled", static_cast<int64_t>(sum->cancelled));
    j.SetInt("unchanged", static_cast<int64_t>(sum->unchanged))
        .SetArray("missing", std::move(missing));
    j.SetInt("missing_cancelled", static_cast<int64_t>(sum->missing_cancelled))
        .SetBool("dry_run", sum->dry_run);
    PrintJson(j);
    return kExitOk;
  }
  std::cout << T(lang, "Importado ", "Imported ") << Safe(o.file) << " (" << sum->format << ", "
            << sum->encoding << ")" << (sum->dry_run ? T(lang, " — SIMULACIÓN", " — DRY RUN") : "")
            << "\n";
  std::cout << "  " << T(lang, "filas leídas", "rows read") << ": " << sum->rows;
  if (sum->duplicate_rows > 0) {
    std::cout << " (" << sum->duplicate_rows
              << T(lang, " repetidas, omitidas", " exact repeats skipped") << ")";
  }
  std::cout << "\n  " << T(lang, "nuevos", "added") << ": " << sum->added << "   "
            << T(lang, "actualizados", "updated") << ": " << sum->updated << "   "
            << T(lang, "cancelados", "cancelled") << ": " << sum->cancelled << "   "
            << T(lang, "sin cambios", "unchanged") << ": " << sum->unchanged << "\n";
  if (!sum->missing.empty()) {
    std::cout << "  " << sum->missing.size()
              << T(lang, " entradas ya no aparecen en la exportación",
                   " tickets are missing from this export")
              << (sum->missing_cancelled > 0
                      ? T(lang, " (canceladas)", " (cancelled)")
                      : T(lang, " (siguen válidas; use --cancel-missing para cancelarlas)",
                          " (still valid; use --cancel-missing to cancel them)"))
              << ":\n";
    size_t shown = 0;
    for (const auto& m : sum->missing) {
      if (++shown > 20) {
        std::cout << "    … " << sum->missing.size() - 20 << T(lang, " más", " more") << "\n";
        break;
      }
      std::cout << "    - " << Safe(m.ticket_id) << "  " << Safe(m.name) << "\n";
    }
  }
  if (sum->dry_run) std::cout << T(lang, "  Nada fue modificado.\n", "  Nothing was changed.\n");
  return kExitOk;
}

struct SearchOptions {
  std::vector<std::string> words;
  int64_t limit = 20;
  bool json = false;
};

int RunSearch(const GlobalOptions& g, const SearchOptions& o) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  const Language lang = opened->lang;
  std::string query;
  for (const auto& w : o.words) query += (query.empty() ? "" : " ") + w;
  auto hits = opened->service().Search(query, static_cast<int>(o.limit));
  if (!hits.ok()) return Fail(hits.status());
  if (o.json) {
    std::vector<JsonObject> arr;
    for (const auto& h : *hits) arr.push_back(SearchHitJson(h));
    std::cout << DumpArray(arr) << "\n";
    return kExitOk;
  }
  if (hits->empty()) {
    std::cout << T(lang, "Nadie coincide con \"", "Nobody matches \"") << Safe(query) << "\".\n";
    return kExitOk;
  }
  for (const auto& h : *hits) {
    const Attendee& a = h.attendee;
    std::cout << "#" << a.id << "  " << Safe(a.FullName());
    if (!a.company.empty()) std::cout << " · " << Safe(a.company);
    if (!a.ticket_type.empty()) std::cout << " · " << Safe(a.ticket_type);
    if (!a.email.empty()) std::cout << " · " << Safe(MaskEmail(a.email));
    if (a.status != TicketStatus::kValid) {
      std::cout << "  "
                << Paint(T(lang, "[CANCELADA ", "[CANCELLED ") + Safe(a.upstream_status) + "]",
                         "31");
    } else if (h.in_force && h.in_force->direction == Direction::kEntry) {
      std::string when = h.in_force->at;
      if (auto t = ParseUtc(h.in_force->at); t.ok()) {
        if (auto l = ToLocalTime(*t, opened->event.timezone); l.ok()) when = l->HourMinute();
      }
      std::cout << "  "
                << Paint(T(lang, "[ingresó ", "[in since ") + when + ", " + Safe(h.in_force->gate) +
                             "]",
                         "33");
    }
    std::cout << "\n";
  }
  if (static_cast<int>(hits->size()) == o.limit) {
    std::cout << T(lang, "Hay más coincidencias: escriba otra palabra del nombre o la empresa.\n",
                   "More people match: type another word of the name or company.\n");
  }
  std::cout << T(lang, "Para registrar: checkin redeem --attendee ID\n",
                 "To check in: checkin redeem --attendee ID\n");
  return kExitOk;
}

}  // namespace

void RegisterRoster(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* roster = app.add_subcommand("roster", "Import, sync and search the attendee roster");
  roster->require_subcommand(1);

  auto io = std::make_shared<ImportOptions>();
  auto* imp = roster->add_subcommand(
      "import",
      "Import an attendee export (Eventbrite, pretix, Sympla or generic CSV); all or nothing");
  imp->add_option("FILE", io->file, "The export file")->required();
  imp->add_option("--format", io->format, "auto, generic, eventbrite, pretix or sympla")
      ->check(CLI::IsMember({"auto", "generic", "eventbrite", "pretix", "sympla"}))
      ->capture_default_str();
  imp->add_option(
      "--source", io->source,
      "Name of this roster (default: the platform, or 'generic'); separate lists such as"
      " speakers.csv get their own so they do not count each other as missing");
  imp->add_option("--map", io->maps, "COLUMN=FIELD: read the file's COLUMN as FIELD (repeatable)");
  imp->add_flag("--dry-run", io->dry_run, "Show what would change and change nothing");
  imp->add_flag("--cancel-missing", io->cancel_missing,
                "Cancel tickets of this source that the export no longer lists");
  imp->add_flag("--json", io->json, "Print the summary as JSON");
  imp->callback([&g, &exit_code, io] { exit_code = RunImport(g, *io); });

  auto so = std::make_shared<SearchOptions>();
  auto* search = roster->add_subcommand("search", "Find attendees by name, email or company");
  search->add_option("QUERY", so->words, "Words to look for (accents and case do not matter)")
      ->required();
  AddIntOption(*search, "--limit", so->limit, 1, 1000,
               "Most results to show (1 to 1000, default 20)");
  search->add_flag("--json", so->json, "Print a JSON array");
  search->callback([&g, &exit_code, so] { exit_code = RunSearch(g, *so); });

  RegisterRosterGates(*roster, g, exit_code);
  RegisterRosterSync(*roster, g, exit_code);
}

}  // namespace checkin::cli
