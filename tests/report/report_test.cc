// The attendance report over a generated two-day event whose every figure
// is known: arrivals at set times at two gates and three stations, a repeat,
// denials of four verdicts, an undo, exits, a conflict uploaded by a station
// that was cut off, a late registration and a reprint. The JSON and the CSV
// must say exactly that, and the same as the real `checkin stats`.
#include "report/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/config.h"
#include "common/random.h"
#include "db/arrivals.h"
#include "db/checkin_desk.h"
#include "db/csv_table.h"
#include "db/offline.h"
#include "db/print_desk.h"
#include "db/print_queue.h"
#include "db/report_queries.h"
#include "tests/fakes/reading.h"
#include "tests/fakes/test_db.h"

namespace checkin::report {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::Meaning;
using checkin::testing::RunProcess;
using checkin::testing::TempDir;
using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kHeader =
    "ticket_code,first_name,last_name,email,company,ticket_type,status\n";
constexpr const char* kRoster =
    "A1,Ana,Uno,a1@example.com,,General,valid\n"
    "A2,Beto,Dos,a2@example.com,,General,valid\n"
    "A3,Carla,Tres,a3@example.com,,General,valid\n"
    "A4,Dario,Cuatro,a4@example.com,,General,valid\n"
    "A5,Elena,Cinco,a5@example.com,,General,valid\n"
    "A6,Fabio,Seis,a6@example.com,,General,valid\n"
    "S1,Gloria,Ponente,s1@example.com,,Speaker,valid\n"
    "S2,Hugo,Ponente,s2@example.com,,Speaker,valid\n"
    "S3,Íngrid,Ñáñez,s3@example.com,,Speaker,valid\n"
    "C1,Juan,Cancelado,c1@example.com,,General,cancelled\n";
constexpr const char* kLate = "L1,Karen,Tarde,l1@example.com,,General,valid\n";

// 2026-11-28 08:00 in Bogotá (UTC-5), the first day's doors.
const auto kDay1 = std::chrono::system_clock::time_point(seconds(1795870800));

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(kDay1 - hours(2));
    db_ = checkin::testing::NewEventDatabase(dir_.File("event.db"), clock_);
    Import(std::string(kHeader) + kRoster);
    auto config = ParseConfig(
        "[[gate]]\nname = \"Norte\"\n[[gate]]\nname = \"Sur\"\nticket_types = [\"Speaker\"]\n",
        "t.toml");
    ASSERT_TRUE(config.ok());
    auto desk = db::CheckinDesk::Create(*db_, clock_, *config);
    ASSERT_TRUE(desk.ok());
    desk_ = std::move(*desk);
    PlayDayOne();
    PlayDayTwo();
  }

  void Import(const std::string& csv) {
    const std::string path = dir_.File("roster.csv");
    std::ofstream(path) << csv;
    checkin::testing::ImportFile(*db_, path, clock_);
  }

  // Redeems `code` at `at` past kDay1 and checks the verdict.
  void Scan(std::chrono::seconds at, const std::string& code, const std::string& gate,
            const std::string& station, Verdict expect, Direction d = Direction::kEntry) {
    clock_.Set(kDay1 + at);
    auto r = desk_->Redeem({code, gate, station, d, ScanSource::kCamera});
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->verdict, expect) << code << " at " << at.count();
  }

  int64_t IdOf(const std::string& code) {
    return checkin::testing::QueryInt(
        *db_, "SELECT id FROM attendees WHERE ticket_code = '" + code + "'");
  }

  void PlayDayOne() {
    Scan(seconds(0), "A1", "Norte", "n1", Verdict::kAdmitted);
    Scan(seconds(30), "A2", "Norte", "n1", Verdict::kAdmitted);  // the same minute as A1
    Scan(minutes(3), "A1", "Norte", "n2", Verdict::kAlreadyCheckedIn);
    Scan(minutes(7), "S1", "Sur", "s1", Verdict::kAdmitted);
    Scan(minutes(8), "A3", "Sur", "s1", Verdict::kNotAllowed);
    Scan(minutes(16), "NOPE-1234", "Norte", "n2", Verdict::kUnknown);
    Scan(minutes(16) + seconds(20), "A4", "Norte", "n2", Verdict::kAdmitted);
    Scan(minutes(17), "C1", "Norte", "n1", Verdict::kCancelled);
    Scan(minutes(20), "A4", "Norte", "n2", Verdict::kAdmitted, Direction::kExit);
    Scan(minutes(31), "A5", "Norte", "n1", Verdict::kAdmitted);
    clock_.Set(kDay1 + minutes(32));
    ASSERT_TRUE(
        desk_->Undo({UndoRequest::Target::kLastAtStation, "", 0, "n1", "mal escaneo"}).ok());
    // n2 was cut off from the hub and let S1 in again at 08:40; its upload
    // makes the one conflict.
    db::LoggedCheckin offline{RandomUuid(), IdOf("S1"),
                              "S1",         "Norte",
                              "n2",         Direction::kEntry,
                              "admitted",   ScanSource::kCamera,
                              "admitted",   "",
                              "",           FormatUtc(kDay1 + minutes(40)),
                              true};
    clock_.Set(kDay1 + minutes(45));
    auto up = db::RecordOffline(*db_, {offline}, clock_);
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)[0].conflict);
    // Registered at 09:00, once doors had opened; in at 09:05.
    clock_.Set(kDay1 + hours(1));
    Import(std::string(kHeader) + kRoster + kLate);
    Scan(hours(1) + minutes(5), "L1", "Norte", "n1", Verdict::kAdmitted);
    // A1's badge twice (one reprint); A2's second one cancelled at the desk.
    db::PrintQueue queue(*db_, clock_);
    ASSERT_TRUE(queue.Enqueue(IdOf("A1"), "n1").ok());
    ASSERT_TRUE(queue.Enqueue(IdOf("A1"), "desk", "se mojó").ok());
    ASSERT_TRUE(queue.Enqueue(IdOf("A2"), "n1").ok());
    auto again = queue.Enqueue(IdOf("A2"), "desk", "por si acaso");
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(db::PrintDesk(*db_, clock_, Language::kSpanish).Cancel(*again, "desk").ok());
    Scan(hours(9), "A2", "Norte", "n1", Verdict::kAdmitted, Direction::kExit);
  }

  // 2026-11-29: A2 comes back, A6 comes for the first time.
  void PlayDayTwo() {
    Scan(hours(24) + minutes(10), "A2", "Norte", "n1", Verdict::kAdmitted);
    Scan(hours(24) + minutes(11), "A6", "Norte", "n1", Verdict::kAdmitted);
  }

  Report Compute(const std::string& day = "", int bins = 15, Names names = Names::kLeftOut) {
    auto r = ComputeReport(*db_, clock_, {day, bins, names, Language::kEnglish});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : Report{};
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::CheckinDesk> desk_;
};

