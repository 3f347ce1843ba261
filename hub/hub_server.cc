#include "hub/hub_server.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/messages.h"
#include "common/number.h"
#include "common/pairing_code.h"
#include "common/roles.h"
#include "common/timezone.h"
#include "hub/front_door.h"
#include "hub/protocol.h"
#include "hub/tls_identity.h"
#include "hub/web_routes.h"
#include "report/report.h"

namespace checkin::hub {

namespace {

constexpr const char* kJson = "application/json";
// Set by a handler whose POST wrote nothing the pages show (see Serve).
constexpr const char* kUnchangedHeader = "X-Checkin-Unchanged";

void Refuse(httplib::Response& res, int http_status, StatusCode code, std::string message) {
  res.status = http_status;
  res.set_content(Encode(WireError{code, std::move(message)}), kJson);
}

void RefuseWith(httplib::Response& res, const Status& s) {
  Refuse(res, HttpStatusFor(s.code()), s.code(), s.message());
}

// Reads a whole-number query parameter in [min, max]; `fallback` when absent.
Result<int64_t> IntParam(const httplib::Request& req, const char* name, int64_t min, int64_t max,
                         int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  return ParseInt(req.get_param_value(name), min, max,
                  std::string("query parameter '") + name + "'");
}

// The language a station asked for (its own config's), else the hub's: a
// volunteer reads the hub's refusals on the station's screen.
Language LanguageOf(const httplib::Request& req, Language hub) {
  const std::string asked = req.get_header_value(kLanguageHeader);
  if (asked == "es") return Language::kSpanish;
  if (asked == "en") return Language::kEnglish;
  return hub;
}

}  // namespace

struct HubServer::Impl {
  Impl(HubStore& s, const Clock& c, HubServerOptions o)
      : store(s), clock(c), options(std::move(o)) {}

  HubStore& store;
  const Clock& clock;
  const HubServerOptions options;
  std::unique_ptr<httplib::Server> server;
  std::unique_ptr<FrontDoor> front;  // the public port, in front of `server`
  std::unique_ptr<WebPages> pages;
  std::thread thread;
  int port = 0;
  bool tls = false;

  // Rung after every write a request made, so that change requests held
  // open (wait_ms) answer at once; `stopping` lets them go at Stop().
  std::mutex bell_mu;
  std::condition_variable bell;
  uint64_t rung = 0;
  bool stopping = false;

  void Ring() {
    {
      std::lock_guard<std::mutex> lock(bell_mu);
      ++rung;
    }
    bell.notify_all();
  }

  // Waits until the bell rings after `seen`, the hub stops, or `slice`
  // passes. The bell count it saw last.
  uint64_t WaitForBell(uint64_t seen, std::chrono::milliseconds slice) {
    std::unique_lock<std::mutex> lock(bell_mu);
    bell.wait_for(lock, slice, [&] { return rung != seen || stopping; });
    return rung;
  }

  // Sessions not in use. A request takes one (or opens one) and gives it
  // back, so there are never more than the server has threads.
  std::mutex mu;
  std::vector<std::unique_ptr<HubSession>> idle;

