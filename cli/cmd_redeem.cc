// checkin redeem: check a code in by hand, the same path the camera takes.
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/messages.h"
#include "db/checkin_desk.h"
#include "db/roster.h"

namespace checkin::cli {
namespace {

struct RedeemOptions {
  std::string code;
  int64_t attendee_id = 0;
  std::string gate = kDefaultGate;
  std::string station;
  std::string direction = "entry";
  std::string source = "manual";
  bool json = false;
};

int Run(const GlobalOptions& g, const RedeemOptions& o) {
  auto config = LoadStationConfig(g);
  if (!config.ok()) return Fail(config.status());
  auto db = OpenDatabase(g, db::OpenMode::kMustExist);
  if (!db.ok()) return Fail(db.status());
  const Language lang = EffectiveLanguage(g, *config);
  auto desk = db::CheckinDesk::Create(**db, SystemClock(), *config);
  if (!desk.ok()) return Fail(desk.status());

  std::string payload = o.code;
  if (o.attendee_id > 0) {
    // A volunteer found the person with `roster search` and checks them in by id.
    auto a = db::FindAttendeeById(**db, o.attendee_id);
    if (!a.ok()) return Fail(a.status());
    if (!a->has_value()) {
      return Fail(Status::NotFound("no attendee with id " + std::to_string(o.attendee_id)));
    }
    payload = (*a)->ticket_code;
  }
  db::RedeemRequest req;
  req.payload = payload;
  req.gate = o.gate;
  req.station = o.station.empty() ? DefaultStation() : o.station;
  req.direction = *ParseDirection(o.direction);
  req.source = *ParseScanSource(o.source);
  auto d = (*desk)->Redeem(req);
  if (!d.ok()) {
    return Fail(d.status().WithContext(lang == Language::kSpanish
                                           ? "NO registrado, no dejar pasar todavía: "
                                           : "NOT recorded, do not let them in yet: "));
  }
  const std::string message = VolunteerMessage(*d, lang, (*desk)->timezone());
  if (o.json) {
    nlohmann::json j = {{"verdict", std::string(VerdictName(d->verdict))},
                        {"code", d->code},
                        {"attendee", d->attendee ? AttendeeJson(*d->attendee) : nlohmann::json()},
                        {"previous", d->previous ? PreviousJson(*d->previous) : nlohmann::json()},
                        {"message", message},
                        {"reason", d->reason},
                        {"gate", d->gate},
                        {"station", d->station},
                        {"direction", std::string(DirectionName(d->direction))},
                        {"at", d->at},
                        {"checkin_id", d->checkin_uuid}};
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << Paint(" " + VerdictLabel(d->verdict, lang) + " ", VerdictColour(d->verdict));
    if (d->attendee) {
      std::cout << "  " << d->attendee->FullName();
      if (!d->attendee->ticket_type.empty()) std::cout << " · " << d->attendee->ticket_type;
      if (!d->attendee->company.empty()) std::cout << " · " << d->attendee->company;
    } else {
      std::cout << "  " << d->code;
    }
    std::cout << "\n  " << message << "\n";
  }
  return d->verdict == Verdict::kAdmitted ? kExitOk : kExitDenied;
}

}  // namespace

void RegisterRedeem(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<RedeemOptions>();
  auto* cmd = app.add_subcommand(
      "redeem", "Check in one ticket or badge code (exit 0 admitted, 1 denied, 2 error)");
  auto* code = cmd->add_option("CODE", o->code, "The code from the ticket or badge QR");
  auto* id = cmd->add_option("--attendee", o->attendee_id, "Check in by attendee id (from roster search)");
  code->excludes(id);
  cmd->add_option("--gate", o->gate, "Gate name from the config")->capture_default_str();
  cmd->add_option("--station", o->station, "Station id (default: this machine's name)");
  cmd->add_option("--direction", o->direction, "entry or exit")
      ->check(CLI::IsMember({"entry", "exit"}))
      ->capture_default_str();
  cmd->add_option("--source", o->source, "camera, keyboard or manual")
      ->check(CLI::IsMember({"camera", "keyboard", "manual"}))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([&g, &exit_code, o, code, id] {
    if (code->count() == 0 && id->count() == 0) {
      exit_code = Fail(Status::InvalidInput("redeem needs a CODE or --attendee ID"));
      return;
    }
    exit_code = Run(g, *o);
  });
}

}  // namespace checkin::cli
