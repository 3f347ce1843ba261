#include "hub/door_server.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "common/number.h"
#include "common/random.h"
#include "db/secret_hash.h"
#include "hub/web_http.h"
#include "web/page.h"

namespace checkin::hub {
namespace {

constexpr const char* kCookie = "checkin_door";
constexpr const char* kCsrfHeader = "X-Checkin-CSRF";
constexpr const char* kJson = "application/json";
constexpr const char* kBoundary = "checkinframe";
constexpr size_t kEventsKept = 32;
constexpr size_t kMaxCodeBytes = 2048;
// An open stream says something this often even when nothing happens, so a
// closed tab is noticed and its thread freed.
constexpr auto kPingEvery = std::chrono::seconds(15);
constexpr auto kAwayPoll = std::chrono::milliseconds(250);

bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

// "HOST:PORT" (or "[::1]:PORT") into host and port, loopback only: the door
// screen is plain HTTP, so it must never be reachable from the venue LAN.
Status ParseListen(const std::string& listen, Language lang, std::string& host, int& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Status::InvalidInput(Localized(lang, "--ui pide HOST:PUERTO, como 127.0.0.1:8080 (no '",
                                          "--ui wants HOST:PORT, like 127.0.0.1:8080 (got '") +
                                listen + "')");
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!IsLoopback(host))
    return Status::InvalidInput(
        Localized(lang,
                  "--ui sirve HTTP sin cifrar, así que solo en esta máquina: use "
                  "127.0.0.1:PUERTO, no '",
                  "--ui serves plain HTTP, so only on this machine: use 127.0.0.1:PORT, not '") +
        host + "'");
  auto p = ParseInt(listen.substr(colon + 1), 0, 65535, "--ui port");
  if (!p.ok()) return p.status();
  port = static_cast<int>(*p);
  return Status::Ok();
}

// Nothing the door serves is worth caching: the page carries a CSRF value.
void HardenDoor(httplib::Response& res) {
  Harden(res);
  res.set_header("Cache-Control", "no-store");
}

std::string Sse(const char* event, const nlohmann::json& data) {
  return std::string("event: ") + event + "\ndata: " + data.dump() + "\n\n";
}

class DoorServerImpl final : public DoorServer {
 public:
  explicit DoorServerImpl(DoorServerOptions o)
      : options_(std::move(o)),
        secret_(RandomBase32(32)),
        session_(RandomBase32(32)),
        csrf_(RandomBase32(32)) {}
  ~DoorServerImpl() override;

  Status Listen();

  std::string LoginUrl() const override {
    return "http://" + url_host_ + ":" + std::to_string(port_) + "/login?t=" + secret_;
  }
  int Port() const override { return port_; }
  void PublishDecision(const DoorDecision& d) override;
  void PublishCount(int64_t entries) override;
  void PublishFrame(std::string jpeg) override;
  bool WantsFrames() const override { return viewers_.load() > 0; }

 private:
  // False after answering 401: the streams and the JSON need the session.
  bool Admit(const httplib::Request& req, httplib::Response& res) const {
    HardenDoor(res);
    if (LoggedIn(req)) return true;
    JsonError(res, 401,
              Localized(options_.lang, "abra el enlace que imprimió checkin scan",
                        "open the link checkin scan printed"));
    return false;
  }
  bool LoggedIn(const httplib::Request& req) const {
    std::lock_guard lock(mu_);
    return spent_ && db::SameSecret(CookieValue(req, kCookie), session_);
  }
  void Route();
  void RouteLogin();    // the one-time link and the assets
  void RoutePage();     // the page and the handheld box's POST
  void RouteStreams();  // events and camera
  void Push(const char* event, const nlohmann::json& data);
  std::string Snapshot() const;  // under mu_
  nlohmann::json AwayJson(bool away) const {
    return {{"away", away}, {"line", away ? HubAwayLine(options_.lang) : ""}};
  }
  void PollAway();

  const DoorServerOptions options_;
  const std::string secret_, session_, csrf_;
  std::string url_host_;
  int port_ = 0;
  httplib::Server svr_;
  std::thread serve_, poll_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool spent_ = false;
  uint64_t seq_ = 0;
  std::deque<std::pair<uint64_t, std::string>> events_;
  std::optional<nlohmann::json> last_decision_, count_;
  bool away_ = false;
  std::shared_ptr<const std::string> frame_;
  uint64_t frame_seq_ = 0;
  std::atomic<int> viewers_{0};
};

DoorServerImpl::~DoorServerImpl() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  svr_.stop();
  if (serve_.joinable()) serve_.join();
  if (poll_.joinable()) poll_.join();
}

