// The search workload: what a help-desk volunteer types to find someone, on
// the roster as it stands after the redeems, with a point lookup as reference.

#include <algorithm>
#include <cstdio>

#include "bench/roster_gen.h"
#include "bench/sqlite_floors.h"
#include "bench/workloads.h"
#include "db/roster.h"

namespace checkin::bench {
namespace {

constexpr size_t kWarmupQueries = 20;
constexpr int kSearchLimit = 20;  // what the help-desk screen shows
constexpr size_t kSlowestShown = 5;

struct Timing {
  Sample sample;
  size_t hits = 0;
  const std::string* query = nullptr;
};

Result<std::vector<Sample>> PointLookups(const std::string& db_path,
                                         const std::vector<std::string>& codes, size_t n) {
  auto lookup = PointLookupFloor::Open(db_path);
  if (!lookup.ok()) return lookup.status();
  Rng rng(kSeed + 4);
  std::vector<Sample> samples(n);
  for (Sample& s : samples) {
    auto found = Timed(&s, [&] { return (*lookup)->Lookup(codes[rng.Below(codes.size())]); });
    if (!found.ok()) return found.status();
    if (!*found) return Status::Internal("a roster code was not found by the point lookup");
  }
  return samples;
}

}  // namespace

Status BenchSearch(const Options& o, db::Database& db, const std::vector<std::string>& codes,
                   Report& report) {
  std::fprintf(stderr, "search\n");
  const std::vector<std::string> queries = MakeSearchQueries(kWarmupQueries + o.queries, kSeed + 3);
  std::vector<Timing> timings;
  std::vector<Sample> all, one_word, more_words;
  size_t empty = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    Sample s;
    auto hits = Timed(&s, [&] { return db::SearchAttendees(db, queries[i], kSearchLimit); });
    if (!hits.ok()) return hits.status().WithContext("'" + queries[i] + "': ");
    if (i < kWarmupQueries) continue;
    timings.push_back({s, hits->size(), &queries[i]});
    all.push_back(s);
    (queries[i].find(' ') == std::string::npos ? one_word : more_words).push_back(s);
    empty += hits->empty() ? 1 : 0;
  }
  auto point = PointLookups(db.path(), codes, o.queries);
  if (!point.ok()) return point.status();

  const LatencySummary a = WallSummary(all);
  report.Section("Search (SearchAttendees, limit " + std::to_string(kSearchLimit) +
                 ", after the redeems)");
  report.Latency("search", "checkin: all queries", a);
  report.Latency("search", "checkin: one word", WallSummary(one_word));
  report.Latency("search", "checkin: two or more words", WallSummary(more_words));
  report.Latency("search", "reference: point lookup by code", WallSummary(*point));
  report.Value("search", "queries with no hit", static_cast<double>(empty), "queries");
  std::sort(timings.begin(), timings.end(),
            [](const Timing& x, const Timing& y) { return x.sample.wall > y.sample.wall; });
  for (size_t i = 0; i < std::min(kSlowestShown, timings.size()); ++i) {
    const Timing& t = timings[i];
    report.Value("search_slowest",
                 "slowest: '" + *t.query + "' (" + std::to_string(t.hits) + " hits)", t.sample.wall,
                 "ms");
  }
  report.Goal("search p99", a.p99, "ms", Bound::kBelow, 10);
  return Status::Ok();
}

}  // namespace checkin::bench
