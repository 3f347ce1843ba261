#include "tests/common/checkin_service_contract.h"

#include <array>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace checkin::testing {

using Target = UndoRequest::Target;

Decision CheckinServiceContract::Redeem(CheckinService& s, const std::string& code,
                                        const std::string& station) {
  RedeemRequest req;
  req.payload = code;
  req.gate = "Principal";
  req.station = station;
  auto d = s.Redeem(req);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : Decision{};
}

Stats CheckinServiceContract::StatsNow(CheckinService& s) {
  auto st = s.ComputeStats({});
  EXPECT_TRUE(st.ok()) << st.status().message();
  return st.ok() ? *st : Stats{};
}

TEST_P(CheckinServiceContract, AdmitsOnceThenSaysWhenWhereAndWhichStation) {
  Decision first = Redeem(kMariaCode, "puerta-norte");
  ASSERT_EQ(first.verdict, Verdict::kAdmitted);
  ASSERT_TRUE(first.attendee.has_value());
  EXPECT_EQ(first.attendee->FullName(), "María José Muñoz Peña");
  EXPECT_FALSE(first.checkin_uuid.empty());
  harness_->clock().Advance(std::chrono::minutes(3));
  Decision again = Redeem(kMariaCode, "puerta-sur");
  EXPECT_EQ(again.verdict, Verdict::kAlreadyCheckedIn);
  ASSERT_TRUE(again.previous.has_value());
  EXPECT_EQ(again.previous->station, "puerta-norte");
  EXPECT_EQ(again.previous->gate, "Principal");
  EXPECT_EQ(again.previous->at, first.at);
}

TEST_P(CheckinServiceContract, EveryDenialHasItsVerdictAndReason) {
  EXPECT_EQ(Redeem("KCD26-NOBODYHASIT").verdict, Verdict::kUnknown);
  Decision cancelled = Redeem("KCD26-PCKW2QUFR6");
  EXPECT_EQ(cancelled.verdict, Verdict::kCancelled);
  EXPECT_FALSE(cancelled.reason.empty());
  EXPECT_EQ(Redeem(std::string("bad\x01payload")).verdict, Verdict::kInvalid);
  const Stats s = StatsNow(*service_);
  EXPECT_EQ(s.checked_in, 0);
  int64_t denials = 0;
  for (const auto& [verdict, n] : s.denials_by_verdict) denials += n;
  EXPECT_EQ(denials, 3) << "each denial is recorded once";
}

TEST_P(CheckinServiceContract, StatsSinceCountTheGatesLogFromThenOn) {
  ASSERT_EQ(Redeem(kMariaCode).verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem("KCD26-NOBODYHASIT").verdict, Verdict::kUnknown);
  harness_->clock().Advance(std::chrono::hours(1));
  StatsRequest later;
  later.since = harness_->clock().Now();
  ASSERT_EQ(Redeem(kAndresCode).verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem(kMariaCode).verdict, Verdict::kAlreadyCheckedIn);

  auto whole = service_->ComputeStats({});
  auto since = service_->ComputeStats(later);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  ASSERT_TRUE(since.ok()) << since.status().message();
  ASSERT_EQ(whole->by_gate.size(), 1u);
  ASSERT_EQ(since->by_gate.size(), 1u);
  EXPECT_EQ(whole->by_gate[0].entries, 2);
  EXPECT_EQ(whole->by_gate[0].denials, 2);
  EXPECT_EQ(since->by_gate[0].entries, 1) << "only the admission after `since`";
  EXPECT_EQ(since->by_gate[0].denials, 1);
  int64_t denials = 0;
  for (const auto& [verdict, n] : since->denials_by_verdict) denials += n;
  EXPECT_EQ(denials, 1);
  EXPECT_EQ(since->checked_in, 2) << "who is checked in is not a count of the log";
}

TEST_P(CheckinServiceContract, AnAnswerIsThereForEveryOtherStation) {
  ASSERT_EQ(Redeem(kAndresCode).verdict, Verdict::kAdmitted);
  // A station that starts afterwards (another laptop, the same one restarted)
  // sees the admission: it was recorded before the answer came back.
  auto other = harness_->NewStation();
  EXPECT_EQ(Redeem(*other, kAndresCode, "mesa-2").verdict, Verdict::kAlreadyCheckedIn);
  EXPECT_EQ(StatsNow(*other).checked_in, 1);
  auto hits = other->Search("andres gomez", 5);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_TRUE((*hits)[0].in_force.has_value());
}

