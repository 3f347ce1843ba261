// checkin certificates: certificates of attendance for everyone admitted,
// into one PDF or a folder of PDFs with a CSV for a mail merge; and
// `certificates verify CODE`, which tells whose a certificate's code is.
#include <sys/stat.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/support.h"
#include "common/certificate_code.h"
#include "common/clock.h"
#include "common/output_file.h"
#include "common/text.h"
#include "db/attendance.h"
#include "printer/certificate_render.h"

namespace checkin::cli {
namespace {

struct CertificateOptions {
  std::string out;
  std::string template_path;
  bool force = false;
  std::string code;
};

// One certificate, and where it is mailed.
struct Issued {
  std::vector<printer::Certificate> certificates;
  std::vector<std::string> emails;  // in the same order
};

// What the certificates say of each person admitted: the attendance, and the
// code only this event's key makes.
Result<Issued> CertificatesOf(Opened& opened) {
  auto attended = db::ListAttendance(opened.database(), opened.event.timezone);
  if (!attended.ok()) return attended.status();
  auto key = db::CertificateKey(opened.database(), SystemClock());
  if (!key.ok()) return key.status();
  Issued out;
  out.certificates.reserve(attended->size());
  for (db::Attendance& a : *attended) {
    auto code = CertificateCode(
        *key, opened.event.created_at, a.attendee.source,
        a.attendee.ticket_id.empty() ? a.attendee.ticket_code : a.attendee.ticket_id);
    if (!code.ok()) return code.status();
    out.emails.push_back(a.attendee.email);
    out.certificates.push_back({a.attendee.id, a.attendee.FullName(), a.attendee.ticket_type,
                                std::move(a.dates), a.minutes, std::move(*code)});
  }
  return out;
}

// The name in lower-case ASCII letters ("Łukasz" -> "lukasz", "Анна" ->
// "anna"), through ICU's transliterators; the name folded when they are
// missing.
std::string AsciiName(const std::string& name) {
  static const std::unique_ptr<icu::Transliterator> to_ascii = [] {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, err));
    return U_SUCCESS(err) ? std::move(t) : nullptr;
  }();
  if (!to_ascii) return Fold(name);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(name);
  to_ascii->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// "0042-jose-munoz.pdf": the id keeps names unique, the name in ASCII lets a
// person find a file; a name with no letters to spell keeps the id alone.
std::string FileNameFor(const printer::Certificate& c) {
  char id[32];
  std::snprintf(id, sizeof id, "%04lld", static_cast<long long>(c.attendee_id));
  std::string slug;
  for (char ch : AsciiName(c.name)) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (keep)
      slug.push_back(ch);
    else if (!slug.empty() && slug.back() != '-')
      slug.push_back('-');
    if (slug.size() >= 40) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return std::string(id) + (slug.empty() ? "" : "-" + slug) + ".pdf";
}

void AppendCsvField(std::string& out, const std::string& field) {
  out += '"';
  for (char c : DefuseFormula(field)) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
}

bool EndsWithPdf(const std::string& path) {
  return path.size() > 4 && Fold(path.substr(path.size() - 4)) == ".pdf";
}

// Refuses to replace earlier output unless told to. (Fail() makes the
// path safe for the terminal.)
Status CheckOutput(const std::string& out, bool pdf, bool force, bool es) {
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(out, ec);
  if (ec || !std::filesystem::exists(st)) return Status::Ok();
  if (pdf && std::filesystem::is_directory(st)) {
    return Status::InvalidInput(out + (es ? " es una carpeta" : " is a folder"));
  }
  if (!pdf && !std::filesystem::is_directory(st)) {
    return Status::InvalidInput(out + (es ? " existe y no es una carpeta (¿quería FILE.pdf?)"
                                          : " exists and is not a folder (meant FILE.pdf?)"));
  }
  const bool taken = pdf || !std::filesystem::is_empty(out, ec);
  if (taken && !force) {
    return Status::InvalidInput(
        out + (es ? " ya existe; --force lo reemplaza" : " already exists; --force replaces it"));
  }
  return Status::Ok();
}

Status WriteFolder(const std::string& dir, const Issued& issued,
                   const printer::CertificateTemplate& words, const Opened& opened) {
  const std::vector<printer::Certificate>& certs = issued.certificates;
  std::error_code ec;
  std::filesystem::create_directory(dir, ec);
  if (ec) return Status::DeviceError("cannot create the folder " + dir + ": " + ec.message());
  std::string csv = "\"name\",\"email\",\"certificate\"\r\n";
  for (size_t i = 0; i < certs.size(); ++i) {
    ShowProgress("certificates", i, certs.size());
    auto pdf = printer::RenderCertificates({certs[i]}, words, opened.event.name, opened.lang);
    if (!pdf.ok()) return pdf.status();
    const std::string file = FileNameFor(certs[i]);
    if (Status s = WriteFileAtomically(dir + "/" + file, *pdf); !s.ok()) return s;
    AppendCsvField(csv, certs[i].name);
    csv += ',';
    AppendCsvField(csv, issued.emails[i]);
    csv += ',';
    AppendCsvField(csv, file);
    csv += "\r\n";
  }
  ShowProgress("certificates", certs.size(), certs.size());
  return WriteFileAtomically(dir + "/certificates.csv", csv);
}

int RunCertificates(const GlobalOptions& g, const CertificateOptions& o) {
  auto opened = Open(g, Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  auto words = printer::LoadCertificateTemplate(o.template_path, opened->lang);
  if (!words.ok()) return Fail(words.status());
  const bool pdf = EndsWithPdf(o.out);
  if (Status s = CheckOutput(o.out, pdf, o.force, es); !s.ok()) return Fail(s);
  auto issued = CertificatesOf(*opened);
  if (!issued.ok()) return Fail(issued.status());
  const std::vector<printer::Certificate>& certs = issued->certificates;
  if (certs.empty()) {
    return Fail(
        Status::NotFound(es ? "nadie ha ingresado a este evento todavía: no hay certificados"
                            : "nobody has been checked in to this event yet: no certificates"));
  }
  if (pdf) {
    auto bytes = printer::RenderCertificates(
        certs, *words, opened->event.name, opened->lang,
        [](size_t done, size_t total) { ShowProgress("certificates", done, total); });
    if (!bytes.ok()) return Fail(bytes.status());
    if (Status s = WriteFileAtomically(o.out, *bytes); !s.ok()) return Fail(s);
  } else if (Status s = WriteFolder(o.out, *issued, *words, *opened); !s.ok()) {
    return Fail(s);
  }
  const size_t n = certs.size();
  std::cout << n
            << (es ? (n == 1 ? " certificado escrito en " : " certificados escritos en ")
                   : (n == 1 ? " certificate written to " : " certificates written to "))
            << Safe(o.out) << "\n";
  return kExitOk;
}

}  // namespace

namespace {

// Exit 1 for a code that is not one of this event's: a tampered, mistyped or
// foreign one, told apart only by whether it has the shape of a code.
int RunVerify(const GlobalOptions& g, const std::string& typed) {
  auto opened = Open(g, Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  const auto code = NormalizeCertificateCode(typed);
  if (!code) {
    std::cout << Paint(es ? "NO VÁLIDO" : "NOT VALID", VerdictColour(Verdict::kUnknown)) << ": "
              << (es ? "no es un código de certificado (10 letras y cifras, p. ej. 7K2QH-M9XTD)"
                     : "not a certificate code (10 letters and digits, e.g. 7K2QH-M9XTD)")
              << "\n";
    return kExitDenied;
  }
  auto issued = CertificatesOf(*opened);
  if (!issued.ok()) return Fail(issued.status());
  // Every code is compared, in constant time each: how long the answer takes
  // tells nothing of how close a guess was.
  const printer::Certificate* found = nullptr;
  for (const printer::Certificate& c : issued->certificates) {
    if (SameCertificateCode(c.code, *code)) found = &c;
  }
  if (found == nullptr) {
    std::cout << Paint(es ? "NO VÁLIDO" : "NOT VALID", VerdictColour(Verdict::kUnknown)) << ": "
              << *code
              << (es ? " no es el código de ningún certificado de "
                     : " is not the code of any certificate of ")
              << Safe(opened->event.name) << "\n";
    return kExitDenied;
  }
  std::cout << Paint(es ? "VÁLIDO" : "VALID", VerdictColour(Verdict::kAdmitted)) << ": " << *code
            << "\n  " << (es ? "nombre: " : "name: ") << Safe(found->name) << "\n  "
            << (es ? "tipo de entrada: " : "ticket type: ") << Safe(found->ticket_type) << "\n  "
            << (es ? "asistió: " : "attended: ") << printer::DatesText(found->dates, opened->lang)
            << printer::HoursText(found->minutes, opened->lang) << "\n  "
            << (es ? "evento: " : "event: ") << Safe(opened->event.name) << "\n";
  return kExitOk;
}

}  // namespace

void RegisterCertificates(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* cmd =
      app.add_subcommand("certificates", "Certificates of attendance for everyone admitted");
  auto o = std::make_shared<CertificateOptions>();
  auto* out = cmd->add_option("--out", o->out,
                              "FILE.pdf (one page each) or a folder (one PDF each and "
                              "certificates.csv for a mail merge)");
  cmd->add_option("--template", o->template_path,
                  "Template file (TOML: title, intro, body, signer, signer_role)");
  cmd->add_flag("--force", o->force,
                "Replace an existing FILE.pdf or write into a non-empty folder");
  auto* verify = cmd->add_subcommand("verify", "Whose certificate a verification code is");
  AddCodeOption(*verify, "CODE", o->code, "The code printed on the certificate")->required();
  verify->callback([&g, &exit_code, o] { exit_code = RunVerify(g, o->code); });
  cmd->callback([&g, &exit_code, o, out, verify] {
    if (verify->parsed()) return;
    if (out->count() == 0) {
      exit_code = Fail(Status::InvalidInput("say where: --out FILE.pdf or --out FOLDER"));
      return;
    }
    exit_code = RunCertificates(g, *o);
  });
}

}  // namespace checkin::cli
