// The faults every platform client meets the same way, through HttpGetter,
// run against each platform's local stand-in (tests/sync/platform_fakes.h:
// the platforms cannot be reached from these machines, so a local server
// answers in each one's documented format). Retries wait on a fake clock, so
// no test sleeps. What differs per platform (paging, mapping, wrong shapes)
// is in that platform's own test.
#include <gtest/gtest.h>

#include "sync/eventbrite_source.h"
#include "sync/pretix_source.h"
#include "sync/sympla_source.h"
#include "tests/fakes/fake_clock.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::sync {
namespace {

using fake::Canned;
using std::chrono::milliseconds;

// Per platform: its fake, options and source, and the words it uses.
struct PretixRig {
  using Fake = fake::FakePretix;
  using Source = PretixSource;
  static constexpr const char* kToken = fake::kPretixToken;
  static constexpr const char* kRefusal = "Invalid token.";  // its 401 body's explanation
  static constexpr const char* kList = "pretix's order list";
  static PretixOptions Options(const Fake& f) {
    PretixOptions o;
    o.url = f.base();
    o.organizer = "kcd";
    o.event = "bogota2025";
    o.token = kToken;
    return o;
  }
  static std::string Refused(int status) {
    return "{\"detail\": \"Token " + std::string(kToken) + " refused (" + std::to_string(status) +
           ")\"}";
  }
};

struct EventbriteRig {
  using Fake = fake::FakeEventbrite;
  using Source = EventbriteSource;
  static constexpr const char* kToken = fake::kEventbriteToken;
  static constexpr const char* kRefusal = "The OAuth token you provided was invalid.";
  static constexpr const char* kList = "Eventbrite's attendee list";
  static EventbriteOptions Options(const Fake& f) {
    EventbriteOptions o;
    o.url = f.base();
    o.event = fake::kEventbriteEvent;
    o.token = kToken;
    return o;
  }
  static std::string Refused(int status) {
    return fake::EventbriteError(status, "NOT_AUTHORIZED",
                                 ("Bearer " + std::string(kToken) + " refused").c_str());
  }
};

struct SymplaRig {
  using Fake = fake::FakeSympla;
  using Source = SymplaSource;
  static constexpr const char* kToken = fake::kSymplaToken;
  static constexpr const char* kRefusal = "Token inválido.";
  static constexpr const char* kList = "Sympla's participant list";
  static SymplaOptions Options(const Fake& f) {
    SymplaOptions o;
    o.url = f.base();
    o.event = fake::kSymplaEvent;
    o.token = kToken;
    return o;
  }
  static std::string Refused(int status) {
    return fake::SymplaError(status, ("s_token " + std::string(kToken) + " recusado").c_str());
  }
};

template <typename Rig>
class PlatformFaultsTest : public ::testing::Test {
 protected:
  auto Options() {
    auto o = Rig::Options(platform_);
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    return o;
  }
  template <typename O>
  Result<db::RosterSnapshot> Fetch(O o) {
    typename Rig::Source source(std::move(o), clock_, sleeper_);
    return source.Fetch();
  }
  Result<db::RosterSnapshot> Fetch() { return Fetch(Options()); }
  void ExpectFails(const Result<db::RosterSnapshot>& r, StatusCode code, const std::string& words) {
    fake::ExpectFails(r, code, words, Rig::kToken);
  }

