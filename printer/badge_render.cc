#include "printer/badge_render.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hpdf.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>

#include "common/font.h"
#include "printer/internal/haru.h"
#include "printer/qr.h"

namespace checkin::printer {
namespace {

std::string Join(const std::vector<std::string>& words, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

struct Page {
  HPDF_Page page;
  HPDF_Font regular, bold;
  double Width(HPDF_Font f, const std::string& text, double size) const {
    HPDF_Page_SetFontAndSize(page, f, static_cast<HPDF_REAL>(size));
    return HPDF_Page_TextWidth(page, text.c_str());
  }
  void Text(HPDF_Font f, double size, double x, double y, const std::string& text) const {
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, f, static_cast<HPDF_REAL>(size));
    HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), text.c_str());
    HPDF_Page_EndText(page);
  }
  void Color(const Rgb& c) const {
    HPDF_Page_SetRGBFill(page, static_cast<HPDF_REAL>(c.r), static_cast<HPDF_REAL>(c.g),
                         static_cast<HPDF_REAL>(c.b));
  }
  void Fill(const Rgb& c, double x, double y, double w, double h) const {
    Color(c);
    HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                        static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Fill(page);
  }
};

double Lines(const TextFit& f) { return static_cast<double>(f.lines.size()); }

// Draws one badge with its lower-left corner at the origin of the current
// coordinate system.
// `cut_short` is set when a name or company had to end in "…".
Status DrawBadge(const Page& p, const HaruErrors& errors, HPDF_Image logo, const Attendee& a,
                 const BadgeLayout& l, const std::string& event_name, bool& cut_short) {
  const HPDF_Font regular = p.regular, bold = p.bold;
  const double w = l.width_pt, h = l.height_pt, m = l.margin_pt;
  const Rgb band = ColorFor(l, a.ticket_type);
  auto measure = [&](HPDF_Font f) {
    return [&p, f](const std::string& t, double size) { return p.Width(f, t, size); };
  };

  // Band across the top: event name and ticket type, white on the type's colour.
  const double band_h = std::max(l.event_pt * 2.4, 0.16 * h);
  p.Fill(band, 0, h - band_h, w, band_h);
  p.Color({1, 1, 1});
  const std::string type_label = a.ticket_type.empty() ? "" : a.ticket_type;
  const TextFit type_fit =
      FitText(type_label, (w - 2 * m) * 0.45, l.event_pt * 1.3, 6, measure(bold));
  const double type_w =
      type_fit.lines.empty() ? 0 : p.Width(bold, type_fit.lines[0], type_fit.size_pt);
  const double logo_room =
      logo == nullptr
          ? 0
          : band_h * 0.7 * HPDF_Image_GetWidth(logo) / std::max(1u, HPDF_Image_GetHeight(logo)) + 6;
  const TextFit event_fit =
      FitText(event_name, w - 2 * m - type_w - 8 - logo_room, l.event_pt, 6, measure(regular));
  const double band_base = h - band_h / 2 - l.event_pt * 0.35;
  double event_x = m;
  if (logo != nullptr) {
    // The logo sits at the band's left, as tall as the band allows.
    const double lh = band_h * 0.7;
    const double lw = lh * HPDF_Image_GetWidth(logo) / std::max(1u, HPDF_Image_GetHeight(logo));
    HPDF_Page_DrawImage(p.page, logo, static_cast<HPDF_REAL>(m),
                        static_cast<HPDF_REAL>(h - band_h * 0.85), static_cast<HPDF_REAL>(lw),
                        static_cast<HPDF_REAL>(lh));
    event_x = m + lw + 6;
  }
  if (!event_fit.lines.empty())
    p.Text(regular, event_fit.size_pt, event_x, band_base, event_fit.lines[0]);
  if (!type_fit.lines.empty())
    p.Text(bold, type_fit.size_pt, w - m - type_w, band_base, type_fit.lines[0]);

  // QR bottom right; company beside it.
  const double qr_side = std::min(0.34 * h, 0.32 * w);
  auto qr = EncodeQr(a.badge_code.empty() ? a.ticket_code : a.badge_code);
  if (!qr.ok()) return qr.status();
  DrawQr(p.page, *qr, w - m - qr_side, m, qr_side);

  p.Color({0.1, 0.1, 0.1});
  const double text_w = w - 2 * m;
  const double top = h - band_h - m * 0.6;
  const double bottom = m + qr_side + 4;
  // Last name first, so the first name gets whatever height is left.
  const TextFit last = FitText(a.last_name, text_w, l.last_name_pt, 8, measure(regular));
  const double last_h = Lines(last) * last.size_pt * 1.15;
  // As many lines as the room holds at the minimum size, for a name that
  // needs them (a narrow stock, a long name): more lines beat smaller type.
  const size_t first_lines = std::max<size_t>(
      2,
      static_cast<size_t>(std::max(0.0, (top - bottom - last_h) / (l.first_name_min_pt * 1.12))));
  double first_max = l.first_name_max_pt;
  TextFit first =
      FitText(a.first_name, text_w, first_max, l.first_name_min_pt, measure(bold), first_lines);
  auto too_tall = [&](const TextFit& f) {
    return Lines(f) * f.size_pt * 1.12 + last_h > top - bottom;
  };
  // Taller than the room: shrink the cap until it fits. A stock that small
  // already forced the name under the layout's minimum, so there shrinking on
  // also beats cutting the name short.
  while (first.size_pt > 6 &&
         (too_tall(first) || (first.truncated && first_max < l.first_name_min_pt))) {
    first_max = first.size_pt - 1;
    first = FitText(a.first_name, text_w, first_max, std::min(first_max, l.first_name_min_pt),
                    measure(bold), first_lines);
  }
  cut_short = first.truncated || last.truncated;
  double y = top;
  for (const auto& line : first.lines) {
    y -= first.size_pt;
    p.Text(bold, first.size_pt, m, y, line);
    y -= first.size_pt * 0.12;
  }
  for (const auto& line : last.lines) {
    y -= last.size_pt;
    p.Text(regular, last.size_pt, m, y, line);
    y -= last.size_pt * 0.15;
  }
  if (!a.company.empty()) {
    p.Color({0.3, 0.3, 0.3});
    const TextFit company =
        FitText(a.company, w - 2 * m - qr_side - 8, l.company_pt, 6, measure(regular));
    cut_short = cut_short || company.truncated;
    double cy = m + Lines(company) * company.size_pt * 1.15;
    for (const auto& line : company.lines) {
      cy -= company.size_pt * 1.15;
      p.Text(regular, company.size_pt, m, cy + company.size_pt * 0.2, line);
    }
  }
  return HaruStatus(errors, "drawing the badge of attendee #" + std::to_string(a.id));
}

