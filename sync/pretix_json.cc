#include "sync/pretix_json.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <tuple>

#include "common/clock.h"
#include "common/code.h"
#include "common/signed_ticket.h"
#include "common/text.h"
#include "common/timezone.h"
#include "sync/json_members.h"

namespace checkin::sync {
namespace {

// {count, next, results}: the list and the next page's URL.
Result<std::string> ReadEnvelope(JsonValue page, const char* what,
                                 std::optional<JsonArray>* results) {
  Status st;
  Members m(page, what, &st);
  m.Int("count");
  std::string next = m.OptStr("next");
  *results = m.Array("results", /*nullable=*/false);
  if (!st.ok()) return st;
  return next;
}

// pretix's i18n strings are {"en": "...", "de": "..."}; older or single-
// language events may send a plain string.
std::string I18n(JsonValue v, Members& m, const char* key) {
  if (auto s = StringOf(v)) return std::move(*s);
  simdjson::dom::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS || o.size() == 0)
    return m.Problem(key, "is not a text or a text per language"), "";
  JsonValue pick;
  if (o.at_key("en").get(pick) != simdjson::SUCCESS) pick = (*o.begin()).value;
  auto s = StringOf(pick);
  if (!s) return m.Problem(key, "holds a language that is not a string"), "";
  return std::move(*s);
}

std::string Part(JsonValue parts, const char* key) {
  JsonValue v;
  if (parts.at_key(key).get(v) != simdjson::SUCCESS) return "";
  auto s = StringOf(v);
  return s ? NormalizeSpaces(*s) : "";
}

// attendee_name_parts by scheme: given_name/family_name (with optional
// middle_name; titles and salutations are not part of the name), or
// full_name, or "_legacy" for names entered before schemes existed. Values
// that are not strings are a malformed page.
bool NameFromParts(std::optional<JsonValue> parts, Members& m, const char* key, std::string* first,
                   std::string* last) {
  if (!parts) return false;
  for (auto [k, v] : simdjson::dom::object(*parts)) {
    if (!v.is_string() && !v.is_null()) return m.Problem(key, "has a part that is not text"), false;
  }
  std::string given = Part(*parts, "given_name");
  const std::string middle = Part(*parts, "middle_name");
  if (!middle.empty()) given += (given.empty() ? "" : " ") + middle;
  const std::string family = Part(*parts, "family_name");
  if (!given.empty() || !family.empty()) {
    *first = given;
    *last = family;
    return true;
  }
  for (const char* full_key : {"full_name", "_legacy", "calling_name"}) {
    const std::string full = Part(*parts, full_key);
    if (!full.empty()) return SplitFullName(full, first, last), true;
  }
  return false;
}

// Every name member is type-checked, even those a better source makes unused.
void NameOf(Members& pos, std::optional<JsonValue> invoice, Members& order, db::RosterRecord* r) {
  const std::string full = NormalizeSpaces(pos.OptStr("attendee_name"));
  const auto parts = pos.OptObject("attendee_name_parts");
  Status st;
  std::string invoice_name;
  std::optional<JsonValue> invoice_parts;
  std::optional<Members> inv;
  if (invoice) {
    inv.emplace(*invoice, "invoice_address", &st);
    invoice_name = NormalizeSpaces(inv->OptStr("name"));
    invoice_parts = inv->OptObject("name_parts");
    if (!st.ok()) order.Problem("invoice_address", "is malformed: " + st.message());
  }
  if (NameFromParts(parts, pos, "attendee_name_parts", &r->first_name, &r->last_name)) return;
  if (!full.empty()) return SplitFullName(full, &r->first_name, &r->last_name);
  if (inv && !NameFromParts(invoice_parts, *inv, "name_parts", &r->first_name, &r->last_name)) {
    SplitFullName(invoice_name, &r->first_name, &r->last_name);
  }
  if (!st.ok()) order.Problem("invoice_address", "is malformed: " + st.message());
}

struct OrderStatusWord {
  const char* code;
  const char* word;  // as pretix's CSV export writes it, so both agree
  TicketStatus status;
};
// Pending (unpaid or awaiting approval) and expired orders do not get in at
// pretix's own doors; the CSV mapping reads them the same way.
constexpr OrderStatusWord kOrderStatus[] = {{"p", "Paid", TicketStatus::kValid},
                                            {"n", "Pending", TicketStatus::kCancelled},
                                            {"e", "Expired", TicketStatus::kCancelled},
                                            {"c", "Canceled", TicketStatus::kCancelled}};

Status ReadPosition(JsonValue p, JsonValue order, const std::string& code, const PretixItems& items,
                    const OrderStatusWord& os, PretixOrders* out) {
  Status st;
  Status order_st;
  Members ord(order, "order " + code, &order_st);
  const int64_t positionid = Members(p, "order " + code + " position", &st).Int("positionid");
  const std::string where = "order " + code + " position " + std::to_string(positionid);
  Members m(p, where, &st);
  m.Int("id");
  const int64_t item = m.Int("item");
  m.OptInt("variation");
  const bool addon = m.OptInt("addon_to").has_value();
  const bool canceled = m.OptBool("canceled");
  const std::string secret = m.Str("secret");
  const std::string email = m.OptStr("attendee_email");
  const std::string company = m.OptStr("company");
  const std::string valid_from = m.OptStr("valid_from");
  const std::string valid_until = m.OptStr("valid_until");
  std::vector<std::string> blocked;
  if (auto b = m.Array("blocked", /*nullable=*/true)) {
    for (JsonValue reason : *b) {
      auto text = StringOf(reason);
      if (!text) return Status::InvalidInput(where + " member 'blocked' holds a non-text reason");
      blocked.push_back(std::move(*text));
    }
  }
  db::RosterRecord r;
  NameOf(m, ord.OptObject("invoice_address"), ord, &r);
  if (!st.ok()) return st;
  if (!order_st.ok()) return order_st;
  out->positions++;
  auto it = items.find(item);
  if (it == items.end()) {
    return Status::InvalidInput(where + " names product " + std::to_string(item) +
                                ", which the event's product list does not have");
  }
  // Merch and other non-admission products are not tickets; add-ons ride on
  // their parent's ticket (pretix checks them in with it).
  if (!it->second.admission || addon) return Status::Ok();
  auto normalized = NormalizeCode(secret);
  if (!normalized.ok()) {
    return Status::InvalidInput(where + " has a secret that is not a usable code (" +
                                normalized.status().message() + ")");
  }
  r.ticket_code = *normalized;
  r.order_id = code;
  // As the CSV import: the order code and pretix's position number in it.
  r.ticket_id = code + "-" + std::to_string(positionid);
  r.email = NormalizeSpaces(email.empty() ? ord.OptStr("email") : email);
  r.company = NormalizeSpaces(company);
  r.ticket_type = NormalizeSpaces(it->second.name);
  r.status = canceled ? TicketStatus::kCancelled : os.status;
  r.upstream_status = canceled ? "Canceled" : os.word;
  NameTheNameless(&r);  // events that ask no names still admit
  if (Status s = CheckLengths(r, where); !s.ok()) return s;
  for (const std::string& reason : blocked) {
    r.blocked += (r.blocked.empty() ? "" : ", ") + NormalizeSpaces(reason);
  }
  // pretix writes its event's offset; the desk compares UTC text.
  for (auto [text, field, name] : {std::tuple{&valid_from, &r.valid_from, "valid_from"},
                                   std::tuple{&valid_until, &r.valid_until, "valid_until"}}) {
    if (text->empty()) continue;
    auto t = ParseIsoDateTime(*text);
    if (!t.ok())
      return Status::InvalidInput(where + " member '" + name + "': " + t.status().message());
    *field = FormatUtc(*t);
  }
  if (r.blocked.size() > kMaxValueBytes) {
    return Status::InvalidInput(where + " has blocked reasons longer than " +
                                std::to_string(kMaxValueBytes) + " bytes");
  }
  r.line = static_cast<int>(out->records.size()) + 1;
  out->records.push_back(std::move(r));
  return Status::Ok();
}

Status ReadOrder(JsonValue order, const PretixItems& items, PretixOrders* out) {
  Status st;
  const std::string code = Members(order, "an order", &st).Str("code");
  if (!st.ok()) return st;
  if (code.empty() || code.size() > 64) {
    return Status::InvalidInput("an order has an empty or overlong code");
  }
  Members m(order, "order " + code, &st);
  const std::string status = m.Str("status");
  m.OptStr("email");
  m.OptBool("require_approval");
  m.OptObject("invoice_address");
  const auto positions = m.Array("positions", /*nullable=*/false);
  if (!st.ok()) return st;
  const OrderStatusWord* os = nullptr;
  for (const auto& w : kOrderStatus) {
    if (status == w.code) os = &w;
  }
  if (os == nullptr) {
    return Status::InvalidInput("order " + code + " has status '" + status +
                                "', not one of pretix's n, p, e, c");
  }
  for (JsonValue p : *positions) {
    if (Status s = ReadPosition(p, order, code, items, *os, out); !s.ok()) return s;
  }
  return Status::Ok();
}

// A page's envelope, then `each` on every result until one fails.
Result<std::string> ReadList(std::string_view body, const char* what,
                             const std::function<Status(JsonValue)>& each) {
  JsonPage page;
  if (Status s = page.Parse(body, what); !s.ok()) return s;
  std::optional<JsonArray> results;
  auto next = ReadEnvelope(page.root(), what, &results);
  if (!next.ok()) return next;
  for (JsonValue result : *results) {
    if (Status s = each(result); !s.ok()) return s;
  }
  return next;
}

Status ReadCheckinList(JsonValue list, std::vector<PretixCheckinList>* lists) {
  Status st;
  PretixCheckinList l;
  l.id = Members(list, "a check-in list", &st).Int("id");
  Members m(list, "check-in list " + std::to_string(l.id), &st);
  l.name = NormalizeSpaces(m.Str("name"));
  const auto all = m.Raw("all_products");
  if (!all || !all->is_bool()) m.Problem("all_products", "is not true or false");
  l.subevent = m.OptInt("subevent");
  l.include_pending = m.OptBool("include_pending");
  const auto limit = m.Array("limit_products", /*nullable=*/true);
  if (!st.ok()) return st;
  l.all_products = bool(*all);
  if (limit) {
    for (JsonValue id : *limit) {
      auto n = IntOf(id);
      if (!n) {
        return Status::InvalidInput("check-in list " + std::to_string(l.id) +
                                    " member 'limit_products' holds a product id that is not a"
                                    " whole number");
      }
      l.limit_products.push_back(*n);
    }
  }
  if (l.name.empty() || l.name.size() > kMaxValueBytes) {
    return Status::InvalidInput("check-in list " + std::to_string(l.id) +
                                " has an empty or overlong name");
  }
  lists->push_back(std::move(l));
  return Status::Ok();
}

// The admission products' names of one list; empty for all products.
Result<std::vector<std::string>> TicketTypesOf(const PretixCheckinList& l,
                                               const PretixItems& items) {
  std::vector<std::string> types;
  if (l.all_products) return types;
  for (int64_t id : l.limit_products) {
    auto it = items.find(id);
    if (it == items.end()) {
      return Status::InvalidInput("check-in list '" + l.name + "' admits product " +
                                  std::to_string(id) +
                                  ", which the event's product list does not have");
    }
    // Merch admits no one, and a roster ticket never has its name.
    if (!it->second.admission) continue;
    std::string name = NormalizeSpaces(it->second.name);
    if (std::find(types.begin(), types.end(), name) == types.end())
      types.push_back(std::move(name));
  }
  return types;
}

}  // namespace

