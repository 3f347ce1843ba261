#include "db/desk_edits.h"

#include "common/random.h"
#include "common/text.h"
#include "db/logged_checkin_row.h"
#include "db/roster.h"
#include "db/roster_import.h"

namespace checkin::db {
namespace {

Status CheckField(std::string_view value, const char* es, const char* en, Language lang) {
  if (value.size() > kMaxDeskFieldBytes || !IsValidUtf8(value) || ForTerminal(value) != value) {
    return Status::InvalidInput(lang == Language::kSpanish
                                    ? std::string(es) +
                                          ": texto demasiado largo o con caracteres"
                                          " de control"
                                    : std::string(en) +
                                          ": text too long or with control"
                                          " characters");
  }
  return Status::Ok();
}

Status CheckName(const std::string& first, const std::string& last, Language lang) {
  if (Status s = CheckField(first, "nombre", "first name", lang); !s.ok()) return s;
  if (Status s = CheckField(last, "apellido", "last name", lang); !s.ok()) return s;
  if (Trim(first).empty() && Trim(last).empty()) {
    return Status::InvalidInput(lang == Language::kSpanish ? "falta el nombre"
                                                           : "the name is missing");
  }
  return Status::Ok();
}

// Applies one record as a partial export of `source` (nothing else is
// touched or reported missing).
Status ApplyOne(Database& db, const std::string& source, RosterRecord record, const Clock& clock) {
  RosterSnapshot snap;
  snap.source = source;
  snap.origin = "help desk";
  snap.full_export = false;
  snap.total_rows = 1;
  record.line = 1;
  snap.records.push_back(std::move(record));
  auto applied = ApplyRoster(db, snap, MissingPolicy::kReport, ImportMode::kApply, clock);
  return applied.ok() ? Status::Ok() : applied.status();
}

}  // namespace

Result<Attendee> RegisterWalkIn(Database& db, const WalkIn& w, const Clock& clock, Language lang) {
  if (Status s = CheckName(w.first_name, w.last_name, lang); !s.ok()) return s;
  if (Status s = CheckField(w.email, "correo", "email", lang); !s.ok()) return s;
  if (Status s = CheckField(w.company, "empresa", "company", lang); !s.ok()) return s;
  if (Status s = CheckField(w.ticket_type, "tipo de entrada", "ticket type", lang); !s.ok()) {
    return s;
  }
  const std::string email(Trim(w.email));
  if (!email.empty() && email.find('@') == std::string::npos) {
    return Status::InvalidInput(lang == Language::kSpanish ? "el correo no tiene @"
                                                           : "the email has no @");
  }
  RosterRecord r;
  // Codes nobody can guess: the ticket code is what a QR would carry.
  r.ticket_code = "WALKIN-" + RandomBase32(16);
  r.ticket_id = "W-" + RandomBase32(12);
  r.first_name = std::string(Trim(w.first_name));
  r.last_name = std::string(Trim(w.last_name));
  r.email = email;
  r.company = std::string(Trim(w.company));
  r.ticket_type = std::string(Trim(w.ticket_type));
  r.status = TicketStatus::kValid;
  r.upstream_status = "walk-in";
  const std::string code = r.ticket_code;
  if (Status s = ApplyOne(db, kWalkInSource, std::move(r), clock); !s.ok()) return s;
  auto found = FindAttendeeByCode(db, code);
  if (!found.ok()) return found.status();
  if (!*found) return Status::Internal("the walk-in was written but cannot be read back");
  return **found;
}

Result<Attendee> CorrectName(Database& db, int64_t attendee_id, const std::string& first_name,
                             const std::string& last_name, const Clock& clock, Language lang) {
  if (Status s = CheckName(first_name, last_name, lang); !s.ok()) return s;
  auto found = FindAttendeeById(db, attendee_id);
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound(lang == Language::kSpanish ? "no hay asistente con ese id"
                                                       : "no attendee has that id");
  }
  const Attendee& a = **found;
  RosterRecord r;
  r.ticket_code = a.ticket_code;
  r.ticket_id = a.ticket_id;
  r.order_id = a.order_id;
  r.first_name = std::string(Trim(first_name));
  r.last_name = std::string(Trim(last_name));
  r.email = a.email;
  r.company = a.company;
  r.ticket_type = a.ticket_type;
  r.status = a.status;
  r.upstream_status = a.upstream_status;
  r.checkin_lists = a.checkin_lists;
  r.blocked = a.blocked;
  r.valid_from = a.valid_from;
  r.valid_until = a.valid_until;
  if (Status s = ApplyOne(db, a.source, std::move(r), clock); !s.ok()) return s;
  auto after = FindAttendeeById(db, attendee_id);
  if (!after.ok()) return after.status();
  if (!*after) return Status::Internal("the attendee vanished while their name was corrected");
  return **after;
}

Result<std::vector<LoggedCheckin>> AttendeeHistory(Database& db, int64_t attendee_id, int limit) {
  Statement st(db.handle(), std::string("SELECT ") + kLoggedCheckinColumns +
                                " FROM checkins c LEFT JOIN checkins u ON u.id = c.undoes"
                                " WHERE c.attendee_id = ?1 ORDER BY c.id DESC LIMIT ?2");
  st.Bind(1, attendee_id).Bind(2, limit);
  std::vector<LoggedCheckin> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadLoggedCheckin(st));
  }
  return out;
}

}  // namespace checkin::db
