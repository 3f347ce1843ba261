#include "db/registration_source.h"

#include <algorithm>
#include <memory>

#include "db/csv_table.h"

namespace checkin::db {

Result<RosterSnapshot> CsvExportSource::Fetch() {
  auto bytes = ReadFileBytes(path_);
  if (!bytes.ok()) return bytes.status();

  // Rows are mapped batch by batch as the parser produces them, so whichever
  // stage meets a bad row first, the error names the earliest bad line.
  std::unique_ptr<RosterMapper> mapper;
  Status map_error;
  int rows = 0;
  CsvSink sink;
  sink.on_header = [&](std::vector<std::string>&& header) {
    auto m = RosterMapper::Create(header, format_, maps_);
    if (!m.ok()) {
      map_error = m.status();
      return;
    }
    mapper = std::move(m).value();
    // Lines bound the rows from above; counting them is cheap next to parsing.
    mapper->Reserve(static_cast<size_t>(std::count(bytes->begin(), bytes->end(), '\n')) + 1);
  };
  sink.on_rows = [&](std::vector<CsvRow>&& batch) {
    if (!map_error.ok() || !mapper) return;
    rows += static_cast<int>(batch.size());
    map_error = mapper->Add(std::move(batch));
  };
  sink.keep_going = [&] { return map_error.ok(); };
  auto parsed = ParseCsvStream(*bytes, sink);
  if (!map_error.ok()) return map_error.WithContext(path_ + ": ");
  if (!parsed.ok()) return parsed.status().WithContext(path_ + ": ");

  MappedRoster mapped = std::move(*mapper).Finish();
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
