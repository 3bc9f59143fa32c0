#!/usr/bin/env node
// The peers PushConsole's provider clients are measured against, sending the same payloads to the same sandbox
// process over TLS + HTTP/2 (web-push: HTTP/1.1 keep-alive, its only transport):
//   fcm      firebase-admin messaging().sendEach, batches of 500 (its maximum), several batches in flight
//   apns     @parse/node-apn MultiProvider (a pool of HTTP/2 clients), token (.p8) auth
//   webpush  web-push sendNotification, VAPID, aes128gcm, a keep-alive https.Agent
//
// node peers.js --peer fcm|apns|webpush --control http://127.0.0.1:9400 --ca sandbox.pem [--count 30000] [--concurrency 256]
//
// Prints one JSON line: what the sandbox counted in the measured window (after a 2,000-message warm-up and a
// counter reset), the wall time, this process's CPU time in the window and its peak RSS.
// Credentials the sandbox makes (service account JSON, .p8, VAPID private key) stay in memory and are never printed.
'use strict';

const fs = require('node:fs');
const http2 = require('node:http2');
const https = require('node:https');
const path = require('node:path');

function args() {
  const a = { peer: null, control: 'http://127.0.0.1:9400', ca: null, count: 30000, concurrency: 256, warmup: 2000,
    batchesInFlight: 4, clientCount: 2, sockets: 64 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const value = argv[++i];
    if (!(key in a)) throw new Error(`unknown option --${argv[i - 1]}`);
    a[key] = typeof a[key] === 'number' ? Number(value) : value;
  }
  if (!['fcm', 'apns', 'webpush'].includes(a.peer)) throw new Error('--peer fcm|apns|webpush');
  if (!a.ca) throw new Error('--ca FILE: the sandbox certificate (PEM)');
  a.control = a.control.replace(/\/$/, '');
  return a;
}

const options = args();
const ca = fs.readFileSync(options.ca);
const title = 'Keynote moved';
const body = 'The keynote starts at 10:30 in Hall B.';

