// 导入: importing big-data lists (telecom, travel, registers) of persons from
// CSV. The upload goes through XMLHttpRequest so its progress can be shown
// (POST /api/v1/imports/persons?source=, body text/csv, the CSRF header);
// the answer shows the encoding detected, created / updated / rejected, the
// rejected lines and a link to download them; below, the past batches.
import { api, ApiError, showError, clearErrors } from '../api.js';
import { t } from '../i18n.js';
import { h, field, input, qs, pagedTable, exportLink, fmtTime, stat } from '../dom.js';

const COLUMNS = '姓名,身份证号,手机,来源地,抵达日期,交通方式,地址,小区';

export async function render(ctx) {
	const batches = pagedTable({
		url: '/api/v1/imports',
		columns: [
			{ label: t('imports.at'), cell: (b) => h('span.nowrap', fmtTime(b.created_at)) },
			{ label: t('imports.source'), cell: (b) => h('strong', b.source || '') },
			{ label: t('imports.filename'), cell: (b) => h('span.break', b.filename || '') },
			{ label: t('imports.encoding'), cell: (b) => h('span.mono', b.encoding || '') },
			{ label: t('imports.created'), class: 'num', cell: (b) => String(b.created ?? 0) },
			{ label: t('imports.updated'), class: 'num', cell: (b) => String(b.updated ?? 0) },
			{ label: t('imports.rejected'), class: 'num', cell: (b) => (b.rejected ? h('span.tag.tag-warn', String(b.rejected)) : '0') },
			{ label: t('imports.by'), cell: (b) => b.created_by_name || (b.created_by != null ? '#' + b.created_by : '') },
			{ label: t('imports.rejects'), cell: (b) => (b.rejected ? rejectsLink(b.id) : '') },
		],
		emptyText: t('imports.no_batches'),
	});
	ctx.root.replaceChildren(
		h('div.page-head', h('h1', t('nav.imports'))),
		h('section.card.upload-card', h('h2', t('imports.upload_title')), uploadForm(batches)),
		h('div.section-head', h('h2', t('imports.batches')), exportLink('/api/v1/imports')),
		batches.el);
}

function rejectsLink(id) {
	return h('a.btn.btn-small.btn-export', { href: `/api/v1/imports/${id}/rejects.csv`, download: `rejects-${id}.csv`, 'data-act': 'rejects' }, t('imports.download_rejects'));
}

function uploadForm(batches) {
	const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
	const source = input('source', { maxlength: 100, placeholder: t('imports.source_placeholder') });
	const bar = h('progress.upload-progress', { max: 100, value: 0 });
	const pct = h('span.upload-pct', '');
	const phase = h('span.upload-phase', '');
	const progress = h('div.upload-status', { hidden: true, role: 'status', 'aria-live': 'polite' }, h('div.upload-line', phase, pct), bar);
	const out = h('div.import-result', { 'aria-live': 'polite' });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('imports.upload'));
	const f = h('form.form', { novalidate: true, 'aria-label': t('imports.upload_title') },
		h('div.form-error.alert.alert-error', { role: 'alert', hidden: true }),
		h('p.hint', t('imports.help')),
		h('pre.code-sample', COLUMNS),
		h('p.hint', t('imports.help2')),
		h('div.grid2',
			field(t('imports.file'), file, t('imports.file_hint')),
			field(t('imports.source'), source, t('imports.source_hint'))),
		h('div.form-actions', submit),
		progress,
		out);
	file.addEventListener('change', () => {
		const fl = file.files && file.files[0];
		if (fl && !source.value.trim()) source.value = fl.name.replace(/\.csv$/i, '');
	});
	f.addEventListener('submit', async (e) => {
		e.preventDefault();
		clearErrors(f);
		out.replaceChildren();
		const fl = file.files && file.files[0];
		if (!fl) return showError(f, { field: 'file' }, t('imports.pick_file'));
		const src = source.value.trim();
		if (!src) return showError(f, { field: 'source' }, t('errors.required'));
		submit.disabled = true;
		progress.hidden = false;
		bar.value = 0;
		bar.max = 100;
		phase.textContent = t('imports.uploading');
		pct.textContent = '0%';
		try {
			const res = await upload(fl, src, (loaded, total) => {
				const p = total ? Math.round((loaded / total) * 100) : 0;
				bar.value = p;
				pct.textContent = `${p}% · ${size(loaded)} / ${size(total)}`;
				if (loaded >= total) {
					phase.textContent = t('imports.processing');
					bar.removeAttribute('value'); // indeterminate while the server checks the rows
				}
			});
			progress.hidden = true;
			out.replaceChildren(result(res));
			batches.reload();
		} catch (err) {
			progress.hidden = true;
			if (!err.handled) showError(f, err);
		} finally {
			submit.disabled = false;
		}
	});
	return f;
}

