#include "db/csv_table.h"

#include <csv.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "common/file.h"
#include "common/text.h"
#include "db/csv_encoding.h"

namespace checkin::db {
namespace {

constexpr size_t kPieceBytes = 1u << 20;  // even, as EncodingScanner needs

// Where the bytes come from: memory or a file, read in pieces either way.
struct Input {
  std::string_view memory;
  const InputFile* file = nullptr;
};

using PieceFn = std::function<Status(std::string_view piece, bool last)>;

Status ForEachPiece(const Input& in, const PieceFn& fn) {
  if (in.file == nullptr) {
    for (size_t pos = 0;; pos += kPieceBytes) {
      const bool last = pos + kPieceBytes >= in.memory.size();
      if (Status s = fn(in.memory.substr(std::min(pos, in.memory.size()), kPieceBytes), last);
          !s.ok() || last) {
        return s;
      }
    }
  }
  // Up to the size seen at open, so a file that grows meanwhile is not read past its cap.
  std::string buf(std::min(kPieceBytes, in.file->size()), '\0');
  for (size_t offset = 0;;) {
    size_t have = 0;
    while (have < buf.size() && offset + have < in.file->size()) {
      auto got = in.file->ReadAt(offset + have, buf.data() + have,
                                 std::min(buf.size() - have, in.file->size() - offset - have));
      if (!got.ok()) return got.status();
      if (*got == 0) break;
      have += *got;
    }
    offset += have;
    const bool last = have < buf.size() || offset >= in.file->size();
    if (Status s = fn(std::string_view(buf.data(), have), last); !s.ok() || last) return s;
  }
}

constexpr size_t kBatchRows = 4096;

struct ParseState {
  const CsvSink* sink = nullptr;
  std::vector<std::string> header;  // for naming columns in errors
  std::vector<std::string> fields;
  std::vector<CsvRow> batch;
  bool have_header = false;
  size_t width = 0;
  size_t max_rows = 0;   // from the first pass: more means the file changed
  size_t rows = 0;       // rows so far, the header included
  size_t row_bytes = 0;  // fed since the last row ended
  int line = 1;          // line being fed
  int row_start = 0;     // line where the current record's first field ended
  bool pending_cr = false;
  Status error;
};

std::string Where(const ParseState& st, size_t column) {
  std::string out = "line " + std::to_string(st.line) + ", column " + std::to_string(column + 1);
  if (column < st.header.size() && !st.header[column].empty()) {
    out += " (" + st.header[column] + ")";
  }
  return out + ": ";
}

// The first C0 control but TAB, CR and LF (which a quoted field may hold),
// DEL, or C1 control in UTF-8 text: nothing a name has, and what would make a
// badge print "Ana" for "An\0a" or a terminal obey the file. npos if none.
size_t FindControl(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return i;
  }
  return std::string_view::npos;
}

void OnField(void* data, size_t len, void* ctx) {
  auto* st = static_cast<ParseState*>(ctx);
  if (st->fields.empty()) st->row_start = st->line;
  const std::string_view field(static_cast<const char*>(data), len);
  const size_t column = st->fields.size();
  if (st->error.ok()) {
    if (len > kMaxFieldBytes) {
      st->error = Status::InvalidInput(Where(*st, column) + "the field is longer than " +
                                       std::to_string(kMaxFieldBytes) + " bytes");
    } else if (FindControl(field) != std::string_view::npos) {
      st->error = Status::InvalidInput(
          Where(*st, column) +
          "the field holds a control character (such as NUL or ESC), which no name or code"
          " has; remove it and import again");
    } else if (!IsValidUtf8(field)) {
      // The first pass found UTF-8 throughout: the file changed since.
      st->error = Status::InvalidInput(Where(*st, column) +
                                       "not UTF-8 (did the file change while it was read?)");
    }
  }
  st->fields.emplace_back(field);
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
  if (++st->rows > st->max_rows) {
    st->error = Status::InvalidInput("line " + std::to_string(st->row_start) +
                                     ": more rows than at first (did the file change while it"
                                     " was read?)");
    st->fields.clear();
    return;
  }
  if (!st->have_header) {
    st->have_header = true;
    st->width = st->fields.size();
    st->header = st->fields;
    st->sink->on_header(std::move(st->fields), st->max_rows - 1);
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

// Feeds UTF-8 text a line at a time so rows and errors carry their line
// numbers. A line ends at LF, CRLF or a lone CR (old Mac exports).
Status Feed(csv_parser& parser, ParseState& st, std::string_view text, const CsvSink& sink) {
  size_t pos = 0;
  while (pos < text.size() && st.error.ok()) {
    if (st.pending_cr) {
      st.pending_cr = false;
      if (text[pos] != '\n') ++st.line;
    }
    // Between rows libcsv (in its ROW_NOT_BEGUN state, 0 in its public
    // struct) skips line ends: so do we, without a call per blank line.
    if (parser.pstate == 0 && (text[pos] == '\n' || text[pos] == '\r')) {
      st.row_bytes = 0;
      if (text[pos] == '\n') ++st.line;
      st.pending_cr = text[pos] == '\r';
      ++pos;
      continue;
    }
    if (sink.keep_going && !sink.keep_going()) return Status::Unavailable("parsing stopped");
    size_t end = pos;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    const bool at_eol = end < text.size();
    end += at_eol ? 1 : 0;
    // libcsv holds a record until it ends: a quote never closed must not
    // make it hold the rest of the file.
    st.row_bytes += end - pos;
    if (st.row_bytes > kMaxLineBytes) {
      st.error = Status::InvalidInput("line " + std::to_string(st.line) + ": a row longer than " +
                                      std::to_string(kMaxLineBytes >> 20) +
                                      " MB (a quote that is never closed?)");
      break;
    }
    const size_t fed = csv_parse(&parser, text.data() + pos, end - pos, OnField, OnRow, &st);
    if (fed != end - pos) {
      st.error = Status::InvalidInput(
          "line " + std::to_string(st.line) + ": " + csv_strerror(csv_error(&parser)) +
          " (check the quotes: a quote inside a field must be doubled)");
      break;
    }
    if (parser.pstate == 0) st.row_bytes = 0;  // between rows nothing is held
    if (at_eol && text[end - 1] == '\n') ++st.line;
    if (at_eol && text[end - 1] == '\r') st.pending_cr = true;
    pos = end;
  }
  return st.error;
}

Result<CsvTable> Parse(const Input& in, const CsvSink& sink) {
  // First pass: the encoding, decided on the whole file, and the caps.
  EncodingScanner scanner;
  Status s = ForEachPiece(in, [&](std::string_view piece, bool) { return scanner.Add(piece); });
  if (!s.ok()) return s;
  auto ev = scanner.Finish();
  if (!ev.ok()) return ev.status();

  CsvTable info;
  info.encoding = ev->encoding;
  info.delimiter = ev->delimiter;
  std::optional<Utf8Decoder> decoder;
  if (ev->encoding != "UTF-8" && ev->encoding != "UTF-8 with BOM") {
    auto d = Utf8Decoder::Open(ev->encoding.c_str());
    if (!d.ok()) return d.status();
    decoder.emplace(std::move(d).value());
  }

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return Status::Internal("libcsv could not start");
  }
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  csv_set_delim(&parser, static_cast<unsigned char>(info.delimiter));
  // libcsv grows a field's buffer by this much at a time (128 bytes by
  // default): in small steps, a 1 MB field costs gigabytes of copying.
  csv_set_blk_size(&parser, 2 * kMaxFieldBytes);

  // Second pass: decode and parse, a piece at a time.
  ParseState st;
  st.sink = &sink;
  st.max_rows = ev->data_lines;
  size_t skip = ev->skip;
  std::string text;
  s = ForEachPiece(in, [&](std::string_view piece, bool last) -> Status {
    piece.remove_prefix(std::min(skip, piece.size()));
    skip = 0;
    if (!decoder) return Feed(parser, st, piece, sink);
    if (Status d = decoder->Decode(piece, last, &text); !d.ok()) {
      return d.WithContext("after line " + std::to_string(st.line) + ": ");
    }
    return Feed(parser, st, text, sink);
  });
  if (!s.ok() && st.error.ok()) return s;
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

}  // namespace

Result<CsvTable> ParseCsvStream(std::string_view bytes, const CsvSink& sink) {
  if (bytes.size() > kMaxCsvBytes) return Status::InvalidInput("the file is larger than 512 MB");
  return Parse(Input{bytes, nullptr}, sink);
}

Result<CsvTable> ParseCsvFile(const std::string& path, const CsvSink& sink) {
  auto file = InputFile::Open(path, kMaxCsvBytes);
  if (!file.ok()) return file.status();
  auto info = Parse(Input{{}, &*file}, sink);
  if (!info.ok()) return info.status().WithContext(path + ": ");
  return info;
}

namespace {

Result<CsvTable> ParseWhole(const std::function<Result<CsvTable>(const CsvSink&)>& parse) {
  CsvTable table;
  CsvSink sink;
  sink.on_header = [&](std::vector<std::string>&& h, size_t) { table.header = std::move(h); };
  sink.on_rows = [&](std::vector<CsvRow>&& rows) {
    if (table.rows.empty()) {
      table.rows = std::move(rows);
    } else {
      table.rows.insert(table.rows.end(), std::make_move_iterator(rows.begin()),
                        std::make_move_iterator(rows.end()));
    }
  };
  auto info = parse(sink);
  if (!info.ok()) return info.status();
  table.encoding = info->encoding;
  table.delimiter = info->delimiter;
  return table;
}

}  // namespace

Result<CsvTable> ParseCsv(std::string_view bytes) {
  return ParseWhole([&](const CsvSink& sink) { return ParseCsvStream(bytes, sink); });
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  return ParseWhole([&](const CsvSink& sink) { return ParseCsvFile(path, sink); });
}

}  // namespace checkin::db
