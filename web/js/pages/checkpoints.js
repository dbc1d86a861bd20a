// 卡点: road and rail checkpoints. #/checkpoints lists them (and sets one up
// for checkpoints.admin); #/checkpoints/counts is the bulletin's checkpoint
// figures (per checkpoint per day, road and rail, xlsx export);
// #/checkpoints/ID is the entry page of one checkpoint for a tablet (with,
// for checkpoints.admin, a form to rename, recode, move or relocate it):
// - 登记 (screen): a road checkpoint's vehicle form or a rail one's train
//   form, keyboard-first: the plate is focused with recent plates suggested,
//   Enter moves on, Ctrl+Enter sends, the answer shows each person's
//   disposition and the form clears for the next car (keeping direction);
// - 值班 (duty): who is on duty, sign in and out, missing sign-outs, gaps in
//   cover, the roster (四班三运转 laid out by checkpoints.admin);
// - 记录 (records): the vehicles or trains screened, with export.
// Every write carries a client id made before its first send and goes
// through the offline queue (js/offline.js) when the network fails.
import { api, showError, clearErrors, errText } from '../api.js';
import { t, getLang } from '../i18n.js';
import {
	h, loading, empty, errorBox, field, input, select, form, values, qs, pagedTable, exportLink,
	disclosure, toast, unitPicker, fmtTime, tabLinks, button, stat,
	districtDay, districtClock, districtSeconds,
} from '../dom.js';
import { send, clientId, noticeBar, onSettled, transient } from '../offline.js';
import { drawChart } from '../chart.js';
import { today } from './areas.js';
import { heldNote } from './discrepancies.js';

export const AGENCIES = ['law_enforcement', 'police', 'health', 'other'];
const OTHER_DOC_TYPES = ['passport', 'hk_macao_permit', 'taiwan_permit', 'other'];
const PROVINCE_CHARS = ['宁', '甘', '陕', '蒙', '京', '新', '青', '川', '豫', '鄂'];
const FEVER_AT = 37.3; // the default of the setting; the server decides
const LAST_KEY = 'cordon.checkpoint.last';

// Children without the null and false of optional parts (replaceChildren
// would write them as text).
const kids = (...a) => a.flat().filter((x) => x != null && x !== false);

// Listeners and timers of the page on screen; dropped when it goes.
let disposers = [];
function cleanup() {
	for (const d of disposers) {
		try {
			d();
		} catch {
			/* gone already */
		}
	}
	disposers = [];
}

export async function render(ctx) {
	cleanup();
	const p0 = ctx.params[0];
	if (!p0) return renderList(ctx);
	if (p0 === 'counts') return renderCounts(ctx);
	return renderCheckpoint(ctx, p0, ctx.params[1] || '');
}

// ---------- small shared pieces ----------

function num(n) {
	return n == null ? '' : Number(n).toLocaleString('zh-CN');
}

export function kindTag(kind) {
	return kind ? h('span.tag.tag-info', { dataset: { kind } }, t('cp.kind_' + kind)) : '';
}

function agencyLabel(a) {
	return a ? t('agency.' + a) : '';
}

function dispositionTag(d) {
	const tone = { pass: 'ok', referral: 'danger', registered: 'warn' }[d] || 'plain';
	return h('span.disp.disp-' + (d || 'none') + '.tag.tag-' + tone, { dataset: { disposition: d || '' } }, d ? t('disposition.' + d) : '');
}

// °C as typed: "36.5", "36,5" or "365" → 36.5; '' → null; NaN when not a number.
export function parseTemp(s) {
	s = String(s == null ? '' : s).trim().replace(/[,，。]/g, '.');
	if (!s) return null;
	if (/^\d{3}$/.test(s)) s = `${s.slice(0, 2)}.${s[2]}`;
	if (!/^\d{2}(\.\d*)?$/.test(s)) return NaN;
	return Math.round(Number(s) * 10) / 10;
}

function tempText(v) {
	return v == null || v === '' ? '' : `${Number(v).toFixed(1)} °C`;
}

// A plate as the server reads it: upper case, no spaces or dots.
export function normPlate(s) {
	return String(s || '').toUpperCase().replace(/[\s·•.\-]/g, '');
}

// What a typed document-or-phone is: {phone} for a mobile number,
// {doc_type: 'resident_id', doc_number} for an ID number, else
// {doc_type: other, doc_number}.
export function readIdent(s, otherType = 'passport') {
	const v = String(s || '').trim().replace(/[\s-]/g, '');
	if (!v) return {};
	if (/^(\+?86)?1[3-9]\d{9}$/.test(v)) return { phone: v };
	if (/^\d{17}[\dXx]$|^\d{15}$/.test(v)) return { doc_type: 'resident_id', doc_number: v.toUpperCase() };
	return { doc_type: otherType, doc_number: v.toUpperCase() };
}

function isOtherDoc(s) {
	const r = readIdent(s);
	return !!(r.doc_number && r.doc_type !== 'resident_id');
}

function lastCheckpoint() {
	try {
		return JSON.parse(localStorage.getItem(LAST_KEY) || 'null');
	} catch {
		return null;
	}
}

function rememberCheckpoint(cp) {
	try {
		localStorage.setItem(LAST_KEY, JSON.stringify({ id: cp.id, name: cp.name, kind: cp.kind }));
	} catch {
		/* nothing kept */
	}
}

// Now in the district, for a datetime-local input.
function localDateTime() {
	return `${districtDay()}T${districtClock()}`;
}

function clock(sec) {
	return districtClock(sec || Date.now() / 1000);
}

// A text input with suggestions under it. fetchItems(q) → items; label(it)
// renders one; onPick(it) takes it. ArrowDown/Up move, Enter picks the
// highlighted one (the form's Enter then moves on), Escape closes.
function suggest(inp, { fetchItems, label, onPick, minChars = 0, delay = 150 }) {
	const list = h('ul.suggest-list', { role: 'listbox', hidden: true });
	let items = [];
	let active = -1;
	let seq = 0;
	let timer = null;
	inp.setAttribute('autocomplete', 'off');
	inp.setAttribute('aria-autocomplete', 'list');
	async function run() {
		const my = ++seq;
		const q = inp.value.trim();
		if (q.length < minChars) { close(); return; }
		let got = [];
		try {
			got = await fetchItems(q);
		} catch {
			got = [];
		}
		if (my !== seq) return;
		items = got || [];
		active = -1;
		draw();
	}
	function draw() {
		list.replaceChildren(...items.map((it, i) => h('li', {
			role: 'option', class: i === active ? 'active' : null, 'aria-selected': i === active ? 'true' : 'false',
			onpointerdown: (e) => { e.preventDefault(); pick(i); },
		}, label(it))));
		list.hidden = !items.length || document.activeElement !== inp;
	}
	function pick(i) {
		const it = items[i];
		close();
		if (it) onPick(it);
	}
	function close() {
		list.hidden = true;
		active = -1;
		seq++;
	}
	inp.addEventListener('input', (e) => {
		if (e.isComposing) return;
		clearTimeout(timer);
		timer = setTimeout(run, delay);
	});
	// Opened when a person comes to the field, not by the page's own focus on
	// load or for the next car (the open list covered 来自 and 目的地).
	inp.addEventListener('focus', () => {
		if (inp.quietFocus) { inp.quietFocus = false; return; }
		if (minChars === 0 || inp.value.trim().length >= minChars) run();
	});
	inp.addEventListener('pointerdown', () => {
		if (document.activeElement === inp && list.hidden && (minChars === 0 || inp.value.trim().length >= minChars)) run();
	});
	inp.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 120));
	inp.addEventListener('keydown', (e) => {
		if (list.hidden || !items.length) return;
		if (e.key === 'ArrowDown') { e.preventDefault(); active = (active + 1) % items.length; draw(); }
		else if (e.key === 'ArrowUp') { e.preventDefault(); active = active <= 0 ? items.length - 1 : active - 1; draw(); }
		else if (e.key === 'Enter' && active >= 0 && !e.ctrlKey && !e.metaKey) pick(active);
		else if (e.key === 'Escape') { e.preventDefault(); close(); }
	});
	const wrap = h('div.suggest', inp, list);
	wrap.close = close;
	return wrap;
}

async function divisionItems(q) {
	const res = await api('GET', '/api/v1/divisions' + qs({ q, limit: 8 }));
	return res.items || [];
}

function divisionLabel(dv) {
	return h('span', dv.name, h('span.muted.mono', ' ' + dv.code));
}

// ---------- the list ----------

