import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireFacilitator } from '$lib/server/access';
import { getJoinDetails } from '$lib/server/join-details';
import { replaceLinks, type LinkKind } from '$lib/server/access-links';
import {
	addCoFacilitator,
	deleteWorkshop,
	updateWorkshopDetails,
	validateWorkshopDetails
} from '$lib/server/workshops';
import { m } from '$lib/paraglide/messages';

/** The facilitator's settings: details, ways in (code, links, QR), co-facilitators, deletion. */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	const { workshop, user } = await requireFacilitator(locals.user, params.id);
	const services = getServices();
	// Links people type or scan must reach the app from their phones (PUBLIC_URL, or a LAN address).
	const join = await getJoinDetails(services, workshop.id, url.origin, m.settings_qr_label());
	const facilitators = (await services.storage.listMembers(workshop.id)).filter(
		(member) => member.role === 'facilitator'
	);
	return {
		workshop: {
			id: workshop.id,
			title: workshop.title,
			date: workshop.date,
			place: workshop.place,
			language: workshop.language,
			issue: workshop.issue
		},
		mayDelete: workshop.ownerId === null || workshop.ownerId === user.id,
		joinCode: join.joinCode,
		joinUrl: join.joinUrl,
		inviteUrl: join.inviteUrl,
		observerUrl: join.observerUrl,
		qrSvg: join.qrSvg,
		address: join.address,
		facilitators: facilitators.map((member) => ({ userId: member.userId, name: member.name }))
	};
};

async function replace(locals: App.Locals, workshopId: string, kind: LinkKind, revoke: boolean) {
	await requireFacilitator(locals.user, workshopId);
	const ended = await replaceLinks(getServices(), workshopId, kind, { revoke });
	return { replaced: kind, revoked: revoke ? ended.length : null };
}

export const actions: Actions = {
	details: async ({ params, locals, request }) => {
		const { workshop } = await requireFacilitator(locals.user, params.id);
		const checked = validateWorkshopDetails(await request.formData());
		if ('problem' in checked) return fail(400, { detailsError: checked.problem });
		await updateWorkshopDetails(getServices(), workshop.id, checked);
		return { detailsSaved: true };
	},
	rotateParticipant: ({ params, locals }) => replace(locals, params.id, 'participant', false),
	revokeParticipant: ({ params, locals }) => replace(locals, params.id, 'participant', true),
	rotateObserver: ({ params, locals }) => replace(locals, params.id, 'observer', false),
	revokeObserver: ({ params, locals }) => replace(locals, params.id, 'observer', true),
	addCoFacilitator: async ({ params, locals, request }) => {
		const { workshop } = await requireFacilitator(locals.user, params.id);
		const login = String((await request.formData()).get('login') ?? '').slice(0, 200);
		const result = await addCoFacilitator(getServices(), workshop.id, login);
		if ('problem' in result) return fail(400, { coFacilitatorError: result.problem, login });
		return { coFacilitatorAdded: result.membership.name };
	},
	delete: async ({ params, locals, request }) => {
		const { workshop, user } = await requireFacilitator(locals.user, params.id);
		if (workshop.ownerId !== null && workshop.ownerId !== user.id)
			return fail(403, { deleteError: 'owner-only' as const });
		const typed = String((await request.formData()).get('confirmation') ?? '').trim();
		if (typed !== workshop.title) return fail(400, { deleteError: 'mismatch' as const });
		await deleteWorkshop(getServices(), workshop.id);
		redirect(303, '/');
	}
};
