// What the hub keeps, behind one interface so that the protocol never sees
// the storage: the event (a CheckinService with the same CheckinDesk rules as
// a laptop alone) and the devices allowed to speak to it. The SQLite event
// file is the implementation today; a PostgreSQL one can follow by
// implementing these two classes.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/messages.h"
#include "common/result.h"
#include "db/arrivals.h"
#include "db/changes.h"
#include "db/desk_edits.h"
#include "db/devices.h"
#include "db/offline.h"
#include "db/print_desk.h"
#include "db/print_queue.h"
#include "db/web_logins.h"
#include "report/report.h"

namespace checkin::hub {

// One connection to the store, used by one request at a time.
class HubSession {
 public:
  virtual ~HubSession() = default;
  virtual CheckinService& service() = 0;
  // As db::DeviceRegistry::Authenticate and Pair.
  virtual Result<db::Device> Authenticate(std::string_view token) = 0;
  virtual Result<db::PairedDevice> Pair(std::string_view secret) = 0;
  // As db::DeviceRegistry::NoteReplica.
  virtual Status NoteReplica(const db::Device& device, int64_t outbox, int64_t replica_checkin) = 0;

  // The change feed and offline uploads (db/changes.h, db/offline.h).
  virtual Result<db::Changes> ChangesSince(const db::ChangeCursor& from, int limit) = 0;
  virtual Result<std::vector<db::UploadOutcome>> RecordOffline(
      const std::vector<db::LoggedCheckin>& batch) = 0;

  // The pages' logins, as db::WebLogins.
  virtual Result<db::WebSession> SpendLoginLink(std::string_view secret) = 0;
  virtual Result<db::WebSession> SpendPin(Role role, std::string_view pin,
                                          const std::string& station) = 0;
  virtual Result<db::WebSession> FindWebSession(std::string_view token) = 0;
  virtual Status EndWebSession(std::string_view token) = 0;
  // As db::WebLogins::OpenDeviceLink (a paired device's link for its
  // browser) and LiveDeviceSessions.
  virtual Result<db::LoginLink> OpenDeviceLoginLink(const std::string& device, Role role) = 0;
  virtual Result<std::map<std::string, int64_t>> LiveDeviceSessions() = 0;

  // What the dashboard shows beyond Stats: db::ArrivalsSince and
  // db::DeviceRegistry::Statuses.
  virtual Result<std::vector<db::ArrivalBin>> ArrivalsSince(const std::string& since,
                                                            std::chrono::minutes bin) = 0;
  virtual Result<std::vector<db::DeviceStatus>> DeviceStatuses() = 0;
  // The attendance report over the whole event file (report::ComputeReport).
  virtual Result<report::Report> ComputeReport(const report::ReportRequest& req) = 0;
  // The admins' device page: db::DeviceRegistry::Add (valid kPairingValidity)
  // and Revoke.
  virtual Result<db::NewDevice> AddDevice(const std::string& name, Role role) = 0;
  virtual Status RevokeDevice(const std::string& name) = 0;

  // The help desk's roster edits and the attendee's history (db/desk_edits.h).
  virtual Result<Attendee> RegisterWalkIn(const db::WalkIn& w) = 0;
  virtual Result<Attendee> CorrectName(int64_t attendee_id, const std::string& first_name,
                                       const std::string& last_name) = 0;
  virtual Result<std::vector<db::LoggedCheckin>> AttendeeHistory(int64_t attendee_id,
                                                                 int limit) = 0;

  // What a print daemon says of its printer (db::PrintQueue::RecordPrinter),
  // and the print desk (db/print_desk.h).
  virtual Result<db::PrintQueue::Recorded> RecordPrinter(const PrinterReport& report) = 0;
  virtual Result<db::PrintDeskView> ViewPrintDesk(int limit) = 0;
  virtual Result<int64_t> Reprint(int64_t attendee_id, const std::string& station,
                                  const std::string& reason) = 0;
  virtual Status CancelPrintJob(int64_t job_id, const std::string& station) = 0;
  virtual Status HoldPrinter(const std::string& worker, bool held, const std::string& station) = 0;
};

class HubStore {
 public:
  virtual ~HubStore() = default;
  // A new session on its own connection. Thread-safe.
  virtual Result<std::unique_ptr<HubSession>> NewSession() = 0;
};

// The event file at `db_path`, which must hold an event (`checkin init`).
// `config` gives the gates the hub decides for; messages are in `lang`.
// Checks the file opens before returning, so `hub serve` fails at start, not
// at the first request.
Result<std::unique_ptr<HubStore>> OpenSqliteHubStore(const std::string& db_path, const Clock& clock,
                                                     Config config, Language lang);

}  // namespace checkin::hub
