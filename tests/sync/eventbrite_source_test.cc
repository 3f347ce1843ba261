// EventbriteSource against a fake Eventbrite. Eventbrite cannot be reached
// from these machines, so a local HTTP server started by each test answers
// in Eventbrite's documented API v3 format (/v3/events/ID/attendees/,
// "Authorization: Bearer", {"pagination": {..., "has_more_items",
// "continuation"}, "attendees": [...]}, {"status_code", "error",
// "error_description"} error bodies, Retry-After on 429) with pages recorded
// in tests/data/eventbrite for a Bogotá event, and faults switched on per
// test. Retries wait on a fake clock, so no test sleeps.
#include "sync/eventbrite_source.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "common/config.h"
#include "tests/fakes/fake_clock.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::sync {
namespace {

using fake::Canned;
constexpr const char* kToken = fake::kEventbriteToken;
constexpr const char* kEvent = fake::kEventbriteEvent;
constexpr const char* kContinuation = fake::kEventbriteContinuation;

class EventbriteSourceTest : public ::testing::Test {
 protected:
  EventbriteOptions Options() {
    EventbriteOptions o;
    o.url = eventbrite_.base();
    o.event = kEvent;
    o.token = kToken;
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    return o;
  }
  Result<db::RosterSnapshot> Fetch(EventbriteOptions o) {
    EventbriteSource source(std::move(o), clock_, sleeper_);
    auto snap = source.Fetch();
    cursor_ = source.cursor();
    return snap;
  }
  Result<db::RosterSnapshot> Fetch() { return Fetch(Options()); }
  void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words) {
    fake::ExpectFails(r, code, words, kToken);
  }
  std::string Edited(int page, const std::function<void(nlohmann::json&)>& edit) {
    auto j = nlohmann::json::parse(eventbrite_.Page(page));
    edit(j);
    return j.dump();
  }

  fake::FakeEventbrite eventbrite_;
  checkin::testing::FakeClock clock_;
  fake::FakeSleeper sleeper_{clock_};
  std::string cursor_;
};

TEST_F(EventbriteSourceTest, FullFetchFollowsTheContinuationAndMapsEveryStatus) {
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->format, db::RosterFormat::kEventbrite);
  EXPECT_EQ(snap->source, "eventbrite");
  EXPECT_TRUE(snap->full_export);
  EXPECT_EQ(snap->total_rows, 8);
  ASSERT_EQ(snap->records.size(), 8u);

  const auto* maria = fake::FindTicket(*snap, "3401234501");
  ASSERT_NE(maria, nullptr);
  EXPECT_EQ(maria->ticket_code, "29011000013401234501001");
  EXPECT_EQ(maria->order_id, "2901100001");
  EXPECT_EQ(maria->first_name, "María José");
  EXPECT_EQ(maria->last_name, "Muñoz Peña");
  EXPECT_EQ(maria->email, "maria.munoz@example.co");
  EXPECT_EQ(maria->company, "Nubes Andinas");
  EXPECT_EQ(maria->ticket_type, "Entrada General");

  struct Case {
    const char* id;
    TicketStatus status;
    const char* upstream;
  };
  const Case cases[] = {
      {"3401234501", TicketStatus::kValid, "Attending"},
      {"3401234502", TicketStatus::kValid, "Checked In"},
      // refunded: true wins over the (deprecated) status word.
      {"3401234503", TicketStatus::kRefunded, "Refunded"},
      // cancelled: true with a stale "Attending" is not admitted.
      {"3401234504", TicketStatus::kCancelled, "Not Attending"},
      // No status member at all: the flags say attending.
      {"3401234505", TicketStatus::kValid, "Attending"},
      {"3401234506", TicketStatus::kCancelled, "Transferred"},
      {"3401234508", TicketStatus::kCancelled, "Deleted"},
  };
  for (const Case& c : cases) {
    const auto* r = fake::FindTicket(*snap, c.id);
    ASSERT_NE(r, nullptr) << c.id;
    EXPECT_EQ(r->status, c.status) << c.id;
    EXPECT_EQ(r->upstream_status, c.upstream) << c.id;
  }
  EXPECT_EQ(fake::FindTicket(*snap, "3401234506")->first_name, "Tomás");
  EXPECT_EQ(fake::FindTicket(*snap, "3401234506")->last_name, "Ñúñez");

  const auto targets = eventbrite_.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/v3/events/812345678901/attendees/");
  EXPECT_EQ(targets[1],
            std::string("/v3/events/812345678901/attendees/?continuation=") + kContinuation);
  // Eventbrite's Date on the first page, less the overlap: our clock (13:00) is
  // an hour ahead of Eventbrite's and must not decide.
  EXPECT_EQ(cursor_, "2026-11-28T11:50:01Z");
  EXPECT_TRUE(sleeper_.sleeps.empty());
}

