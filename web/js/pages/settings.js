// 设置: the rule settings (GET /api/v1/settings) with value, default and
// range; changed values are saved together (PATCH /api/v1/settings). Below
// them the pass signing keys (GET /api/v1/pass-keys) and their rotation
// after a confirmation (POST /api/v1/pass-keys/rotate): both need
// settings.admin, as this page does.
import { api, showError } from '../api.js';
import { t, has } from '../i18n.js';
import { h, empty, errorBox, field, form, toast, button, loading, confirmDialog, fmtTime, exportLink } from '../dom.js';

export async function render(ctx) {
	let res;
	try {
		res = await api('GET', '/api/v1/settings');
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(h('div.page-head', h('h1', t('nav.settings'))), errorBox(err));
		return;
	}
	const items = res.items || [];
	const head = h('div.page-head', h('h1', t('nav.settings')));
	if (!items.length) {
		ctx.root.replaceChildren(head, empty());
		return;
	}
	const rows = items.map((s) => {
		const inp = h('input', {
			type: 'number', name: s.key, value: s.value, step: 1,
			min: s.min != null ? s.min : null, max: s.max != null ? s.max : null, inputmode: 'numeric',
			dataset: { orig: String(s.value) },
		});
		const label = has('settings.key.' + s.key) ? t('settings.key.' + s.key) : s.key;
		const desc = has('settings.desc.' + s.key) ? t('settings.desc.' + s.key) : (s.description || null);
		return h('div.setting.card',
			field(label, inp, desc),
			h('div.setting-meta',
				h('span', t('settings.key'), ': ', h('code', s.key)),
				h('span', t('settings.default'), ': ', h('strong', String(s.default))),
				h('span', t('settings.range'), ': ', `${s.min ?? '−∞'} … ${s.max ?? '∞'}`),
				button(t('settings.reset_default'), { class: 'btn btn-small', onclick: () => { inp.value = s.default; } })));
	});
	const f = form([
		h('div.settings-list', rows),
		h('div.form-actions.sticky-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (f) => {
		const body = {};
		for (const s of items) {
			const el = f.elements[s.key];
			const raw = el.value.trim();
			if (raw === el.dataset.orig) continue;
			if (!/^-?\d+$/.test(raw)) return showError(f, { field: s.key }, t('settings.integer'));
			const n = Number(raw);
			if ((s.min != null && n < s.min) || (s.max != null && n > s.max)) return showError(f, { field: s.key }, t('settings.out_of_range', { min: s.min, max: s.max }));
			body[s.key] = n;
		}
		if (!Object.keys(body).length) { toast(t('common.no_changes')); return; }
		await api('PATCH', '/api/v1/settings', body);
		toast(t('common.saved'));
		render(ctx);
	});
	ctx.root.replaceChildren(head, h('p.hint', t('settings.intro')), f, passKeys());
}

// The signing keys of passes: which one signs, which retired ones still
// verify passes (how many, until when), and the rotation. A rotation is not
// destructive (old passes keep working) but it changes what every gate
// trusts from now on, so it is confirmed first and its answer shown.
function passKeys() {
	const list = h('div.pass-keys-list', loading());
	const result = h('div.pass-keys-result', { 'aria-live': 'polite' });
	const rotate = button(t('passkeys.rotate'), { class: 'btn btn-primary', 'data-act': 'rotate-key' });
	async function load() {
		try {
			const res = await api('GET', '/api/v1/pass-keys');
			list.replaceChildren(keysTable(res.items || []));
		} catch (err) {
			if (!err.handled) list.replaceChildren(errorBox(err));
		}
	}
	rotate.addEventListener('click', async () => {
		if (!(await confirmDialog(t('passkeys.rotate_q'), { okLabel: t('passkeys.rotate'), danger: false }))) return;
		rotate.disabled = true;
		try {
			const r = await api('POST', '/api/v1/pass-keys/rotate', {});
			result.replaceChildren(h('div.alert.alert-ok', { role: 'status', dataset: { kid: r.kid } },
				t('passkeys.rotated', { kid: r.kid, n: r.retired ?? 0 })));
			toast(t('passkeys.rotated_short', { kid: r.kid }));
			await load();
		} catch (err) {
			if (!err.handled) result.replaceChildren(errorBox(err));
		} finally {
			rotate.disabled = false;
		}
	});
	load();
	return h('section.card.pass-keys',
		h('div.section-head', h('h2', t('passkeys.title')),
			h('div.page-actions', exportLink('/api/v1/pass-keys'), rotate)),
		h('p.hint', t('passkeys.intro')),
		result,
		list);
}

function keysTable(items) {
	if (!items.length) return empty(t('passkeys.none'));
	const cols = ['passkeys.kid', 'passkeys.created_at', 'passkeys.status', 'passkeys.active_passes', 'passkeys.verifies_until'];
	return h('table.table.responsive.pass-keys-table',
		h('thead', h('tr', cols.map((k, i) => h('th', { class: i === 3 ? 'num' : null }, t(k))))),
		h('tbody', items.map((k) => h('tr', { dataset: { kid: k.kid, signing: k.signing ? '1' : '0' } },
			h('td', { 'data-label': t(cols[0]) }, h('span.mono', k.kid)),
			h('td', { 'data-label': t(cols[1]) }, h('span.nowrap', fmtTime(k.created_at))),
			h('td', { 'data-label': t(cols[2]) }, k.signing
				? h('span.tag.tag-ok', t('passkeys.signing'))
				: h('span.tag.tag-plain', k.retired_at ? t('passkeys.retired_at', { time: fmtTime(k.retired_at) }) : t('passkeys.unused'))),
			h('td.num', { 'data-label': t(cols[3]) }, String(k.active_passes ?? 0)),
			h('td', { 'data-label': t(cols[4]) }, k.valid_until ? h('span.nowrap', k.valid_until) : '—')))));
}