TEST_F(ReportTest, WholeEventJsonHoldsTheTruth) {
  const json j = json::parse(ReportJson(Compute()));
  EXPECT_EQ(j["registered"], 10);  // 7 General (L1 too), 3 Speaker; C1 is cancelled
  EXPECT_EQ(j["checked_in"], 6);   // A1 A2 A4 S1 L1 A6; A5 undone, A3 refused
  EXPECT_DOUBLE_EQ(j["show_rate"].get<double>(), 0.6);
  EXPECT_EQ(j["by_ticket_type"],
            json::parse(R"([{"ticket_type":"General","registered":7,"checked_in":5},
                            {"ticket_type":"Speaker","registered":3,"checked_in":1}])"));
  EXPECT_EQ(j["by_day"], json::parse(R"([
      {"date":"2026-11-28","checked_in":5,"entries":6,"denials":4},
      {"date":"2026-11-29","checked_in":2,"entries":2,"denials":0}])"));
  EXPECT_EQ(j["denials"], json::parse(R"({"already_checked_in":1,"not_allowed":1,"unknown":1,
                                          "cancelled":1})"));
  int64_t reasons = 0;
  for (const auto& d : j["denials_by_reason"]) reasons += d["count"].get<int64_t>();
  EXPECT_EQ(reasons, 4);
  EXPECT_EQ(j["entries"], 8);  // S1's conflicting second entry counts, as on the dashboard
  EXPECT_EQ(j["exits"], 2);
  EXPECT_EQ(j["repeat_attempts"], 1);
  EXPECT_EQ(j["undos"], 1);
  EXPECT_EQ(j["conflicts"], 1);
  EXPECT_EQ(j["reprints"], 1);
  EXPECT_EQ(j["no_shows"], 4);  // A3 A5 S2 S3
  EXPECT_EQ(j["late_registrations"], 1);
  EXPECT_FALSE(j.contains("no_show_list"));  // no names unless asked
  EXPECT_EQ(j["first_checkin"], "2026-11-28T08:00");
  EXPECT_EQ(j["last_checkin"], "2026-11-29T08:11");
}

