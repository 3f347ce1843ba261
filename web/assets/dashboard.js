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

  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#0a7d2c', '#1f4fa3', '#a15c00', '#7a2e8e', '#b3261e', '#2b7a78'];

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // One stacked bar per bin, a colour per gate, drawn as SVG from the JSON:
  // no chart library to download, nothing but our own script.
  function arrivalsChart(data) {
    const box = document.getElementById('arrivals');
    const binS = data.bin_minutes * 60;
    const now = Math.floor(Date.now() / 1000 / binS) * binS;
    const starts = [];
    for (let t = data.from; t <= now; t += binS) starts.push(t);
    const gates = [...new Set(data.bins.map((b) => b.gate))].sort();
    const count = new Map(data.bins.map((b) => [`${b.start}|${b.gate}`, b.count]));
    const totals = starts.map((t) => gates.reduce((n, g) => n + (count.get(`${t}|${g}`) || 0), 0));
    const max = Math.max(1, ...totals);
    const W = 960;
    const H = 240;
    const left = 40;
    const bottom = 24;
    const barW = (W - left) / starts.length;
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'arrivals' });
    for (const frac of [0, 0.5, 1]) {
      const y = H - bottom - frac * (H - bottom - 10);
      chart.append(svg('line', { x1: left, x2: W, y1: y, y2: y, class: 'grid' }));
      chart.append(svg('text', { x: left - 6, y: y + 5, 'text-anchor': 'end', class: 'axis' }, Math.round(frac * max)));
    }
    starts.forEach((t, i) => {
      let y = H - bottom;
      gates.forEach((g, k) => {
        const n = count.get(`${t}|${g}`) || 0;
        if (!n) return;
        const h = (n / max) * (H - bottom - 10);
        y -= h;
        const rect = svg('rect', { x: left + i * barW + 1, y, width: Math.max(1, barW - 2), height: h, fill: PALETTE[k % PALETTE.length], class: 'bin' });
        rect.append(svg('title', {}, `${Checkin.clock(t * 1000)} · ${g}: ${n}`));
        chart.append(rect);
      });
      const label = Checkin.clock(t * 1000);
      if (label.endsWith(':00')) {
        chart.append(svg('text', { x: left + i * barW, y: H - 6, class: 'axis' }, label));
      }
    });
    box.replaceChildren(chart);
    const legend = document.getElementById('arrivals-legend');
    legend.replaceChildren(
      ...gates.map((g, k) => {
        const item = el('span', 'key', g);
        item.dataset.colour = String(k % PALETTE.length);
        return item;
      }),
      el('span', 'total', `${t('Total en la ventana', 'Total in the window')}: ${number(totals.reduce((a, b) => a + b, 0))}`),
    );
  }

  function stationsTable(list) {
    const body = document.querySelector('#stations tbody');
    if (!list.length) {
      body.replaceChildren(Checkin.emptyRow(5, t('Ninguna estación emparejada todavía (checkin hub device add).', 'No station paired yet (checkin hub device add).')));
      return;
    }
    body.replaceChildren(
      ...list.map((d) => {
        const tr = el('tr', d.online ? 'online' : 'offline');
        tr.append(el('td', '', d.name));
        tr.append(el('td', '', d.role));
        tr.append(el('td', 'state', d.online ? t('en línea', 'online') : t('sin conexión', 'offline')));
        tr.append(el('td', 'count', d.replica_lag === null ? '–' : number(d.replica_lag)));
        tr.append(el('td', 'count', d.outbox === null ? '–' : number(d.outbox)));
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
      bars(document.getElementById('denials'), Object.entries(s.denials).map(([k, v]) => ({ label: s.denial_labels[k] || k, value: v })));
      arrivalsChart(await get('/api/arrivals?bin=5&hours=6'));
      if (Checkin.role === 'admin') {
        stationsTable(await get('/api/stations'));
      } else {
        document.getElementById('stations-card').hidden = true;
      }
      document.getElementById('updated').textContent = `${t('Actualizado', 'Updated')} ${Checkin.clock(Date.now())}`;
    } catch (e) {
      document.getElementById('updated').textContent = e.message;
    }
  }

  // Only admins may open the device page.
  document.getElementById('admin-link').hidden = Checkin.role !== 'admin';
  Checkin.live(refresh);
})();