TEST_F(EventbriteSourceTest, IncrementalFetchAsksForAttendeesChangedSince) {
  auto o = Options();
  o.changed_since = "2026-11-28T11:50:01Z";
  auto snap = Fetch(o);
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_FALSE(snap->full_export);  // a partial list: nobody is "missing"
  const auto targets = eventbrite_.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/v3/events/812345678901/attendees/?changed_since=2026-11-28T11:50:01Z");
  EXPECT_NE(targets[1].find("changed_since=2026-11-28T11:50:01Z"), std::string::npos);
  EXPECT_NE(targets[1].find(std::string("continuation=") + kContinuation), std::string::npos);
}

TEST_F(EventbriteSourceTest, CursorFallsBackToOurClockWithoutADate) {
  eventbrite_.Queue({200, eventbrite_.Page(1), ""});  // a queued reply carries no Date
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(cursor_, "2026-11-28T12:50:00Z");  // the fake clock's 13:00, less the overlap
}

TEST_F(EventbriteSourceTest, HttpDatesAreReadStrictly) {
  std::chrono::system_clock::time_point t;
  ASSERT_TRUE(ParseHttpDate("Sat, 28 Nov 2026 12:00:01 GMT", &t));
  EXPECT_EQ(FormatEventbriteTime(t), "2026-11-28T12:00:01Z");
  for (const char* bad :
       {"", "yesterday", "Sat, 28 Nov 2026 12:00:01 CET", "Sat, 28 Foo 2026 12:00:01 GMT",
        "Sat, 32 Nov 2026 12:00:01 GMT", "Sat, 28 Nov 2026 25:00:01 GMT"}) {
    EXPECT_FALSE(ParseHttpDate(bad, &t)) << bad;
  }
}

TEST_F(EventbriteSourceTest, WrongEventNamesIt) {
  auto o = Options();
  o.event = "812345678900";
  ExpectFails(Fetch(o), StatusCode::kNotFound, "Eventbrite has no event 812345678900");
  o.event = "../users/me";
  ExpectFails(Fetch(o), StatusCode::kInvalidInput, "numeric event id");
}

