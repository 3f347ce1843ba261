// event_day (issue 10): 1,500 attendees arriving over 45 simulated minutes
// at four entrance stations and two print stations, every one a real
// `checkin` process paired with a real `checkin hub serve` over loopback
// TLS, with two entrance stations cut off from the hub for five simulated
// minutes in the middle and people trying a second door. It prints, against
// the truth it generated, who was admitted once, the double admissions (only
// during the cut, each one a conflict on the hub), lost check-ins (none),
// the badge wait and each station's offline time. Exit 1 when a check fails.
//
//   event_day [--quick] [--attendees N] [--speed X] [--cut drop|hang] [--dir DIR]
//             [--out FILE] [--keep]
#include "bench/event_day.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "bench/roster_gen.h"

namespace checkin::bench {
namespace {

double Uniform(Rng& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }
double Between(Rng& rng, double lo, double hi) { return lo + (hi - lo) * Uniform(rng); }

// Arrivals build up to a peak a third of the way in, then thin out: a
// triangular distribution on [0, 1) with its mode at 0.35.
double ArrivalFraction(Rng& rng) {
  constexpr double kMode = 0.35;
  const double u = Uniform(rng);
  return u < kMode ? std::sqrt(u * kMode) : 1 - std::sqrt((1 - u) * (1 - kMode));
}

std::string TicketCode(Rng& rng) {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string code = "EVD26-";
  for (int i = 0; i < 10; ++i) code += kAlphabet[rng.Below(sizeof kAlphabet - 1)];
  return code;
}

int DoorWhere(Rng& rng, bool cut) {
  int door;
  do door = static_cast<int>(rng.Below(kDoors));
  while (kCutDoor[door] != cut);
  return door;
}

}  // namespace

Schedule MakeSchedule(const DayOptions& o) {
  Rng rng(o.seed);
  Schedule s;
  s.cut_start_s = o.cut_at * 60;
  s.cut_end_s = s.cut_start_s + o.cut_minutes * 60;
  const double end_s = o.minutes * 60;
  std::vector<size_t> valid;
  for (size_t i = 0; i < o.attendees; ++i) {
    Holder p;
    p.code = TicketCode(rng);
    p.valid = !rng.Chance(2);
    if (p.valid) valid.push_back(i);
    s.people.push_back(std::move(p));
    Attempt a;
    a.person = i;
    a.sim_s = end_s * ArrivalFraction(rng);
    a.door = static_cast<int>(rng.Below(kDoors));
    s.attempts.push_back(a);  // attempt i is person i's first door
  }
  for (size_t i = valid.size(); i > 1; --i) std::swap(valid[i - 1], valid[rng.Below(i)]);
  size_t next = 0;
  auto add = [&](size_t person, double at, int door, AttemptKind kind) {
    Attempt a;
    a.person = person;
    a.sim_s = at;
    a.door = door;
    a.kind = kind;
    s.attempts.push_back(a);
  };
  // Across the cut: in at one side of it, then at the other while it lasts.
  // The gap leaves the first answer time to come back (a second at 20x).
  const double cs = s.cut_start_s, ce = s.cut_end_s;
  for (size_t k = 0; k < o.second_across_cut && next < valid.size(); ++k) {
    Attempt& first = s.attempts[valid[next]];
    first.sim_s = Between(rng, cs + 2 * o.speed, ce - 4 * o.speed);
    const int pattern = static_cast<int>(k % 3);  // cut->connected, connected->cut, cut->cut
    first.door = DoorWhere(rng, pattern != 1);
    int second = DoorWhere(rng, pattern != 0);
    while (second == first.door) second = DoorWhere(rng, true);
    add(valid[next++], Between(rng, first.sim_s + 1.5 * o.speed, ce - 1.5 * o.speed), second,
        AttemptKind::kSecondAcrossCut);
  }
  // In before the cut with time for every replica to pull it (sync every
  // 2 s), then at a cut-off door: the replica should say "already in".
  for (size_t k = 0; k < o.cut_door_after_entry && next < valid.size(); ++k) {
    Attempt& first = s.attempts[valid[next]];
    first.sim_s = cs - Between(rng, 8, 14) * o.speed;
    first.door = DoorWhere(rng, false);
    add(valid[next++], Between(rng, cs + o.speed, ce - o.speed), DoorWhere(rng, true),
        AttemptKind::kCutDoorAfterEntry);
  }
  // A second door while both reach the hub: away from the cut and the
  // seconds after it in which a cut-off door still decides alone.
  const double quiet_from = ce + kAfterHealSlackS * o.speed, quiet_until = cs - 2 * o.speed;
  auto connected = [&](double t) { return t < quiet_until || (t > quiet_from && t < end_s); };
  for (size_t k = 0; k < o.second_connected && next < valid.size(); ++next) {
    const Attempt& first = s.attempts[valid[next]];
    const double at = first.sim_s + Between(rng, 30, 240);
    if (!connected(first.sim_s) || !connected(at)) continue;
    int second = static_cast<int>(rng.Below(kDoors - 1));
    if (second >= first.door) ++second;
    add(valid[next], at, second, AttemptKind::kSecondConnected);
    ++k;
  }
  std::stable_sort(s.attempts.begin(), s.attempts.end(),
                   [](const Attempt& a, const Attempt& b) { return a.sim_s < b.sim_s; });
  return s;
}

namespace {

bool ParseNumber(const char* text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text, &end);
  return end != text && *end == '\0' && std::isfinite(*out) && *out > 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: event_day [--quick] [--attendees N] [--speed X] [--dir DIR] [--out FILE]"
               " [--cut drop|hang] [--checkin BINARY] [--keep]\n"
               "  --quick       300 attendees at 45x (about a minute and a half)\n"
               "  --attendees   how many arrive (default 1500), over 45 simulated minutes\n"
               "  --speed       simulated seconds per real second (default 20)\n"
               "  --cut         drop the cut-off doors' link (default) or stall it\n");
  return 2;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin::bench;
  DayOptions o;
#ifdef CHECKIN_BINARY
  o.checkin = CHECKIN_BINARY;
#endif
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    double v = 0;
    if (a == "--quick") {
      o.attendees = 300;
      o.speed = 45;
      o.second_connected = 15;
      o.second_across_cut = 12;
      o.cut_door_after_entry = 6;
    } else if (a == "--cut" && has_value &&
               (argv[i + 1] == std::string("drop") || argv[i + 1] == std::string("hang"))) {
      o.hang = argv[++i] == std::string("hang");
    } else if (a == "--keep") {
      o.keep = true;
    } else if (a == "--attendees" && has_value && ParseNumber(argv[++i], &v) && v >= 50) {
      const double scale = v / static_cast<double>(o.attendees);
      o.attendees = static_cast<size_t>(v);
      o.second_connected = static_cast<size_t>(std::ceil(75 * scale));
      o.second_across_cut = static_cast<size_t>(std::ceil(40 * scale));
      o.cut_door_after_entry = static_cast<size_t>(std::ceil(20 * scale));
    } else if (a == "--speed" && has_value && ParseNumber(argv[++i], &v) && v <= 200) {
      o.speed = v;
    } else if (a == "--dir" && has_value) {
      o.dir = argv[++i];
    } else if (a == "--out" && has_value) {
      o.out = argv[++i];
    } else if (a == "--checkin" && has_value) {
      o.checkin = argv[++i];
    } else {
      return Usage();
    }
  }
  if (o.checkin.empty()) return Usage();
  Schedule schedule = MakeSchedule(o);
  Report report(o.out);
  std::printf(
      "event_day: %zu attendees, %zu door attempts over %.0f simulated minutes at %.0fx;"
      " doors %s and %s cut off (%s) from minute %.0f to %.0f\n",
      o.attendees, schedule.attempts.size(), o.minutes, o.speed, kDoorNames[0], kDoorNames[2],
      o.hang ? "stalled" : "dropped", o.cut_at, o.cut_at + o.cut_minutes);
  std::fflush(stdout);
  VenueLog log = RunVenue(o, schedule);
  if (!log.ok) {
    std::fprintf(stderr, "event_day: %s (files in %s)\n", log.error.c_str(), log.dir.c_str());
    return 2;
  }
  const int failed = CheckDay(o, schedule, log, report);
  if (!o.keep && failed == 0) {
    std::error_code ec;
    std::filesystem::remove_all(log.dir, ec);
  } else {
    std::printf("files kept in %s\n", log.dir.c_str());
  }
  return failed == 0 ? 0 : 1;
}
