// What a volunteer reads for each decision, in Spanish (the default) or English.
// Messages name the attendee and say what to do next. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/records.h"
#include "common/verdict.h"

namespace checkin {

enum class Language { kSpanish, kEnglish };
std::optional<Language> ParseLanguage(std::string_view code);  // "es", "en"

// The verdict as one or two shouted words: "ADMITIDO", "YA INGRESÓ", ...
std::string VerdictLabel(Verdict v, Language lang);

// `tz` is the event's IANA time zone, for "ya ingresó a las 08:12". Safe to
// print: the names it embeds pass through ForTerminal (common/text.h).
std::string VolunteerMessage(const Decision& d, Language lang, const std::string& tz);

// What a paired station shows while it decides without the hub: the band
// across the top of the station window, the line under a redeem.
std::string HubAwayLine(Language lang);

// `es` or `en`, whichever `lang` asks for: a one-off sentence that has no
// place in the tables of this file.
std::string Localized(Language lang, std::string_view es, std::string_view en);

// "NO registrado, no dejar pasar todavía: ": what goes before every failure
// to record a check-in, so nothing a volunteer reads looks like an admission.
std::string NotRecordedPrefix(Language lang);

// A printer's state in words, CUPS's reasons translated where known:
// "en pausa: sin papel", "lista", "no responde (...)". Reasons it does not
// know are kept, in parentheses, as the print server said them (through
// ForTerminal).
std::string PrinterStateWords(const PrinterState& s, Language lang);

// Why an event file cannot be used, naming the file and what to do next.
enum class DatabaseTrouble {
  kForeign,       // another program's SQLite file (left unchanged)
  kNotADatabase,  // not SQLite at all
  kReadOnly,      // the file or its folder cannot be written
  kDiskFull,      // no space left on its disk
  kMoved,         // deleted, renamed or replaced while open
};
std::string DatabaseTroubleMessage(DatabaseTrouble t, const std::string& path, Language lang);

}  // namespace checkin