TEST_F(ReportTest, ArrivalsAreBinnedInLocalTimeWithThePeakAndThroughput) {
  const json j = json::parse(ReportJson(Compute()));
  EXPECT_EQ(j["bin_minutes"], 15);
  // Every quarter hour from each day's first arrival to its last, the empty
  // one (day 1, 08:45) too; not the night between.
  ASSERT_EQ(j["arrivals"].size(), 6u);
  EXPECT_EQ(j["arrivals"][4]["start"], "2026-11-28T09:00");
  EXPECT_EQ(j["arrivals"][3]["count"], 0);
  std::map<std::string, int64_t> nonzero;
  for (const auto& b : j["arrivals"]) {
    if (b["count"] != 0) nonzero[b["start"]] = b["count"];
  }
  EXPECT_EQ(nonzero, (std::map<std::string, int64_t>{{"2026-11-28T08:00", 3},
                                                     {"2026-11-28T08:15", 1},
                                                     {"2026-11-28T08:30", 1},
                                                     {"2026-11-28T09:00", 1},
                                                     {"2026-11-29T08:00", 2}}));
  EXPECT_EQ(j["arrivals_by_gate"][0],
            json::parse(R"({"start":"2026-11-28T08:00","start_s":1795870800,"count":2,
                            "gate":"Norte"})"));
  EXPECT_EQ(j["peak_quarter_hour"]["start"], "2026-11-28T08:00");
  EXPECT_EQ(j["peak_quarter_hour"]["count"], 3);
  // Norte: 7 entries in 6 busy minutes (A1 and A2 share 08:00); Sur: S1 alone.
  EXPECT_EQ(j["throughput_by_gate"], json::parse(R"([
      {"name":"Norte","admissions":7,"busy_minutes":6,"per_minute":1.1666666666666667},
      {"name":"Sur","admissions":1,"busy_minutes":1,"per_minute":1.0}])"));
  EXPECT_EQ(j["throughput_by_station"], json::parse(R"([
      {"name":"n1","admissions":5,"busy_minutes":4,"per_minute":1.25},
      {"name":"n2","admissions":2,"busy_minutes":2,"per_minute":1.0},
      {"name":"s1","admissions":1,"busy_minutes":1,"per_minute":1.0}])"));

  // Five-minute bins: the same arrivals, the same peak quarter hour.
  const json five = json::parse(ReportJson(Compute("", 5)));
  EXPECT_EQ(five["bin_minutes"], 5);
  EXPECT_EQ(five["arrivals"][0]["count"], 2);   // 08:00-08:05: A1, A2
  EXPECT_EQ(five["arrivals"][1]["count"], 1);   // 08:05-08:10: S1
  EXPECT_EQ(five["arrivals"].size(), 14u + 1);  // day 1 08:00-09:05, day 2 08:10
  EXPECT_EQ(five["peak_quarter_hour"], j["peak_quarter_hour"]);
}

TEST_F(ReportTest, ArrivalsAreTheDashboards) {
  const Report r = Compute("", 5);
  auto dash = db::ArrivalsSince(*db_, "", minutes(5));
  ASSERT_TRUE(dash.ok());
  ASSERT_EQ(r.arrivals_by_gate.size(), dash->size());
  for (size_t i = 0; i < dash->size(); ++i) {
    EXPECT_EQ(r.arrivals_by_gate[i].gate, (*dash)[i].gate) << i;
    EXPECT_EQ(r.arrivals_by_gate[i].bin.start_s, (*dash)[i].start_s) << i;
    EXPECT_EQ(r.arrivals_by_gate[i].bin.count, (*dash)[i].count) << i;
  }
}

TEST_F(ReportTest, OneDayCountsThatDayOnly) {
  const json j = json::parse(ReportJson(Compute("2026-11-29")));
  EXPECT_EQ(j["day"], "2026-11-29");
  EXPECT_EQ(j["registered"], 10);
  EXPECT_EQ(j["checked_in"], 2);
  EXPECT_DOUBLE_EQ(j["show_rate"].get<double>(), 0.2);
  EXPECT_EQ(j["by_ticket_type"],
            json::parse(R"([{"ticket_type":"General","registered":7,"checked_in":2},
                            {"ticket_type":"Speaker","registered":3,"checked_in":0}])"));
  EXPECT_EQ(j["denials"], json::object());
  EXPECT_EQ(j["undos"], 0);
  EXPECT_EQ(j["conflicts"], 0);
  EXPECT_EQ(j["exits"], 0);
  EXPECT_EQ(j["reprints"], 0);
  EXPECT_EQ(j["no_shows"], 8);
  EXPECT_EQ(j["late_registrations"], 0);
  EXPECT_EQ(j["arrivals"], json::parse(R"([{"start":"2026-11-29T08:00","start_s":1795957200,
                                            "count":2}])"));
  ASSERT_EQ(j["by_day"].size(), 1u);

  const json one = json::parse(ReportJson(Compute("2026-11-28")));
  EXPECT_EQ(one["checked_in"], 5);
  EXPECT_EQ(one["denials"], json::parse(R"({"already_checked_in":1,"not_allowed":1,"unknown":1,
                                            "cancelled":1})"));
  EXPECT_EQ(one["undos"], 1);
  EXPECT_EQ(one["conflicts"], 1);
  EXPECT_EQ(one["reprints"], 1);
  EXPECT_EQ(one["late_registrations"], 1);
  EXPECT_EQ(one["exits"], 2);
}

TEST_F(ReportTest, AStationClockFarOffAddsOneDayNotYears) {
  checkin::testing::QueryInt(
      *db_,
      "INSERT INTO checkins (uuid, attendee_id, code, gate, station, direction, kind, source,"
      " verdict, reason, at) VALUES ('0b6f6a3e-0000-4000-8000-000000000001', NULL, 'X', 'Norte',"
      " 'n9', 'entry', 'denied', 'camera', 'unknown', 'unknown_code', '2001-01-01T12:00:00.000Z')"
      " RETURNING id");
  const json j = json::parse(ReportJson(Compute("", 5)));
  std::vector<std::string> days;
  for (const auto& d : j["by_day"]) days.push_back(d["date"]);
  EXPECT_EQ(days, (std::vector<std::string>{"2001-01-01", "2026-11-28", "2026-11-29"}));
  EXPECT_EQ(j["arrivals"].size(), 15u);
  EXPECT_EQ(json::parse(ReportJson(Compute("2001-01-01")))["denials"]["unknown"], 1);
}

