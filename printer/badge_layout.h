// Badge layout: the stock a badge is printed on and where its fields go.
// Read from a TOML file (see deploy/badge.example.toml) or the built-in default.
// Pure data; thread-compatible.
#pragma once

#include <map>
#include <string>

#include "common/result.h"

namespace checkin::printer {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
};

struct BadgeLayout {
  std::string stock = "4x3in";  // a preset name, see StockNames()
  double width_pt = 288, height_pt = 216;
  double margin_pt = 14.17;  // 5 mm
  // TrueType files; empty: DejaVu Sans and DejaVu Sans Bold, wherever
  // fontconfig finds them when badges are rendered (common/font.h).
  std::string font_path;
  std::string bold_font_path;
  std::string logo_path;  // optional PNG
  double first_name_max_pt = 40, first_name_min_pt = 18;
  double last_name_pt = 18, company_pt = 12, event_pt = 10;
  // Colour band per ticket type (matched ignoring case and accents).
  std::map<std::string, Rgb> type_colors;
  Rgb default_color{0.35, 0.38, 0.42};
  // Empty: one badge per page, the page the size of the stock. "A4" or
  // "Letter": as many badges per sheet as fit, with cut marks, for office
  // printers and perforated badge sheets.
  std::string sheet;
  double sheet_width_pt = 0, sheet_height_pt = 0;
  double sheet_margin_pt = 17.01;  // 6 mm: inside most printers' unprintable edge
  bool cut_marks = true;
};

// Where badges sit on a sheet: a grid centred on the page, badges turned a
// quarter if that fits more of them.
struct SheetGrid {
  int columns = 1, rows = 1;
  bool rotated = false;
  double cell_width_pt = 0, cell_height_pt = 0;  // as placed (after turning)
  double left_pt = 0, bottom_pt = 0;             // lower-left corner of the grid
  int PerPage() const { return columns * rows; }
};

// The grid for `layout`: 1x1 filling the page when it has no sheet;
// InvalidInput when the stock does not fit the sheet at all.
Result<SheetGrid> PlanSheet(const BadgeLayout& layout);

// "A4", "Letter".
std::string SheetNames();

// "4x3in", "4x6in", "A6", "CR80", "62mm".
std::string StockNames();

// The default: a 4x3 in badge insert, DejaVu Sans, the usual ticket types.
BadgeLayout DefaultLayout();

// Parses a layout file; errors name the file, line and key.
Result<BadgeLayout> ParseLayout(const std::string& toml_text, const std::string& source_name);
Result<BadgeLayout> LoadLayout(const std::string& path);
// LoadLayout, or the default when `path` is empty.
Result<BadgeLayout> LoadLayoutOrDefault(const std::string& path);

// The band colour for a ticket type.
Rgb ColorFor(const BadgeLayout& layout, const std::string& ticket_type);

}  // namespace checkin::printer