Status DoorServerImpl::Listen() {
  std::string host;
  if (Status s = ParseListen(options_.listen, options_.lang, host, port_); !s.ok()) return s;
  url_host_ = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  // Each open event or camera stream holds a thread; a door has one screen,
  // and a reload may leave the old streams open for a moment.
  svr_.new_task_queue = [] { return new httplib::ThreadPool(12); };
  Route();
  if (port_ == 0) {
    port_ = svr_.bind_to_any_port(host);
  } else if (!svr_.bind_to_port(host, port_)) {
    port_ = -1;
  }
  if (port_ < 0)
    return Status::Unavailable(
        Localized(options_.lang, "la pantalla de la puerta no puede escuchar en ",
                  "the door screen cannot listen on ") +
        options_.listen + Localized(options_.lang, " (¿puerto ocupado?)", " (is the port taken?)"));
  serve_ = std::thread([this] { svr_.listen_after_bind(); });
  if (options_.hub_away) poll_ = std::thread([this] { PollAway(); });
  return Status::Ok();
}

void DoorServerImpl::PollAway() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const bool away = options_.hub_away();
    lock.lock();
    if (away != away_) {
      away_ = away;
      lock.unlock();
      Push("away", AwayJson(away));
      lock.lock();
    }
    cv_.wait_for(lock, kAwayPoll, [this] { return stopping_; });
  }
}

void DoorServerImpl::Push(const char* event, const nlohmann::json& data) {
  {
    std::lock_guard lock(mu_);
    events_.emplace_back(++seq_, Sse(event, data));
    if (events_.size() > kEventsKept) events_.pop_front();
    if (std::string(event) == "decision") last_decision_ = data;
    if (std::string(event) == "count") count_ = data;
  }
  cv_.notify_all();
}

void DoorServerImpl::PublishDecision(const DoorDecision& d) {
  Push("decision", {{"verdict", d.verdict},
                    {"tone", d.tone},
                    {"label", d.label},
                    {"name", d.name},
                    {"ticket_type", d.ticket_type},
                    {"detail", d.detail},
                    {"at", d.at},
                    {"offline", d.offline}});
}

void DoorServerImpl::PublishCount(int64_t entries) {
  Push("count", {{"entries", entries}, {"gate", options_.gate}});
}

void DoorServerImpl::PublishFrame(std::string jpeg) {
  {
    std::lock_guard lock(mu_);
    frame_ = std::make_shared<const std::string>(std::move(jpeg));
    ++frame_seq_;
  }
  cv_.notify_all();
}

// What a screen that just connected must know: the band, the count and the
// last verdict (marked, so it makes no sound again).
std::string DoorServerImpl::Snapshot() const {
  std::string out = "retry: 1000\n\n" + Sse("away", AwayJson(away_));
  if (count_) out += Sse("count", *count_);
  if (last_decision_) {
    nlohmann::json d = *last_decision_;
    d["replay"] = true;
    out += Sse("decision", d);
  }
  return out;
}

void DoorServerImpl::Route() {
  RouteLogin();
  RoutePage();
  RouteStreams();
}

void DoorServerImpl::RouteLogin() {
  svr_.Get("/login", [this](const httplib::Request& req, httplib::Response& res) {
    HardenDoor(res);
    const Language lang = options_.lang;
    std::string error;
    if (req.has_param("t")) {
      std::lock_guard lock(mu_);
      if (!spent_ && db::SameSecret(req.get_param_value("t"), secret_)) {
        spent_ = true;
        // HttpOnly: no script reads it; Strict: no other site's page sends it.
        res.set_header("Set-Cookie", std::string(kCookie) + "=" + session_ +
                                         "; Path=/; HttpOnly; SameSite=Strict");
        res.status = 303;
        res.set_header("Location", "/door");
        return;
      }
      error = Localized(lang,
                        "este enlace ya se usó o no es válido: reinicie checkin scan --ui para "
                        "tener otro",
                        "this link was used already or is not valid: restart checkin scan --ui "
                        "for another");
      res.status = 403;
    }
    const auto tpl = web::FindAsset("door_login.html");
    res.set_content(web::FillTemplate(tpl ? tpl->bytes : "", lang, {{"error", error}}),
                    "text/html; charset=utf-8");
  });
  svr_.Get(R"(/assets/(door[a-z0-9_-]*\.(css|js)))",
           [](const httplib::Request& req, httplib::Response& res) {
             HardenDoor(res);
             const auto asset = web::FindAsset(req.matches[1].str());
             if (!asset) {
               res.status = 404;
               return;
             }
             res.set_content(std::string(asset->bytes), std::string(asset->content_type));
           });
}

