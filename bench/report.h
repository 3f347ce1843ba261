// Timing summaries and the two outputs of a benchmark run: an aligned table on
// stdout for people and one JSON object per line for scripts. Not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"

namespace checkin::bench {

// Milliseconds from `start` to now on `clock`'s monotonic time.
double MillisSince(const Clock& clock, std::chrono::steady_clock::time_point start);

// CPU time the calling thread has used, in milliseconds: set against wall time
// it separates computing from waiting on fsync.
double ThreadCpuMillis();

// One timed call: wall and thread CPU milliseconds.
struct Sample {
  double wall = 0, cpu = 0;
};

// Calls `fn`, records its times in `*s` and returns what it returned.
template <typename Fn>
auto Timed(Sample* s, Fn&& fn) {
  const Clock& clock = SystemClock();
  const double cpu = ThreadCpuMillis();
  const auto start = clock.Monotonic();
  auto result = fn();
  s->wall = MillisSince(clock, start);
  s->cpu = ThreadCpuMillis() - cpu;
  return result;
}

struct LatencySummary {
  size_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;  // milliseconds
};

// Nearest-rank percentiles; all zero for no samples.
LatencySummary Summarize(std::vector<double> samples_ms);
LatencySummary WallSummary(const std::vector<Sample>& samples);
double MeanCpu(const std::vector<Sample>& samples);
double Median(std::vector<double> values);

enum class Bound { kAtLeast, kAtMost, kBelow };

class Report {
 public:
  // `jsonl` receives one object per figure; null to print only.
  explicit Report(std::ostream* jsonl) : jsonl_(jsonl) {}
  // The same, appended to the file at `jsonl_path` (the benches' --out);
  // empty to print only.
  explicit Report(const std::string& jsonl_path);

  // Free-form facts about the run (machine, filesystem, sizes).
  void Info(const std::string& key, const std::string& value);
  void Section(const std::string& title);
  void Latency(const std::string& bench, const std::string& name, const LatencySummary& s);
  // Rows per second of each run of `rows` rows; prints and records the median.
  void Rate(const std::string& bench, const std::string& name, size_t rows,
            const std::vector<double>& seconds);
  void Value(const std::string& bench, const std::string& name, double value,
             const std::string& unit);
  // Records a goal and whether `value` meets `limit`; printed again by Goals().
  void Goal(const std::string& name, double value, const std::string& unit, Bound bound,
            double limit);
  // Prints the goal table; returns how many goals failed.
  int Goals();

 private:
  struct GoalRow {
    std::string name, unit;
    double value, limit;
    Bound bound;
    bool pass;
  };
  void Emit(const std::string& json_line);

  std::unique_ptr<std::ofstream> file_;  // when constructed from a path
  std::ostream* jsonl_;
  std::vector<GoalRow> goals_;
};

}  // namespace checkin::bench
