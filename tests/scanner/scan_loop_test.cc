// The scan loop with a scripted camera, the real decoder and a real SQLite
// event: once-only admission, repeats, faults and the handheld scanner.
#include "scanner/scan_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <utility>

#include "db/roster.h"
#include "tests/fakes/fake_camera.h"
#include "tests/fakes/test_db.h"
#include "tests/synth/synth.h"

namespace checkin::scanner {
namespace {

using checkin::testing::FakeCamera;

const char* kMaria = "KCD26-J6I72TAV7B";
const char* kAndres = "KCD26-P6QOP7W77X";
const char* kCancelled = "KCD26-KPLVYTO4BH";

class ScanLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_);
    checkin::testing::ImportSampleRoster(*db_, clock_);
    desk_ = checkin::testing::NewDesk(*db_, clock_);
    ASSERT_NE(desk_, nullptr);
  }

  ScanSummary Run(FakeCamera* camera, int keyboard_fd = -1) {
    ScanOptions o;
    o.gate = kDefaultGate;
    o.station = "puerta-1";
    o.pacing = Pacing::kAsFastAsPossible;
    o.reconnect_pause = std::chrono::milliseconds(10);
    ScanCallbacks cb;
    cb.on_decision = [this](const ScanEvent& e) { events_.push_back(e); };
    cb.on_notice = [this](const ScanNotice& n) { notices_.push_back(n); };
    ScanLoop loop(*desk_, clock_, o, cb);
    auto s = loop.Run(camera, keyboard_fd);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : ScanSummary{};
  }

  std::vector<std::string> Verdicts(const std::string& code) const {
    std::vector<std::string> out;
    for (const auto& e : events_) {
      if (e.decision.code == code) out.emplace_back(VerdictName(e.decision.verdict));
    }
    return out;
  }

  checkin::testing::FakeClock clock_;
  checkin::testing::TempDir dir_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::LocalDesk> desk_;
  std::vector<ScanEvent> events_;
  std::vector<ScanNotice> notices_;
};

TEST_F(ScanLoopTest, TicketHeldThreeSecondsIsOneCheckinAndShownAgainIsAlreadyIn) {
  FakeCamera cam(&clock_, false);
  const cv::Mat empty = synth::RenderTickets({});
  cam.AddFrame(synth::RenderTickets({kMaria}), 90);  // three seconds at 30 fps
  cam.AddFrame(empty, 90);                           // away for three seconds
  cam.AddFrame(synth::RenderTickets({kMaria}, synth::Medium::kPhoneDark), 10);
  const ScanSummary s = Run(&cam);
  EXPECT_EQ(Verdicts(kMaria), (std::vector<std::string>{"admitted", "already_checked_in"}));
  EXPECT_EQ(s.frames_read, 190);
  EXPECT_EQ(s.frames_decoded, 190) << "files: every frame, none dropped";
  EXPECT_EQ(s.frames_dropped, 0);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[0].frame, 1);
  EXPECT_EQ(events_[0].decision.attendee->first_name, "María José");
  EXPECT_EQ(events_[0].source, ScanSource::kCamera);
  EXPECT_EQ(events_[1].decision.previous->gate, kDefaultGate);
}

TEST_F(ScanLoopTest, CoupleArrivingTogetherAreEachAnswered) {
  FakeCamera cam(&clock_, false);
  cam.AddFrame(synth::RenderTickets({kMaria, kAndres}), 20);
  Run(&cam);
  EXPECT_EQ(Verdicts(kMaria), std::vector<std::string>{"admitted"});
  EXPECT_EQ(Verdicts(kAndres), std::vector<std::string>{"admitted"});
}

TEST_F(ScanLoopTest, UnknownAndCancelledCodesGetOneDenialPerPresentation) {
  FakeCamera cam(&clock_, false);
  cam.AddFrame(synth::RenderTickets({"KCD26-NOTAREALCODE"}), 60);
  cam.AddFrame(synth::RenderTickets({kCancelled}), 60);
  cam.AddFrame(synth::RenderTickets({}), 70);
  cam.AddFrame(synth::RenderTickets({"KCD26-NOTAREALCODE"}), 30);
  Run(&cam);
  EXPECT_EQ(Verdicts("KCD26-NOTAREALCODE"), (std::vector<std::string>{"unknown", "unknown"}));
  EXPECT_EQ(Verdicts(kCancelled), std::vector<std::string>{"cancelled"});
}

TEST_F(ScanLoopTest, CameraUnpluggedMidStreamIsRetriedWithGrowingPausesAndResumes) {
  FakeCamera cam(&clock_, false);
  cam.AddFrame(synth::RenderTickets({kMaria}), 5);
  cam.AddFault(FakeCamera::Kind::kDisconnect);
  cam.AddFrame(synth::RenderTickets({kAndres}), 5);
  cam.fail_reopens = 3;  // still unplugged for three tries
  Run(&cam);
  EXPECT_EQ(Verdicts(kMaria), std::vector<std::string>{"admitted"});
  EXPECT_EQ(Verdicts(kAndres), std::vector<std::string>{"admitted"});
  EXPECT_EQ(cam.opens, 5);
  ASSERT_EQ(notices_.size(), 6u);
  EXPECT_EQ(notices_[0].kind, ScanNotice::Kind::kCameraOpened);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(notices_[1 + i].kind, ScanNotice::Kind::kCameraLost) << i;
    EXPECT_EQ(notices_[1 + i].retry_in, std::chrono::milliseconds(10 << i)) << i;
  }
  EXPECT_NE(notices_[1].detail.find("unplugged"), std::string::npos);
  EXPECT_NE(notices_[2].detail.find("/dev/video9"), std::string::npos) << "why the last try failed";
  EXPECT_EQ(notices_[5].kind, ScanNotice::Kind::kCameraBack);
}