TEST_F(EventbriteSourceTest, FieldOfTheWrongTypeNamesItsPlace) {
  eventbrite_.Override(2,
                       Edited(2, [](nlohmann::json& j) { j["attendees"][0]["cancelled"] = "no"; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "attendee 3401234505 member 'cancelled' is not true or false");
  eventbrite_.Override(2, Edited(2, [](nlohmann::json& j) {
                         j["attendees"][1]["barcodes"][0]["barcode"] = 2901100004340123LL;
                       }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "attendee 3401234506 member 'barcodes'");
  eventbrite_.Override(2,
                       Edited(2, [](nlohmann::json& j) { j["attendees"][2]["id"] = 3401234507; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "an attendee member 'id' is not a string");
  eventbrite_.Override(
      1, Edited(1, [](nlohmann::json& j) { j["pagination"]["has_more_items"] = "true"; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "member 'has_more_items' is not true or false");
}

TEST_F(EventbriteSourceTest, AttendeeWithoutABarcodeOrWithAnUnknownStatusFails) {
  eventbrite_.Override(2, Edited(2, [](nlohmann::json& j) {
                         j["attendees"][2]["barcodes"] = nlohmann::json::array();
                       }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "attendee 3401234507 has no barcode");
  eventbrite_.Override(
      2, Edited(2, [](nlohmann::json& j) { j["attendees"][2]["status"] = "Waitlisted"; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "attendee 3401234507 has status 'Waitlisted'");
}

TEST_F(EventbriteSourceTest, ContinuationThatRepeatsIsCaught) {
  eventbrite_.Override(2, Edited(2, [](nlohmann::json& j) {
                         j["pagination"]["has_more_items"] = true;
                         j["pagination"]["continuation"] = kContinuation;
                       }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "repeats a continuation");
  EXPECT_EQ(eventbrite_.targets().size(), 2u);
}

TEST_F(EventbriteSourceTest, MoreItemsWithoutAContinuationFails) {
  eventbrite_.Override(1,
                       Edited(1, [](nlohmann::json& j) { j["pagination"].erase("continuation"); }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "gives no continuation");
}

TEST_F(EventbriteSourceTest, PagesPastTheCapStop) {
  auto o = Options();
  o.max_pages = 1;
  ExpectFails(Fetch(o), StatusCode::kInvalidInput, "goes on past 1 pages");
}

TEST_F(EventbriteSourceTest, OneBarcodeOnTicketsOfTwoOrdersFails) {
  eventbrite_.Override(2, Edited(2, [](nlohmann::json& j) {
                         j["attendees"][2]["barcodes"][0]["barcode"] = "29011000013401234501001";
                       }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "tickets 3401234501 and 3401234507 have the same barcode");
}

// An attendee changed while we page moves to a later page: listed twice, kept once, as last seen.
TEST_F(EventbriteSourceTest, AttendeeListedTwiceIsKeptOnceAsLastSeen) {
  const auto first = nlohmann::json::parse(eventbrite_.Page(1));
  eventbrite_.Override(2, Edited(2, [&](nlohmann::json& j) {
                         auto again = first["attendees"][3];
                         again["refunded"] = true;
                         j["attendees"].push_back(again);
                       }));
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->records.size(), 8u);
  EXPECT_EQ(fake::FindTicket(*snap, "3401234504")->status, TicketStatus::kRefunded);
}

TEST_F(EventbriteSourceTest, OpenPlatformBuildsItUnderTheCsvImportsSourceName) {
  RegistrationSettings settings;
  settings.platform = "eventbrite";
  settings.url = eventbrite_.base();
  settings.event = kEvent;
  auto source = OpenPlatform(settings, kToken, "", clock_, sleeper_);
  ASSERT_TRUE(source.ok()) << source.status().message();
  auto snap = (*source)->Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->source, "eventbrite");
  EXPECT_EQ((*source)->cursor(), "2026-11-28T11:50:01Z");
}

// Eventbrite's attendee report (CSV) of the same event, read by the CSV
// import: the same records, field for field.
TEST_F(EventbriteSourceTest, AgreesWithTheCsvExportRowForRow) {
  auto api = Fetch();
  ASSERT_TRUE(api.ok()) << api.status().message();
  db::CsvExportSource csv(std::string(CHECKIN_TEST_DATA_DIR) + "/eventbrite/export.csv",
                          db::RosterFormat::kAuto, {});
  auto exported = csv.Fetch();
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  EXPECT_EQ(exported->format, db::RosterFormat::kEventbrite);
  EXPECT_EQ(exported->source, api->source);
  fake::ExpectSameRecords(api->records, exported->records);
}

}  // namespace
}  // namespace checkin::sync
