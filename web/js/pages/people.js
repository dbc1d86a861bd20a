// 人口: the population registry. #/persons is the person search (one box for
// a name, a whole ID number, its last 4 characters or a phone; filters for
// unit and located; masked numbers; paging; xlsx export) with a form to add
// a person; #/persons/ID is a person's card (document masked, a "show whole
// number" button for id.reveal that is audited; household; arrivals with
// grade and handling; visits; facts with their sources), with the edit form,
// merging another record into this one and adding an arrival.
// #/households lists households per compound with members and status;
// #/households/ID is a household with its persons and visits.
import { api, showError } from '../api.js';
import { t, has } from '../i18n.js';
import {
	h, loading, empty, errorBox, field, input, select, form, values, qs, pagedTable, exportLink,
	disclosure, toast, confirmDialog, unitPicker, searchPicker, fmtTime, tabLinks, button, errText,
} from '../dom.js';
import { gradeTag, handlingTag, modeLabel, divisionPicker, MODES, today } from './areas.js';

export const DOC_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'other'];
export const HOUSEHOLD_STATUS = ['occupied', 'empty', 'unknown'];
const STATUS_TONE = { occupied: 'ok', empty: 'warn', unknown: 'plain' };

export function docTypeLabel(d) {
	return d ? t('doc_types.' + d) : '';
}

export function statusTag(s) {
	return s ? h('span.tag.tag-' + (STATUS_TONE[s] || 'plain'), { dataset: { status: s } }, t('household_status.' + s)) : '';
}

export function sourceLabel(s) {
	return s && has('sources.' + s) ? t('sources.' + s) : (s || '');
}

export function resultTag(r) {
	const tone = { visited: 'ok', empty: 'warn', refused: 'danger', moved: 'plain' }[r] || 'plain';
	return r ? h('span.tag.tag-' + tone, { dataset: { result: r } }, t('visit_results.' + r)) : '';
}

export function methodLabel(m) {
	return m ? t('visit_methods.' + m) : '';
}

function sexLabel(s) {
	return s === 'M' ? t('persons.sex_m') : s === 'F' ? t('persons.sex_f') : '';
}

function locatedTag(p) {
	return p.located === 0 || p.located === false
		? h('span.tag.tag-warn', t('persons.not_located'))
		: h('span.tag.tag-ok', t('persons.located'));
}

function tabsFor(key) {
	return tabLinks([
		['persons', '#/persons', t('persons.tab_persons')],
		['households', '#/households', t('persons.tab_households')],
	], key);
}

export async function render(ctx) {
	if (ctx.key === 'households') {
		if (ctx.params[0]) return renderHousehold(ctx, ctx.params[0]);
		return renderHouseholds(ctx);
	}
	if (ctx.params[0]) return renderPerson(ctx, ctx.params[0]);
	return renderSearch(ctx);
}

// ---------- person search ----------

function personColumns() {
	return [
		{ label: t('persons.name'), cell: (p) => h('a.person-link', { href: `#/persons/${p.id}` }, p.name || '—') },
		{ label: t('persons.doc_type'), cell: (p) => docTypeLabel(p.doc_type) },
		{ label: t('persons.doc_number'), cell: (p) => h('span.mono.doc-number', p.doc_number || '') },
		{ label: t('persons.sex'), cell: (p) => sexLabel(p.sex) },
		{ label: t('persons.birth_date'), cell: (p) => h('span.nowrap', p.birth_date || '') },
		{ label: t('persons.phone'), cell: (p) => h('span.mono.phone', p.phone || '') },
		{ label: t('persons.unit'), cell: (p) => p.unit_name || '' },
		{ label: t('persons.household'), cell: (p) => (p.household_id ? h('a', { href: `#/households/${p.household_id}` }, p.household_address || '#' + p.household_id) : locatedTag(p)) },
	];
}

