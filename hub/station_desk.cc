#include "hub/station_desk.h"

#include <filesystem>

#include "common/random.h"
#include "common/timezone.h"
#include "db/local_desk.h"
#include "hub/protocol.h"

namespace checkin::hub {

namespace {

int64_t Ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The feed page a station asks for: large enough that a 100,000-ticket
// roster comes in a few dozen requests, small enough to stay well under the
// hub's body limits.
constexpr int kPullPage = 1000;

// A scan time read on this station's clock, moved onto the hub's.
std::string OnHubClock(const std::string& at, std::optional<std::chrono::milliseconds> offset) {
  if (!offset || offset->count() == 0) return at;
  auto t = ParseUtc(at);
  if (!t.ok()) return at;
  return FormatUtc(*t + *offset);
}

Result<SyncReport> PullAll(RemoteDesk& hub, db::Replica& replica, int64_t outbox, SyncReport report,
                           std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
  for (int pages = 0;; ++pages) {
    auto cursor = replica.Cursor();
    if (!cursor.ok()) return cursor.status();
    // Only the first page waits for news; the rest are there already.
    auto page = hub.Pull(*cursor, kPullPage, outbox, pages == 0 ? wait : wait.zero());
    if (!page.ok()) return page.status();
    if (Status s = replica.Apply(*page); !s.ok()) return s;
    report.attendees += static_cast<int64_t>(page->attendees.size());
    report.checkins += static_cast<int64_t>(page->checkins.size());
    if (!page->more) break;
    // A feed that keeps saying "more" without moving is a hub bug; stop
    // rather than spin (the next sync goes on from the cursor).
    if (page->next == *cursor || pages > 100'000) break;
  }
  if (auto offset = hub.clock_offset()) {
    if (Status s = replica.NoteHub(*offset); !s.ok()) return s;
  }
  if (Status s = replica.NotePulled(); !s.ok()) return s;
  return report;
}

// The hub's decision as the replica keeps it.
db::LoggedCheckin Logged(const Decision& d, const RedeemRequest& r) {
  db::LoggedCheckin c;
  c.uuid = d.checkin_uuid;
  c.attendee_id = d.attendee ? d.attendee->id : 0;
  c.code = d.code;
  c.gate = d.gate;
  c.station = d.station;
  c.direction = d.direction;
  c.kind = d.verdict == Verdict::kAdmitted ? "admitted" : "denied";
  c.source = r.source;
  c.verdict = std::string(VerdictName(d.verdict));
  c.reason = d.reason;
  c.at = d.at;
  return c;
}

}  // namespace

bool HubLink::ShouldTry(const Clock& clock) {
  if (!away()) return true;
  const int64_t now = Ms(clock.Now());
  int64_t tried = tried_at_ms_.load();
  if (now - tried < std::chrono::milliseconds(kProbeEvery).count()) return false;
  // One request probes; the others keep deciding alone meanwhile.
  return tried_at_ms_.compare_exchange_strong(tried, now);
}

void HubLink::NoteAway(const Clock& clock) {
  const int64_t now = Ms(clock.Now());
  int64_t expected = 0;
  away_since_ms_.compare_exchange_strong(expected, now);
  tried_at_ms_ = now;
}

void HubLink::NoteBack(std::optional<std::chrono::milliseconds> offset) {
  away_since_ms_ = 0;
  if (offset) {
    offset_ms_ = offset->count();
    has_offset_ = true;
  }
}

std::optional<std::chrono::milliseconds> HubLink::offset() const {
  if (!has_offset_) return std::nullopt;
  return std::chrono::milliseconds(offset_ms_.load());
}

struct StationDesk::Impl {
  const Clock& clock;
  std::unique_ptr<RemoteDesk> remote;
  std::unique_ptr<db::Replica> replica;
  std::unique_ptr<db::LocalDesk> local;  // over the replica
};

StationDesk::StationDesk(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StationDesk::~StationDesk() = default;

Result<std::unique_ptr<StationDesk>> StationDesk::Open(const StationSetup& setup,
                                                       const Clock& clock,
                                                       std::shared_ptr<HubLink> link) {
  auto remote = RemoteDesk::Connect(setup.remote, clock);
  if (!remote.ok()) return remote.status();
  auto impl = std::unique_ptr<Impl>(new Impl{clock, std::move(*remote), nullptr, nullptr});
  std::error_code ec;
  if (std::filesystem::exists(setup.replica_path, ec)) {
    auto replica = db::Replica::OpenExisting(setup.replica_path, clock);
    if (!replica.ok()) return replica.status();
    auto local = db::LocalDesk::Over((*replica)->database(), clock, setup.config);
    if (!local.ok()) return local.status();
    impl->replica = std::move(*replica);
    impl->local = std::move(*local);
  }
  auto desk = std::unique_ptr<StationDesk>(new StationDesk(std::move(impl)));
  desk->link_ = link ? std::move(link) : std::make_shared<HubLink>();
  if (desk->impl_->replica) {
    if (auto c = desk->impl_->replica->Contact(); c.ok() && c->offset) {
      desk->link_->NoteBack(c->offset);
    }
  }
  return desk;
}

namespace {

// Whether `s` from the hub means it cannot decide now: it does not answer,
// or it answers that its disk refused the write (full, failing). Either way
// nothing was recorded, and the station decides alone with the same nonce.
bool HubCannotDecide(const Status& s) {
  return s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDeviceError;
}

// Asks the hub through `ask` unless it is known to be away; falls back to
// `alone` when the hub cannot decide. Its other refusals are answers.
template <typename T, typename Ask, typename Alone>
Result<T> HubOrAlone(HubLink& link, const Clock& clock, RemoteDesk& remote, bool has_replica,
                     Ask ask, Alone alone) {
  Status away = Status::Unavailable("the hub is away");
  if (link.ShouldTry(clock) || !has_replica) {
    Result<T> r = ask();
    if (r.ok() || !HubCannotDecide(r.status())) {
      if (r.ok()) link.NoteBack(remote.clock_offset());
      return r;
    }
    link.NoteAway(clock);
    away = r.status();
  }
  // A station without a replica (a printing station) can only wait.
  if (!has_replica) return away;
  return alone();
}

}  // namespace

Result<EventInfo> StationDesk::Event() {
  if (impl_->local) return impl_->local->Event();
  return impl_->remote->Event();
}

Result<Decision> StationDesk::Redeem(const RedeemRequest& req) {
  RedeemRequest r = req;
  // One nonce for both paths: if the hub did record a request whose answer
  // was lost, the offline copy uploaded later is recognised, not doubled.
  if (r.nonce.empty()) r.nonce = RandomUuid();
  return HubOrAlone<Decision>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&]() -> Result<Decision> {
        auto d = impl_->remote->Redeem(r);
        // Best effort: the pull brings it anyway, a few seconds later.
        if (d.ok() && impl_->replica) static_cast<void>(impl_->replica->Remember(Logged(*d, r)));
        return d;
      },
      [&]() -> Result<Decision> {
        auto d = impl_->local->Redeem(r);
        if (d.ok()) d->offline = true;
        return d;
      });
}

Result<UndoResult> StationDesk::Undo(const UndoRequest& req) {
  return HubOrAlone<UndoResult>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&] { return impl_->remote->Undo(req); }, [&] { return impl_->local->Undo(req); });
}

