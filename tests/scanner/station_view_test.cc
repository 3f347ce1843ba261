// What the volunteer sees and hears: banner wording and colour, the painted
// station view, and the tones.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "common/font.h"
#include "scanner/banner.h"
#include "scanner/preview.h"
#include "scanner/sound.h"
#include "tests/fakes/fake_camera.h"
#include "tests/synth/synth.h"

namespace checkin::scanner {
namespace {

Decision Admitted() {
  Decision d;
  d.verdict = Verdict::kAdmitted;
  d.code = "KCD26-J6I72TAV7B";
  Attendee a;
  a.first_name = "María José";
  a.last_name = "Muñoz Peña";
  a.ticket_type = "Speaker";
  d.attendee = a;
  d.gate = "Principal";
  return d;
}

TEST(BannerTest, AdmittedIsGreenWithTheNameAndTicketType) {
  const Banner b = BannerFor(Admitted(), Language::kSpanish, "America/Bogota");
  EXPECT_EQ(b.tone, Tone::kGreen);
  EXPECT_EQ(b.title, "ADMITIDO");
  EXPECT_EQ(b.name, "María José Muñoz Peña · Speaker");
  EXPECT_NE(b.detail.find("María José"), std::string::npos);
}

TEST(BannerTest, AlreadyInIsAmberWithTimeAndGate) {
  Decision d = Admitted();
  d.verdict = Verdict::kAlreadyCheckedIn;
  d.previous = PreviousCheckin{"2026-11-28T13:12:00.000Z", "Talleres", "mesa-2", Direction::kEntry};
  const Banner b = BannerFor(d, Language::kSpanish, "America/Bogota");
  EXPECT_EQ(b.tone, Tone::kAmber);
  EXPECT_EQ(b.title, "YA INGRESÓ");
  EXPECT_NE(b.detail.find("08:12"), std::string::npos) << b.detail;
  EXPECT_NE(b.detail.find("Talleres"), std::string::npos) << b.detail;
}

TEST(BannerTest, DenialsAreRedAndSayWhatToDoInEitherLanguage) {
  Decision d;
  d.verdict = Verdict::kUnknown;
  d.code = "KCD26-NOPE";
  const Banner es = BannerFor(d, Language::kSpanish, "America/Bogota");
  EXPECT_EQ(es.tone, Tone::kRed);
  EXPECT_EQ(es.name, "KCD26-NOPE");
  EXPECT_NE(es.detail.find("mesa de ayuda"), std::string::npos) << es.detail;
  const Banner en = BannerFor(d, Language::kEnglish, "America/Bogota");
  EXPECT_EQ(en.title, "UNKNOWN");
  EXPECT_NE(en.detail.find("help desk"), std::string::npos) << en.detail;
}

TEST(StationPainterTest, BannerAcrossTheBottomThirdAndTheCodeOutlined) {
  auto font = FindFontFile(kDefaultBoldFont);
  ASSERT_TRUE(font.ok()) << font.status().message();
  auto painter = StationPainter::Create(*font);
  ASSERT_TRUE(painter.ok()) << painter.status().message();
  synth::SceneSpec s;
  s.tickets.push_back({"KCD26-J6I72TAV7B", synth::Medium::kPaper, 6, 0, 0, 0, 0, 0.5, 0.35});
  const Frame f = testing::FrameFromMat(synth::RenderScene(s));
  Decoder decoder(Effort::kStill);
  auto codes = decoder.Decode(f);
  ASSERT_TRUE(codes.ok() && codes->size() == 1);
  const Frame view =
      (*painter)->Paint(f, *codes, BannerFor(Admitted(), Language::kSpanish, "America/Bogota"));
  ASSERT_TRUE(view.Valid());
  const cv::Mat img(view.height, view.width, CV_8UC3, const_cast<uint8_t*>(view.pixels.data()));
  // Bottom-right corner of the banner: the admitted green, no text there.
  const cv::Vec3b corner = img.at<cv::Vec3b>(view.height - 3, view.width - 3);
  EXPECT_GT(corner[1], 120);
  EXPECT_LT(corner[2], 100);
  // White text on the banner: the title's strokes.
  int white = 0;
  for (int y = view.height * 2 / 3; y < view.height; ++y) {
    for (int x = 0; x < view.width / 2; ++x)
      white += img.at<cv::Vec3b>(y, x) == cv::Vec3b(255, 255, 255);
  }
  EXPECT_GT(white, 2000);
  // The outline: green pixels on the code's top-left corner.
  const Point tl = (*codes)[0].corners[0];
  const cv::Vec3b at = img.at<cv::Vec3b>(static_cast<int>(tl.y), static_cast<int>(tl.x));
  EXPECT_EQ(at, cv::Vec3b(60, 150, 30));
  if (const char* dir = std::getenv("CHECKIN_SCREENSHOT_DIR"))
    cv::imwrite(std::string(dir) + "/station.png", img);
}

TEST(BannerTest, ADecisionWithoutTheHubCarriesTheOfflineBandInEitherLanguage) {
  Decision d = Admitted();
  EXPECT_TRUE(BannerFor(d, Language::kSpanish, "America/Bogota").band.empty());
  d.offline = true;
  EXPECT_NE(BannerFor(d, Language::kSpanish, "America/Bogota").band.find("SIN CONEXIÓN"),
            std::string::npos);
  EXPECT_NE(BannerFor(d, Language::kEnglish, "America/Bogota").band.find("HUB UNREACHABLE"),
            std::string::npos);
}

// While the hub is away the band stays across the top, with no verdict on
// screen; the picture below it is left alone.
TEST(StationPainterTest, OfflineBandAcrossTheTopWithoutABanner) {
  auto font = FindFontFile(kDefaultBoldFont);
  ASSERT_TRUE(font.ok()) << font.status().message();
  auto painter = StationPainter::Create(*font);
  ASSERT_TRUE(painter.ok()) << painter.status().message();
  synth::SceneSpec s;
  const Frame f = testing::FrameFromMat(synth::RenderScene(s));
  const Frame plain = (*painter)->Paint(f, {}, std::nullopt);
  const Frame view = (*painter)->Paint(f, {}, std::nullopt, HubAwayLine(Language::kSpanish));
  ASSERT_TRUE(view.Valid() && plain.Valid());
  const cv::Mat img(view.height, view.width, CV_8UC3, const_cast<uint8_t*>(view.pixels.data()));
  const cv::Mat before(plain.height, plain.width, CV_8UC3,
                       const_cast<uint8_t*>(plain.pixels.data()));
  EXPECT_EQ(img.at<cv::Vec3b>(2, view.width - 3), cv::Vec3b(0, 170, 245));  // amber
  int white = 0;
  for (int y = 0; y < view.height / 12; ++y) {
    for (int x = 0; x < view.width; ++x)
      white += img.at<cv::Vec3b>(y, x) == cv::Vec3b(255, 255, 255);
  }
  EXPECT_GT(white, 200) << "the band's words";
  // Below the band, the picture as it was.
  const cv::Rect below(0, view.height / 6, view.width, view.height - view.height / 6);
  EXPECT_EQ(cv::norm(img(below), before(below), cv::NORM_INF), 0.0);
  if (const char* dir = std::getenv("CHECKIN_SCREENSHOT_DIR"))
    cv::imwrite(std::string(dir) + "/station-offline.png", img);
}

TEST(SoundTest, ThreeDistinctTonesAsValidWavFiles) {
  const std::string green = ToneWav(Tone::kGreen), amber = ToneWav(Tone::kAmber),
                    red = ToneWav(Tone::kRed);
  for (const std::string* w : {&green, &amber, &red}) {
    ASSERT_GT(w->size(), 44u);
    EXPECT_EQ(w->substr(0, 4), "RIFF");
    EXPECT_EQ(w->substr(8, 8), "WAVEfmt ");
    EXPECT_EQ(w->substr(36, 4), "data");
    const double seconds = static_cast<double>(w->size() - 44) / (16000 * 2);
    EXPECT_GT(seconds, 0.15);
    EXPECT_LT(seconds, 0.6) << "short enough not to slow the queue";
  }
  EXPECT_NE(green, red);
  EXPECT_NE(green, amber);
}

}  // namespace
}  // namespace checkin::scanner