function renderSearch(ctx) {
	const f = { q: ctx.query.q || '', unit_id: ctx.query.unit_id || '', located: ctx.query.located || '' };
	const url = () => '/api/v1/persons' + qs(f);
	let list = null;
	const listBox = h('div.list-box');
	const exp = exportLink(url());
	const search = h('form.search-bar.filters', { role: 'search' },
		h('input', {
			type: 'search', name: 'q', value: f.q, placeholder: t('persons.search_placeholder'),
			'aria-label': t('persons.search'), autocomplete: 'off', enterkeyhint: 'search',
		}),
		select('located', [['', t('persons.all_located')], ['1', t('persons.located')], ['0', t('persons.not_located')]], f.located, { 'aria-label': t('persons.located_filter') }),
		h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')));
	const unitFilter = h('div.filter-row',
		h('span.filter-label', t('persons.unit_filter')),
		unitPicker('unit_filter', null, { onPick: (u) => { f.unit_id = u.id; apply(); } }),
		button(t('common.clear'), { class: 'btn btn-small', onclick: (e) => { f.unit_id = ''; e.target.closest('.filter-row').querySelector('.picker-chosen').textContent = t('picker.none'); apply(); } }));
	function apply() {
		ctx.setQuery(f);
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		showList();
	}
	function showList() {
		// Nothing asked yet: no list, and no export of the whole population.
		exp.hidden = !f.q && !f.unit_id && !f.located;
		if (exp.hidden) {
			listBox.replaceChildren(h('div.placeholder', t('persons.search_hint')));
			return;
		}
		list = pagedTable({ url, columns: personColumns(), emptyText: t('persons.none'), rowAttrs: (p) => ({ dataset: { id: p.id } }) });
		listBox.replaceChildren(h('div.persons-list', list.el));
	}
	search.addEventListener('submit', (e) => {
		e.preventDefault();
		f.q = search.elements.q.value.trim();
		f.located = search.elements.located.value;
		apply();
	});
	search.elements.located.addEventListener('change', () => search.requestSubmit());

	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.persons')), h('div.page-actions', exp)),
		tabsFor('persons'),
		ctx.hasPerm('people.write') ? disclosure(t('persons.create'), createForm(ctx)) : null,
		search,
		unitFilter,
		h('p.hint.mask-note', t('persons.masked_note')),
		listBox);
	showList();
}

function docFields(prefix = '') {
	return [
		field(t('persons.doc_type'), select(prefix + 'doc_type', DOC_TYPES.map((d) => [d, docTypeLabel(d)]), 'resident_id')),
		field(t('persons.doc_number'), input(prefix + 'doc_number', { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 32, class: 'mono' }), t('persons.doc_number_hint')),
	];
}

// The household picker: households in scope whose address contains q.
function householdPicker(name, initial) {
	return searchPicker(name, {
		url: (q) => '/api/v1/households' + qs({ q }),
		label: (x) => h('span', x.address || '', h('span.muted', ' ' + (x.unit_name || ''))),
		initial,
		placeholder: t('households.search_placeholder'),
		none: t('households.none_chosen'),
	});
}

function createForm(ctx) {
	const scope = ctx.me.scope_unit;
	const conflict = h('div.conflict');
	return form([
		h('div.grid2',
			...docFields(),
			field(t('persons.name'), input('name', { required: true, maxlength: 100 })),
			field(t('persons.phone'), input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'off' }))),
		field(t('persons.unit'), unitPicker('unit_id', scope && scope.id ? scope : null)),
		field(t('persons.household'), householdPicker('household_id', null), t('persons.household_hint')),
		conflict,
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('persons.create_submit'))),
	], async (f) => {
		conflict.replaceChildren();
		const v = values(f);
		if (!v.doc_number) return showError(f, { field: 'doc_number' }, t('errors.required'));
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		if (!v.unit_id) return showError(f, { field: 'unit_id' }, t('picker.required'));
		const body = { doc_type: v.doc_type, doc_number: v.doc_number, name: v.name, unit_id: Number(v.unit_id) };
		if (v.phone) body.phone = v.phone;
		if (v.household_id) body.household_id = Number(v.household_id);
		let res;
		try {
			res = await api('POST', '/api/v1/persons', body);
		} catch (err) {
			if (err.status === 409) showExisting(conflict, v.doc_number);
			throw err;
		}
		toast(t('persons.created', { name: res.name || v.name }));
		ctx.go(`#/persons/${res.id}`);
	}, { 'aria-label': t('persons.create') });
}

