// The offline queue of the field pages (checkpoint and gate). A write is
// made with a client id before its first send; when the send fails for
// network reasons (no connection, a timeout, 5xx, 429) the write is kept in
// IndexedDB with that same id and its original time, and resent in order
// when the network returns (the `online` event and a timer). The server
// answers a retried id with its first answer, so a write sent twice is
// stored once. A resend answered 4xx is dropped from the queue and the user
// is told (a notice kept until it is read); a 401 keeps the queue and waits
// for a new sign-in. Entries belong to the user who made them and are sent
// only in that user's session.
import { api, errText } from './api.js';
import { t } from './i18n.js';
import { h, button, confirmDialog, fmtTime, toast } from './dom.js';

const DB_NAME = 'cordon-offline';
const STORE = 'outbox';
const RETRY_MS = 15_000;
export const SEND_TIMEOUT_MS = 15_000;

let dbp = null;
let userId = null;
let timer = null;
let flushing = null;
let started = false;
const listeners = new Set(); // fn({count, entries})
const settledListeners = new Set(); // fn({entry, res, err, dropped})
let lastEntries = [];

function openDb() {
	if (dbp) return dbp;
	dbp = new Promise((resolve, reject) => {
		if (!('indexedDB' in window)) { reject(new Error('no IndexedDB')); return; }
		const req = indexedDB.open(DB_NAME, 1);
		req.onupgradeneeded = () => {
			const db = req.result;
			if (!db.objectStoreNames.contains(STORE)) {
				const s = db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
				s.createIndex('user', 'user_id');
			}
		};
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
		req.onblocked = () => reject(new Error('IndexedDB blocked'));
	});
	dbp.catch(() => { dbp = null; });
	return dbp;
}

async function tx(mode, fn) {
	const db = await openDb();
	return new Promise((resolve, reject) => {
		const tr = db.transaction(STORE, mode);
		const store = tr.objectStore(STORE);
		let out;
		Promise.resolve(fn(store)).then((v) => { out = v; }, reject);
		tr.oncomplete = () => resolve(out);
		tr.onerror = () => reject(tr.error);
		tr.onabort = () => reject(tr.error);
	});
}

function reqP(r) {
	return new Promise((resolve, reject) => {
		r.onsuccess = () => resolve(r.result);
		r.onerror = () => reject(r.error);
	});
}

// The current user's entries, oldest first.
export async function entries() {
	if (userId == null) return [];
	try {
		const all = await tx('readonly', (s) => reqP(s.index('user').getAll(IDBKeyRange.only(userId))));
		return (all || []).sort((a, b) => a.seq - b.seq);
	} catch {
		return [];
	}
}

export async function count() {
	return (await entries()).length;
}

async function put(entry) {
	return tx('readwrite', (s) => reqP(s.put(entry)));
}

async function remove(seq) {
	return tx('readwrite', (s) => reqP(s.delete(seq)));
}

async function changed() {
	lastEntries = await entries();
	for (const fn of listeners) {
		try {
			fn({ count: lastEntries.length, entries: lastEntries });
		} catch {
			/* a listener's problem is its own */
		}
	}
	schedule();
}

// Calls fn({count, entries}) now and whenever the queue changes; returns
// a function that stops it.
export function subscribe(fn) {
	listeners.add(fn);
	entries().then((e) => { lastEntries = e; fn({ count: e.length, entries: e }); });
	return () => listeners.delete(fn);
}

// Calls fn({entry, res}) when a queued entry is sent, fn({entry, err,
// dropped: true}) when the server refused it; returns a function that stops it.
export function onSettled(fn) {
	settledListeners.add(fn);
	return () => settledListeners.delete(fn);
}

function settled(x) {
	for (const fn of settledListeners) {
		try {
			fn(x);
		} catch {
			/* ignore */
		}
	}
}

// A failure worth retrying: no connection, a timeout, the server busy or down.
export function transient(err) {
	return !!(err && (err.timeout || err.status === 0 || err.status === 429 || err.status >= 500));
}

function post(path, body, clientId, timeoutMs, opts = {}) {
	let timerId = null;
	const timeout = new Promise((_, reject) => {
		timerId = setTimeout(() => reject(Object.assign(new Error('timeout'), { timeout: true, status: 0 })), timeoutMs);
	});
	return Promise.race([
		api('POST', path, body, { headers: { 'Idempotency-Key': clientId }, ...opts }),
		timeout,
	]).finally(() => clearTimeout(timerId));
}

