#include "db/attendance.h"

#include "common/certificate_code.h"
#include "common/timezone.h"
#include "db/attendee_row.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

struct Pass {
  bool entry;
  std::chrono::system_clock::time_point at;
};

// Time inside: each entry opens a stay (a second entry while inside is a
// re-scan, not a new stay) and the next exit closes it. A stay never closed
// counts nothing: when the person left is not known.
std::optional<int64_t> MinutesInside(const std::vector<Pass>& passes) {
  bool any_exit = false, inside = false;
  std::chrono::system_clock::time_point since;
  std::chrono::seconds total{0};
  for (const Pass& p : passes) {
    if (p.entry && !inside) {
      inside = true;
      since = p.at;
    } else if (!p.entry) {
      any_exit = true;
      if (inside) total += std::chrono::duration_cast<std::chrono::seconds>(p.at - since);
      inside = false;
    }
  }
  if (!any_exit) return std::nullopt;
  return total.count() / 60;
}

Status Finish(std::vector<Attendance>& out, std::vector<Pass>& passes, const std::string& tz) {
  if (out.empty()) return Status::Ok();
  Attendance& a = out.back();
  for (const Pass& p : passes) {
    if (!p.entry) continue;
    auto local = ToLocalTime(p.at, tz);
    if (!local.ok()) return local.status();
    const std::string date = local->Date();
    if (a.dates.empty() || a.dates.back() != date) a.dates.push_back(date);
  }
  a.minutes = MinutesInside(passes);
  if (a.dates.empty()) out.pop_back();  // only exits: never admitted in
  passes.clear();
  return Status::Ok();
}

}  // namespace

Result<std::vector<Attendance>> ListAttendance(Database& db, const std::string& timezone) {
  Statement st(db.handle(), std::string("SELECT ") + kAttendeeColumns +
                                ", c.direction, c.at FROM checkins c"
                                " JOIN attendees a ON a.id = c.attendee_id"
                                " WHERE c.kind = 'admitted' AND " +
                                kVisible +
                                " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)"
                                " ORDER BY a.id, c.at, c.id");
  std::vector<Attendance> out;
  std::vector<Pass> passes;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    const int64_t id = st.Int(0);
    if (out.empty() || out.back().attendee.id != id) {
      if (Status s = Finish(out, passes, timezone); !s.ok()) return s;
      out.push_back({ReadAttendee(st), {}, std::nullopt});
    }
    auto at = ParseUtc(st.Text(kAttendeeColumnCount + 1));
    if (!at.ok())
      return at.status().WithContext("a check-in of attendee #" + std::to_string(id) + ": ");
    passes.push_back({st.Text(kAttendeeColumnCount) == "entry", *at});
  }
  if (Status s = Finish(out, passes, timezone); !s.ok()) return s;
  return out;
}

Result<std::string> CertificateKey(Database& db, const Clock& clock) {
  // INSERT OR IGNORE under SQLite's write lock: two runs at once agree on
  // the first key written.
  Statement insert(
      db.handle(),
      "INSERT OR IGNORE INTO certificate_key (id, secret, created_at) VALUES (1, ?1, ?2)");
  insert.Bind(1, NewCertificateKey()).Bind(2, FormatUtc(clock.Now()));
  if (Status s = insert.Run(); !s.ok()) return s.WithContext("saving the certificate key: ");
  Statement st(db.handle(), "SELECT secret FROM certificate_key WHERE id = 1");
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Status::Internal("the certificate key was not saved");
  return st.Text(0);
}

}  // namespace checkin::db