  Result<std::unique_ptr<HubSession>> Take() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!idle.empty()) {
        auto s = std::move(idle.back());
        idle.pop_back();
        return s;
      }
    }
    return store.NewSession();
  }
  void Give(std::unique_ptr<HubSession> s) {
    std::lock_guard<std::mutex> lock(mu);
    idle.push_back(std::move(s));
  }

  // What a route does once the device is known and allowed: fills `res` or
  // returns the Status to refuse with.
  using Body = std::function<Status(HubSession&, const db::Device&, const httplib::Request&,
                                    httplib::Response&)>;

  // Authenticates, checks that the role allows `action` (or `or_action`,
  // when set: a path two roles reach for different needs), then runs `body`.
  // `action` nullopt: any paired device may (the event's name and zone).
  void Serve(const httplib::Request& req, httplib::Response& res, std::optional<Action> action,
             const Body& body, std::optional<Action> or_action = std::nullopt) {
    auto session = Take();
    if (!session.ok()) return RefuseWith(res, session.status());
    HubSession& s = **session;
    const Language lang = LanguageOf(req, options.lang);
    const std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.compare(0, kBearer.size(), kBearer) != 0 || auth.size() == kBearer.size()) {
      Give(std::move(*session));
      return Refuse(res, 401, StatusCode::kInvalidInput,
                    Localized(lang,
                              "falta el token del dispositivo: empareje esta estación con "
                              "`checkin station pair CÓDIGO`",
                              "the device token is missing: pair this station with "
                              "`checkin station pair CODE`"));
    }
    auto device = s.Authenticate(std::string_view(auth).substr(kBearer.size()));
    if (!device.ok()) {
      const bool unknown = device.status().code() == StatusCode::kNotFound ||
                           device.status().code() == StatusCode::kInvalidInput;
      Give(std::move(*session));
      if (!unknown) return RefuseWith(res, device.status());
      return Refuse(
          res, 401, StatusCode::kInvalidInput,
          Localized(lang,
                    "el hub no reconoce el token de este dispositivo (desconocido o revocado):"
                    " pida un código nuevo con `checkin hub device add` y empareje otra vez",
                    "the hub does not know this device's token (unknown or revoked): ask for"
                    " a new code with `checkin hub device add` and pair again"));
    }
    if (action && !Allows(device->role, *action) &&
        !(or_action && Allows(device->role, *or_action))) {
      Give(std::move(*session));
      return Refuse(res, 403, StatusCode::kInvalidInput,
                    Localized(lang, "el rol de este dispositivo (", "this device's role (") +
                        std::string(RoleName(device->role)) +
                        Localized(lang, ") no permite esta acción", ") does not allow this"));
    }
    Status st = body(s, *device, req, res);
    Give(std::move(*session));
    if (!st.ok()) return RefuseWith(res, st);
    // The pages fetch again at every ring: a print daemon asking for work
    // five times a second, or saying its printer is as it was, changed
    // nothing they show.
    // The mark is the handlers' word to Serve, not part of the protocol.
    const bool unchanged = res.has_header(kUnchangedHeader);
    res.headers.erase(kUnchangedHeader);
    if (req.method == "POST" && !unchanged) Ring();
  }

  void Route();
  void RouteService();
  void RoutePrint();
  void RouteReplica();
  void RouteWebLogin();
};

void HubServer::Impl::Route() {
  httplib::Server& svr = *server;
  // Every answer, refusals included, tells the station the hub's time.
  svr.set_pre_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
            .count();
    res.set_header(kHubTimeHeader, std::to_string(ms));
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // What httplib refuses by itself (unknown path, a body too large) gets the
  // same error body as the rest.
  svr.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const Language lang = LanguageOf(req, options.lang);
    std::string message;
    switch (res.status) {
      case 404:
        message = Localized(lang, "el hub no tiene esa ruta", "the hub has no such path");
        break;
      case 413:
        message = Localized(lang, "la petición es demasiado grande", "the request is too large");
        break;
      default:
        message = Localized(lang, "petición rechazada", "request refused") +
                  std::string(" (HTTP ") + std::to_string(res.status) + ")";
    }
    res.set_content(
        Encode(WireError{res.status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidInput,
                         message}),
        kJson);
  });
  svr.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        Refuse(res, 500, StatusCode::kInternal, "internal error in the hub");
      });

  svr.Post(path::kPair, [this](const httplib::Request& req, httplib::Response& res) {
    auto q = Decode<PairRequest>(req.body);
    if (!q.ok()) return RefuseWith(res, q.status());
    auto session = Take();
    if (!session.ok()) return RefuseWith(res, session.status());
    auto paired = (*session)->Pair(q->secret);
    Give(std::move(*session));
    if (!paired.ok()) return RefuseWith(res, paired.status());
    // The device page and the dashboard's stations show it at once.
    Ring();
    res.set_content(Encode(PairResponse{paired->name, paired->role, paired->token}), kJson);
  });
  RouteService();
  RoutePrint();
  RouteReplica();
  RouteWebLogin();
  WebHost web;
  web.take = [this] { return Take(); };
  web.give = [this](std::unique_ptr<HubSession> s) { Give(std::move(s)); };
  web.ring = [this] { Ring(); };
  web.wait_for_change = [this](uint64_t seen, std::chrono::milliseconds slice) {
    return WaitForBell(seen, slice);
  };
  web.stopping = [this] {
    std::lock_guard<std::mutex> lock(bell_mu);
    return stopping;
  };
  web.clock = &clock;
  web.lang = options.lang;
  web.tls = tls;
  // Read once here: the certificate does not change while the hub serves
  // it, and an unreadable one only leaves the device page unable to pair.
  if (tls) {
    if (auto fp = CertificateFingerprintOfFile(options.certificate_file); fp.ok()) {
      web.fingerprint = *fp;
    }
  }
  pages = RouteWebPages(svr, std::move(web));
}

