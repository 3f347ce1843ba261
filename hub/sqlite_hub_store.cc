#include <mutex>

#include "common/forwarding_service.h"
#include "db/database.h"
#include "db/local_desk.h"
#include "hub/hub_store.h"

namespace checkin::hub {

namespace {

// The hub's requests that write take turns on one mutex before SQLite's
// write lock: waiting for that lock means polling it (db/database.cc), and
// dozens of connections polling at once spend the CPU the commits need.
// hub_bench measured p99 at 32 stations 103 ms polling, 25 ms queued.
class OneWriterAtATime final : public ForwardingService {
 public:
  OneWriterAtATime(CheckinService& inner, std::mutex& writer)
      : ForwardingService(inner), writer_(writer) {}
  Result<Decision> Redeem(const RedeemRequest& req) override {
    std::lock_guard<std::mutex> lock(writer_);
    return ForwardingService::Redeem(req);
  }
  Result<UndoResult> Undo(const UndoRequest& req) override {
    std::lock_guard<std::mutex> lock(writer_);
    return ForwardingService::Undo(req);
  }
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override {
    std::lock_guard<std::mutex> lock(writer_);
    return ForwardingService::EnqueueBadge(attendee_id, station);
  }
  Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& worker,
                                                const std::string& printer) override {
    std::lock_guard<std::mutex> lock(writer_);
    return ForwardingService::ClaimPrintJob(worker, printer);
  }
  Status ReportPrintJob(int64_t job_id, const PrintReport& report) override {
    std::lock_guard<std::mutex> lock(writer_);
    return ForwardingService::ReportPrintJob(job_id, report);
  }
  Result<bool> ReportPrinter(const PrinterReport& report) override {
    std::lock_guard<std::mutex> lock(writer_);
    return ForwardingService::ReportPrinter(report);
  }

 private:
  std::mutex& writer_;
};

class SqliteSession final : public HubSession {
 public:
  SqliteSession(std::unique_ptr<db::LocalDesk> desk, const Clock& clock, Language lang,
                std::mutex& writer)
      : desk_(std::move(desk)),
        clock_(clock),
        writer_(writer),
        lang_(lang),
        serialized_(*desk_, writer),
        devices_(desk_->database(), clock, lang),
        logins_(desk_->database(), clock, lang),
        print_desk_(desk_->database(), clock, lang) {}

