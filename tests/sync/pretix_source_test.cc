// PretixSource against a fake pretix. pretix cannot be reached from these
// machines, so an httplib::Server on 127.0.0.1 (port 0) started by each test
// answers in pretix's documented REST format (organizer/event paths, pages of
// {count, next, previous, results}, "Authorization: Token", {"detail"} error
// bodies, Retry-After on 429) with pages recorded in tests/data/pretix for a
// realistic event, and faults switched on per test. Retries wait on a fake
// clock, so no test sleeps.
#include "sync/pretix_source.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "db/roster.h"
#include "db/roster_import.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/test_db.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::sync {
namespace {

constexpr const char* kToken = fake::kPretixToken;
constexpr char kEventPath[] = "/api/v1/organizers/kcd/events/bogota2025";

class PretixSourceTest : public ::testing::Test {
 protected:
  PretixOptions Options() {
    PretixOptions o;
    o.url = pretix_.base();
    o.organizer = "kcd";
    o.event = "bogota2025";
    o.token = kToken;
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    return o;
  }
  Result<db::RosterSnapshot> Fetch(PretixOptions o) {
    PretixSource source(std::move(o), clock_, sleeper_);
    auto snap = source.Fetch();
    return snap;
  }
  Result<db::RosterSnapshot> Fetch() { return Fetch(Options()); }
  // The whole fetch fails with `code`, says `words`, and never shows the token.
  void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words) {
    fake::ExpectFails(r, code, words, kToken);
  }
  // A page of the order list with one change made to its JSON.
  std::string Edited(int page, const std::function<void(nlohmann::json&)>& edit) {
    auto j = nlohmann::json::parse(pretix_.Page(page));
    edit(j);
    return j.dump();
  }

  fake::FakePretix pretix_;
  testing::FakeClock clock_;
  fake::FakeSleeper sleeper_{clock_};
  // The requests of the product and order lists: the event's detail and
  // secret lists come with every pass.
  std::vector<std::string> ListTargets() {
    std::vector<std::string> out;
    for (const std::string& t : pretix_.targets()) {
      if (t.find("/items/") != std::string::npos || t.find("/orders/") != std::string::npos)
        out.push_back(t);
    }
    return out;
  }
};

const db::RosterRecord* Find(const db::RosterSnapshot& s, const std::string& id) {
  return fake::FindTicket(s, id);
}