// Short hairlines in the sheet's margin along every cut, never over a badge.
void DrawCutMarks(const Page& p, const BadgeLayout& l, const SheetGrid& g) {
  const double len = std::min(12.0, l.sheet_margin_pt - 2);
  if (len <= 0) return;
  const double gap = 2;
  const double right = g.left_pt + g.columns * g.cell_width_pt;
  const double top = g.bottom_pt + g.rows * g.cell_height_pt;
  auto line = [&](double x1, double y1, double x2, double y2) {
    HPDF_Page_MoveTo(p.page, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y1));
    HPDF_Page_LineTo(p.page, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y2));
  };
  HPDF_Page_SetRGBStroke(p.page, 0, 0, 0);
  HPDF_Page_SetLineWidth(p.page, 0.3f);
  for (int c = 0; c <= g.columns; ++c) {
    const double x = g.left_pt + c * g.cell_width_pt;
    line(x, top + gap, x, top + gap + len);
    line(x, g.bottom_pt - gap, x, g.bottom_pt - gap - len);
  }
  for (int r = 0; r <= g.rows; ++r) {
    const double y = g.bottom_pt + r * g.cell_height_pt;
    line(g.left_pt - gap, y, g.left_pt - gap - len, y);
    line(right + gap, y, right + gap + len, y);
  }
  HPDF_Page_Stroke(p.page);
}

// Moves the origin to cell `k` of the grid (left to right, top to bottom),
// turning the badge a quarter when the grid says so, and clips to the cell.
void EnterCell(const Page& p, const BadgeLayout& l, const SheetGrid& g, int k) {
  const int col = k % g.columns, row = k / g.columns;
  const double x = g.left_pt + col * g.cell_width_pt;
  const double y = g.bottom_pt + (g.rows - 1 - row) * g.cell_height_pt;
  HPDF_Page_GSave(p.page);
  HPDF_Page_Rectangle(p.page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                      static_cast<HPDF_REAL>(g.cell_width_pt),
                      static_cast<HPDF_REAL>(g.cell_height_pt));
  HPDF_Page_Clip(p.page);
  HPDF_Page_EndPath(p.page);
  if (g.rotated) {
    // A quarter turn anticlockwise: badge (u, v) lands at (x + h - v, y + u).
    HPDF_Page_Concat(p.page, 0, 1, -1, 0, static_cast<HPDF_REAL>(x + l.height_pt),
                     static_cast<HPDF_REAL>(y));
  } else {
    HPDF_Page_Concat(p.page, 1, 0, 0, 1, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y));
  }
}

