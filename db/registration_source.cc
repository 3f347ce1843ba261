#include "db/registration_source.h"

#include <memory>

#include "db/csv_table.h"

namespace checkin::db {

Result<RosterSnapshot> RegistrationSource::Stream(const StreamCallbacks& cb) {
  auto snap = Fetch();
  if (!snap.ok()) return snap;
  auto owner = std::make_shared<RosterSnapshot>(std::move(snap).value());
  cb.on_start(owner->format, owner->source);
  RecordBatch batch;
  for (const RosterRecord& r : owner->records) batch.records.push_back(&r);
  RosterSnapshot info = *owner;
  info.records.clear();
  batch.keep_alive = std::move(owner);
  cb.on_batch(std::move(batch));
  return info;
}

Result<RosterSnapshot> CsvExportSource::Stream(const StreamCallbacks& cb) {
  std::shared_ptr<RosterMapper> mapper;
  return StreamInto(cb, &mapper);
}

Result<RosterSnapshot> CsvExportSource::StreamInto(const StreamCallbacks& cb,
                                                   std::shared_ptr<RosterMapper>* mapper_out) {
  // Rows are mapped batch by batch as the parser produces them, so whichever
  // stage meets a bad row first, the error names the earliest bad line. The
  // mapper owns the records; batches share it so their pointers outlive it.
  std::shared_ptr<RosterMapper>& mapper = *mapper_out;
  Status map_error;
  int rows = 0;
  const std::string source = source_;
  CsvSink sink;
  sink.on_header = [&](std::vector<std::string>&& header, size_t max_rows) {
    auto m = RosterMapper::Create(header, format_, maps_);
    if (!m.ok()) {
      map_error = m.status();
      return;
    }
    mapper = std::move(m).value();
    // The parser's bound holds, so records never have to move.
    mapper->Pin(max_rows);
    if (cb.on_start) {
      cb.on_start(mapper->format(),
                  source.empty() ? std::string(RosterFormatName(mapper->format())) : source);
    }
  };
  sink.on_rows = [&](std::vector<CsvRow>&& batch) {
    if (!map_error.ok() || !mapper) return;
    rows += static_cast<int>(batch.size());
    if (!cb.on_batch) {
      map_error = mapper->Add(std::move(batch));
      return;
    }
    RecordBatch out;
    map_error = mapper->Add(std::move(batch), &out.records);
    if (!map_error.ok() || out.records.empty()) return;
    out.keep_alive = mapper;
    cb.on_batch(std::move(out));
  };
  sink.keep_going = [&] { return map_error.ok() && (!cb.keep_going || cb.keep_going()); };
  auto parsed = ParseCsvFile(path_, sink);
  if (!map_error.ok()) return map_error.WithContext(path_ + ": ");
  if (!parsed.ok()) return parsed.status();

  RosterSnapshot snap;
  snap.format = mapper->format();
  snap.source = source.empty() ? std::string(RosterFormatName(snap.format)) : source;
  const auto slash = path_.find_last_of('/');
  snap.origin = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  snap.encoding = parsed->encoding;
  snap.total_rows = rows;
  snap.duplicate_rows = mapper->duplicate_rows();
  return snap;
}

Result<RosterSnapshot> CsvExportSource::Fetch() {
  std::shared_ptr<RosterMapper> mapper;
  auto snap = StreamInto(StreamCallbacks{}, &mapper);
  if (!snap.ok()) return snap;
  snap->records = std::move(*mapper).Finish().records;
  return snap;
}

Status ValidateSourceName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 40;
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  return ok ? Status::Ok()
            : Status::InvalidInput("--source '" + name +
                                   "': use 1-40 of a-z, 0-9, - and _ (e.g. speakers)");
}

}  // namespace checkin::db
