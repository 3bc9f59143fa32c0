// PushConsole attendee page: subscribe this browser with the app's VAPID key and register it through the client API.
const root = document.getElementById('attendee');
const appKey = root.dataset.appKey;
const status = document.getElementById('status');
const button = document.getElementById('enable');
const show = (text, state) => { status.textContent = text; root.dataset.state = state; };

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
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
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
  document.getElementById('installation-id').textContent = id;
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
    show(`Notifications from ${app.name} are on.`, 'subscribed');
  } catch (e) {
    show(`Could not turn notifications on: ${e.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function start() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) { show('This browser cannot receive push notifications.', 'unsupported'); return; }
  const id = installationId();
  document.getElementById('installation-id').textContent = id;
  const url = `/attendee/sw.js?appKey=${encodeURIComponent(appKey)}&installationId=${encodeURIComponent(id)}`;
  await navigator.serviceWorker.register(url, { scope: '/attendee/' });
  await navigator.serviceWorker.ready;
  try {
    const app = await api('GET', '/api/v1/app');
    document.getElementById('app-name').textContent = app.name;
  } catch (e) { show(`Unknown app: ${e.message}`, 'error'); return; }
  root.dataset.worker = 'ready';
  show(Notification.permission === 'granted' ? 'Ready. Notifications are allowed.' : 'Turn notifications on to hear about program changes.', 'ready');
  button.addEventListener('click', enable);
}

start();
