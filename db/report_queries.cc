#include "db/report_queries.h"

#include "db/attendee_row.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

// Admissions in force recorded within [?1, ?2): admitted rows no undo points at.
constexpr const char* kInForceWithin =
    "SELECT * FROM checkins c WHERE c.kind = 'admitted' AND c.at >= ?1 AND c.at < ?2"
    " AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes = c.id)";

Statement& BindWindow(Statement& st, const LogWindow& w) {
  return st.Bind(1, w.from).Bind(2, w.to);
}

// Every row of `sql` over the window, each made into a T by `read`.
template <typename T, typename Read>
Result<std::vector<T>> Rows(Database& db, const std::string& sql, const LogWindow& w, Read read) {
  Statement st(db.handle(), sql);
  BindWindow(st, w);
  std::vector<T> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(read(st));
  }
  return out;
}

Result<int64_t> CountOne(Database& db, const std::string& sql, const LogWindow& w) {
  Statement st(db.handle(), sql);
  BindWindow(st, w);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  return *r ? st.Int(0) : 0;
}

Result<std::vector<ListedPerson>> People(Database& db, const std::string& where,
                                         const LogWindow& w) {
  return Rows<ListedPerson>(
      db,
      std::string("SELECT a.first_name, a.last_name, a.email, a.ticket_type,"
                  " a.ticket_code FROM attendees a WHERE a.status = 'valid' AND ") +
          kVisible + " AND " + where + " ORDER BY a.last_name, a.first_name, a.id",
      w, [](const Statement& st) {
        return ListedPerson{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4)};
      });
}

}  // namespace

ReadSnapshot::ReadSnapshot(Database& db) : tx_(std::make_unique<Transaction>(db.handle())) {}
ReadSnapshot::~ReadSnapshot() = default;
Status ReadSnapshot::Begin() { return tx_->Begin(TxMode::kDeferred); }

Result<LogSpan> CheckinSpan(Database& db, const LogWindow& w) {
  Statement st(db.handle(),
               "SELECT COUNT(*), MIN(at), MAX(at) FROM checkins WHERE at >= ?1 AND at < ?2");
  BindWindow(st, w);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  LogSpan span{st.Int(0), "", ""};
  if (span.rows > 0) {
    span.first = st.Text(1);
    span.last = st.Text(2);
  }
  return span;
}

Result<std::vector<TicketTypeStats>> TicketTypesWithin(Database& db, const LogWindow& w) {
  // ComputeStats' query, its entries limited to the window.
  return Rows<TicketTypeStats>(
      db,
      std::string("WITH f AS (") + kInForceWithin +
          "), entered AS (SELECT DISTINCT attendee_id FROM f WHERE direction = 'entry')"
          " SELECT a.ticket_type, COUNT(*), SUM(a.id IN (SELECT attendee_id FROM entered))"
          " FROM attendees a WHERE a.status = 'valid' AND " +
          kVisible + " GROUP BY a.ticket_type ORDER BY COUNT(*) DESC, a.ticket_type",
      w, [](const Statement& st) {
        return TicketTypeStats{st.Text(0), st.Int(1), st.Int(2)};
      });
}

