// The one encoding decision for an imported file, made on evidence from the
// whole file (byte-order marks, valid and invalid UTF-8 sequences, the NULs of
// UTF-16), together with the counts the parser needs before it starts. Internal
// to db/csv_table.cc; one scanner per file, not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin::db {

// No line of an attendee export comes near this; it bounds what the parser
// holds at once.
inline constexpr size_t kMaxLineBytes = 1u << 20;
// No attendee export comes near this either; it bounds what an import reserves.
inline constexpr size_t kMaxDataLines = 2'000'000;

struct TextEvidence {
  std::string encoding;  // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "windows-1252", ...
  size_t skip = 0;       // bytes of byte-order mark to leave out
  // Lines holding more than spaces, delimiters and quotes: no fewer than the rows.
  size_t data_lines = 0;
  char delimiter = ',';
};

class EncodingScanner {
 public:
  // The file's bytes in order, in pieces of an even size but the last.
  // InvalidInput as soon as a line is longer than kMaxLineBytes or there are
  // more than kMaxDataLines lines with data; the scan is then over.
  Status Add(std::string_view bytes);
  // InvalidInput naming the line and column of the first bad byte for a file
  // in UTF-8 but for a few bytes, which is refused rather than guessed.
  Result<TextEvidence> Finish();

 private:
  enum class Mode { kUnknown, kBytes, kUtf16Le, kUtf16Be };
  void Sniff(std::string_view first);
  void Byte(uint8_t b);
  void Unit(uint32_t u);
  void EndLine();
  void Bad();

  Mode mode_ = Mode::kUnknown;
  TextEvidence ev_;
  Status error_;
  // Lines, for the caps and the delimiter (as Spanish Excel writes ';').
  size_t line_ = 1, column_ = 0, line_units_ = 0;
  bool line_has_data_ = false, prev_cr_ = false, quoted_ = false, delimiter_done_ = false;
  size_t commas_ = 0, semis_ = 0, tabs_ = 0;
  int carry_ = -1;  // the odd byte of a UTF-16 unit split between pieces
  // UTF-8: the sequence being read, what was found.
  int need_ = 0;
  uint8_t lo_ = 0x80, hi_ = 0xBF;
  size_t multibyte_ = 0, bad_ = 0, bad_line_ = 0, bad_column_ = 0;
  bool bom8_ = false, undefined_in_1252_ = false;
};

}  // namespace checkin::db