  CheckinService& service() override { return serialized_; }
  Result<db::Device> Authenticate(std::string_view token) override {
    return devices_.Authenticate(token);
  }
  Result<db::PairedDevice> Pair(std::string_view secret) override { return devices_.Pair(secret); }
  Status NoteReplica(const db::Device& device, int64_t outbox, int64_t replica_checkin) override {
    return devices_.NoteReplica(device, outbox, replica_checkin);
  }
  Result<db::Changes> ChangesSince(const db::ChangeCursor& from, int limit) override {
    return db::ChangesSince(desk_->database(), from, limit);
  }
  Result<std::vector<db::UploadOutcome>> RecordOffline(
      const std::vector<db::LoggedCheckin>& batch) override {
    std::lock_guard<std::mutex> lock(writer_);
    return db::RecordOffline(desk_->database(), batch, clock_);
  }
  Result<db::WebSession> SpendLoginLink(std::string_view secret) override {
    std::lock_guard<std::mutex> lock(writer_);
    return logins_.SpendLink(secret);
  }
  Result<db::WebSession> SpendPin(Role role, std::string_view pin,
                                  const std::string& station) override {
    std::lock_guard<std::mutex> lock(writer_);
    return logins_.SpendPin(role, pin, station);
  }
  Result<db::WebSession> FindWebSession(std::string_view token) override {
    return logins_.Find(token);
  }
  Status EndWebSession(std::string_view token) override {
    std::lock_guard<std::mutex> lock(writer_);
    return logins_.End(token);
  }
  Result<db::LoginLink> OpenDeviceLoginLink(const std::string& device, Role role) override {
    std::lock_guard<std::mutex> lock(writer_);
    return logins_.OpenDeviceLink(device, role);
  }
  Result<std::map<std::string, int64_t>> LiveDeviceSessions() override {
    return logins_.LiveDeviceSessions();
  }
  Result<std::vector<db::ArrivalBin>> ArrivalsSince(const std::string& since,
                                                    std::chrono::minutes bin) override {
    return db::ArrivalsSince(desk_->database(), since, bin);
  }
  Result<std::vector<db::DeviceStatus>> DeviceStatuses() override { return devices_.Statuses(); }
  Result<report::Report> ComputeReport(const report::ReportRequest& req) override {
    return report::ComputeReport(desk_->database(), clock_, req);
  }
  Result<db::NewDevice> AddDevice(const std::string& name, Role role) override {
    std::lock_guard<std::mutex> lock(writer_);
    return devices_.Add(name, role);
  }
  Status RevokeDevice(const std::string& name) override {
    std::lock_guard<std::mutex> lock(writer_);
    return devices_.Revoke(name);
  }
  Result<Attendee> RegisterWalkIn(const db::WalkIn& w) override {
    std::lock_guard<std::mutex> lock(writer_);
    return db::RegisterWalkIn(desk_->database(), w, clock_, lang_);
  }
  Result<Attendee> CorrectName(int64_t attendee_id, const std::string& first_name,
                               const std::string& last_name) override {
    std::lock_guard<std::mutex> lock(writer_);
    return db::CorrectName(desk_->database(), attendee_id, first_name, last_name, clock_, lang_);
  }
  Result<std::vector<db::LoggedCheckin>> AttendeeHistory(int64_t attendee_id, int limit) override {
    return db::AttendeeHistory(desk_->database(), attendee_id, limit);
  }
  Result<db::PrintQueue::Recorded> RecordPrinter(const PrinterReport& report) override {
    std::lock_guard<std::mutex> lock(writer_);
    return desk_->RecordPrinter(report);
  }
  Result<db::PrintDeskView> ViewPrintDesk(int limit) override { return print_desk_.View(limit); }
  Result<int64_t> Reprint(int64_t attendee_id, const std::string& station,
                          const std::string& reason) override {
    std::lock_guard<std::mutex> lock(writer_);
    return print_desk_.Reprint(attendee_id, station, reason);
  }
  Status CancelPrintJob(int64_t job_id, const std::string& station) override {
    std::lock_guard<std::mutex> lock(writer_);
    return print_desk_.Cancel(job_id, station);
  }
  Status HoldPrinter(const std::string& worker, bool held, const std::string& station) override {
    std::lock_guard<std::mutex> lock(writer_);
    return print_desk_.Hold(worker, held, station);
  }

 private:
  std::unique_ptr<db::LocalDesk> desk_;
  const Clock& clock_;
  std::mutex& writer_;
  Language lang_;
  OneWriterAtATime serialized_;
  db::DeviceRegistry devices_;
  db::WebLogins logins_;
  db::PrintDesk print_desk_;
};

class SqliteHubStore final : public HubStore {
 public:
  SqliteHubStore(std::string path, const Clock& clock, Config config, Language lang)
      : path_(std::move(path)), clock_(clock), config_(std::move(config)), lang_(lang) {}

  Result<std::unique_ptr<HubSession>> NewSession() override {
    auto desk = db::LocalDesk::Open(path_, clock_, config_);
    if (!desk.ok()) return desk.status();
    return std::unique_ptr<HubSession>(
        std::make_unique<SqliteSession>(std::move(*desk), clock_, lang_, writer_));
  }

 private:
  const std::string path_;
  const Clock& clock_;
  const Config config_;
  const Language lang_;
  std::mutex writer_;  // see OneWriterAtATime
};

}  // namespace

Result<std::unique_ptr<HubStore>> OpenSqliteHubStore(const std::string& db_path, const Clock& clock,
                                                     Config config, Language lang) {
  auto store = std::make_unique<SqliteHubStore>(db_path, clock, std::move(config), lang);
  // Opening one session checks the file, its schema and its event now.
  auto first = store->NewSession();
  if (!first.ok()) return first.status();
  return std::unique_ptr<HubStore>(std::move(store));
}

}  // namespace checkin::hub
