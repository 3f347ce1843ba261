#include "db/arrivals.h"

#include "db/statement.h"

namespace checkin::db {

Result<std::vector<ArrivalBin>> ArrivalsSince(Database& db, const std::string& since,
                                              std::chrono::minutes bin) {
  if (bin.count() < 1) return Status::InvalidInput("a bin is at least one minute");
  const int64_t bin_s = bin.count() * 60;
  // `at` is FormatUtc text; its first 19 characters are what strftime reads.
  // The partial index checkins_admitted_by_at keeps this to the window asked.
  Statement st(db.handle(),
               "SELECT (CAST(strftime('%s', substr(c.at, 1, 19)) AS INTEGER) / ?1) * ?1 AS bin,"
               " c.gate, count(*) FROM checkins c"
               " WHERE c.kind = 'admitted' AND c.direction = 'entry' AND c.at >= ?2"
               " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)"
               " GROUP BY bin, c.gate ORDER BY bin, c.gate");
  st.Bind(1, bin_s).Bind(2, since);
  std::vector<ArrivalBin> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back({st.Int(0), st.Text(1), st.Int(2)});
  }
  return out;
}

}  // namespace checkin::db
