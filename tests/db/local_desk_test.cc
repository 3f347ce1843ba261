// The SQLite desk on a real event file keeps the check-in service contract;
// each station is its own connection to the file, as each process is.
#include "db/local_desk.h"

#include "tests/common/checkin_service_contract.h"
#include "tests/fakes/test_db.h"

namespace checkin::testing {
namespace {

class LocalHarness final : public ServiceHarness {
 public:
  LocalHarness() {
    auto db = NewEventDatabase(dir_.File("event.db"), clock_);
    ImportFixture(*db, "generic_basic.csv", clock_);
    ImportFixture(*db, "spaces.csv", clock_);
  }
  std::unique_ptr<CheckinService> NewStation() override {
    auto desk = db::LocalDesk::Open(dir_.File("event.db"), clock_, DefaultConfig());
    EXPECT_TRUE(desk.ok()) << desk.status().message();
    return desk.ok() ? std::move(desk).value() : nullptr;
  }
  FakeClock& clock() override { return clock_; }

 private:
  TempDir dir_;
  FakeClock clock_;
};

std::unique_ptr<ServiceHarness> MakeLocalHarness() { return std::make_unique<LocalHarness>(); }

INSTANTIATE_TEST_SUITE_P(LocalDesk, CheckinServiceContract, ::testing::Values(&MakeLocalHarness));

}  // namespace
}  // namespace checkin::testing
