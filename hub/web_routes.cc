#include "hub/web_routes.h"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/number.h"
#include "common/random.h"
#include "common/roles.h"
#include "common/text.h"
#include "common/timezone.h"
#include "db/secret_hash.h"
#include "hub/protocol.h"
#include "hub/web_http.h"
#include "web/page.h"

namespace checkin::hub {
namespace {

constexpr const char* kSessionCookie = "checkin_session";
constexpr const char* kLanguageCookie = "checkin_lang";
constexpr const char* kCsrfHeader = "X-Checkin-CSRF";
constexpr const char* kJson = "application/json";
constexpr int kSessionMaxAgeS = 14 * 3600;  // db::kWebSessionLifetime
// An open event stream says something this often even when nothing changes,
// so proxies keep it and a closed tab is noticed.
constexpr int kPingEveryS = 15;

// ?lang=, else the cookie a ?lang= left, else the browser's first choice,
// else the hub's language.
Language PageLanguage(const httplib::Request& req, Language fallback) {
  std::string asked = req.get_param_value("lang");
  if (asked.empty()) asked = CookieValue(req, kLanguageCookie);
  if (asked.empty()) asked = req.get_header_value("Accept-Language").substr(0, 2);
  if (asked == "es") return Language::kSpanish;
  if (asked == "en") return Language::kEnglish;
  return fallback;
}

// The page each role lands on.
std::string HomeOf(Role role) {
  switch (role) {
    case Role::kScan:
      return "/door";
    case Role::kDesk:
      return "/desk";
    case Role::kPrint:
      return "/print";
    case Role::kAdmin:
      return "/dashboard";
  }
  return "/login";
}

void Redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

class WebRoutes final : public WebPages, public WebGate {
 public:
  explicit WebRoutes(WebHost host) : host_(std::move(host)) {}

  void Route(httplib::Server& svr);

  std::optional<WebVisitor> Admit(const httplib::Request& req, httplib::Response& res,
                                  const std::vector<Role>& roles, bool page) override;
  void Give(WebVisitor& v) override { host_.give(std::move(v.store)); }
  void ServePage(httplib::Server& svr, const char* path, const char* file,
                 const std::vector<Role>& roles) override;
  const WebHost& host() const override { return host_; }

 private:
  using Visitor = WebVisitor;

  // The request's attendee_id; nullopt after answering 400 (and giving the
  // store back) when it is not a whole number from 1 up.
  std::optional<int64_t> AttendeeId(const httplib::Request& req, httplib::Response& res,
                                    Visitor& v) {
    auto id = ParseInt(req.get_param_value("attendee_id"), 1, INT64_MAX, "attendee_id");
    if (id.ok()) return *id;
    Give(v);
    JsonError(res, id.status());
    return std::nullopt;
  }

  void StartSession(httplib::Response& res, const db::WebSession& s);
  void LoginPage(httplib::Response& res, Language lang, int status, const std::string& error);
  static bool SameOrigin(const httplib::Request& req);

  void RouteLogin(httplib::Server& svr);
  void RouteDesk(httplib::Server& svr);
  void RouteDeskEdits(httplib::Server& svr);
  void RouteEvents(httplib::Server& svr);

