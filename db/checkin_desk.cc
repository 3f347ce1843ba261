#include "db/checkin_desk.h"

#include "common/code.h"
#include "common/random.h"
#include "common/text.h"
#include "common/timezone.h"
#include "db/attendee_row.h"
#include "db/statement.h"
#include "db/unlisted_code.h"
#include "db/uuid_text.h"

namespace checkin::db {

namespace {

const std::string kFindByCode =
    std::string("SELECT ") + kAttendeeColumns + " FROM attendees a WHERE a.ticket_code = ?1 AND " +
    kVisible + " UNION ALL SELECT " + kAttendeeColumns +
    " FROM attendees a WHERE a.badge_code = ?1 AND " + kVisible + " LIMIT 1";

// An admission is in force until an undo row points at it.
constexpr const char* kLastInForce =
    "SELECT c.id, c.at, c.gate, c.station, c.direction FROM checkins c"
    " WHERE c.attendee_id = ?1 AND c.kind = 'admitted'"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)"
    " ORDER BY c.id DESC LIMIT 1";

// The same for a signed ticket a replica admitted before any roster had it:
// logged by its code alone until the hub adds the ticket.
constexpr const char* kLastInForceUnlisted =
    "SELECT c.id, c.at, c.gate, c.station, c.direction FROM checkins c"
    " WHERE c.attendee_id IS NULL AND c.kind = 'admitted' AND c.code = ?1"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)"
    " ORDER BY c.id DESC LIMIT 1";

constexpr const char* kLastAtStation =
    "SELECT c.id, c.at, c.gate, c.station, c.direction, c.attendee_id FROM checkins c"
    " WHERE c.station = ?1 AND c.kind = 'admitted'"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)"
    " ORDER BY c.id DESC LIMIT 1";

// What a retry needs to give the recorded decision back.
constexpr const char* kByUuid =
    "SELECT id, kind, attendee_id, code, gate, station, direction, verdict, reason, at"
    " FROM checkins WHERE uuid = ?1";

// The admission in force when check-in ?2 was decided: kLastInForce as it
// stood then, blind to rows and undos written after it.
constexpr const char* kLastInForceBefore =
    "SELECT c.id, c.at, c.gate, c.station, c.direction FROM checkins c"
    " WHERE c.attendee_id = ?1 AND c.kind = 'admitted' AND c.id < ?2"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id AND u.id < ?2)"
    " ORDER BY c.id DESC LIMIT 1";

constexpr const char* kInsert =
    "INSERT INTO checkins (uuid, attendee_id, code, gate, station, direction, kind, source,"
    " verdict, reason, undoes, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

PreviousCheckin ReadPrevious(const Statement& st) {
  PreviousCheckin p;
  p.at = st.Text(1);
  p.gate = st.Text(2);
  p.station = st.Text(3);
  p.direction = ParseDirection(st.Text(4)).value_or(Direction::kEntry);
  return p;
}

// A station's nonce in the one spelling we store (CanonicalUuid): any case
// in, lowercase out. The nil UUID is what an unset field looks like, never a
// scan.
Result<std::string> NormalizeNonce(const std::string& text) {
  auto canonical = CanonicalUuid(text);
  if (!canonical)
    return Status::InvalidInput(
        "nonce: not a UUID (36 characters: 8-4-4-4-12 hexadecimal digits); make one per scan");
  return *canonical;
}

// What makes `req` another scan than the one recorded as `d` (of
// `attendee_id`, 0 for none), or null when it is the same one sent again.
// How it was read (camera, keyboard) does not matter; the code is compared as
// Redeem would have recorded it, an id checked in by search as the id.
const char* OtherScanField(const RedeemRequest& req, const std::string& gate, int64_t attendee_id,
                           const Decision& d) {
  if (req.attendee_id != 0) {
    if (req.attendee_id != attendee_id) return "attendee";
  } else {
    auto code = NormalizeCode(req.payload);
    if ((code.ok() ? *code : SafeCodeForDisplay(req.payload)) != d.code) return "code";
  }
  if (gate != d.gate) return "gate";
  if (req.station != d.station) return "station";
  if (req.direction != d.direction) return "direction";
  return nullptr;
}

// The first row of a bound attendee query, leaving the statement reset.
Result<std::optional<Attendee>> FirstAttendee(Statement& st) {
  auto row = st.Step();
  if (!row.ok()) return row.status();
  std::optional<Attendee> a;
  if (*row) a = ReadAttendee(st);
  st.Reset();
  return a;
}

}  // namespace

