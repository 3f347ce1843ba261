// The print desk: how many badges wait, each printing station's printer in
// words with pause and resume, and each badge with its state, cancel (while
// still queued) and reprint with a reason.
'use strict';

(() => {
  const { t, get, post, el } = Checkin;
  const status = document.getElementById('status');
  const mayControl = Checkin.role === 'print' || Checkin.role === 'admin';
  const stationMeta = document.querySelector('meta[name="station"]');
  const myStation = stationMeta ? stationMeta.content : '';

  document.querySelectorAll('[data-roles]').forEach((a) => {
    if (!a.dataset.roles.split(' ').includes(Checkin.role)) a.remove();
  });

  function say(text, kind) {
    status.textContent = text;
    status.className = `status ${kind || ''}`;
  }

  async function act(button, url, params, done) {
    button.disabled = true;
    try {
      await post(url, params);
      say(done, 'admitted');
    } catch (e) {
      say(e.message, 'error');
      button.disabled = false;
    }
  }

  function printerRow(p) {
    const bad = !p.reachable || !p.accepting || p.paused || p.silent || p.held;
    const tr = el('tr', bad ? 'offline' : 'online');
    tr.dataset.worker = p.worker;
    if (p.station === myStation) tr.classList.add('mine');
    tr.append(el('td', 'station', p.station));
    tr.append(el('td', 'printer', p.printer));
    const state = el('td', 'state', p.words);
    if (p.held) {
      state.append(el('div', 'held', t(`En pausa desde la mesa de impresión${p.held_by ? ` (${p.held_by})` : ''}: no toma escarapelas nuevas`,
        `Paused from the print desk${p.held_by ? ` (${p.held_by})` : ''}: takes no new badges`)));
    }
    tr.append(state);
    tr.append(el('td', 'since', Checkin.when(p.changed_at)));
    const cell = el('td', 'actions');
    if (mayControl) {
      const b = el('button', p.held ? 'primary resume' : 'danger pause', p.held ? t('Reanudar', 'Resume') : t('Pausar', 'Pause'));
      b.type = 'button';
      b.addEventListener('click', () => act(b, '/api/print/hold', { worker: p.worker, held: p.held ? '0' : '1' },
        p.held ? t(`Impresión reanudada en ${p.station}`, `Printing resumed at ${p.station}`)
          : t(`Impresión en pausa en ${p.station}`, `Printing paused at ${p.station}`)));
      cell.append(b);
    }
    tr.append(cell);
    return tr;
  }

  const dialog = document.getElementById('reprint');
  const reason = document.getElementById('reprint-reason');
  const reprintError = document.getElementById('reprint-error');
  let reprinting = null;

  function askReprint(job) {
    reprinting = job;
    document.getElementById('reprint-name').textContent = job.name;
    reason.value = '';
    reprintError.textContent = '';
    dialog.showModal();
    reason.focus();
  }

  document.getElementById('reprint-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('reprint-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      reprintError.textContent = t('Diga por qué se reimprime.', 'Say why it is printed again.');
      return;
    }
    try {
      const out = await post('/api/print/reprint', { attendee_id: reprinting.attendee_id, reason: why });
      dialog.close();
      say(t(`Escarapela de ${reprinting.name} en cola otra vez (n.º ${out.job})`, `Badge of ${reprinting.name} queued again (no. ${out.job})`), 'admitted');
    } catch (e) {
      reprintError.textContent = e.message;
    }
  });

  function jobRow(j) {
    const tr = el('tr', `job ${j.state}`);
    tr.dataset.job = j.id;
    tr.append(el('td', 'id', j.id));
    const name = el('td', 'name', j.name);
    if (j.company) name.append(el('div', 'small', j.company));
    tr.append(name);
    tr.append(el('td', 'type', j.ticket_type));
    const state = el('td', 'state', j.words);
    if (j.reason) state.append(el('div', 'small reason', t(`Reimpresión: ${j.reason}`, `Reprint: ${j.reason}`)));
    tr.append(state);
    tr.append(el('td', 'station', j.station));
    tr.append(el('td', 'time', Checkin.when(j.created_at)));
    const cell = el('td', 'actions');
    if (j.state === 'queued' && mayControl) {
      const b = el('button', 'danger cancel', t('Cancelar', 'Cancel'));
      b.type = 'button';
      b.addEventListener('click', () => act(b, '/api/print/cancel', { job: j.id }, t(`Escarapela de ${j.name} cancelada`, `Badge of ${j.name} cancelled`)));
      cell.append(b);
    } else if (j.state !== 'queued' && j.state !== 'printing') {
      const b = el('button', 'reprint', t('Reimprimir', 'Print again'));
      b.type = 'button';
      b.addEventListener('click', () => askReprint(j));
      cell.append(b);
    }
    tr.append(cell);
    return tr;
  }

  async function refresh() {
    try {
      const view = await get('/api/print');
      for (const k of ['queued', 'printing', 'done', 'failed', 'reprints']) {
        document.getElementById(`n-${k}`).textContent = view.counts[k];
      }
      const printers = document.querySelector('#printers tbody');
      printers.replaceChildren(...(view.printers.length ? view.printers.map(printerRow)
        : [Checkin.emptyRow(5, t('Ninguna estación de impresión ha dado noticias: arranque `checkin print` en ella.', 'No printing station has reported: start `checkin print` on one.'))]));
      const jobs = document.querySelector('#jobs tbody');
      jobs.replaceChildren(...(view.jobs.length ? view.jobs.map(jobRow)
        : [Checkin.emptyRow(7, t('Ninguna escarapela todavía.', 'No badge yet.'))]));
    } catch (e) {
      say(e.message, 'error');
    }
  }

  Checkin.live(refresh);
  // "No word from the station" comes from silence, which no event tells of.
  setInterval(refresh, 10000);
})();
