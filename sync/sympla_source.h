// The roster of one Sympla event, read from Sympla's public API v3: the
// event's participants, page by page. Sympla's participant list has no
// filter by change time, so every pass reads the whole event (cursor() is
// always ""). One Fetch() at a time per source.
#pragma once

#include <string>

#include "common/clock.h"
#include "sync/http_get.h"
#include "sync/platform.h"

namespace checkin::sync {

struct SymplaOptions {
  std::string url = "https://api.sympla.com.br/";  // the API's base URL
  std::string event;                               // the numeric event id
  std::string token;  // the account's access key (s_token); appears in no message
  std::string source = "sympla";
  int page_size = 200;  // the largest page Sympla serves
  int max_pages = 1000;
  HttpOptions http;
};

class SymplaSource final : public PlatformSource {
 public:
  SymplaSource(SymplaOptions options, const Clock& clock, Sleeper& sleeper);

  // Every participant of the event, all or nothing. Errors: InvalidInput
  // (bad config, token refused, malformed page, a QR code on two tickets, a
  // page that repeats or a list that never ends), NotFound (no such event),
  // Unavailable (unreachable or overloaded after retries).
  Result<db::RosterSnapshot> Fetch() override;
  std::string cursor() const override { return ""; }

 private:
  SymplaOptions options_;
  const Clock& clock_;
  Sleeper& sleeper_;
};

}  // namespace checkin::sync
