/**
 * Whose private inputs count, and who may enter one for whom. One voice per participant: every
 * participant's input counts. One voice per organisation: only each organisation's delegate's.
 */
import type { CoreServices } from './ports/services';
import type { Membership } from './ports/storage';
import type { VoiceMode } from '../shared/consensus';
import type { VoiceMember } from '../shared/voices';
import { listDelegates } from './delegates';

type VoiceServices = Pick<CoreServices, 'storage'>;

/** The members whose inputs count under `voice`, in the order they joined. */
export async function listVoices(
	services: VoiceServices,
	workshopId: string,
	voice: VoiceMode
): Promise<Membership[]> {
	if (voice === 'organisation') {
		const delegates = await listDelegates(services, workshopId);
		return [...delegates.values()].sort((a, b) => a.joinedAt - b.joinedAt);
	}
	return (await services.storage.listMembers(workshopId)).filter(
		(member) => member.role === 'participant'
	);
}

/** Members a facilitator may enter inputs for: anyone but observers. */
export async function listInputMembers(
	services: VoiceServices,
	workshopId: string
): Promise<Membership[]> {
	return (await services.storage.listMembers(workshopId)).filter(
		(member) => member.role !== 'observer'
	);
}

export function toVoiceMember(member: Membership): VoiceMember {
	return { userId: member.userId, name: member.name, organisation: member.organisation };
}