async function control(method, p, json) {
  const response = await fetch(options.control + p, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (!response.ok) throw new Error(`${method} ${p}: ${response.status}`);
  const text = await response.text();
  return text.length ? JSON.parse(text) : null;
}

// runs send(i) for i in [first, first + count) with at most `concurrency` in flight
async function pool(first, count, concurrency, send) {
  let next = 0, ok = 0, failed = 0;
  const errors = {};
  async function worker() {
    while (next < count) {
      const i = first + next++;
      try {
        if (await send(i)) ok++; else failed++;
      } catch (e) {
        failed++;
        const key = String(e && (e.code || e.statusCode || e.message)).slice(0, 80);
        errors[key] = (errors[key] || 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { ok, failed, errors };
}

// ---- firebase-admin -------------------------------------------------------------------------------------------
async function fcmPeer(describe) {
  const fcmUrl = new URL(describe.endpoints.FcmTls ?? describe.endpoints.fcmTls);
  const serviceAccount = await control('POST', '/sandbox/fcm/service-accounts?projectId=bench-peer');

  // firebase-admin has FCM's host built in (https://fcm.googleapis.com): send its HTTP/2 sessions to the sandbox,
  // trusting the sandbox's certificate
  const connect = http2.connect;
  http2.connect = function (authority, opts, listener) {
    const url = new URL(String(authority));
    if (url.hostname === 'fcm.googleapis.com') return connect.call(this, fcmUrl.origin, { ...opts, ca }, listener);
    return connect.call(this, authority, opts, listener);
  };
  // the one-line shim: firebase-admin sends `:scheme: https:` (a URL protocol, with its colon); nghttp2 and
  // Kestrel refuse that pseudo-header value, Google's front end tolerates it
  const session = http2.connect(fcmUrl.origin, { ca });
  const ClientSession = Object.getPrototypeOf(session);
  session.destroy();
  const request = ClientSession.request;
  ClientSession.request = function (headers, opts) {
    if (headers && headers[':scheme'] === 'https:') headers = { ...headers, ':scheme': 'https' };
    return request.call(this, headers, opts);
  };
  // google-auth-library posts the JWT-bearer grant to Google's token endpoint whatever the JSON's token_uri says:
  // send it to the token_uri (the sandbox's OAuth endpoint). Once per hour, so it costs nothing measurable.
  const gaxiosPath = require.resolve('gaxios', { paths: [path.dirname(require.resolve('google-auth-library'))] });
  const { Gaxios } = require(gaxiosPath);
  const gaxiosRequest = Gaxios.prototype.request;
  Gaxios.prototype.request = function (opts) {
    if (opts && String(opts.url) === 'https://oauth2.googleapis.com/token') opts = { ...opts, url: serviceAccount.token_uri };
    return gaxiosRequest.call(this, opts);
  };

  const { initializeApp, cert } = require('firebase-admin/app');
  const { getMessaging } = require('firebase-admin/messaging');
  const app = initializeApp({ credential: cert(serviceAccount), projectId: serviceAccount.project_id });
  const messaging = getMessaging(app);

  const message = i => ({
    token: `bench-token-${i % 10000}`,
    notification: { title, body },
    data: { sessionId: 's-42', deliveryId: String(i) },
    android: { priority: 'high', notification: {} },
  });
  // sendEach takes at most 500 messages and opens one HTTP/2 session per call (100 streams): keep several calls in flight
  return async (first, count) => {
    const batches = [];
    for (let s = 0; s < count; s += 500) batches.push([first + s, Math.min(500, count - s)]);
    let next = 0, ok = 0, failed = 0;
    const errors = {};
    async function worker() {
      while (next < batches.length) {
        const [start, n] = batches[next++];
        const result = await messaging.sendEach(Array.from({ length: n }, (_, k) => message(start + k)));
        ok += result.successCount;
        failed += result.failureCount;
        for (const r of result.responses) if (!r.success) {
          const key = String(r.error && (r.error.code || r.error.message)).slice(0, 80);
          errors[key] = (errors[key] || 0) + 1;
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(options.batchesInFlight, batches.length) }, worker));
    return { ok, failed, errors };
  };
}

// ---- @parse/node-apn ------------------------------------------------------------------------------------------
async function apnsPeer(describe) {
  const apnsUrl = new URL(describe.endpoints.ApnsProductionTls ?? describe.endpoints.apnsProductionTls);
  const key = await control('POST', '/sandbox/apns/keys', { bundleId: 'com.example.bench' });
  const apn = require('@parse/node-apn');
  // its best settings: HTTP/2 (its only transport), a pool of clientCount sessions, token auth (one JWT, refreshed hourly)
  const provider = new apn.MultiProvider({
    token: { key: key.p8 ?? key.P8, keyId: key.keyId ?? key.KeyId, teamId: key.teamId ?? key.TeamId },
    production: true,
    address: apnsUrl.hostname,
    port: Number(apnsUrl.port),
    ca,
    clientCount: options.clientCount,
    requestTimeout: 30000,
  });
  const bundleId = key.bundleId ?? key.BundleId;
  const tokens = Array.from({ length: 1000 }, (_, i) => {
    const b = Buffer.alloc(32);
    b.writeBigInt64LE(BigInt(i));
    return b.toString('hex');
  });
  const send = async i => {
    const note = new apn.Notification();
    note.topic = bundleId;
    note.pushType = 'alert';
    note.priority = 10;
    note.alert = { title, body };
    note.payload = { sessionId: 's-42', deliveryId: i };
    const result = await provider.send(note, tokens[i % tokens.length]);
    if (result.failed.length) {
      const f = result.failed[0];
      throw Object.assign(new Error(f.response ? f.response.reason : String(f.error)), { code: f.status || 'error' });
    }
    return true;
  };
  return (first, count) => pool(first, count, options.concurrency, send);
}

// ---- web-push -------------------------------------------------------------------------------------------------
async function webPushPeer() {
  const webpush = require('web-push');
  const vapid = webpush.generateVAPIDKeys();
  const subscriptions = [];
  for (let i = 0; i < 100; i++)
    subscriptions.push(await control('POST', '/sandbox/webpush/subscriptions', { applicationServerKey: vapid.publicKey, tls: true }));
  // web-push speaks HTTP/1.1 (node's https): its best setting is a keep-alive agent with a socket pool
  const agent = new https.Agent({ keepAlive: true, maxSockets: options.sockets, ca });
  const sendOptions = {
    vapidDetails: { subject: 'mailto:bench@example.com', publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    TTL: 2419200,
    urgency: 'high',
    contentEncoding: 'aes128gcm',
    agent,
  };
  const send = async i => {
    const payload = JSON.stringify({ deliveryId: i, type: 'alert', title, body, data: { sessionId: 's-42' } });
    const result = await webpush.sendNotification(subscriptions[i % subscriptions.length], payload, sendOptions);
    return result.statusCode === 201;
  };
  return (first, count) => pool(first, count, options.concurrency, send);
}

async function main() {
  const describe = await control('GET', '/sandbox/');
  const run = options.peer === 'fcm' ? await fcmPeer(describe) : options.peer === 'apns' ? await apnsPeer(describe) : await webPushPeer();
  const warm = await run(0, Math.min(options.warmup, options.count));
  if (warm.ok === 0) throw new Error(`warm-up failed: ${JSON.stringify(warm.errors)}`);
  await control('POST', '/sandbox/reset');
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = await run(1_000_000, options.count);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const stats = (await control('GET', '/sandbox/stats'))[options.peer];
  process.stdout.write(JSON.stringify({
    side: options.peer === 'fcm' ? 'firebase-admin' : options.peer === 'apns' ? '@parse/node-apn' : 'web-push',
    provider: options.peer, count: options.count, clientOk: result.ok, clientFailed: result.failed, errors: result.errors,
    elapsedSeconds: elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024,
    sandbox: stats,
  }) + '\n');
  process.exit(0);
}

main().catch(e => { console.error(`peers: ${e && e.stack || e}`); process.exit(1); });
