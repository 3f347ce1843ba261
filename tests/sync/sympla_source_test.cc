// SymplaSource against a fake Sympla. Sympla cannot be reached from these
// machines, so a local HTTP server started by each test answers in Sympla's
// documented public API v3 format (/public/v3/events/ID/participants?page=N
// &page_size=M, the "s_token" header, {"data": [...], "pagination":
// {"has_next", "page", "total_page", ...}}, members whose value is null
// left out, {"error", "message"} error bodies, Retry-After on 429) with
// pages recorded in tests/data/sympla for a Bogotá event, and faults
// switched on per test. Retries wait on a fake clock, so no test sleeps.
#include "sync/sympla_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/config.h"
#include "tests/fakes/fake_clock.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::sync {
namespace {

constexpr const char* kToken = fake::kSymplaToken;
constexpr const char* kEvent = fake::kSymplaEvent;

class SymplaSourceTest : public ::testing::Test {
 protected:
  SymplaOptions Options() {
    SymplaOptions o;
    o.url = sympla_.base();
    o.event = kEvent;
    o.token = kToken;
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    return o;
  }
  Result<db::RosterSnapshot> Fetch(SymplaOptions o) {
    SymplaSource source(std::move(o), clock_, sleeper_);
    return source.Fetch();
  }
  Result<db::RosterSnapshot> Fetch() { return Fetch(Options()); }
  void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words) {
    fake::ExpectFails(r, code, words, kToken);
  }
  std::string Edited(int page, const std::function<void(nlohmann::json&)>& edit) {
    auto j = nlohmann::json::parse(sympla_.Page(page));
    edit(j);
    return j.dump();
  }

  fake::FakeSympla sympla_;
  checkin::testing::FakeClock clock_;
  fake::FakeSleeper sleeper_{clock_};
};

TEST_F(SymplaSourceTest, FullFetchReadsEveryPageAndMapsEveryStatus) {
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->format, db::RosterFormat::kSympla);
  EXPECT_EQ(snap->source, "sympla");
  EXPECT_TRUE(snap->full_export);  // Sympla lists no changes: every pass is whole
  EXPECT_EQ(snap->total_rows, 7);
  ASSERT_EQ(snap->records.size(), 7u);

  const auto* valentina = fake::FindTicket(*snap, "QHWA-1Q-3G0J");
  ASSERT_NE(valentina, nullptr);
  EXPECT_EQ(valentina->ticket_code, "QHWA1Q3G0J");  // what the ticket's QR holds
  EXPECT_EQ(valentina->order_id, "QJ5K1A");
  EXPECT_EQ(valentina->first_name, "Valentina");
  EXPECT_EQ(valentina->last_name, "Ramírez Ospina");
  EXPECT_EQ(valentina->email, "valentina.ramirez@example.co");
  EXPECT_EQ(valentina->ticket_type, "Entrada General");

  struct Case {
    const char* number;
    TicketStatus status;
    const char* upstream;
  };
  const Case cases[] = {
      {"QHWA-1Q-3G0J", TicketStatus::kValid, "Aprovado"},
      {"QHWC-3S-5J2L", TicketStatus::kCancelled, "Pendente"},
      {"QHWD-4T-6K3M", TicketStatus::kCancelled, "Cancelado"},
      {"QHWE-5U-7L4N", TicketStatus::kRefunded, "Reembolsado"},
      // order_status left out (Sympla omits nulls): approved.
      {"QHWF-6V-8M5P", TicketStatus::kValid, "Aprovado"},
  };
  for (const Case& c : cases) {
    const auto* r = fake::FindTicket(*snap, c.number);
    ASSERT_NE(r, nullptr) << c.number;
    EXPECT_EQ(r->status, c.status) << c.number;
    EXPECT_EQ(r->upstream_status, c.upstream) << c.number;
  }
  // Only the buyer's data collected: the order code stands in for the name.
  EXPECT_EQ(fake::FindTicket(*snap, "QHWG-7W-9N6Q")->first_name, "QJ5K6F");

  const auto targets = sympla_.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/public/v3/events/2468013/participants?page=1&page_size=200");
  EXPECT_EQ(targets[1], "/public/v3/events/2468013/participants?page=2&page_size=200");
  EXPECT_TRUE(sleeper_.sleeps.empty());
}

