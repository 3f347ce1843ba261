#include "common/messages.h"

#include <algorithm>
#include <vector>

#include "common/text.h"
#include "common/timezone.h"

namespace checkin {
namespace {

bool Es(Language l) { return l == Language::kSpanish; }

std::string NameOf(const Decision& d, Language lang) {
  // A signed ticket admitted before its sync has no name yet.
  if (d.attendee && !d.attendee->FullName().empty()) return d.attendee->FullName();
  if (d.attendee) return Es(lang) ? "Titular de la entrada" : "Ticket holder";
  return Es(lang) ? "Esta persona" : "This person";
}

bool NotSyncedYet(const Decision& d) {
  return d.attendee && d.attendee->upstream_status == kSignedNotSynced;
}

// "a las 08:12" today, "el 27/11 a las 08:12" on an earlier day.
std::string WhenText(const std::string& then_utc, const std::string& now_utc, Language lang,
                     const std::string& tz) {
  auto then = ParseUtc(then_utc);
  if (!then.ok()) return then_utc;
  auto then_local = ToLocalTime(*then, tz);
  if (!then_local.ok()) return then_utc;
  std::string out;
  auto now = ParseUtc(now_utc);
  if (now.ok()) {
    auto now_local = ToLocalTime(*now, tz);
    if (now_local.ok() && now_local->Date() != then_local->Date()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02d/%02d", then_local->day, then_local->month);
      out += (Es(lang) ? "el " : "on ") + std::string(buf) + " ";
    }
  }
  out += (Es(lang) ? "a las " : "at ") + then_local->HourMinute();
  return out;
}

std::string TicketType(const Decision& d) {
  return d.attendee && !d.attendee->ticket_type.empty() ? " (" + d.attendee->ticket_type + ")" : "";
}

std::string Admitted(const Decision& d, Language lang) {
  const std::string name = NameOf(d, lang) + TicketType(d);
  if (d.direction == Direction::kExit) {
    return Es(lang) ? "Salida registrada: " + name + ". Puede volver a entrar con el mismo código."
                    : "Exit recorded: " + name + ". They can come back in with the same code.";
  }
  if (NotSyncedYet(d)) {
    return Es(lang) ? "Bienvenida/o. Entrada firmada válida" + TicketType(d) +
                          ", vendida después de la última sincronización: su nombre llegará con la"
                          " próxima. Puede pasar."
                    : "Welcome. A genuine signed ticket" + TicketType(d) +
                          ", sold after the last sync: the name comes with the next one. Go "
                          "ahead.";
  }
  return Es(lang) ? "Bienvenida/o, " + name + ". Puede pasar." : "Welcome, " + name + ". Go ahead.";
}

std::string Already(const Decision& d, Language lang, const std::string& tz) {
  const std::string name = NameOf(d, lang);
  if (!d.previous) {
    return Es(lang)
               ? name +
                     " ya ingresó. No registrar de nuevo; si hay un error, enviar a mesa de ayuda."
               : name +
                     " is already checked in. Do not admit again; if this looks wrong, send to the "
                     "help desk.";
  }
  const std::string when = WhenText(d.previous->at, d.at, lang, tz);
  const std::string station = d.previous->station.empty()
                                  ? ""
                                  : (Es(lang) ? ", estación " : ", station ") + d.previous->station;
  if (Es(lang)) {
    return name + " ya ingresó " + when + " por " + d.previous->gate + station +
           ". No registrar de nuevo; si no fue esta persona, enviar a mesa de ayuda.";
  }
  return name + " already checked in " + when + " through " + d.previous->gate + station +
         ". Do not admit again; if it was not them, send to the help desk.";
}

std::string Cancelled(const Decision& d, Language lang) {
  if (d.reason == "revoked" && !d.attendee) {
    return Es(lang) ? "Este código fue anulado en la plataforma de registro (la entrada tiene un "
                      "código nuevo o fue retirada). Pedir la entrada vigente o enviar a mesa de "
                      "ayuda."
                    : "This code was revoked on the registration platform (the ticket has a new "
                      "code or was withdrawn). Ask for the current ticket or send to the help "
                      "desk.";
  }
  const std::string name = NameOf(d, lang);
  // The platform's own word ("Not Attending", "Pending") helps the help desk;
  // our own status word would only repeat the sentence.
  const std::string upstream = d.attendee ? d.attendee->upstream_status : "";
  const std::string why =
      upstream.empty() || Fold(upstream) == d.reason ? "" : " (" + upstream + ")";
  const bool refunded = d.reason == "refunded";
  if (Es(lang)) {
    return "La entrada de " + name + (refunded ? " fue reembolsada" : " está cancelada") + why +
           ". No puede ingresar con este código: enviar a mesa de ayuda.";
  }
  return name + "'s ticket was " + (refunded ? "refunded" : "cancelled") + why +
         ". This code cannot get in: send to the help desk.";
}

std::string NotAllowed(const Decision& d, Language lang, const std::string& tz) {
  if (d.reason == "blocked" && !d.attendee) {
    return Es(lang) ? "Este código está bloqueado en la plataforma de registro. No puede ingresar: "
                      "enviar a mesa de ayuda."
                    : "This code is blocked on the registration platform. It cannot get in: "
                      "send to the help desk.";
  }
  if (d.reason == "not_an_admission") {
    return Es(lang) ? "Este código es de un producto que no da entrada (por ejemplo, mercancía). "
                      "Pedir la entrada o enviar a mesa de ayuda."
                    : "This code is for a product that does not admit (merchandise, say). Ask "
                      "for the ticket or send to the help desk.";
  }
  const std::string name = NameOf(d, lang) + TicketType(d);
  if (d.reason == "blocked") {
    const std::string why = d.attendee ? d.attendee->blocked : "";
    const std::string shown = why.empty() ? "" : " (" + why + ")";
    return Es(lang) ? "La entrada de " + name + " está bloqueada en la plataforma de registro" +
                          shown + ". No puede ingresar: enviar a mesa de ayuda."
                    : name + "'s ticket is blocked on the registration platform" + shown +
                          ". They cannot get in: send to the help desk.";
  }
  if (d.reason == "not_yet_valid" && d.attendee) {
    const std::string when = WhenText(d.attendee->valid_from, d.at, lang, tz);
    return Es(lang) ? "La entrada de " + name + " empieza a valer " + when +
                          "; todavía no puede ingresar. Enviar a mesa de ayuda si es un error."
                    : name + "'s ticket becomes valid " + when +
                          "; not yet. Send to the help desk if this is wrong.";
  }
  if (d.reason == "no_longer_valid" && d.attendee) {
    const std::string when = WhenText(d.attendee->valid_until, d.at, lang, tz);
    return Es(lang)
               ? "La entrada de " + name + " dejó de valer " + when + ". Enviar a mesa de ayuda."
               : name + "'s ticket stopped being valid " + when + ". Send to the help desk.";
  }
  if (d.reason == "not_inside") {
    return Es(lang)
               ? name +
                     " no tiene una entrada registrada; no se puede registrar su salida. Revisar "
                     "en mesa de ayuda."
               : name +
                     " has no entry on record, so no exit can be recorded. Check at the help desk.";
  }
  if (d.reason == "wrong_day") {
    return Es(lang) ? "La entrada de " + name + " no es válida hoy. Enviar a mesa de ayuda."
                    : name + "'s ticket is not valid today. Send to the help desk.";
  }
  return Es(lang) ? "La entrada de " + name + " no es válida en " + d.gate +
                        ". Indicarle la puerta que le corresponde o enviar a mesa de ayuda."
                  : name + "'s ticket is not valid at " + d.gate +
                        ". Point them to their gate or send to the help desk.";
}

}  // namespace

std::optional<Language> ParseLanguage(std::string_view code) {
  if (code == "es" || code == "es-CO" || code == "spanish") return Language::kSpanish;
  if (code == "en" || code == "en-US" || code == "english") return Language::kEnglish;
  return std::nullopt;
}

namespace {

std::string MessageWithNames(const Decision& d, Language lang, const std::string& tz) {
  switch (d.verdict) {
    case Verdict::kAdmitted:
      return Admitted(d, lang);
    case Verdict::kAlreadyCheckedIn:
      return Already(d, lang, tz);
    case Verdict::kCancelled:
      return Cancelled(d, lang);
    case Verdict::kNotAllowed:
      return NotAllowed(d, lang, tz);
    case Verdict::kUnknown:
      return Es(lang) ? "Código no encontrado en la lista. Enviar a mesa de ayuda con su documento "
                        "o la confirmación de compra."
                      : "Code not in the roster. Send to the help desk with ID or the purchase "
                        "confirmation.";
    case Verdict::kInvalid:
      if (d.reason == "signature_not_valid" || d.reason == "signed_ticket_malformed") {
        return Es(lang) ? "La firma de esta entrada no es válida: fue alterada o es de otro "
                          "evento. No dejar pasar; enviar a mesa de ayuda con su compra."
                        : "This ticket's signature is not valid: it was altered or is for "
                          "another event. Do not admit; send to the help desk with the "
                          "purchase.";
      }
      return Es(lang) ? "Código ilegible o no válido. Pedir que lo muestre de nuevo, o buscar a la "
                        "persona por nombre."
                      : "Unreadable or invalid code. Ask them to show it again, or search by name.";
  }
  return "";
}

}  // namespace

std::string HubAwayLine(Language lang) {
  return lang == Language::kSpanish
             ? "SIN CONEXIÓN CON EL HUB: se decide en esta estación y se enviará al hub cuando "
               "vuelva"
             : "HUB UNREACHABLE: decided at this station; it goes to the hub when it is back";
}

std::string VolunteerMessage(const Decision& d, Language lang, const std::string& tz) {
  // Names, ticket types, gates and stations come from imports and configs:
  // the message goes to screens, so what it embeds must not steer a terminal.
  return ForTerminal(MessageWithNames(d, lang, tz));
}

std::string PrinterStateWords(const PrinterState& s, Language lang) {
  const bool es = lang == Language::kSpanish;
  // IPP's printer-state-reasons keywords (RFC 8011), without their
  // -error/-warning/-report suffix.
  struct Known {
    std::string_view keyword, es, en;
  };
  static constexpr Known kKnown[] = {
      {"media-empty", "sin papel", "out of paper"},
      {"media-needed", "sin papel", "out of paper"},
      {"media-low", "poco papel", "paper low"},
      {"media-jam", "papel atascado", "paper jam"},
      {"toner-empty", "sin tóner", "out of toner"},
      {"toner-low", "poco tóner", "toner low"},
      {"marker-supply-empty", "sin tinta", "out of ink"},
      {"marker-supply-low", "poca tinta", "ink low"},
      {"cover-open", "tapa abierta", "cover open"},
      {"door-open", "puerta abierta", "door open"},
      {"input-tray-missing", "falta la bandeja", "tray missing"},
      {"output-area-full", "bandeja de salida llena", "output tray full"},
      {"offline", "desconectada", "offline"},
      {"connecting-to-device", "conectando", "connecting"},
      {"shutdown", "apagada", "shut down"},
  };
  std::vector<std::string> known, other;
  std::string_view rest = s.reasons;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view word = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::string_view key = word;
    for (std::string_view suffix : {"-error", "-warning", "-report"}) {
      if (key.size() > suffix.size() && key.substr(key.size() - suffix.size()) == suffix) {
        key.remove_suffix(suffix.size());
      }
    }
    // The printer's pause is said already; "none" is nothing to say.
    if (key.empty() || key == "none" || (key == "paused" && s.paused)) continue;
    const Known* found = nullptr;
    for (const Known& k : kKnown) {
      if (k.keyword == key) found = &k;
    }
    std::string text = found ? std::string(es ? found->es : found->en) : ForTerminal(word);
    auto& list = found ? known : other;
    if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& w : v) out += (out.empty() ? "" : ", ") + w;
    return out;
  };
  std::string out;
  if (!s.reachable) {
    out = es ? "no responde" : "not reachable";
  } else {
    out = s.paused ? (es ? "en pausa" : "paused") : (es ? "lista" : "ready");
    if (!s.accepting) out += es ? ", no acepta trabajos" : ", not accepting jobs";
  }
  if (!known.empty()) out += ": " + join(known);
  if (!other.empty()) out += " (" + join(other) + ")";
  return out;
}

