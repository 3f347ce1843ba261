// checkin stats: how many came, per ticket type and gate, with bars a
// volunteer lead can read at a glance.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/support.h"

namespace checkin::cli {
namespace {

std::string Bar(int64_t part, int64_t whole, int width = 24) {
  const int64_t filled = whole > 0 ? (part * width + whole / 2) / whole : 0;
  std::string out;
  for (int64_t i = 0; i < width; ++i) out += i < filled ? "█" : "░";
  return out;
}

std::string Pct(int64_t part, int64_t whole) {
  if (whole == 0) return "  -";
  std::ostringstream os;
  os << std::setw(3) << (part * 100 + whole / 2) / whole << "%";
  return os.str();
}

// Pads by displayed characters, not bytes, so accented labels line up.
std::string PadRight(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return s + std::string(chars < width ? width - chars : 0, ' ');
}

int RunStats(const GlobalOptions& g, bool json) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  const EventInfo& ev = opened->event;
  auto s = opened->service().ComputeStats({});
  if (!s.ok()) return Fail(s.status());
  if (json) {
    PrintJson(StatsJson(*s, ev.name));
    return kExitOk;
  }
  std::cout << Safe(ev.name) << "\n"
            << (es ? "Ingresaron " : "Checked in ") << s->checked_in << " / " << s->expected
            << (es ? " esperados  " : " expected  ") << Bar(s->checked_in, s->expected) << " "
            << Pct(s->checked_in, s->expected) << "\n"
            << (es ? "Adentro ahora: " : "Inside now: ") << s->inside_now
            << (es ? "   Entradas canceladas: " : "   Cancelled tickets: ") << s->cancelled;
  if (s->conflicts > 0) {
    std::cout << (es ? "   Conflictos: " : "   Conflicts: ") << s->conflicts
              << (es ? " (checkin hub conflicts)" : " (checkin hub conflicts)");
  }
  std::cout << "\n\n" << (es ? "Por tipo de entrada\n" : "By ticket type\n");
  for (const auto& t : s->by_ticket_type) {
    std::cout << "  " << PadRight(t.ticket_type.empty() ? "-" : Safe(t.ticket_type), 16)
              << Bar(t.checked_in, t.expected) << " " << std::setw(5) << t.checked_in << " / "
              << std::setw(5) << t.expected << " " << Pct(t.checked_in, t.expected) << "\n";
  }
  if (!s->by_gate.empty()) {
    std::cout << (es ? "\nPor puerta\n" : "\nBy gate\n");
    for (const auto& gs : s->by_gate) {
      std::cout << "  " << PadRight(Safe(gs.gate), 16) << (es ? "entradas " : "entries ")
                << gs.entries << (es ? "   salidas " : "   exits ") << gs.exits
                << (es ? "   rechazos " : "   denials ") << gs.denials << "\n";
    }
  }
  if (!s->denials_by_verdict.empty()) {
    std::cout << (es ? "\nRechazos por motivo\n" : "\nDenials by verdict\n");
    for (const auto& [v, n] : s->denials_by_verdict)
      std::cout << "  " << PadRight(Safe(v), 20) << n << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterStats(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("stats", "Checked in / expected, per ticket type and gate");
  cmd->add_flag("--json", *json, "Print one JSON object");
  cmd->callback([&g, &exit_code, json] { exit_code = RunStats(g, *json); });
}

}  // namespace checkin::cli
