// Reads a spreadsheet export into rows of UTF-8 fields: detects the encoding
// (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 as saved by a
// Spanish-locale Excel) and the delimiter (, ; or tab), and parses RFC 4180
// quoting with libcsv. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace checkin::db {

struct CsvRow {
  int line = 0;  // 1-based line of the file where the row starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  // trimmed
  std::vector<CsvRow> rows;         // blank rows dropped
  std::string encoding;             // "UTF-8", "UTF-8 with BOM", "windows-1252", ...
  char delimiter = ',';
};

// Files above this are not attendee exports.
inline constexpr size_t kMaxCsvBytes = 512u << 20;
inline constexpr size_t kMaxFieldBytes = 8192;

// InvalidInput naming the line for malformed quoting, rows with fewer fields than
// the header, oversized fields, or an empty file.
Result<CsvTable> ParseCsv(std::string_view bytes);
Result<CsvTable> ReadCsvFile(const std::string& path);

}  // namespace checkin::db