TEST_P(CheckinServiceContract, AnErrorRecordsNothing) {
  const Stats before = StatsNow(*service_);
  RedeemRequest bad_gate;
  bad_gate.payload = kMariaCode;
  bad_gate.gate = "Puerta 9";
  bad_gate.station = "mesa-1";
  EXPECT_EQ(service_->Redeem(bad_gate).status().code(), StatusCode::kInvalidInput);
  RedeemRequest bad_id;
  bad_id.attendee_id = 999999;
  bad_id.gate = "Principal";
  bad_id.station = "mesa-1";
  EXPECT_FALSE(service_->Redeem(bad_id).ok());
  const Stats after = StatsNow(*service_);
  EXPECT_EQ(after.checked_in, before.checked_in);
  EXPECT_EQ(after.denials_by_verdict, before.denials_by_verdict);
  EXPECT_EQ(Redeem(kMariaCode).verdict, Verdict::kAdmitted)
      << "the failed tries did not admit anyone";
}

TEST_P(CheckinServiceContract, TwoStationsRacingOnTheSameTicketsAdmitEachOnce) {
  const std::vector<std::string> codes = {kMariaCode, kAndresCode, "KCD26-HKPO4DRVAU",
                                          "KCD26-KVWZZUTKW7", "KCD26-R4F6QKKS6R"};
  std::atomic<int> admitted{0}, errors{0};
  auto door = [&](const std::string& station) {
    auto s = harness_->NewStation();
    if (s == nullptr) return ++errors, void();
    for (int round = 0; round < 3; ++round) {
      for (const auto& code : codes) {
        RedeemRequest req;
        req.payload = code;
        req.gate = "Principal";
        req.station = station;
        auto d = s->Redeem(req);
        if (!d.ok()) {
          ++errors;
        } else if (d->verdict == Verdict::kAdmitted) {
          ++admitted;
        }
      }
    }
  };
  std::thread north(door, "puerta-norte"), south(door, "puerta-sur");
  north.join();
  south.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(admitted.load(), static_cast<int>(codes.size())) << "each ticket admitted exactly once";
  EXPECT_EQ(StatsNow(*service_).checked_in, static_cast<int64_t>(codes.size()));
}

TEST_P(CheckinServiceContract, CheckInBySearchTakesTheSamePath) {
  auto hits = service_->Search("maria jose munoz", 5);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_FALSE(hits->empty()) << "accents and case do not matter";
  RedeemRequest req;
  req.attendee_id = (*hits)[0].attendee.id;
  req.gate = "Principal";
  req.station = "mesa-ayuda";
  auto d = service_->Redeem(req);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem(kMariaCode).verdict, Verdict::kAlreadyCheckedIn);
}

