// The words of a certificate of attendance: built-in Spanish and English, or
// an organizer's small TOML file. Pure; thread-safe.
#pragma once

#include <string>

#include "common/messages.h"
#include "common/result.h"

namespace checkin::printer {

// Text around the attendee's name, which is always drawn on its own line
// between `intro` and `body`. `intro` and `body` may hold the placeholders
// {event}, {dates}, {hours} and {ticket_type}.
struct CertificateTemplate {
  std::string title;        // "Certificado de asistencia"
  std::string intro;        // "Se certifica que"
  std::string body;         // "asistió a {event} el {dates}{hours}."
  std::string signer;       // '' for no signature line
  std::string signer_role;  // under the signer's name
};

CertificateTemplate DefaultCertificateTemplate(Language lang);

// Parses a template file's text: keys title, intro, body, signer,
// signer_role (each optional, the default in `lang` otherwise). InvalidInput
// with "file:line: " for a TOML error, an unknown key, a value that is not
// text, an unknown placeholder or an unclosed brace, and text too long for
// the page.
Result<CertificateTemplate> ParseCertificateTemplate(const std::string& toml_text,
                                                     const std::string& source_name, Language lang);

// Reads and parses `path`; the default in `lang` when `path` is empty.
Result<CertificateTemplate> LoadCertificateTemplate(const std::string& path, Language lang);

// `text` with each placeholder replaced by its value.
struct CertificateFields {
  std::string event, dates, hours, ticket_type;
};
std::string FillPlaceholders(const std::string& text, const CertificateFields& f);

}  // namespace checkin::printer
