#include "db/registration_source.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "db/csv_table.h"

namespace checkin::db {

namespace {

// Hands parsed batches from the parsing thread to the mapping one.
class BatchQueue {
 public:
  void PushHeader(std::vector<std::string>&& h) {
    std::lock_guard<std::mutex> lock(mu_);
    header_ = std::move(h);
    have_header_ = true;
    cv_.notify_one();
  }
  void Push(std::vector<CsvRow>&& rows) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return;
    batches_.push_back(std::move(rows));
    cv_.notify_one();
  }
  void Close(Result<CsvTable> result) {
    std::lock_guard<std::mutex> lock(mu_);
    result_.emplace(std::move(result));
    cv_.notify_one();
  }
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    batches_.clear();
  }
  bool cancelled() {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }
  // The header, or nullopt if the parse ended without one.
  std::optional<std::vector<std::string>> WaitHeader() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return have_header_ || result_.has_value(); });
    if (!have_header_) return std::nullopt;
    return std::move(header_);
  }
  // Next batch; nullopt once the parse has ended and every batch was taken.
  std::optional<std::vector<CsvRow>> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !batches_.empty() || result_.has_value(); });
    if (batches_.empty()) return std::nullopt;
    std::vector<CsvRow> b = std::move(batches_.front());
    batches_.pop_front();
    return b;
  }
  Result<CsvTable> TakeResult() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(*result_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> header_;
  bool have_header_ = false;
  bool cancelled_ = false;
  std::deque<std::vector<CsvRow>> batches_;
  std::optional<Result<CsvTable>> result_;
};

}  // namespace

Result<RosterSnapshot> CsvExportSource::Fetch() {
  auto bytes = ReadFileBytes(path_);
  if (!bytes.ok()) return bytes.status();

  // Parsing and mapping each take about as long: run them side by side.
  BatchQueue queue;
  std::thread parser([&] {
    CsvSink sink;
    sink.on_header = [&](std::vector<std::string>&& h) { queue.PushHeader(std::move(h)); };
    sink.on_rows = [&](std::vector<CsvRow>&& rows) { queue.Push(std::move(rows)); };
    sink.keep_going = [&] { return !queue.cancelled(); };
    queue.Close(ParseCsvStream(*bytes, sink));
  });
  auto finish = [&](Status s) {
    queue.Cancel();
    parser.join();
    return s.WithContext(path_ + ": ");
  };

  auto header = queue.WaitHeader();
  if (!header) {
    parser.join();
    return queue.TakeResult().status().WithContext(path_ + ": ");
  }
  auto mapper = RosterMapper::Create(*header, format_, maps_);
  if (!mapper.ok()) return finish(mapper.status());
  // Lines bound the rows from above; counting them is cheap next to parsing.
  (*mapper)->Reserve(static_cast<size_t>(std::count(bytes->begin(), bytes->end(), '\n')) + 1);
  int rows = 0;
  while (auto batch = queue.Pop()) {
    rows += static_cast<int>(batch->size());
    if (Status s = (*mapper)->Add(std::move(*batch)); !s.ok()) return finish(s);
  }
  parser.join();
  auto parsed = queue.TakeResult();
  if (!parsed.ok()) return parsed.status().WithContext(path_ + ": ");

  MappedRoster mapped = std::move(**mapper).Finish();
  RosterSnapshot snap;
  snap.format = mapped.format;
  snap.source = source_.empty() ? std::string(RosterFormatName(mapped.format)) : source_;
  const auto slash = path_.find_last_of('/');
  snap.origin = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  snap.encoding = parsed->encoding;
  snap.total_rows = rows;
  snap.duplicate_rows = mapped.duplicate_rows;
  snap.records = std::move(mapped.records);
  return snap;
}

Status ValidateSourceName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 40;
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  return ok ? Status::Ok()
            : Status::InvalidInput("--source '" + name + "': use 1-40 of a-z, 0-9, - and _ (e.g. speakers)");
}

}  // namespace checkin::db
