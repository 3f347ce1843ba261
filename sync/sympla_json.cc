#include "sync/sympla_json.h"

#include "common/code.h"
#include "common/text.h"
#include "sync/json_members.h"

namespace checkin::sync {
namespace {

struct OrderStatus {
  const char* code;
  const char* word;  // as Sympla's participant export writes it, so both agree
  TicketStatus status;
};
// Sympla's order_status codes. A pending order is not paid yet and a
// rejected one never will be: neither gets in at Sympla's own check-in app.
constexpr OrderStatus kOrderStatus[] = {{"A", "Aprovado", TicketStatus::kValid},
                                        {"P", "Pendente", TicketStatus::kCancelled},
                                        {"NA", "Não aprovado", TicketStatus::kCancelled},
                                        {"C", "Cancelado", TicketStatus::kCancelled},
                                        {"R", "Reembolsado", TicketStatus::kRefunded}};

Status StatusOf(const std::string& code, const std::string& where, db::RosterRecord* r) {
  // Sympla leaves out members whose value is null; a participant exists only
  // once its order is, so one without a status is read as approved.
  const std::string c = code.empty() ? "A" : code;
  for (const auto& s : kOrderStatus) {
    if (c == s.code) {
      r->status = s.status;
      r->upstream_status = s.word;
      return Status::Ok();
    }
  }
  return Status::InvalidInput(where + " has order status '" + code +
                              "', not one of Sympla's A, P, NA, C, R");
}

Status ReadParticipant(JsonValue p, SymplaParticipants* out) {
  Status st;
  const std::string number = Members(p, "a participant", &st).Str("ticket_number");
  if (!st.ok()) return st;
  if (number.empty() || number.size() > 64) {
    return Status::InvalidInput("a participant has an empty or overlong ticket_number");
  }
  const std::string where = "participant " + number;
  Members m(p, where, &st);
  m.Int("id");
  // The ticket's QR holds ticket_num_qr_code (the number without its dashes):
  // that is what the door scans.
  const std::string qr = m.OptStr("ticket_num_qr_code");
  db::RosterRecord r;
  r.ticket_id = number;  // as the CSV import, whose export has no other id
  r.order_id = m.Str("order_id");
  r.first_name = NormalizeSpaces(m.OptStr("first_name"));
  r.last_name = NormalizeSpaces(m.OptStr("last_name"));
  r.email = NormalizeSpaces(m.OptStr("email"));
  r.ticket_type = NormalizeSpaces(m.OptStr("ticket_name"));
  const std::string status = m.OptStr("order_status");
  m.OptObject("checkin");
  if (!st.ok()) return st;
  out->participants++;
  if (Status s = StatusOf(status, where, &r); !s.ok()) return s;
  auto code = NormalizeCode(qr.empty() ? number : qr);
  if (!code.ok()) {
    return Status::InvalidInput(where + " has a QR code that is not a usable code (" +
                                code.status().message() + ")");
  }
  r.ticket_code = *code;
  NameTheNameless(&r);
  if (Status s = CheckLengths(r, where); !s.ok()) return s;
  r.line = static_cast<int>(out->records.size()) + 1;
  out->records.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace

Result<SymplaPaging> ReadParticipantsPage(std::string_view body, SymplaParticipants* out) {
  constexpr const char* kWhat = "Sympla's participant list";
  JsonPage page;
  if (Status s = page.Parse(body, kWhat); !s.ok()) return s;
  Status st;
  Members m(page.root(), kWhat, &st);
  const auto data = m.Array("data", /*nullable=*/false);
  const auto pagination = m.OptObject("pagination");
  if (!st.ok()) return st;
  if (!pagination) return Status::InvalidInput(std::string(kWhat) + " has no pagination");
  SymplaPaging paging;
  Members pm(*pagination, std::string(kWhat) + " pagination", &st);
  paging.has_next = pm.OptBool("has_next");
  pm.OptBool("has_prev");
  paging.page = pm.Int("page");
  paging.total_page = pm.OptInt("total_page").value_or(0);
  pm.OptInt("page_size");
  pm.OptInt("quantity");
  if (!st.ok()) return st;
  for (JsonValue p : *data) {
    if (Status s = ReadParticipant(p, out); !s.ok()) return s;
  }
  return paging;
}

}  // namespace checkin::sync
