// UTF-8 text helpers: validation, accent/case folding, trimming, privacy masks and
// conversion of legacy encodings. Pure functions; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin {

bool IsValidUtf8(std::string_view s);

// Lower-cases and removes diacritics: "José MUÑOZ" -> "jose munoz". Used for
// matching header names, ticket types and gates, not for storage.
std::string Fold(std::string_view utf8);

// Trims ASCII whitespace from both ends.
std::string_view Trim(std::string_view s);

// Collapses inner runs of whitespace to one space and trims the ends.
std::string NormalizeSpaces(std::string_view s);

// "maria.munoz@example.co" -> "m***@example.co": what may appear in logs and
// on screens that strangers can read.
std::string MaskEmail(std::string_view email);

// Converts bytes in a legacy encoding ("windows-1252", "ISO-8859-1", "UTF-16LE")
// to UTF-8. InvalidInput if the bytes are not valid in that encoding.
Result<std::string> ToUtf8(std::string_view bytes, const char* encoding);

// The same conversion a piece at a time, so a large file never has to be in
// memory whole: a character split between two pieces is carried over.
// Not thread-safe; one per stream.
class Utf8Decoder {
 public:
  // Internal for an encoding ICU does not know.
  static Result<Utf8Decoder> Open(const char* encoding);
  Utf8Decoder(Utf8Decoder&&) noexcept;
  Utf8Decoder& operator=(Utf8Decoder&&) noexcept;
  ~Utf8Decoder();
  // Replaces `out` with the UTF-8 of `bytes`; `last` for the final piece.
  // InvalidInput if the bytes are not valid in the encoding.
  Status Decode(std::string_view bytes, bool last, std::string* out);

 private:
  struct State;
  explicit Utf8Decoder(std::unique_ptr<State> st);
  std::unique_ptr<State> st_;
};

}  // namespace checkin
