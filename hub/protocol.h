// The hub protocol, version 1: what a station and the hub say to each other
// over HTTPS, as JSON bodies. One request and one answer per CheckinService
// call (common/checkin_service.h), plus pairing. The README's "Hub protocol"
// lists the paths; this file is their one codec, used by both ends.
//
// Bodies carry what the job needs and no more: an attendee goes over the wire
// with its codes (a print station draws the badge QR) but with the email
// masked, as on every screen. Decoding validates every member and returns
// InvalidInput naming the first bad one. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/attendee.h"
#include "common/checkin_service.h"
#include "common/records.h"
#include "common/result.h"
#include "common/roles.h"
#include "common/verdict.h"
#include "db/changes.h"
#include "db/offline.h"

namespace checkin::hub {

// Paths. GET ones take their arguments as query parameters, POST ones as a
// JSON body.
namespace path {
inline constexpr const char* kPair = "/v1/pair";          // POST PairRequest
inline constexpr const char* kEvent = "/v1/event";        // GET
inline constexpr const char* kRedeem = "/v1/redeem";      // POST RedeemRequest
inline constexpr const char* kUndo = "/v1/undo";          // POST UndoRequest
inline constexpr const char* kSearch = "/v1/search";      // GET q, limit
inline constexpr const char* kAttendee = "/v1/attendee";  // GET code | id
inline constexpr const char* kStats = "/v1/stats";        // GET
// The attendance report (report/report.h's JSON): GET day (YYYY-MM-DD, none
// for the whole event), bins (5 or 15), names (1: the lists of people).
inline constexpr const char* kReport = "/v1/report";
inline constexpr const char* kPrintEnqueue = "/v1/print/enqueue";  // POST EnqueueRequest
inline constexpr const char* kPrintClaim = "/v1/print/claim";      // POST ClaimRequest
inline constexpr const char* kPrintClaimed = "/v1/print/claimed";  // GET worker
inline constexpr const char* kPrintReport = "/v1/print/report";    // POST ReportRequest
inline constexpr const char* kPrintCounts = "/v1/print/counts";    // GET
inline constexpr const char* kPrintRecent = "/v1/print/recent";    // GET limit
inline constexpr const char* kPrintPrinter = "/v1/print/printer";  // POST PrinterReport
// A station's replica: what changed after its cursor (GET rev, attendee,
// checkin, limit, outbox: its queue's size, for `hub device list`; and
// wait_ms: with nothing new yet, the hub holds the answer until something
// changes or wait_ms pass, which is how it pushes news to stations), and
// the check-ins it decided alone (POST UploadRequest).
inline constexpr const char* kChanges = "/v1/changes";
inline constexpr const char* kUpload = "/v1/upload";
// A one-time login link for the device's own browser (POST {}): its pages
// with no PIN (`checkin station open`).
inline constexpr const char* kWebLoginLink = "/v1/web/login-link";
}  // namespace path

// Every request but pairing carries "Authorization: Bearer <device token>".
// Every answer carries the hub's clock, in milliseconds since 1970 UTC, so a
// station can tell how far its own clock is off.
inline constexpr const char* kHubTimeHeader = "Checkin-Hub-Time";
// The language the hub writes its error messages in: "es" or "en".
inline constexpr const char* kLanguageHeader = "Accept-Language";

// Bodies above this are refused before they are read to the end: room for
// an upload of kMaxUploadBatch check-ins with every field at its longest.
inline constexpr size_t kMaxRequestBytes = 512 * 1024;
inline constexpr int kMaxUploadBatch = 100;
inline constexpr int kMaxChangesPage = 2000;
// Bounds of the platform rules a page of changes may carry (db/changes.h).
inline constexpr size_t kMaxRuleSources = 16;
inline constexpr size_t kMaxRuleItems = 10000;
inline constexpr size_t kMaxRuleCodes = 500000;
// The longest a change request may be held, below every proxy's idle cut.
inline constexpr int kMaxWaitMs = 30'000;
// Search and list limits a station may ask for.
inline constexpr int kMaxListLimit = 500;

struct PairRequest {
  std::string secret;  // the pairing secret the pairing code carries
};
struct PairResponse {
  std::string device;
  Role role = Role::kScan;
  std::string token;
};
struct EnqueueRequest {
  int64_t attendee_id = 0;
  std::string station;
};
struct ClaimRequest {
  std::string worker;
  std::string printer;
};
struct ReportRequest {
  int64_t job_id = 0;
  PrintReport report;
};
struct JobId {
  int64_t id = 0;
};
// The answer to a PrinterReport: whether the print desk paused this daemon.
struct PrinterHeld {
  bool held = false;
};
// The longest worker, station or printer name, or reasons, a report carries.
inline constexpr size_t kMaxPrinterTextBytes = 200;
struct UploadRequest {
  std::vector<db::LoggedCheckin> checkins;  // scan times already on the hub's clock
  int64_t outbox = 0;                       // what the station still holds after these
};
struct UploadResponse {
  std::vector<db::UploadOutcome> outcomes;  // one per check-in, in order
};

// The answer to kWebLoginLink. `path` ("/login?t=...") goes after the URL
// the station reached the hub by, which is how its browser reaches it too.
struct WebLoginLink {
  std::string device;
  Role role = Role::kDesk;  // the session's, as the pages name it: PageRoleName
  std::string path;
  std::string expires_at;  // FormatUtc
};

// A refused request: the Status the service returned (or the hub's own
// refusal), carried so the station gets back the same code and message.
struct WireError {
  StatusCode code = StatusCode::kInternal;
  std::string message;
};
// "not_found", "invalid_input", ... and back; unknown names are kInternal.
std::string_view StatusCodeName(StatusCode code);
StatusCode ParseStatusCodeName(std::string_view name);
// The HTTP status the hub answers a refused request with.
int HttpStatusFor(StatusCode code);

std::string Encode(const PairRequest& v);
std::string Encode(const PairResponse& v);
std::string Encode(const RedeemRequest& v);
std::string Encode(const UndoRequest& v);
std::string Encode(const EnqueueRequest& v);
std::string Encode(const ClaimRequest& v);
std::string Encode(const ReportRequest& v);
std::string Encode(const JobId& v);
std::string Encode(const PrinterReport& v);
std::string Encode(const PrinterHeld& v);
std::string Encode(const WireError& v);
std::string Encode(const EventInfo& v);
std::string Encode(const Decision& v);
std::string Encode(const UndoResult& v);
std::string Encode(const std::vector<SearchHit>& v);
std::string Encode(const std::optional<Attendee>& v);
std::string Encode(const Stats& v);
std::string Encode(const std::optional<PrintJob>& v);
std::string Encode(const std::vector<PrintJob>& v);
std::string Encode(const QueueCounts& v);
std::string Encode(const db::Changes& v);
std::string Encode(const UploadRequest& v);
std::string Encode(const UploadResponse& v);
std::string Encode(const WebLoginLink& v);

// Decode<T>(body) for each T above.
template <typename T>
Result<T> Decode(std::string_view body);

}  // namespace checkin::hub
