// The pdf:DIR backend: each badge becomes DIR/TITLE.pdf, written atomically,
// and is "completed" as soon as it is there.
#include <sys/stat.h>

#include "common/output_file.h"
#include "printer/printer_backend.h"

namespace checkin::printer {
namespace {

class PdfDirBackend final : public PrinterBackend {
 public:
  explicit PdfDirBackend(std::string dir) : dir_(std::move(dir)) {}
  std::string name() const override { return "pdf:" + dir_; }

  Result<std::string> Submit(const std::string& pdf, const std::string& title,
                             const Media&) override {
    // The print worker retries Unavailable: the folder may be made or freed.
    if (Status s = WriteFileAtomically(dir_ + "/" + title + ".pdf", pdf); !s.ok())
      return Status::Unavailable(s.message());
    return title;
  }
  Result<RemoteJobState> JobState(const std::string& job_id) override {
    return Exists(job_id) ? RemoteJobState::kCompleted : RemoteJobState::kUnknown;
  }
  Result<std::optional<std::string>> FindJob(const std::string& title) override {
    return Exists(title) ? std::optional<std::string>(title) : std::nullopt;
  }
  Result<PrinterStatus> State() override {
    struct stat st {};
    PrinterStatus s;
    s.reachable = s.accepting = ::stat(dir_.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if (!s.reachable) s.reasons = "folder " + dir_ + " is missing";
    return s;
  }

 private:
  bool Exists(const std::string& title) const {
    struct stat st {};
    return ::stat((dir_ + "/" + title + ".pdf").c_str(), &st) == 0;
  }
  std::string dir_;
};

}  // namespace

std::unique_ptr<PrinterBackend> MakeCupsBackend(const std::string& queue);

Result<std::unique_ptr<PrinterBackend>> MakePrinterBackend(const std::string& spec) {
  if (spec.rfind("pdf:", 0) == 0) {
    const std::string dir = spec.substr(4);
    if (dir.empty()) return Status::InvalidInput("pdf: needs a folder, e.g. pdf:demo-out/badges");
    return std::unique_ptr<PrinterBackend>(new PdfDirBackend(dir));
  }
  if (spec.empty() || spec.find_first_of("/# \t") != std::string::npos) {
    return Status::InvalidInput("'" + spec +
                                "' is not a CUPS queue name (see `lpstat -p`) or pdf:DIR");
  }
  return MakeCupsBackend(spec);
}

}  // namespace checkin::printer
