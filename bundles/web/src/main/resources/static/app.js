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

  // ---- units ----
  // UCUM-style units as the sources declare them, in words where that reads better
  var UNITS = { 'By': 'bytes', 's': 'seconds', 'ms': 'milliseconds', 'us': 'microseconds', 'ns': 'nanoseconds',
    'Hz': 'hertz' };
  function unitText(u) {
    if (!u) { return ''; }
    if (UNITS[u]) { return UNITS[u]; }
    return u.replace(/\{([^}]*)\}/g, '$1');
  }
  var COLORS = ['#2a6fdb', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700'];
  function plotOptions(width, height, labels, unit, legend) {
    var series = [{}];
    labels.forEach(function (l, i) { series.push({ label: l, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }); });
    return {
      width: width, height: height, series: series, legend: { show: legend },
      scales: { x: { time: true } },
      axes: [{}, { size: 60, label: legend ? unit : undefined, values: function (u, vals) { return vals.map(short); } }]
    };
  }
  function cut(arrays, capacity) {
    var over = arrays[0].length - capacity;
    if (over > 0) { arrays.forEach(function (a) { a.splice(0, over); }); }
  }

  // Drawing waits for the next frame, once per frame whatever arrived: the overview's and the chart's
  // events of one cycle are drawn together, and a page in a background tab (no frames) draws nothing
  // until it is shown again.
  var pending = {};
  var frame = 0;
  function later(key, fn) {
    pending[key] = fn;
    if (!frame) {
      frame = requestAnimationFrame(function () {
        var todo = pending;
        pending = {};
        frame = 0;
        Object.keys(todo).forEach(function (k) { todo[k](); });
      });
    }
  }

  // ---- overview ----
  var overview = { charts: {}, order: '', capacity: 360, last: 0, stream: null, cycle: 0, firstCycle: {} };
  function lineText(line, unit, i) {
    var v = line.v[i];
    var text = line.label + ' ' + (v === null || v === undefined ? '–' : short(v)) + ' ' + unit;
    if (line.inc && line.inc[i] !== null && line.inc[i] !== undefined) {
      text += ' (+' + num(line.inc[i]) + ' in ' + (Math.round(line.dt[i] * 1000) / 1000) + ' s)';
    }
    return text;
  }
  function drawLatest(c) {
    var box = c.el.querySelector('.om-latest');
    box.replaceChildren();
    var i = c.data[0].length - 1;
    c.lines.forEach(function (line, n) {
      // coloured as its line (classes, not style attributes: the CSP allows no inline style)
      var span = el('span', i < 0 ? line.label : lineText(line, unitText(c.unit), i), 'om-c' + (n % COLORS.length));
      span.dataset.line = line.label;
      if (i >= 0) {
        span.dataset.v = line.v[i] === null ? '' : String(line.v[i]);
        if (line.inc) { span.dataset.inc = line.inc[i] === null ? '' : String(line.inc[i]); }
      }
      box.appendChild(span);
    });
    c.el.dataset.points = String(c.points);
    if (overview.firstCycle[c.id]) { c.el.dataset.firstCycle = String(overview.firstCycle[c.id]); }
  }
  // counts a chart's points and notes the cycle at which it first had one (kept when the overview is rebuilt)
  function notePoints(c) {
    var n = 0;
    c.lines.forEach(function (line) { line.v.forEach(function (v) { if (v !== null) { n++; } }); });
    c.points = n;
    if (n && !overview.firstCycle[c.id]) { overview.firstCycle[c.id] = overview.cycle; }
  }
  function buildOverview(o) {
    var grid = $('overview');
    grid.replaceChildren();
    overview.charts = {};
    overview.capacity = o.capacity;
    o.charts.forEach(function (ch) {
      var fig = el('figure', null, 'om-mini');
      fig.dataset.chart = ch.id;
      fig.dataset.unit = ch.unit;
      var cap = el('figcaption', ch.title);
      cap.appendChild(el('span', ' (' + unitText(ch.unit) + ')', 'om-dim'));
      fig.appendChild(cap);
      var plotBox = el('div', null, 'om-plot');
      fig.appendChild(plotBox);
      fig.appendChild(el('p', null, 'om-latest'));
      grid.appendChild(fig);
      var c = { id: ch.id, el: fig, unit: ch.unit, lines: ch.lines, data: [o.t.map(function (t) { return t / 1000; })] };
      ch.lines.forEach(function (l) { c.data.push(l.v); });
      c.plot = new uPlot(plotOptions(Math.max(200, plotBox.clientWidth), 110, ch.lines.map(function (l) { return l.label; }), '', false), c.data, plotBox);
      fig.osgimonData = c;
      overview.charts[ch.id] = c;
      notePoints(c);
      drawLatest(c);
    });
    overview.order = o.charts.map(function (ch) { return ch.id + ':' + ch.lines.length; }).join(',');
  }
  function extendOverview(o) {
    var order = o.charts.map(function (ch) { return ch.id + ':' + ch.lines.length; }).join(',');
    if (order !== overview.order) { return false; }
    o.charts.forEach(function (ch) {
      var c = overview.charts[ch.id];
      o.t.forEach(function (t) { c.data[0].push(t / 1000); });
      ch.lines.forEach(function (l, i) {
        var line = c.lines[i];
        ['v', 'inc', 'dt'].forEach(function (k) { if (l[k]) { Array.prototype.push.apply(line[k], l[k]); } });
      });
      var arrays = [c.data[0]];
      c.lines.forEach(function (line) { ['v', 'inc', 'dt'].forEach(function (k) { if (line[k]) { arrays.push(line[k]); } }); });
      cut(arrays, overview.capacity);
      c.data = [c.data[0]].concat(c.lines.map(function (line) { return line.v; }));
      notePoints(c);
      later('overview-' + ch.id, function () { c.plot.setData(c.data); drawLatest(c); });
    });
    return true;
  }
  var HEALTH_CLASS = ['ok', 'warn', 'unavailable', 'critical', 'error'];
  function drawHealth(h) {
    var badge = $('health');
    var list = $('health-failing');
    list.replaceChildren();
    if (!h) { badge.hidden = true; return; }
    badge.hidden = false;
    badge.textContent = 'health: ' + h.label + (h.checks === null ? '' : ' · ' + h.checks + ' checks');
    badge.className = 'om-badge om-' + (HEALTH_CLASS[h.status] || 'error');
    badge.dataset.status = String(h.status);
    badge.dataset.t = String(h.t);
    if (!badge.dataset.firstCycle) { badge.dataset.firstCycle = String(overview.cycle); }
    h.failing.forEach(function (f) {
      var li = el('li', f.name + ': ' + f.label);
      li.dataset.check = f.name;
      list.appendChild(li);
    });
  }
  function overviewCycle(o) {
    $('overview').dataset.cycle = String(o.cycle);
    if (o.t.length) { overview.last = o.t[o.t.length - 1]; }
    drawHealth(o.health);
  }
  function openOverview() {
    get('/api/overview.json').then(function (o) {
      overview.cycle = o.cycle;
      // the cycle at which the page first showed the overview
      if (!$('overview').dataset.loadCycle) { $('overview').dataset.loadCycle = String(o.cycle); }
      buildOverview(o);
      overviewCycle(o);
      if (overview.stream) { overview.stream.close(); }
      overview.stream = new EventSource(base + '/api/overview.stream?since=' + overview.last);
      overview.stream.addEventListener('cycle', function (ev) {
        var o = JSON.parse(ev.data);
        overview.cycle = o.cycle;
        if (!extendOverview(o)) {
          // a chart came or went (a source started or stopped): take the whole overview again
          overview.stream.close();
          overview.stream = null;
          openOverview();
          return;
        }
        overviewCycle(o);
        later('state', refreshState);
        if (!series.length) { loadSeries(true); }
      });
    });
  }

  // ---- detailed chart ----
  var series = [];
  var plot = null;
  var chart = null;
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
  function selection(extra) {
    var p = { m: $('chart-m').value, f: $('chart-f').value, tags: $('chart-tags').value };
    if ($('chart-raw').checked) { p.view = 'raw'; }
    if ($('chart-q').value.trim()) { p.q = $('chart-q').value.trim(); }
    Object.keys(extra || {}).forEach(function (k) { p[k] = extra[k]; });
    return new URLSearchParams(p).toString();
  }
  function countPoints() {
    var n = chart.lines[0] ? chart.lines[0].v.filter(function (v) { return v !== null; }).length : 0;
    $('chart').dataset.points = String(n);
  }
  function showMeaning(p) {
    var box = $('chart');
    box.dataset.kind = p.kind;
    box.dataset.unit = p.unit;
    box.dataset.view = p.view;
    var words = [p.kind === 'counter' ? 'counter, drawn as ' + (p.view === 'rate' ? 'its rate per second' : 'its raw value (cumulative since the source started)')
      : p.kind === 'histogram' ? 'histogram, drawn as quantiles of each interval' : p.kind];
    if (p.unit) { words.push('unit: ' + unitText(p.unit) + (unitText(p.unit) !== p.unit ? ' (' + p.unit + ')' : '')); }
    if (p.description) { words.push(p.description); }
    $('chart-meaning').textContent = words.join(' · ');
    $('chart-raw-label').hidden = p.kind !== 'counter';
    $('chart-q-label').hidden = p.kind !== 'histogram';
  }
  function draw() {
    var box = $('chart');
    var width = Math.max(300, box.clientWidth - 10);
    var unit = unitText(chart.drawnUnit);
    if (plot) { plot.destroy(); }
    plot = new uPlot(plotOptions(width, 300, chart.lines.map(function (l) { return l.label + (unit ? ' (' + unit + ')' : ''); }), unit, true),
      chart.data, box);
    box.osgimonData = chart;
    countPoints();
    if (!performance.getEntriesByName('osgimon-first-chart').length) { performance.mark('osgimon-first-chart'); }
  }
  function openChart() {
    if (stream) { stream.close(); stream = null; }
    if (!$('chart-m').value) { return; }
    get('/api/points.json?' + selection()).then(function (p) {
      chart = p;
      chart.data = [p.t.map(function (t) { return t / 1000; })].concat(p.lines.map(function (l) { return l.v; }));
      $('chart').dataset.updates = '0';
      showMeaning(p);
      draw();
      var last = p.t.length ? p.t[p.t.length - 1] : 0;
      stream = new EventSource(base + '/api/events.stream?' + selection({ since: last }));
      stream.addEventListener('cycle', function (ev) {
        var d = JSON.parse(ev.data);
        d.t.forEach(function (t) { chart.data[0].push(t / 1000); });
        d.lines.forEach(function (l, i) {
          Array.prototype.push.apply(chart.lines[i].v, l.v);
          if (l.inc && chart.lines[i].inc) { Array.prototype.push.apply(chart.lines[i].inc, l.inc); }
        });
        var arrays = [chart.data[0]];
        chart.lines.forEach(function (l) { arrays.push(l.v); if (l.inc) { arrays.push(l.inc); } });
        cut(arrays, p.capacity);
        chart.data = [chart.data[0]].concat(chart.lines.map(function (l) { return l.v; }));
        $('chart').dataset.updates = String(Number($('chart').dataset.updates) + 1);
        later('chart', function () { plot.setData(chart.data); countPoints(); });
      });
    });
  }
  function loadSeries(first) {
    return get('/api/series.json').then(function (s) {
      series = s;
      fillPickers(0);
      if (first && series.length) {
        // start on something useful: heap used if the memory source runs
        var pick = series.filter(function (x) { return x.m === 'jvm_memory' && x.f === 'used'; })[0] || series[0];
        $('chart-m').value = pick.m; fillPickers(1);
        $('chart-f').value = pick.f; fillPickers(2);
        $('chart-tags').value = pick.tags;
        openChart();
      }
    });
  }
  $('chart-m').addEventListener('change', function () { fillPickers(1); openChart(); });
  $('chart-f').addEventListener('change', function () { fillPickers(2); openChart(); });
  $('chart-tags').addEventListener('change', openChart);
  $('chart-raw').addEventListener('change', openChart);
  $('chart-q').addEventListener('change', openChart);
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
  openOverview();
  loadSeries(true);
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (plot) { plot.setSize({ width: Math.max(300, $('chart').clientWidth - 10), height: 300 }); } }).observe($('chart'));
  }
})();
