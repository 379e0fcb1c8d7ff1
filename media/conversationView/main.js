// The conversation view's page script. Plain JavaScript, no framework, no network: every message
// arrives by postMessage from the extension as display data and is set as text (textContent,
// setAttribute), never parsed as HTML. Links are shown, not followed; opening one goes through the
// extension (https only) and VS Code's external-link confirmation.
/* global acquireVsCodeApi, document, window, performance, requestAnimationFrame, URL */
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();
  /** Meta's CDN hosts; the extension checks too and the CSP enforces it. */
  const IMAGE_HOST = /^(?:[a-z0-9-]+\.)+(?:fbcdn\.net|cdninstagram\.com)$|^lookaside\.(?:fbsbx|instagram)\.com$/i;

  let strings = {};
  let threadKey = '';
  let hasMore = false;
  let loadingOlder = false;
  let renderedOnce = false;
  /** id → { el, sig }: unchanged messages keep their element across updates. */
  let elements = new Map();

  const app = document.getElementById('app');
  const toolbar = el('div', 'toolbar');
  const status = el('span', 'status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const retryButton = el('button', 'retry');
  retryButton.type = 'button';
  retryButton.hidden = true;
  const refreshButton = el('button', 'refresh');
  refreshButton.type = 'button';
  toolbar.append(status, retryButton, refreshButton);

  const top = el('div', 'top');
  const olderButton = el('button', 'older');
  olderButton.type = 'button';
  const beginning = el('div', 'beginning');
  top.append(olderButton, beginning);

  const log = el('div', 'log');
  log.id = 'transcript';
  log.setAttribute('role', 'log');
  log.setAttribute('aria-relevant', 'additions');
  const hint = el('p', 'visually-hidden');
  hint.id = 'keyboard-hint';
  log.setAttribute('aria-describedby', 'keyboard-hint');
  const empty = el('div', 'empty');

  // The composer: reply as the Page (Send API); on the simulator, also write as the person.
  const composer = el('div', 'composer');
  const input = el('textarea', 'compose-text');
  input.id = 'compose-text';
  input.rows = 2;
  input.maxLength = 2000;
  const composeActions = el('div', 'compose-actions');
  const asPerson = el('button', 'as-person secondary');
  asPerson.type = 'button';
  asPerson.hidden = true;
  const asPage = el('button', 'as-page');
  asPage.type = 'button';
  composeActions.append(asPerson, asPage);
  composer.append(input, composeActions);
  app.append(toolbar, top, log, empty, composer, hint);
  let sending = false;

  function send(as) {
    const text = input.value.trim();
    if (!text || sending) {
      return;
    }
    sending = true;
    asPage.disabled = true;
    asPerson.disabled = true;
    input.setAttribute('aria-busy', 'true');
    post({ type: 'send', as: as, text: text });
  }
  asPage.addEventListener('click', () => send('page'));
  asPerson.addEventListener('click', () => send('person'));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send('page');
    }
  });

  refreshButton.addEventListener('click', () => post({ type: 'refresh' }));
  retryButton.addEventListener('click', () => post({ type: 'retry' }));
  olderButton.addEventListener('click', () => requestOlder());

  document.addEventListener('securitypolicyviolation', (e) => {
    post({ type: 'cspViolation', directive: String(e.violatedDirective), blocked: String(e.blockedURI) });
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object') {
      return;
    }
    switch (message.type) {
      case 'init':
        init(message);
        break;
      case 'transcript':
        transcript(message);
        break;
      case 'status':
        showStatus(message);
        break;
      case 'sent':
        sending = false;
        asPage.disabled = false;
        asPerson.disabled = false;
        input.removeAttribute('aria-busy');
        if (message.ok) {
          input.value = '';
        }
        input.focus();
        break;
    }
  });

  let scrollQueued = false;
  window.addEventListener(
    'scroll',
    () => {
      if (scrollQueued) {
        return;
      }
      scrollQueued = true;
      requestAnimationFrame(() => {
        scrollQueued = false;
        if (renderedOnce && window.scrollY < 120) {
          requestOlder();
        }
        const anchor = findAnchor();
        if (anchor) {
          remember({ anchorId: anchor.id, atBottom: isAtBottom() });
        }
      });
    },
    { passive: true },
  );

  log.addEventListener('keydown', onKeyDown);
  log.addEventListener('focusin', (e) => {
    const article = e.target instanceof window.HTMLElement ? e.target.closest('article') : null;
    if (article) {
      setRoving(article);
    }
  });

  post({ type: 'ready' });

  function init(message) {
    strings = message.strings || {};
    threadKey = String(message.threadKey || '');
    remember(message.state);
    document.documentElement.lang = String(message.locale || 'en');
    refreshButton.textContent = strings.refresh;
    refreshButton.title = strings.refresh;
    retryButton.textContent = strings.retry;
    olderButton.textContent = strings.loadOlder;
    beginning.textContent = strings.beginning;
    hint.textContent = strings.keyboardHint;
    log.setAttribute('aria-label', strings.logLabel);
    input.setAttribute('aria-label', strings.composerLabel);
    input.placeholder = strings.composerLabel;
    asPage.textContent = strings.replyAsPage;
    asPerson.textContent = strings.writeAsPerson;
    asPerson.hidden = !message.simulator;
    // Merged into every menu opened inside: which panel a context-menu command is about.
    app.setAttribute('data-vscode-context', JSON.stringify({ threadKey: threadKey, preventDefaultContextMenuItems: false }));
    if (!renderedOnce) {
      status.textContent = strings.loading;
    }
  }

  function remember(patch) {
    vscode.setState(Object.assign({}, vscode.getState() || {}, patch));
  }

  function post(message) {
    vscode.postMessage(message);
  }

  function requestOlder() {
    if (!hasMore || loadingOlder) {
      return;
    }
    loadingOlder = true;
    post({ type: 'loadOlder' });
  }

  function showStatus(message) {
    loadingOlder = Boolean(message.loadingOlder);
    const parts = [];
    if (message.loadingOlder) {
      parts.push(strings.loadingOlder);
    }
    if (message.refreshing) {
      parts.push(renderedOnce ? strings.refreshing : strings.loading);
    }
    if (message.error) {
      parts.push(String(message.error));
    } else if (message.updated && parts.length === 0) {
      parts.push(String(message.updated));
    }
    status.textContent = parts.join(' · ');
    status.classList.toggle('error', Boolean(message.error));
    retryButton.hidden = !message.error;
    refreshButton.disabled = Boolean(message.refreshing);
    olderButton.disabled = loadingOlder;
    log.setAttribute('aria-busy', message.loadingOlder || message.refreshing ? 'true' : 'false');
  }

  /** Messages rendered at once; a larger first render shows the newest this many, then adds the rest above, chunk by chunk. */
  const CHUNK = 120;
  let generation = 0;

  function transcript(message) {
    const started = performance.now();
    const runId = ++generation;
    const items = Array.isArray(message.items) ? message.items : [];
    const reason = String(message.reason);
    hasMore = Boolean(message.hasMore);
    loadingOlder = false;
    const wasAtBottom = !renderedOnce || isAtBottom();
    const anchor = renderedOnce ? findAnchor() : null;
    const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    const focusedId =
      document.activeElement && document.activeElement.closest ? idOf(document.activeElement.closest('article')) : undefined;

    const previous = elements;
    const next = new Map();
    const entries = [];
    let count = 0;
    let fresh = 0;
    for (const item of items) {
      const sig = JSON.stringify(item);
      const old = previous.get(item.id);
      const reuse = old && old.sig === sig ? old.el : null;
      if (!reuse) {
        fresh++;
      }
      entries.push({ item: item, sig: sig, el: reuse });
      if (item.kind === 'message') {
        count++;
      }
    }
    elements = next;
    const materialise = (entry) => {
      if (!entry.el) {
        entry.el = build(entry.item);
      }
      next.set(entry.item.id, { el: entry.el, sig: entry.sig });
      return entry.el;
    };
    // A big first screen: the newest messages now, older ones in chunks above them.
    const split = fresh > 2 * CHUNK && (reason === 'initial' || reason === 'test') ? Math.max(0, entries.length - CHUNK) : 0;
    log.replaceChildren.apply(log, entries.slice(split).map(materialise));
    top.classList.toggle('more', hasMore);
    olderButton.hidden = !hasMore;
    beginning.hidden = hasMore || count === 0;
    empty.textContent = count === 0 ? strings.empty : '';

    const articles = log.querySelectorAll('article');
    if (!log.querySelector('article[tabindex="0"]') && articles.length > 0) {
      articles[articles.length - 1].tabIndex = 0;
    }
    const state = vscode.getState() || {};
    const restoreTo = !renderedOnce && state.anchorId && !state.atBottom ? document.getElementById(state.anchorId) : null;
    if (restoreTo) {
      restoreTo.scrollIntoView({ block: 'start' });
    } else if (reason === 'initial' || reason === 'test' || (reason === 'refresh' && wasAtBottom)) {
      scrollToBottom();
    } else if (anchor && anchor.isConnected) {
      // Older messages went in above: keep what the reader was looking at where it was.
      window.scrollBy(0, anchor.getBoundingClientRect().top - anchorTop);
    }
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
    renderedOnce = true;
    // Reading the layout makes the time include style and layout, not only DOM building.
    void document.documentElement.scrollHeight;
    const firstMs = performance.now() - started;
    const done = () =>
      post({
        type: 'rendered',
        seq: Number(message.seq) || 0,
        ms: firstMs,
        totalMs: performance.now() - started,
        count: count,
        reason: reason,
      });
    if (split === 0) {
      done();
      return;
    }
    let end = split;
    const step = () => {
      if (runId !== generation) {
        return;
      }
      const start = Math.max(0, end - CHUNK);
      const fragment = document.createDocumentFragment();
      fragment.append.apply(fragment, entries.slice(start, end).map(materialise));
      const before = document.documentElement.scrollHeight;
      log.prepend(fragment);
      window.scrollBy(0, document.documentElement.scrollHeight - before);
      end = start;
      if (end > 0) {
        window.setTimeout(step, 0);
      } else {
        done();
      }
    };
    window.setTimeout(step, 0);
  }

  function isAtBottom() {
    const root = document.documentElement;
    return root.scrollHeight - window.scrollY - window.innerHeight < 48;
  }

  function scrollToBottom() {
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  /** The first message whose top is in view. */
  function findAnchor() {
    const articles = log.querySelectorAll('article');
    const topEdge = toolbar.getBoundingClientRect().bottom;
    let lo = 0;
    let hi = articles.length - 1;
    let found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const rect = articles[mid].getBoundingClientRect();
      if (rect.bottom > topEdge) {
        found = articles[mid];
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return found;
  }

  function idOf(article) {
    return article ? article.id : undefined;
  }

  function domId(messageId) {
    return 'm-' + String(messageId).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  function build(item) {
    if (item.kind === 'day') {
      const day = el('h2', 'day');
      const label = el('span', '', item.label);
      day.append(label);
      return day;
    }
    return buildMessage(item);
  }

  function buildMessage(m) {
    const article = el(
      'article',
      'msg ' + (m.side === 'page' ? 'page' : 'person') + (m.groupStart ? ' group-start' : '') + (m.unavailable ? ' unavailable' : ''),
    );
    article.id = domId(m.id);
    article.tabIndex = -1;
    article.setAttribute('aria-label', String(m.accessibleName));
    article.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'message', messageId: String(m.id) }));

    const meta = el('div', 'meta');
    if (m.groupStart) {
      meta.append(el('span', 'sender', m.sender));
    }
    const time = el('time', 'time', m.timeLabel);
    time.setAttribute('datetime', new Date(m.time).toISOString());
    time.title = m.exactTime;
    meta.append(time);
    article.append(meta);

    const bubble = el('div', 'bubble');
    if (m.segments && m.segments.length > 0) {
      const text = el('div', 'text');
      for (const segment of m.segments) {
        if (typeof segment.text === 'string') {
          text.append(document.createTextNode(segment.text));
        } else {
          text.append(linkElement(segment.link, segment.openable));
        }
      }
      bubble.append(text);
    }
    if (m.truncated) {
      bubble.append(el('div', 'note', strings.truncated));
    }
    for (const a of m.attachments || []) {
      bubble.append(attachment(a));
    }
    if (m.sticker) {
      const sticker =
        m.sticker.image && allowedImage(m.sticker.image)
          ? image(m.sticker.image, strings.sticker, 'sticker', () => sticker.replaceWith(placeholder(strings.sticker, '', '')))
          : placeholder(strings.sticker, '', '');
      bubble.append(sticker);
    }
    for (const share of m.shares || []) {
      const box = el('div', 'share');
      box.append(el('div', 'kind', strings.shared));
      if (share.name) {
        box.append(el('div', 'title', share.name));
      }
      if (share.description) {
        box.append(el('div', 'description', share.description));
      }
      if (share.linkText) {
        box.append(linkElement(share.link || share.linkText, Boolean(share.link)));
      }
      bubble.append(box);
    }
    if (m.unavailable) {
      bubble.append(el('div', 'note', m.unavailable));
    }
    article.append(bubble);

    if (m.reactions && m.reactions.length > 0) {
      const reactions = el('div', 'reactions');
      reactions.setAttribute('aria-label', strings.reactions);
      for (const r of m.reactions) {
        reactions.append(el('span', 'reaction', r.count > 1 ? r.emoji + ' ' + r.count : r.emoji));
      }
      article.append(reactions);
    }
    if (m.tags && m.tags.length > 0) {
      const tags = el('div', 'tags');
      tags.setAttribute('aria-label', strings.tags);
      for (const t of m.tags) {
        tags.append(el('span', 'tag', t));
      }
      article.append(tags);
    }
    return article;
  }

  function attachment(a) {
    const kindLabel = { image: strings.photo, video: strings.video, audio: strings.audio }[a.kind] || strings.file;
    if (a.kind === 'image' && a.thumbnail && allowedImage(a.thumbnail)) {
      const figure = el('figure', 'image');
      figure.append(image(a.thumbnail, a.name || kindLabel, 'thumb', () => figure.replaceWith(placeholder(kindLabel, a.name, a.size))));
      const caption = el('figcaption', '', [a.name, a.size].filter(Boolean).join(' · '));
      figure.append(caption);
      return figure;
    }
    if (a.kind === 'image') {
      return placeholder(kindLabel, a.name, a.size);
    }
    const file = el('div', 'file ' + a.kind);
    file.append(el('span', 'kind', kindLabel));
    const name = a.link ? linkElement(a.link, true, a.name || a.link) : el('span', 'name', a.name);
    name.classList.add('name');
    file.append(name);
    if (a.size) {
      file.append(el('span', 'size', a.size));
    }
    return file;
  }

  function placeholder(kindLabel, name, size) {
    const box = el('div', 'placeholder');
    box.append(el('span', 'kind', kindLabel));
    if (name) {
      box.append(el('span', 'name', name));
    }
    if (size) {
      box.append(el('span', 'size', size));
    }
    return box;
  }

  /** An image from an allowed host; when it cannot load, `fallback` puts a placeholder in its place. */
  function image(src, alt, className, fallback) {
    const img = el('img', className);
    img.alt = alt;
    img.referrerPolicy = 'no-referrer';
    img.loading = 'lazy';
    img.decoding = 'async';
    img.addEventListener('error', fallback, { once: true });
    img.src = src;
    return img;
  }

  function allowedImage(src) {
    try {
      const url = new URL(src);
      return url.protocol === 'https:' && !url.port && !url.username && IMAGE_HOST.test(url.hostname);
    } catch {
      return false;
    }
  }

  /** A link shown as text. Only an https link can be opened, and only by choice: Enter, or Open Link in the context menu. */
  function linkElement(href, openable, label) {
    const span = el('span', openable ? 'link' : 'link-text', label || href);
    if (openable) {
      span.tabIndex = 0;
      span.setAttribute('role', 'link');
      span.title = href + '\n' + strings.linkHint;
      span.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'link', href: href }));
      span.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          e.stopPropagation();
          post({ type: 'openLink', href: href });
        }
      });
    }
    return span;
  }

  function setRoving(article) {
    const current = log.querySelector('article[tabindex="0"]');
    if (current && current !== article) {
      current.tabIndex = -1;
    }
    article.tabIndex = 0;
  }

  function onKeyDown(e) {
    const target = e.target;
    if (!(target instanceof window.HTMLElement) || target.tagName !== 'ARTICLE') {
      return;
    }
    const articles = Array.prototype.slice.call(log.querySelectorAll('article'));
    const index = articles.indexOf(target);
    let next;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(articles.length - 1, index + 1);
        break;
      case 'ArrowUp':
        if (index === 0) {
          requestOlder();
        }
        next = Math.max(0, index - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = articles.length - 1;
        break;
      case 'PageDown':
        next = Math.min(articles.length - 1, index + 10);
        break;
      case 'PageUp':
        next = Math.max(0, index - 10);
        break;
      default:
        return;
    }
    e.preventDefault();
    const article = articles[next];
    if (article) {
      setRoving(article);
      article.focus();
      article.scrollIntoView({ block: 'nearest' });
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null && text !== '') {
      node.textContent = String(text);
    }
    return node;
  }
})();
