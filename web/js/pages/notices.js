// 公告与场所: the command's numbered notices and the venue closures they
// ordered. #/notices lists notices (drafts only for those who write them),
// drafts a new one and publishes it (第N号, after asking: a published notice
// cannot change) and links the public page (/public/notices, no sign-in).
// #/notices?tab=venues shows the closed venues by kind on a day, the venues
// with their status on that day, registers a venue, closes it under a
// notice and reopens it (each after asking). Lists export to xlsx.
import { api } from '../api.js';
import { t } from '../i18n.js';
import {
	h, field, input, select, form, values, qs, pagedTable, exportLink, toast, confirmDialog,
	button, tabLinks, pageHead, section, disclosure, districtDay, unitPicker, loading, errorBox,
} from '../dom.js';

const TABS = ['notices', 'venues'];
const KINDS = ['mall', 'religious', 'internet_cafe', 'serviced_apartment', 'market', 'poultry', 'other'];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export async function render(ctx) {
	const tab = TABS.includes(ctx.query.tab) ? ctx.query.tab : 'notices';
	const body = h('div.tab-body');
	ctx.root.replaceChildren(pageHead(t('nav.notices'),
		h('a.btn', { href: '/public/notices', target: '_blank', rel: 'noopener', 'data-act': 'public' }, t('notices.public_page'))),
	tabLinks(TABS.map((k) => [k, k === 'notices' ? '#/notices' : `#/notices?tab=${k}`, t('notices.tab_' + k)]), tab), body);
	body.replaceChildren(tab === 'venues' ? venuesTab(ctx) : noticesTab(ctx));
}

export function update(ctx) {
	return render(ctx);
}

// ---------- notices ----------

function noticesTab(ctx) {
	const canWrite = ctx.hasPerm('notices.write');
	const STATUSES = canWrite ? ['all', 'published', 'draft'] : ['published'];
	let status = STATUSES.includes(ctx.query.status) ? ctx.query.status : STATUSES[0];
	const url = () => '/api/v1/notices' + qs({ status: status === 'all' ? '' : status });
	let list;
	const publish = async (n) => {
		if (!(await confirmDialog(t('notices.publish_q', { title: n.title }), { okLabel: t('notices.publish'), danger: false }))) return;
		try {
			const p = await api('POST', `/api/v1/notices/${n.id}/publish`, {});
			toast(t('notices.published_as', { n: p.number }));
			list.reload();
		} catch (err) {
			if (!err.handled) toast(err.message || String(err), 'error');
		}
	};
	list = pagedTable({
		url,
		emptyText: t('notices.none'),
		columns: [
			{ label: t('notices.number'), cell: (n) => (n.number ? t('notices.numbered', { n: n.number }) : h('span.tag', t('notices.status_draft'))) },
			{ label: t('notices.title'), cell: (n) => h('details.notice', h('summary', h('strong', n.title)), h('p.break.notice-body', n.body)) },
			{ label: t('notices.day'), cell: (n) => n.day || '' },
			{ label: t('notices.unit'), cell: (n) => n.unit_name },
			{ label: t('notices.venues'), cell: (n) => (n.venues ? h('a', { href: `#/notices?tab=venues&notice_id=${n.id}` }, String(n.venues)) : '0') },
			{ label: '', cell: (n) => (canWrite && n.status === 'draft' ? button(t('notices.publish'), { class: 'btn btn-primary btn-small', 'data-act': 'publish', onclick: () => publish(n) }) : '') },
		],
	});
	const exp = exportLink(url());
	const pick = select('status', STATUSES.map((s) => [s, t('notices.status_' + s)]), status);
	pick.addEventListener('change', () => {
		status = pick.value;
		ctx.setQuery({ status });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	});
	const draft = canWrite ? disclosure(t('notices.new'), form([
		field(t('notices.title'), input('title', { required: true, maxlength: 200 })),
		field(t('notices.body'), h('textarea', { name: 'body', rows: 6, required: true })),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('notices.save_draft'))),
	], async (fm) => {
		const v = values(fm);
		await api('POST', '/api/v1/notices', { title: v.title, body: v.body });
		toast(t('notices.draft_saved'));
		fm.reset();
		list.reload();
	}, { class: 'form notice-form' })) : null;
	return h('div', draft,
		h('div.section-head', h('h2', t('notices.tab_notices')), exp),
		h('div.filters', field(t('notices.status'), pick)),
		list.el);
}

// ---------- venues ----------

