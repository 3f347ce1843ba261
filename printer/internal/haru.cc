#include "printer/internal/haru.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <unicode/ubidi.h>
#include <unicode/unistr.h>
#include <unicode/ushape.h>

#include <cstdio>

#include "common/font.h"

namespace checkin::printer {

namespace {

bool HasRightToLeft(const icu::UnicodeString& u) {
  for (int32_t i = 0; i < u.length(); ++i) {
    const UChar c = u.charAt(i);
    if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFEFF)) return true;
  }
  return false;
}

}  // namespace

std::string VisualOrder(const std::string& line) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(line);
  if (!HasRightToLeft(u)) return line;
  UErrorCode err = U_ZERO_ERROR;
  std::vector<UChar> shaped(static_cast<size_t>(u.length()) * 2 + 1);
  const int32_t n =
      u_shapeArabic(u.getBuffer(), u.length(), shaped.data(), static_cast<int32_t>(shaped.size()),
                    U_SHAPE_LETTERS_SHAPE | U_SHAPE_TEXT_DIRECTION_LOGICAL, &err);
  if (U_FAILURE(err)) return line;
  std::unique_ptr<UBiDi, void (*)(UBiDi*)> bidi(ubidi_open(), ubidi_close);
  ubidi_setPara(bidi.get(), shaped.data(), n, UBIDI_DEFAULT_LTR, nullptr, &err);
  std::vector<UChar> visual(static_cast<size_t>(n) + 1);
  const int32_t m =
      ubidi_writeReordered(bidi.get(), visual.data(), static_cast<int32_t>(visual.size()),
                           UBIDI_DO_MIRRORING | UBIDI_REMOVE_BIDI_CONTROLS, &err);
  if (U_FAILURE(err)) return line;
  std::string out;
  icu::UnicodeString(visual.data(), m).toUTF8String(out);
  return out;
}

namespace {

// A font as both the PDF draws it and FreeType reads its character map.
struct LoadedFont {
  FT_Face face = nullptr;
  HPDF_Font pdf = nullptr;
};

}  // namespace

struct PdfFonts::Impl {
  HPDF_Doc pdf;
  HaruErrors& errors;
  FT_Library lib = nullptr;
  std::vector<LoadedFont> loaded;  // regular, bold, then fallbacks

  static bool Covers(const LoadedFont& f, const std::vector<uint32_t>& chars) {
    for (uint32_t c : chars) {
      if (FT_Get_Char_Index(f.face, c) == 0) return false;
    }
    return true;
  }

  Status Load(const FontFace& file) {
    LoadedFont f;
    if (FT_New_Face(lib, file.path.c_str(), file.index, &f.face) != 0) {
      return Status::NotFound("cannot open the font " + file.path);
    }
    auto pdf_font = LoadUtf8Font(pdf, errors, file.path, file.index);
    if (!pdf_font.ok()) {
      FT_Done_Face(f.face);
      return pdf_font.status();
    }
    f.pdf = *pdf_font;
    loaded.push_back(f);
    return Status::Ok();
  }
};

PdfFonts::PdfFonts(HPDF_Doc pdf, HaruErrors& errors) : impl_(new Impl{pdf, errors, nullptr, {}}) {}

PdfFonts::~PdfFonts() {
  for (LoadedFont& f : impl_->loaded) FT_Done_Face(f.face);
  if (impl_->lib != nullptr) FT_Done_FreeType(impl_->lib);
}

Status PdfFonts::Init() {
  if (FT_Init_FreeType(&impl_->lib) != 0) return Status::Internal("FreeType could not start");
  for (std::string_view pattern : {kDefaultFont, kDefaultBoldFont}) {
    auto file = FindFontFile(pattern);
    if (!file.ok()) return file.status();
    if (Status s = impl_->Load({*file, 0}); !s.ok()) return s;
  }
  return Status::Ok();
}

HPDF_Font PdfFonts::Default(bool bold) const { return impl_->loaded[bold ? 1 : 0].pdf; }