TEST_F(ScanLoopTest, CorruptFramesAreSkippedWithANotice) {
  FakeCamera cam(&clock_, false);
  cam.AddFault(FakeCamera::Kind::kUnreadable);
  cam.AddFrame(synth::RenderTickets({kMaria}), 3);
  cam.AddFault(FakeCamera::Kind::kUnreadable);
  const ScanSummary s = Run(&cam);
  EXPECT_EQ(s.unreadable_frames, 2);
  EXPECT_EQ(Verdicts(kMaria), std::vector<std::string>{"admitted"});
  ASSERT_EQ(notices_.size(), 3u);
  EXPECT_EQ(notices_[1].kind, ScanNotice::Kind::kUnreadableFrame);
  EXPECT_EQ(notices_[2].kind, ScanNotice::Kind::kUnreadableFrame);
}

TEST_F(ScanLoopTest, CameraThatNeverOpensIsAClearError) {
  FakeCamera cam(&clock_, false);
  cam.fail_opens = 1;
  ScanOptions o;
  o.gate = kDefaultGate;
  ScanLoop loop(*desk_, clock_, o, {});
  auto s = loop.Run(&cam, -1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("/dev/video9"), std::string::npos);
}

TEST_F(ScanLoopTest, HandheldScannerAndCameraShareOneTruth) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string typed = std::string(kAndres) + "\r\n" + kMaria + "\n\n";
  ASSERT_EQ(write(fds[1], typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  close(fds[1]);
  Run(nullptr, fds[0]);
  close(fds[0]);
  EXPECT_EQ(Verdicts(kAndres), std::vector<std::string>{"admitted"});
  EXPECT_EQ(Verdicts(kMaria), std::vector<std::string>{"admitted"});
  for (const auto& e : events_) EXPECT_EQ(e.source, ScanSource::kKeyboard);
  // The camera then sees María: already in, through the keyboard's check-in.
  FakeCamera cam(&clock_, false);
  cam.AddFrame(synth::RenderTickets({kMaria}), 5);
  Run(&cam);
  EXPECT_EQ(Verdicts(kMaria), (std::vector<std::string>{"admitted", "already_checked_in"}));
}

// Issue 9, item 2: the station kept admitting into a deleted event file.
// Now the first code after the file went away is "not recorded" with the
// reason, and the loop stops by itself, with the keyboard still open.
TEST_F(ScanLoopTest, EventFileDeletedUnderTheStationStopsItAdmittingNobody) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string typed = std::string(kAndres) + "\n" + kMaria + "\n";
  ASSERT_EQ(write(fds[1], typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  ASSERT_TRUE(std::filesystem::remove(dir_.File("e.db")));
  ScanOptions o;
  o.gate = kDefaultGate;
  o.station = "puerta-1";
  ScanCallbacks cb;
  cb.on_decision = [&](const ScanEvent& e) {
    events_.push_back(e);
    if (fds[1] >= 0) close(std::exchange(fds[1], -1));  // else a station that goes on never ends
  };
  cb.on_notice = [this](const ScanNotice& n) { notices_.push_back(n); };
  ScanLoop loop(*desk_, clock_, o, cb);
  auto s = loop.Run(nullptr, fds[0]);
  if (fds[1] >= 0) close(fds[1]);
  close(fds[0]);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(events_.empty()) << "answered " << VerdictName(events_[0].decision.verdict);
  EXPECT_GE(s->not_recorded, 1);
  ASSERT_FALSE(notices_.empty());
  EXPECT_EQ(notices_[0].kind, ScanNotice::Kind::kNotRecorded);
  EXPECT_NE(notices_[0].detail.find("fue movida, borrada o reemplazada"), std::string::npos)
      << notices_[0].detail;
}

TEST_F(ScanLoopTest, BadPayloadsAreInvalidOrUnknownAndTouchNothingElse) {
  const std::vector<std::string> payloads = {
      std::string(2000, 'A'),
      std::string("\xff\xfe\xc3(", 4),
      std::string("KCD26-\0AB", 9),
      "'; DROP TABLE attendees; --",
      "%s%s%n%x",
  };
  FakeCamera cam(&clock_, false);
  for (const auto& p : payloads) {
    synth::SceneSpec s;
    s.tickets.push_back({p, synth::Medium::kPaper, 3.5, 0, 0, 0, 0, 0.5, 0.5});
    cam.AddFrame(synth::RenderScene(s), 3);
    cam.AddFrame(synth::RenderTickets({}), 70);
  }
  Run(&cam);
  ASSERT_EQ(events_.size(), payloads.size());
  for (const auto& e : events_) {
    const Verdict v = e.decision.verdict;
    EXPECT_TRUE(v == Verdict::kInvalid || v == Verdict::kUnknown)
        << VerdictName(v) << " " << e.decision.code;
    EXPECT_FALSE(e.decision.attendee.has_value());
  }
  auto all = db::ListAttendees(*db_, db::AttendeeFilter::kAll);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 200u) << "the roster is untouched";
}

}  // namespace
}  // namespace checkin::scanner
