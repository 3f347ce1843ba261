#include "db/logged_checkin_row.h"

namespace checkin::db {

LoggedCheckin ReadLoggedCheckin(const Statement& st, int first) {
  LoggedCheckin c;
  int i = first;
  c.uuid = st.Text(i++);
  c.attendee_id = st.IsNull(i) ? 0 : st.Int(i);
  ++i;
  c.code = st.Text(i++);
  c.gate = st.Text(i++);
  c.station = st.Text(i++);
  c.direction = ParseDirection(st.Text(i++)).value_or(Direction::kEntry);
  c.kind = st.Text(i++);
  c.source = ParseScanSource(st.Text(i++)).value_or(ScanSource::kManual);
  c.verdict = st.Text(i++);
  c.reason = st.Text(i++);
  c.undoes = st.IsNull(i) ? "" : st.Text(i);
  ++i;
  c.at = st.Text(i++);
  c.offline = st.Int(i) != 0;
  return c;
}

void BindLoggedCheckin(Statement& st, const LoggedCheckin& c) {
  st.Bind(1, c.uuid);
  if (c.attendee_id > 0) {
    st.Bind(2, c.attendee_id);
  } else {
    st.BindNull(2);
  }
  st.Bind(3, c.code).Bind(4, c.gate).Bind(5, c.station).Bind(6, DirectionName(c.direction));
  st.Bind(7, c.kind).Bind(8, ScanSourceName(c.source)).Bind(9, c.verdict).Bind(10, c.reason);
}

}  // namespace checkin::db
