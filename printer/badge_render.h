// Badge rendering: attendees and a layout in, PDF bytes out. Pure (no printer,
// no clock); reads only the font files (the layout's, or the defaults found
// through fontconfig) and the logo. Thread-safe: each call builds its own
// document.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/result.h"
#include "printer/badge_layout.h"

namespace checkin::printer {

// How a name fits its box: one or two lines at one size.
struct TextFit {
  std::vector<std::string> lines;
  double size_pt = 0;
  bool broken = false;     // wrapped inside a word: no space gave a legible size
  bool truncated = false;  // cut short with an ellipsis even at the minimum size
};

// Shrinks from `max_pt` toward `min_pt` until `text` fits `width_pt`, then
// wraps at the space that balances two lines best and shrinks again; failing
// that, wraps inside a word (no hyphen) over two lines, then over up to
// `max_lines` lines at `min_pt`, and as a last resort cuts the last line short
// with "…". Never below `min_pt`, never past `width_pt`.
// `width_at(text, size)` measures text. Pure.
TextFit FitText(const std::string& text, double width_pt, double max_pt, double min_pt,
                const std::function<double(const std::string&, double)>& width_at,
                size_t max_lines = 2);

// InvalidInput giving the id of every attendee whose name or company uses
// characters the layout's fonts cannot draw (they would print as empty boxes)
// or that the PDF library cannot draw at all (past U+FFFF: emoji).
Status CheckGlyphs(const BadgeLayout& layout, const std::vector<Attendee>& attendees);

// One page per badge, or a grid of them per sheet when the layout names one;
// the fonts embedded once. `progress(done, total)` is
// called as pages are laid out. InvalidInput, with attendee ids, for what
// CheckGlyphs refuses and for names too long for the badge at its minimum size.
Result<std::string> RenderBadges(const std::vector<Attendee>& attendees, const BadgeLayout& layout,
                                 const std::string& event_name,
                                 const std::function<void(size_t, size_t)>& progress = {});

}  // namespace checkin::printer