function renderList(ctx) {
	const list = pagedTable({
		url: '/api/v1/checkpoints',
		columns: [
			{ label: t('cp.code'), cell: (c) => h('span.mono', c.code) },
			{ label: t('cp.name'), cell: (c) => h('a', { href: `#/checkpoints/${c.id}` }, h('strong', c.name)) },
			{ label: t('cp.kind'), cell: (c) => kindTag(c.kind) },
			{ label: t('cp.unit'), cell: (c) => c.unit_name || '' },
			{ label: t('cp.location'), cell: (c) => c.location || '' },
			{
				label: t('common.actions'), class: 'actions',
				cell: (c) => h('span.row-actions',
					ctx.hasPerm('checkpoints.write') ? h('a.btn.btn-small.btn-primary', { href: `#/checkpoints/${c.id}` }, t(c.kind === 'rail' ? 'cp.screen_trains' : 'cp.screen_vehicles')) : null,
					h('a.btn.btn-small', { href: `#/checkpoints/${c.id}/duty` }, t('cp.tab_duty'))),
			},
		],
		emptyText: t('cp.none'),
		rowAttrs: (c) => ({ dataset: { id: c.id } }),
	});
	const last = lastCheckpoint();
	let add = null;
	if (ctx.hasPerm('checkpoints.admin')) {
		const scope = ctx.me.scope_unit;
		add = disclosure(t('cp.create'), form([
			h('div.grid3',
				field(t('cp.code'), input('code', { required: true, maxlength: 32, class: 'mono', placeholder: 'S103-1' })),
				field(t('cp.name'), input('name', { required: true, maxlength: 64 })),
				field(t('cp.kind'), select('kind', [['road', t('cp.kind_road')], ['rail', t('cp.kind_rail')]], 'road'))),
			field(t('cp.unit'), unitPicker('unit_id', scope && scope.id ? scope : null), t('cp.unit_hint')),
			field(t('cp.location'), input('location', { maxlength: 200 })),
			h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('cp.create_submit'))),
		], async (f) => {
			const v = values(f);
			if (!v.code) return showError(f, { field: 'code' }, t('errors.required'));
			if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
			if (!v.unit_id) return showError(f, { field: 'unit_id' }, t('picker.required'));
			const body = { code: v.code, name: v.name, kind: v.kind, unit_id: Number(v.unit_id) };
			if (v.location) body.location = v.location;
			const c = await api('POST', '/api/v1/checkpoints', body, { headers: { 'Idempotency-Key': clientId() } });
			toast(t('cp.created', { name: c.name }));
			ctx.go(`#/checkpoints/${c.id}`);
		}, { 'aria-label': t('cp.create') }));
	}
	ctx.root.replaceChildren(...kids(
		h('div.page-head', h('h1', t('nav.checkpoints')),
			h('div.page-actions',
				h('a.btn', { href: '#/checkpoints/counts', 'data-act': 'counts' }, t('cp.counts')),
				exportLink('/api/v1/checkpoints'))),
		last && ctx.hasPerm('checkpoints.write') ? h('a.btn.btn-primary.btn-huge.resume-cp', { href: `#/checkpoints/${last.id}` }, t('cp.resume', { name: last.name })) : null,
		add,
		list.el));
}

// ---------- one checkpoint ----------

async function renderCheckpoint(ctx, id, tab) {
	const back = h('a.back-link.show', { href: '#/checkpoints' }, '← ', t('cp.back'));
	ctx.root.replaceChildren(back, loading());
	let cp;
	try {
		cp = await api('GET', `/api/v1/checkpoints/${encodeURIComponent(id)}`);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(back, err.status === 404 ? empty(t('cp.not_found')) : errorBox(err));
		return;
	}
	const canWrite = ctx.hasPerm('checkpoints.write');
	if (!tab) tab = canWrite ? 'screen' : 'records';
	if (canWrite) rememberCheckpoint(cp);
	const base = `#/checkpoints/${cp.id}`;
	const tabs = tabLinks([
		['screen', base, t(cp.kind === 'rail' ? 'cp.tab_trains' : 'cp.tab_vehicles')],
		['duty', `${base}/duty`, t('cp.tab_duty')],
		['records', `${base}/records`, t('cp.tab_records')],
	], tab);
	const todayBox = h('div.stats.cp-today');
	const drawToday = (c) => {
		const x = c.today || {};
		todayBox.replaceChildren(
			cp.kind === 'rail' ? stat(t('counts.trains'), num(x.trains ?? 0)) : stat(t('counts.vehicles'), num(x.vehicles ?? 0)),
			stat(t('counts.person_trips'), num(x.person_trips ?? 0)),
			stat(t('counts.fevers'), num(x.fevers ?? 0), x.fevers ? 'danger' : null),
			stat(t('counts.referrals'), num(x.referrals ?? 0), x.referrals ? 'danger' : null),
			stat(t('counts.registered'), num(x.registered ?? 0), x.registered ? 'warn' : null));
		for (const [i, k] of [[0, cp.kind === 'rail' ? 'trains' : 'vehicles'], [1, 'person_trips'], [2, 'fevers'], [3, 'referrals'], [4, 'registered']]) {
			todayBox.children[i].dataset.count = k;
		}
	};
	drawToday(cp);
	const refresh = async () => {
		try {
			const c2 = await api('GET', `/api/v1/checkpoints/${cp.id}`);
			Object.assign(cp, c2);
			drawToday(cp);
			return c2;
		} catch {
			return null; // offline: the figures wait
		}
	};
	const body = h('div.tab-body');
	ctx.root.replaceChildren(...kids(
		back,
		h('div.page-head.cp-head',
			h('div', h('h1', cp.name, ' ', kindTag(cp.kind)), h('p.muted.cp-sub', h('span.mono', cp.code), ' · ', cp.unit_name || '', cp.location ? ' · ' + cp.location : '',
				cp.current_shift ? [' · ', t('duty.current_shift', { team: cp.current_shift.team, from: cp.current_shift.from, to: cp.current_shift.to })] : '')),
			h('div.page-actions', h('a.btn', { href: '#/checkpoints/counts' + qs({ checkpoint_id: cp.id }) }, t('cp.counts')))),
		ctx.hasPerm('checkpoints.admin') ? editForm(ctx, cp) : null,
		noticeBar(),
		h('div.cp-today-head', h('h2', t('cp.today', { day: (cp.today && cp.today.day) || today() }))),
		todayBox,
		tabs,
		body));
	const ctx2 = { ...ctx, cp, refresh, body };
	if (tab === 'duty') return dutyTab(ctx2);
	if (tab === 'records') return recordsTab(ctx2);
	if (!canWrite) {
		body.replaceChildren(h('p.hint', t('cp.read_only')));
		return;
	}
	if (cp.kind === 'rail') return screenForm(ctx2, 'train');
	return screenForm(ctx2, 'vehicle');
}