// Byte offsets inside `text` where a line may break within a word: between
// user-perceived characters, so an accent never leaves its letter.
std::vector<size_t> CharacterBoundaries(const std::string& text) {
  std::vector<size_t> out;
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), err));
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &err);
  if (U_SUCCESS(err)) it->setText(ut, err);
  if (U_SUCCESS(err)) {
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
      if (static_cast<size_t>(b) < text.size()) out.push_back(static_cast<size_t>(b));
    }
  }
  utext_close(ut);
  return out;
}

std::string StripSpaces(const std::string& s) {
  const size_t from = s.find_first_not_of(' ');
  if (from == std::string::npos) return "";
  return s.substr(from, s.find_last_not_of(' ') - from + 1);
}

// The last of `bounds` (ascending) at which `fits` still holds, or nullopt.
// `fits` must hold for a prefix of `bounds` and fail after it.
std::optional<size_t> LastFitting(const std::vector<size_t>& bounds,
                                  const std::function<bool(size_t)>& fits) {
  size_t lo = 0, hi = bounds.size();  // answer in [lo, hi)
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (fits(bounds[mid])) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return std::nullopt;
  return bounds[lo - 1];
}

// `text` at `min_pt` over as many lines as it takes, up to `max_lines`: at
// spaces where it can, inside a word where a word alone is wider than `room`
// (the line width in units). The last line ends in "…" if that is not enough.
TextFit WrapAtMinimum(const std::string& text, const std::vector<size_t>& bounds, double room,
                      double min_pt, size_t max_lines,
                      const std::function<double(const std::string&)>& unit) {
  TextFit fit;
  fit.size_pt = min_pt;
  fit.broken = true;
  auto fits = [&](size_t from, size_t to) {
    return unit(StripSpaces(text.substr(from, to - from))) <= room;
  };
  size_t from = 0;
  while (from < text.size() && fit.lines.size() < max_lines) {
    std::vector<size_t> ahead;  // where this line may end
    for (size_t b : bounds) {
      if (b > from) ahead.push_back(b);
    }
    ahead.push_back(text.size());
    // The furthest space that fits, else the furthest character that does
    // (at least one, so a line always moves on).
    size_t end = LastFitting(ahead, [&](size_t b) { return fits(from, b); }).value_or(ahead[0]);
    if (end < text.size()) {
      const size_t space = text.rfind(' ', end);
      if (space != std::string::npos && space > from) end = space;
    }
    fit.lines.push_back(StripSpaces(text.substr(from, end - from)));
    from = end;
    while (from < text.size() && text[from] == ' ') ++from;
  }
  if (from < text.size() && !fit.lines.empty()) {
    // Cut the last line where it still fits with the ellipsis.
    std::string& last = fit.lines.back();
    const std::string kept = last;
    std::vector<size_t> inside;
    for (size_t b : CharacterBoundaries(kept)) inside.push_back(b);
    inside.push_back(kept.size());
    const size_t end = LastFitting(inside, [&](size_t b) {
                         return unit(StripSpaces(kept.substr(0, b)) + "\u2026") <= room;
                       }).value_or(0);
    last = StripSpaces(kept.substr(0, end)) + "\u2026";
    fit.truncated = true;
  }
  return fit;
}

