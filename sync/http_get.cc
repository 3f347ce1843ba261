#include "sync/http_get.h"

#include <arpa/inet.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "common/text.h"

namespace checkin::sync {
namespace {

class ThreadSleeper final : public Sleeper {
 public:
  void Sleep(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

struct Reply {
  int status = 0;  // 0: no HTTP answer
  std::string body;
  std::string retry_after;
  std::string wanted;  // the header the caller asked for
  bool too_big = false;
  std::string transport_error;
};

// Each platform explains a 4xx in its JSON body: pretix (Django REST
// framework) in {"detail"}, Eventbrite in {"error", "error_description"},
// Sympla in {"message"}. A short excerpt helps the organizer, a whole HTML
// error page would not.
std::string Detail(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return "";
  for (const char* key : {"detail", "error_description", "message"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) continue;
    std::string d = it->get<std::string>();
    if (d.size() > 200) d.resize(200);
    return " (\"" + d + "\")";
  }
  return "";
}

std::optional<std::chrono::seconds> ParseRetryAfter(const std::string& v) {
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), ::isdigit)) {
    return std::nullopt;  // an HTTP date: fall back to our own backoff
  }
  return std::chrono::seconds(std::stol(v));
}

}  // namespace

Sleeper& RealSleeper() {
  static ThreadSleeper s;
  return s;
}

std::string Url::Origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Url> ParseUrl(const std::string& url) {
  Url u;
  const auto sep = url.find("://");
  if (sep == std::string::npos) return Status::InvalidInput("'" + url + "' is not an http(s) URL");
  u.scheme = url.substr(0, sep);
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), ::tolower);
  if (u.scheme != "https" && u.scheme != "http") {
    return Status::InvalidInput("'" + RedactUrl(url) + "' is not an http(s) URL");
  }
  const auto start = sep + 3;
  const auto slash = url.find_first_of("/?", start);
  std::string authority = url.substr(start, slash == std::string::npos ? slash : slash - start);
  u.target = slash == std::string::npos ? "/" : url.substr(slash);
  if (!u.target.empty() && u.target[0] == '?') u.target = "/" + u.target;
  if (authority.find('@') != std::string::npos) {
    return Status::InvalidInput("'" + RedactUrl(url) + "': credentials belong in token_file");
  }
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return Status::InvalidInput("'" + url + "': bad IPv6 host");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return Status::InvalidInput("'" + RedactUrl(url) + "' names no host");
  u.port = u.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
        std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return Status::InvalidInput("'" + RedactUrl(url) + "' has a bad port");
    }
    u.port = std::stoi(port);
  }
  // The token travels in every request: in clear only to this very machine.
  if (u.scheme == "http" && !IsLoopback(u.host)) {
    return Status::InvalidInput("'" + RedactUrl(url) +
                                "': plain http is allowed only on loopback; use https");
  }
  return u;
}

HttpGetter::HttpGetter(Credential credential, const Clock& clock, Sleeper& sleeper,
                       HttpOptions options)
    : credential_(std::move(credential)),
      clock_(clock),
      sleeper_(sleeper),
      options_(options),
      started_(clock.Monotonic()) {}

Status WithoutToken(Status s, const std::string& token) {
  if (s.ok() || token.empty()) return s;
  std::string m = s.message();
  for (auto at = m.find(token); at != std::string::npos; at = m.find(token, at)) {
    m.replace(at, token.size(), "***");
  }
  return Status::FromCode(s.code(), std::move(m));
}

Status HttpGetter::Scrub(Status s) const { return WithoutToken(std::move(s), credential_.token); }

namespace {

// One request: a GET, or a POST of `json` when given.
Reply SendOnce(const Url& u, const Credential& cred, const HttpOptions& o, const char* header,
               const std::string* json) {
  Reply r;
  httplib::Client client(u.Origin());
  client.set_connection_timeout(o.connect_timeout);
  client.set_read_timeout(o.read_timeout);
  client.set_write_timeout(o.read_timeout);
  const httplib::Headers headers = {{cred.header, cred.prefix + cred.token},
                                    {"Accept", "application/json"},
                                    {"User-Agent", "checkin-sync"}};
  if (json != nullptr) {
    auto result = client.Post(u.target, headers, *json, "application/json");
    if (!result) {
      r.transport_error = httplib::to_string(result.error());
      return r;
    }
    r.status = result->status;
    r.retry_after = result->get_header_value("Retry-After");
    if (result->body.size() > o.max_body_bytes) {
      r.too_big = true;
    } else {
      r.body = std::move(result->body);
    }
    return r;
  }
  auto result = client.Get(
      u.target, headers,
      [&](const httplib::Response& res) {
        r.status = res.status;
        r.retry_after = res.get_header_value("Retry-After");
        if (header != nullptr) r.wanted = res.get_header_value(header);
        // Refuse early when the server announces the size.
        const auto len = res.get_header_value("Content-Length");
        const bool digits =
            !len.empty() && len.size() < 19 && std::all_of(len.begin(), len.end(), ::isdigit);
        if (digits && std::stoull(len) > o.max_body_bytes) {
          return !(r.too_big = true);
        }
        return true;
      },
      [&](const char* data, size_t n) {
        if (r.body.size() + n > o.max_body_bytes) return !(r.too_big = true);
        r.body.append(data, n);
        return true;
      });
  if (!result && !r.too_big) {
    r.status = 0;
    r.transport_error = httplib::to_string(result.error());
  }
  // httplib hands only a success's body to the receiver above; an error's
  // lands in the response, where Detail() reads the platform's explanation.
  if (result && r.status != 200 && r.body.empty()) r.body = result->body.substr(0, 64u << 10);
  return r;
}

}  // namespace

