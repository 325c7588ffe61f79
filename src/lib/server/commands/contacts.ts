/**
 * Allies' contact details through commands, so they never enter the document observers sync.
 * Participants and facilitators read and write them; observers are refused.
 */
import { defineCommand, refuse } from './command';
import { asRecord, isId, readLive } from './inputs';
import { ALLY_CONTACT_MAX } from '../../shared/schema';

export const getContacts = defineCommand<'contacts:get'>({
	roles: ['participant', 'facilitator'],
	parse: (raw) => (asRecord(raw) ? {} : null),
	async run(context) {
		const contacts: Record<string, string> = {};
		for (const contact of await context.services.storage.contacts.list(context.workshopId)) {
			contacts[contact.allyId] = contact.text;
		}
		return { contacts };
	}
});

export const setContact = defineCommand<'contacts:set'>({
	roles: ['participant', 'facilitator'],
	parse(raw) {
		const payload = asRecord(raw);
		if (!payload || !isId(payload.allyId) || typeof payload.text !== 'string') return null;
		if (payload.text.length > ALLY_CONTACT_MAX) return null;
		return { allyId: payload.allyId, text: payload.text, key: payload.key as string };
	},
	idempotent: { scope: (payload) => `contact:${payload.allyId}` },
	async run(context, { allyId, text }) {
		const { ids } = await readLive(context, 'allies');
		if (!ids.includes(allyId)) refuse('not_found', 'ally');
		await context.services.storage.contacts.set({
			workshopId: context.workshopId,
			allyId,
			text,
			updatedBy: context.userId,
			updatedAt: Date.now()
		});
		// No content in the notice: observers are in the room; the others ask with contacts:get.
		context.services.live.toWorkshop(context.workshopId, 'contacts:changed', { allyId });
		return { allyId, text };
	}
});
