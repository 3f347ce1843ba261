#include "report/document.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/verdict.h"

namespace checkin::report {
namespace {

// Digits grouped by thousands, as each language writes them: 12.345 / 12,345.
std::string Whole(int64_t n, Language lang) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  const char sep = lang == Language::kSpanish ? '.' : ',';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string OneDecimal(double v, Language lang) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (lang == Language::kSpanish) {
    for (char& c : s) c = c == '.' ? ',' : c;
  }
  return s;
}

Cell Count(int64_t n, Language lang) { return {Whole(n, lang), static_cast<double>(n), false}; }

Cell Share(double share, Language lang) {
  return {OneDecimal(share * 100, lang) + (lang == Language::kSpanish ? " %" : "%"), share, true};
}

Cell Rate(double per_minute, Language lang) {
  return {OneDecimal(per_minute, lang), per_minute, false};
}

Cell Text(std::string s) { return {std::move(s), std::nullopt, false}; }

double ShareOf(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0;
}

// "2026-11-28" as "28/11/2026".
std::string Date(const std::string& iso) {
  if (iso.size() < 10) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string VerdictWords(const std::string& name, Language lang) {
  auto v = ParseVerdict(name);
  return v ? VerdictLabel(*v, lang) : name;
}

// The log keeps a denial's reason as a code (common/verdict.cc); people
// read words. A code this list lacks is shown as it is.
std::string ReasonWords(const std::string& code, Language lang) {
  struct Words {
    const char *code, *es, *en;
  };
  static constexpr Words kWords[] = {
      {"unknown_code", "código desconocido", "unknown code"},
      {"cancelled", "entrada cancelada", "cancelled ticket"},
      {"refunded", "entrada reembolsada", "refunded ticket"},
      {"revoked", "código anulado en la plataforma", "code revoked on the platform"},
      {"already_inside", "ya estaba adentro", "already inside"},
      {"blocked", "bloqueada en la plataforma", "blocked on the platform"},
      {"not_yet_valid", "aún no era válida", "not valid yet"},
      {"no_longer_valid", "ya no era válida", "no longer valid"},
      {"ticket_type_not_allowed", "tipo de entrada no admitido en esa puerta",
       "ticket type not allowed at that gate"},
      {"wrong_day", "no valía ese día", "not valid that day"},
      {"not_inside", "salida de alguien que no había entrado", "exit of someone not inside"},
      {"not_an_admission", "producto que no es una entrada", "not an admission product"},
      {"signature_not_valid", "firma no válida", "signature not valid"},
      {"signed_ticket_malformed", "entrada firmada mal formada", "malformed signed ticket"},
  };
  for (const Words& w : kWords) {
    if (code == w.code) return lang == Language::kSpanish ? w.es : w.en;
  }
  return code;
}

Section Rates(const std::vector<DoorRate>& rates, Language lang, bool gates) {
  auto L = [lang](std::string_view es, std::string_view en) { return Localized(lang, es, en); };
  Section s;
  s.title = gates ? L("Ritmo por puerta", "Throughput per gate")
                  : L("Ritmo por estación", "Throughput per station");
  s.note =
      L("Personas admitidas por minuto mientras la puerta estuvo ocupada (minutos con al menos "
        "una admisión).",
        "People admitted per minute while the door was busy (minutes with at least one "
        "admission).");
  s.header = {gates ? L("Puerta", "Gate") : L("Estación", "Station"), L("Admisiones", "Admissions"),
              L("Minutos ocupada", "Busy minutes"), L("Personas por minuto", "People per minute")};
  for (const DoorRate& d : rates) {
    s.rows.push_back({Text(d.name), Count(d.admissions, lang), Count(d.busy_minutes, lang),
                      Rate(d.per_minute, lang)});
  }
  if (!rates.empty()) s.chart = Chart{s.header[3], 3, s.rows.size()};
  s.sheet = gates ? L("Ritmo por puerta", "Per gate") : L("Ritmo por estación", "Per station");
  return s;
}

Section People(const std::vector<Person>& people, std::string title, std::string sheet,
               Language lang) {
  Section s;
  s.title = std::move(title);
  s.note = Localized(lang,
                     "Datos personales (Ley 1581 de 2012): compártalos solo con quien los "
                     "necesite.",
                     "Personal data (Colombia's Ley 1581 de 2012): share only with those who "
                     "need it.");
  s.header = {Localized(lang, "Nombre", "First name"), Localized(lang, "Apellidos", "Last name"),
              Localized(lang, "Correo", "Email"), Localized(lang, "Tipo de entrada", "Ticket type"),
              Localized(lang, "Código", "Code")};
  for (const Person& p : people) {
    s.rows.push_back({Text(p.first_name), Text(p.last_name), Text(p.email), Text(p.ticket_type),
                      Text(p.ticket_code)});
  }
  s.sheet = std::move(sheet);
  return s;
}

// The smallest 1, 2 or 5 times a power of ten at or above `v`.
double RoundUp(double v) {
  if (v <= 0) return 1;
  double step = 1;
  while (step * 10 <= v) step *= 10;
  while (step > v * 10) step /= 10;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * step >= v) return m * step;
  }
  return 10 * step;
}

}  // namespace