// After a 409 on a document number: finds the existing record and links it.
async function showExisting(box, number) {
	try {
		const res = await api('GET', '/api/v1/persons' + qs({ q: number, limit: 5 }));
		const it = (res.items || [])[0];
		if (it) box.replaceChildren(h('div.alert.alert-warn', t('persons.exists'), ' ', h('a', { href: `#/persons/${it.id}` }, `${it.name} · ${it.doc_number}`)));
	} catch {
		/* the error beside the field says enough */
	}
}

// ---------- a person's card ----------

async function renderPerson(ctx, id) {
	const back = h('a.back-link.show', { href: '#/persons' }, '← ', t('persons.back'));
	ctx.root.replaceChildren(back, loading());
	let p;
	try {
		p = await api('GET', `/api/v1/persons/${encodeURIComponent(id)}`);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(back, err.status === 404 ? empty(t('persons.not_found')) : errorBox(err));
		return;
	}
	const canWrite = ctx.hasPerm('people.write');
	const docBox = h('dd.mono.doc-number', p.doc_number || '');
	let factsBox = null;
	const phoneBox = h('dd.mono.phone', p.phone || '—');
	let reveal = null;
	if (ctx.hasPerm('id.reveal')) {
		const note = h('small.hint.reveal-note', t('persons.reveal_hint'));
		reveal = h('div.reveal',
			button(t('persons.reveal'), {
				class: 'btn btn-small', 'data-act': 'reveal',
				onclick: async (e) => {
					const b = e.currentTarget;
					b.disabled = true;
					try {
						const w = await api('GET', `/api/v1/persons/${encodeURIComponent(id)}?reveal=1`);
						docBox.textContent = w.doc_number || '';
						// The sources table shows the phone whole too (it kept
						// the masked one after the reveal).
						if (factsBox && (w.facts || []).length) factsBox.replaceChildren(factsTable(w.facts));
						// Another document typed in another form than its key: both.
						if (w.doc_typed) docBox.append(' ', h('span.muted.doc-typed', t('persons.doc_typed', { typed: w.doc_typed })));
						phoneBox.textContent = w.phone || '—';
						docBox.classList.add('revealed');
						b.remove();
						note.textContent = t('persons.revealed_note');
					} catch (err) {
						b.disabled = false;
						if (!err.handled) toast(errText(err), 'error');
					}
				},
			}), note);
	}
	const facts = h('dl.facts',
		h('dt', t('persons.doc_type')), h('dd', docTypeLabel(p.doc_type)),
		h('dt', t('persons.doc_number')), docBox,
		reveal ? [h('dt', ''), h('dd', reveal)] : null,
		h('dt', t('persons.sex')), h('dd', sexLabel(p.sex) || '—'),
		h('dt', t('persons.birth_date')), h('dd', p.birth_date || '—'),
		h('dt', t('persons.phone')), phoneBox,
		h('dt', t('persons.unit')), h('dd', p.unit_id ? h('a', { href: `#/units/${p.unit_id}` }, p.unit_name || '#' + p.unit_id) : '—', ' ', locatedTag(p)),
		h('dt', t('persons.household')), h('dd', p.household_id ? h('a', { href: `#/households/${p.household_id}` }, p.household_address || '#' + p.household_id) : t('persons.no_household')),
		h('dt', t('persons.source')), h('dd', sourceLabel(p.source)),
		h('dt', t('persons.updated_at')), h('dd', fmtTime(p.updated_at || p.created_at)));

	const arrivals = p.arrivals || [];
	const visits = p.visits || [];
	const pfacts = p.facts || [];
	const blocks = [];
	if (canWrite) {
		blocks.push(disclosure(t('persons.add_arrival'), arrivalForm(ctx, p)));
		blocks.push(disclosure(t('persons.edit'), editForm(ctx, p)));
		blocks.push(disclosure(t('persons.merge'), mergeForm(ctx, p)));
	}
	const statusBox = h('section.card.person-status', loading());
	const worst = arrivals.find((a) => a.handling === 'centralized') || arrivals.find((a) => a.handling === 'home') || arrivals[0];
	ctx.root.replaceChildren(
		back,
		h('div.page-head.person-head',
			h('h1', p.name || '—', ' ', h('span.muted.mono.small', docTypeLabel(p.doc_type))),
			h('div.page-actions', worst ? [gradeTag(worst.grade), handlingTag(worst.handling)] : null)),
		statusBox,
		h('section.card.person-card', h('h2', t('persons.document')), facts),
		h('section.card',
			h('h2', t('persons.arrivals'), ' ', h('span.count', String(arrivals.length))),
			arrivals.length ? arrivalsTable(arrivals) : empty(t('persons.no_arrivals'))),
		h('section.card',
			h('h2', t('persons.visits'), ' ', h('span.count', String(visits.length))),
			visits.length ? visitsTable(visits, { household: true }) : empty(t('persons.no_visits'))),
		(factsBox = h('section.card.person-facts',
			h('h2', t('persons.facts')),
			pfacts.length ? factsTable(pfacts) : empty())),
		blocks.length ? h('div.detail-forms', blocks) : null);
	// The colour, fever, observation and pass, read after the card shows.
	statusBox.replaceChildren(...await personStatus(ctx, p).catch((err) => [errorBox(err)]));
}