Result<std::string> ReadItemsPage(std::string_view body, PretixItems* items) {
  return ReadList(body, "pretix's product list", [items](JsonValue item) {
    Status st;
    const int64_t id = Members(item, "a product", &st).Int("id");
    Members m(item, "product " + std::to_string(id), &st);
    PretixItem pi;
    const auto name = m.Raw("name");
    if (!name) m.Problem("name", "is missing");
    if (name) pi.name = I18n(*name, m, "name");
    const auto adm = m.Raw("admission");
    if (!adm || !adm->is_bool()) m.Problem("admission", "is not true or false");
    if (!st.ok()) return st;
    pi.admission = bool(*adm);
    (*items)[id] = std::move(pi);
    return Status::Ok();
  });
}

Result<std::vector<std::string>> ReadEventKeys(std::string_view body) {
  JsonPage page;
  if (Status s = page.Parse(body, "pretix's event detail"); !s.ok()) return s;
  Status st;
  Members event(page.root(), "pretix's event detail", &st);
  std::vector<std::string> keys;
  if (const auto valid = event.OptObject("valid_keys")) {
    Members m(*valid, "pretix's event detail member 'valid_keys'", &st);
    if (const auto sig1 = m.Array("pretix_sig1", /*nullable=*/true)) {
      for (JsonValue k : *sig1) {
        auto text = StringOf(k);
        if (!text) {
          m.Problem("pretix_sig1", "holds a key that is not a string");
          break;
        }
        keys.push_back(std::move(*text));
      }
    }
  }
  if (!st.ok()) return st;
  if (keys.size() > kMaxSig1Keys) {
    return Status::InvalidInput("pretix's event detail lists " + std::to_string(keys.size()) +
                                " signing keys; more than " + std::to_string(kMaxSig1Keys) +
                                " is not a real event");
  }
  // A key we cannot read would make every genuine ticket look forged.
  if (auto parsed = ParseSig1Keys(keys); !parsed.ok()) {
    return parsed.status().WithContext("pretix's event detail, valid_keys.pretix_sig1: ");
  }
  return keys;
}