struct CheckinDesk::Statements {
  explicit Statements(sqlite3* db)
      : find(db, kFindByCode),
        last(db, kLastInForce),
        last_at_station(db, kLastAtStation),
        insert(db, kInsert),
        by_uuid(db, kByUuid),
        last_before(db, kLastInForceBefore),
        by_id(db, std::string("SELECT ") + kAttendeeColumns +
                      " FROM attendees a WHERE a.id = ?1 AND " + kVisible),
        last_unlisted(db, kLastInForceUnlisted) {}
  Statement find, last, last_at_station, insert, by_uuid, last_before, by_id, last_unlisted;
};

CheckinDesk::CheckinDesk(Database& db, const Clock& clock, Config config, std::string timezone,
                         bool adds_tickets)
    : db_(db),
      clock_(clock),
      config_(std::move(config)),
      timezone_(std::move(timezone)),
      adds_tickets_(adds_tickets),
      st_(std::make_unique<Statements>(db.handle())) {}

CheckinDesk::~CheckinDesk() = default;

Result<std::unique_ptr<CheckinDesk>> CheckinDesk::Create(Database& db, const Clock& clock,
                                                         Config config) {
  auto event = db.Event();
  if (!event.ok()) return event.status();
  // A station's replica (db/replica.h) holds the hub's attendees under the
  // hub's ids: it must not add its own.
  auto replica =
      QueryInt(db.handle(), "SELECT count(*) FROM sqlite_master WHERE name = 'replica_state'");
  if (!replica.ok()) return replica.status();
  return std::unique_ptr<CheckinDesk>(
      new CheckinDesk(db, clock, std::move(config), event->timezone, *replica == 0));
}

Result<Decision> CheckinDesk::Redeem(const RedeemRequest& req) {
  auto gate = config_.FindGate(req.gate);
  if (!gate.ok()) return gate.status();
  std::string nonce;
  if (!req.nonce.empty()) {
    auto n = NormalizeNonce(req.nonce);
    if (!n.ok()) return n.status();
    nonce = std::move(*n);
  }

  std::string missed;
  auto d = DecideAndRecord(req, **gate, nonce, nullptr, &missed);
  if (!d.ok()) return d.status();
  if (d->has_value()) return std::move(**d);
  // The roster lacks the code, but the platform's rules may still decide it
  // (revoked, blocked, or a signed ticket sold after the last sync, which
  // joins the roster here). Adding a ticket takes a transaction of its own,
  // so this runs between two, and codes on the roster never pay for it.
  auto unlisted = RuleUnlistedCode(db_, missed, clock_, adds_tickets_);
  if (!unlisted.ok()) return unlisted.status();
  d = DecideAndRecord(req, **gate, nonce, &*unlisted, &missed);
  if (!d.ok()) return d.status();
  if (!d->has_value()) return Status::Internal("a code was ruled and still not decided");
  return std::move(**d);
}

