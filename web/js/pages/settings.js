// 设置: the rule settings (GET /api/v1/settings) with value, default and
// range; changed values are saved together (PATCH /api/v1/settings).
import { api, showError } from '../api.js';
import { t, has } from '../i18n.js';
import { h, empty, errorBox, field, form, toast, button } from '../dom.js';

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
	ctx.root.replaceChildren(head, h('p.hint', t('settings.intro')), f);
}
