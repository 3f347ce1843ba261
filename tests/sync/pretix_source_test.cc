// PretixSource against a fake pretix (tests/fakes/fake_pretix.h): pretix
// cannot be reached from these machines, so each test starts a server on
// 127.0.0.1 that answers in pretix's documented format with pages recorded
// for a realistic event, and switches faults on. Retries wait on a fake
// clock, so no test sleeps.
#include "sync/pretix_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_pretix.h"

namespace checkin::sync {
namespace {

using std::chrono::milliseconds;
using testing::Canned;
using testing::FakePretix;
using testing::kEventPath;
using testing::kPretixToken;
constexpr const char* kToken = kPretixToken;

class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(testing::FakeClock& clock) : clock_(clock) {}
  void Sleep(milliseconds d) override {
    sleeps.push_back(d);
    clock_.Advance(d);
  }
  std::vector<milliseconds> sleeps;

 private:
  testing::FakeClock& clock_;
};

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
    return source.Fetch();
  }
  Result<db::RosterSnapshot> Fetch() { return Fetch(Options()); }
  // The whole fetch fails with `code`, says `words`, and never shows the token.
  void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words) {
    ASSERT_FALSE(r.ok()) << words;
    EXPECT_EQ(r.status().code(), code) << r.status().message();
    EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find(kToken), std::string::npos) << r.status().message();
  }
  // A page of the order list with one change made to its JSON.
  std::string Edited(int page, const std::function<void(nlohmann::json&)>& edit) {
    auto j = nlohmann::json::parse(pretix_.Page(page));
    edit(j);
    return j.dump();
  }

  FakePretix pretix_;
  testing::FakeClock clock_;
  FakeSleeper sleeper_{clock_};
};

const db::RosterRecord* Find(const db::RosterSnapshot& s, const std::string& ticket_id) {
  for (const auto& r : s.records) {
    if (r.ticket_id == ticket_id) return &r;
  }
  return nullptr;
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
  const auto targets = pretix_.targets();
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
  const auto targets = pretix_.targets();
  ASSERT_GE(targets.size(), 2u);
  EXPECT_NE(targets[1].find("&modified_since=2026-11-28T13:00:00+01:00"), std::string::npos)
      << targets[1];
}

TEST_F(PretixSourceTest, WrongTokenSaysSoWithoutShowingIt) {
  auto o = Options();
  o.token = "wrong-token-0123456789abcdef";
  auto r = Fetch(o);
  ExpectFails(r, StatusCode::kInvalidInput, "the token is wrong or expired");
  EXPECT_EQ(r.status().message().find(o.token), std::string::npos);
  EXPECT_TRUE(sleeper_.sleeps.empty());  // a refused token is not retried
}

TEST_F(PretixSourceTest, TokenEchoedByTheServerIsScrubbed) {
  pretix_.Queue(
      {403, nlohmann::json{{"detail", std::string("Token ") + kToken + " is read-only."}}.dump(),
       ""});
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "HTTP 403");
}

TEST_F(PretixSourceTest, WrongEventNamesIt) {
  auto o = Options();
  o.event = "bogota2024";
  ExpectFails(Fetch(o), StatusCode::kNotFound,
              "pretix has no event 'bogota2024' of organizer 'kcd'");
}

TEST_F(PretixSourceTest, TooManyRequestsWaitsAsToldThenGoesOn) {
  pretix_.Queue(
      {429, R"({"detail":"Request was throttled. Expected available in 7 seconds."})", "7"});
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(snap->records.size(), 10u);
  EXPECT_EQ(sleeper_.sleeps, std::vector<milliseconds>{milliseconds(7000)});
}

TEST_F(PretixSourceTest, RetryAfterLongerThanAPassWaitsFails) {
  pretix_.Queue({429, R"({"detail":"Request was throttled."})", "3600"});
  ExpectFails(Fetch(), StatusCode::kUnavailable, "asks to wait 3600 s");
  EXPECT_TRUE(sleeper_.sleeps.empty());
}

