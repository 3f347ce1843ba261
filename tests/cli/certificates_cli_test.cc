// Certificates of attendance end to end: the real `checkin` binary over a
// real event file, its PDFs read back the way a person would (pdftotext for
// the words, pdftoppm and ZXing-cpp for the QR), and `certificates verify`
// asked about the codes printed.
#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/checkin_service.h"
#include "printer/certificate_render.h"
#include "printer/certificate_template.h"
#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/reading.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

using testing::Meaning;
using testing::RunCheckin;
using testing::Shell;
using testing::TempDir;

const auto& kNames = testing::kNamesInSevenScripts;

class CertificatesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("event.db");
    std::string csv =
        "ticket_code,first_name,last_name,email,company,ticket_type,status,order_id,ticket_id\n";
    for (size_t i = 0; i < kNames.size(); ++i) {
      const std::string n = std::to_string(i + 1);
      csv += "T" + n + "," + kNames[i].first + "," + kNames[i].second + ",p" + n +
             "@example.co,,General,valid,O" + n + "," + n + "\n";
    }
    csv += "T99,No,Show,noshow@example.co,,General,valid,O99,99\n";
    std::ofstream(dir_.File("roster.csv")) << csv;
    auto db = testing::NewEventDatabase(db_, clock_);
    testing::ImportFile(*db, dir_.File("roster.csv"), clock_);
  }

  // Admits tickets T1..Tn at 08:00 Bogotá on 2026-11-28.
  void AdmitAll(size_t n = kNames.size()) {
    auto db = db::Database::Open(db_, db::OpenMode::kMustExist);
    ASSERT_TRUE(db.ok());
    auto desk = testing::NewDesk(**db, clock_);
    for (size_t i = 1; i <= n; ++i) Pass(*desk, "T" + std::to_string(i), Direction::kEntry);
  }
  static void Pass(CheckinService& desk, const std::string& code, Direction d) {
    auto r = desk.Redeem({code, "Principal", "door-1", d, ScanSource::kManual});
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->verdict, Verdict::kAdmitted) << code;
  }

  std::string Text(const std::string& pdf) {
    return Shell("pdftotext -enc UTF-8 " + pdf + " - 2>/dev/null");
  }
  // The QR of page `page`, decoded from a 200 dpi raster.
  std::string DecodeQr(const std::string& pdf, int page) {
    const std::string base = dir_.File("page");
    const std::string p = std::to_string(page);
    Shell("pdftoppm -r 200 -gray -f " + p + " -l " + p + " -singlefile " + pdf + " " + base +
          " 2>/dev/null");
    std::ifstream in(base + ".pgm", std::ios::binary);
    std::string magic;
    int w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    in.get();
    std::vector<uint8_t> pixels(static_cast<size_t>(w) * static_cast<size_t>(h));
    in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    auto found = ZXing::ReadBarcodes({pixels.data(), w, h, ZXing::ImageFormat::Lum}, hints);
    return found.size() == 1 ? found[0].text() : "";
  }
  testing::ProcessOutput Certificates(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_, "certificates"});
    return RunCheckin(args);
  }

  TempDir dir_;
  testing::FakeClock clock_;
  std::string db_;
};

TEST_F(CertificatesCliTest, NamesInSevenScriptsComeOutExactly) {
  AdmitAll();
  const std::string pdf = dir_.File("all.pdf");
  auto r = Certificates({"--out", pdf});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("7 certificados"), std::string::npos) << r.out;
  const std::string text = Meaning(Text(pdf));
  for (const auto& [first, last] : kNames) {
    EXPECT_NE(text.find(first + " " + last), std::string::npos) << first << " " << last << "\n"
                                                                << text;
  }
  EXPECT_EQ(text.find("Show"), std::string::npos) << "a no-show gets no certificate";
  EXPECT_NE(text.find("asistió a KCD"), std::string::npos) << text;
  EXPECT_NE(text.find("28 de noviembre de 2026"), std::string::npos) << text;
}

