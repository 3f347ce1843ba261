// The station wired whole: a scripted camera, the real decoder and a real
// SQLite event behind a service whose faults the test switches.
#include "scanner/station.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

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
  auto stats = desk_->ComputeStats({});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->checked_in, 0);
}

// The door screen's camera stream: frames go out at most every
// frame_every of the station's clock, whatever the camera's rate.
TEST_F(StationTest, FramesGoOutAtMostEveryFrameEvery) {
  StationOptions o;
  o.scan.gate = kDefaultGate;
  o.scan.pacing = Pacing::kAsFastAsPossible;
  StationCallbacks cb;
  std::vector<std::chrono::steady_clock::time_point> sent;
  cb.on_frame = [&](const Frame& f) {
    EXPECT_TRUE(f.Valid());
    sent.push_back(clock_.Monotonic());
  };
  cb.frame_every = std::chrono::milliseconds(200);
  auto cam = std::make_unique<FakeCamera>(&clock_, false);
  cam->AddFrame(Ticket(""), 60);  // two seconds at 30 fps
  Station station(*faulty_, clock_, o, std::move(cam), -1, nullptr, nullptr, cb);
  ASSERT_TRUE(station.Run().ok());
  ASSERT_GE(sent.size(), 5u);
  EXPECT_LE(sent.size(), 11u);
  // Read here, the clock may be one camera frame (33 ms) ahead of or behind
  // the station's own reading.
  for (size_t i = 1; i < sent.size(); ++i)
    EXPECT_GE(sent[i] - sent[i - 1], cb.frame_every - std::chrono::milliseconds(34))
        << "frame " << i;
}

// A code typed into the door screen's box takes the keyboard's path.
TEST_F(StationTest, ATypedCodeIsRedeemedLikeTheKeyboards) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  StationOptions o;
  o.scan.gate = kDefaultGate;
  StationCallbacks cb;
  std::promise<Decision> decided;
  std::atomic<ScanSource> source{ScanSource::kCamera};
  cb.on_decision = [&](const ScanEvent& e, const Banner&) {
    source = e.source;
    decided.set_value(e.decision);
  };
  Station station(*faulty_, clock_, o, nullptr, fds[0], nullptr, nullptr, cb);
  EXPECT_EQ(station.Type(kMaria).code(), StatusCode::kUnavailable) << "not running yet";
  auto run = std::async(std::launch::async, [&] { return station.Run(); });
  // Run() starts on its own thread: retry until the loop takes codes.
  Status typed = Status::Unavailable("not tried");
  for (int i = 0; i < 500 && !typed.ok(); ++i) {
    typed = station.Type(std::string("  ") + kMaria + "\n");
    if (!typed.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(typed.ok()) << typed.message();
  auto f = decided.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_EQ(f.get().verdict, Verdict::kAdmitted);
  EXPECT_EQ(source.load(), ScanSource::kKeyboard);
  close(fds[1]);  // the keyboard closes: a station without camera ends
  ASSERT_EQ(run.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(run.get().ok());
  close(fds[0]);
}

}  // namespace
}  // namespace checkin::scanner
