#include "db/csv_encoding.h"

#include <algorithm>

namespace checkin::db {

void EncodingScanner::Sniff(std::string_view first) {
  mode_ = Mode::kBytes;
  if (first.substr(0, 3) == "\xEF\xBB\xBF") {
    bom8_ = true;
    ev_.skip = 3;
    return;
  }
  if (first.substr(0, 2) == "\xFF\xFE" || first.substr(0, 2) == "\xFE\xFF") {
    mode_ = first[0] == '\xFF' ? Mode::kUtf16Le : Mode::kUtf16Be;
    ev_.skip = 2;
    return;
  }
  // No mark: a UTF-16 export of mostly ASCII text has a NUL in every other
  // byte, which text in any 8-bit encoding never has.
  const std::string_view head = first.substr(0, 65536);
  size_t nul_even = 0, nul_odd = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\0') ++(i % 2 == 0 ? nul_even : nul_odd);
  }
  const size_t units = head.size() / 2;
  if (units >= 2 && nul_odd * 4 >= units && nul_even * 8 <= nul_odd) mode_ = Mode::kUtf16Le;
  if (units >= 2 && nul_even * 4 >= units && nul_odd * 8 <= nul_even) mode_ = Mode::kUtf16Be;
}

Status EncodingScanner::Add(std::string_view bytes) {
  if (!error_.ok()) return error_;
  if (mode_ == Mode::kUnknown) {
    Sniff(bytes);
    bytes.remove_prefix(std::min(ev_.skip, bytes.size()));
  }
  if (mode_ == Mode::kBytes) {
    for (size_t i = 0; i < bytes.size() && error_.ok(); ++i) {
      const auto b = static_cast<uint8_t>(bytes[i]);
      if (b < 0x80 && need_ == 0) {
        ++column_;
        Unit(b);
      } else {
        Byte(b);
      }
    }
    return error_;
  }
  const bool le = mode_ == Mode::kUtf16Le;
  for (size_t i = 0; i < bytes.size() && error_.ok(); ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    if (carry_ < 0) {
      carry_ = b;
      continue;
    }
    const auto first = static_cast<uint32_t>(carry_);
    carry_ = -1;
    ++column_;
    Unit(le ? first | (uint32_t{b} << 8) : (first << 8) | b);
  }
  return error_;
}

// UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing past U+10FFFF.
void EncodingScanner::Byte(uint8_t b) {
  if (need_ > 0) {
    if (b >= lo_ && b <= hi_) {
      lo_ = 0x80;
      hi_ = 0xBF;
      if (--need_ == 0) ++multibyte_;
      Unit(b);
      return;
    }
    Bad();  // the sequence broke off; `b` starts afresh
    need_ = 0;
    if (b < 0x80) {
      ++column_;
      Unit(b);
      return;
    }
  }
  ++column_;
  undefined_in_1252_ =
      undefined_in_1252_ || b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
  lo_ = 0x80;
  hi_ = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    need_ = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need_ = 2;
    if (b == 0xE0) lo_ = 0xA0;
    if (b == 0xED) hi_ = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need_ = 3;
    if (b == 0xF0) lo_ = 0x90;
    if (b == 0xF4) hi_ = 0x8F;
  } else {
    Bad();
  }
  Unit(b);
}

void EncodingScanner::Bad() {
  if (bad_++ == 0) {
    bad_line_ = line_;
    bad_column_ = column_;
  }
}

void EncodingScanner::Unit(uint32_t u) {
  if (u == '\n' && prev_cr_) {  // the second half of a CRLF
    prev_cr_ = false;
    return;
  }
  // A lone CR ends a line too: old Mac exports have nothing else.
  prev_cr_ = u == '\r';
  if (u == '\n' || u == '\r') {
    EndLine();
    return;
  }
  if (++line_units_ > kMaxLineBytes) {
    error_ = Status::InvalidInput("line " + std::to_string(line_) + " is longer than " +
                                  std::to_string(kMaxLineBytes >> 20) +
                                  " MB: this is not an attendee export");
    return;
  }
  if (u != ' ' && u != '\t' && u != ',' && u != ';' && u != '"') line_has_data_ = true;
  if (delimiter_done_) return;
  if (u == '"') quoted_ = !quoted_;
  if (quoted_) return;
  commas_ += u == ',';
  semis_ += u == ';';
  tabs_ += u == '\t';
}

void EncodingScanner::EndLine() {
  ++line_;
  column_ = 0;
  line_units_ = 0;
  // The delimiter is whichever of , ; TAB occurs most in the header line
  // outside quotes.
  if (!quoted_ && commas_ + semis_ + tabs_ > 0) delimiter_done_ = true;
  if (!line_has_data_) return;
  line_has_data_ = false;
  if (++ev_.data_lines > kMaxDataLines) {
    error_ = Status::InvalidInput("more than " + std::to_string(kMaxDataLines) +
                                  " lines: this is not an attendee export");
  }
}

Result<TextEvidence> EncodingScanner::Finish() {
  if (!error_.ok()) return error_;
  if (need_ > 0) Bad();  // cut off at the end
  if (line_has_data_) ++ev_.data_lines;
  line_has_data_ = false;
  if (semis_ > commas_ && semis_ >= tabs_) {
    ev_.delimiter = ';';
  } else if (tabs_ > commas_ && tabs_ > semis_) {
    ev_.delimiter = '\t';
  }
  const std::string where =
      "line " + std::to_string(bad_line_) + ", column " + std::to_string(bad_column_) + ": ";
  const std::string what_to_do =
      " Nothing was imported. Fix that character, or save the file again as UTF-8 (in Excel:"
      " \"CSV UTF-8\") and import it again.";
  switch (mode_) {
    case Mode::kUtf16Le:
      ev_.encoding = "UTF-16LE";
      return ev_;
    case Mode::kUtf16Be:
      ev_.encoding = "UTF-16BE";
      return ev_;
    default:
      break;
  }
  if (bom8_) {
    if (bad_ > 0) {
      return Status::InvalidInput(where +
                                  "this byte is not UTF-8, although the file starts with the"
                                  " UTF-8 mark." +
                                  what_to_do);
    }
    ev_.encoding = "UTF-8 with BOM";
    return ev_;
  }
  if (bad_ == 0) {
    ev_.encoding = "UTF-8";
    return ev_;
  }
  // Valid multi-byte sequences almost never occur by chance in a Windows-1252
  // file, so a file with as many of them as bad bytes is UTF-8 with a few
  // stray bytes: decoding it whole as Windows-1252 would garble every accent.
  if (multibyte_ > 0 && multibyte_ >= bad_) {
    return Status::InvalidInput(where +
                                "this byte is not UTF-8, although the rest of the file is"
                                " UTF-8 (a character pasted from another program?)." +
                                what_to_do);
  }
  // Excel on a Spanish-locale Windows saves "CSV" as Windows-1252, a superset
  // of Latin-1 for every printable character; the five bytes it leaves
  // undefined are read as Latin-1.
  ev_.encoding = undefined_in_1252_ ? "ISO-8859-1" : "windows-1252";
  return ev_;
}

}  // namespace checkin::db
