// `checkin scan` and `checkin decode` end to end: the real binary, a real
// SQLite event, a synthetic queue video and image files through OpenCV.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <utility>

#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"
#include "tests/synth/synth.h"

namespace checkin {
namespace {

using checkin::testing::ProcessOutput;
using checkin::testing::TempDir;

using checkin::testing::RunCheckin;

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not one JSON object per line: " << line;
    v.push_back(j);
  }
  return v;
}

class ScanCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("kcd.db");
    ASSERT_EQ(RunCheckin({"init", "--db", db_, "--event", "KCD Colombia 2026"}).rc, 0);
    // A small roster: twelve valid tickets and one cancelled.
    std::ofstream csv(dir_.File("roster.csv"));
    csv << "ticket_code,first_name,last_name,email,company,ticket_type,status\n";
    for (int i = 0; i < 12; ++i) {
      codes_.push_back("KCD26-QUEUE" + std::to_string(10000 + i));
      csv << codes_.back() << ",Persona " << i << ",Muñoz Peña,p" << i
          << "@example.co,,General,valid\n";
    }
    csv << "KCD26-CANCELLED01,Ana,Ruiz,a@example.co,,General,cancelled\n";
    csv.close();
    const ProcessOutput imp =
        RunCheckin({"roster", "import", dir_.File("roster.csv"), "--db", db_});
    ASSERT_EQ(imp.rc, 0) << imp.err;
  }

  TempDir dir_;
  std::string db_;
  std::vector<std::string> codes_;
};

TEST_F(ScanCliTest, QueueVideoAdmitsEveryAttendeeOnceAndAnswersRepeatsAndStrangers) {
  synth::QueueSpec q;
  q.payloads = codes_;
  // After the queue: two people come back, a stranger, and a cancelled ticket.
  for (const std::string& extra :
       {codes_[0], codes_[1], std::string("KCD26-NOTINLIST9"), std::string("KCD26-CANCELLED01")}) {
    q.payloads.push_back(extra);
  }
  // Ten frames a person are still ten sightings of one presentation (two of
  // them the ticket rising into view), and the repeats come back seconds of
  // media time later, well past the 2 s window; every frame is generated and
  // decoded under the sanitizers, so the video is no longer than that.
  q.hold_frames = 10;
  q.gap_frames = 4;
  std::string error;
  ASSERT_TRUE(synth::WriteQueueVideo(q, dir_.File("queue.avi"), &error)) << error;

  const ProcessOutput o = RunCheckin({"scan", "--source", dir_.File("queue.avi"), "--headless",
                                      "--json", "--db", db_, "--station", "puerta-1"});
  ASSERT_EQ(o.rc, 0) << o.err;
  auto lines = Lines(o.out);
  ASSERT_FALSE(lines.empty());
  const nlohmann::json summary = lines.back();
  lines.pop_back();
  std::map<std::string, std::vector<std::string>> verdicts;
  for (const auto& j : lines) {
    for (const char* key : {"ts", "frame", "code", "verdict", "attendee", "gate", "latency_ms"}) {
      EXPECT_TRUE(j.contains(key)) << key << " missing in " << j.dump();
    }
    verdicts[j["code"]].push_back(j["verdict"]);
    if (j["verdict"] == "admitted") {
      EXPECT_EQ(j["attendee"]["last_name"], "Muñoz Peña");
      EXPECT_EQ(j["gate"], "Principal");
      EXPECT_GT(j["frame"].get<int>(), 0);
      EXPECT_GE(j["latency_ms"].get<double>(), 0);
    }
  }
  for (size_t i = 0; i < codes_.size(); ++i) {
    const std::vector<std::string> want =
        i < 2 ? std::vector<std::string>{"admitted", "already_checked_in"}
              : std::vector<std::string>{"admitted"};
    EXPECT_EQ(verdicts[codes_[i]], want) << codes_[i];
  }
  EXPECT_EQ(verdicts["KCD26-NOTINLIST9"], std::vector<std::string>{"unknown"});
  EXPECT_EQ(verdicts["KCD26-CANCELLED01"], std::vector<std::string>{"cancelled"});
  EXPECT_EQ(verdicts.size(), codes_.size() + 2) << "no false reads";

  const auto& s = summary["summary"];
  EXPECT_EQ(s["frames_read"], static_cast<int>(q.payloads.size()) * (q.hold_frames + q.gap_frames));
  EXPECT_EQ(s["frames_decoded"], s["frames_read"]);
  EXPECT_EQ(s["frames_dropped"], 0);
  EXPECT_EQ(s["decisions"]["admitted"], 12);
  EXPECT_EQ(s["decisions"]["already_checked_in"], 2);

  // Same truth for the desk: stats count twelve people in.
  const ProcessOutput stats = RunCheckin({"stats", "--db", db_, "--lang", "en"});
  EXPECT_NE(stats.out.find("12"), std::string::npos) << stats.out;
}

