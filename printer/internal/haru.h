// libharu plumbing shared by the PDF renderers (the printer's badges and
// certificates, the attendance report's PDF): errors as values, a document
// owned by a unique_ptr, the QR painted as vector rectangles, the finished
// PDF as bytes. For those renderers' .cc files only: it speaks libharu's
// types, which no public header may (the layering check holds report/ to it).
#pragma once

#include <hpdf.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "common/result.h"
#include "printer/qr.h"

namespace checkin::printer {

// libharu reports errors through a callback; we keep the first one and check
// it after each step that can fail.
struct HaruErrors {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* user);

// Ok, or Internal naming `what` and libharu's codes.
Status HaruStatus(const HaruErrors& e, const std::string& what);

using HaruDoc = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)>;

// A compressed document writing UTF-8 text, reporting into `errors` (which
// must outlive it). Null when libharu cannot allocate one.
HaruDoc NewUtf8Doc(HaruErrors& errors);

// Loads a TrueType file (`index` in a collection) embedded, as a UTF-8 font.
Result<HPDF_Font> LoadUtf8Font(HPDF_Doc pdf, HaruErrors& errors, const std::string& path,
                               int index = 0);

// Paints `q` black, `side` points square, lower-left corner at (x, y), with
// one rectangle per horizontal run of dark modules.
void DrawQr(HPDF_Page page, const QrMatrix& q, double x, double y, double side);

// A line as it is painted. libharu draws characters left to right, one
// glyph each: Arabic and Hebrew must be given in visual order, and Arabic
// letters in their joined forms (ICU's shaping), or a name would read
// backwards in unjoined letters. Text extraction (pdftotext, a screen
// reader) turns them back into logical order. Text without them is
// returned as it is.
std::string VisualOrder(const std::string& line);

// A document's fonts: DejaVu Sans regular and bold, then whatever font
// fontconfig offers for text they cannot draw (a name in Chinese or
// Devanagari), each loaded and embedded once. Names come in every script;
// a font without their letters would draw empty boxes.
class PdfFonts {
 public:
  PdfFonts(HPDF_Doc pdf, HaruErrors& errors);  // both must outlive it
  ~PdfFonts();
  PdfFonts(const PdfFonts&) = delete;
  PdfFonts& operator=(const PdfFonts&) = delete;

  // Loads the two defaults; NotFound when DejaVu Sans is not installed.
  Status Init();
  // The font to draw all of VisualOrder(`text`) with: the default (bold)
  // when it can, else a fallback; NotFound when no installed font can (or
  // for characters past U+FFFF, which libharu would drop silently).
  Result<HPDF_Font> For(const std::string& text, bool bold);
  HPDF_Font Default(bool bold) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The finished document's bytes.
Result<std::string> SaveToString(HPDF_Doc pdf, const HaruErrors& errors);

}  // namespace checkin::printer
