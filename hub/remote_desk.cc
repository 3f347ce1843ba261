#include "hub/remote_desk.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "common/clock.h"
#include "common/messages.h"
#include "common/number.h"
#include "common/pairing_code.h"
#include "hub/protocol.h"

namespace checkin::hub {

namespace {

constexpr const char* kJson = "application/json";

// What the verify callback needs: the pin, and whether the last handshake
// failed on it (to tell the volunteer why rather than "connection failed").
struct Pin {
  std::string fingerprint;
  std::atomic<bool> mismatch{false};
};

// OpenSSL's whole-chain check replaced by one comparison: the leaf
// certificate's SHA-256 must be the pinned one. A self-signed hub has no
// chain to build, and a certificate authority would add nothing the pin does
// not already say.
int CheckPin(X509_STORE_CTX* ctx, void* arg) {
  auto* pin = static_cast<Pin*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(ctx);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (leaf == nullptr || X509_digest(leaf, EVP_sha256(), md, &len) != 1) {
    pin->mismatch = true;
    return 0;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 15];
  }
  const bool ok = hex == pin->fingerprint;
  pin->mismatch = !ok;
  if (!ok) X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_REJECTED);
  return ok ? 1 : 0;
}

}  // namespace

Result<HubUrl> ParseHubUrl(const std::string& url, Language lang) {
  if (Status s = CheckHubUrl(url, lang); !s.ok()) return s;
  HubUrl out;
  std::string_view rest = url;
  if (rest.substr(0, 8) == "https://") {
    rest.remove_prefix(8);
  } else {
    out.https = false;
    out.port = 80;
    rest.remove_prefix(7);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) {
    return Status::InvalidInput(Localized(lang, "la URL del hub no debe llevar ruta: ",
                                          "the hub URL must not have a path: ") +
                                url);
  }
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    out.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() == ':') port = rest.substr(1);
  } else {
    const size_t colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (!port.empty()) {
    auto p = ParseInt(port, 1, 65535, "port");
    if (!p.ok()) {
      return Status::InvalidInput(
          Localized(lang, "puerto no válido en la URL del hub: ", "invalid port in the hub URL: ") +
          url);
    }
    out.port = static_cast<int>(*p);
  }
  return out;
}

struct RemoteDesk::Impl {
  Impl(RemoteOptions o, const Clock& c) : options(std::move(o)), clock(c) {
    pin.fingerprint = options.fingerprint;
  }

  RemoteOptions options;
  const Clock& clock;
  Pin pin;
  std::vector<HubUrl> urls;
  size_t current = 0;
  // Guards `client` against Interrupt() from another thread while this one
  // replaces it; the request itself runs outside the lock.
  std::mutex client_mu;
  std::unique_ptr<httplib::ClientImpl> client;
  std::atomic<int64_t> offset_ms{0};
  std::atomic<bool> has_offset{false};
  // When the kept connection last carried an answer, and how long the hub
  // said (its Keep-Alive header) it keeps an idle one, less a margin.
  std::chrono::steady_clock::time_point last_answer{};
  std::chrono::milliseconds hub_keeps{4000};

  // A connection the hub has closed for idleness is not reused: the request
  // written into it fails, and that failure would read as the hub being
  // away, so a door idle for a minute decided its next scan offline.
  void DropIfIdle() {
    if (clock.Monotonic() - last_answer < hub_keeps) return;
    std::lock_guard<std::mutex> lock(client_mu);
    client.reset();
  }

