// CheckDay: what the stations answered and what the hub kept, held against
// the schedule that generated the day.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "bench/event_day.h"
#include "bench/event_day_procs.h"
#include "common/timezone.h"

namespace checkin::bench {
namespace {

using nlohmann::json;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

// Seconds since 1970 of a UTC text the product wrote; NaN if it is not one.
double EpochS(const std::string& at) {
  auto t = ParseUtc(at);
  if (!t.ok()) return std::nan("");
  return std::chrono::duration<double>(t->time_since_epoch()).count();
}

// When a print station finished writing the PDF `title` (NaN if none did).
double PdfWrittenS(const VenueLog& log, const std::string& title) {
  for (const std::string& dir : log.printer_dirs) {
    struct stat st {};
    if (::stat((dir + "/" + title + ".pdf").c_str(), &st) == 0) {
      return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
    }
  }
  return std::nan("");
}

struct Admission {
  const Answer* answer;
  int door;
};

// The day's figures, read once from the answers and the hub's file, then
// reported section by section. Each failed check adds one to failed().
class DayCheck {
 public:
  DayCheck(const DayOptions& o, const Schedule& s, const VenueLog& log, HubFile& hub,
           Report& report)
      : o_(o), s_(s), log_(log), hub_(hub), report_(report), admitted_(s.people.size()) {}

  void Admissions();
  void Badges();
  void Stations();
  void WallTime();
  int failed() const { return failed_; }

 private:
  void Value(const std::string& name, double v, const std::string& unit) {
    report_.Value("event_day", name, v, unit);
  }
  void Expect(bool pass, const std::string& what, size_t n) {
    pass = pass && n == 0;
    std::printf("  %-4s %s: %zu\n", pass ? "ok" : "FAIL", what.c_str(), n);
    failed_ += pass ? 0 : 1;
  }
  void ReadAnswers();
  void Double(const Holder& p, const std::vector<Admission>& list);

