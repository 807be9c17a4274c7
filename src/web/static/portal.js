// Progressive enhancement for the portal: every feature below also works (or degrades) without JavaScript,
// where the toolbar's links go to /accessibility/set and come back. No inline handlers (CSP).
(function () {
  'use strict';
  var root = document.documentElement;
  var SIZES = [100, 125, 150, 175, 200];
  var COOKIE = 'zz_a11y';

  function readPrefs() {
    var m = document.cookie.match(/(?:^|;\s*)zz_a11y=([^;]*)/);
    var p = { size: 100, contrast: 'normal', spacing: false, cursor: false, guide: false, elder: false, toolbar: false };
    if (!m) return p;
    m[1].split('-').forEach(function (t) {
      if (/^s\d{3}$/.test(t) && SIZES.indexOf(+t.slice(1)) >= 0) p.size = +t.slice(1);
      else if (t === 'chigh' || t === 'cdark' || t === 'cnormal') p.contrast = t.slice(1);
      else if (t === 'l') p.spacing = true;
      else if (t === 'k') p.cursor = true;
      else if (t === 'g') p.guide = true;
      else if (t === 'e') p.elder = true;
      else if (t === 't') p.toolbar = true;
    });
    return p;
  }

  function effective(p) {
    return p.elder ? Object.assign({}, p, { size: Math.max(p.size, 150), spacing: true }) : p;
  }

  function writePrefs(p) {
    var v = [p.size !== 100 ? 's' + p.size : '', p.contrast !== 'normal' ? 'c' + p.contrast : '', p.spacing ? 'l' : '', p.cursor ? 'k' : '', p.guide ? 'g' : '', p.elder ? 'e' : '', p.toolbar ? 't' : '']
      .filter(Boolean)
      .join('-');
    document.cookie = COOKIE + '=' + v + '; path=/; max-age=' + (v ? 31536000 : 0) + '; samesite=lax';
  }

  function apply(p) {
    var e = effective(p);
    var keep = root.className.split(/\s+/).filter(function (c) { return c && !/^a11y-|^elder$/.test(c); });
    if (e.size !== 100) keep.push('a11y-s' + e.size);
    if (e.contrast !== 'normal') keep.push('a11y-' + e.contrast);
    if (e.spacing) keep.push('a11y-spacing');
    if (e.cursor) keep.push('a11y-cursor');
    if (e.guide) keep.push('a11y-guide');
    if (e.elder) keep.push('elder');
    root.className = keep.join(' ');
    var sizeLabel = document.querySelector('[data-a11y-size]');
    if (sizeLabel) sizeLabel.textContent = e.size + '%';
    document.querySelectorAll('a[data-a11y]').forEach(function (a) {
      var param = a.getAttribute('data-a11y');
      var kv = param.split('=');
      var on = (kv[0] === 'contrast' && e.contrast === kv[1]) || (kv[0] === 'toggle' && kv[1] !== 'toolbar' && !!e[kv[1]]) || (kv[0] === 'size' && String(e.size) === kv[1]);
      a.classList.toggle('is-on', on);
    });
    guide(e.guide);
  }

  function change(p, param) {
    var kv = param.split('=');
    var i = SIZES.indexOf(effective(p).size);
    if (kv[0] === 'size') {
      p.size = kv[1] === 'up' ? SIZES[Math.min(i + 1, SIZES.length - 1)] : kv[1] === 'down' ? SIZES[Math.max(i - 1, 0)] : +kv[1];
      p.toolbar = true;
    } else if (kv[0] === 'contrast') {
      p.contrast = kv[1];
      p.toolbar = true;
    } else if (kv[0] === 'toggle') {
      p[kv[1]] = !p[kv[1]];
      if (kv[1] === 'elder' && !p.elder) { p.size = 100; p.spacing = false; }
      if (kv[1] !== 'elder' && kv[1] !== 'toolbar') p.toolbar = true;
    } else if (kv[0] === 'reset') {
      p = { size: 100, contrast: 'normal', spacing: false, cursor: false, guide: false, elder: false, toolbar: false };
    }
    return p;
  }

  // The reading guide: a line that follows the pointer and the keyboard focus.
  var line;
  function guide(on) {
    if (on && !line) {
      line = document.createElement('div');
      line.className = 'reading-guide';
      line.setAttribute('aria-hidden', 'true');
      line.style.top = '40%';
      document.body.appendChild(line);
    } else if (!on && line) {
      line.remove();
      line = undefined;
    }
  }
  document.addEventListener('mousemove', function (ev) { if (line) line.style.top = ev.clientY + 14 + 'px'; });
  document.addEventListener('focusin', function (ev) {
    if (line && ev.target.getBoundingClientRect) line.style.top = ev.target.getBoundingClientRect().bottom + 4 + 'px';
  });

  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[data-a11y]');
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var param = a.getAttribute('data-a11y');
    var p = change(readPrefs(), param);
    // The elder mode reshapes the page (one column, fewer parts): load it from the server.
    if (param === 'toggle=elder') return;
    ev.preventDefault();
    writePrefs(p);
    apply(p);
    var bar = document.getElementById('a11y-toolbar');
    var entry = document.getElementById('a11y-entry');
    if (param === 'toggle=toolbar' && bar) {
      var open = bar.hidden;
      bar.hidden = !open;
      if (entry) entry.setAttribute('aria-expanded', String(open));
      if (open) { var first = bar.querySelector('a, button'); if (first) first.focus(); }
    }
  });

  // Read aloud, where the browser has speech synthesis.
  var speak = document.querySelector('[data-speak]');
  if (speak && 'speechSynthesis' in window) {
    speak.closest('[data-js-only]').hidden = false;
    var label = speak.textContent;
    speak.addEventListener('click', function () {
      var synth = window.speechSynthesis;
      if (synth.speaking) {
        synth.cancel();
        speak.textContent = label;
        return;
      }
      var main = document.getElementById('main');
      var u = new SpeechSynthesisUtterance((main ? main.innerText : document.body.innerText).slice(0, 20000));
      u.lang = root.lang || 'zh-CN';
      u.onend = function () { speak.textContent = label; };
      speak.textContent = speak.getAttribute('data-stop-label');
      synth.speak(u);
    });
  }

  // The print view's button.
  var print = document.querySelector('[data-print]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }

  guide(effective(readPrefs()).guide);
})();
