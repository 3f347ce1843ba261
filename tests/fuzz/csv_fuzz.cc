// Fuzz target: any bytes as a roster export. Must never crash; must either
// fail with a message or give records whose codes are valid.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/code.h"
#include "db/csv_table.h"
#include "db/roster_format.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto table = checkin::db::ParseCsv(bytes);
  if (!table.ok()) {
    FUZZ_CHECK(!table.status().message().empty());
    return 0;
  }
  auto mapped = checkin::db::MapRoster(*table, checkin::db::RosterFormat::kAuto, {});
  if (!mapped.ok()) return 0;
  for (const auto& r : mapped->records) {
    auto code = checkin::NormalizeCode(r.ticket_code);
    FUZZ_CHECK(code.ok() && *code == r.ticket_code);
  }
  return 0;
}
