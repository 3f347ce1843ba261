#include "printer/badge_layout.h"

#include <toml++/toml.h>

#include <fstream>

#include "common/file.h"
#include "common/text.h"

namespace checkin::printer {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;

struct Stock {
  const char* name;
  double width_pt, height_pt;
};

// Landscape where the stock is used that way in badge holders.
constexpr Stock kStocks[] = {
    {"4x3in", 288, 216},
    {"4x6in", 288, 432},
    {"A6", 105 * kPtPerMm, 148 * kPtPerMm},
    {"CR80", 85.6 * kPtPerMm, 54 * kPtPerMm},
    {"62mm", 62 * kPtPerMm, 100 * kPtPerMm},  // continuous roll, cut at 100 mm
};

constexpr Stock kSheets[] = {
    {"A4", 210 * kPtPerMm, 297 * kPtPerMm},
    {"Letter", 612, 792},
};

// How many `w` x `h` badges fit in the usable area, in rows and columns.
std::pair<int, int> Fit(double usable_w, double usable_h, double w, double h) {
  return {static_cast<int>(usable_w / w + 1e-9), static_cast<int>(usable_h / h + 1e-9)};
}

std::string Where(const std::string& source, const toml::source_region& r) {
  return source + ":" + std::to_string(r.begin.line) + ": ";
}

Result<Rgb> ParseColor(const std::string& hex, const std::string& where) {
  if (hex.size() != 7 || hex[0] != '#') {
    return Status::InvalidInput(where + "colour '" + hex + "' is not #RRGGBB");
  }
  unsigned v = 0;
  for (size_t i = 1; i < 7; ++i) {
    const char c = hex[i];
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return Status::InvalidInput(where + "colour '" + hex + "' is not #RRGGBB");
    }
    v = v * 16 + d;
  }
  return Rgb{((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
}

}  // namespace

std::string StockNames() {
  std::string out;
  for (const Stock& s : kStocks) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

std::string SheetNames() {
  std::string out;
  for (const Stock& s : kSheets) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

Result<SheetGrid> PlanSheet(const BadgeLayout& l) {
  SheetGrid g;
  if (l.sheet.empty()) {
    g.cell_width_pt = l.width_pt;
    g.cell_height_pt = l.height_pt;
    return g;
  }
  const double uw = l.sheet_width_pt - 2 * l.sheet_margin_pt;
  const double uh = l.sheet_height_pt - 2 * l.sheet_margin_pt;
  const auto [c1, r1] = Fit(uw, uh, l.width_pt, l.height_pt);
  const auto [c2, r2] = Fit(uw, uh, l.height_pt, l.width_pt);
  if (c1 * r1 == 0 && c2 * r2 == 0) {
    return Status::InvalidInput(
        "a " + l.stock + " badge does not fit on a " + l.sheet +
        " sheet with these margins; use a smaller stock or sheet_margin_mm");
  }
  g.rotated = c2 * r2 > c1 * r1;
  g.columns = g.rotated ? c2 : c1;
  g.rows = g.rotated ? r2 : r1;
  g.cell_width_pt = g.rotated ? l.height_pt : l.width_pt;
  g.cell_height_pt = g.rotated ? l.width_pt : l.height_pt;
  g.left_pt = (l.sheet_width_pt - g.columns * g.cell_width_pt) / 2;
  g.bottom_pt = (l.sheet_height_pt - g.rows * g.cell_height_pt) / 2;
  return g;
}

BadgeLayout DefaultLayout() {
  BadgeLayout l;
  auto hex = [](const char* h) { return *ParseColor(h, ""); };
  l.type_colors = {
      {"general", hex("#2F6DB5")},    {"asistente", hex("#2F6DB5")},
      {"estudiante", hex("#1F8A70")}, {"speaker", hex("#E07A1F")},
      {"sponsor", hex("#7A3FB0")},    {"organizador", hex("#C0392B")},
      {"voluntario", hex("#D4A017")}, {"prensa", hex("#34495E")},
  };
  return l;
}

Result<BadgeLayout> ParseLayout(const std::string& toml_text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(Where(source_name, e.source()) + std::string(e.description()));
  }
  BadgeLayout l = DefaultLayout();
  for (const auto& [key, node] : root) {
    const std::string k(key.str());
    const std::string where = Where(source_name, node.source());
    if (k == "stock") {
      auto v = node.value<std::string>();
      const Stock* found = nullptr;
      for (const Stock& s : kStocks) {
        if (v && Fold(*v) == Fold(s.name)) found = &s;
      }
      if (found == nullptr) {
        return Status::InvalidInput(where + "stock must be one of " + StockNames());
      }
      l.stock = found->name;
      l.width_pt = found->width_pt;
      l.height_pt = found->height_pt;
    } else if (k == "sheet") {
      auto v = node.value<std::string>();
      const Stock* found = nullptr;
      for (const Stock& s : kSheets) {
        if (v && Fold(*v) == Fold(s.name)) found = &s;
      }
      if (found == nullptr)
        return Status::InvalidInput(where + "sheet must be one of " + SheetNames());
      l.sheet = found->name;
      l.sheet_width_pt = found->width_pt;
      l.sheet_height_pt = found->height_pt;
    } else if (k == "cut_marks") {
      auto v = node.value<bool>();
      if (!v) return Status::InvalidInput(where + "cut_marks must be true or false");
      l.cut_marks = *v;
    } else if (k == "sheet_margin_mm") {
      auto v = node.value<double>();
      if (!v || *v < 0 || *v > 50)
        return Status::InvalidInput(where + "sheet_margin_mm must be 0 to 50");
      l.sheet_margin_pt = *v * kPtPerMm;
    } else if (k == "margin_mm" || k == "first_name_max_pt" || k == "first_name_min_pt" ||
               k == "last_name_pt" || k == "company_pt" || k == "event_pt") {
      auto v = node.value<double>();
      if (!v || *v <= 0 || *v > 200)
        return Status::InvalidInput(where + k + " must be a positive number");
      if (k == "margin_mm") l.margin_pt = *v * kPtPerMm;
      if (k == "first_name_max_pt") l.first_name_max_pt = *v;
      if (k == "first_name_min_pt") l.first_name_min_pt = *v;
      if (k == "last_name_pt") l.last_name_pt = *v;
      if (k == "company_pt") l.company_pt = *v;
      if (k == "event_pt") l.event_pt = *v;
    } else if (k == "font" || k == "bold_font" || k == "logo") {
      auto v = node.value<std::string>();
      if (!v) return Status::InvalidInput(where + k + " must be a file path");
      if (!std::ifstream(*v)) return Status::NotFound(where + k + " file not found: " + *v);
      (k == "font" ? l.font_path : k == "bold_font" ? l.bold_font_path : l.logo_path) = *v;
    } else if (k == "colors") {
      const toml::table* t = node.as_table();
      if (t == nullptr)
        return Status::InvalidInput(where + "[colors] maps ticket types to \"#RRGGBB\"");
      for (const auto& [type, color] : *t) {
        auto hex = color.value<std::string>();
        auto rgb = ParseColor(hex.value_or(""), Where(source_name, color.source()));
        if (!rgb.ok()) return rgb.status();
        l.type_colors[Fold(type.str())] = *rgb;
      }
    } else {
      return Status::InvalidInput(
          where + "unknown key '" + k +
          "' (expected stock, sheet, sheet_margin_mm, cut_marks, margin_mm, font, bold_font, logo, "
          "first_name_max_pt, first_name_min_pt, last_name_pt, company_pt, "
          "event_pt, [colors])");
    }
  }
  if (l.first_name_min_pt > l.first_name_max_pt) {
    return Status::InvalidInput(source_name +
                                ": first_name_min_pt is larger than first_name_max_pt");
  }
  if (2 * l.margin_pt >= l.width_pt / 2) {
    return Status::InvalidInput(source_name + ": margin_mm leaves no room on " + l.stock);
  }
  if (auto grid = PlanSheet(l); !grid.ok()) return grid.status().WithContext(source_name + ": ");
  return l;
}

Result<BadgeLayout> LoadLayout(const std::string& path) {
  auto text = ReadWholeFile(path, 1 << 20);
  if (!text.ok()) return text.status().WithContext("layout: ");
  return ParseLayout(*text, path);
}

Result<BadgeLayout> LoadLayoutOrDefault(const std::string& path) {
  if (path.empty()) return DefaultLayout();
  return LoadLayout(path);
}

Rgb ColorFor(const BadgeLayout& layout, const std::string& ticket_type) {
  auto it = layout.type_colors.find(Fold(ticket_type));
  return it == layout.type_colors.end() ? layout.default_color : it->second;
}

}  // namespace checkin::printer
