/**
 * Who this person is in the workshop as the server sees it now (role, organisation, delegate) and
 * the workshop's organisations: one request per page, shared by the components that need it and
 * refreshed when the command channel reconnects.
 */
import type { CommandsState } from './commands.svelte';
import type { OrganisationsView } from '$lib/shared/events';

export class MemberState {
	readonly #commands: CommandsState;
	#view = $state<OrganisationsView | null>(null);
	#loading: Promise<void> | null = null;

	constructor(commands: CommandsState) {
		this.#commands = commands;
	}

	/** Null until known. */
	get role(): OrganisationsView['mine']['role'] | null {
		return this.#view?.mine.role ?? null;
	}
	get facilitator(): boolean {
		return this.role === 'facilitator';
	}
	/** Participants and facilitators: those who give inputs. */
	get contributor(): boolean {
		return this.role === 'participant' || this.role === 'facilitator';
	}
	get organisationId(): string | null {
		return this.#view?.mine.organisationId ?? null;
	}
	get delegate(): boolean {
		return this.#view?.mine.delegate ?? false;
	}
	get organisations(): OrganisationsView['organisations'] {
		return this.#view?.organisations ?? [];
	}

	/** Asks the server (once at a time); keeps the last answer when it fails. */
	refresh(): Promise<void> {
		this.#loading ??= this.#commands
			.send('organisations:list', {})
			.then((result) => {
				if (result.ok) this.#view = result.value;
			})
			.finally(() => (this.#loading = null));
		return this.#loading;
	}
}

const members = new WeakMap<CommandsState, MemberState>();

/**
 * The page's MemberState (one per command channel, so per page and user). Callers refresh it once
 * connected: `$effect(() => { if (commands.connected) void member.refresh(); })`.
 */
export function memberOf(commands: CommandsState): MemberState {
	let member = members.get(commands);
	if (!member) {
		member = new MemberState(commands);
		members.set(commands, member);
	}
	return member;
}
