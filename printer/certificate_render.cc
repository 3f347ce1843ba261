#include "printer/certificate_render.h"

#include <cstdio>
#include <memory>

#include "common/font.h"
#include "printer/badge_render.h"
#include "printer/internal/haru.h"
#include "printer/qr.h"

namespace checkin::printer {
namespace {

constexpr double kPageW = 842, kPageH = 595;  // A4 landscape
constexpr double kTextW = 700;

struct Pen {
  HPDF_Page page;
  double Width(HPDF_Font f, double size, const std::string& text) const {
    HPDF_Page_SetFontAndSize(page, f, static_cast<HPDF_REAL>(size));
    return HPDF_Page_TextWidth(page, VisualOrder(text).c_str());
  }
  void Centered(HPDF_Font f, double size, double cx, double y, const std::string& text) const {
    const double x = cx - Width(f, size, text) / 2;
    HPDF_Page_BeginText(page);
    HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                      VisualOrder(text).c_str());
    HPDF_Page_EndText(page);
  }
};

// Greedy wrap at spaces; a word wider than the line stays whole.
std::vector<std::string> Wrap(const Pen& pen, HPDF_Font f, double size, const std::string& text,
                              double width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    const std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && pen.Width(f, size, longer) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void DrawFrame(HPDF_Page page) {
  HPDF_Page_SetRGBStroke(page, 0.18f, 0.43f, 0.71f);
  HPDF_Page_SetLineWidth(page, 3);
  HPDF_Page_Rectangle(page, 24, 24, static_cast<HPDF_REAL>(kPageW - 48),
                      static_cast<HPDF_REAL>(kPageH - 48));
  HPDF_Page_Stroke(page);
  HPDF_Page_SetLineWidth(page, 0.75);
  HPDF_Page_Rectangle(page, 32, 32, static_cast<HPDF_REAL>(kPageW - 64),
                      static_cast<HPDF_REAL>(kPageH - 64));
  HPDF_Page_Stroke(page);
}

struct Context {
  PdfFonts& fonts;
  const CertificateTemplate& words;
  const std::string& event_name;
  Language lang;
};

Status DrawCertificate(HPDF_Doc pdf, const Context& cx, const Certificate& c) {
  const Pen pen{HPDF_AddPage(pdf)};
  HPDF_Page_SetWidth(pen.page, static_cast<HPDF_REAL>(kPageW));
  HPDF_Page_SetHeight(pen.page, static_cast<HPDF_REAL>(kPageH));
  DrawFrame(pen.page);
  const double mid = kPageW / 2;
  auto font = [&](const std::string& text, bool bold) { return cx.fonts.For(text, bold); };

  auto title = font(cx.words.title, true);
  if (!title.ok()) return title.status().WithContext("the template's title: ");
  auto width_of = [&](HPDF_Font f) {
    return [&pen, f](const std::string& t, double size) { return pen.Width(f, size, t); };
  };
  const TextFit title_fit = FitText(cx.words.title, kTextW, 30, 14, width_of(*title), 1);
  HPDF_Page_SetRGBFill(pen.page, 0.18f, 0.43f, 0.71f);
  pen.Centered(*title, title_fit.size_pt, mid, kPageH - 115, title_fit.lines.at(0));
  HPDF_Page_SetRGBFill(pen.page, 0, 0, 0);

  const CertificateFields fields{cx.event_name, DatesText(c.dates, cx.lang),
                                 HoursText(c.minutes, cx.lang), c.ticket_type};
  double y = kPageH - 185;
  const std::string intro = FillPlaceholders(cx.words.intro, fields);
  if (!intro.empty()) {
    auto f = font(intro, false);
    if (!f.ok()) return f.status().WithContext("the template's intro: ");
    pen.Centered(*f, 15, mid, y, intro);
  }
  auto name_font = font(c.name, true);
  if (!name_font.ok()) {
    return name_font.status().WithContext("the name of attendee #" + std::to_string(c.attendee_id) +
                                          ": ");
  }
  const TextFit name = FitText(c.name, kTextW, 34, 14, width_of(*name_font), 2);
  y -= 20;
  for (const std::string& line : name.lines) {
    y -= name.size_pt * 1.2;
    pen.Centered(*name_font, name.size_pt, mid, y, line);
  }
  HPDF_Page_SetLineWidth(pen.page, 0.5);
  HPDF_Page_MoveTo(pen.page, static_cast<HPDF_REAL>(mid - 250), static_cast<HPDF_REAL>(y - 10));
  HPDF_Page_LineTo(pen.page, static_cast<HPDF_REAL>(mid + 250), static_cast<HPDF_REAL>(y - 10));
  HPDF_Page_Stroke(pen.page);
  y -= 22;
  const std::string body = FillPlaceholders(cx.words.body, fields);
  auto body_font = font(body, false);
  if (!body_font.ok()) return body_font.status().WithContext("the event name or body: ");
  for (const std::string& line : Wrap(pen, *body_font, 15, body, kTextW)) {
    y -= 15 * 1.4;
    pen.Centered(*body_font, 15, mid, y, line);
  }

  if (!cx.words.signer.empty()) {
    HPDF_Page_MoveTo(pen.page, 100, 125);
    HPDF_Page_LineTo(pen.page, 340, 125);
    HPDF_Page_Stroke(pen.page);
    auto f = font(cx.words.signer + cx.words.signer_role, false);
    if (!f.ok()) return f.status().WithContext("the template's signer: ");
    pen.Centered(*f, 12, 220, 109, cx.words.signer);
    pen.Centered(*f, 10, 220, 95, cx.words.signer_role);
  }

  auto qr = EncodeQr(c.code);
  if (!qr.ok()) return qr.status();
  const double side = 96;
  DrawQr(pen.page, *qr, kPageW - 70 - side, 84, side);
  const double qr_mid = kPageW - 70 - side / 2;
  pen.Centered(*cx.fonts.For("", false), 8, qr_mid, 70,
               cx.lang == Language::kEnglish ? "Verification code" : "Código de verificación");
  pen.Centered(*cx.fonts.For("", true), 11, qr_mid, 56, c.code);
  return Status::Ok();
}

const char* const kMonthsEs[] = {"enero",      "febrero", "marzo",     "abril",
                                 "mayo",       "junio",   "julio",     "agosto",
                                 "septiembre", "octubre", "noviembre", "diciembre"};
const char* const kMonthsEn[] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};

struct Ymd {
  int y = 0, m = 0, d = 0;
};

std::optional<Ymd> ParseDate(const std::string& s) {
  Ymd v;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &v.y, &v.m, &v.d, &tail) != 3 ||
      v.m < 1 || v.m > 12 || v.d < 1 || v.d > 31) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::string DatesText(const std::vector<std::string>& dates, Language lang) {
  const bool es = lang != Language::kEnglish;
  // Days of one month share it: "28 y 29 de noviembre de 2026".
  std::vector<std::string> parts;
  for (size_t i = 0; i < dates.size(); ++i) {
    auto d = ParseDate(dates[i]);
    if (!d) {
      parts.push_back(dates[i]);
      continue;
    }
    std::optional<Ymd> next = i + 1 < dates.size() ? ParseDate(dates[i + 1]) : std::nullopt;
    const bool same_month = next && next->y == d->y && next->m == d->m;
    std::string text = std::to_string(d->d);
    if (!same_month) {
      const size_t m = static_cast<size_t>(d->m - 1);
      text += es ? std::string(" de ") + kMonthsEs[m] + " de " + std::to_string(d->y)
                 : std::string(" ") + kMonthsEn[m] + " " + std::to_string(d->y);
    }
    parts.push_back(text);
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? (es ? " y " : " and ") : ", ";
    out += parts[i];
  }
  return out;
}