TEST_F(ReportTest, ASnapshotKeepsTheFiguresOfOneMomentWhileDoorsWrite) {
  auto other = db::Database::Open(dir_.File("event.db"), db::OpenMode::kMustExist);
  ASSERT_TRUE(other.ok());
  auto door = db::CheckinDesk::Create(**other, clock_, desk_->config());
  ASSERT_TRUE(door.ok());
  const int64_t rows = db::CheckinSpan(*db_, db::kWholeLog)->rows;
  {
    db::ReadSnapshot snapshot(*db_);
    ASSERT_TRUE(snapshot.Begin().ok());
    EXPECT_EQ(db::CheckinSpan(*db_, db::kWholeLog)->rows, rows);
    auto r = (*door)->Redeem({"S2", "Sur", "s1", Direction::kEntry, ScanSource::kCamera});
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(db::CheckinSpan(*db_, db::kWholeLog)->rows, rows);
  }
  EXPECT_EQ(db::CheckinSpan(*db_, db::kWholeLog)->rows, rows + 1);
}

TEST_F(ReportTest, NamesOnlyWhenAsked) {
  const json j = json::parse(ReportJson(Compute("", 15, Names::kListed)));
  std::vector<std::string> absent;
  for (const auto& p : j["no_show_list"]) absent.push_back(p["ticket_code"]);
  // By last name with accents folded, as people look names up: Ñáñez among
  // the N's (Cinco, Ñáñez, Ponente, Tres), not after Tres as bytes would.
  EXPECT_EQ(absent, (std::vector<std::string>{"A5", "S3", "S2", "A3"}));
  ASSERT_EQ(j["late_list"].size(), 1u);
  EXPECT_EQ(j["late_list"][0]["first_name"], "Karen");
  EXPECT_EQ(j["no_show_list"][1]["first_name"], "Íngrid");
}

// What a paired laptop gets from the hub is the hub's report, member for
// member (tests/hub/venue_cli_test.cc asks a real hub for it).
TEST_F(ReportTest, JsonReadsBackToTheSameReport) {
  for (const Report& r : {Compute(), Compute("2026-11-29", 5), Compute("", 15, Names::kListed)}) {
    const std::string text = ReportJson(r);
    auto back = ParseReportJson(text, Language::kEnglish);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(ReportJson(*back), text);
    EXPECT_EQ(back->names, r.names);
    EXPECT_EQ(back->day, r.day);
  }
}

