import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getServices } from '$lib/server/services';
import { requireMember } from '$lib/server/access';
import { loadRecord } from '$lib/server/record';
import { isCsvTable, recordCsv } from '$lib/server/export-csv';
import { recordMarkdown } from '$lib/server/export-markdown';
import { buildWorkshopFile, exportFileName } from '$lib/server/export-json';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

/**
 * `/w/<id>/export/<table>.csv` (allies, tasks, pipeline, votes), `record.md` and `workshop.json`:
 * any member may download them; contact details, ballots and individual scores only reach a
 * facilitator's export (decided here, on the server, from the membership).
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { workshop, membership } = await requireMember(locals.user, params.id);
	const services = getServices();
	const facilitator = membership.role === 'facilitator';
	const locale = getLocale();
	const [name, extension] = params.file.split('.');
	if (extension === 'json' && name === 'workshop') {
		const file = await buildWorkshopFile(
			services,
			workshop.id,
			facilitator ? 'facilitator' : 'member'
		);
		return download(
			JSON.stringify(file),
			'application/json; charset=utf-8',
			exportFileName(workshop, 'json')
		);
	}
	const { record, organisations } = await loadRecord(services, workshop.id);
	if (extension === 'md' && name === 'record') {
		const text = recordMarkdown(workshop, record, { locale, organisations });
		return download(text, 'text/markdown; charset=utf-8', exportFileName(workshop, 'md'));
	}
	if (extension === 'csv' && isCsvTable(name)) {
		const contacts =
			facilitator && name === 'allies'
				? await services.storage.contacts.list(workshop.id)
				: undefined;
		const text = recordCsv(record, name, { locale, organisations, contacts });
		return download(
			text,
			'text/csv; charset=utf-8',
			exportFileName({ ...workshop, title: `${workshop.title}-${name}` }, 'csv')
		);
	}
	error(404, { message: m.error_not_found() });
};

function download(body: string, type: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}
