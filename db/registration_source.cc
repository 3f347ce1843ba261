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
  const auto slash = path_.find_last_of('/');
  snap.origin = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  snap.encoding = table->encoding;
  snap.total_rows = static_cast<int>(table->rows.size());
  snap.duplicate_rows = mapped->duplicate_rows;
  snap.records = std::move(mapped->records);
  return snap;
}

}  // namespace checkin::db