void HubServer::Impl::RouteService() {
  httplib::Server& svr = *server;
  svr.Get(path::kEvent, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, std::nullopt,
          [](HubSession& s, const db::Device&, const httplib::Request&, httplib::Response& r) {
            auto e = s.service().Event();
            if (!e.ok()) return e.status();
            r.set_content(Encode(*e), kJson);
            return Status::Ok();
          });
  });
  svr.Post(path::kRedeem, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kRedeem,
          [this](HubSession& s, const db::Device& device, const httplib::Request& rq,
                 httplib::Response& r) {
            auto q = Decode<RedeemRequest>(rq.body);
            if (!q.ok()) return q.status();
            if (q->attendee_id != 0 && !Allows(device.role, Action::kCheckinBySearch)) {
              return Status::InvalidInput(Localized(
                  LanguageOf(rq, options.lang), "este dispositivo no puede registrar por búsqueda",
                  "this device may not check in by search"));
            }
            if (q->station.empty()) q->station = device.name;
            auto d = s.service().Redeem(*q);
            if (!d.ok()) return d.status();
            r.set_content(Encode(*d), kJson);
            return Status::Ok();
          });
  });
  svr.Post(path::kUndo, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kUndo,
          [](HubSession& s, const db::Device& device, const httplib::Request& rq,
             httplib::Response& r) {
            auto q = Decode<UndoRequest>(rq.body);
            if (!q.ok()) return q.status();
            if (q->station.empty()) q->station = device.name;
            auto u = s.service().Undo(*q);
            if (!u.ok()) return u.status();
            r.set_content(Encode(*u), kJson);
            return Status::Ok();
          });
  });
  svr.Get(path::kSearch, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kSearch,
          [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
            auto limit = IntParam(rq, "limit", 1, kMaxListLimit, 20);
            if (!limit.ok()) return limit.status();
            auto hits = s.service().Search(rq.get_param_value("q"), static_cast<int>(*limit));
            if (!hits.ok()) return hits.status();
            r.set_content(Encode(*hits), kJson);
            return Status::Ok();
          });
  });
  svr.Get(path::kAttendee, [this](const httplib::Request& req, httplib::Response& res) {
    // Door stations look codes up; print stations read what a badge shows.
    Serve(
        req, res, Action::kSearch,
        [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
          Result<std::optional<Attendee>> a = std::optional<Attendee>();
          if (rq.has_param("code") == rq.has_param("id"))
            return Status::InvalidInput("give exactly one of 'code' and 'id'");
          if (rq.has_param("code")) {
            a = s.service().FindByCode(rq.get_param_value("code"));
          } else {
            auto id = IntParam(rq, "id", 1, INT64_MAX, 0);
            if (!id.ok()) return id.status();
            a = s.service().FindById(*id);
          }
          if (!a.ok()) return a.status();
          r.set_content(Encode(*a), kJson);
          return Status::Ok();
        },
        Action::kReadBadgeData);
  });
  svr.Get(path::kStats, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kStats,
          [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
            StatsRequest sr;
            if (rq.has_param("since")) {
              auto since = ParseUtc(rq.get_param_value("since"));
              if (!since.ok()) return since.status();
              sr.since = *since;
            }
            auto st = s.service().ComputeStats(sr);
            if (!st.ok()) return st.status();
            r.set_content(Encode(*st), kJson);
            return Status::Ok();
          });
  });
  // The organizer's laptop asks for the report after the event; it renders
  // the formats for people itself, so the hub sends the figures only.
  svr.Get(path::kReport, [this](const httplib::Request& req, httplib::Response& res) {
    const Language lang = LanguageOf(req, options.lang);
    Serve(req, res, Action::kReadReport,
          [lang](HubSession& s, const db::Device& device, const httplib::Request& rq,
                 httplib::Response& r) {
            report::ReportRequest rr;
            rr.lang = lang;
            rr.day = rq.get_param_value("day");
            auto bins = IntParam(rq, "bins", 5, 15, 15);
            if (!bins.ok()) return bins.status();
            rr.bin_minutes = static_cast<int>(*bins);
            const std::string names = rq.get_param_value("names");
            if (!names.empty() && names != "0" && names != "1") {
              return Status::InvalidInput("names must be 0 or 1");
            }
            if (names == "1") {
              if (!Allows(device.role, Action::kReadReportNames)) {
                return Status::InvalidInput(Localized(
                    lang,
                    "las listas de personas del informe (--with-names) son datos personales: solo "
                    "un dispositivo admin las recibe",
                    "the report's lists of people (--with-names) are personal data: only an admin "
                    "device gets them"));
              }
              rr.names = report::Names::kListed;
            }
            auto computed = s.ComputeReport(rr);
            if (!computed.ok()) return computed.status();
            r.set_content(report::ReportJson(*computed), kJson);
            return Status::Ok();
          });
  });
}

