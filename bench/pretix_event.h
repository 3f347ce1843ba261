// A synthetic pretix event for sync_bench: orders of one to three positions
// (admissions, workshop add-ons, a T-shirt that admits no one), some pending,
// expired or canceled, attendees with accented names, served in pretix's REST
// format by an httplib server on 127.0.0.1, and written as pretix's CSV
// export of the same admission tickets. Deterministic for a seed. The server
// answers on its own thread; Set*() may be called while it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bench/roster_gen.h"
#include "common/result.h"

namespace checkin::bench {

inline constexpr int kPretixPageOrders = 50;  // pretix's page size

struct PretixPosition {
  int64_t id = 0;
  int positionid = 0;
  int64_t item = 0;
  std::optional<int64_t> addon_to;
  bool canceled = false;
  bool named = true;  // false: attendee_name null, the invoice name applies
  Person person;
  std::string secret;
};

struct PretixOrder {
  std::string code;
  char status = 'p';  // pretix's n, p, e, c
  Person buyer;
  std::vector<PretixPosition> positions;
};

struct PretixEvent {
  std::vector<PretixOrder> orders;
  size_t positions = 0;
  size_t admissions = 0;  // positions the roster keeps: admission products, not add-ons
};

// `orders` orders (an even number) with exactly 2 * orders positions.
PretixEvent MakePretixEvent(size_t orders, uint64_t seed);

// Changes `count` orders from `first` on (wrapping), as a day of sales does:
// a renamed attendee, a canceled position, a paid pending order. Returns the
// indexes of the orders changed.
std::vector<size_t> ChangeOrders(PretixEvent* event, size_t first, size_t count, uint64_t seed);

// pretix's CSV export ("Order data", positions) of the admission tickets the
// sync keeps, with the attendee names the sync reads. DeviceError if the file
// cannot be written.
Status WritePretixCsv(const PretixEvent& event, const std::string& path);

// The event at /api/v1/organizers/bench/events/sync/ on 127.0.0.1.
class FakePretixServer {
 public:
  static constexpr const char* kToken = "bench-token";
  FakePretixServer();
  ~FakePretixServer();
  std::string url() const;  // the API's base URL
  // The pages of the full list (every order) and of the list modified since
  // any time (`changed` orders only), rendered now.
  void SetOrders(const PretixEvent& event, const std::vector<size_t>& changed);
  // The bodies as served, for timing the JSON reading alone.
  std::vector<std::string> FullPages() const;
  std::string ItemsPage() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin::bench
