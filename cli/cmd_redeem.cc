// checkin redeem: check a code in by hand, the same path the camera takes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/messages.h"

namespace checkin::cli {
namespace {

struct RedeemOptions {
  std::string code;
  int64_t attendee_id = 0;
  std::string gate = kDefaultGate;
  std::string station;
  std::string direction = "entry";
  std::string source = "manual";
  std::string nonce;
  bool json = false;
};

int RunRedeem(const GlobalOptions& g, const RedeemOptions& o) {
  auto opened = Open(g, Need::kService);
  // Whatever kept the desk from opening, the volunteer reads "not recorded"
  // before the reason, never something that could pass for an admission.
  if (!opened.ok()) return Fail(opened.status().WithContext(NotRecordedPrefix(LanguageFor(g))));
  const Language lang = opened->lang;
  RedeemRequest req;
  req.payload = o.code;
  req.attendee_id = o.attendee_id;
  req.gate = o.gate;
  req.station = StationOr(o.station, *opened);
  req.direction = *ParseDirection(o.direction);
  req.source = *ParseScanSource(o.source);
  req.nonce = o.nonce;
  auto d = opened->service().Redeem(req);
  if (!d.ok()) {
    // A bad id is the volunteer's typo, not a failed recording.
    if (d.status().code() == StatusCode::kInvalidInput) return Fail(d.status());
    return Fail(d.status().WithContext(NotRecordedPrefix(lang)));
  }
  const std::string message = VolunteerMessage(*d, lang, opened->event.timezone);
  if (o.json) {
    PrintJson(DecisionJson(*d, message));
  } else {
    std::cout << Paint(" " + VerdictLabel(d->verdict, lang) + " ", VerdictColour(d->verdict));
    if (d->attendee) {
      std::cout << "  " << Safe(d->attendee->FullName());
      if (!d->attendee->ticket_type.empty()) std::cout << " · " << Safe(d->attendee->ticket_type);
      if (!d->attendee->company.empty()) std::cout << " · " << Safe(d->attendee->company);
    } else {
      std::cout << "  " << Safe(d->code);
    }
    std::cout << "\n  " << message << "\n";
    if (d->offline) {
      std::cout << "  "
                << Paint(" " + HubAwayLine(lang) + " ", VerdictColour(Verdict::kAlreadyCheckedIn))
                << "\n";
    }
  }
  return d->verdict == Verdict::kAdmitted ? kExitOk : kExitDenied;
}

}  // namespace

void RegisterRedeem(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<RedeemOptions>();
  auto* cmd = app.add_subcommand(
      "redeem", "Check in one ticket or badge code (exit 0 admitted, 1 denied, 2 error)");
  auto* code = AddCodeOption(*cmd, "CODE", o->code, "The code from the ticket or badge QR");
  auto* id = AddIntOption(*cmd, "--attendee", o->attendee_id, 1, INT64_MAX,
                          "Check in by attendee id (from roster search)");
  code->excludes(id);
  cmd->add_option("--gate", o->gate, "Gate name from the config")->capture_default_str();
  cmd->add_option("--station", o->station, "Station id (default: this machine's name)");
  cmd->add_option("--direction", o->direction, "entry or exit")
      ->check(CLI::IsMember({"entry", "exit"}))
      ->capture_default_str();
  cmd->add_option("--source", o->source, "camera, keyboard or manual")
      ->check(CLI::IsMember({"camera", "keyboard", "manual"}))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
      "--nonce",
      [o](const std::string& text) {
        // Empty would quietly make a new scan of every retry.
        if (text.empty()) throw CLI::ValidationError("--nonce: empty (is a shell variable unset?)");
        o->nonce = text;
      },
      "A UUID naming this scan: run again with the same one (the answer was lost) and get the "
      "recorded decision back, never a second check-in");
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([&g, &exit_code, o, code, id] {
    if (code->count() == 0 && id->count() == 0) {
      exit_code = Fail(Status::InvalidInput("redeem needs a CODE or --attendee ID"));
      return;
    }
    exit_code = RunRedeem(g, *o);
  });
}

}  // namespace checkin::cli