std::string Localized(Language lang, std::string_view es, std::string_view en) {
  return std::string(lang == Language::kSpanish ? es : en);
}

std::string NotRecordedPrefix(Language lang) {
  return Es(lang) ? "NO registrado, no dejar pasar todavía: "
                  : "NOT recorded, do not let them in yet: ";
}

std::string DatabaseTroubleMessage(DatabaseTrouble t, const std::string& path, Language lang) {
  const bool es = Es(lang);
  switch (t) {
    case DatabaseTrouble::kForeign:
      return es ? path +
                      " es un archivo SQLite de otro programa, no un archivo de evento de checkin; "
                      "no se modificó. Indique con --db el archivo del evento."
                : path +
                      " is another program's SQLite file, not a checkin event file; it was left "
                      "unchanged. Point --db at the event's file.";
    case DatabaseTrouble::kNotADatabase:
      return es ? path +
                      " no es una base de datos (¿es el archivo del evento?); no se modificó. "
                      "Indique con --db el archivo del evento."
                : path +
                      " is not a database (is this the event file?); it was left unchanged. "
                      "Point --db at the event's file.";
    case DatabaseTrouble::kReadOnly:
      return es ? "no se puede escribir en " + path +
                      " ni en su carpeta (solo lectura o sin permiso). Dé permiso de escritura "
                      "al archivo y a su carpeta, o copie el archivo a un disco con escritura."
                : "cannot write to " + path +
                      " or its folder (read-only or no permission). Make the file and its folder "
                      "writable, or copy the file to a writable disk.";
    case DatabaseTrouble::kDiskFull:
      return es ? "el disco de " + path +
                      " está lleno. Libere espacio (borre archivos que no necesite) y vuelva a "
                      "intentar."
                : "the disk holding " + path +
                      " is full. Free some space (delete files you do not need) and try again.";
    case DatabaseTrouble::kMoved:
      return es ? "la base de datos " + path +
                      " fue movida, borrada o reemplazada mientras esta estación la usaba. "
                      "Detenga y reinicie la estación con el archivo correcto."
                : "the database " + path +
                      " was moved, deleted or replaced while this station was using it. Stop "
                      "and restart the station with the right file.";
  }
  return path;
}

std::string VerdictLabel(Verdict v, Language lang) {
  const bool es = lang == Language::kSpanish;
  switch (v) {
    case Verdict::kAdmitted:
      return es ? "ADMITIDO" : "ADMITTED";
    case Verdict::kAlreadyCheckedIn:
      return es ? "YA INGRESÓ" : "ALREADY IN";
    case Verdict::kUnknown:
      return es ? "NO ENCONTRADO" : "UNKNOWN";
    case Verdict::kCancelled:
      return es ? "CANCELADO" : "CANCELLED";
    case Verdict::kNotAllowed:
      return es ? "NO PERMITIDO" : "NOT ALLOWED";
    case Verdict::kInvalid:
      return es ? "INVÁLIDO" : "INVALID";
  }
  return "";
}

}  // namespace checkin
