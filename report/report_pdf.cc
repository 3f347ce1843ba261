// The report as a PDF for people (libharu): A4 pages, the headline figures,
// then each section's chart, drawn as vector paths, and its table, broken
// across pages with the header repeated. Text in DejaVu Sans, embedded, as
// the badges use it; a name DejaVu cannot draw (Chinese, Devanagari) in the
// font fontconfig offers for it, Arabic and Hebrew in visual order.
#include <hpdf.h>

#include <algorithm>
#include <memory>
#include <string>

#include "printer/internal/haru.h"
#include "report/document.h"
#include "report/report.h"

namespace checkin::report {
namespace {

constexpr double kPageW = 595.28, kPageH = 841.89;  // A4
constexpr double kMargin = 50;
constexpr double kWidth = kPageW - 2 * kMargin;

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.11, 0.15, 0.2}, kGrey{0.29, 0.33, 0.41}, kRule{0.8, 0.84, 0.88},
    kBar{0.17, 0.42, 0.69};

class Pages {
 public:
  Pages(HPDF_Doc doc, printer::PdfFonts& fonts, std::string footer)
      : doc_(doc), fonts_(fonts), footer_(std::move(footer)) {}

  void NewPage() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetWidth(page_, static_cast<HPDF_REAL>(kPageW));
    HPDF_Page_SetHeight(page_, static_cast<HPDF_REAL>(kPageH));
    ++number_;
    y_ = kPageH - kMargin;
    Text(false, 8, kMargin, kMargin / 2, footer_ + " · " + std::to_string(number_), kGrey);
  }
  // Room for `h` more points on this page, or a new page.
  void Need(double h) {
    if (page_ == nullptr || y_ - h < kMargin) NewPage();
  }
  double& y() { return y_; }

  double Width(bool bold, double size, const std::string& s) const {
    HPDF_Page_SetFontAndSize(page_, Font(bold, s), static_cast<HPDF_REAL>(size));
    return HPDF_Page_TextWidth(page_, printer::VisualOrder(s).c_str());
  }
  // `s` cut at a character boundary, with an ellipsis, to fit `w` points.
  std::string Fit(bool bold, double size, const std::string& s, double w) const {
    if (Width(bold, size, s) <= w) return s;
    std::string cut = s;
    while (!cut.empty() && Width(bold, size, cut + "…") > w) {
      do cut.pop_back();
      while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);
      if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0) cut.pop_back();
    }
    return cut + "…";
  }
  void Text(bool bold, double size, double x, double y, const std::string& s, Rgb c = kInk) {
    HPDF_Page_SetRGBFill(page_, static_cast<HPDF_REAL>(c.r), static_cast<HPDF_REAL>(c.g),
                         static_cast<HPDF_REAL>(c.b));
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, Font(bold, s), static_cast<HPDF_REAL>(size));
    HPDF_Page_TextOut(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                      printer::VisualOrder(s).c_str());
    HPDF_Page_EndText(page_);
  }
  void TextRight(bool bold, double size, double right, double y, const std::string& s) {
    Text(bold, size, right - Width(bold, size, s), y, s);
  }
  void Box(double x, double y, double w, double h, Rgb c) {
    HPDF_Page_SetRGBFill(page_, static_cast<HPDF_REAL>(c.r), static_cast<HPDF_REAL>(c.g),
                         static_cast<HPDF_REAL>(c.b));
    HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                        static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Fill(page_);
  }
  void Rule(double x1, double y1, double x2, double y2, Rgb c, double width = 0.5) {
    HPDF_Page_SetRGBStroke(page_, static_cast<HPDF_REAL>(c.r), static_cast<HPDF_REAL>(c.g),
                           static_cast<HPDF_REAL>(c.b));
    HPDF_Page_SetLineWidth(page_, static_cast<HPDF_REAL>(width));
    HPDF_Page_MoveTo(page_, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y1));
    HPDF_Page_LineTo(page_, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y2));
    HPDF_Page_Stroke(page_);
  }

 private:
  // A text no installed font covers whole (an emoji) is drawn in the
  // default: its other letters still show, and the report is not refused
  // over one attendee's name.
  HPDF_Font Font(bool bold, const std::string& s) const {
    auto f = fonts_.For(s, bold);
    return f.ok() ? *f : fonts_.Default(bold);
  }

  HPDF_Doc doc_;
  HPDF_Page page_ = nullptr;
  printer::PdfFonts& fonts_;
  std::string footer_;
  int number_ = 0;
  double y_ = 0;
};

void DrawHeadline(Pages& p, const Document& d) {
  p.Need(120);
  p.Text(true, 20, kMargin, p.y() - 20, d.title);
  p.Text(true, 14, kMargin, p.y() - 42, d.event);
  p.Text(false, 10, kMargin, p.y() - 58, d.subtitle, kGrey);
  p.y() -= 80;
  // Two columns of label and figure.
  const double col_w = kWidth / 2, row_h = 30;
  for (size_t i = 0; i < d.headline.size(); ++i) {
    if (i % 2 == 0) p.Need(row_h);
    const double x = kMargin + col_w * static_cast<double>(i % 2);
    p.Text(false, 9, x, p.y() - 10, d.headline[i].label, kGrey);
    p.Text(true, 15, x, p.y() - 26, d.headline[i].value.text);
    if (i % 2 == 1 || i + 1 == d.headline.size()) p.y() -= row_h + 4;
  }
}

