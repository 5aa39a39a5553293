// mailsift web interface: plain JavaScript, no framework. Every call sends the controller password in the
// Password header (kept in sessionStorage for this tab only); no cookie is ever set, so a foreign page has nothing
// to ride on. Data from the server is put into the page as text only (never as HTML).
'use strict';

(() => {
  const PAGES = ['status', 'throughput', 'history', 'configuration', 'scan'];
  const ACTIONS = [
    { name: 'reject', label: 'Rejected', color: '#e02020' },
    { name: 'soft reject', label: 'Temporarily rejected', color: '#bf8040' },
    { name: 'rewrite subject', label: 'Subject rewritten', color: '#ff6600' },
    { name: 'add header', label: 'Probable spam', color: '#e0b000' },
    { name: 'greylist', label: 'Greylisted', color: '#436eee' },
    { name: 'no action', label: 'Clean', color: '#55aa00' },
  ];
  const KEY_PASSWORD = 'mailsift.password';
  const KEY_READONLY = 'mailsift.readOnly';
  const KEY_MAXBODY = 'mailsift.maxBody';
  const KEY_LOGGED_OUT = 'mailsift.loggedOut';

  const state = {
    password: sessionStorage.getItem(KEY_PASSWORD),
    readOnly: sessionStorage.getItem(KEY_READONLY) === 'true',
    maxBody: Number(sessionStorage.getItem(KEY_MAXBODY) || 0),
    page: null,
    history: [],
    sortKey: 'unix_time',
    sortDir: -1,
    symbols: [],
    dump: [],
    uptime: null,
    timer: null,
    chart: null,
    offline: false,
  };

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------
  async function api(path, options = {}) {
    const headers = {};
    const password = options.password !== undefined ? options.password : state.password;
    if (password) {
      headers.Password = password;
    }
    let resp;
    try {
      resp = await fetch(path, {
        method: options.method || 'GET',
        body: options.body === undefined ? null : options.body,
        headers,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
    } catch (e) {
      setOffline(true);
      throw new ApiError(0, 'Cannot reach the mailsift controller (it may be restarting). Retrying...', 0);
    }
    setOffline(false);
    const text = await resp.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (resp.status === 401 && state.password !== null && options.password === undefined) {
      sessionExpired();
    }
    if (!resp.ok) {
      const message = (data && data.error) || resp.statusText || ('HTTP error ' + resp.status);
      throw new ApiError(resp.status, message, Number(resp.headers.get('Retry-After') || 0));
    }
    if (resp.status === 204) {
      return { noContent: resp.statusText || 'Nothing to do' };
    }
    return data;
  }

  function errorText(e) {
    if (!(e instanceof ApiError)) {
      return String(e && e.message ? e.message : e);
    }
    if (e.status === 429) {
      return 'Too many failed password attempts from this address. Wait ' + (e.retryAfter || 'a few')
        + ' seconds, then try again.';
    }
    if (e.status === 413) {
      return 'The message is larger than the controller accepts. ' + e.message;
    }
    if (e.status === 0) {
      return e.message;
    }
    return e.message + ' (HTTP ' + e.status + ')';
  }

  // ---- banner: lost connection, restart ------------------------------------------------------------------------
  function banner(text, bad) {
    const b = $('#banner');
    b.textContent = text || '';
    b.hidden = !text;
    b.classList.toggle('bad', !!bad);
  }

  function setOffline(offline) {
    if (offline === state.offline) {
      return;
    }
    state.offline = offline;
    if (offline) {
      banner('Cannot reach the mailsift controller at ' + location.host
        + '. It may be restarting; this page retries every 5 seconds and keeps what you typed.', true);
    } else {
      banner('');
      if (state.password !== null && state.page) {
        refresh();
      }
    }
  }

  // ---- login / logout --------------------------------------------------------------------------------------------
  function showLogin(message) {
    stopTimer();
    $('#app').hidden = true;
    $('#login').hidden = false;
    $('#login-error').textContent = message || '';
    $('#login-password').value = '';
    $('#login-password').focus();
  }

  function sessionExpired() {
    forget();
    showLogin('Your session is no longer valid (the password was changed or is wrong now). Log in again.');
  }

  function forget() {
    state.password = null;
    sessionStorage.removeItem(KEY_PASSWORD);
    sessionStorage.removeItem(KEY_READONLY);
    sessionStorage.removeItem(KEY_MAXBODY);
  }

  async function login(password) {
    const data = await api('/auth', { password });
    sessionStorage.removeItem(KEY_LOGGED_OUT);
    state.password = password;
    state.readOnly = !!data.read_only;
    state.maxBody = Number(data.max_body_bytes || 0);
    sessionStorage.setItem(KEY_PASSWORD, password);
    sessionStorage.setItem(KEY_READONLY, String(state.readOnly));
    sessionStorage.setItem(KEY_MAXBODY, String(state.maxBody));
    enterApp();
  }

  function enterApp() {
    $('#login').hidden = true;
    $('#app').hidden = false;
    document.body.classList.toggle('read-only', state.readOnly);
    $('#who').textContent = (state.readOnly ? 'read-only' : 'administrator') + (state.password ? '' : ' (trusted address)');
    route();
  }

  $('#login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const password = $('#login-password').value;
    const err = $('#login-error');
    if (!password) {
      err.textContent = 'Enter the controller password.';
      return;
    }
    err.textContent = '';
    $('#login-submit').disabled = true;
    try {
      await login(password);
    } catch (e) {
      err.textContent = e.status === 401 ? 'Wrong password.' : errorText(e);
      $('#login-password').select();
    } finally {
      $('#login-submit').disabled = false;
    }
  });

  $('#logout').addEventListener('click', () => {
    forget();
    sessionStorage.setItem(KEY_LOGGED_OUT, 'true');
    location.hash = '';
    showLogin('You are logged out.');
  });

  // ---- routing ------------------------------------------------------------------------------------------------
  function route() {
    if (state.password === null) {
      return;
    }
    const wanted = location.hash.replace('#', '');
    const page = PAGES.includes(wanted) ? wanted : 'status';
    state.page = page;
    for (const section of $$('[data-page]')) {
      section.hidden = section.dataset.page !== page;
    }
    for (const link of $$('[data-nav]')) {
      if (link.dataset.nav === page) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }
    document.title = 'mailsift - ' + $('#h-' + page).textContent;
    refresh();
    startTimer();
  }

  window.addEventListener('hashchange', () => {
    route();
    $('#main').focus();
  });

  function startTimer() {
    stopTimer();
    const every = state.page === 'status' ? 10000 : state.page === 'throughput' ? 60000 : 0;
    state.timer = setInterval(() => {
      if (state.offline) {
        api('/ping').catch(() => {}); // back online: setOffline(false) reloads the page's data
      } else if (every && !document.hidden) {
        refresh();
      }
    }, every || 5000);
  }

  function stopTimer() {
    if (state.timer) {
      clearInterval(state.timer);
      state.timer = null;
    }
  }

  function refresh() {
    const loaders = {
      status: loadStatus, throughput: loadGraph, history: loadHistory, configuration: loadConfiguration, scan: () => {},
    };
    Promise.resolve(loaders[state.page]()).catch((e) => {
      if (e instanceof ApiError && (e.status === 0 || e.status === 401)) {
        return; // the banner / login page already says it
      }
      banner(errorText(e), true);
    });
  }

  // ---- helpers ------------------------------------------------------------------------------------------------
  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    for (const [k, v] of Object.entries(attrs || {})) {
      e.setAttribute(k, v);
    }
    return e;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      tr.appendChild(c instanceof Node ? wrapCell(c) : el('td', c));
    }
    return tr;
  }

  function wrapCell(node) {
    const td = document.createElement('td');
    td.appendChild(node);
    return td;
  }

  function fill(tbody, rows, emptyText, columns) {
    tbody.replaceChildren(...rows);
    if (!rows.length) {
      const tr = document.createElement('tr');
      tr.appendChild(el('td', emptyText, { colspan: String(columns), class: 'empty' }));
      tbody.appendChild(tr);
    }
  }

  function fmtNumber(n) {
    return Number(n || 0).toLocaleString('en-US');
  }

  function fmtUptime(s) {
    s = Math.max(0, Math.floor(s || 0));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
  }

  function badge(action) {
    return el('span', action, { class: 'badge ' + String(action).replace(/ /g, '-') });
  }

  function setStat(name, value) {
    const e = $('[data-stat="' + name + '"]');
    if (e) {
      e.textContent = value;
    }
  }

  // ---- status -------------------------------------------------------------------------------------------------
  async function loadStatus() {
    const [stat, errors] = await Promise.all([api('/stat'), api('/errors')]);
    if (state.uptime !== null && stat.uptime < state.uptime) {
      banner('The controller restarted: counters start again from zero.', false);
    }
    state.uptime = stat.uptime;
    const files = stat.statfiles || [];
    const global = (symbol) => files.find((f) => f.symbol === symbol && !f.label) || {};
    const spam = global('BAYES_SPAM');
    const ham = global('BAYES_HAM');
    const perUser = new Map();
    for (const f of files.filter((x) => x.label)) {
      const counts = perUser.get(f.label) || { spam: 0, ham: 0 };
      counts[f.symbol === 'BAYES_SPAM' ? 'spam' : 'ham'] = f.revision;
      perUser.set(f.label, counts);
    }
    const queued = stat.learns_queued || 0;
    setStat('version', stat.version);
    setStat('uptime', fmtUptime(stat.uptime));
    setStat('scanned', fmtNumber(stat.scanned));
    setStat('learned_spam', fmtNumber(spam.revision));
    setStat('learned_ham', fmtNumber(ham.revision));
    setStat('tokens', fmtNumber(spam.total) + ' / ' + fmtNumber(ham.total));
    setStat('users', fmtNumber(perUser.size || Math.max(spam.users || 0, ham.users || 0)));
    setStat('store', (spam.type || 'unknown') + (queued ? ' - learns waiting' : ' - healthy'));
    setStat('queued', fmtNumber(queued));
    setStat('errors', fmtNumber(errors.length));

    const counts = ACTIONS.map((a) => Number((stat.actions || {})[a.name] || 0));
    drawPie($('#pie-canvas'), counts);
    fill($('#actions-table tbody'), ACTIONS.map((a, i) => {
      const name = el('span');
      name.append(el('span', null, { class: 'swatch', 'data-color': a.color }), document.createTextNode(a.label));
      return row([name, fmtNumber(counts[i])]);
    }), 'No messages yet', 2);
    for (const s of $$('#actions-table .swatch')) {
      s.style.background = s.dataset.color;
    }
    fill($('#users-table tbody'), Array.from(perUser.entries()).sort().map(([user, c]) =>
      row([user, fmtNumber(c.spam), fmtNumber(c.ham)])), 'No per-user learns', 3);
    const accounts = (stat.imap_watcher && stat.imap_watcher.accounts) || [];
    fill($('#watcher-table tbody'), accounts.map((a) => row([a.account, a.state, fmtNumber(a.learned_spam),
      fmtNumber(a.learned_ham), (a.last_event || '') + (a.last_event_at ? ' (' + a.last_event_at + ')' : ''),
      (a.last_error || '') + (a.last_error_at ? ' (' + a.last_error_at + ')' : '')])), 'No IMAP watcher in this daemon', 6);
    fill($('#errors-table tbody'), errors.slice(-20).reverse().map((e) =>
      row([new Date(e.ts * 1000).toLocaleString(), e.module, e.message])), 'No errors', 3);
  }

  function drawPie(canvas, counts) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    const total = counts.reduce((a, b) => a + b, 0);
    ctx.clearRect(0, 0, w, h);
    const r = Math.min(w, h) / 2 - 6;
    let angle = -Math.PI / 2;
    if (!total) {
      ctx.beginPath();
      ctx.arc(w / 2, h / 2, r, 0, 2 * Math.PI);
      ctx.fillStyle = '#d5d9e0';
      ctx.fill();
    }
    counts.forEach((n, i) => {
      if (!n) {
        return;
      }
      const slice = (n / total) * 2 * Math.PI;
      ctx.beginPath();
      ctx.moveTo(w / 2, h / 2);
      ctx.arc(w / 2, h / 2, r, angle, angle + slice);
      ctx.closePath();
      ctx.fillStyle = ACTIONS[i].color;
      ctx.fill();
      angle += slice;
    });
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, r * 0.55, 0, 2 * Math.PI);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.fillStyle = '#1d2330';
    ctx.font = '600 18px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(fmtNumber(total), w / 2, h / 2 - 8);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText('messages', w / 2, h / 2 + 12);
    canvas.setAttribute('aria-label', 'Actions since start: ' + ACTIONS.map((a, i) => a.label + ' ' + counts[i]).join(', '));
  }

  // ---- throughput ---------------------------------------------------------------------------------------------
  async function loadGraph() {
    const type = $('#graph-type').value;
    const series = await api('/graph?type=' + encodeURIComponent(type));
    const box = $('#graph');
    if (typeof uPlot === 'undefined') {
      box.textContent = 'The chart library did not load.';
      return;
    }
    const xs = (series[0] || []).map((p) => p.x);
    const data = [xs].concat(series.map((s) => s.map((p) => p.y)));
    const totals = series.map((s) => s.reduce((sum, p) => sum + (p.y || 0), 0));
    const step = xs.length > 1 ? xs[1] - xs[0] : 60;
    $('#graph-summary').textContent = 'Messages in this period: ' + ACTIONS.map((a, i) =>
      a.label + ' ' + Math.round(totals[i] * step)).join(', ') + '.';
    box.setAttribute('aria-label', 'Messages per second by action, ' + type + '. ' + $('#graph-summary').textContent);
    const opts = {
      width: Math.max(280, box.clientWidth - 16),
      height: window.innerWidth < 640 ? 260 : 340,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, 0.01)] } },
      axes: [{}, { label: 'messages / s', size: 60 }],
      series: [{ label: 'time' }].concat(ACTIONS.map((a) => ({
        label: a.label, stroke: a.color, width: 2, spanGaps: false,
        value: (u, v) => (v === null || v === undefined ? '-' : v.toFixed(3)),
      }))),
    };
    if (state.chart) {
      state.chart.destroy();
    }
    box.replaceChildren();
    state.chart = new uPlot(opts, data, box);
  }

  $('#graph-type').addEventListener('change', () => refresh());
  window.addEventListener('resize', () => {
    if (state.chart && state.page === 'throughput') {
      state.chart.setSize({ width: Math.max(280, $('#graph').clientWidth - 16), height: window.innerWidth < 640 ? 260 : 340 });
    }
  });

  // ---- history ------------------------------------------------------------------------------------------------
  async function loadHistory() {
    const rows = await api('/history');
    state.history = Array.isArray(rows) ? rows : (rows.rows || []);
    renderHistory();
  }

  function historyText(r) {
    return [r.time, r.id, r.ip, r.from, (r.rcpt || []).join(' '), r.subject, r.action, String(r.score), r.user,
      Object.keys(r.symbols || {}).join(' ')].join(' ').toLowerCase();
  }

  function renderHistory() {
    const words = $('#history-filter').value.toLowerCase().split(/\s+/).filter(Boolean);
    const key = state.sortKey;
    const rows = state.history
      .filter((r) => words.every((w) => historyText(r).includes(w)))
      .sort((a, b) => {
        const x = key === 'rcpt' ? (a.rcpt || []).join(',') : a[key];
        const y = key === 'rcpt' ? (b.rcpt || []).join(',') : b[key];
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x || '').localeCompare(String(y || ''));
        return c * state.sortDir;
      });
    for (const b of $$('#history-table th button')) {
      const th = b.parentElement;
      if (b.dataset.sort === key) {
        th.setAttribute('aria-sort', state.sortDir > 0 ? 'ascending' : 'descending');
        b.setAttribute('aria-sort', 'true');
      } else {
        th.removeAttribute('aria-sort');
        b.removeAttribute('aria-sort');
      }
    }
    $('#history-count').textContent = rows.length + ' of ' + state.history.length + ' messages shown';
    fill($('#history-table tbody'), rows.map((r) => {
      const syms = Object.values(r.symbols || {}).sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
      const tr = row([r.time, r.id, r.ip, r.from, (r.rcpt || []).join(', '), r.subject, badge(r.action),
        Number(r.score).toFixed(2) + ' / ' + Number(r.required_score).toFixed(2),
        syms.slice(0, 6).map((s) => s.name).join(', ') + (syms.length > 6 ? ', ...' : '')]);
      tr.className = 'clickable';
      tr.tabIndex = 0;
      tr.setAttribute('aria-label', 'Details of ' + (r.subject || r.id || 'message'));
      tr.addEventListener('click', () => showDetails(r));
      tr.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          showDetails(r);
        }
      });
      return tr;
    }), state.history.length ? 'No message matches the filter' : 'No messages scanned yet', 9);
  }

  function showDetails(r) {
    const dl = $('#details-summary');
    dl.replaceChildren();
    const add = (k, v) => dl.append(el('dt', k), el('dd', v === undefined || v === null || v === '' ? '-' : v));
    add('Time', r.time);
    add('Message-ID', r.id);
    add('Client IP', r.ip);
    add('Sender', r.from);
    add('Recipients', (r.rcpt || []).join(', '));
    add('User', r.user);
    add('Subject', r.subject);
    add('Action', r.action);
    add('Score', Number(r.score).toFixed(2) + ' / ' + Number(r.required_score).toFixed(2));
    add('Size', fmtNumber(r.size) + ' bytes');
    add('Scan time', Number(r.scan_time || 0).toFixed(3) + ' s');
    add('Source', r.source);
    const syms = Object.values(r.symbols || {}).sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
    fill($('#details-symbols tbody'), syms.map((s) =>
      row([s.name, Number(s.score).toFixed(2), (s.options || []).join(', ')])), 'No symbols', 3);
    const box = $('#history-details');
    box.hidden = false;
    box.focus();
  }

  $('#details-close').addEventListener('click', () => {
    $('#history-details').hidden = true;
  });
  $('#history-filter').addEventListener('input', renderHistory);
  $('#history-refresh').addEventListener('click', () => refresh());
  for (const b of $$('#history-table th button')) {
    b.addEventListener('click', () => {
      if (state.sortKey === b.dataset.sort) {
        state.sortDir = -state.sortDir;
      } else {
        state.sortKey = b.dataset.sort;
        state.sortDir = b.dataset.sort === 'unix_time' || b.dataset.sort === 'score' ? -1 : 1;
      }
      renderHistory();
    });
  }
  $('#history-reset').addEventListener('click', async () => {
    if (!confirm('Delete every row of the scan history? Statistics are kept.')) {
      return;
    }
    try {
      await api('/historyreset', { method: 'POST' });
      $('#history-details').hidden = true;
      await loadHistory();
      $('#history-count').textContent = 'History reset. ' + $('#history-count').textContent;
    } catch (e) {
      $('#history-count').textContent = 'Could not reset the history: ' + errorText(e);
    }
  });

  // ---- configuration ------------------------------------------------------------------------------------------
  async function loadConfiguration() {
    const [actions, symbols] = await Promise.all([api('/actions'), api('/symbols')]);
    for (const input of $$('#actions-form input[data-action]')) {
      const a = actions.find((x) => x.action === input.dataset.action);
      input.value = a ? String(a.value) : '';
      input.classList.remove('invalid');
      input.removeAttribute('aria-invalid');
      input.readOnly = state.readOnly;
    }
    state.symbols = [];
    for (const g of symbols) {
      for (const r of g.rules) {
        state.symbols.push(r);
      }
    }
    renderSymbols();
    try {
      const dump = await api('/configdump');
      state.dump = [];
      for (const s of dump.sections) {
        for (const e of s.entries) {
          state.dump.push(e);
        }
        if (s.error) {
          state.dump.push({ key: s.name, value: 'does not load: ' + s.error, file: s.files.join(', '), line: 0 });
        }
      }
    } catch (e) {
      state.dump = [{ key: '-', value: errorText(e), file: '', line: 0 }];
    }
    renderDump();
  }

  function renderSymbols() {
    const words = $('#symbols-filter').value.toLowerCase().split(/\s+/).filter(Boolean);
    const edited = new Map($$('#symbols-table input').filter((i) => i.value !== i.dataset.original)
      .map((i) => [i.dataset.symbol, i.value]));
    const rows = state.symbols
      .filter((s) => words.every((w) => (s.symbol + ' ' + s.group + ' ' + s.description).toLowerCase().includes(w)))
      .map((s) => {
        const id = 'w-' + s.symbol;
        const input = el('input', null, {
          id, inputmode: 'decimal', 'data-symbol': s.symbol, 'data-original': String(s.weight),
          'aria-label': 'Weight of ' + s.symbol,
        });
        input.value = edited.has(s.symbol) ? edited.get(s.symbol) : String(s.weight);
        input.readOnly = state.readOnly;
        return row([el('label', s.symbol, { for: id }), s.group, s.description, fmtNumber(s.hits), input]);
      });
    fill($('#symbols-table tbody'), rows, 'No symbol matches', 5);
  }

  function renderDump() {
    const words = $('#dump-filter').value.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = state.dump
      .filter((e) => words.every((w) => (e.key + ' ' + e.value + ' ' + e.file).toLowerCase().includes(w)))
      .slice(0, 2000)
      .map((e) => row([e.key, e.value, e.file + (e.line ? ':' + e.line : '')]));
    fill($('#dump-table tbody'), rows, 'Nothing matches', 3);
  }

  $('#symbols-filter').addEventListener('input', renderSymbols);
  $('#dump-filter').addEventListener('input', renderDump);

  function parseThreshold(input) {
    const text = input.value.trim();
    if (text === '') {
      return null;
    }
    const n = Number(text.replace(',', '.'));
    if (!Number.isFinite(n)) {
      throw new Error($('label[for="' + input.id + '"]').textContent + ': "' + text + '" is not a number.');
    }
    return n;
  }

  $('#actions-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const msg = $('#actions-message');
    msg.className = '';
    const inputs = {};
    for (const i of $$('#actions-form input[data-action]')) {
      inputs[i.dataset.action] = i;
      i.classList.remove('invalid');
      i.removeAttribute('aria-invalid');
    }
    const values = {};
    try {
      for (const [name, input] of Object.entries(inputs)) {
        try {
          values[name] = parseThreshold(input);
        } catch (e) {
          input.classList.add('invalid');
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          throw e;
        }
      }
      const order = ['greylist', 'add header', 'rewrite subject', 'reject'];
      let lower = null;
      for (const name of order) {
        if (values[name] === null) {
          continue;
        }
        if (lower !== null && values[name] < values[lower]) {
          inputs[name].classList.add('invalid');
          inputs[name].setAttribute('aria-invalid', 'true');
          throw new Error('Thresholds out of order: ' + name + ' (' + values[name] + ') must not be below '
            + lower + ' (' + values[lower] + ').');
        }
        lower = name;
      }
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message + ' Nothing was saved.';
      return;
    }
    const body = JSON.stringify([values.reject, values['rewrite subject'], values['add header'], values.greylist]);
    $('#actions-save').disabled = true;
    try {
      await api('/saveactions', { method: 'POST', body });
      msg.className = 'ok';
      msg.textContent = 'Saved to local.d/actions.conf and applied: the next scan uses these thresholds.';
      await loadConfiguration();
    } catch (e) {
      msg.className = 'error';
      msg.textContent = 'Not saved: ' + errorText(e);
    } finally {
      $('#actions-save').disabled = false;
    }
  });

  $('#symbols-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const msg = $('#symbols-message');
    msg.className = 'error';
    const changes = [];
    for (const i of $$('#symbols-table input')) {
      i.classList.remove('invalid');
      if (i.value === i.dataset.original) {
        continue;
      }
      const n = Number(i.value.trim().replace(',', '.'));
      if (i.value.trim() === '' || !Number.isFinite(n)) {
        i.classList.add('invalid');
        i.setAttribute('aria-invalid', 'true');
        i.focus();
        msg.textContent = i.dataset.symbol + ': "' + i.value + '" is not a number. Nothing was saved.';
        return;
      }
      changes.push({ name: i.dataset.symbol, value: n });
    }
    if (!changes.length) {
      msg.textContent = 'No weight was changed.';
      return;
    }
    $('#symbols-save').disabled = true;
    try {
      await api('/savesymbols', { method: 'POST', body: JSON.stringify(changes) });
      msg.className = 'ok';
      msg.textContent = 'Saved ' + changes.length + ' weight(s) to local.d/groups.conf and applied.';
      await loadConfiguration();
    } catch (e) {
      msg.textContent = 'Not saved: ' + errorText(e);
    } finally {
      $('#symbols-save').disabled = false;
    }
  });

  // ---- scan / learn -------------------------------------------------------------------------------------------
  function looksLikeMail(bytes) {
    const head = bytes.subarray(0, Math.min(bytes.length, 8192));
    if (head.includes(0)) {
      return false;
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\s+/, '');
    return /^(From |[\x21-\x39\x3b-\x7e]+:)/.test(text);
  }

  async function messageBytes() {
    const file = $('#scan-file').files[0];
    if (file) {
      if (state.maxBody && file.size > state.maxBody) {
        throw new Error('"' + file.name + '" has ' + fmtNumber(file.size) + ' bytes; the controller accepts at most '
          + fmtNumber(state.maxBody) + ' bytes (max_body_bytes). Nothing was sent.');
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (!looksLikeMail(bytes)) {
        throw new Error('"' + file.name + '" does not look like an email message (it has no header lines such as'
          + ' "From:" at the start). Nothing was sent.');
      }
      return bytes;
    }
    const text = $('#scan-text').value;
    if (!text.trim()) {
      throw new Error('Paste a message or choose a file first.');
    }
    const bytes = new TextEncoder().encode(text.replace(/\r?\n/g, '\r\n'));
    if (state.maxBody && bytes.length > state.maxBody) {
      throw new Error('The message has ' + fmtNumber(bytes.length) + ' bytes; the controller accepts at most '
        + fmtNumber(state.maxBody) + ' bytes. Nothing was sent.');
    }
    if (!looksLikeMail(bytes)) {
      throw new Error('This does not look like an email message: it must start with header lines such as'
        + ' "From: ..." and "Subject: ...". Nothing was sent.');
    }
    return bytes;
  }

  async function submitMessage(kind) {
    const msg = $('#scan-message');
    msg.className = '';
    msg.textContent = kind === 'scan' ? 'Scanning...' : 'Learning...';
    let bytes;
    try {
      bytes = await messageBytes();
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message;
      return;
    }
    const buttons = $$('#scan-form button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      if (kind === 'scan') {
        renderScan(await api('/checkv2', { method: 'POST', body: bytes }));
        msg.textContent = 'Scanned.';
      } else {
        const reply = await api(kind === 'spam' ? '/learnspam' : '/learnham', { method: 'POST', body: bytes });
        msg.className = reply && reply.error ? 'error' : 'ok';
        msg.textContent = reply && reply.noContent ? 'Not learned: ' + reply.noContent
          : reply && reply.error ? reply.error
            : reply && reply.queued ? 'Queued: the store is unavailable, the learn will be retried.'
              : 'Learned as ' + kind + '.';
      }
    } catch (e) {
      msg.className = 'error';
      msg.textContent = errorText(e);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function renderScan(r) {
    $('#scan-result').hidden = false;
    $('#r-action').replaceChildren(badge(r.action));
    $('#r-score').textContent = Number(r.score).toFixed(2) + ' / ' + Number(r.required_score).toFixed(2);
    const bayes = r.bayes || {};
    $('#r-bayes').textContent = bayes.probability !== undefined
      ? (bayes.probability * 100).toFixed(2) + '% spam (' + fmtNumber(bayes.tokens) + ' tokens)'
      : (bayes.silent || 'no probability');
    $('#r-id').textContent = r['message-id'] || '';
    const syms = Object.values(r.symbols || {}).sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
    fill($('#r-symbols tbody'), syms.map((s) =>
      row([s.name, Number(s.score).toFixed(2), (s.options || []).join(', ')])), 'No symbols', 3);
  }

  $('#scan-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitMessage('scan');
  });
  // one source at a time: typing drops a chosen file, choosing a file says it is the one sent
  $('#scan-text').addEventListener('input', () => {
    $('#scan-file').value = '';
  });
  $('#scan-file').addEventListener('change', () => {
    const f = $('#scan-file').files[0];
    $('#scan-message').className = '';
    $('#scan-message').textContent = f ? 'The file "' + f.name + '" will be sent (not the text above).' : '';
  });
  $('#learn-spam').addEventListener('click', () => submitMessage('spam'));
  $('#learn-ham').addEventListener('click', () => submitMessage('ham'));

  // ---- start --------------------------------------------------------------------------------------------------
  async function start() {
    if (state.password === null) {
      // as Rspamd's WebUI: from a secure_ip address (or with no password configured) no login is needed
      if (sessionStorage.getItem(KEY_LOGGED_OUT) !== 'true') {
        try {
          await login('');
          return;
        } catch (e) {
          // a password is needed
        }
      }
      showLogin('');
      return;
    }
    try {
      await login(state.password); // a reload keeps the session; a changed password ends it
    } catch (e) {
      if (e.status === 401) {
        sessionExpired();
      } else if (e.status === 0) {
        enterApp(); // controller down: show the page, the banner retries
      } else {
        showLogin(errorText(e));
      }
    }
  }

  start();
})();
