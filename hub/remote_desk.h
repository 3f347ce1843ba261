// RemoteDesk: the check-in service of a paired station, asking the venue hub
// over HTTPS (hub/protocol.h). The hub's certificate is trusted by its pinned
// SHA-256 fingerprint alone, as the pairing code gave it; no certificate
// authority is consulted. Every request carries the device token.
//
// Errors follow CheckinService: a hub that does not answer within the
// deadline, refuses the TLS handshake or shows another certificate is
// Unavailable (nothing is known to be recorded; the same request, same nonce,
// may be sent again); the hub's own refusals come back with its code and
// message. One instance per thread, like every CheckinService.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/messages.h"
#include "common/result.h"
#include "db/changes.h"
#include "db/offline.h"
#include "hub/protocol.h"
#include "report/report.h"

namespace checkin::hub {

struct RemoteOptions {
  // https://HOST:PORT (http:// on loopback only), tried in order; the one
  // that answers is kept for the next requests.
  std::vector<std::string> urls;
  std::string fingerprint;  // required for https
  std::string token;        // the device token; may be empty only for Pair()
  // How long a request may take before the hub counts as away.
  std::chrono::milliseconds deadline{400};
  Language lang = Language::kSpanish;
};

struct HubUrl {
  bool https = true;
  std::string host;  // without brackets for IPv6
  int port = 443;
};
// Parses what CheckHubUrl (common/pairing_code.h) accepts; a path is refused.
Result<HubUrl> ParseHubUrl(const std::string& url, Language lang = Language::kSpanish);

class RemoteDesk final : public CheckinService {
 public:
  // Checks the options; does not contact the hub.
  static Result<std::unique_ptr<RemoteDesk>> Connect(RemoteOptions options, const Clock& clock);
  ~RemoteDesk() override;

  // Spends a pairing secret for a device token (the one request made without
  // a token).
  struct Paired {
    std::string device;
    std::string role;
    std::string token;
  };
  Result<Paired> Pair(const std::string& secret);

  // A page of the change feed after `from`; `outbox` is what this station
  // still has to upload (the hub shows it in `hub device list`). With
  // `wait`, a hub with nothing new holds the answer until something changes
  // (at most `wait`, kMaxWaitMs): the hub's push.
  Result<db::Changes> Pull(const db::ChangeCursor& from, int limit, int64_t outbox,
                           std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  // Ends the request in flight at once (it fails as Unavailable). The one
  // call another thread may make: for a daemon stopping while a Pull waits.
  void Interrupt();
  // Check-ins decided here while the hub was away, scan times on its clock.
  Result<std::vector<db::UploadOutcome>> Upload(const std::vector<db::LoggedCheckin>& batch,
                                                int64_t outbox_after);

  // A one-time login link for this device's browser (hub/protocol.h's
  // WebLoginLink); the hub refuses a scan device and a revoked one.
  Result<WebLoginLink> OpenWebLogin();

  // The attendance report over the hub's whole event file (req.day,
  // bin_minutes and names go to the hub; req.lang is this side's). The hub
  // may take its time: up to `wait` beyond the deadline. A desk may ask for
  // the figures, only an admin device for the lists of people.
  Result<report::Report> Report(const report::ReportRequest& req, std::chrono::milliseconds wait);

  // The hub's clock minus ours, from the newest answer; nullopt before any.
  std::optional<std::chrono::milliseconds> clock_offset() const;
  const std::string& url() const;  // the URL in use

  Result<EventInfo> Event() override;
  Result<Decision> Redeem(const RedeemRequest& req) override;
  Result<UndoResult> Undo(const UndoRequest& req) override;
  Result<std::vector<SearchHit>> Search(std::string_view query, int limit) override;
  Result<std::optional<Attendee>> FindByCode(std::string_view code) override;
  Result<std::optional<Attendee>> FindById(int64_t id) override;
  Result<Stats> ComputeStats(const StatsRequest& req) override;
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override;
  Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& worker,
                                                const std::string& printer) override;
  Result<std::vector<PrintJob>> ClaimedPrintJobs(const std::string& worker) override;
  Status ReportPrintJob(int64_t job_id, const PrintReport& report) override;
  Result<QueueCounts> PrintQueueCounts() override;
  Result<std::vector<PrintJob>> RecentPrintJobs(int limit) override;
  Result<bool> ReportPrinter(const PrinterReport& report) override;

 private:
  struct Impl;
  explicit RemoteDesk(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin::hub