  void NoteKeepAlive(const httplib::Response& res) {
    last_answer = clock.Monotonic();
    const std::string v = res.get_header_value("Keep-Alive");
    const size_t at = v.find("timeout=");
    if (at == std::string::npos) return;
    const size_t end = v.find(',', at);
    auto s = ParseInt(v.substr(at + 8, end == std::string::npos ? end : end - at - 8), 1, 3600,
                      "Keep-Alive timeout");
    if (!s.ok()) return;
    // A second short, so a request sent just before the hub's timer runs
    // out is not the one that meets the closing.
    hub_keeps = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(500),
                                                    std::chrono::seconds(*s - 1));
  }

  httplib::ClientImpl& Client() {
    std::lock_guard<std::mutex> lock(client_mu);
    if (client) return *client;
    const HubUrl& u = urls[current];
    if (u.https) {
      auto ssl = std::make_unique<httplib::SSLClient>(u.host, u.port);
      // httplib's own check would look for a certificate authority; the pin
      // replaces it (CheckPin), set on the context every connection uses.
      ssl->enable_server_certificate_verification(false);
      SSL_CTX* ctx = ssl->ssl_context();
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
      SSL_CTX_set_cert_verify_callback(ctx, CheckPin, &pin);
      client = std::move(ssl);
    } else {
      client = std::make_unique<httplib::ClientImpl>(u.host, u.port);
    }
    const auto d = options.deadline;
    client->set_connection_timeout(d);
    client->set_read_timeout(d);
    client->set_write_timeout(d);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    httplib::Headers headers = {
        {kLanguageHeader, options.lang == Language::kSpanish ? "es" : "en"}};
    if (!options.token.empty()) headers.emplace("Authorization", "Bearer " + options.token);
    client->set_default_headers(std::move(headers));
    return *client;
  }

  std::string UrlText() const {
    const HubUrl& u = urls[current];
    const bool v6 = u.host.find(':') != std::string::npos;
    return std::string(u.https ? "https://" : "http://") + (v6 ? "[" + u.host + "]" : u.host) +
           ":" + std::to_string(u.port);
  }

  void NoteHubTime(const httplib::Response& res, std::chrono::system_clock::time_point sent) {
    const std::string v = res.get_header_value(kHubTimeHeader);
    auto hub_ms = ParseInt(v, INT64_MIN, INT64_MAX, kHubTimeHeader);
    if (!hub_ms.ok()) return;
    // The hub read its clock somewhere between sending and hearing back:
    // the midpoint halves the error the round trip adds.
    const auto now = clock.Now();
    const auto mid = sent + (now - sent) / 2;
    const int64_t mine =
        std::chrono::duration_cast<std::chrono::milliseconds>(mid.time_since_epoch()).count();
    offset_ms = *hub_ms - mine;
    has_offset = true;
  }

  // One request: POST with `body`, or GET with `params` when body is null.
  // Tries each URL once, starting with the one that answered last. `held`:
  // how long the hub may hold the answer on purpose, beyond the deadline.
  Result<std::string> Call(const char* path, const std::string* body,
                           const httplib::Params& params = {},
                           std::chrono::milliseconds held = std::chrono::milliseconds(0)) {
    Status last = Status::Unavailable("");
    for (size_t tried = 0; tried < urls.size(); ++tried) {
      const auto sent = clock.Now();
      pin.mismatch = false;
      DropIfIdle();
      httplib::ClientImpl& c = Client();
      c.set_read_timeout(options.deadline + held);
      httplib::Result res = body != nullptr
                                ? c.Post(path, *body, kJson)
                                : c.Get(path, params, httplib::Headers{}, httplib::Progress());
      c.set_read_timeout(options.deadline);
      if (res) {
        NoteHubTime(*res, sent);
        NoteKeepAlive(*res);
        if (res->status == 200) return std::move(res->body);
        auto err = Decode<WireError>(res->body);
        if (!err.ok()) {
          return Status::Internal(
              Localized(options.lang, "el hub respondió HTTP ", "the hub answered HTTP ") +
              std::to_string(res->status) +
              Localized(options.lang, " sin explicación", " without a reason"));
        }
        return Status::FromCode(err->code == StatusCode::kOk ? StatusCode::kInternal : err->code,
                                err->message);
      }
      if (pin.mismatch) {
        last = Status::Unavailable(Localized(
            options.lang,
            "el certificado del hub en " + UrlText() +
                " no es el del emparejamiento: no se le envía nada. Si el hub se reinstaló,"
                " empareje de nuevo",
            "the hub at " + UrlText() +
                " shows another certificate than the paired one: nothing is sent to it."
                " If the hub was set up again, pair again"));
      } else {
        last = Status::Unavailable(
            Localized(options.lang, "el hub no responde en ", "the hub does not answer at ") +
            UrlText() + " (" + httplib::to_string(res.error()) + ")");
      }
      // Another address may reach the same hub (Wi-Fi and cable).
      std::lock_guard<std::mutex> lock(client_mu);
      client.reset();
      current = (current + 1) % urls.size();
    }
    return last;
  }

  template <typename T>
  Result<T> Get(const char* path, const httplib::Params& params = {}) {
    auto body = Call(path, nullptr, params);
    if (!body.ok()) return body.status();
    return Decode<T>(*body);
  }
  template <typename T, typename Q>
  Result<T> Post(const char* path, const Q& request) {
    const std::string out = Encode(request);
    auto body = Call(path, &out);
    if (!body.ok()) return body.status();
    return Decode<T>(*body);
  }
};

