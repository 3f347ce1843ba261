// The station wired whole: a scripted camera, the real decoder and a real
// SQLite event behind a service whose faults the test switches.
#include "scanner/station.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_camera.h"
#include "tests/fakes/faulty_service.h"
#include "tests/fakes/test_db.h"
#include "tests/synth/synth.h"

namespace checkin::scanner {
namespace {

using checkin::testing::FakeCamera;

const char* kMaria = "KCD26-J6I72TAV7B";
const char* kCancelled = "KCD26-KPLVYTO4BH";

// A person holding up a paper ticket with `code`; nobody for an empty code.
cv::Mat Ticket(const std::string& code) {
  return synth::RenderTickets(
      code.empty() ? std::vector<std::string>{} : std::vector<std::string>{code},
      synth::Medium::kPaper, 3);
}

class StationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_);
    checkin::testing::ImportSampleRoster(*db_, clock_);
    desk_ = checkin::testing::NewDesk(*db_, clock_);
    ASSERT_NE(desk_, nullptr);
    faulty_ = std::make_unique<checkin::testing::FaultyService>(*desk_);
  }

  ScanSummary Run(std::unique_ptr<FakeCamera> camera, BadgeOnAdmit badges) {
    StationOptions o;
    o.scan.gate = kDefaultGate;
    o.scan.station = "puerta-1";
    o.scan.pacing = Pacing::kAsFastAsPossible;
    o.badges = badges;
    StationCallbacks cb;
    cb.on_decision = [this](const ScanEvent& e, const Banner& banner) {
      decisions_.push_back(e.decision);
      messages_.push_back(banner.detail);
    };
    cb.on_notice = [this](const std::string& text) { notices_.push_back(text); };
    Station station(*faulty_, clock_, o, std::move(camera), -1, nullptr, nullptr, cb);
    auto s = station.Run();
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : ScanSummary{};
  }

  std::unique_ptr<FakeCamera> Camera() {
    auto cam = std::make_unique<FakeCamera>(&clock_, false);
    cam->AddFrame(Ticket(kMaria), 30);
    cam->AddFrame(Ticket(""), 90);  // out of sight long enough to count as a new presentation
    cam->AddFrame(Ticket(kCancelled), 30);
    return cam;
  }

  checkin::testing::FakeClock clock_;
  checkin::testing::TempDir dir_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::LocalDesk> desk_;
  std::unique_ptr<checkin::testing::FaultyService> faulty_;
  std::vector<Decision> decisions_;
  std::vector<std::string> messages_, notices_;
};

TEST_F(StationTest, AnAdmissionQueuesOneBadgeAndADenialNone) {
  Run(Camera(), BadgeOnAdmit::kQueue);
  ASSERT_EQ(decisions_.size(), 2u);
  EXPECT_EQ(decisions_[0].verdict, Verdict::kAdmitted);
  EXPECT_EQ(decisions_[1].verdict, Verdict::kCancelled);
  EXPECT_NE(messages_[0].find(decisions_[0].attendee->first_name), std::string::npos)
      << "the message names the attendee: " << messages_[0];
  auto counts = desk_->PrintQueueCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued, 1);
  auto jobs = desk_->RecentPrintJobs(5);
  ASSERT_TRUE(jobs.ok() && jobs->size() == 1u);
  EXPECT_EQ((*jobs)[0].attendee_id, decisions_[0].attendee->id);
  EXPECT_EQ((*jobs)[0].station, "puerta-1");
}

TEST_F(StationTest, WithoutPrintingNoBadgeIsQueued) {
  Run(Camera(), BadgeOnAdmit::kNo);
  auto counts = desk_->PrintQueueCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued, 0);
}

TEST_F(StationTest, ABadgeThatDoesNotQueueIsAWarningAndTheAdmissionStands) {
  faulty_->enqueue_fails = true;
  Run(Camera(), BadgeOnAdmit::kQueue);
  ASSERT_FALSE(decisions_.empty());
  EXPECT_EQ(decisions_[0].verdict, Verdict::kAdmitted);
  ASSERT_EQ(notices_.size(), 2u) << "camera opened, then the warning";
  EXPECT_NE(notices_[1].find("no quedó en cola"), std::string::npos) << notices_[1];
  EXPECT_NE(notices_[1].find(decisions_[0].attendee->FullName()), std::string::npos) << notices_[1];
}

TEST_F(StationTest, AStoreThatIsAwayRecordsNothingAndSaysSo) {
  faulty_->redeem_unavailable = true;
  ScanSummary s = Run(Camera(), BadgeOnAdmit::kQueue);
  EXPECT_TRUE(decisions_.empty());
  EXPECT_EQ(s.not_recorded, 2);
  ASSERT_GE(notices_.size(), 2u);
  EXPECT_EQ(notices_[1].rfind("NO registrado, no dejar pasar todavía: ", 0), 0u) << notices_[1];
  auto stats = desk_->ComputeStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->checked_in, 0);
}

}  // namespace
}  // namespace checkin::scanner