const COLOUR_TONE = { red: 'danger', yellow: 'warn', green: 'ok' };

// What a guard at the gate would see for this person now, with the reason:
// the colour, an open fever (a medic closes it here), the observation's end
// and the pass.
async function personStatus(ctx, p) {
	const id = encodeURIComponent(p.id);
	const [col, fev, pas] = await Promise.all([
		api('GET', `/api/v1/persons/${id}/colour`),
		api('GET', '/api/v1/fevers' + qs({ person_id: p.id, limit: 5 })).catch(() => ({ items: [] })),
		api('GET', '/api/v1/passes' + qs({ person_id: p.id, limit: 5 })).catch(() => ({ items: [] })),
	]);
	const { colourWhy } = await import('./gate.js');
	const open = (fev.items || []).filter((f) => f.status === 'open');
	const closed = (fev.items || []).filter((f) => f.status !== 'open');
	const active = (pas.items || []).find((x) => x.status === 'active');
	const latest = (pas.items || [])[0];
	const feverDd = h('dd.person-fever');
	if (open.length) {
		feverDd.append(...open.map((f) => h('div.fever-open', { dataset: { id: f.id } },
			h('span.tag.tag-danger', t('persons.fever_open', { t: Number(f.temperature).toFixed(1), day: f.day })),
			' ', h('span.muted', t('persons.fever_source_' + f.source)),
			ctx.hasPerm('fevers.write') ? closeFeverForm(ctx, f, p) : null)));
	} else if (closed.length) {
		feverDd.append(h('span.tag.tag-ok', t('persons.fever_closed', { day: closed[0].day })));
	} else feverDd.append(t('persons.fever_none'));
	let passText;
	if (active) passText = h('span.tag.tag-ok', t('persons.pass_active', { day: active.valid_until }));
	else if (latest) passText = h('span.tag.tag-warn', t('persons.pass_' + latest.status, { day: latest.valid_until || '' }));
	else passText = h('span.muted', t('persons.pass_none'));
	return [h('h2', t('persons.status')),
		h('dl.facts.person-status-facts', { dataset: { colour: col.colour } },
			h('dt', t('persons.colour')),
			h('dd', h('span.tag.colour-' + col.colour + '.tag-' + (COLOUR_TONE[col.colour] || 'plain'), { dataset: { colour: col.colour } }, t('gate.colour_' + col.colour)),
				' ', h('span.colour-why', colourWhy(col.reason))),
			h('dt', t('persons.fever')), feverDd,
			h('dt', t('persons.observation_end')), h('dd', col.observation_end_day || '—'),
			h('dt', t('persons.pass')), h('dd.person-pass', passText))];
}

