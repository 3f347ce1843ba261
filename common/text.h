// UTF-8 text helpers: validation, accent/case folding, trimming, privacy masks and
// conversion of legacy encodings. Pure functions; thread-safe.
#pragma once

#include <cstdint>
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

// Every address in `text` masked: "maria.munoz@example.co; jo@x.co" ->
// "m***@example.co; j***@x.co": what may appear in logs and on screens that
// strangers can read. Text with no '@' at all becomes "***".
std::string MaskEmail(std::string_view text);

// A code point a terminal acts on instead of showing: C0 controls, DEL, C1
// controls (U+0080-U+009F; some terminals read U+009B as CSI), the bidi
// embeddings, overrides and isolates that reorder what follows, and the
// Unicode line and paragraph separators.
bool IsTerminalControl(uint32_t cp);

// Outside text (a name, an event or station name, a file name, a message
// that embeds one) made safe to write to a terminal: each terminal control
// becomes a visible escape ("\x1B", "\u202E") and each byte of invalid
// UTF-8 becomes "\xNN". The one writer for people: everything from a file,
// a payload or the database passes through it before a screen. Idempotent.
std::string ForTerminal(std::string_view text);

// A camera or stream URL as it may be shown or logged: the password of
// "user:pass@" and the values of query or fragment parameters that look like
// secrets (password, pass, pwd, token, key, secret, auth, sig, ...) become
// "***". Text without "://" is returned as it is.
std::string RedactUrl(std::string_view url);

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

// `text` safe inside HTML text and quoted attributes (the pages, the
// report's HTML).
std::string HtmlEscape(std::string_view text);

// `text` as a spreadsheet cell that cannot run: one starting like a formula
// (= + - @, or a tab or carriage return a spreadsheet may skip before one)
// gets a leading apostrophe, as OWASP advises for CSV files people open
// (the report's tables, the certificates' mail-merge list). Names come from
// whoever registered.
std::string DefuseFormula(std::string_view text);

}  // namespace checkin