  typename Rig::Fake platform_;
  checkin::testing::FakeClock clock_;
  fake::FakeSleeper sleeper_{clock_};
};

using Rigs = ::testing::Types<PretixRig, EventbriteRig, SymplaRig>;
TYPED_TEST_SUITE(PlatformFaultsTest, Rigs);

TYPED_TEST(PlatformFaultsTest, WrongTokenSaysSoWithoutShowingIt) {
  auto o = this->Options();
  o.token = "wrong-token-0123456789abcdef";
  auto r = this->Fetch(o);
  this->ExpectFails(r, StatusCode::kInvalidInput, "the token is wrong or expired");
  EXPECT_NE(r.status().message().find(TypeParam::kRefusal), std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().message().find(o.token), std::string::npos);
  EXPECT_TRUE(this->sleeper_.sleeps.empty());  // a refused token is not retried
}

TYPED_TEST(PlatformFaultsTest, TokenEchoedByTheServerIsScrubbed) {
  for (int status : {401, 403}) {
    this->platform_.Queue({status, TypeParam::Refused(status), ""});
    this->ExpectFails(this->Fetch(), StatusCode::kInvalidInput, "the token is wrong or expired");
  }
}

TYPED_TEST(PlatformFaultsTest, TooManyRequestsWaitsAsToldThenGoesOn) {
  this->platform_.Queue({429, "{}", "7"});
  auto snap = this->Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_FALSE(snap->records.empty());
  EXPECT_EQ(this->sleeper_.sleeps, std::vector<milliseconds>{milliseconds(7000)});
}

TYPED_TEST(PlatformFaultsTest, RetryAfterLongerThanAPassWaitsFails) {
  this->platform_.Queue({429, "{}", "3600"});
  this->ExpectFails(this->Fetch(), StatusCode::kUnavailable, "asks to wait 3600 s");
  EXPECT_TRUE(this->sleeper_.sleeps.empty());
}

TYPED_TEST(PlatformFaultsTest, ServerErrorsBackOffThenSucceed) {
  this->platform_.Queue({503, "<html>Service Unavailable</html>", ""});
  this->platform_.Queue({502, "Bad Gateway", ""});
  auto snap = this->Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  EXPECT_EQ(this->sleeper_.sleeps,
            (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TYPED_TEST(PlatformFaultsTest, ServerErrorsThatLastGiveUp) {
  for (int i = 0; i < 5; ++i) this->platform_.Queue({500, "Internal Server Error", ""});
  this->ExpectFails(this->Fetch(), StatusCode::kUnavailable, "gave up after 5 attempts");
  EXPECT_EQ(this->sleeper_.sleeps.size(), 4u);
}

TYPED_TEST(PlatformFaultsTest, UnreachableServerGivesUp) {
  auto o = this->Options();
  {
    typename TypeParam::Fake gone;  // a port that nobody listens on once it is gone
    o.url = gone.base();
  }
  this->ExpectFails(this->Fetch(o), StatusCode::kUnavailable, "could not be reached");
}

TYPED_TEST(PlatformFaultsTest, ServerThatNeverAnswersTimesOut) {
  this->platform_.Queue({200, "", "", /*hang=*/true});
  this->platform_.Queue({200, "", "", /*hang=*/true});
  auto o = this->Options();
  o.http.read_timeout = std::chrono::seconds(1);
  o.http.max_attempts = 2;
  this->ExpectFails(this->Fetch(o), StatusCode::kUnavailable, "could not be reached");
  EXPECT_EQ(this->sleeper_.sleeps, std::vector<milliseconds>{milliseconds(1000)});
}

TYPED_TEST(PlatformFaultsTest, TruncatedPageFailsTheWholeFetch) {
  const std::string page = this->platform_.Page(2);
  this->platform_.Override(2, page.substr(0, page.size() / 2));
  this->ExpectFails(this->Fetch(), StatusCode::kInvalidInput,
                    std::string("page 2: ") + TypeParam::kList + " is not valid JSON");
}

TYPED_TEST(PlatformFaultsTest, OversizedPageIsRefused) {
  this->platform_.Queue({200, std::string(21u << 20, ' '), ""});
  this->ExpectFails(this->Fetch(), StatusCode::kInvalidInput, "larger than 20 MB");
}

TYPED_TEST(PlatformFaultsTest, PlainHttpOnlyOnLoopback) {
  auto o = this->Options();
  o.url = "http://registro.example.org/";
  this->ExpectFails(this->Fetch(o), StatusCode::kInvalidInput,
                    "plain http is allowed only on loopback");
}

}  // namespace
}  // namespace checkin::sync
