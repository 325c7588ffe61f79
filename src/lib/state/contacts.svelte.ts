/**
 * Allies' contact details through commands (never in the document): loaded for participants and
 * facilitators, refused to observers. A change notice (without content) makes everyone allowed
 * ask again. One instance per page, shared by the ally cards.
 */
import type { CommandsState } from './commands.svelte';
import { withKey } from '$lib/realtime/idempotency';

export class ContactsState {
	readonly #commands: CommandsState;
	#contacts = $state<Record<string, string>>({});
	/** Null until the server answered; false for observers. */
	#allowed = $state<boolean | null>(null);
	/** Listening for changes, from the first load on (for as long as the page's commands live). */
	#listening = false;

	constructor(commands: CommandsState) {
		this.#commands = commands;
	}

	get allowed(): boolean | null {
		return this.#allowed;
	}

	contact(allyId: string): string {
		return this.#contacts[allyId] ?? '';
	}

	async load(): Promise<void> {
		if (!this.#listening) {
			this.#listening = true;
			this.#commands.on('contacts:changed', () => {
				if (this.#allowed) void this.load();
			});
		}
		const result = await this.#commands.send('contacts:get', {});
		if (result.ok) {
			this.#allowed = true;
			this.#contacts = result.value.contacts;
		} else if (result.error === 'forbidden') {
			this.#allowed = false;
		}
	}

	/** Saves the ally's contact details; resolves whether the server stored them. */
	async save(allyId: string, text: string): Promise<boolean> {
		const result = await this.#commands.send('contacts:set', withKey({ allyId, text }));
		if (!result.ok) return false;
		this.#contacts = { ...this.#contacts, [allyId]: result.value.text };
		return true;
	}
}

const pages = new WeakMap<CommandsState, ContactsState>();

/** The page's ContactsState (one per command channel); callers `load()` it once connected. */
export function contactsOf(commands: CommandsState): ContactsState {
	let contacts = pages.get(commands);
	if (!contacts) {
		contacts = new ContactsState(commands);
		pages.set(commands, contacts);
	}
	return contacts;
}