// A medic closes an open fever: re-measured normal (with the reading) or
// ruled out at the clinic.
function closeFeverForm(ctx, f, p) {
	const temp = input('temperature', { inputmode: 'decimal', placeholder: '36.5', class: 'temp-input' });
	const fm = form([
		field(t('persons.fever_outcome'), select('outcome', [['remeasured_normal', t('persons.outcome_remeasured_normal')], ['ruled_out', t('persons.outcome_ruled_out')]], 'remeasured_normal')),
		field(t('persons.fever_temp'), temp),
		field(t('persons.fever_note'), input('note', { maxlength: 200 })),
		h('div.form-actions', button(t('persons.fever_close'), { type: 'submit', class: 'btn btn-primary' })),
	], async (el) => {
		const v = values(el);
		const body = { outcome: v.outcome };
		if (v.temperature) body.temperature = Number(v.temperature.replace(/[,，]/g, '.'));
		if (v.note) body.note = v.note;
		await api('POST', `/api/v1/fevers/${encodeURIComponent(f.id)}/close`, body);
		toast(t('persons.fever_closed_toast'));
		await renderPerson(ctx, p.id);
	}, { class: 'form close-fever' });
	return disclosure(t('persons.fever_close'), fm);
}

function arrivalsTable(list) {
	return h('table.table.responsive.arrivals',
		h('thead', h('tr', ['arrivals.origin', 'arrivals.date', 'arrivals.mode', 'arrivals.grade', 'arrivals.handling'].map((k) => h('th', t(k))))),
		h('tbody', list.map((a) => h('tr',
			h('td', { 'data-label': t('arrivals.origin') }, a.origin_name || '', ' ', h('span.mono.muted', a.origin_code || '')),
			h('td', { 'data-label': t('arrivals.date') }, a.arrival_date || ''),
			h('td', { 'data-label': t('arrivals.mode') }, modeLabel(a.mode)),
			h('td', { 'data-label': t('arrivals.grade') }, gradeTag(a.grade)),
			h('td', { 'data-label': t('arrivals.handling') }, handlingTag(a.handling))))));
}

// Visits of a person or a household (VISIT objects).
export function visitsTable(list, { household = false, round = true } = {}) {
	const cols = [
		['visits.at', (v) => h('span.nowrap', fmtTime(v.at || v.created_at))],
		round ? ['visits.round', (v) => (v.round_id ? h('a', { href: `#/rounds/${v.round_id}` }, v.round_name || '#' + v.round_id) : '')] : null,
		household ? ['visits.household', (v) => (v.household_id ? h('a', { href: `#/households/${v.household_id}` }, v.household_address || '#' + v.household_id) : '')] : null,
		['visits.method', (v) => methodLabel(v.method)],
		['visits.result', (v) => resultTag(v.result)],
		['visits.persons_found', (v) => String(v.persons_found ?? (v.persons ? v.persons.length : ''))],
		['visits.team', (v) => v.team_name || ''],
		['visits.by', (v) => v.created_by_name || ''],
		['visits.note', (v) => v.note || ''],
	].filter(Boolean);
	return h('table.table.responsive.visits',
		h('thead', h('tr', cols.map(([k]) => h('th', t(k))))),
		h('tbody', list.map((v) => h('tr', cols.map(([k, cell]) => h('td', { 'data-label': t(k) }, cell(v)))))));
}

