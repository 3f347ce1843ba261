// Shared by every page: the page's language, JSON requests that carry the
// session's CSRF value, live change events from the hub, and building DOM
// from data with textContent only, so no name from an import ever runs.
'use strict';

const Checkin = (() => {
  const lang = document.documentElement.lang === 'en' ? 'en' : 'es';
  const csrfMeta = document.querySelector('meta[name="csrf"]');
  const csrf = csrfMeta ? csrfMeta.content : '';

  const t = (es, en) => (lang === 'en' ? en : es);
  const roleMeta = document.querySelector('meta[name="role"]');
  const role = roleMeta ? roleMeta.content : '';
  const zoneMeta = document.querySelector('meta[name="timezone"]');
  // The event's zone, so times read as at the venue whatever the browser's.
  const timeZone = (zoneMeta && zoneMeta.content) || undefined;

  async function answer(r) {
    if (r.status === 401) {
      location.href = '/login';
      throw new Error(t('inicie sesión otra vez', 'log in again'));
    }
    let body = null;
    try {
      body = await r.json();
    } catch (e) {
      body = null;
    }
    if (!r.ok) {
      const message = body && body.error && body.error.message;
      throw new Error(message || `HTTP ${r.status}`);
    }
    return body;
  }

  async function get(url) {
    const r = await fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': lang },
    });
    return answer(r);
  }

  async function post(url, params) {
    const r = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': lang,
        'X-Checkin-CSRF': csrf,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params),
    });
    return answer(r);
  }

  // Calls `fn` now and after every change at any station: at once after a
  // quiet spell, then at most every 200 ms while changes keep coming (a rush
  // at four doors must not make every dashboard fetch forty times a second).
  // EventSource reconnects by itself when the hub was away.
  function live(fn) {
    const gapMs = 200;
    let timer = null;
    let last = 0;
    const run = () => {
      timer = null;
      last = Date.now();
      fn();
    };
    const soon = () => {
      if (timer) return;
      timer = setTimeout(run, Math.max(0, last + gapMs - Date.now()));
    };
    const events = new EventSource('/api/events');
    events.addEventListener('change', soon);
    run();
    return events;
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function fullName(a) {
    return `${a.first_name} ${a.last_name}`.trim();
  }

  // A formatter of UTC times in the event's time zone, with `fields`.
  function timeText(fields) {
    const format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'es-CO', {
      ...fields,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    return (utc) => {
      const d = new Date(utc);
      return Number.isNaN(d.getTime()) ? String(utc) : format.format(d);
    };
  }
  // "08:15"; "30/11 08:15" for what may be days ago.
  const clock = timeText({});
  const when = timeText({ day: '2-digit', month: '2-digit' });

  // A table row of one cell across `columns`, saying the table is empty.
  function emptyRow(columns, text) {
    const tr = el('tr');
    const td = el('td', 'small', text);
    td.colSpan = columns;
    tr.append(td);
    return tr;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const out = document.getElementById('logout');
    if (out) {
      out.addEventListener('click', async () => {
        try {
          await fetch('/logout', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'X-Checkin-CSRF': csrf },
          });
        } finally {
          location.href = '/login';
        }
      });
    }
  });

  return { lang, role, t, get, post, live, el, uuid, fullName, clock, when, emptyRow };
})();
