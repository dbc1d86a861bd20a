// 志愿者: volunteers. #/volunteers lists them (search, party members) with
// their hours and registers a new one (phone checked by the server);
// #/volunteers/ID is one volunteer: where they serve (a compound, a gate,
// an epidemic point or a service), the shifts they served with the hours,
// and, for an admin, an account for the field pages. #/volunteers?tab=hours
// sums the hours per unit or per volunteer over a period. Lists export to
// xlsx.
import { api } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, toast, confirmDialog,
	tabLinks, pageHead, section, disclosure, districtDay, unitPicker, stat, errorBox, loading,
	empty, fmtTime,
} from '../dom.js';

const TABS = ['list', 'hours'];
const POSTS = ['compound', 'gate', 'epidemic_point', 'service'];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const hours = (min) => (Math.round((min / 60) * 10) / 10).toString();

export async function render(ctx) {
	if (ctx.params[0]) return renderOne(ctx, Number(ctx.params[0]));
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'list';
	const body = h('div.tab-body');
	ctx.root.replaceChildren(pageHead(t('nav.volunteers')),
		tabLinks(TABS.map((k) => [k, k === 'list' ? '#/volunteers' : `#/volunteers?tab=${k}`, t('vol.tab_' + k)]), tab), body);
	body.replaceChildren(tab === 'hours' ? hoursTab(ctx) : listTab(ctx));
}

export function update(ctx) {
	return render(ctx);
}

function listTab(ctx) {
	let q = ctx.query.q || '';
	let party = ['0', '1'].includes(ctx.query.party_member) ? ctx.query.party_member : '';
	const url = () => '/api/v1/volunteers' + qs({ q, party_member: party });
	const list = pagedTable({
		url,
		emptyText: t('vol.none'),
		columns: [
			{ label: t('vol.name'), cell: (v) => h('a', { href: `#/volunteers/${v.id}` }, v.name) },
			{ label: t('vol.phone'), cell: (v) => v.phone || '' },
			{ label: t('vol.unit'), cell: (v) => v.unit_name },
			{ label: t('vol.skills'), cell: (v) => v.skills || '' },
			{ label: t('vol.party_member'), cell: (v) => (v.party_member ? h('span.tag', t('vol.party')) : '') },
			{ label: t('vol.posts'), cell: (v) => String(v.posts) },
			{ label: t('vol.hours'), cell: (v) => `${v.hours} h · ${t('vol.shifts_n', { n: v.shifts })}` },
		],
	});
	const exp = exportLink(url());
	const search = input('q', { type: 'search', value: q, placeholder: t('vol.search') });
	const partySel = select('party_member', [['', t('vol.anyone')], ['1', t('vol.party')], ['0', t('vol.not_party')]], party);
	let timer = null;
	const changed = () => {
		q = search.value.trim();
		party = partySel.value;
		ctx.setQuery({ q, party_member: party });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	};
	search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(changed, 300); });
	partySel.addEventListener('change', changed);
	const reg = ctx.hasPerm('volunteers.write') ? disclosure(t('vol.register'), form([
		field(t('vol.unit'), unitPicker('unit_id')),
		field(t('vol.name'), input('name', { required: true })),
		field(t('vol.phone'), input('phone', { inputmode: 'tel', required: true })),
		field(t('vol.skills'), input('skills', { placeholder: t('vol.skills_hint') })),
		h('label.check', h('input', { type: 'checkbox', name: 'party_member' }), ' ', t('vol.party_member')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('vol.register'))),
	], async (fm) => {
		const v = values(fm);
		const b = { unit_id: Number(v.unit_id) || 0, name: v.name, phone: v.phone, party_member: v.party_member };
		if (v.skills) b.skills = v.skills;
		const made = await api('POST', '/api/v1/volunteers', b);
		toast(t('common.added'));
		ctx.go(`#/volunteers/${made.id}`);
	}, { class: 'form volunteer-form' })) : null;
	return h('div', reg,
		h('div.section-head', h('h2', t('vol.tab_list')), exp),
		h('div.filters', field(t('common.search'), search), field(t('vol.party_member'), partySel)),
		list.el);
}