TEST_F(ReportTest, JsonThatIsNotAReportIsRefusedNamingWhatIsWrong) {
  json j = json::parse(ReportJson(Compute()));
  const auto refused = [](const std::string& text) {
    auto r = ParseReportJson(text, Language::kEnglish);
    EXPECT_FALSE(r.ok()) << text.substr(0, 80);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(refused("<html>502</html>").find("not valid JSON"), std::string::npos);
  json missing = j;
  missing.erase("checked_in");
  EXPECT_NE(refused(missing.dump()).find("'checked_in' is missing"), std::string::npos);
  json wrong = j;
  wrong["arrivals"][0]["count"] = "many";
  EXPECT_NE(refused(wrong.dump()).find("'count' is not a whole number"), std::string::npos);
  json odd = j;
  odd["bin_minutes"] = 7;
  EXPECT_NE(refused(odd.dump()).find("bin_minutes"), std::string::npos);
  json not_list = j;
  not_list["by_ticket_type"] = json::object();
  EXPECT_NE(refused(not_list.dump()).find("not a list"), std::string::npos);
  // The formats cut dates out of these by position: a short one is refused
  // here, not thrown on there.
  json short_time = j;
  short_time["arrivals"][0]["start"] = "08:15";
  EXPECT_NE(refused(short_time.dump()).find("'arrivals' has an odd value '08:15'"),
            std::string::npos);
  json no_time = j;
  no_time["generated_at"] = "";
  EXPECT_NE(refused(no_time.dump()).find("generated_at"), std::string::npos);
}

TEST_F(ReportTest, RefusesADayOutsideTheEventAndOddBins) {
  auto r = ComputeReport(*db_, clock_, {"2026-11-30", 15, Names::kLeftOut, Language::kEnglish});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("2026-11-28, 2026-11-29"), std::string::npos)
      << r.status().message();
  r = ComputeReport(*db_, clock_, {"", 10, Names::kLeftOut, Language::kEnglish});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

// The CSV tables, read back with the product's own CSV reader.
std::map<std::string, std::string> Summary(const std::string& dir) {
  auto t = db::ReadCsvFile(dir + "/summary.csv");
  EXPECT_TRUE(t.ok());
  std::map<std::string, std::string> out;
  if (t.ok()) {
    for (const auto& row : t->rows) out[row.fields.at(0)] = row.fields.at(1);
  }
  return out;
}

TEST_F(ReportTest, CsvTablesHoldTheSameNumbers) {
  const Report r = Compute();
  const json j = json::parse(ReportJson(r));
  const std::string dir = dir_.File("csv");
  std::filesystem::create_directory(dir);
  for (const auto& [name, bytes] : ReportCsvTables(r)) std::ofstream(dir + "/" + name) << bytes;
  auto s = Summary(dir);
  for (const char* key :
       {"registered", "checked_in", "show_rate", "entries", "exits", "repeat_attempts", "undos",
        "conflicts", "reprints", "no_shows", "late_registrations", "bin_minutes"}) {
    EXPECT_EQ(s[key], j[key].dump()) << key;
  }
  auto types = db::ReadCsvFile(dir + "/by_ticket_type.csv");
  ASSERT_TRUE(types.ok());
  ASSERT_EQ(types->rows.size(), j["by_ticket_type"].size());
  for (size_t i = 0; i < types->rows.size(); ++i) {
    const auto& row = types->rows[i].fields;
    const auto& t = j["by_ticket_type"][i];
    EXPECT_EQ(row, (std::vector<std::string>{t["ticket_type"], t["registered"].dump(),
                                             t["checked_in"].dump()}));
  }
  auto arrivals = db::ReadCsvFile(dir + "/arrivals.csv");
  ASSERT_TRUE(arrivals.ok());
  ASSERT_EQ(arrivals->rows.size(), j["arrivals"].size());
  for (size_t i = 0; i < arrivals->rows.size(); ++i) {
    EXPECT_EQ(arrivals->rows[i].fields[0], j["arrivals"][i]["start"]) << i;
    EXPECT_EQ(arrivals->rows[i].fields[1], j["arrivals"][i]["count"].dump()) << i;
  }
  auto denials = db::ReadCsvFile(dir + "/denials.csv");
  ASSERT_TRUE(denials.ok());
  ASSERT_EQ(denials->rows.size(), 4u);
  for (const auto& row : denials->rows) {
    EXPECT_EQ(row.fields[1], j["denials"][row.fields[0]].dump()) << row.fields[0];
  }
  auto gates = db::ReadCsvFile(dir + "/throughput_by_gate.csv");
  ASSERT_TRUE(gates.ok());
  ASSERT_EQ(gates->rows.size(), 2u);
  EXPECT_EQ(gates->rows[0].fields,
            (std::vector<std::string>{"Norte", "7", "6", "1.1666666666666667"}));
}

TEST(ReportCsvTest, NamesThatLookLikeFormulasAreNotRunBySpreadsheets) {
  Report r;
  r.names = Names::kListed;
  r.no_show_list = {{"=HYPERLINK(\"http://x\",\"y\")", "-Pérez", "@a", "+1", "T1"},
                    {"Ana", "Uno", "a@example.com", "General", "T2"}};
  std::string csv;
  for (const auto& [name, bytes] : ReportCsvTables(r)) {
    if (name == "no_shows.csv") csv = bytes;
  }
  EXPECT_EQ(csv,
            "first_name,last_name,email,ticket_type,ticket_code\r\n"
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'-Pérez,'@a,'+1,T1\r\n"
            "Ana,Uno,a@example.com,General,T2\r\n");
}

// ---- The real binary ----

class ReportCliTest : public ReportTest {
 protected:
  checkin::testing::ProcessOutput Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File("event.db")});
    return RunProcess(CHECKIN_BINARY, args);
  }
};

TEST_F(ReportCliTest, JsonEqualsStats) {
  const std::string out = dir_.File("report.json");
  auto rep = Run({"report", "--out", out});
  ASSERT_EQ(rep.rc, 0) << rep.err;
  EXPECT_NE(rep.out.find("6 / 10"), std::string::npos) << rep.out;
  auto stats = Run({"stats", "--json"});
  ASSERT_EQ(stats.rc, 0) << stats.err;
  std::ifstream in(out);
  const json j = json::parse(in);
  const json s = json::parse(stats.out);
  EXPECT_EQ(j["registered"], s["expected"]);
  EXPECT_EQ(j["checked_in"], s["checked_in"]);
  EXPECT_EQ(j["conflicts"], s["conflicts"]);
  EXPECT_EQ(j["denials"], s["denials"]);
  ASSERT_EQ(j["by_ticket_type"].size(), s["by_ticket_type"].size());
  for (size_t i = 0; i < s["by_ticket_type"].size(); ++i) {
    EXPECT_EQ(j["by_ticket_type"][i]["ticket_type"], s["by_ticket_type"][i]["ticket_type"]);
    EXPECT_EQ(j["by_ticket_type"][i]["registered"], s["by_ticket_type"][i]["expected"]);
    EXPECT_EQ(j["by_ticket_type"][i]["checked_in"], s["by_ticket_type"][i]["checked_in"]);
  }
  int64_t entries = 0, exits = 0;
  for (const auto& g : s["by_gate"]) {
    entries += g["entries"].get<int64_t>();
    exits += g["exits"].get<int64_t>();
  }
  EXPECT_EQ(j["entries"], entries);
  EXPECT_EQ(j["exits"], exits);
}

