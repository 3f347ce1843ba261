#include "sync/pretix_upload.h"

#include <nlohmann/json.hpp>

#include "db/platform_uploads.h"

namespace checkin::sync {
namespace {

using nlohmann::json;

// pretix answers {"status": "ok" | "error" | "incomplete", "reason": ...}.
// Anything else (a list that does not exist, a malformed request) is about
// our request, not the ticket: the check-in stays pending.
struct Answer {
  bool taken = false;
  bool about_ticket = false;  // a refusal of this check-in, in pretix's words
  std::string reason;
};

Answer ReadAnswer(const HttpReply& reply) {
  json j = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  Answer a;
  const bool object = j.is_object();
  const std::string status = object && j.contains("status") && j["status"].is_string()
                                 ? j["status"].get<std::string>()
                                 : "";
  a.taken = reply.status >= 200 && reply.status < 300 && status == "ok";
  if (a.taken) return a;
  a.about_ticket = status == "error";
  for (const char* key : {"reason_explanation", "reason", "detail"}) {
    if (object && j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty()) {
      a.reason = j[key].get<std::string>();
      break;
    }
  }
  if (a.reason.empty() && object && !j.empty()) a.reason = j.dump().substr(0, 200);
  if (a.reason.empty()) a.reason = "HTTP " + std::to_string(reply.status);
  if (a.reason.size() > 200) a.reason.resize(200);
  return a;
}

}  // namespace

Result<UploadSummary> UploadCheckins(db::Database& db, const PretixUploadOptions& options,
                                     const Clock& clock, Sleeper& sleeper) {
  if (options.checkin_list <= 0) {
    return Status::InvalidInput("[registration] upload_list must be a pretix check-in list id");
  }
  if (options.token.empty()) return Status::InvalidInput("the pretix token is empty");
  std::string root = options.url;
  while (!root.empty() && root.back() == '/') root.pop_back();
  const std::string url = root + "/api/v1/organizers/" + options.organizer + "/checkinrpc/redeem/";
  if (auto u = ParseUrl(url); !u.ok()) return u.status().WithContext("[registration] url: ");

  auto pending = db::PendingUploads(db, options.source, options.max_per_pass);
  if (!pending.ok()) return pending.status();
  HttpGetter http(Credential{"Authorization", "Token ", options.token}, clock, sleeper,
                  options.http);
  UploadSummary sum;
  for (const db::PendingUpload& p : *pending) {
    const json body = {{"secret", p.ticket_code},
                       {"source_type", "barcode"},
                       {"lists", {options.checkin_list}},
                       {"type", p.exit ? "exit" : "entry"},
                       {"datetime", p.at},
                       {"force", true},
                       {"ignore_unpaid", false},
                       {"nonce", p.nonce},
                       {"questions_supported", false}};
    auto reply = http.Post(url, body.dump());
    if (!reply.ok()) return reply.status().WithContext("sending check-ins to pretix: ");
    const Answer a = ReadAnswer(*reply);
    if (!a.taken && !a.about_ticket) {
      // pretix's words go into our message; the token must not.
      return WithoutToken(Status::InvalidInput("pretix refused our check-ins (HTTP " +
                                               std::to_string(reply->status) + ": " + a.reason +
                                               "); is upload_list a check-in list of this event?"),
                          options.token);
    }
    if (!a.taken && sum.first_refusal.empty()) sum.first_refusal = a.reason;
    (a.taken ? sum.sent : sum.refused)++;
    Status s = db::RecordUpload(db, p.checkin_id, options.source,
                                a.taken ? db::PlatformAnswer::kSent : db::PlatformAnswer::kRefused,
                                a.taken ? "" : a.reason, clock);
    if (!s.ok()) return s;
  }
  auto left = db::CountPendingUploads(db, options.source);
  if (!left.ok()) return left.status();
  sum.pending = *left;
  return sum;
}

}  // namespace checkin::sync
