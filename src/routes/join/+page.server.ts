import { fail, redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { getServices } from '$lib/server/services';
import { checkJoinCode } from '$lib/server/joining';
import { isWorkshopArchived } from '$lib/server/workshops';
import { joinDevice } from '$lib/server/join-device';

export const actions: Actions = {
	/** A right code leads to the workshop's invite page (name and organisation). */
	default: async (event) => {
		const form = await event.request.formData();
		const code = String(form.get('code') ?? '').slice(0, 32);
		const result = await checkJoinCode(getServices(), {
			code,
			address: event.getClientAddress(),
			device: joinDevice(event)
		});
		if ('problem' in result) {
			if (result.problem === 'rate-limited') {
				const minutes = Math.max(1, Math.ceil(result.retryAfterMs / 60_000));
				return fail(429, { code, error: 'rate-limited' as const, minutes });
			}
			return fail(400, { code, error: 'invalid' as const, minutes: 0 });
		}
		if (await isWorkshopArchived(getServices(), result.workshopId)) {
			return fail(410, { code, error: 'archived' as const, minutes: 0 });
		}
		redirect(303, `/join/${result.inviteToken}`);
	}
};
