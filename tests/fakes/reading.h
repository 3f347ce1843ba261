// Names in many scripts, and text read back from a PDF (pdftotext) compared as a reader means it:
// compatibility forms folded (Arabic's joined letters are presentation
// forms, which the renderers draw) and bidi controls dropped. Header-only,
// for tests.
#pragma once

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>
#include <utility>
#include <vector>

namespace checkin::testing {

// First and last names in seven scripts, as attendees register them: Arabic
// and Hebrew are drawn right to left, Arabic in its joined forms, Chinese
// and Devanagari in fonts other than DejaVu Sans.
inline const std::vector<std::pair<std::string, std::string>> kNamesInSevenScripts = {
    {"María José", "Muñoz Peña"},
    {"Γιώργος", "Παπαδόπουλος"},
    {"Анна", "Иванова"},
    {"محمد", "العلي"},
    {"דוד", "כהן"},
    {"王", "小明"},
    {"प्रिया", "शर्मा"},
};

inline std::string Meaning(const std::string& utf8) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
  icu::UnicodeString u = nfkc->normalize(icu::UnicodeString::fromUTF8(utf8), err);
  std::string out;
  for (int32_t i = 0; i < u.length(); ++i) {
    const UChar c = u.charAt(i);
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F)
      continue;
    icu::UnicodeString(c).toUTF8String(out);
  }
  return out;
}

}  // namespace checkin::testing