TEST_P(CheckinServiceContract, UndoTakesBackOnlyWhatItNames) {
  ASSERT_EQ(Redeem(kAndresCode, "mesa-1").verdict, Verdict::kAdmitted);
  ASSERT_EQ(Redeem(kMariaCode, "mesa-1").verdict, Verdict::kAdmitted);
  // Nothing to go on is an error, never "the station's last one".
  EXPECT_EQ(service_->Undo({Target::kCode, "", 0, "mesa-1"}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(service_->Undo({Target::kAttendee, "", 0, "mesa-1"}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(service_->Undo({Target::kLastAtStation, "", 0, "mesa-9"}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Undo({Target::kCode, "KCD26-NOBODYHASIT", 0, "mesa-1"}).status().code(),
            StatusCode::kNotFound);

  auto last = service_->Undo({Target::kLastAtStation, "", 0, "mesa-1"});
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(last->attendee.FullName(), "María José Muñoz Peña");
  EXPECT_FALSE(last->undo_uuid.empty());
  auto andres = service_->FindByCode(kAndresCode);
  ASSERT_TRUE(andres.ok() && andres->has_value());
  auto by_id = service_->Undo({Target::kAttendee, "", (*andres)->id, "mesa-1"});
  ASSERT_TRUE(by_id.ok()) << by_id.status().message();
  EXPECT_EQ(service_->Undo({Target::kAttendee, "", (*andres)->id, "mesa-1"}).status().code(),
            StatusCode::kNotFound)
      << "an undone check-in cannot be undone twice";
  EXPECT_EQ(StatsNow(*service_).checked_in, 0);
  EXPECT_EQ(Redeem(kMariaCode).verdict, Verdict::kAdmitted) << "the code works again";
}

TEST_P(CheckinServiceContract, FindsByTicketCodeBadgeCodeAndId) {
  auto a = service_->FindByCode(kMariaCode);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(a->has_value());
  ASSERT_FALSE((*a)->badge_code.empty());
  auto by_badge = service_->FindByCode((*a)->badge_code);
  ASSERT_TRUE(by_badge.ok() && by_badge->has_value());
  EXPECT_EQ((*by_badge)->id, (*a)->id);
  auto by_id = service_->FindById((*a)->id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->ticket_code, kMariaCode);
  auto nobody = service_->FindByCode("KCD26-NOBODYHASIT");
  ASSERT_TRUE(nobody.ok());
  EXPECT_FALSE(nobody->has_value());
  EXPECT_EQ(service_->Search("", 5).status().code(), StatusCode::kInvalidInput);
  auto ev = service_->Event();
  ASSERT_TRUE(ev.ok()) << ev.status().message();
  EXPECT_FALSE(ev->timezone.empty());
}

// A daemon's printer report is kept (the print desk reads it) and answers
// whether the desk paused it: nobody has, so not.
TEST_P(CheckinServiceContract, PrinterReportsAreTakenAndNotHeldByDefault) {
  PrinterReport report;
  report.worker = "laptop-a/zebra";
  report.station = "laptop-a";
  report.printer = "zebra";
  report.state = {true, true, true, "media-empty"};
  auto held = service_->ReportPrinter(report);
  ASSERT_TRUE(held.ok()) << held.status().message();
  EXPECT_FALSE(*held);
  report.state.paused = false;
  held = harness_->NewStation()->ReportPrinter(report);
  ASSERT_TRUE(held.ok()) << held.status().message();
  EXPECT_FALSE(*held);
}

TEST_P(CheckinServiceContract, PrintJobsGoToOneWorkerAndReportTheirOutcome) {
  auto maria = service_->FindByCode(kMariaCode);
  ASSERT_TRUE(maria.ok() && maria->has_value());
  EXPECT_EQ(service_->EnqueueBadge(999999, "mesa-1").status().code(), StatusCode::kNotFound);
  auto job = service_->EnqueueBadge((*maria)->id, "mesa-1");
  ASSERT_TRUE(job.ok()) << job.status().message();

  auto other = harness_->NewStation();
  auto claimed = service_->ClaimPrintJob("laptop-a/zebra", "zebra");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, *job);
  EXPECT_EQ((*claimed)->state, JobState::kPrinting);
  EXPECT_FALSE((*claimed)->Title().empty());
  auto second = other->ClaimPrintJob("laptop-b/zebra", "zebra");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value()) << "a claimed job is nobody else's";

  // Printer trouble: back to the queue, not due until the pause is over.
  PrintReport retry;
  retry.outcome = PrintReport::Outcome::kRetry;
  retry.error = "media-empty";
  retry.retry_in = std::chrono::seconds(30);
  ASSERT_TRUE(service_->ReportPrintJob(*job, retry).ok());
  auto early = other->ClaimPrintJob("laptop-b/zebra", "zebra");
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());
  harness_->clock().Advance(std::chrono::seconds(31));
  auto later = other->ClaimPrintJob("laptop-b/zebra", "zebra");
  ASSERT_TRUE(later.ok() && later->has_value());
  EXPECT_EQ((*later)->last_error, "media-empty");

  auto mine = other->ClaimedPrintJobs("laptop-b/zebra");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  PrintReport submitted;
  submitted.outcome = PrintReport::Outcome::kSubmitted;
  EXPECT_EQ(other->ReportPrintJob(*job, submitted).code(), StatusCode::kInvalidInput)
      << "needs the printer's job id";
  submitted.printer_job_id = "zebra-17";
  ASSERT_TRUE(other->ReportPrintJob(*job, submitted).ok());
  PrintReport done;
  done.outcome = PrintReport::Outcome::kDone;
  ASSERT_TRUE(other->ReportPrintJob(*job, done).ok());

  auto counts = service_->PrintQueueCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->done, 1);
  EXPECT_EQ(counts->queued + counts->printing + counts->failed, 0);
  auto recent = service_->RecentPrintJobs(5);
  ASSERT_TRUE(recent.ok() && !recent->empty());
  EXPECT_EQ((*recent)[0].printer_job_id, "zebra-17");
  EXPECT_EQ((*recent)[0].attempts, 2);
}

TEST_P(CheckinServiceContract, TwoWorkersRacingClaimEachJobOnce) {
  std::vector<int64_t> jobs;
  for (int i = 0; i < 12; ++i) {
    auto a = service_->FindByCode(i % 2 == 0 ? kMariaCode : kAndresCode);
    ASSERT_TRUE(a.ok() && a->has_value());
    auto id = service_->EnqueueBadge((*a)->id, "mesa-1");
    ASSERT_TRUE(id.ok());
    jobs.push_back(*id);
  }
  std::mutex mu;
  std::multiset<int64_t> claimed;
  auto worker = [&](const std::string& name) {
    auto s = harness_->NewStation();
    for (int tries = 0; tries < 1000; ++tries) {
      auto job = s->ClaimPrintJob(name, "zebra");
      if (!job.ok()) continue;  // busy: try again, a bounded number of times
      if (!job->has_value()) return;
      std::lock_guard lock(mu);
      claimed.insert((*job)->id);
    }
  };
  std::thread a(worker, "a/zebra"), b(worker, "b/zebra");
  a.join();
  b.join();
  EXPECT_EQ(claimed.size(), jobs.size());
  for (int64_t id : jobs) EXPECT_EQ(claimed.count(id), 1u) << "job " << id;
}

// Retries with a nonce: what a station sends again when it did not hear the
// answer (the hub passes it through to the desk).

namespace {

constexpr const char* kNonce = "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c";
constexpr const char* kOtherNonce = "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

RedeemRequest WithNonce(const std::string& code, const std::string& nonce,
                        const std::string& station = "mesa-1") {
  RedeemRequest req;
  req.payload = code;
  req.gate = "Principal";
  req.station = station;
  req.nonce = nonce;
  return req;
}

int64_t Denials(const Stats& s) {
  int64_t n = 0;
  for (const auto& [verdict, count] : s.denials_by_verdict) n += count;
  return n;
}

// Everything a station shows of a decision is the same the second time.
void ExpectSameDecision(const Decision& retry, const Decision& first) {
  EXPECT_EQ(VerdictName(retry.verdict), VerdictName(first.verdict));
  EXPECT_EQ(retry.code, first.code);
  EXPECT_EQ(retry.reason, first.reason);
  EXPECT_EQ(retry.at, first.at) << "the time of the decision, not of the retry";
  EXPECT_EQ(retry.gate, first.gate);
  EXPECT_EQ(retry.station, first.station);
  EXPECT_EQ(retry.direction, first.direction);
  EXPECT_EQ(retry.checkin_uuid, first.checkin_uuid);
  ASSERT_EQ(retry.attendee.has_value(), first.attendee.has_value());
  if (first.attendee) {
    EXPECT_EQ(retry.attendee->id, first.attendee->id);
  }
  ASSERT_EQ(retry.previous.has_value(), first.previous.has_value());
  if (first.previous) {
    EXPECT_EQ(retry.previous->gate, first.previous->gate);
    EXPECT_EQ(retry.previous->at, first.previous->at);
    EXPECT_EQ(retry.previous->station, first.previous->station);
  }
}

}  // namespace

TEST_P(CheckinServiceContract, RetrySameNonceReturnsSameDecisionAndWritesOnce) {
  auto first = service_->Redeem(WithNonce(kMariaCode, kNonce, "puerta-norte"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->verdict, Verdict::kAdmitted);
  EXPECT_EQ(first->checkin_uuid, kNonce) << "the nonce names the check-in";

  // The answer was lost; the station asks again, perhaps over a new
  // connection, a while later.
  harness_->clock().Advance(std::chrono::seconds(20));
  auto other = harness_->NewStation();
  auto retry = other->Redeem(WithNonce(kMariaCode, kNonce, "puerta-norte"));
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  ExpectSameDecision(*retry, *first);
  Stats s = StatsNow(*service_);
  EXPECT_EQ(s.checked_in, 1);
  EXPECT_EQ(Denials(s), 0) << "the retry wrote no already_checked_in";

  // A new presentation of the ticket is a new scan.
  auto again = service_->Redeem(WithNonce(kMariaCode, kOtherNonce, "puerta-norte"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->verdict, Verdict::kAlreadyCheckedIn);
  auto late = service_->Redeem(WithNonce(kMariaCode, kNonce, "puerta-norte"));
  ASSERT_TRUE(late.ok()) << late.status().message();
  ExpectSameDecision(*late, *first);
  s = StatsNow(*service_);
  EXPECT_EQ(s.checked_in, 1);
  EXPECT_EQ(Denials(s), 1);
}

TEST_P(CheckinServiceContract, RetryOfADenialReturnsTheDenial) {
  auto first = service_->Redeem(WithNonce("KCD26-PCKW2QUFR6", kNonce));
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->verdict, Verdict::kCancelled);
  harness_->clock().Advance(std::chrono::seconds(5));
  auto retry = service_->Redeem(WithNonce("KCD26-PCKW2QUFR6", kNonce));
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  ExpectSameDecision(*retry, *first);

  auto unknown = service_->Redeem(WithNonce("KCD26-NOBODYHASIT", kOtherNonce));
  ASSERT_TRUE(unknown.ok()) << unknown.status().message();
  auto unknown_retry = service_->Redeem(WithNonce("KCD26-NOBODYHASIT", kOtherNonce));
  ASSERT_TRUE(unknown_retry.ok()) << unknown_retry.status().message();
  EXPECT_EQ(unknown_retry->verdict, Verdict::kUnknown);
  ExpectSameDecision(*unknown_retry, *unknown);
  EXPECT_EQ(Denials(StatsNow(*service_)), 2) << "each denial recorded once";
}

TEST_P(CheckinServiceContract, RetryOfAnAlreadyCheckedInNamesTheAdmissionItSaw) {
  ASSERT_EQ(Redeem(kAndresCode, "puerta-norte").verdict, Verdict::kAdmitted);
  harness_->clock().Advance(std::chrono::minutes(2));
  auto first = service_->Redeem(WithNonce(kAndresCode, kNonce, "puerta-sur"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->verdict, Verdict::kAlreadyCheckedIn);
  ASSERT_TRUE(first->previous.has_value());
  EXPECT_EQ(first->previous->station, "puerta-norte");

  // What happened since does not rewrite what the volunteer was told: the
  // admission is taken back and a new one made elsewhere.
  ASSERT_TRUE(service_->Undo({Target::kCode, kAndresCode, 0, "puerta-norte"}).ok());
  harness_->clock().Advance(std::chrono::minutes(2));
  ASSERT_EQ(Redeem(kAndresCode, "puerta-este").verdict, Verdict::kAdmitted);
  auto retry = service_->Redeem(WithNonce(kAndresCode, kNonce, "puerta-sur"));
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  ExpectSameDecision(*retry, *first);
}

TEST_P(CheckinServiceContract, SameNonceDifferentCodeIsConflict) {
  ASSERT_EQ(service_->Redeem(WithNonce(kMariaCode, kNonce)).value().verdict, Verdict::kAdmitted);
  auto andres = service_->FindByCode(kAndresCode);
  ASSERT_TRUE(andres.ok() && andres->has_value());
  RedeemRequest other_code = WithNonce(kAndresCode, kNonce);
  RedeemRequest other_station = WithNonce(kMariaCode, kNonce, "mesa-2");
  RedeemRequest other_direction = WithNonce(kMariaCode, kNonce);
  other_direction.direction = Direction::kExit;
  RedeemRequest other_attendee = WithNonce("", kNonce);
  other_attendee.attendee_id = (*andres)->id;
  const std::pair<const char*, RedeemRequest> cases[] = {{"code", other_code},
                                                         {"station", other_station},
                                                         {"direction", other_direction},
                                                         {"attendee id", other_attendee}};
  for (const auto& [name, req] : cases) {
    auto d = service_->Redeem(req);
    ASSERT_FALSE(d.ok()) << name << ": answered " << VerdictName(d->verdict);
    EXPECT_EQ(d.status().code(), StatusCode::kConflict) << name << ": " << d.status().message();
  }
  const Stats s = StatsNow(*service_);
  EXPECT_EQ(s.checked_in, 1) << "nothing written";
  EXPECT_EQ(Denials(s), 0);
  EXPECT_EQ(Redeem(kAndresCode).verdict, Verdict::kAdmitted);
  // The same scan, its code typed with spaces around, is still the same scan.
  auto padded = service_->Redeem(WithNonce(std::string("  ") + kMariaCode + "\n", kNonce));
  ASSERT_TRUE(padded.ok()) << padded.status().message();
  EXPECT_EQ(padded->verdict, Verdict::kAdmitted);
}

TEST_P(CheckinServiceContract, NonceOfAnUndoIsConflict) {
  ASSERT_EQ(Redeem(kMariaCode).verdict, Verdict::kAdmitted);
  auto undone = service_->Undo({Target::kCode, kMariaCode, 0, "mesa-1"});
  ASSERT_TRUE(undone.ok()) << undone.status().message();
  auto d = service_->Redeem(WithNonce(kMariaCode, undone->undo_uuid));
  ASSERT_FALSE(d.ok()) << "answered " << VerdictName(d->verdict);
  EXPECT_EQ(d.status().code(), StatusCode::kConflict);
  EXPECT_EQ(StatsNow(*service_).checked_in, 0);
}

TEST_P(CheckinServiceContract, MalformedNonceIsInvalidInput) {
  const std::array<std::string, 10> bad = {
      "not-a-uuid",
      "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5",    // 35 characters
      "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c0",  // 37
      "3f2a8c1e5b7d4e9a8c6f0d1e2f3a4b5c",       // no hyphens
      "{3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c}",
      "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5g",  // not hexadecimal
      "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c\n",
      std::string("3f2a8c1e-5b7d-4e9a-8c6f-0d1e\0f3a4b5c", 36),
      "00000000-0000-0000-0000-000000000000",  // nil: an unset field, not a scan
      "urn:uuid:3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c"};
  for (const std::string& nonce : bad) {
    auto d = service_->Redeem(WithNonce(kMariaCode, nonce));
    ASSERT_FALSE(d.ok()) << nonce << ": answered " << VerdictName(d->verdict);
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput) << nonce;
    EXPECT_NE(d.status().message().find("nonce"), std::string::npos)
        << "names the field: " << d.status().message();
    EXPECT_EQ(d.status().message().find("4b5"), std::string::npos)
        << "does not echo what it was sent: " << d.status().message();
  }
  const Stats s = StatsNow(*service_);
  EXPECT_EQ(s.checked_in, 0);
  EXPECT_EQ(Denials(s), 0);
}

TEST_P(CheckinServiceContract, NonceInCapitalsIsTheSameNonce) {
  auto upper = service_->Redeem(WithNonce(kMariaCode, "3F2A8C1E-5B7D-4E9A-8C6F-0D1E2F3A4B5C"));
  ASSERT_TRUE(upper.ok()) << upper.status().message();
  EXPECT_EQ(upper->checkin_uuid, kNonce) << "kept in lowercase";
  auto lower = service_->Redeem(WithNonce(kMariaCode, kNonce));
  ASSERT_TRUE(lower.ok()) << lower.status().message();
  ExpectSameDecision(*lower, *upper);
  EXPECT_EQ(Denials(StatsNow(*service_)), 0);
}

TEST_P(CheckinServiceContract, TwoStationsRacingWithOneNonceWriteOnceAndAgree) {
  const std::vector<std::string> codes = {kMariaCode, kAndresCode, "KCD26-HKPO4DRVAU",
                                          "KCD26-NOBODYHASIT", "KCD26-PCKW2QUFR6"};
  const std::vector<std::string> nonces = {
      "0b0a0c1e-5b7d-4e9a-8c6f-0d1e2f3a4b50", "0b0a0c1e-5b7d-4e9a-8c6f-0d1e2f3a4b51",
      "0b0a0c1e-5b7d-4e9a-8c6f-0d1e2f3a4b52", "0b0a0c1e-5b7d-4e9a-8c6f-0d1e2f3a4b53",
      "0b0a0c1e-5b7d-4e9a-8c6f-0d1e2f3a4b54"};
  std::vector<Decision> seen[2];
  std::atomic<int> errors{0};
  // The same station's request, sent twice at once (a retry racing the
  // original over two connections).
  auto send = [&](int copy) {
    auto s = harness_->NewStation();
    if (s == nullptr) return ++errors, void();
    for (size_t i = 0; i < codes.size(); ++i) {
      auto d = s->Redeem(WithNonce(codes[i], nonces[i], "puerta-norte"));
      if (!d.ok()) {
        ++errors;
        seen[copy].push_back(Decision{});
      } else {
        seen[copy].push_back(*d);
      }
    }
  };
  std::thread a(send, 0), b(send, 1);
  a.join();
  b.join();
  ASSERT_EQ(errors.load(), 0);
  for (size_t i = 0; i < codes.size(); ++i) {
    SCOPED_TRACE(codes[i]);
    ExpectSameDecision(seen[1][i], seen[0][i]);
    EXPECT_EQ(seen[0][i].checkin_uuid, nonces[i]);
  }
  const Stats s = StatsNow(*service_);
  EXPECT_EQ(s.checked_in, 3);
  EXPECT_EQ(Denials(s), 2) << "one row per nonce";
}

}  // namespace checkin::testing