TEST_F(ReportCliTest, CsvFolderAndFormats) {
  const std::string folder = dir_.File("tablas");
  auto csv = Run({"report", "--out", folder, "--format", "csv", "--day", "2026-11-28"});
  ASSERT_EQ(csv.rc, 0) << csv.err;
  EXPECT_EQ(Summary(folder)["checked_in"], "5");
  EXPECT_FALSE(std::filesystem::exists(folder + "/no_shows.csv"));
  auto named = Run({"report", "--out", folder, "--format", "csv", "--with-names", "--force"});
  ASSERT_EQ(named.rc, 0) << named.err;
  EXPECT_EQ(Summary(folder)["checked_in"], "6");
  EXPECT_TRUE(std::filesystem::exists(folder + "/no_shows.csv"));

  // The same tables in one zip, read back by Debian's python3 zipfile.
  const std::string zip = dir_.File("tablas.zip");
  auto zipped = Run({"report", "--out", zip, "--with-names"});
  ASSERT_EQ(zipped.rc, 0) << zipped.err;
  const char* kList = R"py(
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for n in sorted(z.namelist()):
    print(n, len(z.read(n)))
print(z.read("summary.csv").decode())
)py";
  auto listed = RunProcess("/usr/bin/python3", {"-c", kList, zip});
  ASSERT_EQ(listed.rc, 0) << listed.err;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    EXPECT_NE(listed.out.find(name + " " + std::to_string(std::filesystem::file_size(entry))),
              std::string::npos)
        << name << "\n"
        << listed.out;
  }
  EXPECT_NE(listed.out.find("checked_in,6"), std::string::npos) << listed.out;
  auto single = Run({"report", "--out", dir_.File("r.csv")});
  EXPECT_EQ(single.rc, 2);
  EXPECT_NE(single.err.find("--out ARCHIVO.zip"), std::string::npos) << single.err;
}

// ---- The formats for people: the same figures as the JSON ----

size_t CountOf(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

std::vector<std::string> Tokens(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The lines of `text` whose first word is `first`, as words.
std::vector<std::vector<std::string>> RowsStartingWith(const std::string& text,
                                                       const std::string& first) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto words = Tokens(line);
    if (!words.empty() && words[0] == first) rows.push_back(std::move(words));
  }
  return rows;
}

// Bars the charts must draw: one per figure above zero.
size_t NonZeroBars(const json& j) {
  size_t n = 0;
  for (const auto& t : j["by_ticket_type"]) n += t["checked_in"].get<int64_t>() > 0;
  for (const auto& b : j["arrivals"]) n += b["count"].get<int64_t>() > 0;
  for (const auto& g : j["throughput_by_gate"]) n += g["per_minute"].get<double>() > 0;
  for (const auto& g : j["throughput_by_station"]) n += g["per_minute"].get<double>() > 0;
  for (const auto& [verdict, count] : j["denials"].items()) n += count.get<int64_t>() > 0;
  return n;
}

class ReportFormatsTest : public ReportCliTest {
 protected:
  void SetUp() override {
    ReportCliTest::SetUp();
    auto rep = Run({"report", "--out", dir_.File("r.json")});
    ASSERT_EQ(rep.rc, 0) << rep.err;
    std::ifstream in(dir_.File("r.json"));
    j_ = json::parse(in);
  }
  json j_;
};

