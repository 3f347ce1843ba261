// The door screen: the last verdict as a banner, the offline band, the
// gate's count, the camera, a tone per verdict, and a USB handheld scanner
// typing into the page. Names are set with textContent only: a name from an
// import must never run.
'use strict';
(function () {
  const body = document.body;
  const $ = (id) => document.getElementById(id);
  const csrf = document.querySelector('meta[name="csrf"]').content;
  // A verdict stays bright this long, then dims so the next one stands out.
  const FRESH_MS = 5000;
  let dimTimer = null;

  // Tones from an oscillator: no sound files to fetch. Chromium keeps the
  // context suspended until a person touches the page; the button says so.
  const Audio = window.AudioContext || window.webkitAudioContext;
  const audio = Audio ? new Audio() : null;
  const TONES = {
    green: [[880, 0, 0.12], [1320, 0.14, 0.18]],
    amber: [[660, 0, 0.15], [660, 0.25, 0.15]],
    red: [[220, 0, 0.5]],
  };
  function offerSound() {
    $('sound').hidden = !audio || audio.state === 'running';
  }
  function play(tone) {
    if (!audio || audio.state !== 'running' || !TONES[tone]) return;
    // Which tone went out last, for a person (or a test) inspecting the page.
    body.dataset.played = tone;
    const t0 = audio.currentTime;
    for (const [freq, at, len] of TONES[tone]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = tone === 'red' ? 'square' : 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, t0 + at);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + at + len);
      osc.connect(gain).connect(audio.destination);
      osc.start(t0 + at);
      osc.stop(t0 + at + len);
    }
  }
  $('sound').addEventListener('click', () => {
    if (audio) audio.resume().then(offerSound);
    $('code').focus();
  });
  if (audio) audio.onstatechange = offerSound;
  offerSound();

  function showDecision(d) {
    const banner = $('banner');
    banner.className = 'banner ' + (['green', 'amber', 'red'].includes(d.tone) ? d.tone : 'red');
    $('label').textContent = d.label;
    $('name').textContent = d.name;
    $('ticket').textContent = d.ticket_type || '';
    $('detail').textContent = d.detail || '';
    banner.dataset.at = d.at || '';
    clearTimeout(dimTimer);
    dimTimer = setTimeout(() => banner.classList.add('stale'), FRESH_MS);
    if (!d.replay) play(d.tone);
  }

  function listen() {
    const events = new EventSource('/door/events');
    events.addEventListener('decision', (e) => showDecision(JSON.parse(e.data)));
    events.addEventListener('away', (e) => {
      const a = JSON.parse(e.data);
      $('band').textContent = a.line;
      $('band').hidden = !a.away;
    });
    events.addEventListener('count', (e) => {
      $('count').textContent = String(JSON.parse(e.data).entries);
    });
    events.onopen = () => { $('lost').hidden = true; };
    events.onerror = () => {
      $('lost').textContent = body.dataset.lost;
      $('lost').hidden = false;
    };
  }

  function camera() {
    if (body.dataset.camera !== '1') {
      $('camera').hidden = true;
      $('nocamera').hidden = false;
      return;
    }
    $('camera').src = '/door/camera.mjpg';
  }

  // A handheld scanner types the code and Enter into whatever has focus: the
  // code box keeps it.
  function handheld() {
    const input = $('code');
    if (body.dataset.handheld !== '1') {
      $('handheld').hidden = true;
      return;
    }
    const keep = () => setTimeout(() => {
      if (document.activeElement !== input && document.activeElement !== $('sound')) input.focus();
    }, 0);
    input.addEventListener('blur', keep);
    document.addEventListener('click', keep);
    $('handheld').addEventListener('submit', async (e) => {
      e.preventDefault();
      const code = input.value.trim();
      input.value = '';
      if (!code) return;
      $('typed').textContent = body.dataset.sent;
      try {
        const res = await fetch('/door/redeem', {
          method: 'POST',
          headers: { 'X-Checkin-CSRF': csrf },
          body: new URLSearchParams({ code }),
          credentials: 'same-origin',
        });
        const out = await res.json();
        $('typed').textContent = res.ok ? '' : (out.error && out.error.message) || String(res.status);
      } catch (err) {
        $('typed').textContent = body.dataset.lost;
      }
    });
    input.focus();
  }

  listen();
  camera();
  handheld();
})();
