#include "bench/roster_gen.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>

#include "common/text.h"

namespace checkin::bench {
namespace {

// The tables read better packed than one entry per line.
// clang-format off
// Written as registration forms receive them: accents, compound first names.
constexpr std::string_view kFirstNames[] = {
    "José", "María", "Juan", "Ana", "Luis", "Carmen", "Carlos", "Laura", "Jorge", "Lucía",
    "Andrés", "Sofía", "Miguel", "Valentina", "Alejandro", "Camila", "Fernando", "Isabel",
    "Javier", "Daniela", "Diego", "Gabriela", "Sergio", "Paula", "Ricardo", "Mariana", "Manuel",
    "Natalia", "Pedro", "Andrea", "Francisco", "Verónica", "Rafael", "Mónica", "Antonio",
    "Patricia", "Eduardo", "Adriana", "Roberto", "Claudia", "Fabián", "Catalina", "Raúl",
    "Juliana", "Óscar", "Alejandra", "Iván", "Marcela", "Héctor", "Beatriz", "Julián", "Sara",
    "Rubén", "Elena", "Álvaro", "Lorena", "Tomás", "Paola", "Sebastián", "Martina", "Nicolás",
    "Victoria", "Matías", "Florencia", "Joaquín", "Agustina", "Emilio", "Ximena", "Gonzalo",
    "Renata", "Ramón", "Inés", "Agustín", "Rocío", "Cristián", "Pilar", "Mauricio", "Silvia",
    "Gustavo", "Rosa", "Arturo", "Teresa", "Hernán", "Dolores", "Esteban", "Guadalupe",
    "Felipe", "Esperanza", "Ignacio", "Consuelo", "Germán", "Lourdes", "Rodrigo", "Milagros",
    "Víctor", "Soledad", "Ángel", "Ángela", "Jesús", "Concepción", "Enrique", "Margarita",
    "Alberto", "Yolanda", "Mario", "Leticia", "Hugo", "Susana", "Simón", "Liliana", "Martín",
    "Gloria", "Adrián", "Noemí", "Rolando", "Jimena", "Efraín", "Belén", "Benjamín",
    "Antonella", "Emiliano", "Luciana", "Santiago", "Abril", "Mateo", "Emilia", "Samuel",
    "Regina", "Daniel", "Fernanda", "David", "Nayeli", "Gabriel", "Yesenia", "Pablo",
    "Estefanía", "Alonso", "Maité", "Bruno", "Araceli", "Ismael", "Itzel", "Leonardo", "Xiomara",
    "Lisandro", "Yuliana", "Ulises", "Dayana", "Wilson", "Leidy", "Yeison", "Marisol", "Jhon",
    "Nohemí", "Edwin", "Luz", "Fredy", "Sandra", "Nelson", "Yaneth", "Orlando", "Marleny", "Omar",
    "Graciela", "Guillermo", "Rosario", "Jaime", "Amparo", "Saúl", "Celia", "Raquel", "Octavio",
    "Irene", "Federico", "Nuria", "Ezequiel", "Candela", "Facundo", "Micaela", "Thiago",
    "Brenda", "Maximiliano", "Zoe", "María José", "Juan Pablo", "Juan Carlos", "José Luis",
    "Ana María", "Luz Marina", "María Fernanda", "Juan David", "Miguel Ángel", "José Manuel",
    "María del Carmen", "Juan José", "Luis Fernando", "Ana Lucía", "Juan Esteban", "María Paz"};

constexpr std::string_view kSurnames[] = {
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil",
    "Ramírez", "Serrano", "Blanco", "Suárez", "Molina", "Morales", "Ortega", "Delgado", "Castro",
    "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés",
    "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz", "Calvo",
    "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera", "Campos",
    "Vega", "Fuentes", "Carrasco", "Diez", "Caballero", "Reyes", "Nieto", "Aguilar", "Pascual",
    "Santana", "Herrero", "Lorenzo", "Montero", "Hidalgo", "Giménez", "Ibáñez", "Ferrer",
    "Durán", "Benítez", "Mora", "Vicente", "Vargas", "Arias", "Carmona", "Crespo", "Román",
    "Pastor", "Soto", "Sáez", "Velasco", "Moya", "Soler", "Parra", "Bravo", "Gallardo", "Rojas",
    "Pardo", "Merino", "Franco", "Espinosa", "Izquierdo", "Lara", "Rivas", "Silva", "Rivera",
    "Casado", "Arroyo", "Redondo", "Camacho", "Rey", "Vera", "Otero", "Luque", "Galán", "Montes",
    "Ríos", "Sierra", "Segura", "Carrillo", "Marcos", "Soriano", "Mendoza", "Robles", "Bernal",
    "Acosta", "Ospina", "Restrepo", "Londoño", "Arango", "Zuluaga", "Cárdenas", "Valencia",
    "Quintero", "Echeverri", "Betancur", "Salazar", "Jaramillo", "Henao", "Gaviria", "Duque",
    "Uribe", "Villegas", "Cifuentes", "Patiño", "Correa", "Alzate", "Montoya", "Osorio",
    "Ocampo", "Sepúlveda", "Zapata", "Agudelo", "Mejía", "Escobar", "Toro", "Giraldo",
    "Quiñones", "Peñaloza", "Ibarra", "Figueroa", "Contreras", "Maldonado", "Villanueva",
    "Zúñiga", "Araújo", "Beltrán", "Cisneros", "Ávila", "Becerra", "Bustamante", "Cuéllar",
    "Chávez", "Espinoza", "Galindo", "Guzmán", "Ochoa", "Olivares", "Orozco", "Pacheco",
    "Paredes", "Quispe", "Mamani", "Huamán", "Rosales", "Salinas", "Sandoval", "Solís", "Tapia",
    "Trujillo", "Valdés", "Valenzuela", "Vásquez", "Villalobos", "Yáñez", "Zamora", "Aranda",
    "Barrios", "Bermúdez", "Carvajal", "Colmenares", "Dávila", "Fajardo", "Gamboa", "Lugo",
    "Meneses", "Naranjo", "Peralta", "Rentería", "Saavedra", "Tovar", "Urrutia", "Ordóñez"};

// Two carry a comma and quotes so the export exercises RFC 4180 quoting.
constexpr std::string_view kCompanies[] = {
    "Bancolombia", "Grupo Éxito", "Telefónica", "Mercado Libre", "Rappi",
    "Universidad de los Andes", "Pontificia Universidad Javeriana", "Ecopetrol",
    "Banco de Bogotá", "Cementos Argos", "Nubank", "Globant", "Despegar", "Falabella",
    "Cencosud", "Grupo Bimbo", "Cemex", "FEMSA", "Petrobras", "Itaú Unibanco", "Avianca",
    "LATAM Airlines", "Claro", "Movistar", "Softtek", "Konfío", "Kavak", "Platzi", "Addi",
    "Truora", "Habi", "Siigo", "Universidad Nacional de Colombia", "Tecnológico de Monterrey",
    "UNAM", "Universidad de Chile", "Independiente", "Cafés \"La Montaña\", S.A.S.",
    "Pérez & Asociados, Abogados", "Fundación Corona"};

constexpr std::string_view kDomains[] = {"gmail.com", "hotmail.com", "outlook.com",
                                         "yahoo.com.mx", "correo.co", "empresa.com.co"};

struct TicketType {
  std::string_view name;
  std::string_view lists;
  int weight;  // out of 100
};
constexpr TicketType kTicketTypes[] = {
    {"General", "General", 58},          {"Estudiante", "General", 12},
    {"VIP", "General;VIP", 8},           {"Ponente", "General;VIP", 4},
    {"Patrocinador", "General;VIP", 4},  {"Prensa", "General", 3},
    {"Staff", "General;Staff", 3},       {"Taller: Introducción a C++", "General;Talleres", 8}};
// clang-format on

template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&list)[N]) {
  return list[rng.Below(N)];
}

