// Reads a spreadsheet export into rows of UTF-8 fields: detects the encoding
// (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 as saved by a
// Spanish-locale Excel) and the delimiter (, ; or tab), and parses RFC 4180
// quoting with libcsv. Pure; thread-safe.
#pragma once

#include <functional>
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

// The same parse, streamed: `on_header` once, then `on_rows` with batches of
// rows in file order while parsing goes on, so a consumer on another thread
// can work alongside. `keep_going` is polled between lines; returning false
// stops the parse early (the result is then an error). On success the result
// carries encoding and delimiter with no header or rows.
struct CsvSink {
  std::function<void(std::vector<std::string>&& header)> on_header;
  std::function<void(std::vector<CsvRow>&& rows)> on_rows;
  std::function<bool()> keep_going;
};
Result<CsvTable> ParseCsvStream(std::string_view bytes, const CsvSink& sink);

// Reads a whole file, refusing anything over kMaxCsvBytes.
Result<std::string> ReadFileBytes(const std::string& path);

}  // namespace checkin::db