TEST_F(PretixSourceTest, FullFetchMapsEveryShapeOfTheEvent) {
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->format, db::RosterFormat::kPretix);
  EXPECT_EQ(snap->source, "pretix");
  EXPECT_TRUE(snap->full_export);
  EXPECT_EQ(snap->total_rows, 12);  // every position on the three pages
  // Admission tickets only: ABC12's workshop add-on and its T-shirt are not tickets.
  ASSERT_EQ(snap->records.size(), 10u);
  EXPECT_EQ(Find(*snap, "ABC12-2"), nullptr);
  EXPECT_EQ(Find(*snap, "ABC12-3"), nullptr);

  const auto* maria = Find(*snap, "ABC12-1");
  ASSERT_NE(maria, nullptr);
  EXPECT_EQ(maria->ticket_code, "k3jd8f7hs2qx9m4vw6tz5bnr");
  EXPECT_EQ(maria->first_name, "María José");
  EXPECT_EQ(maria->last_name, "Muñoz Peña");
  EXPECT_EQ(maria->ticket_type, "General Admission");
  EXPECT_EQ(maria->company, "Nubes Andinas");
  EXPECT_EQ(maria->status, TicketStatus::kValid);
  EXPECT_EQ(maria->upstream_status, "Paid");

  struct Case {
    const char* id;
    const char* first;
    const char* last;
    const char* email;
    TicketStatus status;
    const char* upstream;
  };
  const Case cases[] = {
      // attendee_name null: the full_name scheme, split as the CSV import splits.
      {"DEF34-1", "Juan Carlos", "Rodríguez", "juan.rodriguez@example.co", TicketStatus::kValid,
       "Paid"},
      {"DEF34-2", "Ana", "Gómez", "ana.gomez@example.co", TicketStatus::kCancelled, "Canceled"},
      {"GHI56-1", "Pedro", "Pérez", "pedro.perez@example.co", TicketStatus::kCancelled, "Pending"},
      {"JKL78-1", "Camila", "Vargas", "camila.vargas@example.co", TicketStatus::kCancelled,
       "Expired"},
      {"MNO90-1", "Andrés", "Silva", "andres.silva@example.co", TicketStatus::kCancelled,
       "Canceled"},
      // No attendee name at all: the invoice address's name parts, title left out.
      {"PQR12-1", "Lucía", "Fernández", "lucia.fernandez@example.co", TicketStatus::kValid, "Paid"},
      {"STU34-1", "Tomás", "Ñúñez", "tomas.nunez@example.co", TicketStatus::kValid, "Paid"},
  };
  for (const Case& c : cases) {
    const auto* r = Find(*snap, c.id);
    ASSERT_NE(r, nullptr) << c.id;
    EXPECT_EQ(r->first_name, c.first) << c.id;
    EXPECT_EQ(r->last_name, c.last) << c.id;
    EXPECT_EQ(r->email, c.email) << c.id;
    EXPECT_EQ(r->status, c.status) << c.id;
    EXPECT_EQ(r->upstream_status, c.upstream) << c.id;
  }
  EXPECT_EQ(Find(*snap, "MNO90-1")->ticket_type, "Speaker");  // the "en" name of {"es", "en"}

  // pretix's refusals travel with the ticket, its local times made UTC.
  EXPECT_EQ(Find(*snap, "STU34-1")->blocked, "admin");
  EXPECT_EQ(Find(*snap, "STU34-1")->valid_until, "2025-11-28T23:00:00.000Z");
  EXPECT_EQ(Find(*snap, "STU34-2")->valid_from, "2025-11-29T13:00:00.000Z");
  EXPECT_EQ(Find(*snap, "STU34-2")->blocked, "");
  for (const auto& r : snap->records) {
    if (r.ticket_id.rfind("STU34-", 0) != 0) {
      EXPECT_EQ(r.blocked + r.valid_from + r.valid_until, "") << r.ticket_id;
    }
  }
  EXPECT_TRUE(sleeper_.sleeps.empty());
  // Canceled positions are only listed when asked for.
  const auto targets = ListTargets();
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[1], std::string(kEventPath) + "/orders/?include_canceled_positions=true");
}

TEST_F(PretixSourceTest, SigningKeysProductsAndBarredSecretsComeWithEveryPass) {
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  ASSERT_TRUE(snap->rules.has_value());
  const db::PlatformRules& rules = *snap->rules;
  ASSERT_EQ(rules.signing_keys.size(), 1u);
  EXPECT_EQ(rules.signing_keys[0].substr(0, 20), "LS0tLS1CRUdJTiBQVUJM");
  ASSERT_EQ(rules.items.size(), 4u);
  EXPECT_EQ(rules.items[0].id, 1);
  EXPECT_EQ(rules.items[0].name, "General Admission");
  EXPECT_TRUE(rules.items[0].admission);
  EXPECT_EQ(std::count_if(rules.items.begin(), rules.items.end(),
                          [](const auto& i) { return !i.admission; }),
            1);
  EXPECT_EQ(rules.revoked_codes, (std::vector<std::string>{"zqw8ukhbx6jk2cmf4yfw9mxsrqq7pd3v",
                                                           "revoked-secret-of-abc12-1"}));
  // An entry unblocked again is not barred.
  EXPECT_EQ(rules.blocked_codes, std::vector<std::string>{"blocked-by-organizer-7f3k"});

  pretix_.WithoutBlockedSecrets();
  snap = Fetch();
  ASSERT_TRUE(snap.ok()) << "an older pretix without the list: " << snap.status().message();
  EXPECT_TRUE(snap->rules->blocked_codes.empty());
}

