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
  std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::string bold_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  std::string logo_path;  // optional PNG
  double first_name_max_pt = 40, first_name_min_pt = 18;
  double last_name_pt = 18, company_pt = 12, event_pt = 10;
  // Colour band per ticket type (matched ignoring case and accents).
  std::map<std::string, Rgb> type_colors;
  Rgb default_color{0.35, 0.38, 0.42};
};

// "4x3in", "4x6in", "A6", "CR80", "62mm".
std::string StockNames();

// The default: a 4x3 in badge insert, DejaVu Sans, the usual ticket types.
BadgeLayout DefaultLayout();

// Parses a layout file; errors name the file, line and key.
Result<BadgeLayout> ParseLayout(const std::string& toml_text, const std::string& source_name);
Result<BadgeLayout> LoadLayout(const std::string& path);

// The band colour for a ticket type.
Rgb ColorFor(const BadgeLayout& layout, const std::string& ticket_type);

}  // namespace checkin::printer