Result<std::optional<Decision>> CheckinDesk::DecideAndRecord(const RedeemRequest& req,
                                                             const Gate& gate,
                                                             const std::string& nonce,
                                                             const UnlistedCode* unlisted,
                                                             std::string* missed) {
  Transaction tx(db_.handle());
  // IMMEDIATE takes the write lock before we read, so two stations presenting
  // one ticket at the same instant are serialised: exactly one is admitted.
  // A retry racing its first try is serialised the same way and finds it.
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;

  if (!nonce.empty()) {
    // Before the attendee lookup: a retry gets its answer even if the
    // roster changed in between.
    auto recorded = Recorded(nonce, req, gate.name);
    if (!recorded.ok() || recorded->has_value()) {
      // Read from a file no longer at its path, it is no answer (see below).
      if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
      if (!recorded.ok()) return recorded.status();
      return std::move(*recorded);  // nothing to write
    }
  }

  Decision d;
  d.gate = gate.name;
  d.station = req.station;
  d.direction = req.direction;
  const auto now = clock_.Now();
  d.at = FormatUtc(now);

  std::string payload = req.payload;
  if (req.attendee_id != 0) {
    // Checked in by search: the attendee's own ticket takes the same path.
    auto a = FindById(req.attendee_id);
    if (!a.ok()) return a.status();
    if (!a->has_value())
      return Status::InvalidInput("no attendee with id " + std::to_string(req.attendee_id));
    payload = (*a)->ticket_code;
  }
  auto code = NormalizeCode(payload);
  std::optional<Attendee> attendee;
  Ruling ruling{Verdict::kInvalid, ""};

  if (!code.ok()) {
    d.code = SafeCodeForDisplay(payload);
    ruling = {Verdict::kInvalid, code.status().message()};
  } else {
    d.code = *code;
    auto found = FindByCode(d.code);
    if (!found.ok()) return found.status();
    attendee = std::move(*found);
    if (!attendee && unlisted == nullptr) {
      *missed = d.code;
      return std::optional<Decision>();  // rolled back: nothing was written
    }
    // A genuine signed ticket a replica may not add: ruled on what it says.
    if (!attendee && unlisted->holder) attendee = unlisted->holder;

    DecisionInput in;
    in.attendee = attendee ? &*attendee : nullptr;
    in.direction = req.direction;
    in.gate = &gate;
    auto local = ToLocalTime(now, timezone_);
    if (!local.ok()) return local.status();
    in.local_date = local->Date();
    in.now_utc = d.at;
    if (attendee) {
      auto last = LastInForce(*attendee);
      if (!last.ok()) return last.status();
      in.last = std::move(*last);
    }
    ruling = !attendee && unlisted->ruling ? *unlisted->ruling : Decide(in);
    if (ruling.verdict == Verdict::kAlreadyCheckedIn) d.previous = in.last;
  }
  d.verdict = ruling.verdict;
  d.reason = ruling.reason;
  d.attendee = std::move(attendee);
  d.checkin_uuid = nonce.empty() ? RandomUuid() : nonce;

  Statement& ins = st_->insert;
  ins.Bind(1, d.checkin_uuid);
  if (d.attendee && d.attendee->id != 0) {
    ins.Bind(2, d.attendee->id);
  } else {
    ins.BindNull(2);
  }
  ins.Bind(3, d.code).Bind(4, d.gate).Bind(5, d.station).Bind(6, DirectionName(d.direction));
  ins.Bind(7, d.verdict == Verdict::kAdmitted ? "admitted" : "denied");
  ins.Bind(8, ScanSourceName(req.source)).Bind(9, VerdictName(d.verdict)).Bind(10, d.reason);
  ins.BindNull(11).Bind(12, d.at);
  // Under the write lock, just before the answer is made durable: a file
  // deleted or replaced under a running station must not take it.
  if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
  if (Status s = ins.Run(); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return std::optional<Decision>(std::move(d));
}

// The check-in row was committed (and synced) before any connection could
// see it, so handing it back keeps "durable before answering".
Result<std::optional<Decision>> CheckinDesk::Recorded(const std::string& nonce,
                                                      const RedeemRequest& req,
                                                      const std::string& gate) {
  Statement& q = st_->by_uuid;
  q.Bind(1, nonce);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    q.Reset();
    return std::optional<Decision>();
  }
  const int64_t row_id = q.Int(0);
  const std::string kind = q.Text(1);
  const int64_t attendee_id = q.IsNull(2) ? 0 : q.Int(2);
  Decision d;
  d.code = q.Text(3);
  d.gate = q.Text(4);
  d.station = q.Text(5);
  d.direction = ParseDirection(q.Text(6)).value_or(Direction::kEntry);
  d.verdict = ParseVerdict(q.Text(7)).value_or(Verdict::kInvalid);
  d.reason = q.Text(8);
  d.at = q.Text(9);
  d.checkin_uuid = nonce;
  q.Reset();

  const std::string reused = "nonce " + nonce + " was already used for ";
  const std::string fresh = "; a new scan needs a new nonce";
  if (kind == "undo") return Status::Conflict(reused + "an undo" + fresh);
  if (const char* field = OtherScanField(req, gate, attendee_id, d))
    return Status::Conflict(reused + "a scan with another " + field + fresh);

  if (attendee_id != 0) {
    auto a = FindById(attendee_id);  // as the attendee is now
    if (!a.ok()) return a.status();
    d.attendee = std::move(*a);
  }
  if (d.verdict == Verdict::kAlreadyCheckedIn) {
    Statement& last = st_->last_before;
    last.Bind(1, attendee_id).Bind(2, row_id);
    auto p = last.Step();
    if (!p.ok()) return p.status();
    if (*p) d.previous = ReadPrevious(last);
    last.Reset();
  }
  return std::optional<Decision>(std::move(d));
}

