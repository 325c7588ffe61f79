/**
 * Who may vote for whom, and whom a private input is for: the pure rules behind `vote:cast`,
 * `scores:set` and `map:place` (the server looks up their inputs).
 */
import { describe, expect, it } from 'vitest';
import { decideInputMember, decideVoice, type VoiceInput } from '../../src/lib/server/voices';
import type { Membership, Organisation } from '../../src/lib/server/ports/storage';

function member(
	userId: string,
	role: Membership['role'],
	organisation: [string, string] | null = ['care', 'CARE Mali']
): Membership {
	return {
		workshopId: 'w',
		userId,
		role,
		name: `Name ${userId}`,
		organisationId: organisation?.[0] ?? null,
		organisation: organisation?.[1] ?? null,
		grantedBy: role === 'facilitator' ? 'creator' : 'join-code',
		joinedAt: 0
	};
}

const moussa = member('moussa', 'participant');
const fatou = member('fatou', 'participant');
const oumar = member('oumar', 'participant', ['mairie', 'Mairie de Kayes']);
const awa = member('awa', 'facilitator', null);
const observer = member('obs', 'observer');
const tassaght: Organisation = {
	id: 'tassaght',
	workshopId: 'w',
	name: 'Tassaght',
	createdAt: 0,
	delegateUserId: null
};

function decide(input: Partial<VoiceInput>) {
	return decideVoice({
		voice: 'participant',
		sender: moussa,
		senderIsDelegate: false,
		onBehalf: null,
		target: null,
		organisation: null,
		organisationPresent: false,
		...input
	});
}

describe('one voice per participant', () => {
	it('lets a participant vote for themselves', () => {
		expect(decide({})).toEqual({
			ok: true,
			proxy: false,
			voice: {
				key: 'u:moussa',
				voterId: 'moussa',
				name: 'Name moussa',
				organisationId: 'care',
				organisation: 'CARE Mali'
			}
		});
	});

	it('gives facilitators and observers no voice of their own', () => {
		expect(decide({ sender: awa })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_a_voter'
		});
		expect(decide({ sender: observer })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_a_voter'
		});
	});

	it('refuses a participant voting in another member’s name', () => {
		expect(decide({ onBehalf: { kind: 'member', userId: 'fatou' }, target: fatou })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_proxy'
		});
	});

	it('lets the facilitator enter a member’s vote, as a proxy', () => {
		const decision = decide({
			sender: awa,
			onBehalf: { kind: 'member', userId: 'fatou' },
			target: fatou
		});
		expect(decision).toMatchObject({
			ok: true,
			proxy: true,
			voice: { key: 'u:fatou', voterId: 'fatou' }
		});
	});

	it('lets a delegate enter the vote of a member of their own organisation only', () => {
		expect(
			decide({
				senderIsDelegate: true,
				onBehalf: { kind: 'member', userId: 'fatou' },
				target: fatou
			})
		).toMatchObject({
			ok: true,
			proxy: true,
			voice: { key: 'u:fatou' }
		});
		expect(
			decide({
				senderIsDelegate: true,
				onBehalf: { kind: 'member', userId: 'oumar' },
				target: oumar
			})
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_proxy'
		});
	});

	it('lets only the facilitator enter the vote of someone without a phone, by name', () => {
		const offline = { kind: 'offline' as const, name: 'Aminata Traoré', organisation: 'Tassaght' };
		expect(decide({ sender: awa, onBehalf: offline })).toEqual({
			ok: true,
			proxy: true,
			voice: {
				key: 'n:aminatatraore',
				voterId: null,
				name: 'Aminata Traoré',
				organisationId: null,
				organisation: 'Tassaght'
			}
		});
		expect(decide({ senderIsDelegate: true, onBehalf: offline })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_proxy'
		});
	});

	it('refuses a proxy for someone who is not a participant', () => {
		expect(
			decide({ sender: awa, onBehalf: { kind: 'member', userId: 'obs' }, target: observer })
		).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'voter'
		});
		expect(
			decide({ sender: awa, onBehalf: { kind: 'member', userId: 'gone' }, target: null })
		).toMatchObject({ ok: false, reason: 'voter' });
	});
});