TEST_F(ReportFormatsTest, PdfShowsTheFiguresAndOneBarPerFigure) {
  const std::string pdf = dir_.File("r.pdf");
  auto rep = Run({"report", "--out", pdf});
  ASSERT_EQ(rep.rc, 0) << rep.err;
  auto text = RunProcess("/usr/bin/pdftotext", {"-layout", pdf, "-"});
  ASSERT_EQ(text.rc, 0) << text.err;
  EXPECT_NE(text.out.find("Informe de asistencia"), std::string::npos);
  EXPECT_NE(text.out.find(j_["event"].get<std::string>()), std::string::npos);
  // The table's rows (name, registered, checked in, rate), not the chart's labels.
  auto table_rows = [&](const std::string& first) {
    auto rows = RowsStartingWith(text.out, first);
    std::erase_if(rows, [](const auto& r) { return r.size() < 4; });
    return rows;
  };
  for (const auto& t : j_["by_ticket_type"]) {
    auto rows = table_rows(t["ticket_type"]);
    ASSERT_EQ(rows.size(), 1u) << t["ticket_type"] << "\n" << text.out;
    EXPECT_EQ(rows[0][1], t["registered"].dump());
    EXPECT_EQ(rows[0][2], t["checked_in"].dump());
  }
  auto total = table_rows("Total");
  ASSERT_FALSE(total.empty());
  EXPECT_EQ(total[0][1], j_["registered"].dump());
  EXPECT_EQ(total[0][2], j_["checked_in"].dump());
  // Every bin with arrivals is a row of its day's table ending in its count.
  for (const auto& b : j_["arrivals"]) {
    if (b["count"].get<int64_t>() == 0) continue;
    const std::string hm = b["start"].get<std::string>().substr(11, 5);
    bool found = false;
    for (const auto& row : RowsStartingWith(text.out, hm)) found |= row.back() == b["count"].dump();
    EXPECT_TRUE(found) << hm << " " << b["count"];
  }
  // The bars, drawn in their own colour: one per figure above zero.
  auto svg = RunProcess("/usr/bin/pdftocairo", {"-svg", pdf, dir_.File("r.svg")});
  ASSERT_EQ(svg.rc, 0) << svg.err;
  std::ifstream in(dir_.File("r.svg"));
  const std::string drawn((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(CountOf(drawn, "fill:rgb(16.99"), NonZeroBars(j_));

  // The pages as pictures, kept for people to look at.
  const std::string pictures = std::string(CHECKIN_REPORT_ARTIFACTS);
  std::filesystem::create_directories(pictures);
  for (const auto& e : std::filesystem::directory_iterator(pictures)) {
    if (e.path().filename().string().rfind("report-", 0) == 0) std::filesystem::remove(e.path());
  }
  auto png = RunProcess("/usr/bin/pdftoppm", {"-r", "60", "-png", pdf, pictures + "/report"});
  ASSERT_EQ(png.rc, 0) << png.err;
  auto info = RunProcess("/usr/bin/pdfinfo", {pdf});
  const auto pages = RowsStartingWith(info.out, "Pages:");
  ASSERT_EQ(pages.size(), 1u);
  size_t pngs = 0;
  for (const auto& e : std::filesystem::directory_iterator(pictures)) {
    pngs += e.path().filename().string().rfind("report-", 0) == 0;
  }
  EXPECT_EQ(std::to_string(pngs), pages[0][1]);

  auto english = Run({"--lang", "en", "report", "--out", dir_.File("en.pdf")});
  ASSERT_EQ(english.rc, 0) << english.err;
  auto en = RunProcess("/usr/bin/pdftotext", {dir_.File("en.pdf"), "-"});
  EXPECT_NE(en.out.find("Attendance report"), std::string::npos);
  EXPECT_NE(en.out.find("Show rate"), std::string::npos);
}

TEST_F(ReportFormatsTest, XlsxReadsBackWithTheSameNumbersAndNativeCharts) {
  const std::string xlsx = dir_.File("r.xlsx");
  auto rep = Run({"report", "--out", xlsx});
  ASSERT_EQ(rep.rc, 0) << rep.err;
  // Debian's openpyxl reads the cells; the charts are counted in the zip.
  const char* kRead = R"py(
import json, sys, zipfile, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {"sheets": wb.sheetnames, "cells": {}}
for ws in wb.worksheets:
    out["cells"][ws.title] = [[c for c in row] for row in ws.iter_rows(values_only=True)]
out["charts"] = len([n for n in zipfile.ZipFile(sys.argv[1]).namelist()
                     if n.startswith("xl/charts/chart")])
print(json.dumps(out, default=str))
)py";
  auto read = RunProcess("/usr/bin/python3", {"-c", kRead, xlsx});
  ASSERT_EQ(read.rc, 0) << read.err;
  const json x = json::parse(read.out);
  std::map<std::string, json> summary;
  for (const auto& row : x["cells"]["Resumen"]) {
    if (row.size() >= 2 && row[0].is_string()) summary[row[0]] = row[1];
  }
  EXPECT_EQ(summary["Registrados"], j_["registered"]);
  EXPECT_EQ(summary["Asistieron"], j_["checked_in"]);
  EXPECT_NEAR(summary["Tasa de asistencia"].get<double>(), j_["show_rate"].get<double>(), 1e-9);
  EXPECT_EQ(summary["Anulaciones"], j_["undos"]);
  EXPECT_EQ(summary["Conflictos entre estaciones"], j_["conflicts"]);
  EXPECT_EQ(summary["Reintentos"], j_["repeat_attempts"]);
  const json& types = x["cells"]["Tipos de entrada"];
  for (size_t i = 0; i < j_["by_ticket_type"].size(); ++i) {
    const json& row = types.at(4 + i);  // title, note, a blank row, the header
    EXPECT_EQ(row[0], j_["by_ticket_type"][i]["ticket_type"]);
    EXPECT_EQ(row[1], j_["by_ticket_type"][i]["registered"]);
    EXPECT_EQ(row[2], j_["by_ticket_type"][i]["checked_in"]);
  }
  // The arrivals of both days add up to the entries admitted.
  int64_t arrived = 0, expected = 0;
  for (const auto& b : j_["arrivals"]) expected += b["count"].get<int64_t>();
  for (const std::string sheet : {"Llegadas 28-11", "Llegadas 29-11"}) {
    ASSERT_TRUE(x["cells"].contains(sheet)) << x["sheets"];
    const json& rows = x["cells"][sheet];
    for (size_t i = 4; i < rows.size(); ++i) arrived += rows[i].back().get<int64_t>();
  }
  EXPECT_EQ(arrived, expected);
  // Ticket types, two days of arrivals, gates, stations, denials.
  EXPECT_EQ(x["charts"], 6);
}

TEST_F(ReportFormatsTest, HtmlIsOneFileWithABarPerBin) {
  const std::string html = dir_.File("r.html");
  auto rep = Run({"--lang", "en", "report", "--out", html});
  ASSERT_EQ(rep.rc, 0) << rep.err;
  std::ifstream in(html);
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);  // nothing fetched
  EXPECT_NE(page.find("Attendance report"), std::string::npos);
  // Each day's arrivals: one bar per row of its table.
  size_t sections = 0, bins = 0;
  for (size_t at = page.find("<section><h2>Arrivals every"); at != std::string::npos;
       at = page.find("<section><h2>Arrivals every", at + 1)) {
    const std::string section = page.substr(at, page.find("</section>", at) - at);
    const size_t rows = CountOf(section, "<tr>") - 1;  // less the header
    EXPECT_EQ(CountOf(section, "class=\"bar\""), rows);
    bins += rows;
    ++sections;
  }
  EXPECT_EQ(sections, 2u);
  EXPECT_GT(bins, 0u);
  for (const auto& t : j_["by_ticket_type"]) {
    EXPECT_NE(page.find("<td>" + t["ticket_type"].get<std::string>() + "</td><td class=\"n\">" +
                        t["registered"].dump() + "</td><td class=\"n\">" + t["checked_in"].dump() +
                        "</td>"),
              std::string::npos)
        << t;
  }
}