// A fact's value; a household or unit id links to it.
function factValue(f) {
	if (f.value != null && f.value !== '' && f.field === 'household_id') return h('a', { href: `#/households/${f.value}` }, t('facts.household_n', { id: f.value }));
	if (f.value != null && f.value !== '' && f.field === 'unit_id') return h('a', { href: `#/units/${f.value}` }, t('facts.unit_n', { id: f.value }));
	return h('span.break', f.value ?? '');
}

function factsTable(list) {
	const sourceCell = (f) => {
		const label = sourceLabel(f.source);
		if (f.source === 'import' && f.source_id) return h('a', { href: '#/imports' }, label, ' #' + f.source_id);
		return f.source_id ? `${label} #${f.source_id}` : label;
	};
	return h('table.table.responsive.facts-table',
		h('thead', h('tr', ['facts.field', 'facts.value', 'facts.source', 'facts.at'].map((k) => h('th', t(k))))),
		h('tbody', list.map((f) => h('tr',
			h('td', { 'data-label': t('facts.field') }, has('fields.' + f.field) ? t('fields.' + f.field) : f.field),
			h('td', { 'data-label': t('facts.value') }, factValue(f)),
			h('td', { 'data-label': t('facts.source') }, sourceCell(f)),
			h('td', { 'data-label': t('facts.at') }, h('span.nowrap', fmtTime(f.at)))))));
}

function arrivalForm(ctx, p) {
	return form([
		field(t('arrivals.origin'), divisionPicker('origin_code', null)),
		h('div.grid2',
			field(t('arrivals.date'), input('arrival_date', { type: 'date', value: today(), max: today() })),
			field(t('arrivals.mode'), select('mode', MODES.map((m) => [m, modeLabel(m)]), 'car'))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('persons.add_arrival_submit'))),
	], async (f) => {
		const v = values(f);
		if (!v.origin_code) return showError(f, { field: 'origin_code' }, t('divisions.required'));
		if (!v.arrival_date) return showError(f, { field: 'arrival_date' }, t('errors.required'));
		const a = await api('POST', `/api/v1/persons/${p.id}/arrivals`, { origin_code: v.origin_code, arrival_date: v.arrival_date, mode: v.mode });
		toast(t('persons.arrival_added', { grade: a && a.grade ? t('grades.' + a.grade) : '' }));
		renderPerson(ctx, p.id);
	}, { 'aria-label': t('persons.add_arrival') });
}