TEST_F(PretixSourceTest, ServerErrorsBackOffThenSucceed) {
  pretix_.Queue({503, "<html>Service Unavailable</html>", ""});
  pretix_.Queue({502, "Bad Gateway", ""});
  auto snap = Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(sleeper_.sleeps, (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST_F(PretixSourceTest, ServerErrorsThatLastGiveUp) {
  for (int i = 0; i < 5; ++i) pretix_.Queue({500, "Internal Server Error", ""});
  ExpectFails(Fetch(), StatusCode::kUnavailable, "gave up after 5 attempts");
  EXPECT_EQ(sleeper_.sleeps.size(), 4u);
}

TEST_F(PretixSourceTest, UnreachableServerGivesUp) {
  auto o = Options();
  {
    FakePretix gone;  // a port that nobody listens on once it is gone
    o.url = gone.base();
  }
  ExpectFails(Fetch(o), StatusCode::kUnavailable, "could not be reached");
}

TEST_F(PretixSourceTest, ServerThatNeverAnswersTimesOut) {
  pretix_.Queue({200, "", "", /*hang=*/true});
  pretix_.Queue({200, "", "", /*hang=*/true});
  auto o = Options();
  o.http.read_timeout = std::chrono::seconds(1);
  o.http.max_attempts = 2;
  ExpectFails(Fetch(o), StatusCode::kUnavailable, "could not be reached");
  EXPECT_EQ(sleeper_.sleeps, std::vector<milliseconds>{milliseconds(1000)});
}

TEST_F(PretixSourceTest, TruncatedPageFailsTheWholeFetch) {
  const std::string page = pretix_.Page(2);
  pretix_.Override(2, page.substr(0, page.size() / 2));
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "page 2: pretix's order list is not valid JSON");
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
  EXPECT_EQ(pretix_.targets().size(), 2u);
}

TEST_F(PretixSourceTest, OversizedPageIsRefused) {
  pretix_.Queue({200, std::string(21u << 20, ' '), ""});
  ExpectFails(Fetch(), StatusCode::kInvalidInput, "larger than 20 MB");
}

TEST_F(PretixSourceTest, OneSecretOnTwoTicketsFails) {
  pretix_.Override(3, Edited(3, [](nlohmann::json& j) {
                     j["results"][1]["positions"][0]["secret"] = "k3jd8f7hs2qx9m4vw6tz5bnr";
                   }));
  ExpectFails(Fetch(), StatusCode::kInvalidInput,
              "tickets ABC12-1 and VWX56-1 have the same secret");
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
  ASSERT_EQ(from_api.size(), exported->records.size());
  for (size_t i = 0; i < from_api.size(); ++i) {
    const auto& a = from_api[i];
    const auto& c = exported->records[i];
    EXPECT_EQ(a.ticket_id, c.ticket_id) << i;
    EXPECT_EQ(a.ticket_code, c.ticket_code) << a.ticket_id;
    EXPECT_EQ(a.order_id, c.order_id) << a.ticket_id;
    EXPECT_EQ(a.first_name, c.first_name) << a.ticket_id;
    EXPECT_EQ(a.last_name, c.last_name) << a.ticket_id;
    EXPECT_EQ(a.email, c.email) << a.ticket_id;
    EXPECT_EQ(a.company, c.company) << a.ticket_id;
    EXPECT_EQ(a.ticket_type, c.ticket_type) << a.ticket_id;
    EXPECT_EQ(a.status, c.status) << a.ticket_id;
    EXPECT_EQ(a.upstream_status, c.upstream_status) << a.ticket_id;
    EXPECT_EQ(a.valid_from, c.valid_from) << a.ticket_id;
    EXPECT_EQ(a.valid_until, c.valid_until) << a.ticket_id;
  }
  // The export's add-on row rides on its parent, as in the API.
  EXPECT_EQ(exported->total_rows, static_cast<int>(exported->records.size()) + 1);
}

}  // namespace
}  // namespace checkin::sync
