// checkin badge render: badges as one PDF, for a layout check or bulk
// pre-printing before the doors open.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/support.h"
#include "common/output_file.h"
#include "common/text.h"
#include "db/roster.h"
#include "printer/badge_render.h"

namespace checkin::cli {
namespace {

struct BadgeOptions {
  std::string out;
  int64_t attendee_id = 0;
  std::string code;
  bool all = false;
  std::string sort = "last-name";
  std::string layout;
};

void ShowBadgeProgress(size_t done, size_t total) {
  if (total < 200) return;
  if (isatty(STDERR_FILENO) == 1) {
    const size_t filled = 20 * done / total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(20 - filled, ' ') << "] " << done
              << "/" << total << (done == total ? "\n" : "") << std::flush;
  } else if (done == total) {
    std::cerr << "badges: " << done << "/" << total << "\n";
  }
}

int RunBadge(const GlobalOptions& g, const BadgeOptions& o) {
  auto opened = Open(g, Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  db::Database& db = opened->database();
  auto layout = printer::LoadLayoutOrDefault(o.layout);
  if (!layout.ok()) return Fail(layout.status());

  std::vector<Attendee> who;
  if (o.all) {
    auto all = db::ListAttendees(db, db::AttendeeFilter::kValidOnly);
    if (!all.ok()) return Fail(all.status());
    who = std::move(*all);
  } else {
    auto a = o.attendee_id > 0 ? db::FindAttendeeById(db, o.attendee_id)
                               : db::FindAttendeeByCode(db, std::string(Trim(o.code)));
    if (!a.ok()) return Fail(a.status());
    if (!a->has_value()) return Fail(Status::NotFound("no attendee with that id or code"));
    who.push_back(**a);
  }
  if (who.empty()) return Fail(Status::NotFound("the roster has no valid attendees to print"));
  auto key = [&](const Attendee& a) {
    if (o.sort == "company") return Fold(a.company + "\x1f" + a.last_name + "\x1f" + a.first_name);
    if (o.sort == "ticket-type")
      return Fold(a.ticket_type + "\x1f" + a.last_name + "\x1f" + a.first_name);
    return Fold(a.last_name + "\x1f" + a.first_name);
  };
  std::stable_sort(who.begin(), who.end(),
                   [&](const Attendee& a, const Attendee& b) { return key(a) < key(b); });

  auto pdf = printer::RenderBadges(who, *layout, opened->event.name, ShowBadgeProgress);
  if (!pdf.ok()) return Fail(pdf.status());
  if (Status s = WriteFileAtomically(o.out, *pdf); !s.ok()) return Fail(s);
  std::cout << who.size() << (who.size() == 1 ? " badge" : " badges") << " ("
            << Safe(layout->stock);
  if (!layout->sheet.empty()) {
    const size_t per = static_cast<size_t>(printer::PlanSheet(*layout)->PerPage());
    std::cout << ", " << per << " per " << Safe(layout->sheet) << " sheet, "
              << (who.size() + per - 1) / per << " sheets";
  }
  std::cout << ") written to " << Safe(o.out) << " (" << (pdf->size() + 1023) / 1024 << " KiB)\n";
  return kExitOk;
}

}  // namespace

void RegisterBadge(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* badge = app.add_subcommand("badge", "Badge PDFs");
  badge->require_subcommand(1);
  auto o = std::make_shared<BadgeOptions>();
  auto* render = badge->add_subcommand("render", "Render badges into one PDF");
  render->add_option("--out", o->out, "PDF file to write")->required();
  auto* id =
      AddIntOption(*render, "--attendee", o->attendee_id, 1, INT64_MAX, "One attendee, by id");
  auto* code = AddCodeOption(*render, "--code", o->code, "One attendee, by ticket or badge code");
  auto* all = render->add_flag("--all", o->all, "Every valid attendee, one page each");
  id->excludes(code)->excludes(all);
  code->excludes(all);
  render->add_option("--sort", o->sort, "Order of a batch: last-name, company or ticket-type")
      ->check(CLI::IsMember({"last-name", "company", "ticket-type"}))
      ->capture_default_str();
  render->add_option("--layout", o->layout, "Layout file (TOML); default: 4x3 in, DejaVu Sans");
  render->callback([&g, &exit_code, o, id, code, all] {
    if (id->count() + code->count() + all->count() == 0) {
      exit_code =
          Fail(Status::InvalidInput("say whose badge: --attendee ID, --code CODE or --all"));
      return;
    }
    exit_code = RunBadge(g, *o);
  });
}

}  // namespace checkin::cli
