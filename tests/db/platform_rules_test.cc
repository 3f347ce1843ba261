// What a registration platform says beyond the roster, at the desk: blocked
// tickets and validity windows, revoked and blocked codes, and pretix signed
// tickets (signed here with a key pair of the test) verified offline, the
// genuine unsynced ones joining the roster until a sync adopts them.
#include <gtest/gtest.h>

#include "db/checkin_desk.h"
#include "db/roster.h"
#include "db/roster_import.h"
#include "tests/fakes/sig1_signer.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;
namespace sig1 = checkin::testing::sig1;

RosterRecord Ticket(const std::string& id, const std::string& code, const std::string& first,
                    const std::string& last) {
  RosterRecord r;
  r.ticket_id = id;
  r.order_id = id.substr(0, id.find('-'));
  r.ticket_code = code;
  r.first_name = first;
  r.last_name = last;
  r.ticket_type = "General Admission";
  r.upstream_status = "Paid";
  return r;
}

class PlatformRulesTest : public ::testing::Test {
 protected:
  PlatformRulesTest() : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)) {
    EXPECT_GE(sodium_init(), 0);
    // 2025-11-28 09:00 in Bogotá.
    clock_.Set(std::chrono::system_clock::time_point(std::chrono::seconds(1764338400)));
    auto d = CheckinDesk::Create(*db_, clock_, DefaultConfig());
    EXPECT_TRUE(d.ok()) << d.status().message();
    desk_ = std::move(d).value();
  }

  PlatformRules Rules() const {
    PlatformRules rules;
    rules.signing_keys = {key_.Published()};
    rules.items = {{1, "General Admission", true}, {3, "Camiseta", false}};
    rules.revoked_codes = {"OLD-SECRET-ABC12-1"};
    rules.blocked_codes = {"BLOCKED-SECRET-7F3K"};
    return rules;
  }

  ImportSummary Sync(std::vector<RosterRecord> records, std::optional<PlatformRules> rules,
                     bool full = true) {
    RosterSnapshot snap;
    snap.format = RosterFormat::kPretix;
    snap.source = "pretix";
    snap.origin = "https://pretix.example/api/v1/organizers/kcd/events/bogota2025";
    snap.full_export = full;
    for (size_t i = 0; i < records.size(); ++i) records[i].line = static_cast<int>(i) + 1;
    snap.total_rows = static_cast<int>(records.size());
    snap.records = std::move(records);
    snap.rules = std::move(rules);
    auto sum = ApplyRoster(*db_, snap, MissingPolicy::kReport, ImportMode::kApply, clock_);
    EXPECT_TRUE(sum.ok()) << sum.status().message();
    return sum.ok() ? *sum : ImportSummary{};
  }

  Decision Redeem(const std::string& code, Direction dir = Direction::kEntry) {
    auto d = desk_->Redeem({code, "Principal", "mesa-1", dir, ScanSource::kCamera});
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : Decision{};
  }

  std::string Signed(sig1::TicketFields f) const { return sig1::Sign(sig1::Payload(f), key_); }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CheckinDesk> desk_;
  sig1::KeyPair key_;
};

TEST_F(PlatformRulesTest, BlockedAndOutOfWindowTicketsAreRefusedWithTheReasonUntilTheyChange) {
  RosterRecord blocked = Ticket("ABC12-1", "SECRET-ABC12-1", "María José", "Muñoz Peña");
  blocked.blocked = "admin";
  RosterRecord tomorrow = Ticket("DEF34-1", "SECRET-DEF34-1", "Andrés", "Gómez");
  tomorrow.valid_from = "2025-11-29T13:00:00.000Z";
  RosterRecord yesterday = Ticket("GHI56-1", "SECRET-GHI56-1", "Lucía", "Fernández");
  yesterday.valid_until = "2025-11-27T23:00:00.000Z";
  EXPECT_EQ(Sync({blocked, tomorrow, yesterday}, std::nullopt).added, 3);

  Decision d = Redeem("SECRET-ABC12-1");
  EXPECT_EQ(d.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(d.reason, "blocked");
  ASSERT_TRUE(d.attendee.has_value());
  EXPECT_EQ(d.attendee->blocked, "admin");
  EXPECT_EQ(Redeem("SECRET-DEF34-1").reason, "not_yet_valid");
  EXPECT_EQ(Redeem("SECRET-GHI56-1").reason, "no_longer_valid");

  // The organizer unblocks in pretix; the next sync carries it.
  blocked.blocked.clear();
  const ImportSummary sum = Sync({blocked, tomorrow, yesterday}, std::nullopt);
  EXPECT_EQ(sum.updated, 1);
  EXPECT_EQ(sum.unchanged, 2);
  EXPECT_EQ(Redeem("SECRET-ABC12-1").verdict, Verdict::kAdmitted);
  // A day later the window opens.
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Redeem("SECRET-DEF34-1").verdict, Verdict::kAdmitted);
}