// Renames, recodes, moves (to another unit in scope) or relocates the
// checkpoint (checkpoints.admin). Only what changed is sent; the API's
// answer to a wrong field (a code taken, a unit outside scope) is shown
// beside that field. The kind stays: its records are road or rail ones.
function editForm(ctx, cp) {
	const f = form([
		h('div.grid3',
			field(t('cp.code'), input('code', { value: cp.code, required: true, maxlength: 32, class: 'mono' }), t('cp.code_hint')),
			field(t('cp.name'), input('name', { value: cp.name, required: true, maxlength: 64 })),
			field(t('cp.kind'), h('div.readonly-value', kindTag(cp.kind)), t('cp.kind_fixed'))),
		field(t('cp.unit'), unitPicker('unit_id', { id: cp.unit_id, name: cp.unit_name }), t('cp.unit_hint')),
		field(t('cp.location'), input('location', { value: cp.location || '', maxlength: 200 }), t('cp.location_hint')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary', 'data-act': 'save-checkpoint' }, t('common.save'))),
	], async (fm) => {
		const v = values(fm);
		if (!v.code) return showError(fm, { field: 'code' }, t('errors.required'));
		if (!v.name) return showError(fm, { field: 'name' }, t('errors.required'));
		if (!v.unit_id) return showError(fm, { field: 'unit_id' }, t('picker.required'));
		const b = {};
		if (v.code !== cp.code) b.code = v.code;
		if (v.name !== cp.name) b.name = v.name;
		if (Number(v.unit_id) !== cp.unit_id) b.unit_id = Number(v.unit_id);
		if (v.location !== (cp.location || '')) b.location = v.location;
		if (!Object.keys(b).length) { toast(t('common.no_changes')); return; }
		const c = await api('PATCH', `/api/v1/checkpoints/${cp.id}`, b);
		toast(t('cp.saved', { name: c.name }));
		const last = lastCheckpoint();
		if (last && last.id === c.id) rememberCheckpoint(c);
		ctx.go(location.hash);
	}, { 'aria-label': t('cp.edit'), class: 'form cp-edit-form' });
	return disclosure(t('cp.edit'), f);
}

// ---------- the screening form (vehicles and trains) ----------

function blankPerson() {
	return { name: '', ident: '', other_type: 'passport', temperature: '', away: false, origin: '', origin_code: '', arrival_date: '' };
}

function blankDraft(kind, keep = {}) {
	if (kind === 'train') {
		return { client_id: null, train_no: '', arrival_at: '', persons: '', people: [] };
	}
	return {
		client_id: null, plate: '', direction: keep.direction || 'in', origin: '', origin_code: '',
		destination: '', dest_unit: null, people: [blankPerson()],
	};
}

function isBlankPerson(p) {
	return !p.name.trim() && !p.ident.trim() && !String(p.temperature).trim() && !p.origin;
}

function draftHasData(kind, d) {
	if (kind === 'train') return !!(d.train_no || d.persons || d.people.some((p) => !isBlankPerson(p)));
	return !!(d.plate || d.origin || d.destination || d.people.some((p) => !isBlankPerson(p)));
}

// The session's entries at each checkpoint (the last ones, newest first).
const recent = new Map();

function screenForm(ctx, kind) {
	const { cp, refresh, body } = ctx;
	const key = `cordon.checkpoint.${kind}.${ctx.me.user.id}.${cp.id}`;
	const group = kind === 'train' ? 'flagged' : 'occupants';
	let d = null;
	try {
		d = JSON.parse(localStorage.getItem(key) || 'null');
	} catch {
		d = null;
	}
	if (!d || !Array.isArray(d.people)) d = blankDraft(kind);
	const restored = draftHasData(kind, d);
	const save = () => {
		try {
			localStorage.setItem(key, JSON.stringify(d));
		} catch {
			/* the draft lasts this page */
		}
	};

	const status = h('div.send-status', { role: 'status', 'aria-live': 'assertive', hidden: true });
	const result = h('div.cp-result-box', { 'aria-live': 'polite' });
	const mine = recent.get(cp.id) || [];
	recent.set(cp.id, mine);
	const recentBox = h('ol.cp-recent');
	const f = h('form.form.cp-form', { novalidate: true, 'aria-label': t(kind === 'train' ? 'cp.train_form' : 'cp.vehicle_form'), dataset: { kind } });
	const keypad = tempKeypad();
	let sending = false;

	function setStatus(k, text, extra) {
		status.hidden = !k;
		status.className = 'send-status' + (k ? ' send-' + k : '');
		status.dataset.state = k || '';
		status.replaceChildren(h('span.send-text', text || ''), ...(extra ? [extra] : []));
	}

	// Enter moves to the next field; Ctrl+Enter sends from anywhere.
	f.addEventListener('keydown', (e) => {
		if (e.key !== 'Enter' || e.isComposing) return;
		if (e.ctrlKey || e.metaKey) {
			e.preventDefault();
			submit();
			return;
		}
		const el = e.target;
		if (el.tagName === 'BUTTON' || el.tagName === 'TEXTAREA') return;
		e.preventDefault();
		moveOn(el);
	});

	function navList() {
		return [...f.querySelectorAll('[data-nav]')].filter((x) => !x.disabled && x.offsetParent !== null);
	}

	function moveOn(el) {
		if (el.dataset.temp != null) normTempInput(el);
		const list = navList();
		const i = list.indexOf(el);
		// From a control outside the Enter order (the direction, a checkbox):
		// the next one after it.
		const next = i >= 0 ? list[i + 1] : list.find((x) => el.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING);
		if (next) {
			next.focus();
			if (next.select && next.tagName === 'INPUT') next.select();
		}
	}

	function normTempInput(el) {
		const v = parseTemp(el.value);
		if (typeof v === 'number' && !Number.isNaN(v) && String(el.value).trim() !== v.toFixed(1)) {
			el.value = v.toFixed(1);
			el.dispatchEvent(new Event('input', { bubbles: true }));
		}
	}

	function build() {
		const head = kind === 'train' ? trainHead() : vehicleHead();
		f.replaceChildren(
			h('div.form-error.alert.alert-error', { role: 'alert', hidden: true }),
			head,
			peopleBlock(),
			h('div.cp-submit',
				h('button', { type: 'submit', class: 'btn btn-primary btn-huge', 'data-act': 'submit', 'data-nav': '' },
					t(kind === 'train' ? 'cp.submit_train' : 'cp.submit_vehicle'), h('kbd.kbd', 'Ctrl+Enter'))));
	}

	// ----- vehicle: plate, direction, origin, destination -----
	function vehicleHead() {
		const plate = h('input#cp-plate', {
			name: 'plate', type: 'text', class: 'plate-input mono', value: d.plate, maxlength: 10, 'data-nav': '',
			autocapitalize: 'characters', spellcheck: 'false', enterkeyhint: 'next', placeholder: t('cp.plate_placeholder'),
			'aria-label': t('cp.plate'),
		});
		plate.addEventListener('input', (e) => {
			if (!e.isComposing) {
				const v = normPlate(plate.value);
				if (v !== plate.value) plate.value = v;
			}
			d.plate = plate.value;
			save();
		});
		plate.addEventListener('compositionend', () => { plate.value = normPlate(plate.value); d.plate = plate.value; save(); });
		const plateBox = suggest(plate, {
			fetchItems: async (q) => (await api('GET', '/api/v1/checkpoints/recent-plates' + qs({ checkpoint_id: cp.id, prefix: normPlate(q), limit: 8 }))).items || [],
			label: (it) => h('span.plate-opt', h('strong.mono', it.plate), h('span.muted', ' ', t('cp.plate_seen', { n: it.times, time: fmtTime(it.last_at) }))),
			onPick: (it) => { plate.value = it.plate; d.plate = it.plate; save(); },
		});
		const provinces = h('div.province-keys', { 'aria-label': t('cp.province_keys') }, PROVINCE_CHARS.map((ch) => h('button', {
			type: 'button', class: 'btn key-btn', tabindex: '-1', lang: 'zh-CN',
			onpointerdown: (e) => e.preventDefault(),
			onclick: () => {
				const v = plate.value;
				plate.value = /^[\u4e00-\u9fff]/.test(v) ? ch + v.slice(1) : ch + v;
				d.plate = plate.value;
				save();
				plate.focus();
				plate.setSelectionRange(plate.value.length, plate.value.length);
			},
		}, ch)));
		const dir = h('fieldset.field.toggles.cp-direction',
			h('legend', t('cp.direction')),
			h('div.toggle-row.two', ['in', 'out'].map((o) => h('label.toggle',
				h('input', { type: 'radio', name: 'direction', value: o, checked: d.direction === o, onchange: () => { d.direction = o; save(); } }),
				h('span', t('cp.dir_' + o))))),
			h('small.field-error', { 'aria-live': 'polite' }));
		const origin = h('input', { name: 'origin', type: 'text', value: d.origin, 'data-nav': '', placeholder: t('cp.origin_placeholder'), maxlength: 64 });
		origin.addEventListener('input', () => { d.origin = origin.value; d.origin_code = ''; save(); });
		const originBox = suggest(origin, {
			fetchItems: divisionItems, label: divisionLabel, minChars: 1,
			onPick: (dv) => { origin.value = dv.name; d.origin = dv.name; d.origin_code = dv.code; save(); },
		});
		const dest = h('input', { name: 'destination', type: 'text', value: d.dest_unit ? d.dest_unit.name : d.destination, 'data-nav': '', placeholder: t('cp.destination_placeholder'), maxlength: 100 });
		dest.addEventListener('input', () => { d.destination = dest.value; d.dest_unit = null; save(); destTag.hidden = true; });
		const destTag = h('span.tag.tag-info.dest-unit-tag', { hidden: !d.dest_unit }, t('cp.dest_unit_picked'));
		const destBox = suggest(dest, {
			fetchItems: async (q) => (await api('GET', '/api/v1/units' + qs({ q, limit: 8 }))).items || [],
			label: (u) => h('span', h('span.badge', t('kinds.' + u.kind)), ' ', u.name),
			minChars: 1,
			onPick: (u) => { dest.value = u.name; d.destination = u.name; d.dest_unit = { id: u.id, name: u.name, kind: u.kind }; destTag.hidden = false; save(); },
		});
		return h('div.cp-vehicle',
			h('div.cp-row.cp-row-plate',
				h('div.field.plate-field',
					h('label', { for: 'cp-plate' }, t('cp.plate')),
					plateBox,
					provinces,
					h('small.field-error', { 'aria-live': 'polite' })),
				dir),
			h('div.cp-row',
				h('div.field', h('label', t('cp.origin')), originBox, h('small.hint', t('cp.origin_hint')), h('small.field-error', { 'aria-live': 'polite' })),
				h('div.field', h('label', t('cp.destination')), destBox, h('small.hint', t('cp.destination_hint'), ' ', destTag),
					h('small.field-error', { 'aria-live': 'polite' }))));
	}

	// ----- train: number, arrival, persons -----
	function trainHead() {
		if (!d.arrival_at) d.arrival_at = localDateTime();
		const no = h('input#cp-train', {
			name: 'train_no', type: 'text', class: 'plate-input mono', value: d.train_no, maxlength: 8, 'data-nav': '',
			autocapitalize: 'characters', spellcheck: 'false', placeholder: 'K1234',
			oninput: (e) => { e.target.value = e.target.value.toUpperCase().replace(/\s/g, ''); d.train_no = e.target.value; save(); },
		});
		const at = h('input', {
			name: 'arrival_at', type: 'datetime-local', value: d.arrival_at, 'data-nav': '',
			oninput: (e) => { d.arrival_at = e.target.value; save(); },
		});
		const persons = h('input', {
			name: 'persons', type: 'text', inputmode: 'numeric', class: 'num-input', value: d.persons, 'data-nav': '', maxlength: 4,
			oninput: (e) => { e.target.value = e.target.value.replace(/\D/g, ''); d.persons = e.target.value; save(); },
		});
		return h('div.cp-train',
			h('div.cp-row.three',
				field(t('cp.train_no'), no),
				field(t('cp.arrival_at'), at),
				field(t('cp.persons'), persons, t('cp.persons_hint'))));
	}

	// ----- persons (occupants of a car, flagged persons of a train) -----
	function peopleBlock() {
		const blk = h('section.cp-people');
		const add = button('＋ ' + t(kind === 'train' ? 'cp.add_flagged' : 'cp.add_occupant'), {
			class: 'btn btn-add-person', 'data-act': 'add-person', 'data-nav': '',
			onclick: () => {
				d.people.push(blankPerson());
				save();
				redrawPeople();
				const rows = f.querySelectorAll('.occ-row');
				const last = rows[rows.length - 1];
				if (last) last.querySelector('input[data-col=name]').focus();
			},
		});
		blk.append(
			h('div.section-head',
				h('h2', t(kind === 'train' ? 'cp.flagged' : 'cp.occupants'), ' ', h('span.count', String(d.people.length))),
				button(t('cp.keypad'), {
					class: 'btn btn-small keypad-toggle', 'aria-pressed': keypad.enabled() ? 'true' : 'false', tabindex: '-1',
					onclick: (e) => { keypad.toggle(); e.currentTarget.setAttribute('aria-pressed', keypad.enabled() ? 'true' : 'false'); },
				})),
			kind === 'train' ? h('p.hint', t('cp.flagged_hint')) : h('p.hint', t('cp.occupants_hint')),
			h('div.occ-rows', d.people.map((p, i) => personRow(p, i))),
			add);
		return blk;
	}

	function redrawPeople() {
		f.querySelector('.cp-people').replaceWith(peopleBlock());
	}

	function personRow(p, i) {
		const n = (k) => `${group}[${i}].${k}`;
		const bind = (k) => (e) => { p[k] = e.target.value; save(); };
		const temp = h('input', {
			name: n('temperature'), type: 'text', inputmode: keypad.enabled() ? 'none' : 'decimal', class: 'temp-input', value: p.temperature,
			'data-nav': '', 'data-temp': '', 'data-col': 'temperature', maxlength: 5, autocomplete: 'off', placeholder: '36.5', enterkeyhint: 'next',
			oninput: (e) => { p.temperature = e.target.value; save(); markFever(e.target); },
		});
		temp.addEventListener('focus', () => keypad.attach(temp, () => moveOn(temp)));
		temp.addEventListener('blur', () => { normTempInput(temp); keypad.detach(temp); });
		markFever(temp);
		const identIn = h('input', {
			name: n('ident'), type: 'text', value: p.ident, 'data-nav': '', 'data-col': 'ident', class: 'mono', autocomplete: 'off', spellcheck: 'false',
			maxlength: 32, autocapitalize: 'characters', placeholder: t('cp.ident_placeholder'),
			oninput: (e) => { p.ident = e.target.value; save(); otherType.hidden = !isOtherDoc(p.ident); },
		});
		const otherType = h('select', {
			name: n('doc_type'), class: 'other-type', hidden: !isOtherDoc(p.ident), 'aria-label': t('persons.doc_type'),
			onchange: (e) => { p.other_type = e.target.value; save(); },
		}, OTHER_DOC_TYPES.map((x) => h('option', { value: x }, t('doc_types.' + x))));
		otherType.value = p.other_type || 'passport';
		const away = h('div.occ-away', { hidden: !p.away },
			h('div.field', h('label', t('cp.person_origin')),
				suggest(h('input', {
					name: n('origin'), type: 'text', value: p.origin, 'data-nav': '', maxlength: 64, placeholder: t('cp.origin_placeholder'),
					oninput: (e) => { p.origin = e.target.value; p.origin_code = ''; save(); },
				}), {
					fetchItems: divisionItems, label: divisionLabel, minChars: 1,
					onPick: (dv) => { p.origin = dv.name; p.origin_code = dv.code; save(); const x = f.querySelector(`[name="${n('origin')}"]`); if (x) x.value = dv.name; },
				}),
				h('small.field-error', { 'aria-live': 'polite' })),
			field(t('cp.arrival_date'), input(n('arrival_date'), { type: 'date', value: p.arrival_date, max: today(), 'data-nav': '', oninput: bind('arrival_date') })));
		return h('fieldset.occ-row', { dataset: { index: i } },
			h('legend', i === 0 && kind === 'vehicle' ? t('cp.driver') : t('cp.person_n', { n: i + 1 })),
			h('div.occ-grid',
				field(t('persons.name'), input(n('name'), { value: p.name, 'data-nav': '', 'data-col': 'name', autocomplete: 'off', maxlength: 100, oninput: bind('name') })),
				h('div.field.ident-field', h('label', t('cp.ident')), h('div.ident-wrap', identIn, otherType), h('small.field-error', { 'aria-live': 'polite' })),
				h('div.field.temp-field', h('label', t('cp.temperature')), h('div.temp-wrap', temp, h('span.unit', '°C')), h('small.field-error', { 'aria-live': 'polite' })),
				h('div.occ-tools',
					h('label.check.away-check',
						h('input', {
							type: 'checkbox', checked: p.away, 'data-col': 'away',
							onchange: (e) => { p.away = e.target.checked; away.hidden = !p.away; save(); },
						}), ' ', t('cp.from_away')),
					(kind === 'train' || d.people.length > 1) ? button('✕', {
						class: 'btn btn-remove', 'aria-label': t('cp.remove_person', { n: i + 1 }), title: t('cp.remove_person', { n: i + 1 }), tabindex: '-1',
						onclick: () => { d.people.splice(i, 1); save(); redrawPeople(); },
					}) : null)),
			away);
	}

	function markFever(el) {
		const v = parseTemp(el.value);
		const fever = typeof v === 'number' && !Number.isNaN(v) && v >= FEVER_AT;
		el.classList.toggle('fever', fever);
		const wrap = el.closest('.temp-field');
		if (wrap) wrap.classList.toggle('is-fever', fever);
	}

	// ----- checks, body, send -----
	function showFieldError(err, text) {
		if (err && err.field) {
			const m = /^(occupants|flagged)[[.](\d+)\]?\.(\w+)$/.exec(err.field);
			if (m) {
				let col = m[3];
				if (col === 'doc_number' || col === 'phone') col = 'ident';
				err = Object.assign(Object.create(Object.getPrototypeOf(err)), err, { field: `${group}[${m[2]}].${col}` });
			} else if (err.field === 'destination_unit_id') {
				err = Object.assign(Object.create(Object.getPrototypeOf(err)), err, { field: 'destination' });
			}
		}
		return showError(f, err, text);
	}

	function validate() {
		if (kind === 'vehicle') {
			const plate = normPlate(d.plate);
			if (!plate) return showFieldError({ field: 'plate' }, t('cp.plate_required'));
			if (!/^[\u4e00-\u9fff]/.test(plate)) return showFieldError({ field: 'plate' }, t('cp.plate_province'));
			if (plate.length < 7 || plate.length > 8) return showFieldError({ field: 'plate' }, t('cp.plate_length'));
			if (/[IO]/.test(plate.slice(1))) return showFieldError({ field: 'plate' }, t('cp.plate_io'));
		} else {
			if (!d.train_no.trim()) return showFieldError({ field: 'train_no' }, t('errors.required'));
			if (!d.arrival_at) return showFieldError({ field: 'arrival_at' }, t('errors.required'));
			if (d.persons === '') return showFieldError({ field: 'persons' }, t('errors.required'));
		}
		// Rows left blank are dropped, so the indices the server names match the rows.
		const kept = d.people.filter((p) => !isBlankPerson(p));
		if (kept.length !== d.people.length) {
			d.people = kind === 'vehicle' && !kept.length ? [blankPerson()] : kept;
			redrawPeople();
		}
		if (kind === 'vehicle' && !kept.length) return showFieldError({ field: `${group}[0].temperature` }, t('cp.one_occupant'));
		for (let i = 0; i < kept.length; i++) {
			const v = parseTemp(kept[i].temperature);
			if (v == null) return showFieldError({ field: `${group}[${i}].temperature` }, t('cp.temp_required'));
			if (Number.isNaN(v) || v < 30 || v > 45) return showFieldError({ field: `${group}[${i}].temperature` }, t('cp.temp_range'));
			if (kept[i].away && !kept[i].origin.trim()) return showFieldError({ field: `${group}[${i}].origin` }, t('divisions.required'));
		}
		if (kind === 'train' && Number(d.persons) < kept.length) return showFieldError({ field: 'persons' }, t('cp.persons_lt_flagged'));
		return null;
	}

	function personBody(p) {
		const o = { temperature: parseTemp(p.temperature) };
		if (p.name.trim()) o.name = p.name.trim();
		const id = readIdent(p.ident, p.other_type || 'passport');
		Object.assign(o, id);
		if (p.away) {
			if (p.origin.trim()) o.origin = p.origin_code || p.origin.trim();
			if (p.arrival_date) o.arrival_date = p.arrival_date;
		}
		return o;
	}

	function buildBody() {
		const people = d.people.filter((p) => !isBlankPerson(p)).map(personBody);
		if (kind === 'train') {
			return {
				train_no: d.train_no.trim(), arrival_at: districtSeconds(d.arrival_at),
				persons: Number(d.persons), flagged: people, client_id: d.client_id,
			};
		}
		const b = { plate: normPlate(d.plate), direction: d.direction, occupants: people, client_id: d.client_id };
		if (d.origin.trim()) b.origin = d.origin_code || d.origin.trim();
		if (d.dest_unit) {
			b.destination_unit_id = Number(d.dest_unit.id);
			b.destination = d.dest_unit.name;
		} else if (d.destination.trim()) b.destination = d.destination.trim();
		return b;
	}

	function labelOf(b) {
		return kind === 'train'
			? t('cp.train_label', { no: b.train_no, n: b.persons })
			: t('cp.vehicle_label', { plate: b.plate, n: b.occupants.length });
	}

	async function submit() {
		if (sending) return;
		clearErrors(f);
		if (validate()) { setStatus(null); return; }
		// Made once, before the first send, and kept (in the draft) on every
		// retry and in the offline queue: the server stores the entry once.
		if (!d.client_id) d.client_id = clientId();
		save();
		const payload = buildBody();
		sending = true;
		const btn = f.querySelector('button[type=submit]');
		btn.disabled = true;
		setStatus('sending', t('cp.sending'));
		try {
			const r = await send(`/api/v1/checkpoints/${cp.id}/${kind === 'train' ? 'trains' : 'vehicles'}`, payload, {
				kind, label: labelOf(payload), scope: `checkpoint:${cp.id}`,
			});
			const entry = { client_id: payload.client_id, label: labelOf(payload), payload, at: Math.floor(Date.now() / 1000) };
			if (r.sent) {
				entry.res = r.res;
				setStatus('saved', t(kind === 'train' ? 'cp.saved_train' : 'cp.saved_vehicle', { label: entry.label }));
				result.replaceChildren(resultCard(kind, r.res));
				refresh();
			} else {
				entry.queued = true;
				setStatus('queued', t('cp.queued_status'));
				result.replaceChildren(queuedCard(kind, payload));
			}
			mine.unshift(entry);
			mine.splice(12);
			drawRecent();
			next();
		} catch (err) {
			if (err.handled) { setStatus('failed', t('cp.signed_out')); return; }
			if (transient(err)) {
				// Not sent and not kept (no IndexedDB here): the same id is sent again.
				setStatus('failed', t('cp.not_kept'), button(t('cp.retry'), { class: 'btn btn-retry', 'data-act': 'retry', onclick: () => submit() }));
				return;
			}
			// Refused: nothing was stored; the next try gets a new id.
			d.client_id = null;
			save();
			setStatus('error', t('cp.fix_errors'));
			showFieldError(err);
		} finally {
			sending = false;
			btn.disabled = false;
		}
	}

	// The form clears for the next car, keeping the direction.
	function next() {
		d = blankDraft(kind, { direction: d.direction });
		save();
		build();
		quietFocus(f.querySelector('[data-nav]'));
	}

	function drawRecent() {
		recentBox.replaceChildren(...(mine.length ? mine.map((e) => h('li', { class: e.queued ? 'queued' : e.dropped ? 'dropped' : null, dataset: { client: e.client_id } },
			h('span.nowrap.muted', clock(e.at)), ' ', h('strong', e.label), ' ',
			e.queued ? h('span.tag.tag-warn', t('cp.queued_tag'))
				: e.dropped ? h('span.tag.tag-danger', t('cp.dropped_tag'))
					: outcomeTags(e.res))) : [h('li.muted', t('cp.recent_none'))]));
	}

	// A queued entry answered later (or refused) updates its line.
	const stop = onSettled(({ entry, res, err, dropped }) => {
		if (!body.isConnected) { stop(); return; }
		const e = mine.find((x) => x.client_id === entry.client_id);
		if (e) {
			e.queued = false;
			if (dropped) { e.dropped = true; e.error = errText(err); } else e.res = res;
			if (recentBox.isConnected) drawRecent();
		}
		if (!dropped && entry.scope === `checkpoint:${cp.id}` && body.isConnected) refresh();
		const card = result.querySelector(`.cp-result[data-client="${CSS.escape(entry.client_id)}"]`);
		if (card && !dropped && res) card.replaceWith(resultCard(kind, res));
	});
	disposers.push(stop);

	f.addEventListener('submit', (e) => {
		e.preventDefault();
		submit();
	});

	build();
	drawRecent();
	body.replaceChildren(h('div.cp-layout',
		status,
		h('div.cp-main', f, h('p.hint.kbd-hint', t(kind === 'train' ? 'cp.keys_hint_train' : 'cp.keys_hint'))),
		h('aside.cp-side',
			result,
			h('section.card.cp-recent-card', h('h2', t('cp.recent')), recentBox),
			dutySummary(cp))),
	keypad.el);
	if (restored) toast(t('cp.draft_restored'));
	quietFocus(f.querySelector('[data-nav]'));
}

// Focus for typing straight away, without opening the field's suggestions.
function quietFocus(el) {
	if (!el) return;
	el.quietFocus = true;
	el.focus();
	// A field that had focus already gets no focus event: nothing to skip.
	setTimeout(() => { el.quietFocus = false; }, 0);
}

function outcomeTags(res) {
	if (!res) return '';
	const list = res.occupants || res.flagged || [];
	const n = { pass: 0, referral: 0, registered: 0 };
	for (const o of list) n[o.disposition] = (n[o.disposition] || 0) + 1;
	return h('span.chips',
		n.referral ? h('span.tag.tag-danger', t('disposition.referral'), ' ', n.referral) : null,
		n.registered ? h('span.tag.tag-warn', t('disposition.registered'), ' ', n.registered) : null,
		n.pass ? h('span.tag.tag-ok', t('disposition.pass'), ' ', n.pass) : null);
}

// The answer to a screening: each person's disposition, in words.
function resultCard(kind, res) {
	const people = res.occupants || res.flagged || [];
	const alarm = res.referrals > 0;
	return h('section.cp-result', { class: alarm ? 'alarm' : res.registered > 0 ? 'notice' : 'ok', dataset: { client: res.client_id || '', id: res.id } },
		h('div.cp-result-head',
			kind === 'train'
				? h('strong.cp-result-title.mono', res.train_no)
				: h('strong.cp-result-title.mono', res.plate),
			kind === 'vehicle' ? h('span.muted', ' ', res.plate_province || '', res.new_energy ? [' · ', t('cp.new_energy')] : '', ' · ', t('cp.dir_' + res.direction)) : h('span.muted', ' ', t('cp.persons_n', { n: res.persons })),
			h('span.muted.nowrap', ' · ', clock(res.at))),
		alarm ? h('p.cp-alarm', t('cp.alarm_referral', { n: res.referrals })) : null,
		res.follow_up ? h('p.cp-follow-up', t('cp.follow_up.' + res.follow_up)) : null,
		people.length ? h('ul.cp-people-result', people.map((o, i) => h('li', { dataset: { disposition: o.disposition } },
			h('div.cp-person-line',
				dispositionTag(o.disposition),
				h('strong', o.name || (kind === 'vehicle' && i === 0 ? t('cp.driver') : t('cp.person_n', { n: i + 1 }))),
				h('span.temp' + (o.fever ? '.fever' : ''), tempText(o.temperature))),
			h('div.cp-why', reasonText(o)),
			// Met but not changed: their unit confirms it (待核实).
			o.held || o.discrepancy_id ? heldNote(o.discrepancy_kind || (o.held ? 'out_of_scope' : 'name')) : null))) : h('p.muted', t('cp.no_flagged')));
}

// A queued entry: what was typed, no disposition yet (the server decides);
// a fever is pointed out by the rule all the same.
function queuedCard(kind, payload) {
	const people = payload.occupants || payload.flagged || [];
	return h('section.cp-result.queued', { dataset: { client: payload.client_id } },
		h('div.cp-result-head', h('strong.cp-result-title.mono', payload.plate || payload.train_no), ' ', h('span.tag.tag-warn', t('cp.queued_tag'))),
		h('p.cp-queued-note', t('cp.queued_note')),
		h('ul.cp-people-result', people.map((o, i) => h('li',
			h('div.cp-person-line',
				o.temperature >= FEVER_AT ? h('span.tag.tag-danger', t('cp.fever_local')) : h('span.tag.tag-plain', t('cp.pending')),
				h('strong', o.name || t('cp.person_n', { n: i + 1 })),
				h('span.temp' + (o.temperature >= FEVER_AT ? '.fever' : ''), tempText(o.temperature)))))));
}

// The reason for a disposition, composed in the page's language from the
// answer's fields (the server's `reason` is English).
export function reasonText(o) {
	// The server's words for a discrepancy are shown apart (heldNote).
	if (getLang() === 'en') return (o.reason || '').replace(/; (registered in another area|the registry holds another name): .*$/, '');
	const origin = o.origin_name || o.origin_code || '';
	const grade = o.grade ? t('grades.' + o.grade) : '';
	if (o.disposition === 'referral') {
		return t('cp.why_fever', { t: Number(o.temperature).toFixed(1) }) + (o.fever_id ? t('cp.why_fever_recorded') : o.person_id ? '' : t('cp.why_fever_anonymous'));
	}
	if (o.disposition === 'registered') {
		return t('cp.why_registered', {
			origin, grade, dest: o.destination_unit_name || '', handling: o.handling ? t('handling.' + o.handling) : '',
		}) + (o.person_created ? t('cp.why_new_person') : '');
	}
	if (o.origin_code && ['severe', 'heavy', 'other_province', 'high', 'medium'].includes(o.grade) && !o.person_id) {
		return t('cp.why_pass_nodoc', { origin, grade });
	}
	return t('cp.why_pass');
}

function dutySummary(cp) {
	const on = cp.on_duty || [];
	const missing = cp.missing_sign_outs || [];
	return h('section.card.cp-duty-summary',
		h('div.section-head', h('h2', t('duty.on_duty_now')), h('a.btn.btn-small', { href: `#/checkpoints/${cp.id}/duty` }, t('duty.manage'))),
		on.length ? h('ul.duty-names', on.map((x) => h('li', h('strong', x.person_name), ' ', h('span.muted', agencyLabel(x.agency))))) : h('p.muted', t('duty.nobody')),
		missing.length ? h('p.alert.alert-error.duty-missing-note', t('duty.missing_n', { n: missing.length })) : null,
		(cp.gaps || []).length ? h('p.alert.alert-warn', t('duty.gaps_n', { n: cp.gaps.length })) : null);
}

// A large on-screen keypad for temperatures, for tablets with gloves: it
// types into the temperature field that has focus. On touch screens it is
// on by default (and the system keyboard stays closed); it can be switched.
function tempKeypad() {
	const KEY = 'cordon.checkpoint.keypad';
	let on;
	try {
		const v = localStorage.getItem(KEY);
		on = v == null ? matchMedia('(pointer: coarse)').matches : v === '1';
	} catch {
		on = false;
	}
	let target = null;
	let onNext = null;
	const press = (k) => {
		if (!target) return;
		const v = target.value;
		if (k === 'back') target.value = v.slice(0, -1);
		else if (k === 'clear') target.value = '';
		else if (k === 'next') { onNext && onNext(); return; }
		else if (/^\d\d\.$/.test(k)) target.value = k;
		else if (k === '.' && v.includes('.')) return;
		else if (v.length < 5) target.value = v + k;
		target.dispatchEvent(new Event('input', { bubbles: true }));
	};
	const key = (k, label, cls) => h('button', {
		type: 'button', class: 'keypad-key' + (cls ? ' ' + cls : ''), tabindex: '-1', dataset: { key: k },
		onpointerdown: (e) => e.preventDefault(),
		onclick: () => press(k),
	}, label);
	const el = h('div.keypad', { hidden: true, role: 'group', 'aria-label': t('cp.keypad') },
		h('div.keypad-quick', ['35.', '36.', '37.', '38.'].map((k) => key(k, k, 'quick'))),
		h('div.keypad-grid',
			['7', '8', '9', '4', '5', '6', '1', '2', '3', '.', '0'].map((k) => key(k, k)),
			key('back', '⌫', 'back')),
		h('div.keypad-actions', key('clear', t('cp.keypad_clear'), 'clear'), key('next', t('cp.keypad_next') + ' →', 'next')));
	return {
		el,
		enabled: () => on,
		toggle() {
			on = !on;
			try {
				localStorage.setItem(KEY, on ? '1' : '0');
			} catch {
				/* this page only */
			}
			for (const x of document.querySelectorAll('input[data-temp]')) x.setAttribute('inputmode', on ? 'none' : 'decimal');
			if (!on) el.hidden = true;
		},
		attach(input, next) {
			target = input;
			onNext = next;
			el.hidden = !on;
		},
		detach(input) {
			setTimeout(() => {
				if (target === input && document.activeElement !== input) {
					target = null;
					el.hidden = true;
				}
			}, 150);
		},
	};
}

// ---------- duty ----------

async function dutyTab(ctx) {
	const { cp, body, refresh } = ctx;
	const canWrite = ctx.hasPerm('checkpoints.write');
	const isAdmin = ctx.hasPerm('checkpoints.admin');
	const panel = h('div.duty-panel');
	const shifts = h('div.shifts-box');
	const register = pagedTable({
		url: `/api/v1/checkpoints/${cp.id}/duty`,
		columns: [
			{ label: t('duty.person'), cell: (x) => h('strong', x.person_name) },
			{ label: t('duty.agency'), cell: (x) => agencyLabel(x.agency) },
			{ label: t('duty.team'), cell: (x) => x.team || '—' },
			{ label: t('duty.signed_in'), cell: (x) => h('span.nowrap', x.signed_in || fmtTime(x.signed_in_at)) },
			{ label: t('duty.signed_out'), cell: (x) => h('span.nowrap', x.signed_out || fmtTime(x.signed_out_at) || '—') },
			{ label: t('duty.status'), cell: (x) => statusTag(x.status) },
		],
		emptyText: t('duty.register_none'),
	});

	const pending = []; // sign-ins waiting in the offline queue
	async function drawPanel() {
		const on = cp.on_duty || [];
		const missing = cp.missing_sign_outs || [];
		const gaps = cp.gaps || [];
		const outBtn = (x, missingOne) => canWrite ? button(t(missingOne ? 'duty.sign_out_late' : 'duty.sign_out'), {
			class: 'btn btn-small' + (missingOne ? ' btn-danger' : ''), 'data-act': 'sign-out',
			onclick: async (e) => {
				e.currentTarget.disabled = true;
				try {
					const r = await send(`/api/v1/duty/${x.id}/sign-out`, { client_id: clientId() }, {
						kind: 'sign_out', label: t('duty.sign_out_label', { name: x.person_name }), scope: `checkpoint:${cp.id}`,
					});
					toast(r.sent ? t('duty.signed_out_ok', { name: x.person_name }) : t('duty.queued', { name: x.person_name }));
					if (r.sent) { await refresh(); register.reload(); }
					else { cp.on_duty = (cp.on_duty || []).filter((y) => y.id !== x.id); cp.missing_sign_outs = (cp.missing_sign_outs || []).filter((y) => y.id !== x.id); }
					drawPanel();
				} catch (err) {
					if (!err.handled) toast(errText(err), 'error');
					e.target.disabled = false;
				}
			},
		}) : null;
		panel.replaceChildren(...kids(
			h('section.card.duty-now',
				h('h2', t('duty.on_duty_now'), ' ', h('span.count', String(on.length + pending.length))),
				cp.current_shift
					? h('p.duty-shift', t('duty.current_shift', { team: cp.current_shift.team, from: cp.current_shift.from, to: cp.current_shift.to }))
					: h('p.alert.alert-warn', t('duty.no_shift')),
				on.length || pending.length ? h('ul.duty-list', on.map((x) => h('li', { dataset: { id: x.id } },
					h('div', h('strong', x.person_name), ' ', h('span.muted', agencyLabel(x.agency), x.team ? ' · ' + t('duty.team_x', { team: x.team }) : '')),
					h('div.muted', t('duty.since', { time: x.signed_in }), ' · ', t('duty.due', { time: fmtTime(x.due_at) })),
					outBtn(x, false))), pending.map((x) => h('li.queued',
					h('div', h('strong', x.person_name), ' ', h('span.muted', agencyLabel(x.agency))),
					h('span.tag.tag-warn', t('cp.queued_tag'))))) : h('p.muted', t('duty.nobody'))),
			missing.length ? h('section.card.duty-missing',
				h('h2', t('duty.missing'), ' ', h('span.count.count-danger', String(missing.length))),
				h('p.hint', t('duty.missing_hint')),
				h('ul.duty-list', missing.map((x) => h('li.missing', { dataset: { id: x.id } },
					h('div', h('strong', x.person_name), ' ', h('span.muted', agencyLabel(x.agency))),
					h('div', t('duty.since', { time: x.signed_in }), ' · ', h('strong.danger-text', t('duty.was_due', { time: fmtTime(x.due_at) }))),
					outBtn(x, true))))) : null,
			h('section.card.duty-gaps',
				h('h2', t('duty.gaps')),
				gaps.length ? h('ul.gap-list', gaps.map((g) => h('li', h('span.tag.tag-warn', t('duty.no_cover')), ' ', g.from_text, ' – ', g.to_text)))
					: h('p.ok-note', t('duty.covered'))),
			canWrite ? signInForm() : null));
	}

	function signInForm() {
		return h('section.card.duty-signin',
			h('h2', t('duty.sign_in')),
			form([
				h('div.grid2',
					field(t('duty.person'), input('person_name', { required: true, maxlength: 64, autocomplete: 'name' })),
					field(t('duty.agency'), select('agency', AGENCIES.map((a) => [a, agencyLabel(a)]), 'police'))),
				h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary', 'data-act': 'sign-in' }, t('duty.sign_in_submit'))),
			], async (f) => {
				const v = values(f);
				if (!v.person_name) return showError(f, { field: 'person_name' }, t('errors.required'));
				const b = { person_name: v.person_name, agency: v.agency, client_id: clientId() };
				const r = await send(`/api/v1/checkpoints/${cp.id}/duty`, b, {
					kind: 'duty', label: t('duty.sign_in_label', { name: v.person_name }), scope: `checkpoint:${cp.id}`,
				});
				f.elements.person_name.value = '';
				if (r.sent) {
					toast(t('duty.signed_in_ok', { name: v.person_name }));
					await refresh();
					register.reload();
				} else {
					toast(t('duty.queued', { name: v.person_name }));
					pending.push(b);
				}
				drawPanel();
				loadShifts();
			}, { 'aria-label': t('duty.sign_in') }));
	}

	async function loadShifts() {
		shifts.replaceChildren(loading());
		try {
			const res = await api('GET', `/api/v1/checkpoints/${cp.id}/shifts`);
			shifts.replaceChildren(shiftsTable(res.items || []));
		} catch (err) {
			if (!err.handled) shifts.replaceChildren(errorBox(err));
		}
	}

	const stop = onSettled(({ entry, dropped }) => {
		if (!panel.isConnected) { stop(); return; }
		if (entry.scope !== `checkpoint:${cp.id}`) return;
		const i = pending.findIndex((x) => x.client_id === entry.client_id);
		if (i >= 0) pending.splice(i, 1);
		if (!dropped) refresh().then(() => { drawPanel(); register.reload(); });
		else drawPanel();
	});
	disposers.push(stop);

	body.replaceChildren(
		h('div.duty-layout',
			panel,
			h('div.duty-roster',
				h('section.card',
					h('div.section-head', h('h2', t('roster.title')), exportLink(`/api/v1/checkpoints/${cp.id}/shifts`)),
					h('p.hint', t('roster.next_days')),
					shifts),
				isAdmin ? rosterForm(cp, () => { loadShifts(); refresh().then(drawPanel); }) : null)),
		h('section.card.duty-register',
			h('div.section-head', h('h2', t('duty.register')), exportLink(`/api/v1/checkpoints/${cp.id}/duty`)),
			register.el));
	drawPanel();
	loadShifts();
}

function statusTag(s) {
	const tone = { on_duty: 'ok', missing_sign_out: 'danger', signed_out: 'plain' }[s] || 'plain';
	return s ? h('span.tag.tag-' + tone, { dataset: { status: s } }, t('duty.status_' + s)) : '';
}

// Shifts by day: one row per day, the shifts in order with their team.
function shiftsTable(items) {
	if (!items.length) return empty(t('roster.none'));
	const days = new Map();
	for (const s of items) {
		if (!days.has(s.day)) days.set(s.day, []);
		days.get(s.day).push(s);
	}
	const nowSec = Date.now() / 1000;
	return h('table.table.responsive.shifts-table',
		h('thead', h('tr', h('th', t('roster.day')), h('th', t('roster.shifts')))),
		h('tbody', [...days.entries()].map(([day, list]) => h('tr',
			h('td', { 'data-label': t('roster.day') }, h('strong.nowrap', day)),
			h('td', { 'data-label': t('roster.shifts') }, h('div.shift-chips', list.map((s) => h('span.shift-chip', {
				class: s.starts_at <= nowSec && nowSec < s.ends_at ? 'current' : null, dataset: { team: s.team },
			}, h('strong', s.team), ' ', h('span', `${String(s.from).slice(11)}–${String(s.to).slice(11)}`),
			s.signed_in != null ? h('span.muted', ' · ', t('roster.signed_in_n', { n: s.signed_in })) : null))))))));
}

// Lays out 四班三运转 for N days: a preview of the teams, then the server's layout.
function rosterForm(cp, done) {
	const preview = h('div.roster-preview');
	const f = form([
		h('div.grid2',
			field(t('roster.from'), input('from', { type: 'date', value: today() })),
			field(t('roster.days'), input('days', { type: 'number', min: 1, max: 92, value: 7, inputmode: 'numeric' }))),
		h('div.grid2',
			field(t('roster.teams'), input('teams', { value: 'A,B,C,D', class: 'mono' }), t('roster.teams_hint')),
			field(t('roster.shift_hours'), select('shift_hours', [4, 6, 8, 12, 24].map((x) => [x, t('roster.hours_n', { n: x })]), 8))),
		preview,
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary', 'data-act': 'roster' }, t('roster.submit'))),
	], async (fm) => {
		const v = values(fm);
		const teams = parseTeams(v.teams);
		if (!v.from) return showError(fm, { field: 'from' }, t('errors.required'));
		const days = Number(v.days);
		if (!Number.isInteger(days) || days < 1 || days > 92) return showError(fm, { field: 'days' }, t('roster.days_range'));
		if (teams.length < 1 || teams.length > 8) return showError(fm, { field: 'teams' }, t('roster.teams_range'));
		const res = await api('POST', `/api/v1/checkpoints/${cp.id}/roster`, { from: v.from, days, teams, shift_hours: Number(v.shift_hours) });
		toast(t('roster.done', { created: res.created ?? 0, kept: res.kept ?? 0 }));
		done();
	}, { 'aria-label': t('roster.title') });
	const draw = () => {
		const v = values(f);
		preview.replaceChildren(rosterPreview(v.from, Math.min(Number(v.days) || 0, 7), parseTeams(v.teams), Number(v.shift_hours) || 8));
	};
	f.addEventListener('input', draw);
	f.addEventListener('change', draw);
	draw();
	return h('section.card.roster-card', h('h2', t('roster.lay_out')), h('p.hint', t('roster.intro')), f);
}

function parseTeams(s) {
	return String(s || '').split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);
}

