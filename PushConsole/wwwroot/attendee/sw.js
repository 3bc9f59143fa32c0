// PushConsole attendee service worker: shows pushes and reports receipt and opens to the client API.
// Registered as /attendee/sw.js?appKey=…&installationId=… with scope /attendee/.
const params = new URL(self.location.href).searchParams;
const appKey = params.get('appKey');
const installationId = params.get('installationId');

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

// Best effort: a lost report must never stop a notification from showing or opening.
async function report(type, deliveryId) {
  if (!appKey || !installationId) return;
  const event = { installationId, type, at: new Date().toISOString() };
  if (deliveryId !== undefined && deliveryId !== null) event.deliveryId = String(deliveryId);
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

// The push JSON is PushConsole's Web Push payload: deliveryId, type, title, body, icon, image, url, tag, data.
self.showPush = async payload => {
  if (payload.type === 'background' && !payload.title) { await report('notification_received', payload.deliveryId); return; }
  await self.registration.showNotification(payload.title || 'Notification', {
    body: payload.body || '',
    icon: payload.icon,
    image: payload.image,
    tag: payload.tag,
    data: { deliveryId: payload.deliveryId, url: payload.url || null, extra: payload.data || {} },
  });
  await report('notification_received', payload.deliveryId);
};

self.openNotification = async notification => {
  notification.close();
  const data = notification.data || {};
  await report('notification_opened', data.deliveryId);
  const target = data.url ? new URL(data.url, self.location.origin).href : null;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const same = windows.find(w => target && w.url === target);
  if (same) return same.focus();
  if (target) return self.clients.openWindow(target);
  if (windows.length > 0) return windows[0].focus();
};

self.addEventListener('push', event => event.waitUntil(self.showPush(parse(event.data))));

self.addEventListener('notificationclick', event => {
  const done = self.openNotification(event.notification);
  try { event.waitUntil(done); } catch (_) { /* an event dispatched by a test is not trusted and cannot be extended */ }
});
