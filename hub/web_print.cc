// The print desk page (issue 11): the badge queue with each job's state in
// words, each printing station's printer as its daemon last reported it
// (CUPS's reasons in words), reprint with a reason, cancel a badge not yet
// at a printer, and pause or resume one station's printing.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/clock.h"
#include "common/messages.h"
#include "common/number.h"
#include "common/roles.h"
#include "common/text.h"
#include "common/timezone.h"
#include "db/print_desk.h"
#include "hub/web_http.h"
#include "hub/web_routes.h"

namespace checkin::hub {
namespace {

constexpr const char* kJson = "application/json";
// How many finished jobs the page lists below the queue.
constexpr int kFinishedShown = 60;
// A daemon reports every PrintDaemon::kPrinterCheckEvery (5 s); one silent
// for this long is probably stopped, and what it said is old news.
constexpr std::chrono::seconds kDaemonSilentAfter{30};

std::string JobWords(const PrintJob& j, Language lang) {
  switch (j.state) {
    case JobState::kQueued:
      // A job given back by a daemon waits with the printer's reason.
      return j.last_error.empty() ? Localized(lang, "en cola", "queued")
                                  : Localized(lang, "en espera: ", "waiting: ") + j.last_error;
    case JobState::kPrinting:
      return j.printer_job_id.empty()
                 ? Localized(lang, "enviando a ", "sending to ") + j.printer
                 : Localized(lang, "imprimiendo en ", "printing on ") + j.printer;
    case JobState::kDone:
      return Localized(lang, "impresa", "printed");
    case JobState::kFailed:
      return Localized(lang, "falló: ", "failed: ") + j.last_error;
    case JobState::kCancelled:
      return Localized(lang, "cancelada", "cancelled");
  }
  return "";
}

nlohmann::json ViewJson(const db::PrintDeskView& view, Language lang, const Clock& clock) {
  nlohmann::json jobs = nlohmann::json::array();
  for (const db::DeskJob& d : view.jobs) {
    const PrintJob& j = d.job;
    jobs.push_back({{"id", j.id},
                    {"attendee_id", j.attendee_id},
                    {"name", d.name},
                    {"company", d.company},
                    {"ticket_type", d.ticket_type},
                    {"state", JobStateName(j.state)},
                    {"words", JobWords(j, lang)},
                    {"attempts", j.attempts},
                    {"station", j.station},
                    {"printer", j.printer},
                    {"reason", j.reason},
                    {"created_at", j.created_at},
                    {"updated_at", j.updated_at}});
  }
  nlohmann::json printers = nlohmann::json::array();
  const auto now = clock.Now();
  for (const db::DeskPrinter& p : view.printers) {
    const auto at = ParseUtc(p.reported_at);
    const bool silent = !at.ok() || now - *at > kDaemonSilentAfter;
    std::string words = PrinterStateWords(p.report.state, lang);
    if (silent) {
      words = Localized(lang, "sin noticias de la estación (¿apagada?); lo último: ",
                        "no word from the station (switched off?); last: ") +
              words;
    }
    printers.push_back({{"worker", p.report.worker},
                        {"station", p.report.station},
                        {"printer", p.report.printer},
                        {"reachable", p.report.state.reachable},
                        {"accepting", p.report.state.accepting},
                        {"paused", p.report.state.paused},
                        {"reasons", p.report.state.reasons},
                        {"words", words},
                        {"silent", silent},
                        {"held", p.held},
                        {"held_by", p.held_by},
                        {"reported_at", p.reported_at},
                        {"changed_at", p.changed_at}});
  }
  const QueueCounts& c = view.counts;
  return {{"counts",
           {{"queued", c.queued},
            {"printing", c.printing},
            {"done", c.done},
            {"failed", c.failed},
            {"cancelled", c.cancelled},
            {"reprints", view.reprints}}},
          {"printers", printers},
          {"jobs", jobs}};
}

void RouteView(httplib::Server& svr, WebGate& gate) {
  gate.ServePage(svr, "/print", "print.html", {Role::kPrint, Role::kDesk, Role::kAdmin});
  svr.Get("/api/print", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kPrint, Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    auto view = v->store->ViewPrintDesk(kFinishedShown);
    gate.Give(*v);
    if (!view.ok()) return JsonError(res, view.status());
    res.set_content(ViewJson(*view, v->lang, *gate.host().clock).dump(), kJson);
  });
}

void RouteChanges(httplib::Server& svr, WebGate& gate) {
  svr.Post("/api/print/reprint", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kPrint, Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    auto id = ParseInt(req.get_param_value("attendee_id"), 1, INT64_MAX, "attendee_id");
    auto job = id.ok() ? v->store->Reprint(*id, v->station(), req.get_param_value("reason"))
                       : Result<int64_t>(id.status());
    gate.Give(*v);
    if (!job.ok()) return JsonError(res, job.status());
    gate.host().ring();
    res.set_content(nlohmann::json{{"job", *job}}.dump(), kJson);
  });
  svr.Post("/api/print/cancel", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kPrint, Role::kAdmin}, false);
    if (!v) return;
    auto id = ParseInt(req.get_param_value("job"), 1, INT64_MAX, "job");
    Status s = id.ok() ? v->store->CancelPrintJob(*id, v->station()) : id.status();
    gate.Give(*v);
    if (!s.ok()) return JsonError(res, s);
    gate.host().ring();
    res.set_content(nlohmann::json{{"cancelled", *id}}.dump(), kJson);
  });
  // Pause or resume one printing station: its daemon claims nothing while
  // paused (a badge already at the printer finishes).
  svr.Post("/api/print/hold", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kPrint, Role::kAdmin}, false);
    if (!v) return;
    const std::string held = req.get_param_value("held");
    if (held != "1" && held != "0") {
      gate.Give(*v);
      return JsonError(res, 400, Localized(v->lang, "held debe ser 1 o 0", "held must be 1 or 0"));
    }
    const std::string worker = req.get_param_value("worker");
    Status s = v->store->HoldPrinter(worker, held == "1", v->station());
    gate.Give(*v);
    if (!s.ok()) return JsonError(res, s);
    gate.host().ring();
    res.set_content(nlohmann::json{{"worker", worker}, {"held", held == "1"}}.dump(), kJson);
  });
}

}  // namespace

void RoutePrintPages(httplib::Server& svr, WebGate& gate) {
  RouteView(svr, gate);
  RouteChanges(svr, gate);
}

}  // namespace checkin::hub
