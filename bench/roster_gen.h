// Deterministic synthetic data for the benchmarks: a generic-layout roster export
// of Spanish and Latin American attendees (accents, compound names, two
// surnames) and the search queries a volunteer would type against it. The same
// seed gives the same bytes on every machine. Pure apart from the file written;
// thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace checkin::bench {

// splitmix64: tiny, fast and fully specified, unlike the std:: distributions
// whose output differs between standard libraries.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }

 private:
  uint64_t state_;
};

// Appends `field` to a CSV line, quoted as RFC 4180 wants when it holds a
// comma, a quote or a line break.
void AppendCsvField(std::string& out, std::string_view field);

// One attendee as a registration form receives them: a first name (maybe
// compound), one or two surnames, accents, an e-mail made of the folded name,
// and a company for four in five.
struct Person {
  std::string first, last, email, company;
};
Person MakePerson(Rng& rng);

// Writes `rows` attendees in the generic layout (header ticket_code, first_name,
// last_name, email, company, ticket_type, status, order_id, ticket_id,
// checkin_lists) to `path`. About 3% are cancelled or refunded. Returns the
// ticket codes in file order; all distinct, and distinct from another seed's.
// Ticket ids count up from `first_ticket_id`. DeviceError if the file cannot
// be written.
Result<std::vector<std::string>> WriteGenericRoster(const std::string& path, size_t rows,
                                                    uint64_t seed,
                                                    uint64_t first_ticket_id = 80000000);

// `n` queries as typed at a help desk: full names with and without accents,
// single surnames, three- and four-letter prefixes, a first name with a partial
// surname, company words and e-mail fragments.
std::vector<std::string> MakeSearchQueries(size_t n, uint64_t seed);

}  // namespace checkin::bench