  const WebHost host_;
};

bool WebRoutes::SameOrigin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin");
  const std::string site = req.get_header_value("Sec-Fetch-Site");
  if (origin.empty()) return site != "cross-site";
  // Our pages say Referrer-Policy: no-referrer, so Chromium posts their
  // forms (the PIN login) with "Origin: null"; the fetch metadata still
  // tells whether the form was this origin's.
  if (origin == "null") return site == "same-origin";
  const std::string host = req.get_header_value("Host");
  return origin == "https://" + host || origin == "http://" + host;
}

std::optional<WebVisitor> WebRoutes::Admit(const httplib::Request& req, httplib::Response& res,
                                           const std::vector<Role>& roles, bool page) {
  Harden(res);
  res.set_header("Cache-Control", "no-store");
  const Language lang = PageLanguage(req, host_.lang);
  auto store = host_.take();
  if (!store.ok()) {
    JsonError(res, store.status());
    return std::nullopt;
  }
  Visitor v{std::move(*store), {}, lang};
  auto session = v.store->FindWebSession(CookieValue(req, kSessionCookie));
  if (!session.ok()) {
    Give(v);
    if (session.status().code() != StatusCode::kNotFound) {
      JsonError(res, session.status());
    } else if (page) {
      Redirect(res, "/login");
    } else {
      JsonError(res, 401,
                Localized(lang, "inicie sesión otra vez (la sesión no existe o venció)",
                          "log in again (no session, or it expired)"));
    }
    return std::nullopt;
  }
  v.session = std::move(*session);
  bool allowed = false;
  for (Role r : roles) allowed = allowed || r == v.session.role;
  if (!allowed) {
    Give(v);
    JsonError(res, 403,
              Localized(lang, "el rol de esta sesión (", "this session's role (") +
                  std::string(PageRoleName(v.session.role)) +
                  Localized(lang, ") no permite esto", ") does not allow this"));
    return std::nullopt;
  }
  if (req.method == "POST" &&
      (!SameOrigin(req) || !db::SameSecret(req.get_header_value(kCsrfHeader), v.session.csrf))) {
    Give(v);
    JsonError(res, 403,
              Localized(lang, "petición rechazada: recargue la página e intente de nuevo",
                        "request refused: reload the page and try again"));
    return std::nullopt;
  }
  return v;
}

void WebRoutes::StartSession(httplib::Response& res, const db::WebSession& s) {
  // HttpOnly: no script reads it; SameStrict: no other site's page sends it.
  res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + s.token +
                                   "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                   std::to_string(kSessionMaxAgeS) + (host_.tls ? "; Secure" : ""));
  Redirect(res, HomeOf(s.role));
}

void WebRoutes::LoginPage(httplib::Response& res, Language lang, int status,
                          const std::string& error) {
  const auto tpl = web::FindAsset("login.html");
  res.status = status;
  res.set_content(web::FillTemplate(tpl ? tpl->bytes : "", lang, {{"error", error}}),
                  "text/html; charset=utf-8");
}

void WebRoutes::RouteLogin(httplib::Server& svr) {
  svr.Get("/login", [this](const httplib::Request& req, httplib::Response& res) {
    Harden(res);
    res.set_header("Cache-Control", "no-store");
    const Language lang = PageLanguage(req, host_.lang);
    if (req.has_param("lang")) {
      res.set_header("Set-Cookie", std::string(kLanguageCookie) + "=" +
                                       (lang == Language::kSpanish ? "es" : "en") +
                                       "; Path=/; SameSite=Strict; Max-Age=31536000");
    }
    if (!req.has_param("t")) return LoginPage(res, lang, 200, "");
    auto store = host_.take();
    if (!store.ok()) return LoginPage(res, lang, 503, store.status().message());
    auto session = (*store)->SpendLoginLink(req.get_param_value("t"));
    host_.give(std::move(*store));
    if (!session.ok()) return LoginPage(res, lang, 403, session.status().message());
    host_.ring();
    StartSession(res, *session);
  });
  svr.Post("/login", [this](const httplib::Request& req, httplib::Response& res) {
    Harden(res);
    res.set_header("Cache-Control", "no-store");
    const Language lang = PageLanguage(req, host_.lang);
    if (!SameOrigin(req)) {
      return LoginPage(res, lang, 403,
                       Localized(lang, "petición rechazada: abra la página de acceso del hub",
                                 "request refused: open the hub's login page"));
    }
    const auto role = ParsePageRole(req.get_param_value("role"));
    if (!role) {
      return LoginPage(res, lang, 400, Localized(lang, "elija un rol", "choose a role"));
    }
    auto store = host_.take();
    if (!store.ok()) return LoginPage(res, lang, 503, store.status().message());
    auto session =
        (*store)->SpendPin(*role, req.get_param_value("pin"), req.get_param_value("station"));
    host_.give(std::move(*store));
    if (!session.ok()) return LoginPage(res, lang, 401, session.status().message());
    StartSession(res, *session);
  });
  svr.Post("/logout", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kScan, Role::kDesk, Role::kPrint, Role::kAdmin}, false);
    if (!v) return;
    Status s = v->store->EndWebSession(CookieValue(req, kSessionCookie));
    Give(*v);
    if (!s.ok()) return JsonError(res, s);
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; Max-Age=0");
    Redirect(res, "/login");
  });
  svr.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kScan, Role::kDesk, Role::kPrint, Role::kAdmin}, true);
    if (!v) return;
    Give(*v);
    Redirect(res, HomeOf(v->session.role));
  });
  // The assets carry no data: scripts, styles, sounds.
  svr.Get(R"(/assets/([a-z0-9_-]+\.(css|js|svg|wav|png)))",
          [](const httplib::Request& req, httplib::Response& res) {
            Harden(res);
            const auto asset = web::FindAsset(req.matches[1].str());
            if (!asset) {
              res.status = 404;
              return;
            }
            res.set_header("Cache-Control", "max-age=300");
            res.set_content(std::string(asset->bytes), std::string(asset->content_type));
          });
}