Result<HPDF_Font> PdfFonts::For(const std::string& text, bool bold) {
  std::vector<uint32_t> chars;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(VisualOrder(text));
  for (int32_t i = 0; i < u.length();) {
    const UChar32 cp = u.char32At(i);
    i += U16_LENGTH(cp);
    // libharu's UTF-8 text is 16-bit inside: it would drop these silently.
    if (cp > 0xFFFF) return Status::NotFound("characters past U+FFFF (emoji) cannot be drawn");
    if (cp > 0x20) chars.push_back(static_cast<uint32_t>(cp));
  }
  std::vector<LoadedFont>& loaded = impl_->loaded;
  if (Impl::Covers(loaded[bold ? 1 : 0], chars)) return loaded[bold ? 1 : 0].pdf;
  for (size_t i = 2; i < loaded.size(); ++i) {
    if (Impl::Covers(loaded[i], chars)) return loaded[i].pdf;
  }
  auto face = FindFontCovering(text);
  if (!face.ok()) return face.status();
  if (Status s = impl_->Load(*face); !s.ok()) return s;
  if (!Impl::Covers(loaded.back(), chars)) {
    return Status::NotFound("fontconfig offered " + face->path + ", which lacks some characters");
  }
  return loaded.back().pdf;
}

void OnHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<HaruErrors*>(user);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

Status HaruStatus(const HaruErrors& e, const std::string& what) {
  if (e.code == HPDF_OK) return Status::Ok();
  char buf[64];
  std::snprintf(buf, sizeof buf, " (libharu error 0x%04X, detail %u)",
                static_cast<unsigned>(e.code), static_cast<unsigned>(e.detail));
  return Status::Internal(what + buf);
}

HaruDoc NewUtf8Doc(HaruErrors& errors) {
  HaruDoc pdf(HPDF_New(OnHaruError, &errors), HPDF_Free);
  if (!pdf) return pdf;
  HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf.get());
  HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
  return pdf;
}

Result<HPDF_Font> LoadUtf8Font(HPDF_Doc pdf, HaruErrors& errors, const std::string& path,
                               int index) {
  // Embedded once per document: a batch stays small.
  const char* name =
      path.size() > 4 && (path.ends_with(".ttc") || path.ends_with(".TTC"))
          ? HPDF_LoadTTFontFromFile2(pdf, path.c_str(), static_cast<HPDF_UINT>(index), HPDF_TRUE)
          : HPDF_LoadTTFontFromFile(pdf, path.c_str(), HPDF_TRUE);
  if (Status s = HaruStatus(errors, "loading the font " + path); !s.ok()) return s;
  HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
  if (Status s = HaruStatus(errors, "selecting the font " + path); !s.ok()) return s;
  return font;
}

void DrawQr(HPDF_Page page, const QrMatrix& q, double x, double y, double side) {
  const double m = side / q.size;
  HPDF_Page_SetRGBFill(page, 0, 0, 0);
  for (int row = 0; row < q.size; ++row) {
    for (int col = 0; col < q.size;) {
      if (!q.at(col, row)) {
        ++col;
        continue;
      }
      int end = col;
      while (end < q.size && q.at(end, row)) ++end;
      HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(x + col * m),
                          static_cast<HPDF_REAL>(y + side - (row + 1) * m),
                          static_cast<HPDF_REAL>((end - col) * m), static_cast<HPDF_REAL>(m));
      col = end;
    }
  }
  HPDF_Page_Fill(page);
}

Result<std::string> SaveToString(HPDF_Doc pdf, const HaruErrors& errors) {
  if (HPDF_SaveToStream(pdf) != HPDF_OK) return HaruStatus(errors, "writing the PDF");
  std::string out(HPDF_GetStreamSize(pdf), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
  out.resize(size);
  if (Status s = HaruStatus(errors, "reading the PDF back"); !s.ok()) return s;
  return out;
}

}  // namespace checkin::printer