// Folded, space-free spellings of a list, as they appear in e-mail addresses.
template <size_t N>
std::vector<std::string> FoldedTokens(const std::string_view (&list)[N]) {
  std::vector<std::string> out;
  for (std::string_view s : list) {
    std::string f = Fold(s);
    f.erase(std::remove(f.begin(), f.end(), ' '), f.end());
    out.push_back(std::move(f));
  }
  return out;
}

// A bijective 64-bit mix of the row index, printed as 13 base32 digits (65
// bits), so codes look random yet are distinct by construction.
std::string TicketCode(uint64_t index, uint64_t seed) {
  uint64_t z = index ^ (seed * 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string code = "EV-";
  for (int i = 12; i >= 0; --i) code.push_back(kAlphabet[(z >> (5 * i)) & 31u]);
  return code;
}

std::string_view PickStatus(Rng& rng) {
  const size_t r = rng.Below(1000);
  if (r < 20) return "cancelado";
  if (r < 30) return "reembolsado";
  return r < 100 ? "Válido" : "valid";
}

}  // namespace

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

Person MakePerson(Rng& rng) {
  static const std::vector<std::string> first_mail = FoldedTokens(kFirstNames);
  static const std::vector<std::string> last_mail = FoldedTokens(kSurnames);
  Person p;
  const size_t f = rng.Below(std::size(kFirstNames));
  const size_t s1 = rng.Below(std::size(kSurnames));
  p.first = kFirstNames[f];
  p.last = kSurnames[s1];
  if (rng.Chance(70)) p.last.append(" ").append(Pick(rng, kSurnames));
  p.email = first_mail[f] + "." + last_mail[s1];
  if (rng.Chance(50)) p.email += std::to_string(rng.Below(100));
  p.email.append("@").append(Pick(rng, kDomains));
  if (!rng.Chance(20)) p.company = Pick(rng, kCompanies);
  return p;
}

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Result<std::vector<std::string>> WriteGenericRoster(const std::string& path, size_t rows,
                                                    uint64_t seed, uint64_t first_ticket_id) {
  Rng rng(seed);
  std::vector<std::string> codes;
  codes.reserve(rows);
  std::string out =
      "ticket_code,first_name,last_name,email,company,ticket_type,status,order_id,ticket_id,"
      "checkin_lists\n";
  out.reserve(rows * 160);
  uint64_t order = 4200000;
  for (size_t i = 0; i < rows; ++i) {
    const Person p = MakePerson(rng);
    size_t w = rng.Below(100);
    const TicketType* type = std::begin(kTicketTypes);
    while (w >= static_cast<size_t>(type->weight)) w -= static_cast<size_t>((type++)->weight);
    if (rng.Chance(60)) ++order;  // else another ticket of the same order

    codes.push_back(TicketCode(i, seed));
    AppendCsvField(out, codes.back());
    for (std::string_view field :
         {std::string_view(p.first), std::string_view(p.last), std::string_view(p.email),
          std::string_view(p.company), type->name, PickStatus(rng)}) {
      out.push_back(',');
      AppendCsvField(out, field);
    }
    out += ",ORD-" + std::to_string(order) + "," + std::to_string(first_ticket_id + i) + ",";
    AppendCsvField(out, type->lists);
    out.push_back('\n');
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(out.data(), static_cast<std::streamsize>(out.size()));
  file.close();
  if (!file) return Status::DeviceError("cannot write " + path);
  return codes;
}

std::vector<std::string> MakeSearchQueries(size_t n, uint64_t seed) {
  Rng rng(seed);
  auto folded = [](std::string_view s) { return Fold(s); };
  auto prefix = [&](std::string_view s) {
    std::string f = Fold(s);
    return f.substr(0, 3 + rng.Below(2));
  };
  std::vector<std::string> queries;
  queries.reserve(n);
  while (queries.size() < n) {
    const std::string_view first = Pick(rng, kFirstNames);
    const std::string_view last = Pick(rng, kSurnames);
    const size_t kind = rng.Below(100);
    std::string q;
    if (kind < 18) {
      q = folded(first) + " " + folded(last);  // "jose munoz"
    } else if (kind < 28) {
      q = std::string(first) + " " + std::string(last);  // "José Muñoz"
    } else if (kind < 43) {
      q = folded(last);  // "gomez"
    } else if (kind < 50) {
      q = last;  // "Gómez"
    } else if (kind < 62) {
      q = prefix(rng.Chance(50) ? first : last);  // "mar", "fern"
    } else if (kind < 74) {
      q = folded(first) + " " + prefix(last);  // "ana mar"
    } else if (kind < 86) {
      // One word of three letters or more from a company name: "javeriana".
      const std::string company = Fold(Pick(rng, kCompanies));
      std::vector<std::string> words;
      size_t start = 0;
      while (start < company.size()) {
        size_t end = company.find_first_of(" ,\"&.", start);
        if (end == std::string::npos) end = company.size();
        if (end - start >= 3) words.push_back(company.substr(start, end - start));
        start = end + 1;
      }
      q = words.empty() ? company : words[rng.Below(words.size())];
    } else {
      // What someone reads off a confirmation e-mail: "maria.gom", "lopez@gmail".
      std::string f = folded(first);
      f.erase(std::remove(f.begin(), f.end(), ' '), f.end());
      q = rng.Chance(50) ? f + "." + prefix(last) : folded(last) + "@gmail";
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

}  // namespace checkin::bench