void WebRoutes::ServePage(httplib::Server& svr, const char* path, const char* file,
                          const std::vector<Role>& roles) {
  svr.Get(path, [this, file, roles](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, roles, true);
    if (!v) return;
    auto event = v->store->service().Event();
    Give(*v);
    const auto tpl = web::FindAsset(file);
    if (!tpl) {
      res.status = 404;
      return;
    }
    res.set_content(web::FillTemplate(tpl->bytes, v->lang,
                                      {{"csrf", v->session.csrf},
                                       {"lang", v->lang == Language::kSpanish ? "es" : "en"},
                                       {"role", std::string(PageRoleName(v->session.role))},
                                       {"station", v->session.station},
                                       {"timezone", event.ok() ? event->timezone : ""}}),
                    "text/html; charset=utf-8");
  });
}

void WebRoutes::RouteDesk(httplib::Server& svr) {
  ServePage(svr, "/desk", "desk.html", {Role::kDesk, Role::kAdmin});
  ServePage(svr, "/dashboard", "dashboard.html", {Role::kAdmin, Role::kDesk});

  svr.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    const std::string q = req.get_param_value("q");
    auto hits = v->store->service().Search(q, 25);
    Give(*v);
    if (!hits.ok()) return JsonError(res, hits.status());
    res.set_content(Encode(*hits), kJson);
  });
  svr.Get("/api/stats", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    auto stats = v->store->service().ComputeStats({});
    Give(*v);
    if (!stats.ok()) return JsonError(res, stats.status());
    // The denials' words as the doors say them, in the page's language.
    auto out = nlohmann::json::parse(Encode(*stats));
    nlohmann::json labels = nlohmann::json::object();
    for (const auto& [name, n] : stats->denials_by_verdict) {
      if (auto verdict = ParseVerdict(name)) labels[name] = VerdictLabel(*verdict, v->lang);
    }
    out["denial_labels"] = labels;
    res.set_content(out.dump(), kJson);
  });
  // The arrivals chart: admissions per gate in bins of `bin` minutes over
  // the last `hours`.
  svr.Get("/api/arrivals", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    auto bin = ParseInt(req.has_param("bin") ? req.get_param_value("bin") : "5", 1, 60, "bin");
    auto hours =
        ParseInt(req.has_param("hours") ? req.get_param_value("hours") : "6", 1, 72, "hours");
    if (!bin.ok() || !hours.ok()) {
      Give(*v);
      return JsonError(res, !bin.ok() ? bin.status() : hours.status());
    }
    const auto since = host_.clock->Now() - std::chrono::hours(*hours);
    auto bins = v->store->ArrivalsSince(FormatUtc(since), std::chrono::minutes(*bin));
    Give(*v);
    if (!bins.ok()) return JsonError(res, bins.status());
    nlohmann::json list = nlohmann::json::array();
    for (const db::ArrivalBin& b : *bins) {
      list.push_back({{"start", b.start_s}, {"gate", b.gate}, {"count", b.count}});
    }
    const int64_t from_s =
        std::chrono::duration_cast<std::chrono::seconds>(since.time_since_epoch()).count();
    res.set_content(
        nlohmann::json{
            {"bin_minutes", *bin}, {"from", from_s / (*bin * 60) * (*bin * 60)}, {"bins", list}}
            .dump(),
        kJson);
  });
  // Stations online or not, their replica lag and outbox, for organizers.
  svr.Get("/api/stations", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kAdmin}, false);
    if (!v) return;
    auto devices = v->store->DeviceStatuses();
    Give(*v);
    if (!devices.ok()) return JsonError(res, devices.status());
    std::vector<JsonObject> items;
    for (const db::DeviceStatus& d : *devices) {
      if (d.device.state == db::DeviceState::kPaired) items.push_back(db::DeviceStatusJson(d));
    }
    res.set_content(DumpArray(items), kJson);
  });
  svr.Post("/api/checkin", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    const auto id = AttendeeId(req, res, *v);
    if (!id) return;
    RedeemRequest r;
    r.attendee_id = *id;
    r.gate = req.has_param("gate") ? req.get_param_value("gate") : kDefaultGate;
    r.station = v->station();
    r.source = ScanSource::kManual;
    // The page's nonce makes a retried click the same check-in.
    const std::string nonce = req.get_param_value("nonce");
    r.nonce = nonce.size() == 36 ? nonce : RandomUuid();
    auto event = v->store->service().Event();
    auto d = v->store->service().Redeem(r);
    Give(*v);
    if (!d.ok()) return JsonError(res, d.status());
    host_.ring();
    auto out = nlohmann::json::parse(Encode(*d));
    out["label"] = VerdictLabel(d->verdict, v->lang);
    out["message"] = VolunteerMessage(*d, v->lang, event.ok() ? event->timezone : "UTC");
    res.set_content(out.dump(), kJson);
  });
  svr.Post("/api/undo", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    const auto id = AttendeeId(req, res, *v);
    if (!id) return;
    UndoRequest u;
    u.target = UndoRequest::Target::kAttendee;
    u.attendee_id = *id;
    // The desk says why: the log is read afterwards by people who were not there.
    u.reason = std::string(Trim(req.get_param_value("reason")));
    if (u.reason.empty()) {
      Give(*v);
      return JsonError(res, 400,
                       Localized(v->lang, "diga por qué se deshace el ingreso",
                                 "say why the check-in is undone"));
    }
    u.station = v->station();
    auto undone = v->store->service().Undo(u);
    Give(*v);
    if (!undone.ok()) return JsonError(res, undone.status());
    host_.ring();
    res.set_content(Encode(*undone), kJson);
  });
}