Result<std::string> ReadSecretsPage(std::string_view body, SecretList list,
                                    std::vector<std::string>* secrets) {
  const char* what =
      list == SecretList::kRevoked ? "pretix's revoked secrets" : "pretix's blocked secrets";
  return ReadList(body, what, [list, secrets, what](JsonValue entry) {
    Status st;
    Members m(entry, std::string("an entry of ") + what, &st);
    const std::string secret = m.Str("secret");
    // blockedsecrets also lists secrets unblocked again, with blocked false.
    const bool blocked = list == SecretList::kBlocked ? m.OptBool("blocked") : true;
    if (!st.ok()) return st;
    if (!blocked) return Status::Ok();
    // A secret that is not a usable code can never be scanned: nothing to bar.
    if (auto code = NormalizeCode(secret); code.ok()) secrets->push_back(std::move(*code));
    return Status::Ok();
  });
}

Result<std::string> ReadOrdersPage(std::string_view body, const PretixItems& items,
                                   PretixOrders* out) {
  return ReadList(body, "pretix's order list",
                  [&items, out](JsonValue order) { return ReadOrder(order, items, out); });
}

Result<std::string> ReadCheckinListsPage(std::string_view body,
                                         std::vector<PretixCheckinList>* lists) {
  return ReadList(body, "pretix's check-in lists",
                  [lists](JsonValue list) { return ReadCheckinList(list, lists); });
}

