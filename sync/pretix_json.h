// pretix's REST API pages (items, orders with their positions, check-in
// lists) read into roster records and gates, with every member's type
// checked. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/verdict.h"
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

// One of the event's check-in lists: a door and the products it admits.
struct PretixCheckinList {
  int64_t id = 0;
  std::string name;
  bool all_products = false;
  std::vector<int64_t> limit_products;  // ignored when all_products
  std::optional<int64_t> subevent;      // a date of an event series
  bool include_pending = false;
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
Result<std::string> ReadCheckinListsPage(std::string_view body,
                                         std::vector<PretixCheckinList>* lists);

// Our gates for pretix's check-in lists: one per list, named by it, admitting
// the names of its admission products (every ticket type when all_products).
// What a gate cannot say goes to `notes`, in words: a list for one date of a
// series (the gate opens every day), one that admits pending orders (we do
// not), one with no admission product (left out: an empty gate admits all).
// InvalidInput when a list names a product the event does not have, or two
// lists have the same name (gates are told apart by name).
Result<std::vector<Gate>> GatesFromCheckinLists(const std::vector<PretixCheckinList>& lists,
                                                const PretixItems& items,
                                                std::vector<std::string>* notes);

}  // namespace checkin::sync