// The first days of a layout: shift i of the roster goes to team i mod teams.
export function rosterPreview(from, days, teams, hours) {
	if (!from || !days || !teams.length || !hours) return '';
	const per = Math.floor(24 / hours);
	const rows = [];
	const start = new Date(from + 'T00:00:00');
	for (let dd = 0; dd < days; dd++) {
		const day = new Date(start.getTime() + dd * 86400000);
		const label = `${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
		const cells = [];
		for (let s = 0; s < per; s++) cells.push(teams[(dd * per + s) % teams.length]);
		rows.push(h('tr', h('th', label), cells.map((x) => h('td', h('span.team-chip', { dataset: { team: x } }, x)))));
	}
	return h('div.table-wrap', h('table.table.roster-grid',
		h('thead', h('tr', h('th', t('roster.day')), Array.from({ length: per }, (_, s) => h('th', `${String(s * hours).padStart(2, '0')}:00`)))),
		h('tbody', rows)));
}

// ---------- records ----------

function recordsTab(ctx) {
	const { cp, body } = ctx;
	const q = ctx.query;
	const f = { day: q.day || '', plate: q.plate || '' };
	const rail = cp.kind === 'rail';
	const url = () => `/api/v1/checkpoints/${cp.id}/${rail ? 'trains' : 'vehicles'}` + qs(rail ? { day: f.day } : f);
	const columns = rail ? [
		{ label: t('cp.at'), cell: (x) => h('span.nowrap', x.time || fmtTime(x.at)) },
		{ label: t('cp.train_no'), cell: (x) => h('strong.mono', x.train_no) },
		{ label: t('cp.arrival_at'), cell: (x) => h('span.nowrap', x.arrival_time || fmtTime(x.arrival_at)) },
		{ label: t('cp.persons'), class: 'num', cell: (x) => num(x.persons) },
		{ label: t('cp.flagged'), class: 'num', cell: (x) => num(x.flagged) },
	] : [
		{ label: t('cp.at'), cell: (x) => h('span.nowrap', x.time || fmtTime(x.at)) },
		{ label: t('cp.plate'), cell: (x) => h('strong.mono', x.plate) },
		{ label: t('cp.direction'), cell: (x) => t('cp.dir_' + x.direction) },
		{ label: t('cp.origin'), cell: (x) => x.origin_name || x.origin_code || '' },
		{ label: t('cp.destination'), cell: (x) => x.destination_unit_name || x.destination || '' },
		{ label: t('cp.occupants'), class: 'num', cell: (x) => num(x.occupants) },
		{ label: t('counts.fevers'), class: 'num', cell: (x) => (x.fevers ? h('span.tag.tag-danger', num(x.fevers)) : '0') },
		{ label: t('counts.registered'), class: 'num', cell: (x) => (x.registered ? h('span.tag.tag-warn', num(x.registered)) : '0') },
	];
	const list = pagedTable({ url, columns, emptyText: t('cp.records_none'), rowAttrs: (x) => ({ dataset: { id: x.id } }) });
	const expBox = h('span.export-box', exportLink(url()));
	const dayIn = input('day', { type: 'date', value: f.day, 'aria-label': t('cp.day') });
	const plateIn = rail ? null : input('plate', { type: 'search', value: f.plate, placeholder: t('cp.plate_filter'), class: 'mono' });
	const apply = () => {
		f.day = dayIn.value;
		if (plateIn) f.plate = normPlate(plateIn.value);
		ctx.setQuery(f);
		expBox.replaceChildren(exportLink(url()));
		list.reload();
	};
	dayIn.addEventListener('change', apply);
	if (plateIn) plateIn.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); apply(); } });
	body.replaceChildren(...kids(
		h('div.search-bar.filters', h('span.filter-label', t('common.filter')), dayIn, plateIn, button(t('common.search'), { class: 'btn', onclick: apply }), expBox),
		list.el));
}

// ---------- counts (the bulletin's checkpoint figures) ----------

async function renderCounts(ctx) {
	const q = ctx.query;
	const f = { from: q.from || '', to: q.to || '', checkpoint_id: q.checkpoint_id || '' };
	const url = () => '/api/v1/checkpoints/counts' + qs(f);
	const box = h('div.counts-box', loading());
	const fromIn = input('from', { type: 'date', value: f.from, 'aria-label': t('counts.from') });
	const toIn = input('to', { type: 'date', value: f.to, 'aria-label': t('counts.to') });
	let cps = [];
	try {
		cps = (await api('GET', '/api/v1/checkpoints' + qs({ limit: 500 }))).items || [];
	} catch (err) {
		if (err.handled) return;
	}
	const cpSel = select('checkpoint_id', [['', t('counts.all_checkpoints')], ...cps.map((c) => [c.id, `${c.code} ${c.name}`])], f.checkpoint_id);
	const expBox = h('span.export-box');
	async function load() {
		ctx.setQuery(f);
		expBox.replaceChildren(exportLink(url()));
		box.replaceChildren(loading());
		try {
			const res = await api('GET', url());
			box.replaceChildren(countsView(res));
		} catch (err) {
			if (!err.handled) box.replaceChildren(errorBox(err));
		}
	}
	const apply = () => { f.from = fromIn.value; f.to = toIn.value; f.checkpoint_id = cpSel.value; load(); };
	for (const x of [fromIn, toIn, cpSel]) x.addEventListener('change', apply);
	ctx.root.replaceChildren(
		h('a.back-link.show', { href: '#/checkpoints' }, '← ', t('cp.back')),
		h('div.page-head', h('h1', t('counts.title')), h('div.page-actions', expBox)),
		h('div.search-bar.filters',
			h('span.filter-label', t('counts.period')), fromIn, h('span', '–'), toIn, cpSel,
			button(t('common.clear'), { class: 'btn', onclick: () => { fromIn.value = ''; toIn.value = ''; cpSel.value = ''; apply(); } })),
		box);
	load();
}

function countsView(res) {
	const road = res.road || {};
	const rail = res.rail || {};
	const total = res.total || {};
	const stats = h('div.stats.counts-stats',
		stat(t('counts.road_vehicles'), num(road.vehicles ?? 0)),
		stat(t('counts.road_person_trips'), num(road.person_trips ?? 0)),
		stat(t('counts.rail_trains'), num(rail.trains ?? 0)),
		stat(t('counts.rail_person_trips'), num(rail.person_trips ?? 0)),
		stat(t('counts.fevers'), num(total.fevers ?? 0), total.fevers ? 'danger' : null),
		stat(t('counts.referrals'), num(total.referrals ?? 0), total.referrals ? 'danger' : null),
		stat(t('counts.registered'), num(total.registered ?? 0), total.registered ? 'warn' : null));
	const keys = ['road_vehicles', 'road_person_trips', 'rail_trains', 'rail_person_trips', 'fevers', 'referrals', 'registered'];
	keys.forEach((k, i) => { stats.children[i].dataset.count = k; });
	const cols = ['vehicles', 'person_trips', 'trains', 'fevers', 'referrals', 'registered'];
	const figures = (x) => cols.map((c) => h('td.num', { 'data-label': t('counts.' + c), dataset: { col: c } }, x[c] ? num(x[c]) : h('span.zero', '0')));
	const perCp = h('table.table.responsive.counts-table',
		h('thead', h('tr', h('th', t('counts.checkpoint')), cols.map((c) => h('th.num', t('counts.' + c))))),
		h('tbody',
			(res.checkpoints || []).map((x) => h('tr', { dataset: { checkpoint: x.checkpoint_id } },
				h('td', { 'data-label': t('counts.checkpoint') }, h('a', { href: `#/checkpoints/${x.checkpoint_id}/records` }, x.name), ' ', kindTag(x.kind)),
				figures(x))),
			[['road', road], ['rail', rail]].map(([k, x]) => h('tr.total-row', { dataset: { total: k } },
				h('td', { 'data-label': t('counts.checkpoint') }, h('strong', t('counts.total_' + k, { n: x.checkpoints ?? 0 }))), figures(x))),
			h('tr.total-row', { dataset: { total: 'all' } }, h('td', { 'data-label': t('counts.checkpoint') }, h('strong', t('counts.total'))), figures(total))));
	const items = res.items || [];
	const perDay = items.length ? h('table.table.responsive.counts-table.per-day',
		h('thead', h('tr', h('th', t('counts.day')), h('th', t('counts.checkpoint')), cols.map((c) => h('th.num', t('counts.' + c))))),
		h('tbody', items.map((x) => h('tr', { dataset: { day: x.day, checkpoint: x.checkpoint_id } },
			h('td', { 'data-label': t('counts.day') }, h('span.nowrap', x.day)),
			h('td', { 'data-label': t('counts.checkpoint') }, x.name, ' ', kindTag(x.kind)),
			figures(x))))) : empty(t('counts.none'));
	return h('div',
		stats,
		items.length ? trafficChart(items) : null,
		h('section.card', h('h2', t('counts.by_checkpoint')), h('div.table-wrap', perCp)),
		h('section.card#counts-by-day', h('h2', t('counts.by_day')), h('div.table-wrap', perDay)));
}