TEST_F(SymplaSourceTest, WrongEventNamesIt) {
  auto o = Options();
  o.event = "2468014";
  ExpectFails(Fetch(o), StatusCode::kNotFound, "Sympla has no event 2468014");
  o.event = "2468013/../../orders";
  ExpectFails(Fetch(o), StatusCode::kInvalidInput, "numeric event id");
}

TEST_F(SymplaSourceTest, FieldOfTheWrongTypeNamesItsPlace) {
  sympla_.Override(1, Edited(1, [](nlohmann::json& j) { j["data"][1]["order_id"] = 42; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "participant QHWB-2R-4H1K member 'order_id' is not a string");
  sympla_.Override(1, Edited(1, [](nlohmann::json& j) { j["data"][2]["order_status"] = "X"; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "participant QHWC-3S-5J2L has order status 'X'");
  sympla_.Override(1, Edited(1, [](nlohmann::json& j) { j["pagination"]["has_next"] = 1; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "member 'has_next' is not true or false");
  sympla_.Override(1, Edited(1, [](nlohmann::json& j) { j["data"] = nlohmann::json::object(); }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "member 'data' is not a list");
}

TEST_F(SymplaSourceTest, PageThatRepeatsIsCaught) {
  // A server that ignores `page` and answers page 1 again.
  sympla_.Override(2, sympla_.Page(1));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "answered page 1 when asked for page 2");
}

TEST_F(SymplaSourceTest, ListThatNeverEndsStops) {
  auto o = Options();
  o.max_pages = 3;
  for (int page = 2; page <= 4; ++page) {
    sympla_.Override(page, Edited(2, [page](nlohmann::json& j) {
                       j["pagination"]["page"] = page;
                       j["pagination"]["has_next"] = true;
                       j["data"] = nlohmann::json::array();
                     }));
  }
  ExpectFails(Fetch(o), StatusCode::kInvalidInput, "goes on past 3 pages");
}

TEST_F(SymplaSourceTest, OneQrCodeOnTicketsOfTwoOrdersFails) {
  sympla_.Override(
      2, Edited(2, [](nlohmann::json& j) { j["data"][1]["ticket_num_qr_code"] = "QHWA1Q3G0J"; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "tickets QHWA-1Q-3G0J and QHWF-6V-8M5P have the same QR code");
}

TEST_F(SymplaSourceTest, OpenPlatformBuildsItUnderTheCsvImportsSourceName) {
  RegistrationSettings settings;
  settings.platform = "sympla";
  settings.url = sympla_.base();
  settings.event = kEvent;
  auto source = OpenPlatform(settings, kToken, "", clock_, sleeper_);
  ASSERT_TRUE(source.ok()) << source.status().message();
  auto snap = (*source)->Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->source, "sympla");
  EXPECT_EQ((*source)->cursor(), "");
}

// Sympla's participant export (CSV) of the same event, read by the CSV
// import. QJ5K6F is left out: its export row has no name, which the CSV
// import refuses. The export's "Número do ingresso" has dashes; both read the
// code the QR holds, without them, and keep the number as the ticket id.
TEST_F(SymplaSourceTest, AgreesWithTheCsvExportRowForRow) {
  auto api = Fetch();
  ASSERT_TRUE(api.ok()) << api.status().message();
  db::CsvExportSource csv(std::string(CHECKIN_TEST_DATA_DIR) + "/sympla/export.csv",
                          db::RosterFormat::kAuto, {});
  auto exported = csv.Fetch();
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  EXPECT_EQ(exported->format, db::RosterFormat::kSympla);
  EXPECT_EQ(exported->source, api->source);
  std::vector<db::RosterRecord> from_api;
  for (const auto& r : api->records) {
    if (r.order_id != "QJ5K6F") from_api.push_back(r);
  }
  fake::ExpectSameRecords(from_api, exported->records);
}

}  // namespace
}  // namespace checkin::sync