void HubServer::Impl::RouteReplica() {
  httplib::Server& svr = *server;
  svr.Get(path::kChanges, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kPullReplica,
          [this](HubSession& s, const db::Device& device, const httplib::Request& rq,
                 httplib::Response& r) {
            db::ChangeCursor from;
            auto rev = IntParam(rq, "rev", -1, INT64_MAX, -1);
            auto attendee = IntParam(rq, "attendee", 0, INT64_MAX, 0);
            auto checkin = IntParam(rq, "checkin", 0, INT64_MAX, 0);
            auto rules = IntParam(rq, "rules", 0, INT64_MAX, 0);
            auto limit = IntParam(rq, "limit", 1, kMaxChangesPage, 500);
            auto outbox = IntParam(rq, "outbox", 0, INT64_MAX, 0);
            auto wait_ms = IntParam(rq, "wait_ms", 0, kMaxWaitMs, 0);
            for (const auto* p : {&rev, &attendee, &checkin, &rules, &limit, &outbox, &wait_ms}) {
              if (!p->ok()) return p->status();
            }
            from.rev = *rev;
            from.attendee_id = *attendee;
            from.checkin_id = *checkin;
            from.rules_rev = *rules;
            uint64_t seen;
            {
              std::lock_guard<std::mutex> lock(bell_mu);
              seen = rung;  // before reading, so no write can slip between
            }
            auto changes = s.ChangesSince(from, static_cast<int>(*limit));
            // Held in slices of a second: a write by another process on the
            // hub's file (`roster import`) rings no bell. A slice a bell cut
            // short counts whole, so a busy hub may answer "nothing new" a
            // little early; the station simply asks again.
            constexpr std::chrono::milliseconds kSlice{1000};
            for (auto left = std::chrono::milliseconds(*wait_ms);
                 changes.ok() && changes->attendees.empty() && changes->checkins.empty() &&
                 !changes->rules && left.count() > 0;
                 left -= kSlice) {
              seen = WaitForBell(seen, std::min(left, kSlice));
              {
                std::lock_guard<std::mutex> lock(bell_mu);
                if (stopping) break;
              }
              changes = s.ChangesSince(from, static_cast<int>(*limit));
            }
            if (!changes.ok()) return changes.status();
            // For `hub device list`; a busy file must not fail the pull.
            static_cast<void>(s.NoteReplica(device, *outbox, changes->next.checkin_id));
            r.set_content(Encode(*changes), kJson);
            return Status::Ok();
          });
  });
  svr.Post(path::kUpload, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kRedeem,
          [](HubSession& s, const db::Device& device, const httplib::Request& rq,
             httplib::Response& r) {
            auto q = Decode<UploadRequest>(rq.body);
            if (!q.ok()) return q.status();
            // What the device could not do online it may not do offline.
            UploadResponse refused;
            std::vector<db::LoggedCheckin> allowed;
            std::vector<size_t> where;
            for (size_t i = 0; i < q->checkins.size(); ++i) {
              const db::LoggedCheckin& c = q->checkins[i];
              if (c.kind == "undo" && !Allows(device.role, Action::kUndo)) {
                refused.outcomes.push_back(
                    {c.uuid, db::UploadOutcome::Kind::kRefused, "this device may not undo", false});
                continue;
              }
              refused.outcomes.push_back({c.uuid, db::UploadOutcome::Kind::kRefused, "", false});
              where.push_back(i);
              allowed.push_back(c);
            }
            auto out = s.RecordOffline(allowed);
            if (!out.ok()) return out.status();
            for (size_t k = 0; k < where.size(); ++k) refused.outcomes[where[k]] = (*out)[k];
            static_cast<void>(s.NoteReplica(device, q->outbox, -1));
            r.set_content(Encode(refused), kJson);
            return Status::Ok();
          });
  });
}

