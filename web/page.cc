#include "web/page.h"

#include "common/text.h"

namespace checkin::web {

std::optional<Asset> FindAsset(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (f.name != name) continue;
    const std::string_view ext = name.substr(name.rfind('.') + 1);
    std::string_view type = "application/octet-stream";
    if (ext == "html") type = "text/html; charset=utf-8";
    if (ext == "css") type = "text/css; charset=utf-8";
    if (ext == "js") type = "text/javascript; charset=utf-8";
    if (ext == "svg") type = "image/svg+xml";
    if (ext == "wav") type = "audio/wav";
    if (ext == "png") type = "image/png";
    return Asset{f.bytes, type};
  }
  return std::nullopt;
}

namespace {

// A partial may include another; deeper than this is a loop in the assets.
constexpr int kMaxIncludeDepth = 4;

void Fill(std::string_view tpl, Language lang, const std::map<std::string, std::string>& vars,
          int depth, std::string& out) {
  size_t at = 0;
  for (;;) {
    const size_t open = tpl.find("{{", at);
    const size_t close = open == std::string_view::npos ? open : tpl.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(at, open - at));
    const std::string_view inside = tpl.substr(open + 2, close - open - 2);
    if (!inside.empty() && inside.front() == '=') {
      auto it = vars.find(std::string(inside.substr(1)));
      if (it != vars.end()) out += HtmlEscape(it->second);
    } else if (!inside.empty() && inside.front() == '>') {
      // The assets are ours and built in: a missing one is a bug the page
      // tests see as a page without its head.
      auto part = FindAsset(inside.substr(1));
      if (part && depth < kMaxIncludeDepth) Fill(part->bytes, lang, vars, depth + 1, out);
    } else {
      const size_t bar = inside.find('|');
      if (bar == std::string_view::npos) {
        out += inside;
      } else {
        out += lang == Language::kSpanish ? inside.substr(0, bar) : inside.substr(bar + 1);
      }
    }
    at = close + 2;
  }
  out.append(tpl.substr(at));
}

}  // namespace

std::string FillTemplate(std::string_view tpl, Language lang,
                         const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(tpl.size());
  Fill(tpl, lang, vars, 0, out);
  return out;
}

}  // namespace checkin::web
