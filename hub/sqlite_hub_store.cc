#include "db/database.h"
#include "db/local_desk.h"
#include "hub/hub_store.h"

namespace checkin::hub {

namespace {

class SqliteSession final : public HubSession {
 public:
  SqliteSession(std::unique_ptr<db::LocalDesk> desk, const Clock& clock, Language lang)
      : desk_(std::move(desk)), clock_(clock), devices_(desk_->database(), clock, lang) {}

  CheckinService& service() override { return *desk_; }
  Result<db::Device> Authenticate(std::string_view token) override {
    return devices_.Authenticate(token);
  }
  Result<db::PairedDevice> Pair(std::string_view secret) override { return devices_.Pair(secret); }
  Status NoteReplica(const std::string& device, int64_t outbox, int64_t replica_checkin) override {
    return devices_.NoteReplica(device, outbox, replica_checkin);
  }
  Result<db::Changes> ChangesSince(const db::ChangeCursor& from, int limit) override {
    return db::ChangesSince(desk_->database(), from, limit);
  }
  Result<std::vector<db::UploadOutcome>> RecordOffline(
      const std::vector<db::LoggedCheckin>& batch) override {
    return db::RecordOffline(desk_->database(), batch, clock_);
  }

 private:
  std::unique_ptr<db::LocalDesk> desk_;
  const Clock& clock_;
  db::DeviceRegistry devices_;
};

class SqliteHubStore final : public HubStore {
 public:
  SqliteHubStore(std::string path, const Clock& clock, Config config, Language lang)
      : path_(std::move(path)), clock_(clock), config_(std::move(config)), lang_(lang) {}

  Result<std::unique_ptr<HubSession>> NewSession() override {
    auto desk = db::LocalDesk::Open(path_, clock_, config_);
    if (!desk.ok()) return desk.status();
    return std::unique_ptr<HubSession>(
        std::make_unique<SqliteSession>(std::move(*desk), clock_, lang_));
  }

 private:
  const std::string path_;
  const Clock& clock_;
  const Config config_;
  const Language lang_;
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
