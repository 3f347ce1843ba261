// Fetching JSON pages from a registration platform's API: https only (plain
// http on loopback), bounded in size, time and retries. Time passes only
// through Clock and Sleeper, so tests drive retries without waiting.
// An HttpGetter is not thread-safe; use one per sync pass.
#pragma once

#include <chrono>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace checkin::sync {

// Waits. The real one sleeps the thread; tests advance a fake clock.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void Sleep(std::chrono::milliseconds d) = 0;
};
Sleeper& RealSleeper();

struct HttpOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{30};
  size_t max_body_bytes = 20u << 20;
  int max_attempts = 5;  // per page: 429, 5xx and connection errors retry
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::seconds max_retry_after{300};  // a longer Retry-After fails the pass
  std::chrono::seconds retry_budget{600};     // all waits of one getter together
};

// An absolute URL split for a request. InvalidInput unless https, or http on
// a loopback address (127.0.0.0/8, ::1, localhost).
struct Url {
  std::string scheme, host;
  int port = 0;
  std::string target;  // path and query
  std::string Origin() const;
};
Result<Url> ParseUrl(const std::string& url);

// How a platform wants its API token: pretix "Authorization: Token T",
// Eventbrite "Authorization: Bearer T", Sympla "s_token: T".
struct Credential {
  std::string header = "Authorization";
  std::string prefix = "Token ";
  std::string token;  // appears in no message
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::string header_value;  // the response header Get was asked for
};

// `s` with every occurrence of `token` in its message replaced by "***": the
// last guard before a platform's words reach a message, log or --status.
Status WithoutToken(Status s, const std::string& token);

class HttpGetter {
 public:
  HttpGetter(Credential credential, const Clock& clock, Sleeper& sleeper, HttpOptions options = {});

  // The 200 body of `url`. Errors: InvalidInput (bad URL, 401/403/404 and
  // other 4xx, a body over the cap), Unavailable (timeouts, refused, 5xx and
  // 429 after the retries). Messages name the URL and status, never the token.
  // `header`, when given, names a response header whose value goes to `value`.
  Result<std::string> Get(const std::string& url, const char* header = nullptr,
                          std::string* value = nullptr);

  // POSTs `json` to `url`, retrying as Get does (safe only for requests the
  // server deduplicates, such as pretix's redeem with a nonce). Any 2xx, and
  // any 4xx but 401, 403 and 429, is an answer for the caller to read; the
  // rest fail as in Get.
  Result<HttpReply> Post(const std::string& url, const std::string& json);

 private:
  Status Scrub(Status s) const;
  Result<HttpReply> Send(const std::string& url, const std::string* json, const char* header,
                         bool answers_4xx);

  Credential credential_;
  const Clock& clock_;
  Sleeper& sleeper_;
  HttpOptions options_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace checkin::sync