function size(n) {
	if (n == null) return '';
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
	return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// POST the file with XMLHttpRequest (fetch cannot report upload progress).
// The CSRF token is the session's, read from GET /api/v1/me.
async function upload(fl, source, onProgress) {
	const me = await api('GET', '/api/v1/me');
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', '/api/v1/imports/persons' + qs({ source, filename: fl.name ? fl.name.slice(0, 128) : '' }));
		xhr.setRequestHeader('Content-Type', 'text/csv');
		xhr.setRequestHeader('Accept', 'application/json');
		if (me && me.csrf_token) xhr.setRequestHeader('X-CSRF-Token', me.csrf_token);
		xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : fl.size);
		xhr.upload.onload = () => onProgress(fl.size, fl.size);
		xhr.onerror = () => reject(new ApiError(0, 'network'));
		xhr.ontimeout = () => reject(new ApiError(0, 'network'));
		xhr.onload = () => {
			let data = null;
			try {
				data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
			} catch {
				data = null;
			}
			if (xhr.status >= 200 && xhr.status < 300) return resolve(data || {});
			const e = (data && data.error) || {};
			const err = new ApiError(xhr.status, e.code, e.field, e.message);
			if (xhr.status === 401) {
				// Let the fetch wrapper see the 401 too: it signs the page out.
				err.handled = true;
				api('GET', '/api/v1/me').catch(() => {});
			}
			reject(err);
		};
		xhr.send(fl);
	});
}

// Rows whose person was not changed, or not wholly (registered elsewhere,
// another name or household): handed to the person's unit to confirm.
function toConfirm(res) {
	const rows = res.to_confirm || [];
	if (!rows.length) return null;
	return h('section.confirm-block',
		h('div.section-head', h('h3', t('imports.to_confirm_title', { n: res.discrepancies ?? rows.length }))),
		h('p.hint', t('imports.to_confirm_hint')),
		h('table.table.responsive.to-confirm',
			h('thead', h('tr', h('th', t('imports.line')), h('th', t('imports.reason')))),
			h('tbody', rows.map((r) => h('tr',
				h('td.num', { 'data-label': t('imports.line') }, String(r.line)),
				h('td', { 'data-label': t('imports.reason') }, t('imports.confirm_' + r.kind)))))));
}

function result(res) {
	const rejects = res.rejects || [];
	return h('div.import-summary',
		h('p.import-encoding', t('imports.encoding_detected'), ' ', h('strong.mono', res.encoding || '?')),
		h('div.stats',
			stat(t('imports.created'), res.created ?? 0),
			stat(t('imports.updated'), res.updated ?? 0),
			stat(t('imports.rejected'), res.rejected ?? 0, res.rejected ? 'warn' : null),
			res.discrepancies ? stat(t('imports.to_confirm'), res.discrepancies, 'warn') : null),
		toConfirm(res),
		rejects.length ? h('section.rejects-block',
			h('div.section-head', h('h3', t('imports.rejects_title', { n: rejects.length })), res.batch_id != null ? rejectsLink(res.batch_id) : null),
			h('table.table.responsive.rejects',
				h('thead', h('tr', h('th', t('imports.line')), h('th', t('imports.reason')))),
				h('tbody', rejects.map((r) => h('tr',
					h('td.num', { 'data-label': t('imports.line') }, String(r.line)),
					h('td', { 'data-label': t('imports.reason') }, r.reason)))))) : h('p.ok-note', t('imports.all_good')));
}