Result<std::vector<SearchHit>> StationDesk::Search(std::string_view query, int limit) {
  return HubOrAlone<std::vector<SearchHit>>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&] { return impl_->remote->Search(query, limit); },
      [&] { return impl_->local->Search(query, limit); });
}

Result<std::optional<Attendee>> StationDesk::FindByCode(std::string_view code) {
  return HubOrAlone<std::optional<Attendee>>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&] { return impl_->remote->FindByCode(code); },
      [&] { return impl_->local->FindByCode(code); });
}

Result<std::optional<Attendee>> StationDesk::FindById(int64_t id) {
  return HubOrAlone<std::optional<Attendee>>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&] { return impl_->remote->FindById(id); }, [&] { return impl_->local->FindById(id); });
}

Result<Stats> StationDesk::ComputeStats(const StatsRequest& req) {
  return HubOrAlone<Stats>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&] { return impl_->remote->ComputeStats(req); },
      [&] { return impl_->local->ComputeStats(req); });
}

// The badge queue lives on the hub, where the printing stations claim from.
// With the hub away a station with a replica keeps the request and Sync()
// queues it there once the hub is back, so whoever is admitted offline still
// gets a badge; the job id is then 0. The print calls below wait for the hub
// (Unavailable): a printer cannot claim from a queue it cannot see.
Result<int64_t> StationDesk::EnqueueBadge(int64_t attendee_id, const std::string& station) {
  if (attendee_id == 0) {
    // Admitted offline on its signature alone: no roster has the holder yet.
    return Status::InvalidInput(
        "a signed ticket admitted before its sync has no badge yet: it can be printed from the "
        "desk once the hub has the ticket");
  }
  return HubOrAlone<int64_t>(
      *link_, impl_->clock, *impl_->remote, impl_->replica != nullptr,
      [&] { return impl_->remote->EnqueueBadge(attendee_id, station); },
      [&]() -> Result<int64_t> {
        auto kept = impl_->replica->QueueBadge(attendee_id, station);
        if (!kept.ok()) return kept.status();
        return int64_t{0};
      });
}
Result<std::optional<PrintJob>> StationDesk::ClaimPrintJob(const std::string& worker,
                                                           const std::string& printer) {
  return impl_->remote->ClaimPrintJob(worker, printer);
}
Result<std::vector<PrintJob>> StationDesk::ClaimedPrintJobs(const std::string& worker) {
  return impl_->remote->ClaimedPrintJobs(worker);
}
Status StationDesk::ReportPrintJob(int64_t job_id, const PrintReport& report) {
  return impl_->remote->ReportPrintJob(job_id, report);
}
Result<QueueCounts> StationDesk::PrintQueueCounts() { return impl_->remote->PrintQueueCounts(); }
Result<std::vector<PrintJob>> StationDesk::RecentPrintJobs(int limit) {
  return impl_->remote->RecentPrintJobs(limit);
}
Result<bool> StationDesk::ReportPrinter(const PrinterReport& report) {
  return impl_->remote->ReportPrinter(report);
}

