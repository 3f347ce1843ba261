#include "common/font.h"

#include <fontconfig/fontconfig.h>
#include <unicode/unistr.h>

#include <memory>

namespace checkin {
namespace {

using PatternPtr = std::unique_ptr<FcPattern, void (*)(FcPattern*)>;

std::string FamilyOf(const FcPattern* p, int index) {
  FcChar8* family = nullptr;
  if (FcPatternGetString(p, FC_FAMILY, index, &family) != FcResultMatch) return "";
  return reinterpret_cast<const char*>(family);
}

// A font may carry several family names (localised ones, say): any will do.
bool HasFamily(const FcPattern* font, const std::string& family) {
  const auto* wanted = reinterpret_cast<const FcChar8*>(family.c_str());
  FcChar8* name = nullptr;
  for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
    if (FcStrCmpIgnoreCase(name, wanted) == 0) return true;
  }
  return false;
}

std::string InstallHint(const std::string& family) {
  if (family.rfind("DejaVu", 0) == 0) return "install fonts-dejavu-core";
  return "install a package that has it (fc-list lists the fonts there are)";
}

}  // namespace

Result<std::string> FindFontFile(std::string_view pattern) {
  const std::string text(pattern);
  PatternPtr wanted(FcNameParse(reinterpret_cast<const FcChar8*>(text.c_str())), FcPatternDestroy);
  if (!wanted) return Status::InvalidInput("not a fontconfig font name: '" + text + "'");
  // Read before substitution, which appends fallback families.
  const std::string family = FamilyOf(wanted.get(), 0);
  // The default configuration, loaded once per process by fontconfig itself.
  if (FcConfigSubstitute(nullptr, wanted.get(), FcMatchPattern) == FcFalse) {
    return Status::Internal("fontconfig could not load its configuration");
  }
  FcDefaultSubstitute(wanted.get());
  FcResult result = FcResultNoMatch;
  PatternPtr match(FcFontMatch(nullptr, wanted.get(), &result), FcPatternDestroy);
  if (!match || result != FcResultMatch || (!family.empty() && !HasFamily(match.get(), family))) {
    std::string offered = match ? FamilyOf(match.get(), 0) : "";
    return Status::NotFound("font '" + text + "' is not installed" +
                            (offered.empty() ? "" : " (the closest is '" + offered + "')") + "; " +
                            InstallHint(family));
  }
  FcChar8* file = nullptr;
  if (FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch) {
    return Status::NotFound("font '" + text + "' has no file; " + InstallHint(family));
  }
  return std::string(reinterpret_cast<const char*>(file));
}

Result<FontFace> FindFontCovering(std::string_view utf8_text, std::string_view family) {
  std::unique_ptr<FcCharSet, void (*)(FcCharSet*)> wanted_chars(FcCharSetCreate(),
                                                                FcCharSetDestroy);
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8_text.data(), static_cast<int32_t>(utf8_text.size())));
  for (int32_t i = 0; i < text.length();) {
    const UChar32 cp = text.char32At(i);
    i += U16_LENGTH(cp);
    if (cp > 0x20) FcCharSetAddChar(wanted_chars.get(), static_cast<FcChar32>(cp));
  }
  const std::string name(family);
  PatternPtr wanted(FcNameParse(reinterpret_cast<const FcChar8*>(name.c_str())), FcPatternDestroy);
  if (!wanted) return Status::InvalidInput("not a fontconfig font name: '" + name + "'");
  FcPatternAddCharSet(wanted.get(), FC_CHARSET, wanted_chars.get());
  if (FcConfigSubstitute(nullptr, wanted.get(), FcMatchPattern) == FcFalse) {
    return Status::Internal("fontconfig could not load its configuration");
  }
  FcDefaultSubstitute(wanted.get());
  FcResult result = FcResultNoMatch;
  std::unique_ptr<FcFontSet, void (*)(FcFontSet*)> sorted(
      FcFontSort(nullptr, wanted.get(), FcFalse, nullptr, &result), FcFontSetDestroy);
  for (int f = 0; sorted && f < sorted->nfont; ++f) {
    const FcPattern* font = sorted->fonts[f];
    FcCharSet* has = nullptr;
    FcChar8* format = nullptr;
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetCharSet(font, FC_CHARSET, 0, &has) != FcResultMatch ||
        FcCharSetIsSubset(wanted_chars.get(), has) == FcFalse ||
        FcPatternGetString(font, FC_FONTFORMAT, 0, &format) != FcResultMatch ||
        std::string_view(reinterpret_cast<const char*>(format)) != "TrueType" ||
        FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) {
      continue;
    }
    FcPatternGetInteger(font, FC_INDEX, 0, &index);
    return FontFace{reinterpret_cast<const char*>(file), index};
  }
  return Status::NotFound(
      "no installed TrueType font draws all these characters; install one that does "
      "(fonts-wqy-zenhei for Chinese, Japanese and Korean, "
      "fonts-lohit-deva for Devanagari, ...)");
}

}  // namespace checkin