TEST(PretixEventKeysTest, AnUnusableSigningKeyFailsThePassAndNoKeysIsFine) {
  // An unreadable key would make every genuine signed ticket look forged.
  auto bad = ReadEventKeys(R"({"slug": "x", "valid_keys": {"pretix_sig1": ["bm90IGEga2V5"]}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("valid_keys.pretix_sig1"), std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(ReadEventKeys(R"({"valid_keys": {"pretix_sig1": [7]}})").ok());
  EXPECT_FALSE(ReadEventKeys(R"({"valid_keys": "yes"})").ok());
  EXPECT_FALSE(ReadEventKeys(R"({"valid_keys": {)").ok());
  // Events that sign no tickets.
  for (const char* none :
       {R"({"slug": "x"})", R"({"valid_keys": null})", R"({"valid_keys": {"pretix_sig1": []}})"}) {
    auto keys = ReadEventKeys(none);
    ASSERT_TRUE(keys.ok()) << none << ": " << keys.status().message();
    EXPECT_TRUE(keys->empty()) << none;
  }
}

TEST_F(PretixSourceTest, IncrementalFetchAsksForOrdersModifiedSince) {
  auto o = Options();
  o.modified_since = "2026-11-28T13:00:00+01:00";  // '+' must reach pretix as '+'
  PretixSource source(o, clock_, sleeper_);
  auto snap = source.Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_FALSE(snap->full_export);  // a partial list: nobody is "missing"
  EXPECT_EQ(source.page_generated(), "2026-11-28T12:00:01Z");  // pretix's time, for the next pass
  const auto targets = ListTargets();
  ASSERT_GE(targets.size(), 2u);
  EXPECT_NE(targets[1].find("&modified_since=2026-11-28T13:00:00+01:00"), std::string::npos)
      << targets[1];
}

TEST_F(PretixSourceTest, WrongEventNamesIt) {
  auto o = Options();
  o.event = "bogota2024";
  ExpectFails(Fetch(o), StatusCode::kNotFound,
              "pretix has no event 'bogota2024' of organizer 'kcd'");
}

TEST_F(PretixSourceTest, FieldOfTheWrongTypeNamesItsPlace) {
  pretix_.Override(
      2, Edited(2, [](nlohmann::json& j) { j["results"][0]["positions"][0]["item"] = "1"; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "order JKL78 position 1 member 'item' is not a whole number");
  pretix_.Override(2, Edited(2, [](nlohmann::json& j) { j["results"][1]["status"] = 3; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "order MNO90 member 'status' is not a string");
  pretix_.Override(2, Edited(2, [](nlohmann::json& j) { j["next"] = 2; }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "member 'next' is not a string or null");
}

TEST_F(PretixSourceTest, NextThatLoopsIsCaught) {
  pretix_.Override(3, Edited(3, [&](nlohmann::json& j) {
                     j["next"] = nlohmann::json::parse(pretix_.Page(1))["next"];
                   }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "repeats a page");
}

TEST_F(PretixSourceTest, PagesPastTheCapStop) {
  auto o = Options();
  o.max_pages = 2;
  ExpectFails(Fetch(o), StatusCode::kInvalidInput, "goes on past 2 pages");
}

TEST_F(PretixSourceTest, NextOnAnotherServerIsNotFollowed) {
  // 127.0.0.2 is this machine too, but another origin: the token stays home.
  pretix_.Override(1, Edited(1, [&](nlohmann::json& j) {
                     j["next"] = "http://127.0.0.2:" + std::to_string(pretix_.port()) +
                                 std::string(kEventPath) + "/orders/?page=2";
                   }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "next page is on another server");
  EXPECT_EQ(ListTargets().size(), 2u);
}

TEST_F(PretixSourceTest, OneSecretOnTwoTicketsFails) {
  pretix_.Override(3, Edited(3, [](nlohmann::json& j) {
                     j["results"][1]["positions"][0]["secret"] = "k3jd8f7hs2qx9m4vw6tz5bnr";
                   }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "tickets ABC12-1 and VWX56-1 have the same secret");
}

// An import streams the pages (each stored while the next is fetched): the
// same tickets and rules as a fetch, a ticket listed again (its order changed
// while we paged) stored as last seen, and a secret on two tickets refused
// with nothing stored.
TEST_F(PretixSourceTest, AStreamedImportStoresWhatAFetchReads) {
  // ABC12-1 again on the last page, renamed.
  pretix_.Override(3, Edited(3, [&](nlohmann::json& j) {
                     auto first = nlohmann::json::parse(pretix_.Page(1))["results"][0];
                     first["positions"] = nlohmann::json::array({first["positions"][0]});
                     first["positions"][0]["attendee_name_parts"] = {
                         {"given_name", "María José"}, {"family_name", "Muñoz de Peña"}};
                     first["positions"][0]["attendee_name"] = "María José Muñoz de Peña";
                     j["results"].push_back(first);
                   }));
  auto fetched = Fetch();
  ASSERT_TRUE(fetched.ok()) << fetched.status().message();
  testing::TempDir dir;
  auto db = testing::NewEventDatabase(dir.File("e.db"), clock_);
  PretixSource source(Options(), clock_, sleeper_);
  auto sum =
      db::ImportRoster(*db, source, db::MissingPolicy::kReport, db::ImportMode::kApply, clock_);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, static_cast<int>(fetched->records.size()));
  auto maria = db::FindAttendeeByCode(*db, Find(*fetched, "ABC12-1")->ticket_code);
  ASSERT_TRUE(maria.ok() && maria->has_value());
  EXPECT_EQ((*maria)->last_name, "Muñoz de Peña");
  EXPECT_EQ((*maria)->ticket_id, "ABC12-1");
  auto blocked = db::FindAttendeeByCode(*db, Find(*fetched, "STU34-1")->ticket_code);
  ASSERT_TRUE(blocked.ok() && blocked->has_value());
  EXPECT_EQ((*blocked)->blocked, "admin");
  EXPECT_EQ(testing::QueryInt(*db, "SELECT count(*) FROM signing_keys"), 1);

  pretix_.Override(3, Edited(3, [](nlohmann::json& j) {
                     j["results"][1]["positions"][0]["secret"] = "k3jd8f7hs2qx9m4vw6tz5bnr";
                   }));
  testing::TempDir dir2;
  auto empty = testing::NewEventDatabase(dir2.File("e.db"), clock_);
  PretixSource again(Options(), clock_, sleeper_);
  auto refused =
      db::ImportRoster(*empty, again, db::MissingPolicy::kReport, db::ImportMode::kApply, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("have the same secret"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(testing::QueryInt(*empty, "SELECT count(*) FROM attendees"), 0);
  EXPECT_EQ(testing::QueryInt(*empty, "SELECT count(*) FROM signing_keys"), 0);
}

TEST_F(PretixSourceTest, PlainHttpOnlyOnLoopback) {
  for (const char* url : {"http://127.0.0.1:8080/", "http://127.9.9.9/", "http://[::1]:8080/",
                          "http://localhost/", "https://pretix.eu/"}) {
    EXPECT_TRUE(ParseUrl(url).ok()) << url;
  }
  for (const char* url : {"http://pretix.eu/", "http://10.0.0.5/", "http://128.0.0.1/",
                          "ftp://pretix.eu/", "https://user:pw@pretix.eu/", "https://:443/"}) {
    EXPECT_FALSE(ParseUrl(url).ok()) << url;
  }
  auto o = Options();
  o.url = "http://pretix.example.org/";
  ExpectFails(Fetch(o), StatusCode::kInvalidInput, "plain http is allowed only on loopback");
}

// pretix's "Order data / Order positions" CSV export of the same event,
// filtered to its admission products, read by the CSV import. PQR12 is left
// out: its export row has no attendee name (the API's invoice name fills it),
// which the CSV import refuses.
TEST_F(PretixSourceTest, AgreesWithTheCsvExportRowForRow) {
  auto api = Fetch();
  ASSERT_TRUE(api.ok()) << api.status().message();
  db::CsvExportSource csv(std::string(CHECKIN_TEST_DATA_DIR) + "/pretix/export.csv",
                          db::RosterFormat::kPretix, {});
  auto exported = csv.Fetch();
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  std::vector<db::RosterRecord> from_api;
  for (const auto& r : api->records) {
    if (r.order_id != "PQR12") from_api.push_back(r);
  }
  fake::ExpectSameRecords(from_api, exported->records);
  // The export's add-on row rides on its parent, as in the API.
  EXPECT_EQ(exported->total_rows, static_cast<int>(exported->records.size()) + 1);
}

}  // namespace
}  // namespace checkin::sync