Result<SyncReport> StationDesk::Sync(std::chrono::milliseconds wait) {
  if (!impl_->replica) return SyncReport{};  // nothing kept here, nothing to sync
  db::Replica& replica = *impl_->replica;
  RemoteDesk& remote = *impl_->remote;
  SyncReport report;
  for (;;) {
    auto batch = replica.Outbox(kMaxUploadBatch);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    auto waiting = replica.OutboxSize();
    if (!waiting.ok()) return waiting.status();
    const auto offset = link_->offset();
    for (db::LoggedCheckin& c : *batch) c.at = OnHubClock(c.at, offset);
    auto outcomes = remote.Upload(*batch, *waiting - static_cast<int64_t>(batch->size()));
    if (!outcomes.ok()) {
      if (outcomes.status().code() == StatusCode::kUnavailable) link_->NoteAway(impl_->clock);
      return outcomes.status();
    }
    link_->NoteBack(remote.clock_offset());
    std::vector<std::string> took;
    for (const db::UploadOutcome& o : *outcomes) {
      if (o.kind == db::UploadOutcome::Kind::kRefused) {
        if (Status s = replica.Refuse(o.uuid, o.reason); !s.ok()) return s;
        ++report.refused;
        continue;
      }
      took.push_back(o.uuid);
      ++report.uploaded;
      if (o.conflict) ++report.conflicts;
    }
    if (Status s = replica.Acknowledge(took); !s.ok()) return s;
  }
  // Badges after their check-ins: the hub knows the admission first.
  for (;;) {
    auto badges = replica.PendingBadges(kMaxUploadBatch);
    if (!badges.ok()) return badges.status();
    if (badges->empty()) break;
    for (const db::Replica::PendingBadge& b : *badges) {
      auto job = remote.EnqueueBadge(b.attendee_id, b.station);
      if (!job.ok() && job.status().code() == StatusCode::kUnavailable) {
        link_->NoteAway(impl_->clock);
        return job.status();
      }
      // A refusal (an attendee the hub no longer has) would come back every
      // pass and hold up the others, so it goes; the help desk can reprint.
      if (Status s = replica.BadgeSent(b.id); !s.ok()) return s;
      if (job.ok()) ++report.badges;
    }
  }
  auto outbox = replica.OutboxSize();
  if (!outbox.ok()) return outbox.status();
  auto pulled = PullAll(remote, replica, *outbox, report, wait);
  if (!pulled.ok()) {
    if (pulled.status().code() == StatusCode::kUnavailable) link_->NoteAway(impl_->clock);
    return pulled.status();
  }
  link_->NoteBack(remote.clock_offset());
  return pulled;
}

void StationDesk::Interrupt() { impl_->remote->Interrupt(); }

bool StationDesk::has_replica() const { return impl_->replica != nullptr; }

Result<StationStatus> StationDesk::ReadStatus() {
  StationStatus st;
  auto event = impl_->remote->Event();
  st.online = event.ok();
  if (st.online) link_->NoteBack(impl_->remote->clock_offset());
  if (st.online && impl_->replica) {
    if (auto offset = impl_->remote->clock_offset()) {
      if (Status s = impl_->replica->NoteHub(*offset); !s.ok()) return s;
    }
  }
  st.hub_url = impl_->remote->url();
  st.has_replica = impl_->replica != nullptr;
  if (!st.has_replica) return st;
  auto outbox = impl_->replica->OutboxSize();
  if (!outbox.ok()) return outbox.status();
  st.outbox = *outbox;
  auto refused = impl_->replica->RefusedCount();
  if (!refused.ok()) return refused.status();
  st.refused = *refused;
  auto contact = impl_->replica->Contact();
  if (!contact.ok()) return contact.status();
  st.last_contact = contact->last_contact;
  st.last_pull = contact->last_pull;
  st.clock_offset = contact->offset;
  st.clock_far_off = st.clock_offset && std::chrono::abs(*st.clock_offset) > kClockWarning;
  return st;
}

Result<SyncReport> PullFullReplica(RemoteDesk& hub, const std::string& replica_path,
                                   const Clock& clock) {
  auto event = hub.Event();
  if (!event.ok()) return event.status();
  auto replica = db::Replica::Open(replica_path, *event, clock);
  if (!replica.ok()) return replica.status();
  return PullAll(hub, **replica, 0, SyncReport{});
}

}  // namespace checkin::hub