void HubServer::Impl::RoutePrint() {
  httplib::Server& svr = *server;
  // A door queues the badge of whoever it admits; a print desk reprints.
  svr.Post(path::kPrintEnqueue, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(
        req, res, Action::kRedeem,
        [](HubSession& s, const db::Device& device, const httplib::Request& rq,
           httplib::Response& r) {
          auto q = Decode<EnqueueRequest>(rq.body);
          if (!q.ok()) return q.status();
          auto id = s.service().EnqueueBadge(q->attendee_id,
                                             q->station.empty() ? device.name : q->station);
          if (!id.ok()) return id.status();
          r.set_content(Encode(JobId{*id}), kJson);
          return Status::Ok();
        },
        Action::kClaimPrintJobs);
  });
  svr.Post(path::kPrintClaim, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kClaimPrintJobs,
          [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
            auto q = Decode<ClaimRequest>(rq.body);
            if (!q.ok()) return q.status();
            auto job = s.service().ClaimPrintJob(q->worker, q->printer);
            if (!job.ok()) return job.status();
            if (!*job) r.set_header(kUnchangedHeader, "1");
            r.set_content(Encode(*job), kJson);
            return Status::Ok();
          });
  });
  svr.Get(path::kPrintClaimed, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kClaimPrintJobs,
          [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
            auto jobs = s.service().ClaimedPrintJobs(rq.get_param_value("worker"));
            if (!jobs.ok()) return jobs.status();
            r.set_content(Encode(*jobs), kJson);
            return Status::Ok();
          });
  });
  svr.Post(path::kPrintReport, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kClaimPrintJobs,
          [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
            auto q = Decode<ReportRequest>(rq.body);
            if (!q.ok()) return q.status();
            if (Status st = s.service().ReportPrintJob(q->job_id, q->report); !st.ok()) return st;
            r.set_content("{}", kJson);
            return Status::Ok();
          });
  });
  // A daemon's printer, every few seconds, for the print desk; the answer
  // says whether the desk paused this daemon.
  svr.Post(path::kPrintPrinter, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kClaimPrintJobs,
          [](HubSession& s, const db::Device& device, const httplib::Request& rq,
             httplib::Response& r) {
            auto q = Decode<PrinterReport>(rq.body);
            if (!q.ok()) return q.status();
            // The device's own name is the station the desk knows it by.
            q->station = device.name;
            auto recorded = s.RecordPrinter(*q);
            if (!recorded.ok()) return recorded.status();
            if (!recorded->changed) r.set_header(kUnchangedHeader, "1");
            r.set_content(Encode(PrinterHeld{recorded->held}), kJson);
            return Status::Ok();
          });
  });
  svr.Get(path::kPrintCounts, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kClaimPrintJobs,
          [](HubSession& s, const db::Device&, const httplib::Request&, httplib::Response& r) {
            auto c = s.service().PrintQueueCounts();
            if (!c.ok()) return c.status();
            r.set_content(Encode(*c), kJson);
            return Status::Ok();
          });
  });
  svr.Get(path::kPrintRecent, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, Action::kClaimPrintJobs,
          [](HubSession& s, const db::Device&, const httplib::Request& rq, httplib::Response& r) {
            auto limit = IntParam(rq, "limit", 1, kMaxListLimit, 20);
            if (!limit.ok()) return limit.status();
            auto jobs = s.service().RecentPrintJobs(static_cast<int>(*limit));
            if (!jobs.ok()) return jobs.status();
            r.set_content(Encode(*jobs), kJson);
            return Status::Ok();
          });
  });
}

