import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireFacilitator } from '$lib/server/access';
import { addMemberWithoutDevice, listMembers, removeMember } from '$lib/server/members';
import { validateMemberName, validateOrganisationName } from '$lib/server/joining';
import {
	listOrganisationsWithMembers,
	mergeOrganisations,
	setDelegate
} from '$lib/server/organisations';

/** The facilitator's view of who is in the workshop, and of the organisations they represent. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop, user } = await requireFacilitator(locals.user, params.id);
	const services = getServices();
	const [members, organisations] = await Promise.all([
		listMembers(services, workshop.id),
		listOrganisationsWithMembers(services, workshop.id)
	]);
	return {
		workshop: { id: workshop.id, title: workshop.title },
		members: members.map((member) => ({
			userId: member.userId,
			name: member.name,
			organisation: member.organisation,
			role: member.role,
			withoutDevice: member.grantedBy === 'added',
			removable: member.userId !== user.id && member.userId !== workshop.ownerId
		})),
		organisations: organisations.map(({ organisation, members, delegate, designated }) => {
			const voices = members.filter((member) => member.role !== 'observer');
			return {
				id: organisation.id,
				name: organisation.name,
				memberCount: members.length,
				voices: voices.map((member) => ({ userId: member.userId, name: member.name })),
				delegateUserId: designated ? (delegate?.userId ?? null) : null,
				defaultDelegate: voices[0]?.name ?? null
			};
		})
	};
};

const field = (form: FormData, name: string) => String(form.get(name) ?? '').slice(0, 200);

export const actions: Actions = {
	/** Ends the membership and closes their sockets (4403); they need a new join to come back. */
	remove: async ({ params, locals, request }) => {
		const { workshop, user } = await requireFacilitator(locals.user, params.id);
		const userId = field(await request.formData(), 'userId');
		const membership = await getServices().storage.getMembership(workshop.id, userId);
		if (!membership || userId === user.id || userId === workshop.ownerId)
			return fail(400, { removeError: true });
		await removeMember(getServices(), workshop.id, userId);
		return { removed: membership.name };
	},
	add: async ({ params, locals, request }) => {
		const { workshop } = await requireFacilitator(locals.user, params.id);
		const form = await request.formData();
		const name = validateMemberName(field(form, 'name'));
		const organisation = validateOrganisationName(field(form, 'organisation'));
		if (!name)
			return fail(400, {
				addError: 'name' as const,
				name: field(form, 'name'),
				organisation: field(form, 'organisation')
			});
		if (!organisation) {
			return fail(400, {
				addError: 'organisation' as const,
				name: field(form, 'name'),
				organisation: field(form, 'organisation')
			});
		}
		await addMemberWithoutDevice(getServices(), workshop.id, { name, organisation });
		return { added: name };
	},
	merge: async ({ params, locals, request }) => {
		const { workshop } = await requireFacilitator(locals.user, params.id);
		const form = await request.formData();
		const merged = await mergeOrganisations(
			getServices(),
			workshop.id,
			field(form, 'kept'),
			field(form, 'merged')
		);
		if (!merged) return fail(400, { mergeError: true });
		return { merged: true };
	},
	delegate: async ({ params, locals, request }) => {
		const { workshop } = await requireFacilitator(locals.user, params.id);
		const form = await request.formData();
		const userId = field(form, 'userId');
		const done = await setDelegate(
			getServices(),
			workshop.id,
			field(form, 'organisationId'),
			userId === '' ? null : userId
		);
		if (!done) return fail(400, { delegateError: true });
		return { delegateSaved: true };
	}
};