// A name that fits neither one line nor two split at spaces at `min_pt`: two
// lines broken inside the word (no hyphen: names are not dictionary words)
// where their widths balance, else WrapAtMinimum. Never below `min_pt`: a
// hairline is no badge.
TextFit BreakInsideWords(const std::string& text, double width_pt, double max_pt, double min_pt,
                         size_t max_lines,
                         const std::function<double(const std::string&, double)>& width_at) {
  TextFit fit;
  const std::vector<size_t> bounds = CharacterBoundaries(text);
  const std::function<double(const std::string&)> unit = [&](const std::string& s) {
    return std::max(width_at(s, 1.0), 1e-6);
  };
  // The first line widens and the second narrows as the break moves right.
  const auto before = LastFitting(
      bounds, [&](size_t b) { return unit(text.substr(0, b)) <= unit(text.substr(b)); });
  std::vector<size_t> candidates;
  if (before) candidates.push_back(*before);
  const auto after = std::upper_bound(bounds.begin(), bounds.end(), before.value_or(0));
  if (after != bounds.end()) candidates.push_back(*after);
  double best = 0;
  for (size_t b : candidates) {
    std::vector<std::string> lines{StripSpaces(text.substr(0, b)), StripSpaces(text.substr(b))};
    const double size = width_pt / std::max(unit(lines[0]), unit(lines[1]));
    if (size > best) {
      best = size;
      fit.lines = std::move(lines);
    }
  }
  fit.broken = true;
  if (best >= min_pt) {
    fit.size_pt = std::min(max_pt, best);
    return fit;
  }
  return WrapAtMinimum(text, bounds, width_pt / min_pt, min_pt, max_lines, unit);
}

}  // namespace

TextFit FitText(const std::string& text, double width_pt, double max_pt, double min_pt,
                const std::function<double(const std::string&, double)>& width_at,
                size_t max_lines) {
  TextFit fit;
  if (text.empty()) return fit;
  // Widths scale with size, so one measurement at 1 pt gives every size.
  const double unit = std::max(width_at(text, 1.0), 1e-6);
  const double one_line = width_pt / unit;
  if (one_line >= min_pt) {
    fit.lines = {text};
    fit.size_pt = std::min(max_pt, one_line);
    return fit;
  }
  std::vector<std::string> words;
  for (size_t i = 0; i < text.size();) {
    const size_t sp = text.find(' ', i);
    words.push_back(text.substr(i, sp == std::string::npos ? std::string::npos : sp - i));
    i = sp == std::string::npos ? text.size() : sp + 1;
  }
  double best = one_line;  // size the single line would need
  std::vector<std::string> best_lines{text};
  for (size_t split = 1; split < words.size(); ++split) {
    std::vector<std::string> lines{Join(words, 0, split), Join(words, split, words.size())};
    const double wider = std::max(width_at(lines[0], 1.0), width_at(lines[1], 1.0));
    const double size = width_pt / std::max(wider, 1e-6);
    if (size > best) {
      best = size;
      best_lines = lines;
    }
  }
  if (best < min_pt) return BreakInsideWords(text, width_pt, max_pt, min_pt, max_lines, width_at);
  fit.lines = best_lines;
  fit.size_pt = std::min(max_pt, best);
  return fit;
}

namespace {

using FontFiles = std::array<std::string, 2>;  // regular, bold

// The layout's font files, or the default fonts wherever fontconfig finds them.
Result<FontFiles> FindFontFiles(const BadgeLayout& layout) {
  FontFiles files = {layout.font_path, layout.bold_font_path};
  const std::string_view defaults[] = {kDefaultFont, kDefaultBoldFont};
  for (size_t i = 0; i < files.size(); ++i) {
    if (!files[i].empty()) continue;
    auto found = FindFontFile(defaults[i]);
    if (!found.ok()) return found.status().WithContext("badge font: ");
    files[i] = std::move(found).value();
  }
  return files;
}

// A character for a message: itself, or U+XXXX when it is invisible on its own
// (a variation selector, a zero-width joiner).
void AppendShown(UChar32 cp, std::string& out) {
  if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    out += buf;
    return;
  }
  icu::UnicodeString(cp).toUTF8String(out);
}