Result<UndoResult> CheckinDesk::Revert(int64_t checkin_id, int64_t attendee_id,
                                       const PreviousCheckin& undone, const UndoRequest& req) {
  const std::string& station = req.station;
  UndoResult out;
  out.undone = undone;
  Statement& by_id = st_->by_id;
  by_id.Bind(1, attendee_id);
  auto r = by_id.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Status::Internal("check-in points at a missing attendee");
  out.attendee = ReadAttendee(by_id);
  by_id.Reset();
  out.undo_uuid = RandomUuid();
  Statement& ins = st_->insert;
  ins.Bind(1, out.undo_uuid).Bind(2, attendee_id).Bind(3, out.attendee.ticket_code);
  ins.Bind(4, undone.gate).Bind(5, station).Bind(6, DirectionName(undone.direction));
  ins.Bind(7, "undo").Bind(8, "manual").Bind(9, "").Bind(10, req.reason).Bind(11, checkin_id);
  ins.Bind(12, FormatUtc(clock_.Now()));
  if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
  if (Status s = ins.Run(); !s.ok()) return s;
  return out;
}

Result<UndoResult> CheckinDesk::UndoLastAtStation(const UndoRequest& req) {
  const std::string& station = req.station;
  Transaction tx(db_.handle());
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement& q = st_->last_at_station;
  q.Bind(1, station);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    q.Reset();
    return Status::NotFound("station '" + station + "' has no check-in to undo");
  }
  const int64_t id = q.Int(0);
  const PreviousCheckin prev = ReadPrevious(q);
  const bool unlisted = q.IsNull(5);
  const int64_t attendee_id = q.Int(5);
  q.Reset();
  if (unlisted) {
    return Status::InvalidInput(
        "the last admission at station '" + station +
        "' is a signed ticket not yet on the roster; it can be undone once the hub has it");
  }
  auto out = Revert(id, attendee_id, prev, req);
  if (!out.ok()) return out;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<UndoResult> CheckinDesk::Undo(const UndoRequest& req) {
  using Target = UndoRequest::Target;
  if (req.reason.size() > kMaxUndoReasonBytes || !IsValidUtf8(req.reason) ||
      ForTerminal(req.reason) != req.reason) {
    return Status::InvalidInput(
        "the reason for an undo must be printable text of at most 200 bytes");
  }
  switch (req.target) {
    case Target::kLastAtStation:
      if (req.station.empty())
        return Status::InvalidInput("say which station's last check-in to undo");
      return UndoLastAtStation(req);
    case Target::kCode: {
      // An empty code (an unset shell variable) must never fall back to
      // someone else's check-in.
      auto code = NormalizeCode(req.code);
      if (!code.ok())
        return Status::InvalidInput("not a ticket code (" + code.status().message() + ")");
      auto a = FindByCode(*code);
      if (!a.ok()) return a.status();
      if (!a->has_value()) return Status::NotFound("no attendee has the code " + *code);
      return UndoForAttendee(**a, req);
    }
    case Target::kAttendee: {
      if (req.attendee_id < 1) return Status::InvalidInput("attendee ids start at 1");
      auto a = FindById(req.attendee_id);
      if (!a.ok()) return a.status();
      if (!a->has_value())
        return Status::NotFound("no attendee with id " + std::to_string(req.attendee_id));
      return UndoForAttendee(**a, req);
    }
  }
  return Status::InvalidInput("unknown undo target");
}

Result<UndoResult> CheckinDesk::UndoForAttendee(const Attendee& a, const UndoRequest& req) {
  Transaction tx(db_.handle());
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement& last = st_->last;
  last.Bind(1, a.id);
  auto r = last.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    last.Reset();
    return Status::NotFound(a.FullName() + " has no check-in to undo");
  }
  const int64_t id = last.Int(0);
  const PreviousCheckin prev = ReadPrevious(last);
  last.Reset();
  auto out = Revert(id, a.id, prev, req);
  if (!out.ok()) return out;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<std::optional<PreviousCheckin>> CheckinDesk::LastInForce(const Attendee& a) {
  // The newest of the attendee's admissions and those logged by the code
  // alone (admitted by a replica before the ticket was synced).
  std::optional<PreviousCheckin> last;
  int64_t last_id = 0;
  for (Statement* q : {&st_->last, &st_->last_unlisted}) {
    if (q == &st_->last) {
      if (a.id == 0) continue;
      q->Bind(1, a.id);
    } else {
      q->Bind(1, a.ticket_code);
    }
    auto r = q->Step();
    if (!r.ok()) return r.status();
    if (*r && q->Int(0) > last_id) {
      last_id = q->Int(0);
      last = ReadPrevious(*q);
    }
    q->Reset();
  }
  return last;
}

Result<std::optional<Attendee>> CheckinDesk::FindByCode(std::string_view code) {
  st_->find.Bind(1, code);
  return FirstAttendee(st_->find);
}

Result<std::optional<Attendee>> CheckinDesk::FindById(int64_t id) {
  st_->by_id.Bind(1, id);
  return FirstAttendee(st_->by_id);
}

}  // namespace checkin::db
