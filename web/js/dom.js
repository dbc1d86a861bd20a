// Small DOM helpers shared by every page: an element builder, form fields,
// loading and empty states, a confirmation dialog, a paged table with
// "load more", a unit picker that searches /api/v1/units?q=, and a general
// search picker for other lists (divisions, persons, households).
import { t } from './i18n.js';
import { api, showError, clearErrors, errText } from './api.js';

// h('div.card#id', {attrs}, children...) builds an element. attrs: `on*`
// functions become listeners, `class`, `text`, `html` is never used (no
// innerHTML with data), booleans set/omit the attribute, `dataset` object.
export function h(sel, attrs, ...children) {
	if (attrs == null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
		if (attrs != null) children.unshift(attrs);
		attrs = {};
	}
	const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(sel);
	const el = document.createElement((m && m[1]) || 'div');
	if (m && m[2]) {
		for (const part of m[2].match(/[.#][\w-]+/g)) {
			if (part[0] === '.') el.classList.add(part.slice(1));
			else el.id = part.slice(1);
		}
	}
	for (const [k, v] of Object.entries(attrs)) {
		if (v == null || v === false) continue;
		if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
		else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
		else if (k === 'text') el.textContent = v;
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else if (k === 'value') el.value = v;
		else if (k === 'checked') el.checked = !!v;
		else if (v === true) el.setAttribute(k, '');
		else el.setAttribute(k, String(v));
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c == null || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

export function loading() {
	return h('div.loading', { role: 'status', 'aria-live': 'polite' }, h('span.spinner', { 'aria-hidden': 'true' }), t('common.loading'));
}

export function empty(text) {
	return h('div.empty', text || t('common.empty'));
}

export function errorBox(err) {
	return h('div.alert.alert-error', { role: 'alert' }, errText(err));
}

// A labelled form field. ctl is a control or an element holding one (the
// label points at the first visible control); the error for its name is
// shown in the .field-error below it.
export function field(label, ctl, hint) {
	const target = /^(INPUT|SELECT|TEXTAREA)$/.test(ctl.tagName) ? ctl : ctl.querySelector('input:not([type=hidden]), select, textarea');
	if (target && !target.id) target.id = 'f-' + (target.name || 'x') + '-' + (++fieldSeq);
	return h('div.field',
		h('label', { for: target ? target.id : null }, label),
		ctl,
		hint ? h('small.hint', hint) : null,
		h('small.field-error', { 'aria-live': 'polite' }));
}
let fieldSeq = 0;

export function input(name, attrs = {}) {
	return h('input', { name, type: 'text', ...attrs });
}

export function select(name, options, value, attrs = {}) {
	const s = h('select', { name, ...attrs },
		options.map(([v, label]) => h('option', { value: v }, label)));
	if (value != null) s.value = String(value);
	return s;
}

export function button(label, attrs = {}) {
	return h('button', { type: 'button', class: 'btn', ...attrs }, label);
}

// A form with a form-level error box and a submit handler that disables the
// submit button while the promise runs and shows API errors beside fields.
export function form(children, onSubmit, attrs = {}) {
	const f = h('form', { class: 'form', novalidate: true, ...attrs },
		h('div.form-error.alert.alert-error', { role: 'alert', hidden: true }),
		children);
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(f);
		const btns = f.querySelectorAll('button[type=submit]');
		btns.forEach((b) => (b.disabled = true));
		try {
			await onSubmit(f, ev);
		} catch (err) {
			if (err && err.handled) return;
			showError(f, err);
		} finally {
			btns.forEach((b) => (b.disabled = false));
		}
	});
	return f;
}

// Values of a form's named controls as an object of strings (checkboxes: booleans).
export function values(f) {
	const out = {};
	for (const el of f.elements) {
		if (!el.name) continue;
		out[el.name] = el.type === 'checkbox' ? el.checked : el.value.trim();
	}
	return out;
}

// A modal confirmation; resolves true on confirm.
export function confirmDialog(message, { okLabel, danger = true } = {}) {
	return new Promise((resolve) => {
		const dlg = h('dialog.dialog', { 'aria-modal': 'true' },
			h('p.dialog-msg', message),
			h('div.dialog-actions',
				button(t('common.cancel'), { class: 'btn', 'data-act': 'cancel', onclick: () => close(false) }),
				button(okLabel || t('common.confirm'), { class: danger ? 'btn btn-danger' : 'btn btn-primary', 'data-act': 'ok', onclick: () => close(true) })));
		function close(v) {
			if (dlg.open) dlg.close();
			dlg.remove();
			resolve(v);
		}
		dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(false); });
		document.body.append(dlg);
		if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
		dlg.querySelector('[data-act=ok]').focus();
	});
}

