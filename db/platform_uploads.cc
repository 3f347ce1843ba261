#include "db/platform_uploads.h"

#include "db/statement.h"

namespace checkin::db {
namespace {

// Undone admissions are sent too: they happened, and pretix keeps its own log.
constexpr const char* kPending =
    " FROM checkins c JOIN attendees a ON a.id = c.attendee_id"
    " WHERE c.kind = 'admitted' AND a.source = ?1"
    " AND NOT EXISTS (SELECT 1 FROM platform_uploads u WHERE u.checkin_id = c.id)";

}  // namespace

Result<std::vector<PendingUpload>> PendingUploads(Database& db, const std::string& source,
                                                  int limit) {
  Statement q(db.handle(), std::string("SELECT c.id, c.uuid, a.ticket_code, c.direction, c.at") +
                               kPending + " ORDER BY c.id LIMIT ?2");
  q.Bind(1, source).Bind(2, int64_t{limit});
  std::vector<PendingUpload> out;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3) == "exit", q.Text(4)});
  }
  return out;
}

Result<int64_t> CountPendingUploads(Database& db, const std::string& source) {
  Statement q(db.handle(), std::string("SELECT count(*)") + kPending);
  q.Bind(1, source);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  return q.Int(0);
}

Result<UploadCounts> CountUploads(Database& db, const std::string& source) {
  Statement q(db.handle(),
              "SELECT total(outcome = 'sent'), total(outcome = 'refused') FROM platform_uploads"
              " WHERE source = ?1");
  q.Bind(1, source);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  UploadCounts c;
  c.sent = q.Int(0);
  c.refused = q.Int(1);
  q.Reset();
  auto pending = CountPendingUploads(db, source);
  if (!pending.ok()) return pending.status();
  c.pending = *pending;
  return c;
}

Status RecordUpload(Database& db, int64_t checkin_id, const std::string& source,
                    PlatformAnswer outcome, const std::string& detail, const Clock& clock) {
  Statement q(db.handle(),
              "INSERT OR REPLACE INTO platform_uploads (checkin_id, source, outcome, detail, at)"
              " VALUES (?1, ?2, ?3, ?4, ?5)");
  q.Bind(1, checkin_id).Bind(2, source);
  q.Bind(3, outcome == PlatformAnswer::kSent ? "sent" : "refused");
  q.Bind(4, detail).Bind(5, FormatUtc(clock.Now()));
  return q.Run();
}

}  // namespace checkin::db
