#include "printer/internal/haru.h"

#include <cstdio>

namespace checkin::printer {

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