// A toast message at the bottom of the screen.
export function toast(text, kind = 'ok') {
	let box = document.getElementById('toasts');
	if (!box) document.body.append((box = h('div#toasts', { 'aria-live': 'polite' })));
	const el = h('div.toast.toast-' + kind, text);
	box.append(el);
	setTimeout(() => el.remove(), 4000);
}

// Query string from an object, skipping empty values.
export function qs(obj) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(obj)) if (v != null && v !== '') p.set(k, v);
	const s = p.toString();
	return s ? '?' + s : '';
}

// A paged list: columns [{label, cell(item) -> node|string, class}], the
// base URL (with filters), and an optional row hook. Renders a table that
// collapses into cards on phones, "load more" with the next cursor, the
// empty state and the loading indicator. Returns {el, reload()}.
export function pagedTable({ url, columns, limit = 50, emptyText, rowAttrs }) {
	const tbody = h('tbody');
	const table = h('table.table.responsive',
		h('thead', h('tr', columns.map((c) => h('th', { class: c.class }, c.label)))),
		tbody);
	const status = h('div.list-status');
	const more = button(t('common.load_more'), { class: 'btn btn-more', hidden: true });
	const el = h('div.paged', table, status, more);
	let next = null;
	let seq = 0;

	async function load(reset) {
		const my = ++seq;
		if (reset) { tbody.replaceChildren(); next = null; }
		more.hidden = true;
		status.replaceChildren(loading());
		const u = typeof url === 'function' ? url() : url;
		const sep = u.includes('?') ? '&' : '?';
		try {
			const res = await api('GET', `${u}${sep}limit=${limit}${next ? '&after=' + encodeURIComponent(next) : ''}`);
			if (my !== seq) return;
			for (const it of res.items || []) {
				tbody.append(h('tr', rowAttrs ? rowAttrs(it) : {},
					columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(it)))));
			}
			next = res.next || null;
			status.replaceChildren();
			if (!tbody.children.length) status.append(empty(emptyText));
			table.hidden = !tbody.children.length;
			more.hidden = !next;
		} catch (err) {
			if (my !== seq) return;
			status.replaceChildren(errorBox(err));
		}
	}
	more.addEventListener('click', () => load(false));
	load(true);
	return { el, reload: () => load(true) };
}

// A unit picker: a search box that lists matching units (GET
// /api/v1/units?q=) and keeps the chosen id in a hidden input named `name`.
export function unitPicker(name, initial, { onPick } = {}) {
	const hidden = h('input', { type: 'hidden', name, value: initial ? initial.id : '' });
	const search = h('input', {
		type: 'search', class: 'picker-q', autocomplete: 'off',
		placeholder: t('picker.placeholder'), 'aria-label': t('picker.placeholder'),
	});
	const chosen = h('div.picker-chosen', initial ? pickedLabel(initial) : t('picker.none'));
	const list = h('ul.picker-list', { role: 'listbox', hidden: true });
	const wrap = h('div.picker', chosen, search, list, hidden);
	let timer = null;
	let seq = 0;
	search.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(run, 250);
	});
	search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } });
	async function run() {
		const q = search.value.trim();
		const my = ++seq;
		if (!q) { list.hidden = true; return; }
		list.hidden = false;
		list.replaceChildren(h('li.picker-info', t('common.loading')));
		try {
			const res = await api('GET', '/api/v1/units' + qs({ q, limit: 20 }));
			if (my !== seq) return;
			list.replaceChildren();
			for (const u of res.items || []) {
				list.append(h('li', { role: 'option' },
					h('button', { type: 'button', class: 'picker-opt', onclick: () => pick(u) },
						h('span.badge', t('kinds.' + u.kind)), ' ', u.name, h('span.muted', ' ' + u.code))));
			}
			if (!list.children.length) list.append(h('li.picker-info', t('common.empty')));
		} catch (err) {
			if (my === seq) list.replaceChildren(h('li.picker-info', errText(err)));
		}
	}
	function pick(u) {
		hidden.value = u.id;
		chosen.replaceChildren(pickedLabel(u));
		search.value = '';
		list.hidden = true;
		if (onPick) onPick(u);
	}
	wrap.pick = pick;
	return wrap;
}

