// PushConsole attendee service worker: shows pushes and reports receipt and opens to the client API.
// Registered as /attendee/sw.js?appKey=…&installationId=… with scope /attendee/.
const params = new URL(self.location.href).searchParams;
const appKey = params.get('appKey');
const installationId = params.get('installationId');

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

// Best effort: a lost report must never stop a notification from showing or opening.
async function report(type, deliveryId, actionId) {
  if (!appKey || !installationId) return;
  const event = { installationId, type, at: new Date().toISOString() };
  if (deliveryId !== undefined && deliveryId !== null) event.deliveryId = String(deliveryId);
  if (actionId) event.actionId = actionId;
  try {
    await fetch('/api/v1/events', {
      method: 'POST', keepalive: true,
      headers: { 'content-type': 'application/json', 'X-App-Key': appKey },
      body: JSON.stringify(event),
    });
  } catch (_) { /* offline: nothing to do */ }
}

function parse(data) {
  if (!data) return {};
  try { return data.json(); } catch (_) { return { body: data.text() }; }
}

// The push JSON is PushConsole's Web Push payload: deliveryId, type, title, body, icon, image, url, tag, actions, data.
self.showPush = async payload => {
  if (payload.type === 'background' && !payload.title) { await report('notification_received', payload.deliveryId); return; }
  await self.registration.showNotification(payload.title || 'Notification', {
    body: payload.body || '',
    icon: payload.icon,
    image: payload.image,
    tag: payload.tag,
    // buttons: showNotification takes {action, title}; each button's own URL waits in data for the click
    actions: (payload.actions || []).map(a => ({ action: a.action, title: a.title })),
    data: {
      deliveryId: payload.deliveryId, url: payload.url || (payload.data && payload.data.url) || null, extra: payload.data || {},
      actionUrls: Object.fromEntries((payload.actions || []).filter(a => a.url).map(a => [a.action, a.url])),
    },
  });
  await report('notification_received', payload.deliveryId);
};

// A tap on the body reports the open and a click without actionId; a tap on a button a click with its id (a click is also an open).
self.openNotification = async (notification, action) => {
  notification.close();
  const data = notification.data || {};
  if (action) await report('notification_clicked', data.deliveryId, action);
  else {
    await report('notification_opened', data.deliveryId);
    await report('notification_clicked', data.deliveryId);
  }
  const url = (action && data.actionUrls && data.actionUrls[action]) || data.url;
  // an app link (app://…) means nothing to a browser: open the page instead
  const target = url && /^(https?:|\/)/i.test(url) ? new URL(url, self.location.origin).href : null;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const same = windows.find(w => target && w.url === target);
  if (same) return same.focus();
  if (target) return self.clients.openWindow(target);
  if (windows.length > 0) return windows[0].focus();
};

self.addEventListener('push', event => event.waitUntil(self.showPush(parse(event.data))));

self.addEventListener('notificationclick', event => {
  const done = self.openNotification(event.notification, event.action);
  try { event.waitUntil(done); } catch (_) { /* an event dispatched by a test is not trusted and cannot be extended */ }
});
