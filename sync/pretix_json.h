// pretix's REST API pages (items, orders with their positions) read into
// roster records, with every member's type checked. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::sync {

struct PretixItem {
  std::string name;  // the "en" name, else the first language pretix gives
  bool admission = false;
};
using PretixItems = std::unordered_map<int64_t, PretixItem>;

struct PretixOrders {
  std::vector<db::RosterRecord> records;  // admission tickets only, add-ons left out
  int positions = 0;                      // every position read, tickets or not
};

// One page: {count, next, results}. Returns `next` ("" on the last page).
// InvalidInput naming the order, position and member on any wrong shape;
// `out` is then unspecified and must be dropped.
Result<std::string> ReadItemsPage(std::string_view body, PretixItems* items);
// The event's detail (GET .../events/{event}/): the published pretix_sig1
// public keys, checked to be usable; none when the event signs no tickets.
Result<std::vector<std::string>> ReadEventKeys(std::string_view body);

// One page of revokedsecrets or blockedsecrets: the codes to refuse (those
// blocked now, for blockedsecrets), normalised as scanned codes are.
enum class SecretList { kRevoked, kBlocked };
Result<std::string> ReadSecretsPage(std::string_view body, SecretList list,
                                    std::vector<std::string>* secrets);

Result<std::string> ReadOrdersPage(std::string_view body, const PretixItems& items,
                                   PretixOrders* out);

}  // namespace checkin::sync
