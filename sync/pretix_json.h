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

// What the roster has no column for yet, kept so the desk can refuse with
// the reason: pretix's `blocked` reasons and the validity window (ISO 8601
// as pretix wrote it; empty when open).
struct PretixRestriction {
  std::string ticket_id;
  std::vector<std::string> blocked;
  std::string valid_from, valid_until;
};

struct PretixOrders {
  std::vector<db::RosterRecord> records;  // admission tickets only, add-ons left out
  std::vector<PretixRestriction> restrictions;
  int positions = 0;  // every position read, tickets or not
};

// One page: {count, next, results}. Returns `next` ("" on the last page).
// InvalidInput naming the order, position and member on any wrong shape;
// `out` is then unspecified and must be dropped.
Result<std::string> ReadItemsPage(std::string_view body, PretixItems* items);
Result<std::string> ReadOrdersPage(std::string_view body, const PretixItems& items,
                                   PretixOrders* out);

}  // namespace checkin::sync