function editForm(ctx, p) {
	const unit = p.unit_id ? { id: p.unit_id, name: p.unit_name || '#' + p.unit_id } : null;
	const hh = p.household_id ? { id: p.household_id, address: p.household_address || '#' + p.household_id } : null;
	return form([
		h('div.grid2',
			field(t('persons.name'), input('name', { value: p.name || '', required: true })),
			field(t('persons.phone'), input('phone', { type: 'tel', inputmode: 'tel', value: '', placeholder: p.phone || '' }), t('persons.phone_edit_hint')),
			field(t('persons.sex'), select('sex', [['', '—'], ['M', t('persons.sex_m')], ['F', t('persons.sex_f')]], p.sex || '')),
			field(t('persons.birth_date'), input('birth_date', { type: 'date', value: p.birth_date || '' }))),
		field(t('persons.unit'), unitPicker('unit_id', unit)),
		field(t('persons.household'), householdPicker('household_id', hh)),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (f) => {
		const v = values(f);
		const body = {};
		if (!v.name) return showError(f, { field: 'name' }, t('errors.required'));
		if (v.name !== p.name) body.name = v.name;
		if (v.phone) body.phone = v.phone;
		if ((v.sex || null) !== (p.sex || null) && v.sex) body.sex = v.sex;
		if (v.birth_date && v.birth_date !== (p.birth_date || '')) body.birth_date = v.birth_date;
		if (v.unit_id && Number(v.unit_id) !== Number(p.unit_id)) body.unit_id = Number(v.unit_id);
		if (v.household_id && Number(v.household_id) !== Number(p.household_id)) body.household_id = Number(v.household_id);
		if (!Object.keys(body).length) { toast(t('common.no_changes')); return; }
		await api('PATCH', `/api/v1/persons/${p.id}`, body);
		toast(t('common.saved'));
		renderPerson(ctx, p.id);
	}, { 'aria-label': t('persons.edit') });
}

function mergeForm(ctx, p) {
	let other = null;
	const picker = searchPicker('other_id', {
		url: (q) => '/api/v1/persons' + qs({ q }),
		label: (o) => h('span', h('strong', o.name), ' ', h('span.mono', o.doc_number || ''), ' ', h('span.muted', docTypeLabel(o.doc_type))),
		placeholder: t('persons.merge_search'),
		none: t('persons.merge_none'),
		onPick: (o) => { other = o; },
	});
	return form([
		h('p.hint', t('persons.merge_hint', { name: p.name })),
		field(t('persons.merge_other'), picker),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-danger' }, t('persons.merge_submit'))),
	], async (f) => {
		if (!other) return showError(f, { field: 'other_id' }, t('persons.merge_pick'));
		if (String(other.id) === String(p.id)) return showError(f, { field: 'other_id' }, t('persons.merge_same'));
		const msg = t('persons.merge_confirm', {
			other: `${other.name} (${docTypeLabel(other.doc_type)} ${other.doc_number || ''})`,
			name: `${p.name} (${docTypeLabel(p.doc_type)} ${p.doc_number || ''})`,
		});
		if (!(await confirmDialog(msg, { okLabel: t('persons.merge_submit') }))) return;
		await api('POST', `/api/v1/persons/${p.id}/merge`, { other_id: Number(other.id) });
		toast(t('persons.merged'));
		renderPerson(ctx, p.id);
	}, { 'aria-label': t('persons.merge') });
}

// ---------- households ----------

function renderHouseholds(ctx) {
	const f = { unit_id: ctx.query.unit_id || '', status: ctx.query.status || '', q: ctx.query.q || '' };
	const url = () => '/api/v1/households' + qs(f);
	const list = pagedTable({
		url,
		columns: [
			{ label: t('households.address'), cell: (x) => h('a', { href: `#/households/${x.id}` }, x.address || '#' + x.id) },
			{ label: t('households.compound'), cell: (x) => x.unit_name || '' },
			{ label: t('households.members'), class: 'num', cell: (x) => String(x.members ?? 0) },
			{ label: t('households.status'), cell: (x) => h('span', statusTag(x.status), x.empty_confirmed ? [' ', h('span.tag.tag-plain', t('households.empty_confirmed'))] : null) },
		],
		emptyText: t('households.none'),
		rowAttrs: (x) => ({ dataset: { id: x.id } }),
	});
	const exp = exportLink(url());
	const search = h('form.search-bar.filters', { role: 'search' },
		h('input', { type: 'search', name: 'q', value: f.q, placeholder: t('households.search_placeholder'), 'aria-label': t('households.search') }),
		select('status', [['', t('households.all_status')], ...HOUSEHOLD_STATUS.map((s) => [s, t('household_status.' + s)])], f.status, { 'aria-label': t('households.status') }),
		h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')));
	const apply = () => {
		ctx.setQuery(f);
		exp.href = url() + (url().includes('?') ? '&' : '?') + 'format=xlsx';
		list.reload();
	};
	search.addEventListener('submit', (e) => {
		e.preventDefault();
		f.q = search.elements.q.value.trim();
		f.status = search.elements.status.value;
		apply();
	});
	search.elements.status.addEventListener('change', () => search.requestSubmit());
	const unitFilter = h('div.filter-row',
		h('span.filter-label', t('households.compound_filter')),
		unitPicker('unit_filter', null, { onPick: (u) => { f.unit_id = u.id; apply(); } }),
		button(t('common.clear'), { class: 'btn btn-small', onclick: (e) => { f.unit_id = ''; e.target.closest('.filter-row').querySelector('.picker-chosen').textContent = t('picker.none'); apply(); } }));

	const add = ctx.hasPerm('people.write') ? disclosure(t('households.add'), form([
		field(t('households.compound'), unitPicker('unit_id', null), t('households.compound_hint')),
		h('div.grid2',
			field(t('households.address'), input('address', { required: true, maxlength: 200, placeholder: t('households.address_placeholder') })),
			field(t('households.status'), select('status', HOUSEHOLD_STATUS.map((s) => [s, t('household_status.' + s)]), 'unknown'))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.add'))),
	], async (fm) => {
		const v = values(fm);
		if (!v.unit_id) return showError(fm, { field: 'unit_id' }, t('picker.required'));
		if (!v.address) return showError(fm, { field: 'address' }, t('errors.required'));
		const res = await api('POST', '/api/v1/households', { unit_id: Number(v.unit_id), address: v.address, status: v.status });
		toast(t('common.added'));
		ctx.go(`#/households/${res.id}`);
	}, { 'aria-label': t('households.add') })) : null;

	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.persons')), h('div.page-actions', exp)),
		tabsFor('households'),
		add,
		search,
		unitFilter,
		list.el);
}

async function renderHousehold(ctx, id) {
	const back = h('a.back-link.show', { href: '#/households' }, '← ', t('households.back'));
	ctx.root.replaceChildren(back, loading());
	let x;
	try {
		x = await api('GET', `/api/v1/households/${encodeURIComponent(id)}`);
	} catch (err) {
		if (!err.handled) ctx.root.replaceChildren(back, err.status === 404 ? empty(t('households.not_found')) : errorBox(err));
		return;
	}
	const persons = x.persons || [];
	const visits = x.visits || [];
	const canWrite = ctx.hasPerm('people.write');
	const edit = canWrite ? disclosure(t('households.edit'), form([
		h('div.grid2',
			field(t('households.address'), input('address', { value: x.address || '', required: true })),
			field(t('households.status'), select('status', HOUSEHOLD_STATUS.map((s) => [s, t('household_status.' + s)]), x.status))),
		h('div.form-actions', h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))),
	], async (f) => {
		const v = values(f);
		const body = {};
		if (!v.address) return showError(f, { field: 'address' }, t('errors.required'));
		if (v.address !== x.address) body.address = v.address;
		if (v.status !== x.status) body.status = v.status;
		if (!Object.keys(body).length) { toast(t('common.no_changes')); return; }
		await api('PATCH', `/api/v1/households/${x.id}`, body);
		toast(t('common.saved'));
		renderHousehold(ctx, x.id);
	}, { 'aria-label': t('households.edit') })) : null;
	ctx.root.replaceChildren(
		back,
		h('div.page-head',
			h('h1', x.address || '#' + x.id),
			h('div.page-actions',
				statusTag(x.status),
				ctx.hasPerm('screening.write') ? h('a.btn.btn-primary', { href: `#/visit?household=${x.id}` }, t('households.record_visit')) : null)),
		h('dl.facts',
			h('dt', t('households.compound')), h('dd', x.unit_id ? h('a', { href: `#/units/${x.unit_id}` }, x.unit_name || '#' + x.unit_id) : ''),
			h('dt', t('households.members')), h('dd', String(x.members ?? persons.length)),
			h('dt', t('households.status')), h('dd', statusTag(x.status), x.empty_confirmed ? [' ', h('span.tag.tag-plain', t('households.empty_confirmed'))] : null)),
		h('section.card',
			h('h2', t('households.persons'), ' ', h('span.count', String(persons.length))),
			persons.length ? h('div.persons-list', h('table.table.responsive',
				h('thead', h('tr', personColumns().slice(0, 7).map((c) => h('th', c.label)))),
				h('tbody', persons.map((p) => h('tr', personColumns().slice(0, 7).map((c) => h('td', { 'data-label': c.label }, c.cell(p))))))))
				: empty(t('households.no_persons'))),
		h('section.card',
			h('h2', t('persons.visits'), ' ', h('span.count', String(visits.length))),
			visits.length ? visitsTable(visits) : empty(t('persons.no_visits'))),
		edit);
}