// The desk's roster edits: a walk-in (registered, admitted, badge queued in
// one go, as the volunteer expects), a corrected name, and the history.
void WebRoutes::RouteDeskEdits(httplib::Server& svr) {
  svr.Post("/api/walkin", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    db::WalkIn w{req.get_param_value("first_name"), req.get_param_value("last_name"),
                 req.get_param_value("email"), req.get_param_value("company"),
                 req.get_param_value("ticket_type")};
    auto attendee = v->store->RegisterWalkIn(w);
    if (!attendee.ok()) {
      Give(*v);
      return JsonError(res, attendee.status());
    }
    host_.ring();
    RedeemRequest r;
    r.attendee_id = attendee->id;
    r.gate = req.has_param("gate") ? req.get_param_value("gate") : kDefaultGate;
    r.station = v->station();
    r.source = ScanSource::kManual;
    auto event = v->store->service().Event();
    auto d = v->store->service().Redeem(r);
    if (!d.ok()) {
      Give(*v);
      return JsonError(res, d.status());
    }
    auto job = d->verdict == Verdict::kAdmitted
                   ? v->store->service().EnqueueBadge(attendee->id, r.station)
                   : Result<int64_t>(Status::InvalidInput("not admitted"));
    Give(*v);
    auto out = nlohmann::json::parse(Encode(*d));
    out["label"] = VerdictLabel(d->verdict, v->lang);
    out["message"] = VolunteerMessage(*d, v->lang, event.ok() ? event->timezone : "UTC");
    if (job.ok()) {
      out["badge_job"] = *job;
    } else {
      out["badge_job"] = nullptr;
      out["badge_error"] = job.status().message();
    }
    res.set_content(out.dump(), kJson);
  });
  svr.Post("/api/name", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    const auto id = AttendeeId(req, res, *v);
    if (!id) return;
    auto a = v->store->CorrectName(*id, req.get_param_value("first_name"),
                                   req.get_param_value("last_name"));
    Give(*v);
    if (!a.ok()) return JsonError(res, a.status());
    host_.ring();
    res.set_content(Encode(std::optional<Attendee>(*a)), kJson);
  });
  svr.Get("/api/history", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kDesk, Role::kAdmin}, false);
    if (!v) return;
    const auto id = AttendeeId(req, res, *v);
    if (!id) return;
    auto rows = v->store->AttendeeHistory(*id, 200);
    Give(*v);
    if (!rows.ok()) return JsonError(res, rows.status());
    nlohmann::json list = nlohmann::json::array();
    for (const db::LoggedCheckin& c : *rows) {
      std::string label;
      if (auto verdict = ParseVerdict(c.verdict)) label = VerdictLabel(*verdict, v->lang);
      list.push_back({{"at", c.at},
                      {"gate", c.gate},
                      {"station", c.station},
                      {"direction", DirectionName(c.direction)},
                      {"kind", c.kind},
                      {"verdict", c.verdict},
                      {"label", label},
                      {"reason", c.reason},
                      {"offline", c.offline}});
    }
    res.set_content(list.dump(), kJson);
  });
}

