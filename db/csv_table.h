// Reads a spreadsheet export into rows of UTF-8 fields: decides the encoding on
// evidence from the whole file (UTF-8 with or without BOM, UTF-16 with or
// without BOM, else Windows-1252 as saved by a Spanish-locale Excel), detects
// the delimiter (, ; or tab), and parses RFC 4180 quoting with libcsv. Files
// are read in pieces, twice (the encoding first), so memory stays bounded
// whatever the file. Pure; thread-safe.
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

// InvalidInput naming the line (and column, never the content) for malformed
// quoting, rows with fewer fields than the header, oversized lines or fields,
// control characters (NUL, ESC, ...) in a field, a file in UTF-8 but for a few
// bytes, or an empty file.
Result<CsvTable> ParseCsv(std::string_view bytes);
Result<CsvTable> ReadCsvFile(const std::string& path);

// The same parse, streamed: `on_header` once, with an upper bound on the rows
// to come, then `on_rows` with batches of rows in file order while parsing
// goes on, so a consumer on another thread can work alongside. `keep_going` is
// polled between lines; returning false stops the parse early (the result is
// then an error). On success the result carries encoding and delimiter with
// no header or rows.
struct CsvSink {
  std::function<void(std::vector<std::string>&& header, size_t max_rows)> on_header;
  std::function<void(std::vector<CsvRow>&& rows)> on_rows;
  std::function<bool()> keep_going;
};
Result<CsvTable> ParseCsvStream(std::string_view bytes, const CsvSink& sink);
// From a file, which is never in memory whole. Errors name the path.
Result<CsvTable> ParseCsvFile(const std::string& path, const CsvSink& sink);

}  // namespace checkin::db
