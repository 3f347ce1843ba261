// The admins' device page: the hub's devices, adding one with its one-time
// pairing code and QR on screen, revoking one. The QR is the hub's SVG,
// parsed as SVG and imported node by node: nothing is ever inserted as HTML.
'use strict';

(() => {
  const { t, get, post, el } = Checkin;

  const ROLES = {
    scan: t('puerta (escáner)', 'door (scanner)'),
    desk: t('mesa de ayuda', 'help desk'),
    print: t('impresión', 'printing'),
    admin: t('organización', 'admin'),
  };
  const STATES = {
    pairing_pending: t('esperando emparejamiento', 'pairing pending'),
    pairing_expired: t('código vencido', 'pairing expired'),
    paired: t('emparejado', 'paired'),
    revoked: t('revocado', 'revoked'),
  };
  const status = document.getElementById('status');

  function seen(utc) {
    return utc ? Checkin.when(utc) : t('nunca', 'never');
  }

  async function revoke(name, button) {
    if (!window.confirm(t(`¿Revocar «${name}»? Su token y su código dejarán de servir.`, `Revoke "${name}"? Its token and pairing code stop working.`))) return;
    button.disabled = true;
    try {
      await post('/api/devices/revoke', { name });
      status.textContent = '';
      await refresh();
    } catch (e) {
      status.textContent = e.message;
      button.disabled = false;
    }
  }

  function row(d) {
    const tr = el('tr', d.state === 'revoked' ? 'revoked' : d.online ? 'online' : 'offline');
    tr.dataset.name = d.name;
    tr.append(el('td', 'name', d.name));
    tr.append(el('td', 'role', ROLES[d.role] || d.role));
    tr.append(el('td', 'device-state', STATES[d.state] || d.state));
    const connection = d.state !== 'paired' ? '–' : d.online ? t('en línea', 'online') : t('sin conexión', 'offline');
    // Its own browser, logged in by `checkin station open`.
    const browser = d.web_sessions > 0 ? t(' · navegador con sesión', ' · browser logged in') : '';
    tr.append(el('td', 'state', connection + browser));
    tr.append(el('td', 'seen', seen(d.last_seen_at)));
    const cell = el('td', 'actions');
    if (d.state !== 'revoked') {
      const b = el('button', 'danger revoke', t('Revocar', 'Revoke'));
      b.type = 'button';
      b.addEventListener('click', () => revoke(d.name, b));
      cell.append(b);
    }
    tr.append(cell);
    return tr;
  }

  async function refresh() {
    const body = document.querySelector('#devices tbody');
    try {
      const list = await get('/api/devices');
      if (!list.length) {
        body.replaceChildren(Checkin.emptyRow(6, t('Ningún dispositivo todavía: agregue uno arriba.', 'No device yet: add one above.')));
        return;
      }
      // Newest first: the one just added is where the eye is.
      body.replaceChildren(...list.reverse().map(row));
    } catch (e) {
      status.textContent = e.message;
    }
  }

  // The hub's SVG text as nodes of this document. A document that does not
  // parse as SVG is refused rather than shown.
  function qrNode(svgText) {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const root = doc.documentElement;
    if (root.namespaceURI !== 'http://www.w3.org/2000/svg' || doc.getElementsByTagName('parsererror').length) {
      throw new Error(t('el hub mandó un QR que no se puede mostrar', 'the hub sent a QR that cannot be shown'));
    }
    return document.importNode(root, true);
  }

  function showPairing(added) {
    document.getElementById('pairing-name').textContent = added.name;
    document.getElementById('pairing-code').textContent = added.pairing_code;
    document.getElementById('pairing-expires').textContent = Checkin.clock(added.expires_at);
    document.getElementById('pairing-qr').replaceChildren(qrNode(added.qr_svg));
    const box = document.getElementById('pairing');
    box.hidden = false;
    box.scrollIntoView({ block: 'start' });
    document.getElementById('pairing-done').focus();
  }

  // The code is a secret until spent: "listo" takes it off the screen.
  function hidePairing() {
    document.getElementById('pairing').hidden = true;
    document.getElementById('pairing-qr').replaceChildren();
    document.getElementById('pairing-code').textContent = '';
  }

  document.getElementById('pairing-done').addEventListener('click', hidePairing);
  document.getElementById('add-device').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const added = await post('/api/devices', { name: form.elements.name.value.trim(), role: form.elements.role.value });
      status.textContent = '';
      form.reset();
      showPairing(added);
      await refresh();
    } catch (e) {
      status.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });

  Checkin.live(refresh);
  // Online and last seen move with no write through the hub, so no change
  // event tells of them.
  setInterval(refresh, 5000);
})();
