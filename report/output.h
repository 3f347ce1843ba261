// Where a report goes: its format, from the option or the output path's
// extension, and writing it there without leaving half a report behind.
// Thread-safe (no state).
#pragma once

#include <string>

#include "common/messages.h"
#include "common/result.h"
#include "report/report.h"

namespace checkin::report {

// kCsv writes a folder of tables; kZip the same tables in one .zip file.
enum class Format { kJson, kCsv, kZip, kPdf, kXlsx, kHtml };
enum class Overwrite { kRefuse, kReplace };

// `format` when given ("json", "csv", "zip", "pdf", "xlsx", "html"), else
// the extension of `out` (.json, .zip, .pdf, .xlsx, .html). CSV tables go to
// a folder (--format csv) or, when `out` ends in .zip, into one zip file; an
// `out` ending in .csv is refused (there is a file per table).
// InvalidInput, in `lang`, saying what to type instead.
Result<Format> ChooseFormat(const std::string& out, const std::string& format, Language lang);

// What can be refused before the report is computed: an output that exists
// (unless kReplace; a folder for CSV, a regular file otherwise), a folder to
// write into that does not exist. InvalidInput or NotFound in `lang`.
Status CheckOutput(const std::string& out, Format format, Overwrite overwrite, Language lang);

// JSON: one file, written atomically (common/output_file.h). CSV: the folder
// `out`, created if missing, each table written atomically into it. Errors
// name the path and say what to do.
Status WriteReport(const Report& r, Format format, const std::string& out, Language lang);

}  // namespace checkin::report