function hoursTab(ctx) {
	const today = districtDay();
	let from = DAY_RE.test(ctx.query.from || '') ? ctx.query.from : today.slice(0, 8) + '01';
	let to = DAY_RE.test(ctx.query.to || '') ? ctx.query.to : today;
	let by = ctx.query.by === 'volunteer' ? 'volunteer' : 'unit';
	const url = () => '/api/v1/volunteers/hours' + qs({ from, to, by });
	const box = h('div', loading());
	const exp = exportLink(url());
	async function draw() {
		box.replaceChildren(loading());
		try {
			const r = await api('GET', url());
			box.replaceChildren(h('div.stats.summary', stat(t('vol.hours_total'), r.hours)),
				r.items.length ? h('div.table-wrap', h('table.table.responsive',
					h('thead', h('tr', h('th', t(by === 'unit' ? 'vol.unit' : 'vol.name')), h('th', t('vol.volunteers')), h('th', t('vol.shifts')), h('th', t('vol.hours')))),
					h('tbody', r.items.map((x) => h('tr',
						h('td', { 'data-label': t(by === 'unit' ? 'vol.unit' : 'vol.name') }, by === 'volunteer' ? h('a', { href: `#/volunteers/${x.id}` }, x.name) : x.name),
						h('td', { 'data-label': t('vol.volunteers') }, String(x.volunteers)),
						h('td', { 'data-label': t('vol.shifts') }, String(x.shifts)),
						h('td', { 'data-label': t('vol.hours') }, String(x.hours)))))))
					: empty(t('vol.no_hours')));
		} catch (err) {
			if (!err.handled) box.replaceChildren(errorBox(err));
		}
	}
	const fromIn = input('from', { type: 'date', value: from });
	const toIn = input('to', { type: 'date', value: to });
	const bySel = select('by', [['unit', t('vol.by_unit')], ['volunteer', t('vol.by_volunteer')]], by);
	const changed = () => {
		from = fromIn.value || from;
		to = toIn.value || to;
		by = bySel.value;
		ctx.setQuery({ tab: 'hours', from, to, by });
		exp.href = url() + '&format=xlsx';
		draw();
	};
	for (const el of [fromIn, toIn, bySel]) el.addEventListener('change', changed);
	draw();
	return h('div',
		h('div.section-head', h('h2', t('vol.tab_hours')), exp),
		h('div.filters', field(t('vol.from'), fromIn), field(t('vol.to'), toIn), field(t('vol.by'), bySel)),
		box);
}

