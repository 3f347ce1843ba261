// The report as one self-contained HTML file: inline CSS, charts as inline
// SVG, no script and nothing fetched, so it opens from a mail attachment or
// a USB stick, offline, and prints.
#include <cstdio>
#include <string>

#include "common/text.h"
#include "report/document.h"
#include "report/report.h"

namespace checkin::report {
namespace {

std::string Esc(const std::string& s) { return HtmlEscape(s); }

constexpr const char* kStyle = R"css(
body{font-family:"DejaVu Sans",system-ui,sans-serif;color:#1d2733;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{margin:0;font-size:1.6rem}h2{font-size:1.15rem;margin:2rem 0 .3rem;border-bottom:2px solid #2b6cb0;padding-bottom:.2rem}
.event{font-size:1.25rem;font-weight:bold;margin:.2rem 0}.sub,.note,footer{color:#4a5568;font-size:.9rem}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem;margin:1.2rem 0}
.figure{border:1px solid #cbd5e0;border-radius:.4rem;padding:.5rem .7rem}.figure b{display:block;font-size:1.4rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{padding:.2rem .6rem;border-bottom:1px solid #e2e8f0;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto;margin:.5rem 0}
svg text{font-size:11px;fill:#1d2733}footer{margin-top:2rem}
@media print{h2{break-after:avoid}table,svg{break-inside:avoid}}
)css";

// Bars across for a few labelled rows; columns for a long series.
std::string Svg(const Section& s) {
  const ChartPlan p = PlanChart(s);
  if (p.values.empty()) return "";
  std::string o;
  char buf[256];
  if (!p.columns) {
    const double label_w = 180, bar_w = 420, row_h = 22;
    const double h = row_h * static_cast<double>(p.values.size()) + 10;
    std::snprintf(buf, sizeof buf,
                  "<svg role=\"img\" class=\"bars\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\">"
                  "<title>",
                  label_w + bar_w + 70, h, label_w + bar_w + 70);
    o += buf + Esc(s.chart->title) + "</title>";
    for (size_t i = 0; i < p.values.size(); ++i) {
      const double y = static_cast<double>(i) * row_h + 4;
      const double w = bar_w * p.values[i] / p.axis_max;
      std::snprintf(buf, sizeof buf, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
                    label_w - 6, y + 14);
      o += buf + Esc(p.labels[i]) + "</text>";
      std::snprintf(buf, sizeof buf,
                    "<rect class=\"bar\" x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
                    "fill=\"#2b6cb0\"/><text x=\"%.1f\" y=\"%.1f\">",
                    label_w, y, w, row_h - 6, label_w + w + 4, y + 14);
      o += buf + Esc(s.rows[i][s.chart->value_column].text) + "</text>";
    }
    return o + "</svg>";
  }
  const double left = 40, plot_w = 860, plot_h = 220, top = 10;
  const double step = plot_w / static_cast<double>(p.values.size());
  std::snprintf(buf, sizeof buf,
                "<svg role=\"img\" class=\"columns\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\">"
                "<title>",
                left + plot_w + 10, top + plot_h + 40, left + plot_w + 10);
  o += buf + Esc(s.chart->title) + "</title>";
  for (const auto& [share, mark] : p.ticks) {
    const double y = top + plot_h - plot_h * share;
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#e2e8f0\"/>"
                  "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                  left, y, left + plot_w, y, left - 4, y + 4, mark.c_str());
    o += buf;
  }
  for (size_t i = 0; i < p.values.size(); ++i) {
    const double h = plot_h * p.values[i] / p.axis_max;
    const double x = left + step * static_cast<double>(i);
    std::snprintf(buf, sizeof buf,
                  "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                  "fill=\"#2b6cb0\"><title>",
                  x + step * 0.1, top + plot_h - h, step * 0.8, h);
    o += buf + Esc(p.labels[i]) + ": " + Esc(s.rows[i][s.chart->value_column].text) +
         "</title></rect>";
    if (i % p.label_every == 0) {
      std::snprintf(buf, sizeof buf, "<text x=\"%.2f\" y=\"%.0f\">", x, top + plot_h + 16);
      o += buf + Esc(p.labels[i]) + "</text>";
    }
  }
  return o + "</svg>";
}

std::string TableHtml(const Section& s) {
  std::string o = "<table><thead><tr>";
  for (const std::string& h : s.header) o += "<th>" + Esc(h) + "</th>";
  o += "</tr></thead><tbody>";
  for (const auto& row : s.rows) {
    o += "<tr>";
    for (const Cell& c : row) {
      o += c.number ? "<td class=\"n\">" : "<td>";
      o += Esc(c.text) + "</td>";
    }
    o += "</tr>";
  }
  return o + "</tbody></table>";
}

}  // namespace

std::string ReportHtml(const Report& r, Language lang) {
  const Document d = LayOut(r, lang);
  std::string o = "<!DOCTYPE html>\n<html lang=\"";
  o += lang == Language::kSpanish ? "es" : "en";
  o += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
       "content=\"width=device-width,initial-scale=1\"><title>" +
       Esc(d.title + " · " + d.event) + "</title><style>" + kStyle + "</style></head><body>";
  o += "<h1>" + Esc(d.title) + "</h1><p class=\"event\">" + Esc(d.event) + "</p><p class=\"sub\">" +
       Esc(d.subtitle) + "</p><div class=\"figures\">";
  for (const Headline& h : d.headline) {
    o += "<div class=\"figure\">" + Esc(h.label) + "<b>" + Esc(h.value.text) + "</b></div>";
  }
  o += "</div>";
  for (const Section& s : d.sections) {
    o += "<section><h2>" + Esc(s.title) + "</h2>";
    if (!s.note.empty()) o += "<p class=\"note\">" + Esc(s.note) + "</p>";
    o += Svg(s);
    o += TableHtml(s) + "</section>";
  }
  o += "<footer>" + Esc(d.footer) + "</footer></body></html>\n";
  return o;
}

}  // namespace checkin::report