// Sends a field write, or queues it. body carries client_id (made by the
// caller before the first send). opts: {kind, label, scope, withAt (add
// `at`, the time of this first attempt, to a queued copy), timeoutMs}.
// Resolves {sent: true, res} or {queued: true, entry}; rejects with the
// ApiError of a 4xx (nothing was stored; nothing is queued).
export async function send(path, body, { kind = 'write', label = '', scope = '', withAt = true, timeoutMs = SEND_TIMEOUT_MS } = {}) {
	const at = Math.floor(Date.now() / 1000);
	const queue = async (err) => {
		try {
			return { queued: true, entry: await enqueue(path, body, { kind, label, scope, withAt, at, error: err }) };
		} catch {
			// No IndexedDB (private mode): the write cannot be kept.
			throw err || Object.assign(new Error('offline'), { status: 0 });
		}
	};
	// Older entries first: while some wait, a new write waits behind them.
	if ((await count()) > 0) {
		await flush();
		if ((await count()) > 0) return queue(null);
	}
	if (navigator.onLine === false) return queue(null);
	try {
		const res = await post(path, body, body.client_id, timeoutMs);
		return { sent: true, res };
	} catch (err) {
		if (err && err.handled) throw err;
		if (transient(err)) return queue(err);
		throw err;
	}
}

// Keeps a write in the queue: path, body with its client_id; opts.withAt
// adds `at` (opts.at, default now) to the body, for routes that take the
// time of an entry made offline. Resolves the stored entry.
export async function enqueue(path, body, { kind = 'write', label = '', scope = '', withAt = true, at = Math.floor(Date.now() / 1000), error = null } = {}) {
	if (!body || !body.client_id) throw new Error('a queued write needs its client_id');
	const entry = {
		user_id: userId, kind, label, scope, path, client_id: body.client_id,
		body: withAt && body.at == null ? { ...body, at } : { ...body },
		at, queued_at: Math.floor(Date.now() / 1000), tries: 0, last_error: error ? errText(error) : null,
	};
	entry.seq = await put(entry);
	await changed();
	return entry;
}

// Sends the queued entries in order. Stops at the first that cannot be
// sent for network reasons (it and those after it wait for the next try).
export function flush() {
	if (flushing) return flushing;
	flushing = (async () => {
		const run = async () => {
			for (const entry of await entries()) {
				try {
					const res = await post(entry.path, entry.body, entry.client_id, SEND_TIMEOUT_MS, { noAuthRedirect: true });
					await remove(entry.seq);
					settled({ entry, res });
				} catch (err) {
					if (transient(err)) {
						entry.tries = (entry.tries || 0) + 1;
						entry.last_error = errText(err);
						entry.last_try = Math.floor(Date.now() / 1000);
						await put(entry).catch(() => {});
						break;
					}
					if (err && err.status === 401) {
						entry.last_error = errText(err);
						await put(entry).catch(() => {});
						break;
					}
					await remove(entry.seq);
					addNotice(entry, err);
					settled({ entry, err, dropped: true });
				}
			}
		};
		try {
			if (navigator.locks && navigator.locks.request) await navigator.locks.request('cordon-offline-flush', run);
			else await run();
		} catch {
			/* the next timer tries again */
		} finally {
			flushing = null;
			await changed();
		}
	})();
	return flushing;
}

function schedule() {
	clearTimeout(timer);
	timer = null;
	if (!started || !lastEntries.length) return;
	timer = setTimeout(() => { flush(); }, RETRY_MS);
}

// Starts resending for the signed-in user (app.js calls it after sign-in).
export function startOffline(uid) {
	userId = uid;
	if (!started) {
		started = true;
		window.addEventListener('online', () => flush());
		document.addEventListener('visibilitychange', () => { if (!document.hidden && lastEntries.length) flush(); });
	}
	changed().then(() => { if (lastEntries.length && navigator.onLine !== false) flush(); });
}

export async function discard(seq) {
	await remove(seq);
	await changed();
}

// ---------- notices: queued writes the server refused ----------

function noticeKey() {
	return 'cordon.offline.notices.' + userId;
}

export function notices() {
	try {
		const v = JSON.parse(localStorage.getItem(noticeKey()) || '[]');
		return Array.isArray(v) ? v : [];
	} catch {
		return [];
	}
}

function saveNotices(list) {
	try {
		localStorage.setItem(noticeKey(), JSON.stringify(list.slice(-50)));
	} catch {
		/* kept for this page only */
	}
	for (const fn of noticeListeners) fn(list);
}
const noticeListeners = new Set();

