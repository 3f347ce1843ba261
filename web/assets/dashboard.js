// The organizers' dashboard: the event's counts, fetched again whenever a
// station anywhere writes something (server-sent events), never reloaded.
'use strict';

(() => {
  const { t, get, el, lang } = Checkin;
  const number = (n) => Number(n).toLocaleString(lang === 'en' ? 'en-US' : 'es-CO');

  function bars(table, rows) {
    const max = Math.max(1, ...rows.map((r) => r.total || r.value));
    table.replaceChildren(
      ...rows.map((r) => {
        const tr = el('tr');
        tr.append(el('th', '', r.label));
        const cell = el('td', 'bar-cell');
        const bar = el('span', 'bar');
        bar.style.width = `${(100 * r.value) / max}%`;
        if (r.total) {
          const back = el('span', 'bar back');
          back.style.width = `${(100 * r.total) / max}%`;
          cell.append(back);
        }
        cell.append(bar);
        tr.append(cell);
        tr.append(el('td', 'count', r.total ? `${number(r.value)} / ${number(r.total)}` : number(r.value)));
        return tr;
      }),
    );
  }

  async function refresh() {
    try {
      const s = await get('/api/stats');
      document.getElementById('checked-in').textContent = number(s.checked_in);
      document.getElementById('expected').textContent = number(s.expected);
      document.getElementById('rate').textContent = s.expected ? `${Math.round((100 * s.checked_in) / s.expected)} %` : '–';
      document.getElementById('inside').textContent = number(s.inside_now);
      document.getElementById('conflicts').textContent = number(s.conflicts);
      bars(document.getElementById('by-type'), s.by_ticket_type.map((x) => ({ label: x.ticket_type || t('(sin tipo)', '(no type)'), value: x.checked_in, total: x.expected })));
      bars(document.getElementById('by-gate'), s.by_gate.map((x) => ({ label: x.gate, value: x.entries })));
      bars(document.getElementById('denials'), Object.entries(s.denials).map(([k, v]) => ({ label: k, value: v })));
      document.getElementById('updated').textContent = `${t('Actualizado', 'Updated')} ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      document.getElementById('updated').textContent = e.message;
    }
  }

  Checkin.live(refresh);
})();