std::string HoursText(const std::optional<int64_t>& minutes, Language lang) {
  if (!minutes || *minutes < 1) return "";
  const bool es = lang != Language::kEnglish;
  const int64_t tenths = (*minutes * 10 + 30) / 60;
  std::string n = std::to_string(tenths / 10);
  if (tenths % 10 != 0) n += (es ? "," : ".") + std::to_string(tenths % 10);
  const bool one = tenths == 10;
  if (es) return ", durante " + n + (one ? " hora" : " horas");
  return ", for " + n + (one ? " hour" : " hours");
}

Result<std::string> RenderCertificates(const std::vector<Certificate>& certificates,
                                       const CertificateTemplate& words,
                                       const std::string& event_name, Language lang,
                                       const std::function<void(size_t, size_t)>& progress) {
  if (certificates.empty()) return Status::InvalidInput("no certificates to render");
  HaruErrors errors;
  HaruDoc pdf = NewUtf8Doc(errors);
  if (!pdf) return Status::Internal("libharu could not create a document");
  PdfFonts fonts(pdf.get(), errors);
  if (Status s = fonts.Init(); !s.ok()) return s.WithContext("certificate font: ");
  const Context cx{fonts, words, event_name, lang};
  for (size_t i = 0; i < certificates.size(); ++i) {
    if (progress && i % 100 == 0) progress(i, certificates.size());
    if (Status s = DrawCertificate(pdf.get(), cx, certificates[i]); !s.ok()) {
      return s.code() == StatusCode::kNotFound ? Status::InvalidInput(s.message()) : s;
    }
    if (Status s = HaruStatus(errors, "drawing the certificate of attendee #" +
                                          std::to_string(certificates[i].attendee_id));
        !s.ok())
      return s;
  }
  if (progress) progress(certificates.size(), certificates.size());
  return SaveToString(pdf.get(), errors);
}

}  // namespace checkin::printer
