// PushConsole attendee page: subscribe this browser with the app's VAPID key and register it through the client API.
const root = document.getElementById('attendee');
const appKey = root.dataset.appKey;
const status = document.getElementById('status');
const button = document.getElementById('enable');
const appName = root.dataset.appName || 'the event';
const show = (text, state) => { status.textContent = text; root.dataset.state = state; };

// what a person can act on; the technical reason goes to the console for whoever debugs it
function friendly(error) {
  console.warn('attendee page:', error);
  const name = error && error.name;
  if (name === 'NotAllowedError') return 'Notifications are blocked for this site. Allow them in the browser\'s site settings, then try again.';
  if (name === 'AbortError' || name === 'InvalidStateError') return 'The browser could not set up notifications. Reload the page and try again.';
  if (error instanceof TypeError) return 'The connection failed. Check that you are online, then try again.';
  return 'Notifications could not be turned on just now. Please try again in a moment.';
}

// the attendee's id comes with their personal link (?user=attendee-42) and is remembered for later visits
function userId() {
  const key = `pushconsole.user.${appKey}`;
  const fromLink = new URLSearchParams(location.search).get('user');
  if (fromLink) localStorage.setItem(key, fromLink);
  return fromLink || localStorage.getItem(key);
}

function installationId() {
  const key = `pushconsole.installation.${appKey}`;
  let id = localStorage.getItem(key);
  if (!id) { id = `web-${crypto.randomUUID()}`; localStorage.setItem(key, id); }
  return id;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: { 'X-App-Key': appKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw Object.assign(new Error(`${method} ${path}: ${response.status} ${await response.text()}`), { status: response.status });
  return response.status === 204 ? null : response.json();
}

async function register(registration, app, subscription, enabled) {
  const id = installationId();
  await api('PUT', `/api/v1/installations/${encodeURIComponent(id)}`, {
    platform: 'web',
    webPush: subscription ? { endpoint: subscription.endpoint, keys: subscription.toJSON().keys } : undefined,
    notificationsEnabled: enabled,
    language: (navigator.language || 'en').split('-')[0],
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    appVersion: 'web', osVersion: navigator.userAgent.slice(0, 50),
    userId: userId() || undefined,
  });
  root.dataset.installationId = id;
}

async function enable() {
  button.disabled = true;
  try {
    const app = await api('GET', '/api/v1/app');
    const registration = await navigator.serviceWorker.ready;
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') { show('Notifications are blocked in this browser.', 'denied'); return; }
    const subscription = await registration.pushManager.getSubscription()
      ?? await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: app.vapidPublicKey });
    await register(registration, app, subscription, true);
    show(`Notifications from ${appName} are on.`, 'subscribed');
  } catch (e) {
    show(friendly(e), 'error');
  } finally {
    button.disabled = false;
  }
}

const inbox = document.getElementById('inbox');
const items = document.getElementById('inbox-items');
const inboxPath = (user) => `/api/v1/users/${encodeURIComponent(user)}/inbox`;
const el = (tag, props, ...children) => { const e = Object.assign(document.createElement(tag), props); e.append(...children); return e; };
// only web links become anchors: an app:// link means nothing in a browser
const webLink = (url) => typeof url === 'string' && /^https?:\/\//i.test(url);

function showItem(user, item) {
  const details = el('div', { className: 'details', hidden: true }, el('p', { className: 'body' }, item.body || ''));
  const links = [item.url && webLink(item.url) ? el('a', { href: item.url, rel: 'noopener' }, 'Open link') : null,
    ...(item.actions || []).filter((a) => webLink(a.url)).map((a) => el('a', { href: a.url, rel: 'noopener', className: 'action' }, a.title || a.id))].filter(Boolean);
  if (links.length) details.append(el('p', { className: 'links' }, ...links));
  const state = el('span', { className: 'state' }, item.read ? 'Read' : 'New');
  const open = el('button', { type: 'button', className: 'item-open' }, item.title || item.body || 'Message');
  open.setAttribute('aria-expanded', 'false');
  const li = el('li', {}, open, el('p', {}, el('time', { dateTime: item.sentAt }, new Date(item.sentAt).toLocaleString()), ' · ', state), details);
  li.dataset.deliveryId = item.deliveryId;
  li.dataset.read = String(item.read);
  open.addEventListener('click', async () => {
    details.hidden = !details.hidden;
    open.setAttribute('aria-expanded', String(!details.hidden));
    if (details.hidden || li.dataset.read === 'true') return;
    try {
      await api('POST', `${inboxPath(user)}/${encodeURIComponent(item.deliveryId)}/read`);
      li.dataset.read = 'true';
      state.textContent = 'Read';
    } catch (e) { console.warn('attendee page: marking read failed', e); }
  });
  return li;
}

async function loadInbox() {
  const user = userId();
  if (!user) return;
  inbox.hidden = false;
  try {
    const list = await api('GET', `${inboxPath(user)}?installationId=${encodeURIComponent(installationId())}`);
    items.replaceChildren(...list.items.map((item) => showItem(user, item)));
    document.getElementById('inbox-empty').hidden = list.items.length > 0;
    inbox.dataset.loaded = String(Date.now());
  } catch (e) { console.warn('attendee page: inbox failed', e); }
}

async function start() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) { show('This browser cannot receive push notifications.', 'unsupported'); await loadInbox(); return; }
  const id = installationId();
  root.dataset.installationId = id;
  const url = `/attendee/sw.js?appKey=${encodeURIComponent(appKey)}&installationId=${encodeURIComponent(id)}`;
  await navigator.serviceWorker.register(url, { scope: '/attendee/' });
  await navigator.serviceWorker.ready;
  try {
    await api('GET', '/api/v1/app');
  } catch (e) { show(friendly(e), 'error'); return; }
  root.dataset.worker = 'ready';
  show(Notification.permission === 'granted' ? 'Ready. Notifications are allowed.' : 'Turn notifications on to hear about program changes.', 'ready');
  button.addEventListener('click', enable);
  document.getElementById('inbox-refresh').addEventListener('click', loadInbox);
  await loadInbox();
}

start();
