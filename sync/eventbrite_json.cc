#include "sync/eventbrite_json.h"

#include "common/code.h"
#include "common/text.h"
#include "sync/json_members.h"

namespace checkin::sync {
namespace {

struct StatusWord {
  const char* word;  // as Eventbrite's attendee export writes it, so both agree
  TicketStatus status;
};
// The words of the attendee `status` member, which are also the export's
// "Attendee Status" column.
constexpr StatusWord kStatus[] = {
    {"Attending", TicketStatus::kValid},         {"Checked In", TicketStatus::kValid},
    {"Not Attending", TicketStatus::kCancelled}, {"Deleted", TicketStatus::kCancelled},
    {"Transferred", TicketStatus::kCancelled},   {"Refunded", TicketStatus::kRefunded}};

// Eventbrite documents `status` as on its way out and the `cancelled` and
// `refunded` flags as the truth, so the flags win; the word names what the
// export would show. Without a word, the flags and `checked_in` make one.
Status StatusOf(Members& m, const std::string& where, db::RosterRecord* r) {
  const bool cancelled = m.OptBool("cancelled");
  const bool refunded = m.OptBool("refunded");
  const bool checked_in = m.OptBool("checked_in");
  std::string word = m.OptStr("status");
  if (!m.ok()) return Status::Ok();  // reported by the caller
  if (word.empty()) {
    word = refunded     ? "Refunded"
           : cancelled  ? "Not Attending"
           : checked_in ? "Checked In"
                        : "Attending";
  }
  const StatusWord* known = nullptr;
  for (const auto& w : kStatus) {
    if (word == w.word) known = &w;
  }
  if (known == nullptr) {
    // Admitting a ticket Eventbrite considers void is worse than a failed pass.
    return Status::InvalidInput(where + " has status '" + word +
                                "', not one Eventbrite documents (Attending, Checked In, Not"
                                " Attending, Deleted, Transferred, Refunded)");
  }
  r->status = known->status;
  r->upstream_status = known->word;
  if (refunded) {
    r->status = TicketStatus::kRefunded;
    r->upstream_status = "Refunded";
  } else if (cancelled && r->status == TicketStatus::kValid) {
    r->status = TicketStatus::kCancelled;
    r->upstream_status = "Not Attending";
  }
  return Status::Ok();
}

// Eventbrite's model is one attendee per ticket, with its entry barcode in
// `barcodes`; its attendee export has one "Barcode #" per attendee, the
// first. So the first that is not empty is the code; further barcodes (none
// in Eventbrite's own examples) are type-checked but not admitted: one
// ticket, one code at the door.
std::string BarcodeOf(Members& m, const std::string& where) {
  const auto list = m.Array("barcodes", /*nullable=*/true);
  if (!list) return {};
  std::string first;
  for (JsonValue b : *list) {
    Status st;
    Members bm(b, where + " barcode", &st);
    std::string code = bm.Str("barcode");
    bm.OptStr("status");
    if (!st.ok()) {
      m.Problem("barcodes", "holds a malformed barcode: " + st.message());
      return {};
    }
    if (first.empty()) first = std::move(code);
  }
  return first;
}

void NameOf(Members& profile, db::RosterRecord* r) {
  r->first_name = NormalizeSpaces(profile.OptStr("first_name"));
  r->last_name = NormalizeSpaces(profile.OptStr("last_name"));
  const std::string full = NormalizeSpaces(profile.OptStr("name"));
  if (r->first_name.empty() && r->last_name.empty()) {
    SplitFullName(full, &r->first_name, &r->last_name);
  }
  NameTheNameless(r);
}

Status ReadAttendee(JsonValue a, EventbriteAttendees* out) {
  Status st;
  const std::string id = Members(a, "an attendee", &st).Str("id");
  if (!st.ok()) return st;
  if (id.empty() || id.size() > 64) {
    return Status::InvalidInput("an attendee has an empty or overlong id");
  }
  const std::string where = "attendee " + id;
  Members m(a, where, &st);
  db::RosterRecord r;
  r.ticket_id = id;
  r.order_id = m.Str("order_id");
  r.ticket_type = NormalizeSpaces(m.OptStr("ticket_class_name"));
  const std::string barcode = BarcodeOf(m, where);
  const auto profile = m.OptObject("profile");
  Status status = StatusOf(m, where, &r);
  if (!st.ok()) return st;
  if (!status.ok()) return status;
  if (!profile) return Status::InvalidInput(where + " has no profile");
  Status pst;
  Members pm(*profile, where + " profile", &pst);
  NameOf(pm, &r);
  r.email = NormalizeSpaces(pm.OptStr("email"));
  r.company = NormalizeSpaces(pm.OptStr("company"));
  if (!pst.ok()) return pst;
  out->attendees++;
  if (barcode.empty()) {
    return Status::InvalidInput(where + " has no barcode; the door could not admit it");
  }
  auto code = NormalizeCode(barcode);
  if (!code.ok()) {
    return Status::InvalidInput(where + " has a barcode that is not a usable code (" +
                                code.status().message() + ")");
  }
  r.ticket_code = *code;
  if (Status s = CheckLengths(r, where); !s.ok()) return s;
  r.line = static_cast<int>(out->records.size()) + 1;
  out->records.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace

Result<EventbritePaging> ReadAttendeesPage(std::string_view body, EventbriteAttendees* out) {
  constexpr const char* kWhat = "Eventbrite's attendee list";
  JsonPage page;
  if (Status s = page.Parse(body, kWhat); !s.ok()) return s;
  Status st;
  Members m(page.root(), kWhat, &st);
  const auto pagination = m.OptObject("pagination");
  const auto attendees = m.Array("attendees", /*nullable=*/false);
  if (!st.ok()) return st;
  if (!pagination) return Status::InvalidInput(std::string(kWhat) + " has no pagination");
  EventbritePaging paging;
  Members pm(*pagination, std::string(kWhat) + " pagination", &st);
  paging.has_more = pm.OptBool("has_more_items");
  paging.continuation = pm.OptStr("continuation");
  pm.OptInt("page_number");
  pm.OptInt("page_count");
  pm.OptInt("object_count");
  if (!st.ok()) return st;
  if (paging.has_more && paging.continuation.empty()) {
    return Status::InvalidInput(std::string(kWhat) +
                                " says it has more attendees but gives no continuation");
  }
  for (JsonValue a : *attendees) {
    if (Status s = ReadAttendee(a, out); !s.ok()) return s;
  }
  return paging;
}

}  // namespace checkin::sync