Status CheckGlyphsIn(const FontFiles& fonts, const std::vector<Attendee>& attendees) {
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) return Status::Internal("FreeType could not start");
  std::unique_ptr<FT_LibraryRec_, FT_Error (*)(FT_Library)> lib_guard(lib, FT_Done_FreeType);
  std::vector<FT_Face> faces;
  for (const std::string& path : fonts) {
    FT_Face face = nullptr;
    if (FT_New_Face(lib, path.c_str(), 0, &face) != 0) {
      return Status::NotFound("cannot open the badge font " + path);
    }
    faces.push_back(face);
  }
  std::string problems;
  for (const Attendee& a : attendees) {
    std::string missing, beyond;
    const icu::UnicodeString text =
        icu::UnicodeString::fromUTF8(a.first_name + a.last_name + a.company);
    for (int32_t i = 0; i < text.length();) {
      const UChar32 cp = text.char32At(i);
      i += U16_LENGTH(cp);
      if (cp <= 0x20) continue;
      // libharu's UTF-8 text is 16-bit inside: it drops emoji and everything
      // else past U+FFFF without a word, whatever the font has.
      if (cp > 0xFFFF) {
        AppendShown(cp, beyond);
        continue;
      }
      for (FT_Face f : faces) {
        if (FT_Get_Char_Index(f, static_cast<FT_ULong>(cp)) == 0) {
          AppendShown(cp, missing);
          break;
        }
      }
    }
    if (missing.empty() && beyond.empty()) continue;
    // The id, not the name: error messages carry no personal data.
    problems += "\n  attendee #" + std::to_string(a.id) + ":";
    if (!missing.empty()) problems += " the font has no " + missing;
    if (!missing.empty() && !beyond.empty()) problems += ";";
    if (!beyond.empty()) problems += " badges cannot show " + beyond + " (emoji)";
  }
  for (FT_Face f : faces) FT_Done_Face(f);
  if (problems.empty()) return Status::Ok();
  return Status::InvalidInput(
      "these badges would print empty boxes or lose characters; set a font that covers them in "
      "the layout (e.g. Noto Sans CJK for Chinese or Japanese) or take the emoji out of the "
      "roster:" +
      problems);
}

}  // namespace

Status CheckGlyphs(const BadgeLayout& layout, const std::vector<Attendee>& attendees) {
  auto fonts = FindFontFiles(layout);
  if (!fonts.ok()) return fonts.status();
  return CheckGlyphsIn(*fonts, attendees);
}

Result<std::string> RenderBadges(const std::vector<Attendee>& attendees, const BadgeLayout& layout,
                                 const std::string& event_name,
                                 const std::function<void(size_t, size_t)>& progress) {
  if (attendees.empty()) return Status::InvalidInput("no badges to render");
  auto fonts = FindFontFiles(layout);
  if (!fonts.ok()) return fonts.status();
  if (Status s = CheckGlyphsIn(*fonts, attendees); !s.ok()) return s;
  HaruErrors errors;
  HaruDoc pdf = NewUtf8Doc(errors);
  if (!pdf) return Status::Internal("libharu could not create a document");
  auto regular = LoadUtf8Font(pdf.get(), errors, (*fonts)[0]);
  if (!regular.ok()) return regular.status();
  auto bold = LoadUtf8Font(pdf.get(), errors, (*fonts)[1]);
  if (!bold.ok()) return bold.status();
  HPDF_Image logo = nullptr;
  if (!layout.logo_path.empty()) {
    logo = HPDF_LoadPngImageFromFile(pdf.get(), layout.logo_path.c_str());
    if (Status s = HaruStatus(errors, "loading the logo " + layout.logo_path + " (a PNG?)");
        !s.ok())
      return s;
  }
  auto grid = PlanSheet(layout);
  if (!grid.ok()) return grid.status();
  const size_t per_page = static_cast<size_t>(grid->PerPage());
  Page page{nullptr, *regular, *bold};
  std::string cut;  // one line per badge that would lose part of a name
  for (size_t i = 0; i < attendees.size(); ++i) {
    if (progress && i % 100 == 0) progress(i, attendees.size());
    if (i % per_page == 0) {
      page.page = HPDF_AddPage(pdf.get());
      const bool sheet = !layout.sheet.empty();
      HPDF_Page_SetWidth(page.page,
                         static_cast<HPDF_REAL>(sheet ? layout.sheet_width_pt : layout.width_pt));
      HPDF_Page_SetHeight(
          page.page, static_cast<HPDF_REAL>(sheet ? layout.sheet_height_pt : layout.height_pt));
      if (sheet && layout.cut_marks) DrawCutMarks(page, layout, *grid);
    }
    EnterCell(page, layout, *grid, static_cast<int>(i % per_page));
    bool cut_short = false;
    Status drawn = DrawBadge(page, errors, logo, attendees[i], layout, event_name, cut_short);
    HPDF_Page_GRestore(page.page);
    if (!drawn.ok()) return drawn;
    if (cut_short) cut += "\n  attendee #" + std::to_string(attendees[i].id);
  }
  // Like a missing glyph, a name cut short is refused rather than printed
  // quietly wrong: someone must decide what the badge says.
  if (!cut.empty()) {
    return Status::InvalidInput(
        "these names are too long for the badge even on two lines at the smallest size; shorten "
        "them in the roster or use a wider stock:" +
        cut);
  }
  if (progress) progress(attendees.size(), attendees.size());
  return SaveToString(pdf.get(), errors);
}

}  // namespace checkin::printer
