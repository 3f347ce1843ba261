// What the pages are made of: the files of web/assets, embedded at build
// time, and the one way a page template is filled, escaping every value.
// Pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/messages.h"

namespace checkin::web {

struct EmbeddedFile {
  std::string_view name;  // "desk.html", "app.css"
  std::string_view bytes;
};
std::span<const EmbeddedFile> EmbeddedFiles();

struct Asset {
  std::string_view bytes;
  std::string_view content_type;  // from the name's extension
};
// The embedded file called `name`; nullopt for none (or a name with a path).
std::optional<Asset> FindAsset(std::string_view name);

// Fills a page template: "{{=name}}" becomes the escaped value of
// vars[name] (empty when absent), "{{texto|text}}" the Spanish or the
// English side, as `lang` says, and "{{>file}}" the embedded file `file`,
// filled the same way (the pages' shared <head>).
std::string FillTemplate(std::string_view tpl, Language lang,
                         const std::map<std::string, std::string>& vars);

}  // namespace checkin::web
