// The contract every CheckinService keeps (common/checkin_service.h), as one
// suite each implementation runs: exactly once, durable before answering,
// errors record nothing, undo never takes back the wrong check-in, the print
// queue hands each job to one worker. An implementation joins by providing a
// ServiceHarness and instantiating the suite:
//
//   INSTANTIATE_TEST_SUITE_P(LocalDesk, CheckinServiceContract,
//                            ::testing::Values(&MakeLocalHarness));
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "common/checkin_service.h"
#include "tests/fakes/fake_clock.h"

namespace checkin::testing {

// One event for one test: the roster of tests/data/import/generic_basic.csv
// plus the cancelled ticket of spaces.csv, one gate (Principal) admitting
// everyone, time from clock().
class ServiceHarness {
 public:
  virtual ~ServiceHarness() = default;
  // A service as one station would have it. Each call is a new instance (a
  // new connection, process or device) on the same event; instances may be
  // used from different threads at once, each from one.
  virtual std::unique_ptr<CheckinService> NewStation() = 0;
  virtual FakeClock& clock() = 0;
};

using HarnessFactory = std::unique_ptr<ServiceHarness> (*)();

class CheckinServiceContract : public ::testing::TestWithParam<HarnessFactory> {
 protected:
  void SetUp() override {
    harness_ = GetParam()();
    ASSERT_NE(harness_, nullptr);
    service_ = harness_->NewStation();
    ASSERT_NE(service_, nullptr);
  }
  // Redeems at Principal from `station`, failing the test on an error.
  Decision Redeem(CheckinService& s, const std::string& code,
                  const std::string& station = "mesa-1");
  Decision Redeem(const std::string& code, const std::string& station = "mesa-1") {
    return Redeem(*service_, code, station);
  }
  Stats StatsNow(CheckinService& s);

  std::unique_ptr<ServiceHarness> harness_;
  std::unique_ptr<CheckinService> service_;
};

// generic_basic.csv
inline constexpr const char* kMariaCode = "KCD26-2IBYYURL7B";  // María José Muñoz Peña, Speaker
inline constexpr const char* kAndresCode = "KCD26-6KJ6HBIJLV";  // Andrés Felipe Gómez Ríos

}  // namespace checkin::testing
