// What a volunteer reads for each decision, in Spanish (the default) or English.
// Messages name the attendee and say what to do next. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/verdict.h"

namespace checkin {

enum class Language { kSpanish, kEnglish };
std::optional<Language> ParseLanguage(std::string_view code);  // "es", "en"

// The verdict as one or two shouted words: "ADMITIDO", "YA INGRESÓ", ...
std::string VerdictLabel(Verdict v, Language lang);

// `tz` is the event's IANA time zone, for "ya ingresó a las 08:12". Safe to
// print: the names it embeds pass through ForTerminal (common/text.h).
std::string VolunteerMessage(const Decision& d, Language lang, const std::string& tz);

}  // namespace checkin