RemoteDesk::RemoteDesk(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RemoteDesk::~RemoteDesk() = default;

Result<std::unique_ptr<RemoteDesk>> RemoteDesk::Connect(RemoteOptions options, const Clock& clock) {
  const Language lang = options.lang;
  if (options.urls.empty()) {
    return Status::InvalidInput(Localized(lang, "falta la URL del hub", "the hub URL is missing"));
  }
  auto impl = std::make_unique<Impl>(std::move(options), clock);
  bool any_https = false;
  for (const std::string& u : impl->options.urls) {
    auto parsed = ParseHubUrl(u, lang);
    if (!parsed.ok()) return parsed.status();
    any_https = any_https || parsed->https;
    impl->urls.push_back(*parsed);
  }
  if (any_https) {
    if (Status s = CheckFingerprint(impl->options.fingerprint, lang); !s.ok()) return s;
  }
  if (impl->options.deadline <= std::chrono::milliseconds(0)) {
    return Status::InvalidInput("deadline must be positive");
  }
  return std::unique_ptr<RemoteDesk>(new RemoteDesk(std::move(impl)));
}

Result<RemoteDesk::Paired> RemoteDesk::Pair(const std::string& secret) {
  auto p = impl_->Post<PairResponse>(path::kPair, PairRequest{secret});
  if (!p.ok()) return p.status();
  return Paired{p->device, std::string(RoleName(p->role)), p->token};
}

Result<db::Changes> RemoteDesk::Pull(const db::ChangeCursor& from, int limit, int64_t outbox,
                                     std::chrono::milliseconds wait) {
  auto body = impl_->Call(path::kChanges, nullptr,
                          {{"rev", std::to_string(from.rev)},
                           {"attendee", std::to_string(from.attendee_id)},
                           {"checkin", std::to_string(from.checkin_id)},
                           {"rules", std::to_string(from.rules_rev)},
                           {"limit", std::to_string(limit)},
                           {"outbox", std::to_string(outbox)},
                           {"wait_ms", std::to_string(wait.count())}},
                          wait);
  if (!body.ok()) return body.status();
  return Decode<db::Changes>(*body);
}

Result<WebLoginLink> RemoteDesk::OpenWebLogin() {
  const std::string none = "{}";
  auto body = impl_->Call(path::kWebLoginLink, &none);
  if (!body.ok()) return body.status();
  return Decode<WebLoginLink>(*body);
}

Result<report::Report> RemoteDesk::Report(const report::ReportRequest& req,
                                          std::chrono::milliseconds wait) {
  httplib::Params params = {{"bins", std::to_string(req.bin_minutes)},
                            {"names", req.names == report::Names::kListed ? "1" : "0"}};
  if (!req.day.empty()) params.emplace("day", req.day);
  auto body = impl_->Call(path::kReport, nullptr, params, wait);
  if (!body.ok()) return body.status();
  return report::ParseReportJson(*body, impl_->options.lang);
}

void RemoteDesk::Interrupt() {
  std::lock_guard<std::mutex> lock(impl_->client_mu);
  if (impl_->client) impl_->client->stop();
}

Result<std::vector<db::UploadOutcome>> RemoteDesk::Upload(
    const std::vector<db::LoggedCheckin>& batch, int64_t outbox_after) {
  auto answer = impl_->Post<UploadResponse>(path::kUpload, UploadRequest{batch, outbox_after});
  if (!answer.ok()) return answer.status();
  if (answer->outcomes.size() != batch.size()) {
    return Status::Internal("the hub answered an upload of " + std::to_string(batch.size()) +
                            " check-ins with " + std::to_string(answer->outcomes.size()) +
                            " outcomes");
  }
  return std::move(answer->outcomes);
}

std::optional<std::chrono::milliseconds> RemoteDesk::clock_offset() const {
  if (!impl_->has_offset) return std::nullopt;
  return std::chrono::milliseconds(impl_->offset_ms.load());
}

const std::string& RemoteDesk::url() const { return impl_->options.urls[impl_->current]; }

Result<EventInfo> RemoteDesk::Event() { return impl_->Get<EventInfo>(path::kEvent); }

Result<Decision> RemoteDesk::Redeem(const RedeemRequest& req) {
  return impl_->Post<Decision>(path::kRedeem, req);
}

Result<UndoResult> RemoteDesk::Undo(const UndoRequest& req) {
  return impl_->Post<UndoResult>(path::kUndo, req);
}

Result<std::vector<SearchHit>> RemoteDesk::Search(std::string_view query, int limit) {
  return impl_->Get<std::vector<SearchHit>>(
      path::kSearch, {{"q", std::string(query)}, {"limit", std::to_string(limit)}});
}

Result<std::optional<Attendee>> RemoteDesk::FindByCode(std::string_view code) {
  return impl_->Get<std::optional<Attendee>>(path::kAttendee, {{"code", std::string(code)}});
}

Result<std::optional<Attendee>> RemoteDesk::FindById(int64_t id) {
  return impl_->Get<std::optional<Attendee>>(path::kAttendee, {{"id", std::to_string(id)}});
}

Result<Stats> RemoteDesk::ComputeStats(const StatsRequest& req) {
  httplib::Params params;
  if (req.since) params.emplace("since", FormatUtc(*req.since));
  return impl_->Get<Stats>(path::kStats, params);
}

Result<int64_t> RemoteDesk::EnqueueBadge(int64_t attendee_id, const std::string& station) {
  auto id = impl_->Post<JobId>(path::kPrintEnqueue, EnqueueRequest{attendee_id, station});
  if (!id.ok()) return id.status();
  return id->id;
}

Result<std::optional<PrintJob>> RemoteDesk::ClaimPrintJob(const std::string& worker,
                                                          const std::string& printer) {
  return impl_->Post<std::optional<PrintJob>>(path::kPrintClaim, ClaimRequest{worker, printer});
}

Result<std::vector<PrintJob>> RemoteDesk::ClaimedPrintJobs(const std::string& worker) {
  return impl_->Get<std::vector<PrintJob>>(path::kPrintClaimed, {{"worker", worker}});
}

Status RemoteDesk::ReportPrintJob(int64_t job_id, const PrintReport& report) {
  const std::string out = Encode(ReportRequest{job_id, report});
  auto body = impl_->Call(path::kPrintReport, &out);
  return body.ok() ? Status::Ok() : body.status();
}

Result<QueueCounts> RemoteDesk::PrintQueueCounts() {
  return impl_->Get<QueueCounts>(path::kPrintCounts);
}

Result<std::vector<PrintJob>> RemoteDesk::RecentPrintJobs(int limit) {
  return impl_->Get<std::vector<PrintJob>>(path::kPrintRecent, {{"limit", std::to_string(limit)}});
}

Result<bool> RemoteDesk::ReportPrinter(const PrinterReport& report) {
  auto held = impl_->Post<PrinterHeld>(path::kPrintPrinter, report);
  if (!held.ok()) return held.status();
  return held->held;
}

}  // namespace checkin::hub