// A paired device's browser logs in with the device's own role, never more.
// A scan device gets none: the hub serves no door screen (each entrance
// laptop serves its own, `checkin scan --ui`).
void HubServer::Impl::RouteWebLogin() {
  server->Post(path::kWebLoginLink, [this](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, std::nullopt,
          [this](HubSession& s, const db::Device& device, const httplib::Request& rq,
                 httplib::Response& r) {
            if (device.role == Role::kScan) {
              Refuse(r, 403, StatusCode::kInvalidInput,
                     Localized(LanguageOf(rq, options.lang),
                               "un dispositivo de puerta no tiene páginas en el hub: su pantalla"
                               " es la de `checkin scan --ui` en la misma estación",
                               "a door device has no pages on the hub: its screen is the one"
                               " `checkin scan --ui` serves on the station itself"));
              return Status::Ok();
            }
            auto link = s.OpenDeviceLoginLink(device.name, device.role);
            if (!link.ok()) return link.status();
            r.set_content(Encode(WebLoginLink{device.name, device.role,
                                              std::string("/login?t=") + link->secret,
                                              FormatUtc(link->expires_at)}),
                          kJson);
            return Status::Ok();
          });
  });
}

HubServer::HubServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HubServer::~HubServer() { Stop(); }

int HubServer::port() const { return impl_->port; }
bool HubServer::tls() const { return impl_->tls; }

void HubServer::Stop() {
  if (!impl_->thread.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(impl_->bell_mu);
    impl_->stopping = true;
  }
  impl_->bell.notify_all();
  impl_->server->stop();
  // Ends the requests' side of every connection, so that httplib's workers
  // leave their kept-alive connections now rather than after its timeout.
  impl_->front->BeginStop();
  impl_->thread.join();
  // After the server: what it answered last still has to reach the stations.
  impl_->front->Stop();
}

Result<std::unique_ptr<HubServer>> HubServer::Start(HubStore& store, const Clock& clock,
                                                    const HubServerOptions& options) {
  auto impl = std::make_unique<Impl>(store, clock, options);
  const bool tls = !options.certificate_file.empty() || !options.key_file.empty();
  if (!tls && !IsLoopbackHost(options.host)) {
    return Status::InvalidInput(Localized(
        options.lang,
        "sin certificado, el hub solo escucha en este equipo (127.0.0.1); para la red del "
        "lugar ejecute `checkin hub init` y use su certificado",
        "without a certificate the hub only listens on this machine (127.0.0.1); for the "
        "venue network run `checkin hub init` and use its certificate"));
  }
  if (tls) {
    auto ssl = std::make_unique<httplib::SSLServer>(options.certificate_file.c_str(),
                                                    options.key_file.c_str());
    if (!ssl->is_valid()) {
      return Status::InvalidInput("cannot load the hub certificate " + options.certificate_file +
                                  " and key " + options.key_file);
    }
    // Stations and Chromium speak TLS 1.2 or newer; older is refused.
    SSL_CTX_set_min_proto_version(ssl->ssl_context(), TLS1_2_VERSION);
    impl->server = std::move(ssl);
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }
  impl->tls = tls;
  httplib::Server& svr = *impl->server;
  const size_t threads = static_cast<size_t>(std::max(2, options.threads));
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_payload_max_length(kMaxRequestBytes);
  svr.set_read_timeout(options.read_timeout);
  svr.set_write_timeout(options.read_timeout);
  svr.set_keep_alive_timeout(options.keep_alive.count());
  // A station keeps one connection for its whole shift: a TLS handshake per
  // handful of requests would cost more than the requests.
  svr.set_keep_alive_max_count(1'000'000);
  svr.set_tcp_nodelay(true);
  impl->Route();

  // httplib listens on loopback only; the front door owns the public port
  // and hands it connections that have spoken (hub/front_door.h).
  const int backend_port = svr.bind_to_any_port("127.0.0.1");
  if (backend_port <= 0) {
    return Status::Unavailable("cannot listen on 127.0.0.1 for the hub's HTTP server");
  }
  FrontDoorOptions front = options.front;
  front.host = options.host;
  front.port = options.port;
  front.backend_port = backend_port;
  auto door = FrontDoor::Start(clock, front);
  if (!door.ok()) {
    return Status::Unavailable(
        Localized(options.lang, "no se pudo escuchar en ", "cannot listen on ") + options.host +
        ":" + std::to_string(options.port) +
        Localized(options.lang, " (¿otro proceso usa ese puerto?)",
                  " (is another process using it?)"));
  }
  impl->front = std::move(*door);
  impl->port = impl->front->port();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server->listen_after_bind(); });
  // listen_after_bind marks the server running before it accepts; wait for
  // it so that Stop() right after Start() is not lost.
  for (int i = 0; i < 5000 && !raw->server->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<HubServer>(new HubServer(std::move(impl)));
}

}  // namespace checkin::hub
