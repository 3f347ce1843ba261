// The report as an XLSX workbook (libxlsxwriter): a summary sheet, then a
// sheet per table with its figures as numbers and a native chart drawn from
// the sheet's own cells, so an organizer can sort, sum and restyle them.
#include <xlsxwriter.h>

#include <memory>
#include <set>
#include <string>

#include "report/document.h"
#include "report/report.h"

namespace checkin::report {
namespace {

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* note = nullptr;
  lxw_format* whole = nullptr;
  lxw_format* decimal = nullptr;
  lxw_format* percent = nullptr;
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  f.bold = workbook_add_format(wb);
  format_set_bold(f.bold);
  format_set_bottom(f.bold, LXW_BORDER_THIN);
  f.note = workbook_add_format(wb);
  format_set_italic(f.note);
  format_set_font_color(f.note, 0x4A5568);
  f.whole = workbook_add_format(wb);
  format_set_num_format(f.whole, "#,##0");
  f.decimal = workbook_add_format(wb);
  format_set_num_format(f.decimal, "0.0");
  f.percent = workbook_add_format(wb);
  format_set_num_format(f.percent, "0.0%");
  return f;
}

void WriteCell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const Cell& c, const Formats& f) {
  if (!c.number) {
    worksheet_write_string(ws, row, col, c.text.c_str(), nullptr);
    return;
  }
  const double v = *c.number;
  lxw_format* fmt = c.percent ? f.percent : (v == static_cast<int64_t>(v) ? f.whole : f.decimal);
  worksheet_write_number(ws, row, col, v, fmt);
}

// Excel refuses sheet names over 31 characters, with []:*?/\ or repeated.
std::string SheetName(const std::string& wanted, std::set<std::string>* used) {
  std::string name;
  size_t chars = 0;
  for (unsigned char c : wanted) {
    if ((c & 0xC0) != 0x80 && ++chars > 28) break;
    name += std::string("[]:*?/\\").find(static_cast<char>(c)) == std::string::npos
                ? static_cast<char>(c)
                : '-';
  }
  std::string unique = name;
  for (int n = 2; used->count(unique) > 0; ++n) unique = name + " " + std::to_string(n);
  used->insert(unique);
  return unique;
}

}  // namespace

Status WriteReportXlsx(const Report& r, Language lang, const std::string& path) {
  const Document d = LayOut(r, lang);
  lxw_workbook_options options{};
  options.constant_memory = 0;  // charts and column widths need the whole sheet
  std::unique_ptr<lxw_workbook, lxw_error (*)(lxw_workbook*)> wb(
      workbook_new_opt(path.c_str(), &options), workbook_close);
  if (!wb) return Status::DeviceError("could not start the workbook " + path);
  const Formats f = MakeFormats(wb.get());
  std::set<std::string> used;

  lxw_worksheet* summary = workbook_add_worksheet(
      wb.get(), SheetName(Localized(lang, "Resumen", "Summary"), &used).c_str());
  worksheet_set_column(summary, 0, 0, 34, nullptr);
  worksheet_set_column(summary, 1, 1, 18, nullptr);
  worksheet_write_string(summary, 0, 0, d.title.c_str(), f.title);
  worksheet_write_string(summary, 1, 0, d.event.c_str(), f.bold);
  worksheet_write_string(summary, 2, 0, d.subtitle.c_str(), f.note);
  lxw_row_t row = 4;
  for (const Headline& h : d.headline) {
    worksheet_write_string(summary, row, 0, h.label.c_str(), nullptr);
    WriteCell(summary, row, 1, h.value, f);
    ++row;
  }
  worksheet_write_string(summary, row + 1, 0, d.footer.c_str(), f.note);

  for (const Section& s : d.sections) {
    const std::string name = SheetName(s.sheet.empty() ? s.title : s.sheet, &used);
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), name.c_str());
    worksheet_write_string(ws, 0, 0, s.title.c_str(), f.title);
    if (!s.note.empty()) worksheet_write_string(ws, 1, 0, s.note.c_str(), f.note);
    constexpr lxw_row_t kHeader = 3;
    for (size_t c = 0; c < s.header.size(); ++c) {
      worksheet_write_string(ws, kHeader, static_cast<lxw_col_t>(c), s.header[c].c_str(), f.bold);
    }
    worksheet_set_column(ws, 0, 0, 26, nullptr);
    worksheet_set_column(ws, 1, static_cast<lxw_col_t>(s.header.size()), 14, nullptr);
    for (size_t i = 0; i < s.rows.size(); ++i) {
      for (size_t c = 0; c < s.rows[i].size(); ++c) {
        WriteCell(ws, static_cast<lxw_row_t>(kHeader + 1 + i), static_cast<lxw_col_t>(c),
                  s.rows[i][c], f);
      }
    }
    worksheet_freeze_panes(ws, kHeader + 1, 1);
    if (s.chart && s.chart->rows > 0) {
      const bool columns = PlanChart(s).columns;
      lxw_chart* chart = workbook_add_chart(wb.get(), columns ? LXW_CHART_COLUMN : LXW_CHART_BAR);
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      const auto first = static_cast<lxw_row_t>(kHeader + 1);
      const auto last = static_cast<lxw_row_t>(kHeader + s.chart->rows);
      const auto col = static_cast<lxw_col_t>(s.chart->value_column);
      chart_series_set_categories(series, name.c_str(), first, 0, last, 0);
      chart_series_set_values(series, name.c_str(), first, col, last, col);
      chart_series_set_name(series, s.header[s.chart->value_column].c_str());
      chart_title_set_name(chart, s.chart->title.c_str());
      chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
      lxw_chart_options place{};
      place.x_scale = columns ? 2.2 : 1.4;
      place.y_scale = columns ? 1.3 : 1.0 + 0.05 * static_cast<double>(s.chart->rows);
      worksheet_insert_chart_opt(ws, kHeader, static_cast<lxw_col_t>(s.header.size() + 1), chart,
                                 &place);
    }
  }
  const lxw_error err = workbook_close(wb.release());
  if (err != LXW_NO_ERROR) {
    return Status::DeviceError("could not write the workbook " + path + ": " + lxw_strerror(err));
  }
  return Status::Ok();
}

}  // namespace checkin::report
