// The SQLite desk on a real event file keeps the check-in service contract;
// each station is its own connection to the file, as each process is.
#include "db/local_desk.h"

#include <cstdio>
#include <filesystem>

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

constexpr const char* kMaria = "KCD26-2IBYYURL7B";
constexpr const char* kAndres = "KCD26-6KJ6HBIJLV";

// Issue 9, item 2: a station kept answering ADMITIDO into a deleted file (all
// lost at exit), or into the old file after another was put in its place.
class MovedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"event.db", "other.db"}) {
      auto db = NewEventDatabase(dir_.File(name), clock_);
      ImportFixture(*db, "generic_basic.csv", clock_);
    }
    auto desk = db::LocalDesk::Open(path_, clock_, DefaultConfig());
    ASSERT_TRUE(desk.ok()) << desk.status().message();
    desk_ = std::move(desk).value();
    ASSERT_EQ(Redeem(kAndres).value().verdict, Verdict::kAdmitted);
  }
  Result<Decision> Redeem(const std::string& code) {
    RedeemRequest req;
    req.payload = code;
    req.gate = kDefaultGate;
    req.station = "puerta-1";
    return desk_->Redeem(req);
  }
  void ExpectRefusedForGood() {
    for (int i = 0; i < 2; ++i) {
      auto d = Redeem(kMaria);
      ASSERT_FALSE(d.ok()) << "answered " << VerdictName(d->verdict) << " from a file not at "
                           << path_;
      EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
      EXPECT_EQ(d.status().message(),
                "la base de datos " + path_ +
                    " fue movida, borrada o reemplazada mientras esta estación la usaba. Detenga "
                    "y reinicie la estación con el archivo correcto.");
    }
    UndoRequest undo;
    undo.station = "puerta-1";
    EXPECT_EQ(desk_->Undo(undo).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(desk_->EnqueueBadge(1, "puerta-1").status().code(), StatusCode::kNotFound);
  }
  TempDir dir_;
  FakeClock clock_;
  std::string path_ = dir_.File("event.db");
  std::unique_ptr<db::LocalDesk> desk_;
};

TEST_F(MovedFileTest, DeletedFileIsRefusedNotAnswered) {
  ASSERT_TRUE(std::filesystem::remove(path_));
  ExpectRefusedForGood();
}

TEST_F(MovedFileTest, RenamedAwayFileIsRefusedNotAnswered) {
  ASSERT_EQ(std::rename(path_.c_str(), dir_.File("moved.db").c_str()), 0);
  ExpectRefusedForGood();
}

TEST_F(MovedFileTest, FileReplacedByAnotherIsRefusedNotAnswered) {
  ASSERT_EQ(std::rename(dir_.File("other.db").c_str(), path_.c_str()), 0);
  ExpectRefusedForGood();
}

// Issue 10: a retry is answered from the log, and a log that is no longer
// the event's file answers nothing either.
TEST_F(MovedFileTest, RetryWithANonceIsRefusedToo) {
  RedeemRequest req;
  req.payload = kMaria;
  req.gate = kDefaultGate;
  req.station = "puerta-1";
  req.nonce = "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c";
  auto first = desk_->Redeem(req);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(std::filesystem::remove(path_));
  auto retry = desk_->Redeem(req);
  ASSERT_FALSE(retry.ok()) << "answered " << VerdictName(retry->verdict) << " from a deleted file";
  EXPECT_EQ(retry.status().code(), StatusCode::kNotFound);
  req.payload = kAndres;
  EXPECT_EQ(desk_->Redeem(req).status().code(), StatusCode::kNotFound)
      << "not a conflict: there is no log to contradict";
}

TEST_F(MovedFileTest, AFileLeftInPlaceKeepsAnswering) {
  auto d = Redeem(kMaria);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);
}

}  // namespace
}  // namespace checkin::testing