describe('one voice per organisation', () => {
	const perOrganisation = { voice: 'organisation' as const };

	it('lets the delegate vote for the organisation, and no other member', () => {
		expect(decide({ ...perOrganisation, senderIsDelegate: true })).toEqual({
			ok: true,
			proxy: false,
			voice: {
				key: 'o:care',
				voterId: null,
				name: 'CARE Mali',
				organisationId: 'care',
				organisation: 'CARE Mali'
			}
		});
		expect(decide({ ...perOrganisation, sender: fatou })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_delegate'
		});
	});

	it('lets the facilitator enter any organisation’s vote', () => {
		expect(
			decide({
				...perOrganisation,
				sender: awa,
				onBehalf: { kind: 'organisation', organisationId: 'tassaght' },
				organisation: tassaght,
				organisationPresent: true
			})
		).toMatchObject({ ok: true, proxy: true, voice: { key: 'o:tassaght', name: 'Tassaght' } });
	});

	it('lets another delegate hold the proxy of an absent organisation, not of a present one', () => {
		const proxy = {
			...perOrganisation,
			senderIsDelegate: true,
			onBehalf: { kind: 'organisation' as const, organisationId: 'tassaght' },
			organisation: tassaght
		};
		expect(decide(proxy)).toMatchObject({ ok: true, proxy: true, voice: { key: 'o:tassaght' } });
		expect(decide({ ...proxy, organisationPresent: true })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'organisation_present'
		});
		expect(decide({ ...proxy, sender: fatou, senderIsDelegate: false })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_proxy'
		});
	});

	it('keys an organisation that never joined by its name, and one that did by its id', () => {
		const absent = { kind: 'offline' as const, name: 'Jeunes de Kayes', organisation: null };
		expect(decide({ ...perOrganisation, sender: awa, onBehalf: absent })).toMatchObject({
			ok: true,
			voice: { key: 'on:jeunesdekayes', name: 'Jeunes de Kayes', organisationId: null }
		});
		expect(
			decide({
				...perOrganisation,
				sender: awa,
				onBehalf: { ...absent, name: 'tassaght' },
				organisation: tassaght
			})
		).toMatchObject({
			voice: { key: 'o:tassaght' }
		});
	});

	it('refuses a member proxy in an organisation round and an organisation proxy in a participant round', () => {
		expect(
			decide({
				...perOrganisation,
				sender: awa,
				onBehalf: { kind: 'member', userId: 'fatou' },
				target: fatou
			})
		).toMatchObject({
			ok: false,
			reason: 'voice_mode'
		});
		expect(
			decide({
				sender: awa,
				onBehalf: { kind: 'organisation', organisationId: 'tassaght' },
				organisation: tassaght
			})
		).toMatchObject({
			ok: false,
			reason: 'voice_mode'
		});
	});
});

describe('private inputs (scores, placements)', () => {
	it("is the sender's own unless they name someone else; an observer has none", () => {
		expect(decideInputMember(moussa, null, null)).toEqual({ ok: true, member: moussa });
		expect(decideInputMember(moussa, 'moussa', null)).toEqual({ ok: true, member: moussa });
		expect(decideInputMember(observer, null, null)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
	});

	it('lets only a facilitator enter one for another member, never for an observer', () => {
		expect(decideInputMember(awa, 'fatou', fatou)).toEqual({ ok: true, member: fatou });
		expect(decideInputMember(awa, 'obs', observer)).toMatchObject({
			ok: false,
			error: 'not_found'
		});
		expect(decideInputMember(awa, 'ghost', null)).toMatchObject({ ok: false, error: 'not_found' });
		// A delegate proxies votes, not inputs: only the delegate's own input counts per organisation.
		expect(decideInputMember(moussa, 'fatou', fatou)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'on_behalf'
		});
	});
});
