#include "sync/sympla_source.h"

#include "sync/source_common.h"
#include "sync/sympla_json.h"

namespace checkin::sync {

SymplaSource::SymplaSource(SymplaOptions options, const Clock& clock, Sleeper& sleeper)
    : options_(std::move(options)), clock_(clock), sleeper_(sleeper) {}

Result<db::RosterSnapshot> SymplaSource::Fetch() {
  if (!IsNumericId(options_.event)) {
    return Status::InvalidInput(
        "[registration] event must be Sympla's numeric event id (the digits at the end of the"
        " event's page address)");
  }
  if (Status s = CheckClientOptions("Sympla", options_.token, options_.source, options_.url);
      !s.ok()) {
    return s;
  }
  const std::string list_url =
      WithoutTrailingSlash(options_.url) + "/public/v3/events/" + options_.event + "/participants";

  HttpGetter http(Credential{"s_token", "", options_.token}, clock_, sleeper_, options_.http);
  SymplaParticipants participants;
  for (int page = 1;; ++page) {
    if (page > options_.max_pages) {
      return Status::InvalidInput("Sympla's participant list goes on past " +
                                  std::to_string(options_.max_pages) + " pages; stopped");
    }
    auto body = http.Get(list_url + "?page=" + std::to_string(page) +
                         "&page_size=" + std::to_string(options_.page_size));
    if (!body.ok()) {
      if (body.status().code() != StatusCode::kNotFound) return body.status();
      return Status::NotFound("Sympla has no event " + options_.event + " at " +
                              WithoutTrailingSlash(options_.url) +
                              " (HTTP 404); check event in [registration]");
    }
    auto paging = ReadParticipantsPage(*body, &participants);
    if (!paging.ok()) return paging.status().WithContext("page " + std::to_string(page) + ": ");
    // A server that ignores `page` answers page 1 again and again.
    if (paging->page != page) {
      return Status::InvalidInput("Sympla answered page " + std::to_string(paging->page) +
                                  " when asked for page " + std::to_string(page) +
                                  "; the paging repeats");
    }
    if (!paging->has_next) break;
  }
  if (Status s = DedupeTickets(&participants.records, "QR code", "Sympla"); !s.ok()) return s;

  return ApiSnapshot(db::RosterFormat::kSympla, options_.source, list_url, /*full_export=*/true,
                     participants.participants, std::move(participants.records));
}

}  // namespace checkin::sync