TEST_F(ReportCliTest, RefusesBadInputSayingWhatToDo) {
  auto day = Run({"report", "--out", dir_.File("d.json"), "--day", "2026-12-25"});
  EXPECT_EQ(day.rc, 2);
  EXPECT_NE(day.err.find("sus días son: 2026-11-28, 2026-11-29"), std::string::npos) << day.err;
  auto english =
      Run({"--lang", "en", "report", "--out", dir_.File("d.json"), "--day", "1999-01-01"});
  EXPECT_EQ(english.rc, 2);
  EXPECT_NE(english.err.find("is not one of this event's"), std::string::npos) << english.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("d.json")));

  auto missing = Run({"report", "--out", dir_.File("no/such/folder/r.json")});
  EXPECT_EQ(missing.rc, 2);
  EXPECT_NE(missing.err.find("no existe"), std::string::npos) << missing.err;
  // /proc takes no new files, whoever asks (the tests run as root here).
  auto unwritable = Run({"report", "--out", "/proc/checkin-report.json"});
  EXPECT_EQ(unwritable.rc, 2);
  EXPECT_NE(unwritable.err.find("no se pudo escribir /proc/checkin-report.json"), std::string::npos)
      << unwritable.err;
  std::ofstream(dir_.File("plain")) << "x";
  auto under_file = Run({"report", "--out", dir_.File("plain") + "/r.json"});
  EXPECT_EQ(under_file.rc, 2) << under_file.out;

  const std::string out = dir_.File("kept.json");
  std::ofstream(out) << "mine";
  auto refused = Run({"report", "--out", out});
  EXPECT_EQ(refused.rc, 2);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  std::ifstream kept(out);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "mine");
  auto forced = Run({"report", "--out", out, "--force"});
  ASSERT_EQ(forced.rc, 0) << forced.err;
  std::ifstream replaced(out);
  EXPECT_EQ(json::parse(replaced)["checked_in"], 6);
}

// The lists of people in the PDF: each name drawn as registered, whatever
// its script, in a fallback font where DejaVu Sans has no letters for it.
TEST(ReportPdfNamesTest, NamesInEveryScriptAreDrawnAsRegistered) {
  const auto& names = checkin::testing::kNamesInSevenScripts;
  Report r;
  r.event = "KCD Colombia";
  r.timezone = "America/Bogota";
  r.generated_at = "2026-11-30T12:00:00Z";
  r.first_checkin = "2026-11-28T08:00";
  r.last_checkin = "2026-11-28T17:00";
  r.registered = r.no_shows = static_cast<int64_t>(names.size());
  r.names = Names::kListed;
  for (const auto& [first, last] : names) {
    r.no_show_list.push_back(
        {first, last, "", "General", "T-" + std::to_string(r.no_show_list.size())});
  }
  auto pdf = ReportPdf(r, Language::kEnglish);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  TempDir dir;
  std::ofstream(dir.File("r.pdf"), std::ios::binary) << *pdf;
  auto text = RunProcess("/usr/bin/pdftotext", {"-enc", "UTF-8", dir.File("r.pdf"), "-"});
  ASSERT_EQ(text.rc, 0) << text.err;
  const std::string read = Meaning(text.out);
  for (const auto& [first, last] : names) {
    EXPECT_NE(read.find(Meaning(first)), std::string::npos) << first << "\n" << read;
    EXPECT_NE(read.find(Meaning(last)), std::string::npos) << last << "\n" << read;
  }
  // More than the two DejaVu faces: the CJK and Devanagari fallbacks.
  auto fonts = RunProcess("/usr/bin/pdffonts", {dir.File("r.pdf")});
  ASSERT_EQ(fonts.rc, 0) << fonts.err;
  EXPECT_NE(fonts.out.find("WenQuanYi"), std::string::npos) << fonts.out;
}

TEST(ReportEmptyEventTest, RefusedWithAClearError) {
  TempDir dir;
  FakeClock clock;
  auto db = checkin::testing::NewEventDatabase(dir.File("empty.db"), clock);
  checkin::testing::ImportSampleRoster(*db, clock);
  db.reset();
  auto r = RunProcess(CHECKIN_BINARY,
                      {"--db", dir.File("empty.db"), "report", "--out", dir.File("r.json")});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("no tiene ningún check-in"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("r.json")));
}

}  // namespace
}  // namespace checkin::report