TEST_F(ScanCliTest, PrintFlagQueuesABadgeForEachAdmission) {
  synth::SceneSpec scene;
  scene.tickets.push_back({codes_[3], synth::Medium::kPhoneDark, 6, 10, 0, 0, 0, 0.5, 0.5});
  std::filesystem::create_directories(dir_.File("frames"));
  cv::imwrite(dir_.File("frames/0001.png"), synth::RenderScene(scene));
  const ProcessOutput o =
      RunCheckin({"scan", "--source", dir_.File("frames"), "--headless", "--print", "--db", db_});
  ASSERT_EQ(o.rc, 0) << o.err;
  EXPECT_NE(o.out.find("Persona 3"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("ADMITIDO"), std::string::npos) << "Spanish by default: " << o.out;
  const ProcessOutput status = RunCheckin({"print", "status", "--db", db_, "--lang", "en"});
  EXPECT_NE(status.out.find("1 queued"), std::string::npos) << status.out;
}

TEST_F(ScanCliTest, FolderWithADamagedImageSkipsItAndGoesOn) {
  std::filesystem::create_directories(dir_.File("frames"));
  std::ofstream(dir_.File("frames/0001.jpg")) << "not really a jpeg";
  synth::SceneSpec scene;
  scene.tickets.push_back({codes_[5], synth::Medium::kPaper, 5, 0, 0, 0, 0, 0.5, 0.5});
  cv::imwrite(dir_.File("frames/0002.png"), synth::RenderScene(scene));
  const ProcessOutput o =
      RunCheckin({"scan", "--source", dir_.File("frames"), "--headless", "--json", "--db", db_});
  EXPECT_EQ(o.rc, 0) << o.err;
  EXPECT_NE(o.err.find("0001.jpg"), std::string::npos) << o.err;
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_EQ(lines[0]["verdict"], "admitted");
  EXPECT_EQ(lines[1]["summary"]["unreadable_frames"], 1);
}

TEST_F(ScanCliTest, MissingSourcesAreClearErrors) {
  std::filesystem::create_directories(dir_.File("empty"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/dev/video9", "/dev/video9"},
      {dir_.File("empty"), "no images"},
      {dir_.File("nope.mp4"), "nope.mp4"},
  };
  for (const auto& [source, says] : cases) {
    const ProcessOutput o = RunCheckin({"scan", "--source", source, "--headless", "--db", db_});
    EXPECT_EQ(o.rc, 2) << source;
    EXPECT_NE(o.err.find(says), std::string::npos) << source << ": " << o.err;
  }
  // A stream nobody serves: a clear error, and its password never shown.
  const ProcessOutput stream = RunCheckin(
      {"scan", "--source", "rtsp://puerta:s3cr3t@127.0.0.1:9/cam", "--headless", "--db", db_});
  EXPECT_EQ(stream.rc, 2);
  EXPECT_NE(stream.err.find("rtsp://puerta:***@127.0.0.1:9/cam"), std::string::npos) << stream.err;
  EXPECT_EQ(stream.err.find("s3cr3t"), std::string::npos) << stream.err;
  std::ofstream(dir_.File("broken.avi")) << "RIFF....AVI garbage";
  const ProcessOutput broken =
      RunCheckin({"scan", "--source", dir_.File("broken.avi"), "--headless", "--db", db_});
  EXPECT_EQ(broken.rc, 2) << broken.out;
  EXPECT_NE(broken.err.find("broken.avi"), std::string::npos) << broken.err;
  const ProcessOutput no_display =
      RunCheckin({"scan", "--source", dir_.File("empty"), "--db", db_});
  EXPECT_EQ(no_display.rc, 2);
}

// Cameras also take their credentials in the query string (issue 9, item 11).
TEST_F(ScanCliTest, StreamCredentialsInTheQueryAreNeverShown) {
  for (const std::string url : {"rtsp://127.0.0.1:9/cam?user=admin&password=s3cr3t&token=t0k3n",
                                "http://127.0.0.1:9/video.mjpg?pwd=s3cr3t&apikey=t0k3n",
                                "rtsp://admin:s3cr3t@127.0.0.1:9/cam?auth=t0k3n"}) {
    const ProcessOutput o = RunCheckin({"scan", "--source", url, "--headless", "--db", db_});
    EXPECT_EQ(o.rc, 2) << url;
    EXPECT_NE(o.err.find("127.0.0.1:9"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("=***"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("s3cr3t"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("t0k3n"), std::string::npos) << o.err;
  }
}

TEST_F(ScanCliTest, StationWindowOpensOnADisplayAndScansTheSame) {
  // A real X server (Xvfb) stands in for the station laptop's screen.
  synth::SceneSpec scene;
  scene.tickets.push_back({codes_[7], synth::Medium::kPhoneLight, 6, 0, 0, 0, 0, 0.5, 0.5});
  std::filesystem::create_directories(dir_.File("frames"));
  for (int i = 1; i <= 5; ++i)
    cv::imwrite(dir_.File("frames/" + std::to_string(i) + ".png"), synth::RenderScene(scene));
  const ProcessOutput o = checkin::testing::RunProcess(
      "/usr/bin/xvfb-run", {"-a", "-s", "-screen 0 1280x800x24", CHECKIN_BINARY, "scan", "--source",
                            dir_.File("frames"), "--db", db_, "--lang", "en"});
  ASSERT_EQ(o.rc, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("ADMITTED"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Persona 7"), std::string::npos) << o.out;
}

// A keyboard station in a child process whose stdin the test types into and
// whose stdout it reads line by line.
class KeyboardStation {
 public:
  explicit KeyboardStation(const std::vector<std::string>& args) {
    int in[2], out[2], err[2];
    EXPECT_EQ(pipe(in), 0);
    EXPECT_EQ(pipe(out), 0);
    EXPECT_EQ(pipe(err), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      dup2(err[1], 2);
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
      std::vector<char*> argv{const_cast<char*>(CHECKIN_BINARY)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      unsetenv("CHECKIN_DB");
      setenv("CHECKIN_CONFIG", "", 1);
      execv(CHECKIN_BINARY, argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    in_ = in[1];
    out_ = fdopen(out[0], "r");
    err_ = err[0];
  }
  ~KeyboardStation() { CloseKeyboard(); }
  void Type(const std::string& code) {
    const std::string line = code + "\n";
    EXPECT_EQ(write(in_, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  }
  // The next line on stdout, or "" at its end.
  std::string ReadLine() {
    char buf[4096];
    return fgets(buf, sizeof buf, out_) != nullptr ? buf : "";
  }
  void CloseKeyboard() {
    if (in_ >= 0) close(std::exchange(in_, -1));
  }
  // Waits for the exit; returns its status and what it said on stderr.
  int Wait(std::string& err) {
    char buf[4096];
    for (ssize_t n; (n = read(err_, buf, sizeof buf)) > 0;) err.append(buf, static_cast<size_t>(n));
    int status = 0;
    waitpid(pid_, &status, 0);
    fclose(out_);
    close(err_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1, err_ = -1;
  FILE* out_ = nullptr;
};

// Issue 9, item 2: with its event file deleted, the station went on
// answering ADMITIDO into it, all lost at exit. Now it answers "NO
// registrado" with the reason and stops by itself, keyboard still open.
TEST_F(ScanCliTest, EventFileDeletedWhileScanningStopsTheStation) {
  KeyboardStation station({"scan", "--source", "keyboard", "--headless", "--json", "--db", db_});
  station.Type(codes_[0]);
  const auto first = nlohmann::json::parse(station.ReadLine(), nullptr, false);
  ASSERT_FALSE(first.is_discarded());
  EXPECT_EQ(first["verdict"], "admitted");
  ASSERT_TRUE(std::filesystem::remove(db_));
  station.Type(codes_[1]);
  const std::string next = station.ReadLine();
  station.CloseKeyboard();  // a station that goes on would wait for it forever
  std::string err;
  const int rc = station.Wait(err);
  EXPECT_EQ(rc, 2) << err;
  EXPECT_EQ(next.find("\"verdict\""), std::string::npos)
      << "answered after the file was gone: " << next;
  EXPECT_NE(err.find("NO registrado, no dejar pasar todavía: la base de datos " + db_ +
                     " fue movida, borrada o reemplazada"),
            std::string::npos)
      << err;
}

TEST_F(ScanCliTest, DecodeJsonIsOneObjectPerFile) {
  synth::SceneSpec scene;
  scene.tickets.push_back({codes_[0], synth::Medium::kPhoneDark, 5, 20, 0, 0, 0, 0.3, 0.5});
  scene.tickets.push_back({codes_[1], synth::Medium::kPaper, 5, -10, 0, 0, 0, 0.72, 0.5});
  cv::imwrite(dir_.File("couple.png"), synth::RenderScene(scene));
  cv::imwrite(dir_.File("empty.png"), synth::RenderScene(synth::SceneSpec{}));
  std::ofstream(dir_.File("junk.png")) << "junk";
  const ProcessOutput o = RunCheckin(
      {"decode", "--json", dir_.File("couple.png"), dir_.File("empty.png"), dir_.File("junk.png")});
  EXPECT_EQ(o.rc, 2) << "a file could not be read";
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 3u) << o.out;
  EXPECT_EQ(lines[0]["file"], dir_.File("couple.png"));
  ASSERT_EQ(lines[0]["codes"].size(), 2u);
  std::set<std::string> texts;
  for (const auto& c : lines[0]["codes"]) {
    texts.insert(c["text"].get<std::string>());
    ASSERT_EQ(c["corners"].size(), 4u);
    EXPECT_EQ(c["corners"][0].size(), 2u);
  }
  EXPECT_EQ(texts, (std::set<std::string>{codes_[0], codes_[1]}));
  EXPECT_GT(lines[0]["ms"].get<double>(), 0);
  EXPECT_TRUE(lines[1]["codes"].empty());
  EXPECT_TRUE(lines[2].contains("error"));
}

}  // namespace
}  // namespace checkin
