#include "db/unlisted_code.h"

#include <map>
#include <vector>

#include "common/signed_ticket.h"
#include "db/roster_import.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

Result<std::optional<std::string>> BarredKind(sqlite3* h, const std::string& code) {
  // 'revoked' sorts first: a code both revoked and blocked is cancelled.
  Statement q(h, "SELECT kind FROM barred_codes WHERE code = ?1 ORDER BY kind DESC LIMIT 1");
  q.Bind(1, code);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

// Each source's published keys.
Result<std::map<std::string, std::vector<std::string>>> KeysBySource(sqlite3* h) {
  Statement q(h, "SELECT source, key FROM signing_keys ORDER BY source, key");
  std::map<std::string, std::vector<std::string>> out;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out[q.Text(0)].push_back(q.Text(1));
  }
  return out;
}

struct Item {
  bool known = false;
  std::string name;
  bool admission = true;
};

Result<Item> FindItem(sqlite3* h, const std::string& source, int64_t id) {
  Statement q(h, "SELECT name, admission FROM platform_items WHERE source = ?1 AND item_id = ?2");
  q.Bind(1, source).Bind(2, id);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Item{};
  return Item{true, q.Text(0), q.Int(1) != 0};
}

std::string UnixToUtc(int64_t secs) {
  return FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(secs)));
}

}  // namespace

Result<UnlistedCode> RuleUnlistedCode(Database& db, const std::string& code, const Clock& clock,
                                      bool may_add) {
  sqlite3* h = db.handle();
  auto barred = BarredKind(h, code);
  if (!barred.ok()) return barred.status();
  if (*barred == "revoked") return UnlistedCode{Ruling{Verdict::kCancelled, "revoked"}, {}};
  if (*barred == "blocked") return UnlistedCode{Ruling{Verdict::kNotAllowed, "blocked"}, {}};

  auto keys = KeysBySource(h);
  if (!keys.ok()) return keys.status();
  if (keys->empty()) return UnlistedCode{};
  std::string source;
  std::optional<SignedTicket> ticket;
  std::optional<SignedTicketVerdict> failed;
  for (const auto& [src, published] : *keys) {
    // Stored keys were checked when synced; one that no longer parses
    // verifies nothing.
    auto parsed = ParseSig1Keys(published);
    if (!parsed.ok()) continue;
    SignedTicketVerdict v = VerifySignedTicket(code, *parsed);
    if (v.check() == SignedTicketCheck::kNotSigned) return UnlistedCode{};
    if (v.valid()) {
      source = src;
      ticket = v.ticket();
      break;
    }
    if (!failed) failed.emplace(v);
  }
  if (!ticket) {
    // Shaped like the event's signed tickets, but broken or signed by no
    // key of it: a copy edited by hand, or a ticket of another event.
    const bool malformed = failed && failed->check() == SignedTicketCheck::kMalformed;
    return UnlistedCode{
        Ruling{Verdict::kInvalid, malformed ? "signed_ticket_malformed" : "signature_not_valid"},
        {}};
  }
  auto item = FindItem(h, source, ticket->item);
  if (!item.ok()) return item.status();
  if (item->known && !item->admission) {
    return UnlistedCode{Ruling{Verdict::kNotAllowed, "not_an_admission"}, {}};
  }

  RosterRecord r;
  r.line = 1;
  r.ticket_code = code;
  // pretix's seed is unique per ticket; the next sync replaces this id.
  r.ticket_id = "signed-" + ticket->seed;
  r.ticket_type = item->known ? item->name : "producto " + std::to_string(ticket->item);
  r.status = TicketStatus::kValid;
  r.upstream_status = kSignedNotSynced;
  if (ticket->valid_from) r.valid_from = UnixToUtc(*ticket->valid_from);
  if (ticket->valid_until) r.valid_until = UnixToUtc(*ticket->valid_until);
  if (!may_add) {
    Attendee holder;
    holder.ticket_code = r.ticket_code;
    holder.ticket_id = r.ticket_id;
    holder.ticket_type = r.ticket_type;
    holder.upstream_status = r.upstream_status;
    holder.valid_from = r.valid_from;
    holder.valid_until = r.valid_until;
    holder.source = source;
    return UnlistedCode{{}, std::move(holder)};
  }
  RosterSnapshot snap;
  snap.format = RosterFormat::kPretix;
  snap.source = source;
  snap.origin = "signed ticket scanned before its sync";
  snap.encoding = "UTF-8";
  snap.full_export = false;
  snap.total_rows = 1;
  snap.records.push_back(std::move(r));
  auto applied = ApplyRoster(db, snap, MissingPolicy::kReport, ImportMode::kApply, clock);
  if (!applied.ok()) return applied.status();
  return UnlistedCode{};
}

}  // namespace checkin::db
