// Sympla's participant list pages (public API v3) read into roster records,
// with every member's type checked. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::sync {

struct SymplaParticipants {
  std::vector<db::RosterRecord> records;
  int participants = 0;  // every participant read
};

// The page's `pagination`: which page this is and whether another follows.
struct SymplaPaging {
  bool has_next = false;
  int64_t page = 0;
  int64_t total_page = 0;  // 0 when Sympla left it out
};

// One page: {"data": [...], "pagination": {...}}. InvalidInput naming the
// participant and member on any wrong shape or an order status Sympla does
// not document; `out` is then unspecified and must be dropped.
Result<SymplaPaging> ReadParticipantsPage(std::string_view body, SymplaParticipants* out);

}  // namespace checkin::sync
