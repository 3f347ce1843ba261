#include "report/output.h"

#include <zip.h>

#include <filesystem>
#include <functional>
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
    case Format::kZip:
      return "zip";
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

// libxlsxwriter and libzip write only to files: a hidden one beside `out`
// (no more readable than `out` will be, which may hold names), then its
// bytes go to `out` atomically as every other format's do.
Status ViaHiddenFile(const std::string& out, Language lang,
                     const std::function<Status(const std::string&)>& write) {
  std::error_code ec;
  const fs::path target(out);
  const std::string tmp =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-" + RandomUuid())).string();
  Status s = write(tmp);
  auto bytes = s.ok() ? ReadWholeFile(tmp, size_t{1} << 30) : Result<std::string>(s);
  fs::remove(tmp, ec);
  if (!bytes.ok()) return Unwritable(out, bytes.status(), lang);
  s = WriteFileAtomically(out, *bytes);
  return s.ok() ? s : Unwritable(out, s, lang);
}

// The CSV tables as one zip file (libzip), deflated, names in UTF-8.
Status WriteZip(const Report& r, const std::string& path) {
  int err = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (zip == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    Status s = Status::DeviceError(zip_error_strerror(&e));
    zip_error_fini(&e);
    return s;
  }
  // libzip reads the buffers when the archive is closed: they live till then.
  const auto tables = ReportCsvTables(r);
  for (const auto& [name, bytes] : tables) {
    zip_source_t* src = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    if (src == nullptr || zip_file_add(zip, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      if (src != nullptr) zip_source_free(src);
      Status s = Status::DeviceError(zip_strerror(zip));
      zip_discard(zip);
      return s;
    }
  }
  if (zip_close(zip) != 0) {
    Status s = Status::DeviceError(zip_strerror(zip));
    zip_discard(zip);
    return s;
  }
  return Status::Ok();
}

}  // namespace

Result<Format> ChooseFormat(const std::string& out, const std::string& format, Language lang) {
  const std::string name = Lower(format);
  const std::string path = Lower(out);
  if (EndsWith(path, ".zip") && (name.empty() || name == "csv" || name == "zip")) {
    return Format::kZip;
  }
  if (!EndsWith(path, ".csv") && !EndsWith(path, ".zip")) {
    for (Format f : {Format::kJson, Format::kCsv, Format::kPdf, Format::kXlsx, Format::kHtml}) {
      if (name == FormatName(f)) return f;
      if (name.empty() && f != Format::kCsv && EndsWith(path, std::string(".") + FormatName(f))) {
        return f;
      }
    }
  }
  if (EndsWith(path, ".zip") || EndsWith(path, ".csv") || name == "csv" || name == "zip") {
    return Status::InvalidInput(Localized(
        lang,
        "el CSV es un archivo por tabla: use --format csv --out CARPETA, o --out ARCHIVO.zip",
        "CSV is one file per table: use --format csv --out FOLDER, or --out FILE.zip"));
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
    case Format::kXlsx:
      return ViaHiddenFile(out, lang, [&](const std::string& tmp) {
        return WriteReportXlsx(r, lang, tmp);
      });
    case Format::kZip:
      return ViaHiddenFile(out, lang, [&](const std::string& tmp) { return WriteZip(r, tmp); });
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
