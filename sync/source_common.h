// What every platform client does the same way once its pages are read:
// query values, the event's base URL, and one code per ticket. Pure;
// thread-safe.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "db/registration_source.h"
#include "db/roster_format.h"

namespace checkin::sync {

// Percent-encodes all but RFC 3986's unreserved characters, for a query value.
std::string UrlEncode(const std::string& s);

// `url` without its trailing slashes, to append API paths to.
std::string WithoutTrailingSlash(std::string url);

// An id made of 1 to 32 digits (Eventbrite's and Sympla's event ids), so
// nothing in it can reach another path.
bool IsNumericId(const std::string& s);

// What every client checks of its options before its first request:
// InvalidInput for an empty token ("the PLATFORM token is empty"), a source
// name the roster does not take, or a base URL that is not https (or http on
// loopback).
Status CheckClientOptions(const std::string& platform, const std::string& token,
                          const std::string& source, const std::string& url);

// A pass's snapshot of records read from an API (JSON is UTF-8).
db::RosterSnapshot ApiSnapshot(db::RosterFormat format, std::string source, std::string origin,
                               bool full_export, int total_rows,
                               std::vector<db::RosterRecord> records);

// One code per ticket, checked as tickets come: a ticket listed again may
// bring a new code (its old one is then free), but a code another ticket
// holds is InvalidInput naming both, the `code_word` ("secret", "barcode")
// and where to fix it (`platform`).
class TicketCodes {
 public:
  TicketCodes(std::string code_word, std::string platform)
      : code_word_(std::move(code_word)), platform_(std::move(platform)) {}
  Status Add(const db::RosterRecord& r);

 private:
  std::string code_word_, platform_;
  std::unordered_map<std::string, std::string> code_of_;  // ticket_id -> its code
  std::unordered_map<std::string, std::string> owner_;    // code -> ticket_id
};

// The same ticket (ticket_id) listed twice, as happens when an order changes
// while we page, is kept once, the later copy winning. One code on two
// tickets would let two people in on one code: InvalidInput naming both,
// the `code_word` ("secret", "barcode") and where to fix it (`platform`).
// Records are renumbered from 1 in their new order.
Status DedupeTickets(std::vector<db::RosterRecord>* records, const std::string& code_word,
                     const std::string& platform);

}  // namespace checkin::sync
