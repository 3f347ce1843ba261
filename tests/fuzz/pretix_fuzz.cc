// Fuzz target: any bytes as a page of pretix's product or order list, its
// event detail, a secret list or its check-in lists. Must never crash;
// whatever reads as an order page yields tickets the roster can take (a code,
// an id, a name, an admission product, validity times in UTC), event keys
// that parse, secrets that are usable codes, and check-in lists named gates
// of admission products.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/code.h"
#include "common/signed_ticket.h"
#include "common/text.h"
#include "common/timezone.h"
#include "sync/pretix_json.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  checkin::sync::PretixItems items;
  auto next = checkin::sync::ReadItemsPage(bytes, &items);
  FUZZ_CHECK(next.ok() || !next.status().message().empty());

  // The recorded event's products: 1, 2 and 4 admit, 3 is merch.
  const checkin::sync::PretixItems known = {{1, {"General Admission", true}},
                                            {2, {"Workshop", true}},
                                            {3, {"T-Shirt", false}},
                                            {4, {"Speaker", true}}};
  auto keys = checkin::sync::ReadEventKeys(bytes);
  FUZZ_CHECK(!keys.ok() || checkin::ParseSig1Keys(*keys).ok());
  for (auto list : {checkin::sync::SecretList::kRevoked, checkin::sync::SecretList::kBlocked}) {
    std::vector<std::string> secrets;
    auto more = checkin::sync::ReadSecretsPage(bytes, list, &secrets);
    FUZZ_CHECK(more.ok() || !more.status().message().empty());
    for (const auto& s : secrets) FUZZ_CHECK(checkin::NormalizeCode(s).ok());
  }
  std::vector<checkin::sync::PretixCheckinList> lists;
  if (checkin::sync::ReadCheckinListsPage(bytes, &lists).ok()) {
    std::vector<std::string> notes;
    auto gates = checkin::sync::GatesFromCheckinLists(lists, known, &notes);
    FUZZ_CHECK(gates.ok() || !gates.status().message().empty());
    for (const auto& g : gates.ok() ? *gates : std::vector<checkin::Gate>{}) {
      FUZZ_CHECK(!g.name.empty());
      for (const auto& t : g.ticket_types) FUZZ_CHECK(t != "T-Shirt");
    }
  }

  checkin::sync::PretixOrders orders;
  auto page = checkin::sync::ReadOrdersPage(bytes, known, &orders);
  if (!page.ok()) {
    FUZZ_CHECK(!page.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(orders.records.size() <= static_cast<size_t>(orders.positions));
  for (const auto& r : orders.records) {
    FUZZ_CHECK(!r.ticket_code.empty() && !r.ticket_id.empty() && !r.order_id.empty());
    FUZZ_CHECK(!r.first_name.empty() || !r.last_name.empty());
    FUZZ_CHECK(checkin::IsValidUtf8(r.first_name) && checkin::IsValidUtf8(r.last_name));
    FUZZ_CHECK(r.ticket_type != "T-Shirt");
    for (const std::string* t : {&r.valid_from, &r.valid_until}) {
      FUZZ_CHECK(t->empty() || checkin::ParseUtc(*t).ok());
    }
  }
  return 0;
}
