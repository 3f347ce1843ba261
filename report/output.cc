#include "report/output.h"

#include <filesystem>
#include <system_error>

#include "common/file.h"
#include "common/output_file.h"
#include "common/random.h"

namespace checkin::report {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

const char* FormatName(Format f) {
  switch (f) {
    case Format::kJson:
      return "json";
    case Format::kCsv:
      return "csv";
    case Format::kPdf:
      return "pdf";
    case Format::kXlsx:
      return "xlsx";
    case Format::kHtml:
      return "html";
  }
  return "";
}

Status Unwritable(const std::string& out, const Status& s, Language lang) {
  return Status::FromCode(s.code(),
                          Localized(lang,
                                    "no se pudo escribir " + out + " (" + s.message() +
                                        "); elija con --out una carpeta donde se pueda escribir",
                                    "could not write " + out + " (" + s.message() +
                                        "); choose with --out a folder you can write to"));
}

}  // namespace

Result<Format> ChooseFormat(const std::string& out, const std::string& format, Language lang) {
  const std::string name = Lower(format);
  const std::string path = Lower(out);
  for (Format f : {Format::kJson, Format::kCsv, Format::kPdf, Format::kXlsx, Format::kHtml}) {
    if (name == FormatName(f)) {
      if (f == Format::kCsv && (EndsWith(path, ".zip") || EndsWith(path, ".csv"))) break;
      return f;
    }
    if (name.empty() && f != Format::kCsv && EndsWith(path, std::string(".") + FormatName(f))) {
      return f;
    }
  }
  if (EndsWith(path, ".zip") || EndsWith(path, ".csv") || name == "csv") {
    return Status::InvalidInput(Localized(
        lang,
        "el CSV es un archivo por tabla en una carpeta (el .zip aún no está construido): "
        "use --format csv --out CARPETA",
        "CSV is one file per table in a folder (the .zip is not built yet): use --format csv "
        "--out FOLDER"));
  }
  return Status::InvalidInput(Localized(
      lang, "no se sabe en qué formato escribir " + out + ": use --format pdf|xlsx|html|json|csv",
      "cannot tell which format to write " + out + " in: use --format pdf|xlsx|html|json|csv"));
}

Status CheckOutput(const std::string& out, Format format, Overwrite overwrite, Language lang) {
  std::error_code ec;
  const auto st = fs::symlink_status(out, ec);
  if (fs::exists(st)) {
    const bool fits = format == Format::kCsv ? fs::is_directory(st) : fs::is_regular_file(st);
    if (!fits) {
      return Status::InvalidInput(Localized(
          lang,
          out + " ya existe y no es " + (format == Format::kCsv ? "una carpeta" : "un archivo"),
          out + " exists and is not a " + (format == Format::kCsv ? "folder" : "regular file")));
    }
    if (overwrite == Overwrite::kRefuse) {
      return Status::InvalidInput(
          Localized(lang, out + " ya existe: use --force para reemplazarlo u otro --out",
                    out + " already exists: use --force to replace it, or another --out"));
    }
  }
  const fs::path parent = fs::path(out).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return Status::NotFound(Localized(
        lang, "la carpeta " + parent.string() + " no existe: créela o elija otro --out",
        "the folder " + parent.string() + " does not exist: create it or choose another --out"));
  }
  return Status::Ok();
}

Status WriteReport(const Report& r, Format format, const std::string& out, Language lang) {
  switch (format) {
    case Format::kJson: {
      Status s = WriteFileAtomically(out, ReportJson(r) + "\n");
      return s.ok() ? s : Unwritable(out, s, lang);
    }
    case Format::kHtml: {
      Status s = WriteFileAtomically(out, ReportHtml(r, lang));
      return s.ok() ? s : Unwritable(out, s, lang);
    }
    case Format::kPdf: {
      auto pdf = ReportPdf(r, lang);
      if (!pdf.ok()) return pdf.status();
      Status s = WriteFileAtomically(out, *pdf);
      return s.ok() ? s : Unwritable(out, s, lang);
    }
    case Format::kXlsx: {
      // libxlsxwriter writes only to a file: a hidden one beside `out` (no
      // more readable than `out` will be, which may hold names), then its
      // bytes go to `out` as every other format's do.
      std::error_code ec;
      const fs::path target(out);
      const std::string tmp =
          (target.parent_path() / ("." + target.filename().string() + ".tmp-" + RandomUuid()))
              .string();
      Status s = WriteReportXlsx(r, lang, tmp);
      auto bytes = s.ok() ? ReadWholeFile(tmp, size_t{1} << 30) : Result<std::string>(s);
      fs::remove(tmp, ec);
      if (!bytes.ok()) return Unwritable(out, bytes.status(), lang);
      s = WriteFileAtomically(out, *bytes);
      return s.ok() ? s : Unwritable(out, s, lang);
    }
    case Format::kCsv:
      break;
  }
  std::error_code ec;
  fs::create_directory(out, ec);
  if (ec) return Unwritable(out, Status::DeviceError(ec.message()), lang);
  for (const auto& [name, bytes] : ReportCsvTables(r)) {
    const std::string path = (fs::path(out) / name).string();
    if (Status s = WriteFileAtomically(path, bytes); !s.ok()) return Unwritable(path, s, lang);
  }
  return Status::Ok();
}

}  // namespace checkin::report