function venuesTab(ctx) {
	const canWrite = ctx.hasPerm('notices.write');
	let day = DAY_RE.test(ctx.query.day || '') ? ctx.query.day : districtDay();
	let kind = KINDS.includes(ctx.query.kind) ? ctx.query.kind : '';
	let status = ['open', 'closed', 'reopened'].includes(ctx.query.status) ? ctx.query.status : '';
	const noticeId = /^\d+$/.test(ctx.query.notice_id || '') ? ctx.query.notice_id : '';
	const url = () => '/api/v1/venues' + qs({ day, kind, status, notice_id: noticeId });
	const countsBox = h('div.venue-counts', loading());
	let list;
	let published = null;
	const publishedNotices = async () => {
		if (!published) published = (await api('GET', '/api/v1/notices?status=published&limit=200')).items || [];
		return published;
	};
	async function drawCounts() {
		countsBox.replaceChildren(loading());
		try {
			const c = await api('GET', `/api/v1/venues/counts?day=${day}`);
			countsBox.replaceChildren(
				h('p', h('strong', t('notices.closed_on', { day, closed: c.closed, venues: c.venues }))),
				h('div.table-wrap', h('table.table.venue-kinds',
					h('thead', h('tr', h('th', t('notices.kind')), h('th', t('notices.closed')), h('th', t('notices.registered')))),
					h('tbody', KINDS.filter((k) => c.venues_by_kind[k]).map((k) => h('tr', { dataset: { kind: k } },
						h('td', t('venue.kind_' + k)), h('td', String(c.closed_by_kind[k] || 0)), h('td', String(c.venues_by_kind[k] || 0))))))));
			if (!c.venues) countsBox.replaceChildren(h('div.empty', t('notices.no_venues')));
		} catch (err) {
			if (!err.handled) countsBox.replaceChildren(errorBox(err));
		}
	}
	const act = async (v, verb) => {
		const box = h('div.venue-act');
		if (verb === 'close') {
			const ns = await publishedNotices();
			const f = form([
				field(t('notices.close_day'), input('day', { type: 'date', value: districtDay(), max: districtDay() })),
				field(t('notices.under_notice'), select('notice_id', [['', t('common.none')], ...ns.map((n) => [n.id, `${t('notices.numbered', { n: n.number })} ${n.title}`])])),
				h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-danger btn-small' }, t('notices.close'))),
			], async (fm) => {
				const x = values(fm);
				if (!(await confirmDialog(t('notices.close_q', { name: v.name }), { okLabel: t('notices.close') }))) return;
				const b = {};
				if (x.day) b.day = x.day;
				if (x.notice_id) b.notice_id = Number(x.notice_id);
				await api('POST', `/api/v1/venues/${v.id}/close`, b);
				toast(t('notices.venue_closed'));
				list.reload();
				drawCounts();
			}, { class: 'form form-inline' });
			box.append(f);
		} else {
			const f = form([
				field(t('notices.reopen_day'), input('day', { type: 'date', value: districtDay(), max: districtDay() })),
				h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-small' }, t('notices.reopen'))),
			], async (fm) => {
				const x = values(fm);
				if (!(await confirmDialog(t('notices.reopen_q', { name: v.name }), { okLabel: t('notices.reopen'), danger: false }))) return;
				await api('POST', `/api/v1/venues/${v.id}/reopen`, x.day ? { day: x.day } : {});
				toast(t('notices.venue_reopened'));
				list.reload();
				drawCounts();
			}, { class: 'form form-inline' });
			box.append(f);
		}
		return box;
	};
	list = pagedTable({
		url,
		emptyText: t('notices.no_venues'),
		rowAttrs: (v) => ({ class: 'venue-' + v.status, dataset: { venue: v.id } }),
		columns: [
			{ label: t('notices.venue'), cell: (v) => h('div', h('strong', v.name), v.address ? h('div.muted', v.address) : null) },
			{ label: t('notices.kind'), cell: (v) => t('venue.kind_' + v.kind) },
			{ label: t('notices.unit'), cell: (v) => v.unit_name },
			{ label: t('notices.status'), cell: (v) => h('span', { class: 'badge badge-' + (v.status === 'closed' ? 'warn' : 'ok') }, t('venue.status_' + v.status)) },
			{ label: t('notices.closed_day'), cell: (v) => [v.closed_day, v.reopened_day ? '→ ' + v.reopened_day : ''].filter(Boolean).join(' ') },
			{ label: t('notices.notice'), cell: (v) => (v.notice_number ? `${t('notices.numbered', { n: v.notice_number })} ${v.notice_title}` : '') },
			{ label: '', cell: (v) => {
				if (!canWrite) return '';
				const slot = h('div');
				// A venue closes once (a reopened one stays on record as such).
				const verb = !v.closed_day ? 'close' : v.status === 'closed' ? 'reopen' : null;
				if (!verb) return '';
				slot.append(button(t('notices.' + verb), { class: 'btn btn-small', 'data-act': verb, onclick: async () => slot.replaceChildren(await act(v, verb)) }));
				return slot;
			} },
		],
	});
	const exp = exportLink(url());
	const dayIn = input('day', { type: 'date', value: day });
	const kindSel = select('kind', [['', t('notices.any')], ...KINDS.map((k) => [k, t('venue.kind_' + k)])], kind);
	const statusSel = select('status', [['', t('notices.any')], ...['open', 'closed', 'reopened'].map((s) => [s, t('venue.status_' + s)])], status);
	const changed = () => {
		day = DAY_RE.test(dayIn.value) ? dayIn.value : day;
		kind = kindSel.value;
		status = statusSel.value;
		ctx.setQuery({ tab: 'venues', day, kind, status, notice_id: noticeId });
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
		drawCounts();
	};
	for (const el of [dayIn, kindSel, statusSel]) el.addEventListener('change', changed);
	const add = canWrite ? disclosure(t('notices.add_venue'), form([
		field(t('notices.unit'), unitPicker('unit_id')),
		field(t('notices.venue'), input('name', { required: true })),
		field(t('notices.kind'), select('kind', KINDS.map((k) => [k, t('venue.kind_' + k)]))),
		field(t('notices.address'), input('address')),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (fm) => {
		const v = values(fm);
		const b = { unit_id: Number(v.unit_id) || 0, name: v.name, kind: v.kind };
		if (v.address) b.address = v.address;
		await api('POST', '/api/v1/venues', b);
		toast(t('common.added'));
		list.reload();
		drawCounts();
	}, { class: 'form venue-form' })) : null;
	drawCounts();
	return h('div',
		section(t('notices.counts'), countsBox),
		add,
		h('div.section-head', h('h2', t('notices.tab_venues')), exp),
		h('div.filters', field(t('notices.day'), dayIn), field(t('notices.kind'), kindSel), field(t('notices.status'), statusSel)),
		noticeId ? h('p.hint', t('notices.filtered_by_notice'), ' ', h('a', { href: '#/notices?tab=venues' }, t('notices.show_all'))) : null,
		list.el);
}
