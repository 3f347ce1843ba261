// The CUPS backend, through libcups: jobs go to a queue on $CUPS_SERVER (or
// the local server) and are followed by IPP until the printer says completed.
#include <cups/cups.h>

#include <cstdio>

#include "printer/printer_backend.h"

namespace checkin::printer {
namespace {

Status CupsError(const std::string& what) {
  const std::string message = what + ": " + cupsLastErrorString();
  switch (cupsLastError()) {
    // The job itself is refused (its document or options): trying it again
    // a few times is all that can help.
    case IPP_STATUS_ERROR_BAD_REQUEST:
    case IPP_STATUS_ERROR_REQUEST_ENTITY:
    case IPP_STATUS_ERROR_REQUEST_VALUE:
    case IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED:
    case IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES:
    case IPP_STATUS_ERROR_CONFLICTING:
    case IPP_STATUS_ERROR_DOCUMENT_FORMAT_ERROR:
    case IPP_STATUS_ERROR_DOCUMENT_UNPRINTABLE:
      return Status::DeviceError(message);
    // Anything else is the printer side being away: an unplugged printer, a
    // queue that rejects jobs or is gone, a restarting server all come back
    // by themselves (or when someone fixes them).
    default:
      return Status::Unavailable(message);
  }
}

class CupsBackend final : public PrinterBackend {
 public:
  explicit CupsBackend(std::string queue) : queue_(std::move(queue)) {}
  std::string name() const override { return queue_; }

  Result<std::string> Submit(const std::string& pdf, const std::string& title,
                             const Media& media) override {
    cups_option_t* options = nullptr;
    int n = 0;
    char size[64];
    std::snprintf(size, sizeof size, "Custom.%.0fx%.0f", media.width_pt, media.height_pt);
    n = cupsAddOption("media", size, n, &options);
    const int job = cupsCreateJob(CUPS_HTTP_DEFAULT, queue_.c_str(), title.c_str(), n, options);
    cupsFreeOptions(n, options);
    if (job == 0) return CupsError("queue " + queue_ + " refused the job");
    if (cupsStartDocument(CUPS_HTTP_DEFAULT, queue_.c_str(), job, "badge.pdf", CUPS_FORMAT_PDF,
                          1) != HTTP_STATUS_CONTINUE ||
        cupsWriteRequestData(CUPS_HTTP_DEFAULT, pdf.data(), pdf.size()) != HTTP_STATUS_CONTINUE ||
        cupsFinishDocument(CUPS_HTTP_DEFAULT, queue_.c_str()) != IPP_STATUS_OK) {
      Status s = CupsError("sending the badge to " + queue_);
      cupsCancelJob2(CUPS_HTTP_DEFAULT, queue_.c_str(), job, 0);
      return s;
    }
    return std::to_string(job);
  }

  Result<RemoteJobState> JobState(const std::string& job_id) override {
    ipp_t* req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    char uri[256];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0,
                     "/jobs/%s", job_id.c_str());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    ipp_t* resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    if (resp == nullptr) return CupsError("asking about job " + job_id);
    ipp_attribute_t* a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
    const int state = a != nullptr ? ippGetInteger(a, 0) : 0;
    ippDelete(resp);
    switch (state) {
      case IPP_JSTATE_PENDING:
      case IPP_JSTATE_HELD:
        return RemoteJobState::kPending;
      case IPP_JSTATE_PROCESSING:
      case IPP_JSTATE_STOPPED:
        return RemoteJobState::kProcessing;
      case IPP_JSTATE_COMPLETED:
        return RemoteJobState::kCompleted;
      case IPP_JSTATE_CANCELED:
      case IPP_JSTATE_ABORTED:
        return RemoteJobState::kCancelled;
      default:
        return RemoteJobState::kUnknown;
    }
  }

  Result<std::optional<std::string>> FindJob(const std::string& title) override {
    cups_job_t* jobs = nullptr;
    const int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, queue_.c_str(), 0, CUPS_WHICHJOBS_ALL);
    if (n < 0) return CupsError("listing the jobs of " + queue_);
    std::optional<std::string> found;
    for (int i = 0; i < n; ++i) {
      if (jobs[i].title != nullptr && title == jobs[i].title) found = std::to_string(jobs[i].id);
    }
    cupsFreeJobs(n, jobs);
    return found;
  }

  Result<PrinterStatus> State() override {
    PrinterStatus s;
    ipp_t* req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    char uri[256];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0,
                     "/printers/%s", queue_.c_str());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri);
    ipp_t* resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    if (resp == nullptr || ippGetStatusCode(resp) > IPP_STATUS_OK_CONFLICTING) {
      ippDelete(resp);
      s.reasons = cupsLastErrorString();
      return s;
    }
    s.reachable = true;
    if (ipp_attribute_t* a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM)) {
      s.paused = ippGetInteger(a, 0) == IPP_PSTATE_STOPPED;
    }
    if (ipp_attribute_t* a = ippFindAttribute(resp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN)) {
      s.accepting = ippGetBoolean(a, 0) != 0;
    }
    if (ipp_attribute_t* a = ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD)) {
      for (int i = 0; i < ippGetCount(a); ++i) {
        const std::string r = ippGetString(a, i, nullptr);
        if (r != "none") s.reasons += (s.reasons.empty() ? "" : ", ") + r;
      }
    }
    ippDelete(resp);
    return s;
  }

 private:
  std::string queue_;
};

}  // namespace

std::unique_ptr<PrinterBackend> MakeCupsBackend(const std::string& queue) {
  return std::make_unique<CupsBackend>(queue);
}

}  // namespace checkin::printer
