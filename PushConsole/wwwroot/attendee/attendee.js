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

async function start() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) { show('This browser cannot receive push notifications.', 'unsupported'); return; }
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
}

start();