async function renderOne(ctx, id) {
	let v;
	try {
		v = await api('GET', `/api/v1/volunteers/${id}`);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(pageHead(t('nav.volunteers')), errorBox(err));
		return;
	}
	const reload = () => renderOne(ctx, id);
	const canWrite = ctx.hasPerm('volunteers.write');
	const minutes = (v.shift_list || []).reduce((a, s) => a + s.minutes, 0);
	const parts = [
		pageHead(v.name, h('a.btn', { href: '#/volunteers' }, t('vol.all'))),
		h('p.muted', [v.unit_name, v.phone, v.skills, v.party_member ? t('vol.party') : null].filter(Boolean).join(' · ')),
		h('div.stats.summary', stat(t('vol.hours'), hours(minutes)), stat(t('vol.shifts'), (v.shift_list || []).length), stat(t('vol.posts'), (v.post_list || []).length)),
	];
	const posts = v.post_list || [];
	const postTable = posts.length
		? h('div.table-wrap', h('table.table.responsive',
			h('thead', h('tr', [t('vol.post_kind'), t('vol.unit'), t('vol.label'), t('vol.from'), t('vol.to')].map((x) => h('th', x)))),
			h('tbody', posts.map((p) => h('tr',
				h('td', t('vol.post_' + p.kind)), h('td', p.unit_name || ''), h('td', p.label || ''), h('td', p.from_day || ''), h('td', p.to_day || ''))))))
		: empty(t('vol.no_posts'));
	const postForm = canWrite ? disclosure(t('vol.add_post'), form([
		field(t('vol.post_kind'), select('kind', POSTS.map((k) => [k, t('vol.post_' + k)]))),
		field(t('vol.where'), unitPicker('unit_id'), t('vol.where_hint')),
		field(t('vol.label'), input('label')),
		field(t('vol.from'), input('from_day', { type: 'date', value: districtDay() })),
		field(t('vol.to'), input('to_day', { type: 'date' })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (fm) => {
		const x = values(fm);
		const b = { kind: x.kind, unit_id: Number(x.unit_id) || 0 };
		for (const k of ['label', 'from_day', 'to_day']) if (x[k]) b[k] = x[k];
		await api('POST', `/api/v1/volunteers/${id}/posts`, b);
		toast(t('common.added'));
		reload();
	}, { class: 'form post-form' })) : null;
	parts.push(section(t('vol.posts'), postTable, postForm));
	const shifts = v.shift_list || [];
	const shiftTable = shifts.length
		? h('div.table-wrap', h('table.table.responsive',
			h('thead', h('tr', [t('vol.start'), t('vol.end'), t('vol.hours'), t('vol.post')].map((x) => h('th', x)))),
			h('tbody', shifts.map((s) => h('tr',
				h('td', fmtTime(s.start_at)), h('td', fmtTime(s.end_at)), h('td', hours(s.minutes)),
				h('td', [s.post_id ? t('vol.post_' + ((posts.find((p) => p.id === s.post_id) || {}).kind || 'service')) : '', s.unit_name].filter(Boolean).join(' · ')))))))
		: empty(t('vol.no_shifts'));
	const shiftForm = canWrite ? disclosure(t('vol.add_shift'), form([
		field(t('vol.start'), input('start_at', { type: 'datetime-local', required: true })),
		field(t('vol.end'), input('end_at', { type: 'datetime-local', required: true })),
		posts.length ? field(t('vol.post'), select('post_id', [['', t('common.none')], ...posts.map((p) => [p.id, `${t('vol.post_' + p.kind)} ${p.unit_name || ''} ${p.label || ''}`])])) : null,
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('vol.record_shift'))),
	], async (fm) => {
		const x = values(fm);
		const b = { start_at: x.start_at, end_at: x.end_at };
		if (x.post_id) b.post_id = Number(x.post_id);
		await api('POST', `/api/v1/volunteers/${id}/shifts`, b);
		toast(t('common.added'));
		reload();
	}, { class: 'form shift-form' })) : null;
	parts.push(section(t('vol.shifts'), shiftTable, shiftForm));
	if (ctx.hasPerm('users.admin')) {
		parts.push(v.user_id
			? section(t('vol.account'), h('p', t('vol.has_account')))
			: section(t('vol.account'), disclosure(t('vol.make_user'), form([
				h('p.hint', t('vol.make_user_hint')),
				field(t('vol.username'), input('username', { required: true, autocomplete: 'off' })),
				field(t('vol.password'), input('password', { type: 'password', required: true, autocomplete: 'new-password' })),
				h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('vol.make_user'))),
			], async (fm) => {
				const x = values(fm);
				if (!(await confirmDialog(t('vol.make_user_q', { name: v.name }), { okLabel: t('vol.make_user'), danger: false }))) return;
				await api('POST', `/api/v1/volunteers/${id}/user`, { username: x.username, password: x.password });
				toast(t('vol.account_made'));
				reload();
			}, { class: 'form user-form' }))));
	}
	ctx.root.replaceChildren(...parts);
}
