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
    li.append(actions);
    return li;
  }

  // After a check-in or undo `keep` is true: the rows are drawn again but
  // #status keeps the verdict the volunteer has to read.
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
    const sure = confirm(t(`¿Deshacer el ingreso de ${fullName(a)}?`, `Undo ${fullName(a)}'s check-in?`));
    if (!sure) return;
    button.disabled = true;
    try {
      await post('/api/undo', { attendee_id: a.id });
      say(t(`Ingreso de ${fullName(a)} deshecho.`, `${fullName(a)}'s check-in undone.`), 'undone');
    } catch (e) {
      say(e.message, 'error');
    }
    await search(true);
  }

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
