// FakePrinter: a PrinterBackend that records what it is given, with faults a
// test switches on and off (offline, jobs that stay pending, dropped jobs).
#pragma once

#include <map>
#include <string>

#include "printer/printer_backend.h"

namespace checkin::testing {

class FakePrinter final : public printer::PrinterBackend {
 public:
  bool offline = false;    // Submit, JobState and FindJob fail as unavailable
  bool hold = false;       // jobs stay pending until released
  bool drop_next = false;  // the next job is cancelled at the printer
  bool refuse = false;     // Submit refuses the job itself (not the printer away)
  bool rejecting = false;  // reachable, but takes no jobs (a queue set to reject)
  int submits = 0;
  std::map<std::string, std::string> jobs;  // id -> title
  std::map<std::string, printer::RemoteJobState> states;

  std::string name() const override { return "fake"; }

  printer::Media last_media;

  Result<std::string> Submit(const std::string& pdf, const std::string& title,
                             const printer::Media& media) override {
    last_media = media;
    if (offline) return Status::Unavailable("printer offline");
    if (rejecting) return Status::Unavailable("printer not accepting jobs");
    if (refuse) return Status::DeviceError("document format not supported");
    if (pdf.rfind("%PDF-", 0) != 0) return Status::InvalidInput("not a PDF");
    ++submits;
    const std::string id = std::to_string(100 + submits);
    jobs[id] = title;
    states[id] = drop_next ? printer::RemoteJobState::kCancelled
                 : hold    ? printer::RemoteJobState::kPending
                           : printer::RemoteJobState::kCompleted;
    drop_next = false;
    return id;
  }
  Result<printer::RemoteJobState> JobState(const std::string& id) override {
    if (offline) return Status::Unavailable("printer offline");
    auto it = states.find(id);
    return it == states.end() ? printer::RemoteJobState::kUnknown : it->second;
  }
  Result<std::optional<std::string>> FindJob(const std::string& title) override {
    if (offline) return Status::Unavailable("printer offline");
    for (const auto& [id, t] : jobs) {
      if (t == title) return std::optional<std::string>(id);
    }
    return std::optional<std::string>();
  }
  Result<printer::PrinterStatus> State() override {
    printer::PrinterStatus s;
    s.reachable = !offline;
    s.accepting = !offline && !rejecting;
    return s;
  }
  void ReleaseAll() {
    hold = false;
    for (auto& [id, st] : states) {
      if (st == printer::RemoteJobState::kPending) st = printer::RemoteJobState::kCompleted;
    }
  }
};

}  // namespace checkin::testing