// A search picker over any list: a search box whose matches (GET url(q))
// are listed as buttons; the chosen item's value(item) is kept in a hidden
// input named `name`. label(item) renders an option and the chosen item.
// opts: {initial, placeholder, none, onPick, limit}. The element has pick(item)
// and clear().
export function searchPicker(name, { url, label, value = (it) => it.id, initial = null, placeholder, none, onPick, limit = 20 }) {
	const hidden = h('input', { type: 'hidden', name, value: initial ? value(initial) : '' });
	const search = h('input', {
		type: 'search', class: 'picker-q', autocomplete: 'off', placeholder: placeholder || '', 'aria-label': placeholder || name,
	});
	const noneText = none || t('common.none');
	const chosen = h('div.picker-chosen', initial ? label(initial) : noneText);
	const list = h('ul.picker-list', { role: 'listbox', hidden: true });
	const wrap = h('div.picker', chosen, search, list, hidden);
	let timer = null;
	let seq = 0;
	search.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(run, 250);
	});
	search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } });
	async function run() {
		const q = search.value.trim();
		const my = ++seq;
		if (!q) { list.hidden = true; return; }
		list.hidden = false;
		list.replaceChildren(h('li.picker-info', t('common.loading')));
		try {
			const u = url(q);
			const res = await api('GET', u + (u.includes('?') ? '&' : '?') + 'limit=' + limit);
			if (my !== seq) return;
			list.replaceChildren();
			for (const it of res.items || []) {
				list.append(h('li', { role: 'option' },
					h('button', { type: 'button', class: 'picker-opt', onclick: () => pick(it) }, label(it))));
			}
			if (!list.children.length) list.append(h('li.picker-info', t('common.empty')));
		} catch (err) {
			if (my === seq) list.replaceChildren(h('li.picker-info', errText(err)));
		}
	}
	function pick(it) {
		hidden.value = value(it);
		chosen.replaceChildren(label(it));
		search.value = '';
		list.hidden = true;
		if (onPick) onPick(it);
	}
	wrap.pick = pick;
	wrap.clear = () => { hidden.value = ''; chosen.replaceChildren(noneText); search.value = ''; list.hidden = true; };
	return wrap;
}

// A figure with its label (the stats row at the top of a page).
export function stat(label, n, kind) {
	return h('div.stat' + (kind ? '.stat-' + kind : ''), h('div.stat-n', n == null ? '—' : String(n)), h('div.stat-label', label));
}

// Tab links (each an <a> to its own URL); the current one is marked.
export function tabLinks(items, current) {
	return h('nav.tabs', { 'aria-label': t('common.tabs') },
		items.map(([key, href, label]) => h('a', {
			href, class: 'tab' + (key === current ? ' active' : ''), 'aria-current': key === current ? 'page' : null, dataset: { tab: key },
		}, label)));
}

function pickedLabel(u) {
	return h('span', u.kind ? h('span.badge', t('kinds.' + u.kind)) : null, ' ', u.name);
}

// Times are shown in the district's local time (the server's zone, told by
// /healthz at start; Asia/Shanghai until then), whatever the browser's zone:
// a duty gap from the server and a time from the browser must agree.
let districtOffset = 8 * 3600;
export function setDistrictOffset(s) {
	if (Number.isFinite(s)) districtOffset = s;
}
// 'YYYY-MM-DD HH:MM' of Unix seconds in the district.
export function fmtTime(sec) {
	if (sec == null || sec === '') return '';
	return new Date((Number(sec) + districtOffset) * 1000).toISOString().slice(0, 16).replace('T', ' ');
}
// Unix seconds of a district 'YYYY-MM-DDTHH:MM' (a datetime-local input).
export function districtSeconds(local) {
	return Math.floor(Date.parse(local + ':00Z') / 1000) - districtOffset;
}
// The district's 'YYYY-MM-DD' today (or of Unix seconds).
export function districtDay(sec = Date.now() / 1000) {
	return new Date((Math.floor(sec) + districtOffset) * 1000).toISOString().slice(0, 10);
}
// The district's 'HH:MM' (or 'HH:MM:SS') of Unix seconds.
export function districtClock(sec = Date.now() / 1000, seconds = false) {
	return new Date((Math.floor(sec) + districtOffset) * 1000).toISOString().slice(11, seconds ? 19 : 16);
}

// An export link for a list URL (adds format=xlsx).
export function exportLink(url, label) {
	const sep = url.includes('?') ? '&' : '?';
	return h('a.btn.btn-export', { href: `${url}${sep}format=xlsx`, download: true }, label || t('common.export_xlsx'));
}

// Page header with title and optional actions.
export function pageHead(title, ...actions) {
	return h('div.page-head', h('h1', title), h('div.page-actions', actions));
}

export function section(title, ...children) {
	return h('section.card', title ? h('h2', title) : null, children);
}

// A collapsible block (details/summary) for forms that are not always needed.
export function disclosure(title, content, open = false) {
	return h('details.disclosure', { open }, h('summary', title), h('div.disclosure-body', content));
}

export { clearErrors, errText };
