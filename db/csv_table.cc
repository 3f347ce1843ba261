#include "db/csv_table.h"

#include <csv.h>

#include <memory>

#include "common/file.h"
#include "common/text.h"

namespace checkin::db {
namespace {

struct Decoded {
  std::string text;
  std::string encoding;
};

Result<Decoded> Decode(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    if (!IsValidUtf8(bytes))
      return Status::InvalidInput("the file starts with a UTF-8 mark but is not valid UTF-8");
    return Decoded{std::string(bytes), "UTF-8 with BOM"};
  }
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    const bool le = bytes[0] == '\xFF';
    auto text = ToUtf8(bytes.substr(2), le ? "UTF-16LE" : "UTF-16BE");
    if (!text.ok()) return text.status();
    return Decoded{std::move(text).value(), le ? "UTF-16LE" : "UTF-16BE"};
  }
  if (IsValidUtf8(bytes)) return Decoded{std::string(bytes), "UTF-8"};
  // Not UTF-8: Excel on a Spanish-locale Windows saves "CSV" as Windows-1252,
  // a superset of Latin-1 for every printable character.
  auto text = ToUtf8(bytes, "windows-1252");
  if (text.ok()) return Decoded{std::move(text).value(), "windows-1252"};
  text = ToUtf8(bytes, "ISO-8859-1");
  if (!text.ok()) return text.status();
  return Decoded{std::move(text).value(), "ISO-8859-1"};
}

// The delimiter is whichever of , ; TAB occurs most in the header line outside
// quotes: Spanish-locale Excel writes ';' because ',' is the decimal mark.
char DetectDelimiter(std::string_view text) {
  size_t commas = 0, semis = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') {
      if (commas + semis + tabs > 0) break;
      continue;
    }
    commas += c == ',';
    semis += c == ';';
    tabs += c == '\t';
  }
  if (semis > commas && semis >= tabs) return ';';
  if (tabs > commas && tabs > semis) return '\t';
  return ',';
}

constexpr size_t kBatchRows = 4096;

struct ParseState {
  const CsvSink* sink = nullptr;
  std::vector<std::string> fields;
  std::vector<CsvRow> batch;
  bool have_header = false;
  size_t width = 0;
  int line = 1;       // line being fed
  int row_start = 0;  // line where the current record's first field ended
  Status error;
};

void OnField(void* data, size_t len, void* ctx) {
  auto* st = static_cast<ParseState*>(ctx);
  if (st->fields.empty()) st->row_start = st->line;
  if (len > kMaxFieldBytes && st->error.ok()) {
    st->error =
        Status::InvalidInput("line " + std::to_string(st->line) + ": a field is longer than " +
                             std::to_string(kMaxFieldBytes) + " bytes");
  }
  st->fields.emplace_back(static_cast<const char*>(data), len);
}

void OnRow(int /*terminator*/, void* ctx) {
  auto* st = static_cast<ParseState*>(ctx);
  bool blank = true;
  for (auto& f : st->fields) {
    // libcsv trims unquoted fields; quoted ones may still carry spaces.
    const std::string_view t = Trim(f);
    if (t.size() != f.size()) f = std::string(t);
    blank = blank && f.empty();
  }
  // Excel leaves rows of bare delimiters (";;;;") below the data.
  if (blank || !st->error.ok()) {
    st->fields.clear();
    return;
  }
  if (!st->have_header) {
    st->have_header = true;
    st->width = st->fields.size();
    st->sink->on_header(std::move(st->fields));
    st->fields.clear();
    st->fields.reserve(st->width);
    return;
  }
  // Trailing empty cells beyond the header are an Excel habit, not data.
  while (st->fields.size() > st->width && st->fields.back().empty()) st->fields.pop_back();
  if (st->fields.size() != st->width) {
    st->error = Status::InvalidInput("line " + std::to_string(st->row_start) + ": " +
                                     std::to_string(st->fields.size()) +
                                     " fields, but the header has " + std::to_string(st->width) +
                                     " (a delimiter inside an unquoted field?)");
    st->fields.clear();
    return;
  }
  st->batch.push_back(CsvRow{st->row_start, std::move(st->fields)});
  st->fields.clear();
  st->fields.reserve(st->width);  // one allocation per row, not one per doubling
  if (st->batch.size() >= kBatchRows) {
    st->sink->on_rows(std::move(st->batch));
    st->batch.clear();
    st->batch.reserve(kBatchRows);
  }
}

}  // namespace

Result<CsvTable> ParseCsvStream(std::string_view bytes, const CsvSink& sink) {
  if (bytes.size() > kMaxCsvBytes) return Status::InvalidInput("the file is larger than 512 MB");
  auto decoded = Decode(bytes);
  if (!decoded.ok()) return decoded.status();
  const std::string& text = decoded->text;

  CsvTable info;
  info.encoding = decoded->encoding;
  info.delimiter = DetectDelimiter(text);

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return Status::Internal("libcsv could not start");
  }
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  csv_set_delim(&parser, static_cast<unsigned char>(info.delimiter));

  ParseState st;
  st.sink = &sink;
  // Feed a line at a time so rows and errors carry their line numbers.
  size_t pos = 0;
  while (pos < text.size() && st.error.ok()) {
    if (sink.keep_going && !sink.keep_going()) return Status::Unavailable("parsing stopped");
    size_t nl = text.find('\n', pos);
    const size_t end = nl == std::string::npos ? text.size() : nl + 1;
    const size_t fed = csv_parse(&parser, text.data() + pos, end - pos, OnField, OnRow, &st);
    if (fed != end - pos) {
      st.error = Status::InvalidInput(
          "line " + std::to_string(st.line) + ": " + csv_strerror(csv_error(&parser)) +
          " (check the quotes: a quote inside a field must be doubled)");
      break;
    }
    pos = end;
    ++st.line;
  }
  if (st.error.ok() && csv_fini(&parser, OnField, OnRow, &st) != 0) {
    st.error = Status::InvalidInput("line " + std::to_string(st.row_start) +
                                    ": a quoted field is never closed (missing \")");
  }
  // Rows before an error still go out first, so a consumer reports the
  // earliest bad line whichever side finds it.
  if (!st.batch.empty()) sink.on_rows(std::move(st.batch));
  if (!st.error.ok()) return st.error;
  if (!st.have_header) return Status::InvalidInput("the file is empty: no header row");
  return info;
}

Result<CsvTable> ParseCsv(std::string_view bytes) {
  CsvTable table;
  CsvSink sink;
  sink.on_header = [&](std::vector<std::string>&& h) { table.header = std::move(h); };
  sink.on_rows = [&](std::vector<CsvRow>&& rows) {
    if (table.rows.empty()) {
      table.rows = std::move(rows);
    } else {
      table.rows.insert(table.rows.end(), std::make_move_iterator(rows.begin()),
                        std::make_move_iterator(rows.end()));
    }
  };
  auto info = ParseCsvStream(bytes, sink);
  if (!info.ok()) return info.status();
  table.encoding = info->encoding;
  table.delimiter = info->delimiter;
  return table;
}

Result<std::string> ReadFileBytes(const std::string& path) {
  return ReadWholeFile(path, kMaxCsvBytes);
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  auto bytes = ReadFileBytes(path);
  if (!bytes.ok()) return bytes.status();
  auto t = ParseCsv(*bytes);
  if (!t.ok()) return t.status().WithContext(path + ": ");
  return t;
}

}  // namespace checkin::db