TEST_F(CertificatesCliTest, QrIsTheCodeAndVerifyFindsThePerson) {
  AdmitAll(2);
  const std::string pdf = dir_.File("two.pdf");
  ASSERT_EQ(Certificates({"--out", pdf}).rc, 0);
  const std::string code = DecodeQr(pdf, 2);
  ASSERT_EQ(code.size(), 11u) << code;
  EXPECT_NE(Text(pdf).find(code), std::string::npos) << "the code is printed as well";

  auto v = Certificates({"verify", code});
  EXPECT_EQ(v.rc, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("VÁLIDO"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("Γιώργος Παπαδόπουλος"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("General"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("28 de noviembre de 2026"), std::string::npos) << v.out;
  EXPECT_EQ(v.out.find("@"), std::string::npos) << "no email on the screen";
  // As typed by a person: lower case, no dash, O for 0.
  std::string typed = code.substr(0, 5) + code.substr(6);
  std::transform(typed.begin(), typed.end(), typed.begin(), ::tolower);
  std::replace(typed.begin(), typed.end(), '0', 'o');
  EXPECT_EQ(Certificates({"verify", typed}).rc, 0) << typed;
  auto en = RunCheckin({"--db", db_, "--lang", "en", "certificates", "verify", code});
  EXPECT_NE(en.out.find("VALID"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("28 November 2026"), std::string::npos) << en.out;
}

TEST_F(CertificatesCliTest, TamperedForeignAndMalformedCodesAreRefused) {
  AdmitAll(1);
  const std::string pdf = dir_.File("one.pdf");
  ASSERT_EQ(Certificates({"--out", pdf}).rc, 0);
  const std::string code = DecodeQr(pdf, 1);
  ASSERT_EQ(code.size(), 11u);
  for (size_t i : {0u, 4u, 6u, 10u}) {
    std::string tampered = code;
    tampered[i] = tampered[i] == 'Z' ? 'Y' : 'Z';
    auto v = Certificates({"verify", tampered});
    EXPECT_EQ(v.rc, 1) << tampered;
    EXPECT_NE(v.out.find("NO VÁLIDO"), std::string::npos) << v.out;
    EXPECT_EQ(v.out.find("María"), std::string::npos) << v.out;
  }
  for (const std::string bad : {"hello", "ABCDE-FGHJ", "ABCDE-FGHJKM", "ABCDE-FGHJU"}) {
    auto v = Certificates({"verify", bad});
    EXPECT_EQ(v.rc, 1) << bad;
    EXPECT_NE(v.out.find("no es un código"), std::string::npos) << v.out;
  }
  // The same roster in another event file has another key.
  const std::string other = dir_.File("other.db");
  {
    auto db = testing::NewEventDatabase(other, clock_);
    testing::ImportFile(*db, dir_.File("roster.csv"), clock_);
    auto desk = testing::NewDesk(*db, clock_);
    Pass(*desk, "T1", Direction::kEntry);
  }
  EXPECT_EQ(RunCheckin({"--db", other, "certificates", "verify", code}).rc, 1);
}

TEST_F(CertificatesCliTest, HoursCountOnlyWhenExitsWereScannedAndUndosAreRemoved) {
  {
    auto db = db::Database::Open(db_, db::OpenMode::kMustExist);
    ASSERT_TRUE(db.ok());
    auto desk = testing::NewDesk(**db, clock_);
    Pass(*desk, "T1", Direction::kEntry);  // 08:00
    clock_.Advance(std::chrono::minutes(270));
    Pass(*desk, "T1", Direction::kExit);  // 12:30
    clock_.Advance(std::chrono::hours(24) - std::chrono::minutes(270));
    Pass(*desk, "T1", Direction::kEntry);  // next day 08:00
    clock_.Advance(std::chrono::hours(2));
    Pass(*desk, "T1", Direction::kExit);
    Pass(*desk, "T2", Direction::kEntry);
    UndoRequest undo;
    undo.target = UndoRequest::Target::kCode;
    undo.code = "T2";
    undo.station = "door-1";
    auto undone = desk->Undo(undo);
    ASSERT_TRUE(undone.ok()) << undone.status().message();
  }
  const std::string pdf = dir_.File("hours.pdf");
  auto r = Certificates({"--out", pdf});
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string text = Text(pdf);
  EXPECT_NE(text.find("el 28 y 29 de noviembre de 2026, durante 6,5 horas."), std::string::npos)
      << text;
  EXPECT_EQ(text.find("Γιώργος"), std::string::npos) << "an undone admission is no attendance";
}

TEST_F(CertificatesCliTest, FolderHasOnePdfEachAndAMailMergeCsv) {
  AdmitAll(3);
  const std::string out = dir_.File("certs");
  auto r = RunCheckin({"--db", db_, "--lang", "en", "certificates", "--out", out});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::ifstream csv(out + "/certificates.csv");
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header, "\"name\",\"email\",\"certificate\"\r");
  std::vector<std::string> rows;
  while (std::getline(csv, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0],
            "\"María José Muñoz Peña\",\"p1@example.co\",\"0001-maria-jose-munoz-pena.pdf\"\r");
  EXPECT_EQ(rows[2], "\"Анна Иванова\",\"p3@example.co\",\"0003-anna-ivanova.pdf\"\r");
  const std::string text = Text(out + "/0001-maria-jose-munoz-pena.pdf");
  EXPECT_NE(text.find("Certificate of attendance"), std::string::npos) << text;
  EXPECT_NE(text.find("attended KCD Colombia 2026 on 28 November 2026."), std::string::npos)
      << text;
  EXPECT_TRUE(std::filesystem::exists(out + "/0002-giorgos-papadopoulos.pdf"));
  EXPECT_EQ(r.out.find("@"), std::string::npos) << "no email on the screen";
}

TEST_F(CertificatesCliTest, TemplateSetsTheWordsAndBadOnesAreRefusedWithTheLine) {
  AdmitAll(1);
  const std::string good = dir_.File("good.toml");
  std::ofstream(good) << "title = \"Constancia de participación\"\n"
                         "body = \"participó en {event} ({ticket_type}) el {dates}.\"\n"
                         "signer = \"Ana Pérez\"\nsigner_role = \"Coordinadora\"\n";
  const std::string pdf = dir_.File("t.pdf");
  auto r = Certificates({"--out", pdf, "--template", good});
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string text = Text(pdf);
  for (const char* want :
       {"Constancia de participación", "participó en KCD Colombia 2026 (General)", "Ana Pérez",
        "Coordinadora"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"title = \"x\"\nfooter = \"y\"\n", "2: unknown key 'footer'"},
      {"body = \"asistió a {evento}\"\n", "1: unknown placeholder {evento}"},
      {"body = \"{name} asistió\"\n", "{name} is not a placeholder"},
      {"body = \"asistió a {event\"\n", "never closed"},
      {"title = 3\n", "title must be text"},
      {"title = \"\"\n", "the title is empty"},
      {"title = \"unclosed\n", "bad.toml:1"},
      {"signer = \"{event}\"\n", "only intro and body take placeholders"},
  };
  for (const auto& [toml, want] : bad) {
    std::ofstream(dir_.File("bad.toml")) << toml;
    auto b = Certificates({"--out", dir_.File("bad.pdf"), "--template", dir_.File("bad.toml")});
    EXPECT_EQ(b.rc, 2) << toml;
    EXPECT_NE(b.err.find(want), std::string::npos) << toml << " -> " << b.err;
    EXPECT_FALSE(std::filesystem::exists(dir_.File("bad.pdf")));
  }
}

TEST_F(CertificatesCliTest, RefusesEmptyEventsExistingOutputAndUnwritablePaths) {
  const std::string pdf = dir_.File("c.pdf");
  auto empty = Certificates({"--out", pdf});
  EXPECT_EQ(empty.rc, 2);
  EXPECT_NE(empty.err.find("nadie ha ingresado"), std::string::npos) << empty.err;
  EXPECT_FALSE(std::filesystem::exists(pdf));

  AdmitAll(1);
  std::ofstream(pdf) << "earlier";
  auto exists = Certificates({"--out", pdf});
  EXPECT_EQ(exists.rc, 2);
  EXPECT_NE(exists.err.find("--force"), std::string::npos) << exists.err;
  EXPECT_EQ(Shell("cat " + pdf), "earlier");
  EXPECT_EQ(Certificates({"--out", pdf, "--force"}).rc, 0);
  EXPECT_NE(Shell("head -c 5 " + pdf), "earli");

  const std::string folder = dir_.File("full");
  std::filesystem::create_directory(folder);
  std::ofstream(folder + "/keep.txt") << "x";
  EXPECT_EQ(Certificates({"--out", folder}).rc, 2);
  EXPECT_EQ(Certificates({"--out", dir_.File("nowhere/sub/c.pdf")}).rc, 2);
  EXPECT_EQ(Certificates({"--out", dir_.File("nowhere/sub")}).rc, 2);
  auto no_out = Certificates({});
  EXPECT_EQ(no_out.rc, 2);
  EXPECT_NE(no_out.err.find("--out"), std::string::npos) << no_out.err;
}

TEST(CertificateWordsTest, DatesAndHoursReadNaturally) {
  using printer::DatesText;
  using printer::HoursText;
  EXPECT_EQ(DatesText({"2026-11-28"}, Language::kSpanish), "28 de noviembre de 2026");
  EXPECT_EQ(DatesText({"2026-11-30", "2026-12-01"}, Language::kSpanish),
            "30 de noviembre de 2026 y 1 de diciembre de 2026");
  EXPECT_EQ(DatesText({"2026-11-27", "2026-11-28", "2026-11-29"}, Language::kEnglish),
            "27, 28 and 29 November 2026");
  EXPECT_EQ(HoursText(std::nullopt, Language::kSpanish), "");
  EXPECT_EQ(HoursText(0, Language::kSpanish), "");
  EXPECT_EQ(HoursText(60, Language::kSpanish), ", durante 1 hora");
  EXPECT_EQ(HoursText(390, Language::kEnglish), ", for 6.5 hours");
}

}  // namespace
}  // namespace checkin