ChartPlan PlanChart(const Section& s) {
  ChartPlan p;
  if (!s.chart) return p;
  double top = 0;
  for (size_t i = 0; i < s.chart->rows && i < s.rows.size(); ++i) {
    const std::vector<Cell>& row = s.rows[i];
    const Cell& v = row.at(s.chart->value_column);
    p.labels.push_back(row.front().text);
    p.values.push_back(v.number.value_or(0));
    top = std::max(top, p.values.back());
  }
  p.axis_max = RoundUp(top);
  p.columns = p.values.size() > 12;
  if (!p.columns) return p;
  p.label_every = (p.values.size() + 11) / 12;
  for (int t = 0; t < ChartPlan::kTicks; ++t) {
    const double share = t / static_cast<double>(ChartPlan::kTicks - 1);
    char mark[32];
    std::snprintf(mark, sizeof mark, "%g", p.axis_max * share);
    p.ticks.emplace_back(share, mark);
  }
  return p;
}

std::string BinLabel(const std::string& start, bool one_day) {
  if (start.size() < 16) return start;
  const std::string hm = start.substr(11, 5);
  return one_day ? hm : start.substr(8, 2) + "/" + start.substr(5, 2) + " " + hm;
}

Document LayOut(const Report& r, Language lang) {
  auto L = [lang](std::string_view es, std::string_view en) { return Localized(lang, es, en); };
  Document d;
  d.title = L("Informe de asistencia", "Attendance report");
  d.event = r.event;
  const std::string first = r.first_checkin.substr(0, 10), last = r.last_checkin.substr(0, 10);
  const bool one_day = !r.day.empty() || first == last;
  if (!r.day.empty()) {
    d.subtitle = Date(r.day);
  } else {
    d.subtitle = first == last ? Date(first) : Date(first) + " – " + Date(last);
  }
  d.subtitle += " · " + L("hora de ", "time zone ") + r.timezone;
  d.footer = L("Generado el ", "Generated on ") + r.generated_at.substr(0, 10) + " " +
             r.generated_at.substr(11, 5) + " UTC " + L("por checkin", "by checkin");

  d.headline = {
      {L("Registrados", "Registered"), Count(r.registered, lang)},
      {L("Asistieron", "Checked in"), Count(r.checked_in, lang)},
      {L("Tasa de asistencia", "Show rate"), Share(r.show_rate, lang)},
      {L("No asistieron", "No-shows"), Count(r.no_shows, lang)},
      {L("Registros tardíos", "Late registrations"), Count(r.late_registrations, lang)},
      {L("Entradas", "Entries"), Count(r.entries, lang)},
      {L("Salidas", "Exits"), Count(r.exits, lang)},
      {L("Reintentos", "Repeat attempts"), Count(r.repeat_attempts, lang)},
      {L("Anulaciones", "Undos"), Count(r.undos, lang)},
      {L("Conflictos entre estaciones", "Conflicts between stations"), Count(r.conflicts, lang)},
      {L("Reimpresiones", "Reprints"), Count(r.reprints, lang)},
  };
  if (r.peak_quarter_hour) {
    d.headline.push_back({L("Cuarto de hora pico", "Peak quarter hour"),
                          Text(BinLabel(r.peak_quarter_hour->start, one_day) + " (" +
                               Whole(r.peak_quarter_hour->count, lang) + ")")});
  }

  {  // by ticket type
    Section s;
    s.title = L("Por tipo de entrada", "By ticket type");
    s.header = {L("Tipo de entrada", "Ticket type"), L("Registrados", "Registered"),
                L("Asistieron", "Checked in"), L("Tasa de asistencia", "Show rate")};
    for (const TicketTypeStats& t : r.by_ticket_type) {
      const std::string name = t.ticket_type.empty() ? "-" : t.ticket_type;
      s.rows.push_back({Text(name), Count(t.expected, lang), Count(t.checked_in, lang),
                        Share(ShareOf(t.checked_in, t.expected), lang)});
    }
    s.chart =
        Chart{L("Asistieron por tipo de entrada", "Checked in by ticket type"), 2, s.rows.size()};
    s.rows.push_back({Text(L("Total", "Total")), Count(r.registered, lang),
                      Count(r.checked_in, lang), Share(r.show_rate, lang)});
    s.sheet = L("Tipos de entrada", "Ticket types");
    d.sections.push_back(std::move(s));
  }
  if (r.by_day.size() > 1 || !r.day.empty()) {
    Section s;
    s.title = L("Por día", "By day");
    s.header = {L("Fecha", "Date"), L("Asistieron", "Checked in"), L("Entradas", "Entries"),
                L("Rechazos", "Denials")};
    for (const DayFigures& day : r.by_day) {
      s.rows.push_back({Text(Date(day.date)), Count(day.checked_in, lang), Count(day.entries, lang),
                        Count(day.denials, lang)});
    }
    s.sheet = L("Días", "Days");
    d.sections.push_back(std::move(s));
  }
  {  // arrivals: a section per local day, one row per bin from its first
     // arrival to its last (not the night between), a column per gate
    std::vector<std::string> gates;
    for (const GateBin& g : r.arrivals_by_gate) {
      if (std::find(gates.begin(), gates.end(), g.gate) == gates.end()) gates.push_back(g.gate);
    }
    std::sort(gates.begin(), gates.end());
    std::map<std::pair<std::string, int64_t>, int64_t> per_gate;
    for (const GateBin& g : r.arrivals_by_gate) per_gate[{g.gate, g.bin.start_s}] = g.bin.count;
    std::vector<std::string> days;
    for (const TimeBin& b : r.arrivals) {
      const std::string day = b.start.substr(0, 10);
      if (b.count > 0 && (days.empty() || days.back() != day)) days.push_back(day);
    }
    for (const std::string& day : days) {
      Section s;
      s.title = L("Llegadas cada ", "Arrivals every ") + std::to_string(r.bin_minutes) + " min";
      if (days.size() > 1) s.title += " · " + Date(day);
      s.note = L("Admisiones de entrada por franja, en la hora local del evento.",
                 "Entry admissions per time bin, in the event's local time.");
      s.header = {L("Desde", "From")};
      for (const std::string& g : gates) s.header.push_back(g);
      s.header.push_back(L("Total", "Total"));
      size_t from = r.arrivals.size(), to = 0;
      for (size_t i = 0; i < r.arrivals.size(); ++i) {
        if (r.arrivals[i].start.compare(0, 10, day) != 0 || r.arrivals[i].count == 0) continue;
        from = std::min(from, i);
        to = i;
      }
      for (size_t i = from; i <= to; ++i) {
        const TimeBin& b = r.arrivals[i];
        std::vector<Cell> row{Text(BinLabel(b.start, /*one_day=*/true))};
        for (const std::string& g : gates) {
          auto it = per_gate.find({g, b.start_s});
          row.push_back(Count(it == per_gate.end() ? 0 : it->second, lang));
        }
        row.push_back(Count(b.count, lang));
        s.rows.push_back(std::move(row));
      }
      s.chart =
          Chart{L("Llegadas por franja", "Arrivals per bin"), s.header.size() - 1, s.rows.size()};
      s.sheet = L("Llegadas", "Arrivals") + (days.size() > 1 ? " " + Date(day).substr(0, 5) : "");
      d.sections.push_back(std::move(s));
    }
  }
  d.sections.push_back(Rates(r.throughput_by_gate, lang, /*gates=*/true));
  d.sections.push_back(Rates(r.throughput_by_station, lang, /*gates=*/false));
  {  // denials, by verdict then by the reason given
    Section s;
    s.title = L("Rechazos por veredicto", "Denials by verdict");
    s.header = {L("Veredicto", "Verdict"), L("Cantidad", "Count")};
    for (const auto& [verdict, n] : r.denials) {
      s.rows.push_back({Text(VerdictWords(verdict, lang)), Count(n, lang)});
    }
    if (!s.rows.empty()) s.chart = Chart{s.title, 1, s.rows.size()};
    s.sheet = L("Rechazos", "Denials");
    d.sections.push_back(std::move(s));
    Section why;
    why.title = L("Rechazos por razón", "Denials by reason");
    why.header = {L("Veredicto", "Verdict"), L("Razón", "Reason"), L("Cantidad", "Count")};
    for (const DenialReason& dr : r.denials_by_reason) {
      why.rows.push_back({Text(VerdictWords(dr.verdict, lang)), Text(ReasonWords(dr.reason, lang)),
                          Count(dr.count, lang)});
    }
    why.sheet = L("Razones", "Reasons");
    d.sections.push_back(std::move(why));
  }
  if (r.names == Names::kListed) {
    d.sections.push_back(People(r.no_show_list, L("No asistieron", "No-shows"),
                                L("No asistieron", "No-shows"), lang));
    d.sections.push_back(People(r.late_list, L("Registros tardíos", "Late registrations"),
                                L("Registros tardíos", "Late registrations"), lang));
  }
  return d;
}

}  // namespace checkin::report