  const DayOptions& o_;
  const Schedule& s_;
  const VenueLog& log_;
  HubFile& hub_;
  Report& report_;
  int failed_ = 0;
  std::vector<std::vector<Admission>> admitted_;  // per person, in answer order
  std::map<AttemptKind, std::map<std::string, int>> by_kind_;
  size_t unanswered_ = 0, offline_admissions_ = 0;
  std::set<std::string> conflict_uuids_, conflict_codes_;
  size_t doubles_ = 0, not_conflict_ = 0, outside_cut_ = 0;
};

void DayCheck::ReadAnswers() {
  for (const Attempt& a : s_.attempts) {
    if (!a.answer) {
      ++unanswered_;
      continue;
    }
    ++by_kind_[a.kind][a.answer->verdict + (a.answer->offline ? " (offline)" : "")];
    if (a.answer->verdict == "admitted") admitted_[a.person].push_back({&*a.answer, a.door});
    if (a.answer->verdict == "admitted" && a.answer->offline) ++offline_admissions_;
  }
  for (auto& list : admitted_) {
    std::sort(list.begin(), list.end(), [](const Admission& a, const Admission& b) {
      return a.answer->real_s < b.answer->real_s;
    });
  }
}

// A person admitted more than once: every admission must be in the hub's
// conflicts, and each after the first must come from the cut (one of them
// decided alone, the later ones between the cut and shortly after the heal).
void DayCheck::Double(const Holder& p, const std::vector<Admission>& list) {
  ++doubles_;
  const double cut_to = log_.heal_real_s + kAfterHealSlackS;
  bool listed = conflict_codes_.count(p.code) > 0, alone = false, in_cut = true;
  for (size_t k = 0; k < list.size(); ++k) {
    const Answer& a = *list[k].answer;
    listed = listed && conflict_uuids_.count(a.uuid) > 0;
    alone = alone || a.offline;
    if (k > 0) in_cut = in_cut && a.real_s >= log_.cut_real_s && a.real_s <= cut_to;
  }
  if (!listed) ++not_conflict_;
  if (!alone || !in_cut) ++outside_cut_;
}

void DayCheck::Admissions() {
  ReadAnswers();
  std::map<std::string, std::string> hub_kind;  // uuid -> kind on the hub
  for (auto& row : hub_.Rows("SELECT uuid, kind FROM checkins")) hub_kind[row[0]] = row[1];
  std::map<std::string, size_t> on_hub;  // code -> admissions the hub kept
  for (auto& row :
       hub_.Rows("SELECT a.ticket_code, count(*) FROM checkins c JOIN attendees a ON a.id = "
                 "c.attendee_id WHERE c.kind = 'admitted' AND c.direction = 'entry' GROUP BY 1"))
    on_hub[row[0]] = std::stoul(row[1]);
  const json conflicts = json::parse(log_.conflicts_json, nullptr, false);
  for (const json& c : conflicts.is_array() ? conflicts : json::array()) {
    conflict_codes_.insert(c.value("code", ""));
    conflict_uuids_.insert(c.at("first").value("checkin_id", ""));
    conflict_uuids_.insert(c.at("second").value("checkin_id", ""));
  }
  size_t valid = 0, once = 0, later = 0, lost = 0, cancelled_in = 0, never_in = 0, differ = 0;
  for (size_t p = 0; p < s_.people.size(); ++p) {
    const Holder& person = s_.people[p];
    const auto& list = admitted_[p];
    for (const Admission& a : list) {
      auto it = hub_kind.find(a.answer->uuid);
      if (it == hub_kind.end() || it->second != "admitted") ++lost;
    }
    valid += person.valid ? 1 : 0;
    cancelled_in += !person.valid && !list.empty() ? 1 : 0;
    never_in += person.valid && list.empty() ? 1 : 0;
    differ += list.size() != (on_hub.count(person.code) ? on_hub[person.code] : 0) ? 1 : 0;
    once += list.size() == 1 ? 1 : 0;
    if (list.size() < 2) continue;
    later += list.size() - 1;
    Double(person, list);
  }
  const size_t conflict_count = conflicts.is_array() ? conflicts.size() : 0;
  report_.Section("Event day: admissions against the truth");
  Value("attendees (valid tickets)", static_cast<double>(valid), "people");
  Value("cancelled tickets presented", static_cast<double>(s_.people.size() - valid), "people");
  Value("door attempts", static_cast<double>(s_.attempts.size()), "attempts");
  Value("admitted once", static_cast<double>(once), "people");
  Value("double admissions", static_cast<double>(doubles_), "people");
  Value("conflicts listed by the hub", static_cast<double>(conflict_count), "conflicts");
  Value("lost check-ins", static_cast<double>(lost), "check-ins");
  Value("admissions decided offline", static_cast<double>(offline_admissions_), "check-ins");
  static constexpr const char* kKindNames[] = {"first door", "second door, both connected",
                                               "second door across the cut",
                                               "cut-off door after entering before it"};
  for (const auto& [kind, verdicts] : by_kind_) {
    std::string line = std::string(kKindNames[static_cast<int>(kind)]) + ":";
    for (const auto& [verdict, n] : verdicts) line += " " + verdict + " " + std::to_string(n) + ",";
    line.pop_back();
    std::printf("  %s\n", line.c_str());
  }
  Expect(true, "door attempts never answered", unanswered_);
  Expect(true, "lost check-ins (announced admitted, not on the hub)", lost);
  Expect(true, "double admissions not listed as conflicts", not_conflict_);
  Expect(true, "double admissions outside the cut", outside_cut_);
  // The hub records one conflict for each admission after a ticket's first.
  Expect(conflict_count == later, "conflicts besides one per later admission",
         conflict_count > later ? conflict_count - later : later - conflict_count);
  Expect(true, "cancelled tickets admitted", cancelled_in);
  Expect(true, "valid tickets never admitted", never_in);
  Expect(true, "people whose admissions on the hub differ from the stations'", differ);
  Expect(true, "station lines for codes not sent there", log_.unmatched_lines);
}

// From admission (the decision's time) to the PDF on a print station's disk.
void DayCheck::Badges() {
  std::map<std::string, size_t> person_of;
  for (size_t p = 0; p < s_.people.size(); ++p) person_of[s_.people[p].code] = p;
  std::vector<double> waits;
  std::map<std::string, int> badges_of, per_printer;
  size_t missing_pdf = 0, jobs = 0, not_done = 0;
  for (auto& row : hub_.Rows("SELECT a.ticket_code, p.state, p.printer_job_id, p.claimed_by"
                             " FROM print_jobs p JOIN attendees a ON a.id = p.attendee_id")) {
    ++jobs;
    ++badges_of[row[0]];
    if (row[1] != "done") {
      ++not_done;
      continue;
    }
    ++per_printer[row[3].substr(0, row[3].find('/'))];
    const double written = PdfWrittenS(log_, row[2]);
    if (std::isnan(written)) {
      ++missing_pdf;
      continue;
    }
    for (const Admission& a : admitted_[person_of[row[0]]]) {
      if (a.answer->offline) continue;
      waits.push_back(written - EpochS(a.answer->at));
      break;
    }
  }
  size_t without = 0, two = 0, only_offline = 0, only_offline_badged = 0;
  for (size_t p = 0; p < s_.people.size(); ++p) {
    const auto& list = admitted_[p];
    const bool online = std::any_of(list.begin(), list.end(),
                                    [](const Admission& a) { return !a.answer->offline; });
    const int n = badges_of.count(s_.people[p].code) ? badges_of[s_.people[p].code] : 0;
    only_offline += !online && !list.empty() ? 1 : 0;
    only_offline_badged += !online && !list.empty() && n > 0 ? 1 : 0;
    without += !list.empty() && n == 0 ? 1 : 0;
    // Admitted at two doors across the cut, both doors queued one: the
    // conflict says so; anyone else printed twice is a fault.
    two += n > 1 && list.size() < 2 ? 1 : 0;
  }
  report_.Section("Event day: badges, admission to the PDF written (real time, not compressed)");
  Value("badge jobs", static_cast<double>(jobs), "jobs");
  for (const auto& [worker, n] : per_printer) Value("printed by " + worker, n, "badges");
  Value("badge wait p50", Percentile(waits, 0.50), "s");
  Value("badge wait p95", Percentile(waits, 0.95), "s");
  Value("badge wait max", Percentile(waits, 1.0), "s");
  // A station without the hub keeps the badge and queues it at its next sync.
  Value("admitted only offline", static_cast<double>(only_offline), "people");
  Value("admitted only offline, badge printed after the heal",
        static_cast<double>(only_offline_badged), "people");
  Expect(true, "badge jobs not done at the end", not_done);
  Expect(true, "badges done without their PDF", missing_pdf);
  Expect(true, "people admitted without a badge", without);
  Expect(true, "people admitted once with two badges", two);
}

// Offline time: from an answer decided alone to the next online one.
void DayCheck::Stations() {
  report_.Section("Event day: stations");
  // Real seconds after the doors opened. A station finds the hub back at its
  // next probe (every 3 s, not compressed), so offline outlasts the cut.
  Value("cut starts", log_.cut_real_s, "s");
  Value("cut heals", log_.heal_real_s, "s");
  for (int d = 0; d < kDoors; ++d) {
    std::vector<const Answer*> mine;
    std::vector<double> answer_ms;  // code typed to decision printed
    for (const Attempt& a : s_.attempts) {
      if (a.door != d || !a.answer) continue;
      mine.push_back(&*a.answer);
      answer_ms.push_back((a.answer->real_s - a.sent_real_s) * 1000);
    }
    std::sort(mine.begin(), mine.end(),
              [](const Answer* a, const Answer* b) { return a->real_s < b->real_s; });
    double offline_s = 0, since = -1, last_offline = 0;
    int alone = 0;
    for (const Answer* a : mine) {
      if (a->offline) {
        ++alone;
        last_offline = a->real_s;
        if (since < 0) since = a->real_s;
      } else if (since >= 0) {
        offline_s += a->real_s - since;
        since = -1;
      }
    }
    if (since >= 0) offline_s += last_offline - since;
    const std::string name = kDoorNames[d];
    Value(name + ": answers", static_cast<double>(mine.size()), "decisions");
    Value(name + ": decided alone", alone, "decisions");
    Value(name + ": answer p50", Percentile(answer_ms, 0.5), "ms");
    Value(name + ": answer p99", Percentile(answer_ms, 0.99), "ms");
    Value(name + ": answer max", Percentile(answer_ms, 1.0), "ms");
    Value(name + ": offline, real", offline_s, "s");
    Value(name + ": offline, simulated", offline_s * o_.speed / 60, "min");
    if (kCutDoor[d])
      Value(name + ": hub had all after the heal", log_.caught_up_after_heal_s[d], "s");
    Value(name + ": outbox at the end", static_cast<double>(log_.outbox_left[d]), "check-ins");
    Expect(log_.outbox_left[d] == 0, name + ": outbox not empty at the end",
           static_cast<size_t>(std::max<int64_t>(log_.outbox_left[d], 0)));
  }
}

void DayCheck::WallTime() {
  report_.Section("Event day: wall time");
  Value("setup (hub, pairing, daemons)", log_.setup_s, "s");
  Value("arrivals", log_.arrivals_s, "s");
  Value("drain (uploads, badges, conflicts)", log_.drain_s, "s");
  Value("total", log_.total_s, "s");
  Value("checks failed", failed_, "checks");
}

}  // namespace

int CheckDay(const DayOptions& o, const Schedule& s, const VenueLog& log, Report& report) {
  std::string error;
  auto hub = HubFile::Open(log.hub_db, &error);
  if (!hub) {
    std::fprintf(stderr, "event_day: %s\n", error.c_str());
    return 1;
  }
  DayCheck check(o, s, log, *hub, report);
  check.Admissions();
  check.Badges();
  check.Stations();
  check.WallTime();
  return check.failed();
}

}  // namespace checkin::bench
