// The help desk: search as you type (accents and case do not matter), check
// someone in without their code, take a check-in back.
'use strict';

(() => {
  const { t, get, post, el, uuid, fullName, clock } = Checkin;
  const q = document.getElementById('q');
  const results = document.getElementById('results');
  const status = document.getElementById('status');
  let asked = 0;

  function say(text, kind) {
    status.textContent = text;
    status.className = `status ${kind || ''}`;
  }

  function row(hit) {
    const a = hit.attendee;
    const li = el('li', 'attendee');
    li.dataset.id = a.id;
    li.append(el('div', 'name', fullName(a)));
    const details = [a.company, a.ticket_type].filter((x) => x).join(' · ');
    li.append(el('div', 'details', details));
    if (a.email) li.append(el('div', 'email small', a.email));
    let state;
    if (a.status !== 'valid') {
      state = el('div', 'state denied', a.status === 'refunded' ? t('reembolsada', 'refunded') : t('anulada', 'cancelled'));
    } else if (hit.in_force) {
      const p = hit.in_force;
      state = el('div', 'state in', `${t('Ingresó', 'Checked in')} ${clock(p.at)} · ${p.gate} · ${p.station}`);
    } else {
      state = el('div', 'state out', t('Aún no ha ingresado', 'Not checked in yet'));
    }
    li.append(state);
    const actions = el('div', 'actions');
    if (a.status === 'valid' && !hit.in_force) {
      const b = el('button', 'primary', t('Registrar ingreso', 'Check in'));
      b.type = 'button';
      b.addEventListener('click', () => checkIn(a, b));
      actions.append(b);
    }
    if (hit.in_force) {
      const b = el('button', 'danger', t('Deshacer ingreso', 'Undo check-in'));
      b.type = 'button';
      b.addEventListener('click', () => undo(a, b));
      actions.append(b);
    }
    const more = el('div', 'more');
    const historyButton = el('button', 'quiet', t('Historial', 'History'));
    historyButton.type = 'button';
    historyButton.addEventListener('click', () => toggleHistory(a, li));
    const nameButton = el('button', 'quiet', t('Corregir nombre', 'Correct name'));
    nameButton.type = 'button';
    nameButton.addEventListener('click', () => editName(a, li));
    more.append(historyButton, nameButton);
    li.append(actions, more);
    return li;
  }

  async function toggleHistory(a, li) {
    const open = li.querySelector('.history');
    if (open) {
      open.remove();
      return;
    }
    const list = el('ol', 'history');
    li.append(list);
    try {
      const rows = await get(`/api/history?attendee_id=${a.id}`);
      if (!rows.length) list.append(el('li', 'small', t('Sin registros todavía.', 'No scans yet.')));
      for (const r of rows) {
        const what = r.kind === 'undo' ? `${t('deshecho', 'undone')}${r.reason ? ` («${r.reason}»)` : ''}` : r.label || r.verdict;
        const where = [r.gate, r.station].filter((x) => x).join(' · ');
        const exit = r.direction === 'exit' ? t(' (salida)', ' (exit)') : '';
        const offline = r.offline ? t(' · sin hub', ' · offline') : '';
        list.append(el('li', `h-${r.kind}`, `${clock(r.at)} · ${what}${exit} · ${where}${offline}`));
      }
    } catch (e) {
      list.append(el('li', 'error', e.message));
    }
  }

  function editName(a, li) {
    if (li.querySelector('form.name-edit')) return;
    const form = el('form', 'name-edit');
    const first = el('input');
    first.value = a.first_name;
    first.name = 'first_name';
    first.setAttribute('aria-label', t('Nombre', 'First name'));
    const last = el('input');
    last.value = a.last_name;
    last.name = 'last_name';
    last.setAttribute('aria-label', t('Apellido', 'Last name'));
    const save = el('button', 'primary', t('Guardar', 'Save'));
    save.type = 'submit';
    form.append(first, last, save);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        const fixed = await post('/api/name', { attendee_id: a.id, first_name: first.value, last_name: last.value });
        say(t(`Nombre corregido: ${fullName(fixed)}.`, `Name corrected: ${fullName(fixed)}.`), 'admitted');
      } catch (err) {
        say(err.message, 'error');
      }
      await search(true);
    });
    li.append(form);
    first.focus();
  }

  // `keep`: leave the status line as an action just set it.
  async function search(keep) {
    const text = q.value.trim();
    const mine = ++asked;
    if (!text) {
      results.replaceChildren();
      say('');
      return;
    }
    try {
      const hits = await get(`/api/search?q=${encodeURIComponent(text)}`);
      if (mine !== asked) return;  // a newer search is on its way
      results.replaceChildren(...hits.map(row));
      if (!hits.length) say(t('Nadie con ese nombre, correo o empresa.', 'Nobody with that name, email or company.'));
      else if (!keep) say('');
    } catch (e) {
      if (mine === asked) say(e.message, 'error');
    }
  }

  async function checkIn(a, button) {
    button.disabled = true;
    try {
      const d = await post('/api/checkin', { attendee_id: a.id, nonce: uuid() });
      say(`${d.label}: ${d.message}`, d.verdict === 'admitted' ? 'admitted' : 'denied');
    } catch (e) {
      say(e.message, 'error');
    }
    await search(true);
  }

  async function undo(a, button) {
    const reason = prompt(t(`¿Por qué se deshace el ingreso de ${fullName(a)}? (queda en el registro)`, `Why undo ${fullName(a)}'s check-in? (kept in the log)`), '');
    if (reason === null) return;
    if (!reason.trim()) {
      say(t('Escriba por qué se deshace el ingreso.', 'Write why the check-in is undone.'), 'error');
      return;
    }
    button.disabled = true;
    try {
      await post('/api/undo', { attendee_id: a.id, reason });
      say(t(`Ingreso de ${fullName(a)} deshecho.`, `${fullName(a)}'s check-in undone.`), 'undone');
    } catch (e) {
      say(e.message, 'error');
    }
    await search(true);
  }

  const walkin = document.getElementById('walkin');
  walkin.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = walkin.querySelector('button');
    button.disabled = true;
    try {
      const fields = Object.fromEntries(new FormData(walkin).entries());
      const d = await post('/api/walkin', fields);
      const badge = d.badge_job ? t(` Escarapela en cola (#${d.badge_job}).`, ` Badge queued (#${d.badge_job}).`) : '';
      say(`${d.label}: ${d.message}${badge}`, d.verdict === 'admitted' ? 'admitted' : 'denied');
      walkin.reset();
      document.getElementById('walkin-box').open = false;
      q.value = fullName(d.attendee);
      await search(true);
    } catch (err) {
      say(err.message, 'error');
    } finally {
      button.disabled = false;
    }
  });
  // Ticket types the roster already has, offered as you type.
  get('/api/stats')
    .then((s) => {
      const list = document.getElementById('ticket-types');
      list.replaceChildren(...s.by_ticket_type.map((x) => { const o = el('option'); o.value = x.ticket_type; return o; }));
    })
    .catch(() => {});

  let timer = null;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(false), 150);
  });
  document.getElementById('search').addEventListener('submit', (e) => {
    e.preventDefault();
    search(false);
  });
})();