void DrawChart(Pages& p, const Section& s) {
  const ChartPlan plan = PlanChart(s);
  if (plan.values.empty()) return;
  if (!plan.columns) {
    const double row_h = 15, label_w = 150, bar_max = kWidth - label_w - 60;
    p.Need(row_h * static_cast<double>(plan.values.size()) + 10);
    for (size_t i = 0; i < plan.values.size(); ++i) {
      const double y = p.y() - row_h * static_cast<double>(i + 1);
      const double w = bar_max * plan.values[i] / plan.axis_max;
      p.TextRight(false, 8, kMargin + label_w - 6, y + 4,
                  p.Fit(false, 8, plan.labels[i], label_w - 10));
      if (w > 0) p.Box(kMargin + label_w, y + 1, w, row_h - 4, kBar);
      p.Text(false, 8, kMargin + label_w + w + 4, y + 4, s.rows[i][s.chart->value_column].text);
    }
    p.y() -= row_h * static_cast<double>(plan.values.size()) + 10;
    return;
  }
  const double plot_h = 150, left = 36, plot_w = kWidth - left;
  p.Need(plot_h + 34);
  const double base = p.y() - plot_h - 6;
  for (const auto& [share, mark] : plan.ticks) {
    const double y = base + plot_h * share;
    p.Rule(kMargin + left, y, kMargin + kWidth, y, kRule, 0.4);
    p.TextRight(false, 7, kMargin + left - 4, y - 2, mark);
  }
  const double step = plot_w / static_cast<double>(plan.values.size());
  for (size_t i = 0; i < plan.values.size(); ++i) {
    const double x = kMargin + left + step * static_cast<double>(i);
    const double h = plot_h * plan.values[i] / plan.axis_max;
    if (h > 0) p.Box(x + step * 0.1, base, step * 0.8, h, kBar);
    if (i % plan.label_every == 0) p.Text(false, 6.5, x, base - 10, plan.labels[i], kGrey);
  }
  p.y() = base - 24;
}

void DrawTable(Pages& p, const Section& s) {
  const size_t n = s.header.size();
  if (n == 0) return;
  // The first column (names) takes what the figures leave.
  const double fig_w = n == 1 ? 0 : std::min(90.0, kWidth * 0.6 / static_cast<double>(n - 1));
  const double first_w = kWidth - fig_w * static_cast<double>(n - 1);
  auto x_of = [&](size_t c) {
    return kMargin + (c == 0 ? 0 : first_w + fig_w * static_cast<double>(c - 1));
  };
  const double row_h = 13;
  auto header = [&] {
    p.Need(row_h * 2);
    for (size_t c = 0; c < n; ++c) {
      const double w = c == 0 ? first_w : fig_w;
      const std::string h = p.Fit(true, 8, s.header[c], w - 6);
      if (c == 0) {
        p.Text(true, 8, x_of(c), p.y() - 10, h);
      } else {
        p.TextRight(true, 8, x_of(c) + w - 4, p.y() - 10, h);
      }
    }
    p.y() -= row_h;
    p.Rule(kMargin, p.y() + 1, kMargin + kWidth, p.y() + 1, kInk, 0.6);
  };
  header();
  for (const auto& row : s.rows) {
    if (p.y() - row_h < kMargin) {
      p.NewPage();
      header();
    }
    for (size_t c = 0; c < n && c < row.size(); ++c) {
      const double w = c == 0 ? first_w : fig_w;
      const std::string t = p.Fit(false, 8, row[c].text, w - 6);
      if (row[c].number) {
        p.TextRight(false, 8, x_of(c) + w - 4, p.y() - 10, t);
      } else {
        p.Text(false, 8, x_of(c), p.y() - 10, t);
      }
    }
    p.y() -= row_h;
    p.Rule(kMargin, p.y() + 1, kMargin + kWidth, p.y() + 1, kRule, 0.3);
  }
  p.y() -= 6;
}

}  // namespace

Result<std::string> ReportPdf(const Report& r, Language lang) {
  const Document d = LayOut(r, lang);
  printer::HaruErrors errors;
  printer::HaruDoc pdf = printer::NewUtf8Doc(errors);
  if (!pdf) return Status::Internal("libharu could not create a document");
  HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_TITLE, (d.title + " · " + d.event).c_str());
  HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "checkin");
  printer::PdfFonts fonts(pdf.get(), errors);
  if (Status s = fonts.Init(); !s.ok()) return s;
  Pages p(pdf.get(), fonts, d.event + " · " + d.footer);
  DrawHeadline(p, d);
  for (const Section& s : d.sections) {
    // A title is never left alone at the foot of a page.
    p.Need(s.chart ? 120 : 60);
    p.y() -= 14;
    p.Text(true, 13, kMargin, p.y() - 12, s.title);
    p.Rule(kMargin, p.y() - 17, kMargin + kWidth, p.y() - 17, kBar, 1.2);
    p.y() -= 24;
    if (!s.note.empty()) {
      p.Text(false, 8, kMargin, p.y() - 9, p.Fit(false, 8, s.note, kWidth), kGrey);
      p.y() -= 16;
    }
    DrawChart(p, s);
    DrawTable(p, s);
  }
  return printer::SaveToString(pdf.get(), errors);
}

}  // namespace checkin::report
