#include "db/registration_source.h"

#include "db/csv_table.h"

namespace checkin::db {

Result<RosterSnapshot> CsvExportSource::Fetch() {
  auto table = ReadCsvFile(path_);
  if (!table.ok()) return table.status();
  auto mapped = MapRoster(*table, format_, maps_);
  if (!mapped.ok()) return mapped.status().WithContext(path_ + ": ");
  RosterSnapshot snap;
  snap.format = mapped->format;
  snap.source = source_.empty() ? std::string(RosterFormatName(mapped->format)) : source_;
  const auto slash = path_.find_last_of('/');
  snap.origin = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  snap.encoding = table->encoding;
  snap.total_rows = static_cast<int>(table->rows.size());
  snap.duplicate_rows = mapped->duplicate_rows;
  snap.records = std::move(mapped->records);
  return snap;
}

Status ValidateSourceName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 40;
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  return ok ? Status::Ok()
            : Status::InvalidInput("--source '" + name + "': use 1-40 of a-z, 0-9, - and _ (e.g. speakers)");
}

}  // namespace checkin::db
