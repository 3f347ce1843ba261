#include "db/attendee_row.h"

namespace checkin::db {

Attendee ReadAttendee(const Statement& st, int first) {
  Attendee a;
  a.id = st.Int(first + 0);
  a.ticket_code = st.Text(first + 1);
  a.badge_code = st.Text(first + 2);
  a.first_name = st.Text(first + 3);
  a.last_name = st.Text(first + 4);
  a.email = st.Text(first + 5);
  a.company = st.Text(first + 6);
  a.ticket_type = st.Text(first + 7);
  a.status = ParseTicketStatus(st.Text(first + 8)).value_or(TicketStatus::kCancelled);
  a.upstream_status = st.Text(first + 9);
  a.order_id = st.Text(first + 10);
  a.ticket_id = st.Text(first + 11);
  a.source = st.Text(first + 12);
  a.checkin_lists = st.Text(first + 13);
  a.blocked = st.Text(first + 14);
  a.valid_from = st.Text(first + 15);
  a.valid_until = st.Text(first + 16);
  return a;
}

}  // namespace checkin::db