TEST_F(PlatformRulesTest, AGenuineSignedTicketNotYetSyncedIsAdmittedOnceAndMarked) {
  Sync({Ticket("ABC12-1", "SECRET-ABC12-1", "María José", "Muñoz Peña")}, Rules());
  const std::string code = Signed({.seed = "Xk3pQ9aZr", .item = 1});
  Decision d = Redeem(code);
  EXPECT_EQ(d.verdict, Verdict::kAdmitted) << d.reason;
  ASSERT_TRUE(d.attendee.has_value());
  EXPECT_EQ(d.attendee->upstream_status, kSignedNotSynced);
  EXPECT_EQ(d.attendee->ticket_type, "General Admission");
  EXPECT_EQ(d.attendee->source, "pretix");
  EXPECT_EQ(Redeem(code).verdict, Verdict::kAlreadyCheckedIn) << "exactly once";

  // The next sync brings the ticket: the row is adopted, its check-in kept,
  // and nobody is reported missing.
  const ImportSummary sum = Sync({Ticket("ABC12-1", "SECRET-ABC12-1", "María José", "Muñoz Peña"),
                                  Ticket("XYZ99-1", code, "Tomás", "Ñúñez")},
                                 Rules());
  EXPECT_EQ(sum.added, 0);
  EXPECT_EQ(sum.updated, 1);
  EXPECT_TRUE(sum.missing.empty());
  Decision again = Redeem(code);
  EXPECT_EQ(again.verdict, Verdict::kAlreadyCheckedIn);
  ASSERT_TRUE(again.attendee.has_value());
  EXPECT_EQ(again.attendee->id, d.attendee->id);
  EXPECT_EQ(again.attendee->FullName(), "Tomás Ñúñez");
  EXPECT_EQ(again.attendee->ticket_id, "XYZ99-1");
  EXPECT_EQ(again.attendee->upstream_status, "Paid");
}

TEST_F(PlatformRulesTest, TamperedForgedAndBrokenSignedTicketsAreInvalid) {
  Sync({}, Rules());
  const std::string code = Signed({.seed = "Xk3pQ9aZr", .item = 1});
  std::string flipped = code;
  flipped[20] = flipped[20] == 'A' ? 'B' : 'A';
  sig1::KeyPair other;
  for (const std::string& bad :
       {flipped, sig1::Sign(sig1::Payload({.seed = "Xk3pQ9aZr", .item = 1}), other),
        code.substr(12)}) {
    Decision d = Redeem(bad);
    EXPECT_EQ(d.verdict, Verdict::kInvalid) << bad;
    EXPECT_TRUE(d.reason == "signature_not_valid" || d.reason == "signed_ticket_malformed")
        << d.reason;
  }
  // Nothing joined the roster.
  auto all = ListAttendees(*db_, AttendeeFilter::kAll);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(PlatformRulesTest, RevokedBlockedAndMerchCodesAreRefusedWithTheirReason) {
  Sync({}, Rules());
  Decision revoked = Redeem("OLD-SECRET-ABC12-1");
  EXPECT_EQ(revoked.verdict, Verdict::kCancelled);
  EXPECT_EQ(revoked.reason, "revoked");
  Decision blocked = Redeem("BLOCKED-SECRET-7F3K");
  EXPECT_EQ(blocked.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(blocked.reason, "blocked");
  Decision shirt = Redeem(Signed({.seed = "Tshirt001", .item = 3}));
  EXPECT_EQ(shirt.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(shirt.reason, "not_an_admission");
  // A genuine ticket whose own validity ended yesterday.
  Decision late = Redeem(Signed({.seed = "Late00001", .item = 1, .valid_until = 1764252000}));
  EXPECT_EQ(late.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(late.reason, "no_longer_valid");
}

TEST_F(PlatformRulesTest, EachSyncReplacesTheRulesAndADryRunKeepsThem) {
  Sync({}, Rules());
  PlatformRules none;  // the event stopped signing and barring
  Sync({}, none);
  EXPECT_EQ(Redeem("OLD-SECRET-ABC12-1").verdict, Verdict::kUnknown);
  EXPECT_EQ(Redeem(Signed({.seed = "Xk3pQ9aZr", .item = 1})).verdict, Verdict::kUnknown);
  // A sync that carries no rules (a CSV import) leaves them as they are.
  Sync({}, Rules());
  Sync({Ticket("ABC12-1", "SECRET-ABC12-1", "María José", "Muñoz Peña")}, std::nullopt, false);
  EXPECT_EQ(Redeem("OLD-SECRET-ABC12-1").verdict, Verdict::kCancelled);
}

}  // namespace
}  // namespace checkin::db
