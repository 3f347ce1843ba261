// Turns a parsed export (Eventbrite, pretix, Sympla or our generic layout) into
// validated roster records. All or nothing: the first bad row is an error naming
// its line, and no records come back. Pure; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/result.h"
#include "db/csv_table.h"

namespace checkin::db {

enum class RosterFormat { kAuto, kGeneric, kEventbrite, kPretix, kSympla };
std::string_view RosterFormatName(RosterFormat f);
Result<RosterFormat> ParseRosterFormat(std::string_view name);

// The fields of the generic layout, in documentation order.
const std::vector<std::string>& GenericFields();

// --map COLUMN=FIELD: read the file's COLUMN as our FIELD.
struct ColumnMap {
  std::string column;
  std::string field;
};
Result<ColumnMap> ParseColumnMap(std::string_view spec);

struct RosterRecord {
  int line = 0;
  std::string ticket_code, ticket_id, order_id;
  std::string first_name, last_name, email, company, ticket_type;
  TicketStatus status = TicketStatus::kValid;
  std::string upstream_status;  // the platform's own word
  std::string checkin_lists;
  std::string blocked, valid_from, valid_until;  // see Attendee
};

struct MappedRoster {
  RosterFormat format = RosterFormat::kGeneric;
  std::vector<RosterRecord> records;  // exact duplicate rows removed
  int duplicate_rows = 0;
};

// Maps rows as they arrive (from ParseCsvStream), checking for duplicates in
// file order. The first error is final: the mapper must not be used after it.
class RosterMapper {
 public:
  // InvalidInput for a layout it cannot read, listing the columns found and
  // needed and how to name them with --map.
  static Result<std::unique_ptr<RosterMapper>> Create(const std::vector<std::string>& header,
                                                      RosterFormat format,
                                                      const std::vector<ColumnMap>& maps);
  ~RosterMapper();
  RosterFormat format() const;  // as detected
  // Room for about this many rows, so the duplicate checks never rehash.
  void Reserve(size_t rows);
  // Room for at most `rows` rows, and a promise that records never move: the
  // pointers Add hands out stay valid for the mapper's life. Adding more rows
  // is then an Internal error.
  void Pin(size_t rows);
  // `added`, when given, receives the records this call kept (exact repeats
  // are dropped), in file order.
  Status Add(std::vector<CsvRow>&& rows, std::vector<const RosterRecord*>* added = nullptr);
  int duplicate_rows() const;
  MappedRoster Finish() &&;

 private:
  struct State;
  RosterMapper();
  std::unique_ptr<State> st_;
};

// The whole table at once. Takes the table by value: its fields move into the records (pass
// std::move to avoid a copy of the whole export).
Result<MappedRoster> MapRoster(CsvTable table, RosterFormat format,
                               const std::vector<ColumnMap>& maps);

}  // namespace checkin::db
