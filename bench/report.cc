#include "bench/report.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

namespace checkin::bench {
namespace {

// Nearest rank: the smallest sample with at least p% of samples at or below it,
// so p99 of 3,000 samples is the 2,970th, a latency that really happened.
double Percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

const char* BoundText(Bound b) {
  switch (b) {
    case Bound::kAtLeast:
      return ">=";
    case Bound::kAtMost:
      return "<=";
    case Bound::kBelow:
      return "<";
  }
  return "?";
}

}  // namespace

double MillisSince(const Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(clock.Monotonic() - start).count();
}

double ThreadCpuMillis() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

LatencySummary Summarize(std::vector<double> samples_ms) {
  LatencySummary s;
  if (samples_ms.empty()) return s;
  std::sort(samples_ms.begin(), samples_ms.end());
  s.count = samples_ms.size();
  s.p50 = Percentile(samples_ms, 50);
  s.p90 = Percentile(samples_ms, 90);
  s.p99 = Percentile(samples_ms, 99);
  s.max = samples_ms.back();
  s.mean = std::accumulate(samples_ms.begin(), samples_ms.end(), 0.0) /
           static_cast<double>(samples_ms.size());
  return s;
}

LatencySummary WallSummary(const std::vector<Sample>& samples) {
  std::vector<double> ms;
  ms.reserve(samples.size());
  for (const Sample& s : samples) ms.push_back(s.wall);
  return Summarize(std::move(ms));
}

double MeanCpu(const std::vector<Sample>& samples) {
  double sum = 0;
  for (const Sample& s : samples) sum += s.cpu;
  return samples.empty() ? 0 : sum / static_cast<double>(samples.size());
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

Report::Report(const std::string& jsonl_path)
    : file_(jsonl_path.empty() ? nullptr
                               : std::make_unique<std::ofstream>(jsonl_path, std::ios::app)),
      jsonl_(file_.get()) {}

void Report::Emit(const std::string& json_line) {
  if (jsonl_ != nullptr) *jsonl_ << json_line << '\n';
}

void Report::Info(const std::string& key, const std::string& value) {
  std::printf("  %-28s %s\n", key.c_str(), value.c_str());
  Emit(nlohmann::json{{"info", key}, {"value", value}}.dump());
}

void Report::Section(const std::string& title) { std::printf("\n== %s\n", title.c_str()); }

void Report::Latency(const std::string& bench, const std::string& name, const LatencySummary& s) {
  std::printf("  %-34s n=%-6zu p50 %8.3f  p90 %8.3f  p99 %8.3f  max %8.3f  mean %8.3f ms\n",
              name.c_str(), s.count, s.p50, s.p90, s.p99, s.max, s.mean);
  Emit(nlohmann::json{{"bench", bench},
                      {"name", name},
                      {"count", s.count},
                      {"p50_ms", s.p50},
                      {"p90_ms", s.p90},
                      {"p99_ms", s.p99},
                      {"max_ms", s.max},
                      {"mean_ms", s.mean}}
           .dump());
}

void Report::Rate(const std::string& bench, const std::string& name, size_t rows,
                  const std::vector<double>& seconds) {
  const double median_s = Median(seconds);
  std::string runs;
  for (double s : seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.3f", runs.empty() ? "" : " ", s);
    runs += buf;
  }
  std::printf("  %-34s %9.0f rows/s  median %.3f s  (runs: %s s)\n", name.c_str(),
              static_cast<double>(rows) / median_s, median_s, runs.c_str());
  Emit(nlohmann::json{{"bench", bench},
                      {"name", name},
                      {"rows", rows},
                      {"median_s", median_s},
                      {"rows_per_s", static_cast<double>(rows) / median_s},
                      {"runs_s", seconds}}
           .dump());
}

void Report::Value(const std::string& bench, const std::string& name, double value,
                   const std::string& unit) {
  std::printf("  %-34s %12.3f %s\n", name.c_str(), value, unit.c_str());
  Emit(nlohmann::json{{"bench", bench}, {"name", name}, {"value", value}, {"unit", unit}}.dump());
}

void Report::Goal(const std::string& name, double value, const std::string& unit, Bound bound,
                  double limit) {
  const bool pass = bound == Bound::kAtLeast  ? value >= limit
                    : bound == Bound::kAtMost ? value <= limit
                                              : value < limit;
  goals_.push_back(GoalRow{name, unit, value, limit, bound, pass});
  Emit(nlohmann::json{{"goal", name},
                      {"value", value},
                      {"unit", unit},
                      {"bound", BoundText(bound)},
                      {"limit", limit},
                      {"pass", pass}}
           .dump());
}

int Report::Goals() {
  Section("Goals (each against a floor measured in this run)");
  int failed = 0;
  for (const GoalRow& g : goals_) {
    std::printf("  %-44s %12.3f %-6s %-2s %10.3f   %s\n", g.name.c_str(), g.value, g.unit.c_str(),
                BoundText(g.bound), g.limit, g.pass ? "PASS" : "FAIL");
    failed += g.pass ? 0 : 1;
  }
  return failed;
}

}  // namespace checkin::bench