// Traffic per day over the checkpoints shown: vehicles and person trips on
// the road, trains and person trips at the station, referrals; the daily
// table below is one click away.
function trafficChart(items) {
	const byDay = new Map();
	for (const x of items) {
		const d = byDay.get(x.day) || { vehicles: 0, road_trips: 0, trains: 0, rail_trips: 0, referrals: 0 };
		if (x.kind === 'rail') { d.trains += x.trains || 0; d.rail_trips += x.person_trips || 0; }
		else { d.vehicles += x.vehicles || 0; d.road_trips += x.person_trips || 0; }
		d.referrals += x.referrals || 0;
		byDay.set(x.day, d);
	}
	const days = [...byDay.keys()].sort();
	const series = [
		['vehicles', 'counts.road_vehicles', 'bar'], ['road_trips', 'counts.road_person_trips', 'line'],
		['trains', 'counts.rail_trains', 'bar'], ['rail_trips', 'counts.rail_person_trips', 'line'],
		['referrals', 'counts.referrals', 'line'],
	].map(([k, label, type]) => ({ name: t(label), type, data: days.map((d) => byDay.get(d)[k]), yAxisIndex: k === 'trains' || k === 'referrals' ? 1 : 0 }));
	const box = h('div.chart-box', { style: 'width:100%;height:320px', role: 'img', 'aria-label': t('counts.chart_title') });
	drawChart(box, {
		tooltip: { trigger: 'axis' },
		legend: { top: 0 },
		grid: { left: 56, right: 48, top: 48, bottom: 56 },
		xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
		yAxis: [{ type: 'value' }, { type: 'value', splitLine: { show: false } }],
		dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
		series,
	});
	return h('section.card.counts-chart',
		h('div.card-head', h('h2', t('counts.chart_title')),
			h('a.btn', { href: '#counts-by-day', 'data-act': 'show-table', onclick: (e) => { e.preventDefault(); document.getElementById('counts-by-day')?.scrollIntoView(); } }, t('counts.show_table'))),
		box);
}