// Server-sent events: "change" whenever anything was written through this
// hub, so the pages fetch again without reloading.
void WebRoutes::RouteEvents(httplib::Server& svr) {
  svr.Get("/api/events", [this](const httplib::Request& req, httplib::Response& res) {
    auto v = Admit(req, res, {Role::kScan, Role::kDesk, Role::kPrint, Role::kAdmin}, false);
    if (!v) return;
    Give(*v);
    auto seen = std::make_shared<uint64_t>(host_.wait_for_change(0, std::chrono::milliseconds(0)));
    auto first = std::make_shared<bool>(true);
    res.set_chunked_content_provider(
        "text/event-stream", [this, seen, first](size_t, httplib::DataSink& sink) {
          if (*first) {
            *first = false;
            const std::string hello = "retry: 1000\nevent: change\ndata: 0\n\n";
            return sink.write(hello.data(), hello.size());
          }
          for (int i = 0; i < kPingEveryS; ++i) {
            if (host_.stopping()) {
              sink.done();
              return true;
            }
            const uint64_t now = host_.wait_for_change(*seen, std::chrono::seconds(1));
            if (now != *seen) {
              *seen = now;
              const std::string msg = "event: change\ndata: " + std::to_string(now) + "\n\n";
              return sink.write(msg.data(), msg.size());
            }
          }
          const std::string ping = ": ping\n\n";
          return sink.write(ping.data(), ping.size());
        });
  });
}

void WebRoutes::Route(httplib::Server& svr) {
  RouteLogin(svr);
  RouteDesk(svr);
  RouteDeskEdits(svr);
  RouteEvents(svr);
  RouteDevicePages(svr, *this);
  RoutePrintPages(svr, *this);
}

}  // namespace

std::unique_ptr<WebPages> RouteWebPages(httplib::Server& svr, WebHost host) {
  auto routes = std::make_unique<WebRoutes>(std::move(host));
  routes->Route(svr);
  return routes;
}

}  // namespace checkin::hub