void DoorServerImpl::RoutePage() {
  svr_.Get("/door", [this](const httplib::Request& req, httplib::Response& res) {
    HardenDoor(res);
    if (!LoggedIn(req)) {
      res.status = 303;
      res.set_header("Location", "/login");
      return;
    }
    const auto tpl = web::FindAsset("door.html");
    const Language lang = options_.lang;
    res.set_content(web::FillTemplate(tpl ? tpl->bytes : "", lang,
                                      {{"csrf", csrf_},
                                       {"lang", lang == Language::kSpanish ? "es" : "en"},
                                       {"gate", options_.gate},
                                       {"handheld", options_.redeem ? "1" : ""},
                                       {"camera", options_.camera ? "1" : ""}}),
                    "text/html; charset=utf-8");
  });
  svr_.Post("/door/redeem", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res)) return;
    const Language lang = options_.lang;
    const std::string origin = req.get_header_value("Origin");
    const std::string host = req.get_header_value("Host");
    if ((!origin.empty() && origin != "http://" + host) ||
        !db::SameSecret(req.get_header_value(kCsrfHeader), csrf_))
      return JsonError(res, 403,
                       Localized(lang, "petición rechazada: recargue la página",
                                 "request refused: reload the page"));
    const std::string code = req.get_param_value("code");
    if (code.empty() || code.size() > kMaxCodeBytes)
      return JsonError(
          res, 400, Localized(lang, "código vacío o demasiado largo", "empty or too long a code"));
    if (!options_.redeem)
      return JsonError(res, 404,
                       Localized(lang, "esta estación no acepta códigos escritos",
                                 "this station takes no typed codes"));
    if (Status s = options_.redeem(code); !s.ok())
      return JsonError(res, s.code() == StatusCode::kInvalidInput ? 400 : 503, s.message());
    res.status = 202;
    res.set_content(R"({"queued":true})", kJson);
  });
}

void DoorServerImpl::RouteStreams() {
  svr_.Get("/door/events", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res)) return;
    auto seen = std::make_shared<std::optional<uint64_t>>();
    res.set_chunked_content_provider("text/event-stream", [this, seen](size_t,
                                                                       httplib::DataSink& sink) {
      std::unique_lock lock(mu_);
      if (!*seen) {
        *seen = seq_;
        const std::string hello = Snapshot();
        lock.unlock();
        return sink.write(hello.data(), hello.size());
      }
      const bool news = cv_.wait_for(lock, kPingEvery, [&] { return stopping_ || seq_ != **seen; });
      if (stopping_) {
        lock.unlock();
        sink.done();
        return true;
      }
      std::string out = ": ping\n\n";
      if (news) {
        out.clear();
        for (const auto& [n, text] : events_)
          if (n > **seen) out += text;
        *seen = seq_;
      }
      lock.unlock();
      return sink.write(out.data(), out.size());
    });
  });
  svr_.Get("/door/camera.mjpg", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res)) return;
    ++viewers_;
    auto seen = std::make_shared<uint64_t>(0);
    res.set_chunked_content_provider(
        std::string("multipart/x-mixed-replace; boundary=") + kBoundary,
        [this, seen](size_t, httplib::DataSink& sink) {
          std::unique_lock lock(mu_);
          cv_.wait_for(lock, kPingEvery, [&] { return stopping_ || frame_seq_ != *seen; });
          if (stopping_) {
            lock.unlock();
            sink.done();
            return true;
          }
          if (frame_seq_ == *seen || !frame_) return true;  // nothing new yet
          *seen = frame_seq_;
          const auto jpeg = frame_;
          lock.unlock();
          const std::string head =
              std::string("--") + kBoundary +
              "\r\nContent-Type: image/jpeg\r\nContent-Length: " + std::to_string(jpeg->size()) +
              "\r\n\r\n";
          return sink.write(head.data(), head.size()) && sink.write(jpeg->data(), jpeg->size()) &&
                 sink.write("\r\n", 2);
        },
        [this](bool) { --viewers_; });
  });
}

}  // namespace

Result<std::unique_ptr<DoorServer>> DoorServer::Start(DoorServerOptions options) {
  auto server = std::make_unique<DoorServerImpl>(std::move(options));
  if (Status s = server->Listen(); !s.ok()) return s;
  return std::unique_ptr<DoorServer>(std::move(server));
}

}  // namespace checkin::hub