function addNotice(entry, err) {
	const list = notices();
	list.push({
		seq: entry.seq, kind: entry.kind, label: entry.label, at: entry.at,
		error: errText(err), field: err && err.field, status: err && err.status,
	});
	saveNotices(list);
	toast(t('offline.dropped', { label: entry.label || t('offline.kind_' + entry.kind), error: errText(err) }), 'error');
}

// A banner listing refused queued writes until the user dismisses them
// (one element, moved into each field page).
let barEl = null;
export function noticeBar() {
	if (barEl) {
		barEl.redraw(notices());
		return barEl;
	}
	const el = h('div.offline-notices', { role: 'alert', hidden: true });
	const draw = (list) => {
		el.hidden = !list.length;
		el.replaceChildren(
			h('strong', t('offline.dropped_title', { n: list.length })),
			h('ul', list.map((n) => h('li', { dataset: { kind: n.kind } },
				h('span.nowrap', fmtTime(n.at)), ' ', h('strong', n.label || t('offline.kind_' + n.kind)), ' — ', n.error))),
			button(t('offline.dismiss'), { class: 'btn btn-small', 'data-act': 'dismiss-notices', onclick: () => saveNotices([]) }));
	};
	el.redraw = draw;
	noticeListeners.add(draw);
	draw(notices());
	barEl = el;
	return el;
}

// ---------- the header badge ----------

// The count of unsent entries, for the header (one element, moved into
// each new header). always: shown also at 0 (field pages).
let badgeEl = null;
export function badge({ always = false } = {}) {
	if (!badgeEl) {
		const el = h('button', {
			type: 'button', class: 'offline-badge', 'aria-live': 'polite', dataset: { count: '0' },
			onclick: () => openQueue(),
		});
		el.title = t('offline.badge_title');
		const draw = () => {
			const n = lastEntries.length;
			el.dataset.count = String(n);
			el.classList.toggle('has-unsent', n > 0);
			el.classList.toggle('is-offline', navigator.onLine === false);
			el.hidden = !el.always && n === 0;
			el.replaceChildren(
				h('span.offline-dot', { 'aria-hidden': 'true' }),
				h('span.offline-text', n > 0 ? t('offline.unsent', { n }) : navigator.onLine === false ? t('offline.offline') : t('offline.all_sent')));
		};
		el.redraw = draw;
		subscribe(draw);
		window.addEventListener('online', draw);
		window.addEventListener('offline', draw);
		badgeEl = el;
	}
	badgeEl.always = always;
	badgeEl.title = t('offline.badge_title');
	badgeEl.redraw();
	return badgeEl;
}

// The queue in a dialog: each entry with its time and last error; send now
// or discard one.
async function openQueue() {
	const list = h('ul.queue-list');
	const dlg = h('dialog.dialog.queue-dialog', { 'aria-modal': 'true', 'aria-label': t('offline.queue_title') },
		h('h2', t('offline.queue_title')),
		h('p.hint', t('offline.queue_hint')),
		list,
		h('div.dialog-actions',
			button(t('offline.send_now'), {
				class: 'btn btn-primary', 'data-act': 'flush',
				onclick: async () => { await flush(); draw(); },
			}),
			button(t('offline.close'), { class: 'btn', onclick: () => close() })));
	const close = () => { if (dlg.open) dlg.close(); dlg.remove(); };
	dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
	async function draw() {
		const es = await entries();
		list.replaceChildren(...(es.length ? es.map((e) => h('li.queue-item', { dataset: { seq: e.seq } },
			h('div',
				h('strong', e.label || t('offline.kind_' + e.kind)),
				h('div.muted', t('offline.queued_at', { time: fmtTime(e.queued_at) }),
					e.tries ? ' · ' + t('offline.tries', { n: e.tries }) : '',
					e.last_error ? ' · ' + e.last_error : '')),
			button(t('offline.discard'), {
				class: 'btn btn-small btn-danger',
				onclick: async () => {
					if (!(await confirmDialog(t('offline.discard_q', { label: e.label || t('offline.kind_' + e.kind) }), { okLabel: t('offline.discard') }))) return;
					await discard(e.seq);
					draw();
				},
			}))) : [h('li.muted', t('offline.empty'))]));
	}
	document.body.append(dlg);
	if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
	draw();
}

// A client id: a random v4 UUID (crypto.randomUUID needs a secure
// context; a LAN address over plain http has only getRandomValues).
export function clientId() {
	if (crypto.randomUUID) return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