Result<std::vector<Gate>> GatesFromCheckinLists(const std::vector<PretixCheckinList>& lists,
                                                const PretixItems& items,
                                                std::vector<std::string>* notes) {
  std::vector<Gate> gates;
  for (const PretixCheckinList& l : lists) {
    for (const Gate& g : gates) {
      if (Fold(g.name) == Fold(l.name)) {
        return Status::InvalidInput("two check-in lists are named '" + l.name +
                                    "'; gates are told apart by name, so rename one in pretix");
      }
    }
    auto types = TicketTypesOf(l, items);
    if (!types.ok()) return types.status();
    if (!l.all_products && types->empty()) {
      notes->push_back("check-in list '" + l.name +
                       "' admits no admission product: left out, as a gate without ticket"
                       " types admits every ticket");
      continue;
    }
    if (l.subevent) {
      notes->push_back("check-in list '" + l.name + "' is for one date of the series (subevent " +
                       std::to_string(*l.subevent) +
                       "): its gate opens every day unless you add days");
    }
    if (l.include_pending) {
      notes->push_back("check-in list '" + l.name +
                       "' admits pending orders; checkin refuses them until they are paid");
    }
    gates.push_back(Gate{l.name, std::move(types).value(), {}});
  }
  return gates;
}

}  // namespace checkin::sync
