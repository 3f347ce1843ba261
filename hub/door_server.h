// The door screen (issue 11, item 1): a small plain-HTTP server that the
// entrance laptop's own `checkin scan` process runs on loopback, so the
// screen keeps showing verdicts while the hub is away. One browser logs in
// with a one-time link; it gets the page, the decisions and the hub-away
// state as server-sent events, and the camera as an MJPEG stream.
// Thread-safe: Publish*() may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/messages.h"
#include "common/result.h"

namespace checkin::hub {

// One decision as the door screen shows it: what a person behind the
// attendee may see (never an email).
struct DoorDecision {
  std::string verdict;      // VerdictName: "admitted", "already_checked_in", ...
  std::string tone;         // "green", "amber" or "red"
  std::string label;        // VerdictLabel: "ADMITIDO"
  std::string name;         // the attendee's full name, or the code shown
  std::string ticket_type;  // may be empty
  std::string detail;       // VolunteerMessage
  std::string at;           // UTC time of the decision
  bool offline = false;     // decided without the hub
};

struct DoorServerOptions {
  // "127.0.0.1:8080" (":0" picks a free port); loopback only.
  std::string listen;
  Language lang = Language::kSpanish;
  std::string gate;
  bool camera = false;  // the page shows the camera stream, or says there is none
  // True while the station's hub is away; polled every 250 ms. May be null.
  std::function<bool()> hub_away;
  // Hands a code typed into the page (a USB handheld scanner) to the
  // station, as its keyboard would. May be null: then the page says so.
  std::function<Status(const std::string& code)> redeem;
};

class DoorServer {
 public:
  // Listens and serves on a thread of its own. InvalidInput for a host that
  // is not loopback or a bad port; Unavailable when the port is taken.
  static Result<std::unique_ptr<DoorServer>> Start(DoorServerOptions options);
  virtual ~DoorServer() = default;  // stops serving, ends open streams

  // "http://127.0.0.1:PORT/login?t=SECRET": logs one browser in, once.
  virtual std::string LoginUrl() const = 0;
  virtual int Port() const = 0;

  virtual void PublishDecision(const DoorDecision& d) = 0;
  // Today's admissions through this gate.
  virtual void PublishCount(int64_t entries) = 0;
  // One JPEG picture for the camera stream.
  virtual void PublishFrame(std::string jpeg) = 0;
  // True while some browser watches the camera: encode frames only then.
  virtual bool WantsFrames() const = 0;
};

}  // namespace checkin::hub