Result<std::string> HttpGetter::Get(const std::string& url, const char* header,
                                    std::string* value) {
  auto r = Send(url, nullptr, header, /*answers_4xx=*/false);
  if (!r.ok()) return r.status();
  if (value != nullptr) *value = std::move(r->header_value);
  return std::move(r->body);
}

Result<HttpReply> HttpGetter::Post(const std::string& url, const std::string& json) {
  return Send(url, &json, nullptr, /*answers_4xx=*/true);
}

Result<HttpReply> HttpGetter::Send(const std::string& url, const std::string* json,
                                   const char* header, bool answers_4xx) {
  auto u = ParseUrl(url);
  if (!u.ok()) return Scrub(u.status());
  const std::string shown = RedactUrl(url);
  auto backoff = options_.first_backoff;
  std::string last;
  for (int attempt = 1;; ++attempt) {
    Reply r = SendOnce(*u, credential_, options_, header, json);
    if (r.too_big) {
      return Scrub(Status::InvalidInput(shown + ": the answer is larger than " +
                                        std::to_string(options_.max_body_bytes >> 20) +
                                        " MB; refused"));
    }
    if (r.status == 200 || (answers_4xx && r.status >= 200 && r.status < 300)) {
      return HttpReply{r.status, std::move(r.body), std::move(r.wanted)};
    }
    // Refusals a caller reads (a check-in pretix will not take) are answers;
    // a token refused is the pass's failure all the same.
    if (answers_4xx && r.status >= 400 && r.status < 500 && r.status != 401 && r.status != 403 &&
        r.status != 429) {
      return HttpReply{r.status, std::move(r.body), std::move(r.wanted)};
    }
    std::chrono::milliseconds wait = backoff;
    if (r.status == 0) {
      last = "could not be reached (" + r.transport_error + ")";
    } else if (r.status == 429) {
      last = "answered HTTP 429 (too many requests)";
      if (auto ra = ParseRetryAfter(r.retry_after)) {
        if (*ra > options_.max_retry_after) {
          return Scrub(Status::Unavailable(
              shown + " " + last + " and asks to wait " + std::to_string(ra->count()) +
              " s, longer than a pass waits (" + std::to_string(options_.max_retry_after.count()) +
              " s); try again later"));
        }
        wait = *ra;
      }
    } else if (r.status >= 500) {
      last = "answered HTTP " + std::to_string(r.status) + " (a server error)";
    } else if (r.status == 401) {
      return Scrub(Status::InvalidInput(
          shown + " answered HTTP 401: the token is wrong or expired" + Detail(r.body)));
    } else if (r.status == 403) {
      // pretix answers 403 both for a token without permission and for an
      // organizer or event that does not exist.
      return Scrub(Status::InvalidInput(
          shown +
          " answered HTTP 403: the token is wrong or expired, may not read this event, or"
          " the organizer or event does not exist" +
          Detail(r.body)));
    } else if (r.status == 404) {
      return Scrub(Status::NotFound(shown + " answered HTTP 404: not found" + Detail(r.body)));
    } else {
      return Scrub(Status::InvalidInput(shown + " answered HTTP " + std::to_string(r.status) +
                                        Detail(r.body)));
    }
    const bool over_budget = clock_.Monotonic() + wait - started_ > options_.retry_budget;
    if (attempt >= options_.max_attempts || over_budget) {
      return Scrub(Status::Unavailable(shown + " " + last + "; gave up after " +
                                       std::to_string(attempt) + " attempts"));
    }
    sleeper_.Sleep(wait);
    backoff *= 2;
  }
}

}  // namespace checkin::sync
