/* osgimon operator page: no inline script, no framework; uPlot draws the chart. */
(function () {
  'use strict';
  var root = document.getElementById('osgimon');
  var base = root.dataset.base;
  var token = root.dataset.token;
  var $ = function (id) { return document.getElementById(id); };

  function get(path) {
    return fetch(base + path, { credentials: 'same-origin' }).then(function (r) { return r.json(); });
  }
  function post(path, params) {
    return fetch(base + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-Osgimon-Token': token, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString()
    }).then(function (r) { return r.json(); });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function num(v) { return v === null || v === undefined ? '' : Number(v).toLocaleString('en'); }
  function time(ms) { return ms ? new Date(ms).toLocaleTimeString('en-GB') : ''; }
  function short(v) {
    if (v === null || v === undefined) { return ''; }
    var a = Math.abs(v), units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0]) { return (v / units[i][0]).toPrecision(3) + units[i][1]; }
    }
    return String(Math.round(v * 1000) / 1000);
  }

  // ---- sources and delivery ----
  function toggle(spec, answerId) {
    post('/api/sources.json', { spec: spec }).then(function (a) { $(answerId).textContent = a.answer; refreshState(); });
  }
  function refreshState() {
    return get('/api/state.json').then(function (s) {
      $('cycles').textContent = s.cycles + ' cycles seen';
      var body = $('sources').tBodies[0];
      body.replaceChildren();
      s.sources.forEach(function (src) {
        var tr = el('tr');
        tr.dataset.source = src.name;
        tr.appendChild(el('td', src.name));
        tr.appendChild(el('td', src.tags.join(', ')));
        var td = el('td');
        var b = el('button', src.enabled ? 'enabled' : 'disabled', 'toggle ' + (src.enabled ? 'on' : 'off'));
        b.type = 'button';
        b.title = src.enabled ? 'disable ' + src.name : 'enable ' + src.name;
        b.addEventListener('click', function () { toggle(src.name + ':' + (src.enabled ? 'disable' : 'enable'), 'sources-answer'); });
        td.appendChild(b);
        tr.appendChild(td);
        tr.appendChild(el('td', time(src.lastCollect), 'nowrap'));
        tr.appendChild(el('td', num(src.lines), 'num'));
        tr.appendChild(el('td', num(src.errors), 'num'));
        body.appendChild(tr);
      });
      var tags = $('tags').tBodies[0];
      tags.replaceChildren();
      s.tags.forEach(function (t) {
        var tr = el('tr');
        tr.dataset.tag = t.tag;
        tr.appendChild(el('td', t.tag));
        tr.appendChild(el('td', t.rule === null ? '' : (t.rule ? 'enabled' : 'disabled')));
        var td = el('td');
        ['enable', 'disable'].forEach(function (what) {
          var b = el('button', what, what === 'enable' ? 'on' : 'off');
          b.type = 'button';
          b.addEventListener('click', function () { toggle('tag:' + t.tag + ':' + what, 'sources-answer'); });
          td.appendChild(b);
        });
        tr.appendChild(td);
        tags.appendChild(tr);
      });
      var d = $('delivery');
      d.replaceChildren();
      Object.keys(s.delivery).forEach(function (k) {
        d.appendChild(el('dt', k));
        d.appendChild(el('dd', k === 'time' ? time(s.delivery[k]) : (typeof s.delivery[k] === 'number' ? num(s.delivery[k]) : s.delivery[k])));
      });
      if (!Object.keys(s.delivery).length) { d.appendChild(el('dd', 'no delivery figures yet (source monitoring off?)')); }
    });
  }

  // ---- log levels ----
  var levels = [];
  function drawLevels() {
    var f = $('level-filter').value.toLowerCase();
    var body = $('levels').tBodies[0];
    body.replaceChildren();
    levels.filter(function (l) { return l.logger.toLowerCase().indexOf(f) >= 0; }).forEach(function (l) {
      var tr = el('tr');
      tr.dataset.logger = l.logger;
      tr.appendChild(el('td', l.logger));
      tr.appendChild(el('td', l.level, 'nowrap'));
      tr.appendChild(el('td', l.expiresAt ? 'in ' + left(l.expiresAt) : '', 'nowrap'));
      tr.addEventListener('click', function () { $('level-logger').value = l.logger; });
      body.appendChild(tr);
    });
  }
  function left(ms) {
    var s = Math.max(0, Math.round((ms - Date.now()) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    return (h ? h + 'h' : '') + (h || m ? m + 'm' : '') + (s % 60) + 's';
  }
  function refreshLevels() {
    return get('/api/levels.json').then(function (a) {
      levels = a.levels;
      if (!a.answer.startsWith('ok')) { $('level-answer').textContent = a.answer; }
      drawLevels();
    });
  }
  $('level-filter').addEventListener('input', drawLevels);
  $('level-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var spec = $('level-logger').value.trim() + ':' + $('level-level').value;
    var expiry = $('level-expiry').value.trim();
    if (expiry) { spec += '@' + expiry; }
    post('/api/levels.json', { spec: spec }).then(function (a) { $('level-answer').textContent = a.answer; refreshLevels(); });
  });

  // ---- chart ----
  var series = [];
  var plot = null;
  var data = [[], []];
  var stream = null;
  function options(sel, values, keep) {
    var old = sel.value;
    sel.replaceChildren();
    values.forEach(function (v) { var o = el('option', v === '' ? '(no tags)' : v); o.value = v; sel.appendChild(o); });
    if (keep && values.indexOf(old) >= 0) { sel.value = old; }
  }
  function uniq(a) { return a.filter(function (v, i) { return a.indexOf(v) === i; }); }
  function fillPickers(level) {
    var m = $('chart-m'), f = $('chart-f'), t = $('chart-tags');
    if (level <= 0) { options(m, uniq(series.map(function (s) { return s.m; })), true); }
    var inM = series.filter(function (s) { return s.m === m.value; });
    if (level <= 1) { options(f, uniq(inM.map(function (s) { return s.f; })), true); }
    options(t, uniq(inM.filter(function (s) { return s.f === f.value; }).map(function (s) { return s.tags; })), true);
  }
  function selection() {
    return new URLSearchParams({ m: $('chart-m').value, f: $('chart-f').value, tags: $('chart-tags').value }).toString();
  }
  function countPoints() {
    var n = data[1].filter(function (v) { return v !== null; }).length;
    $('chart').dataset.points = String(n);
  }
  // UCUM-style units as the sources declare them, in words where that reads better
  var UNITS = { 'By': 'bytes', 's': 'seconds', 'ms': 'milliseconds', 'us': 'microseconds', 'ns': 'nanoseconds',
    'Hz': 'hertz' };
  function unitText(u) {
    if (!u) { return ''; }
    var braces = /^\{(.+)\}$/.exec(u);
    return braces ? braces[1] : (UNITS[u] || u);
  }
  var meaning = { kind: 'gauge', unit: '', description: '' };
  function showMeaning(p) {
    meaning = { kind: p.kind || 'gauge', unit: p.unit || '', description: p.description || '' };
    var box = $('chart');
    box.dataset.kind = meaning.kind;
    box.dataset.unit = meaning.unit;
    var words = [meaning.kind === 'counter' ? 'counter (cumulative since the source started)' : meaning.kind];
    if (meaning.unit) { words.push('unit: ' + unitText(meaning.unit) + (unitText(meaning.unit) !== meaning.unit ? ' (' + meaning.unit + ')' : '')); }
    if (meaning.description) { words.push(meaning.description); }
    $('chart-meaning').textContent = words.join(' · ');
  }
  function draw() {
    var box = $('chart');
    var width = Math.max(300, box.clientWidth - 10);
    var unit = unitText(meaning.unit);
    if (plot) { plot.destroy(); }
    plot = new uPlot({
      width: width, height: 300,
      series: [{}, { label: $('chart-f').value + (unit ? ' (' + unit + ')' : ''), stroke: '#2a6fdb', width: 1.5, spanGaps: false }],
      scales: { x: { time: true } },
      axes: [{}, { size: 70, label: unit, values: function (u, vals) { return vals.map(short); } }]
    }, data, box);
    countPoints();
    if (!performance.getEntriesByName('osgimon-first-chart').length) { performance.mark('osgimon-first-chart'); }
  }
  function openChart() {
    if (stream) { stream.close(); stream = null; }
    if (!$('chart-m').value) {
      // nothing collected yet: wait for the first cycle, then pick a series
      stream = new EventSource(base + '/api/events.stream');
      stream.addEventListener('cycle', function () { refreshState(); loadSeries(true); });
      return;
    }
    var q = selection();
    get('/api/points.json?' + q).then(function (p) {
      data = [p.t.map(function (t) { return t / 1000; }), p.v];
      $('chart').dataset.updates = '0';
      showMeaning(p);
      draw();
      stream = new EventSource(base + '/api/events.stream?' + q);
      stream.addEventListener('cycle', function (ev) {
        var d = JSON.parse(ev.data);
        data[0].push(d.t / 1000);
        data[1].push(d.v);
        if (data[0].length > p.capacity) { data[0].shift(); data[1].shift(); }
        plot.setData(data);
        countPoints();
        $('chart').dataset.updates = String(Number($('chart').dataset.updates) + 1);
        refreshState();
      });
    });
  }
  function loadSeries(first) {
    return get('/api/series.json').then(function (s) {
      series = s;
      fillPickers(0);
      if (first) {
        // start on something useful: heap used if the memory source runs
        var pick = series.filter(function (x) { return x.m === 'jvm_memory' && x.f === 'used'; })[0] || series[0];
        if (pick) {
          $('chart-m').value = pick.m; fillPickers(1);
          $('chart-f').value = pick.f; fillPickers(2);
          $('chart-tags').value = pick.tags;
        }
        openChart();
      }
    });
  }
  $('chart-m').addEventListener('change', function () { fillPickers(1); openChart(); });
  $('chart-f').addEventListener('change', function () { fillPickers(2); openChart(); });
  $('chart-tags').addEventListener('change', openChart);
  $('chart-m').addEventListener('focus', function () { loadSeries(false); });

  // ---- memtrace ----
  var polling = null;
  function drawRows(tableId, rows, withFrame) {
    var body = $(tableId).tBodies[0];
    body.replaceChildren();
    (rows || []).forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', r.name));
      if (withFrame) { tr.appendChild(el('td', r.frame)); }
      tr.appendChild(el('td', num(r.bytes), 'num'));
      body.appendChild(tr);
    });
  }
  function refreshMemtrace() {
    return get('/api/memtrace.json').then(function (m) {
      $('mt-record').disabled = !m.available;
      if (m.state === 'recording') {
        $('mt-status').textContent = 'recording, ' + Math.max(0, Math.round((m.endsAt - Date.now()) / 1000)) + ' s left';
        if (!polling) { polling = setInterval(refreshMemtrace, 1000); }
        return;
      }
      if (polling) { clearInterval(polling); polling = null; }
      var done = m.state === 'done';
      $('mt-status').textContent = m.error || (done ? m.samples + ' samples, ' + num(m.bytes) + ' bytes sampled' : '');
      $('mt-download').hidden = !done;
      if (done) { $('mt-download').href = base + '/api/memtrace.jfr?at=' + m.endsAt; }
      drawRows('mt-sites', m.sites, true);
      drawRows('mt-bundles', m.bundles, false);
    });
  }
  $('mt-form').addEventListener('submit', function (e) {
    e.preventDefault();
    post('/api/memtrace.json', { seconds: $('mt-seconds').value }).then(function (a) {
      $('mt-status').textContent = a.answer;
      if (a.answer === 'ok') { refreshMemtrace(); }
    });
  });

  refreshState();
  refreshLevels();
  refreshMemtrace();
  loadSeries(true);
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (plot) { plot.setSize({ width: Math.max(300, $('chart').clientWidth - 10), height: 300 }); } }).observe($('chart'));
  }
})();