Result<LogCounts> CountWithin(Database& db, const LogWindow& w) {
  // One pass over the admissions for both directions.
  Statement st(db.handle(),
               std::string("WITH io AS (SELECT COALESCE(SUM(direction = 'entry'), 0) AS entries,"
                           " COALESCE(SUM(direction = 'exit'), 0) AS exits FROM (") +
                   kInForceWithin +
                   "))"
                   " SELECT io.entries, io.exits,"
                   " (SELECT COUNT(*) FROM checkins WHERE kind = 'denied' AND at >= ?1"
                   "  AND at < ?2),"
                   " (SELECT COUNT(*) FROM checkins WHERE kind = 'denied' AND verdict ="
                   "  'already_checked_in' AND at >= ?1 AND at < ?2),"
                   " (SELECT COUNT(*) FROM checkins WHERE kind = 'undo' AND at >= ?1 AND at < ?2),"
                   " (SELECT COUNT(*) FROM conflicts k JOIN checkins s ON s.id = k.second_checkin"
                   "  WHERE s.at >= ?1 AND s.at < ?2)"
                   " FROM io");
  BindWindow(st, w);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  LogCounts c;
  c.entries = st.Int(0);
  c.exits = st.Int(1);
  c.denials = st.Int(2);
  c.repeat_attempts = st.Int(3);
  c.undos = st.Int(4);
  c.conflicts = st.Int(5);
  // The print desk's count (db/print_desk.cc), each job placed in time by
  // when it was asked for: a job is a reprint when the attendee has an
  // earlier one not cancelled.
  auto reprints = CountOne(db,
                           "SELECT COUNT(*) FROM print_jobs p WHERE p.state != 'cancelled'"
                           " AND p.created_at >= ?1 AND p.created_at < ?2 AND EXISTS"
                           " (SELECT 1 FROM print_jobs q WHERE q.attendee_id = p.attendee_id"
                           "  AND q.state != 'cancelled' AND q.id < p.id)",
                           w);
  if (!reprints.ok()) return reprints.status();
  c.reprints = *reprints;
  return c;
}

Result<DayCounts> DayWithin(Database& db, const LogWindow& w) {
  // Who came, as TicketTypesWithin counts them (valid tickets that exist),
  // without going through the whole roster once per day.
  Statement st(db.handle(),
               std::string("SELECT COUNT(DISTINCT CASE WHEN a.status = 'valid' AND ") + kVisible +
                   " THEN f.attendee_id END), COUNT(*),"
                   " (SELECT COUNT(*) FROM checkins WHERE kind = 'denied' AND at >= ?1"
                   "  AND at < ?2)"
                   " FROM (" +
                   kInForceWithin +
                   ") f LEFT JOIN attendees a ON a.id = f.attendee_id WHERE f.direction = 'entry'");
  BindWindow(st, w);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  return DayCounts{st.Int(0), st.Int(1), st.Int(2)};
}

Result<std::vector<DenialCount>> DenialsWithin(Database& db, const LogWindow& w) {
  return Rows<DenialCount>(db,
                           "SELECT verdict, reason, COUNT(*) FROM checkins"
                           " WHERE kind = 'denied' AND at >= ?1 AND at < ?2"
                           " GROUP BY verdict, reason ORDER BY COUNT(*) DESC, verdict, reason",
                           w, [](const Statement& st) {
                             return DenialCount{st.Text(0), st.Text(1), st.Int(2)};
                           });
}

Result<std::vector<BusyCount>> BusyWithin(Database& db, const LogWindow& w, Door by) {
  const std::string column = by == Door::kGate ? "gate" : "station";
  // substr(at, 1, 16) is the UTC minute ("2026-11-28T13:05").
  return Rows<BusyCount>(
      db,
      "SELECT " + column + ", COUNT(*), COUNT(DISTINCT substr(at, 1, 16)) FROM (" + kInForceWithin +
          ") WHERE direction = 'entry' GROUP BY " + column + " ORDER BY " + column,
      w, [](const Statement& st) {
        return BusyCount{st.Text(0), st.Int(1), st.Int(2)};
      });
}

Result<std::vector<ListedPerson>> NoShowsWithin(Database& db, const LogWindow& w) {
  return People(db,
                std::string("a.id NOT IN (SELECT attendee_id FROM (") + kInForceWithin +
                    ") WHERE direction = 'entry' AND attendee_id IS NOT NULL)",
                w);
}

Result<std::vector<ListedPerson>> AddedWithin(Database& db, const LogWindow& w) {
  return People(db, "a.created_at >= ?1 AND a.created_at < ?2", w);
}

}  // namespace checkin::db
