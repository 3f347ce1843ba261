#include "common/messages.h"

#include "common/text.h"
#include "common/timezone.h"

namespace checkin {
namespace {

bool Es(Language l) { return l == Language::kSpanish; }

std::string NameOf(const Decision& d, Language lang) {
  if (d.attendee) return d.attendee->FullName();
  return Es(lang) ? "Esta persona" : "This person";
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

std::string NotAllowed(const Decision& d, Language lang) {
  const std::string name = NameOf(d, lang) + TicketType(d);
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
      return NotAllowed(d, lang);
    case Verdict::kUnknown:
      return Es(lang) ? "Código no encontrado en la lista. Enviar a mesa de ayuda con su documento "
                        "o la confirmación de compra."
                      : "Code not in the roster. Send to the help desk with ID or the purchase "
                        "confirmation.";
    case Verdict::kInvalid:
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
