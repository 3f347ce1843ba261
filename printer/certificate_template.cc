#include "printer/certificate_template.h"

#include <toml++/toml.h>

#include <array>
#include <string_view>

#include "common/file.h"
#include "common/text.h"

namespace checkin::printer {
namespace {

constexpr std::array<std::string_view, 4> kPlaceholders = {"event", "dates", "hours",
                                                           "ticket_type"};
// What fits the page: the title on one line, the body in a few.
constexpr size_t kMaxTitle = 80, kMaxBody = 600, kMaxLine = 120;

std::string Where(const std::string& source, const toml::source_region& r) {
  return source + ":" + std::to_string(r.begin.line) + ": ";
}

// InvalidInput for an unknown placeholder or a brace left open or unopened.
Status CheckPlaceholders(const std::string& text, bool allowed, const std::string& where) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') return Status::InvalidInput(where + "a '}' with no '{' before it");
    if (text[i] != '{') continue;
    const size_t end = text.find('}', i);
    if (end == std::string::npos) return Status::InvalidInput(where + "a '{' is never closed");
    const std::string name = text.substr(i + 1, end - i - 1);
    bool known = false;
    for (std::string_view p : kPlaceholders) known = known || name == p;
    if (name == "name") {
      return Status::InvalidInput(where +
                                  "{name} is not a placeholder: the name is always drawn on its "
                                  "own line, between intro and body");
    }
    if (!known || !allowed) {
      return Status::InvalidInput(
          where + "unknown placeholder {" + name + "}" +
          (allowed ? "; the placeholders are {event}, {dates}, {hours} and {ticket_type}"
                   : "; only intro and body take placeholders"));
    }
    i = end;
  }
  return Status::Ok();
}

}  // namespace

CertificateTemplate DefaultCertificateTemplate(Language lang) {
  if (lang == Language::kEnglish) {
    return {"Certificate of attendance", "This is to certify that",
            "attended {event} on {dates}{hours}.", "", ""};
  }
  return {"Certificado de asistencia", "Se certifica que", "asistió a {event} el {dates}{hours}.",
          "", ""};
}

Result<CertificateTemplate> ParseCertificateTemplate(const std::string& toml_text,
                                                     const std::string& source_name,
                                                     Language lang) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(Where(source_name, e.source()) + std::string(e.description()));
  }
  CertificateTemplate t = DefaultCertificateTemplate(lang);
  struct Field {
    std::string_view key;
    std::string* value;
    size_t max;
    bool placeholders;
  };
  const Field fields[] = {{"title", &t.title, kMaxTitle, false},
                          {"intro", &t.intro, kMaxLine, true},
                          {"body", &t.body, kMaxBody, true},
                          {"signer", &t.signer, kMaxLine, false},
                          {"signer_role", &t.signer_role, kMaxLine, false}};
  for (const auto& [key, node] : root) {
    const std::string where = Where(source_name, node.source());
    const Field* field = nullptr;
    for (const Field& f : fields) field = f.key == key.str() ? &f : field;
    if (field == nullptr) {
      return Status::InvalidInput(where + "unknown key '" + std::string(key.str()) +
                                  "'; a template has title, intro, body, signer and signer_role");
    }
    auto v = node.value<std::string>();
    if (!v) return Status::InvalidInput(where + std::string(key.str()) + " must be text in quotes");
    if (!IsValidUtf8(*v)) return Status::InvalidInput(where + "not UTF-8 text");
    if (v->size() > field->max) {
      return Status::InvalidInput(where + std::string(key.str()) + " is longer than " +
                                  std::to_string(field->max) + " bytes: it would not fit the page");
    }
    for (char c : *v) {
      if (c == '\n' || c == '\r' || c == '\t') {
        return Status::InvalidInput(where + std::string(key.str()) +
                                    " must be one line: the page wraps it");
      }
    }
    if (Status s = CheckPlaceholders(*v, field->placeholders, where); !s.ok()) return s;
    *field->value = std::move(*v);
  }
  if (Trim(t.title).empty()) return Status::InvalidInput(source_name + ": the title is empty");
  return t;
}

Result<CertificateTemplate> LoadCertificateTemplate(const std::string& path, Language lang) {
  if (path.empty()) return DefaultCertificateTemplate(lang);
  auto text = ReadWholeFile(path, 64 << 10);
  if (!text.ok()) return text.status().WithContext("certificate template: ");
  return ParseCertificateTemplate(*text, path, lang);
}

std::string FillPlaceholders(const std::string& text, const CertificateFields& f) {
  const std::array<const std::string*, 4> values = {&f.event, &f.dates, &f.hours, &f.ticket_type};
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t end = text[i] == '{' ? text.find('}', i) : std::string::npos;
    if (end == std::string::npos) {
      out.push_back(text[i]);
      continue;
    }
    const std::string_view name(text.data() + i + 1, end - i - 1);
    for (size_t p = 0; p < kPlaceholders.size(); ++p) {
      if (kPlaceholders[p] == name) out += *values[p];
    }
    i = end;
  }
  return out;
}

}  // namespace checkin::printer
