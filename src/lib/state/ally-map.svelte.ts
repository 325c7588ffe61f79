/**
 * The ally map as runes: the group's revealed placements from the server-owned `allyMap` root,
 * this person's private placements through commands, and for facilitators the progress and the
 * member they are placing allies for.
 */
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import type { BoardState } from './board.svelte';
import type { CommandsState } from './commands.svelte';
import { withKey } from '$lib/realtime/idempotency';
import {
	readAllyMap,
	type MapAxis,
	type Placement,
	type RevealedPlacement
} from '$lib/shared/ally-map';
import type { CommandError } from '$lib/shared/events';
import { readScoringVoice, type MapProgress } from '$lib/shared/voices';
import type { VoiceMode } from '$lib/shared/consensus';

export class AllyMapState {
	readonly #doc: Y.Doc;
	readonly #commands: CommandsState;
	readonly #subscribe;
	#placements = $state<Record<string, Placement>>({});
	/** One axis chosen, the other not yet: kept here, unsent (a placement needs both). */
	#pending = $state<Record<string, Partial<Placement>>>({});
	#enteredByOthers = $state<string[]>([]);
	#onBehalfOf = $state<string | null>(null);
	#progress = $state<MapProgress | null>(null);
	#error = $state<CommandError | null>(null);
	#selfId = $state<string | null>(null);
	#stopProgress: (() => void) | null = null;

	constructor(board: BoardState, commands: CommandsState) {
		this.#doc = board.doc;
		this.#commands = commands;
		const roots = [this.#doc.getMap('allyMap'), this.#doc.getMap('facilitation')];
		this.#subscribe = createSubscriber((update) => {
			for (const root of roots) root.observe(update);
			return () => {
				for (const root of roots) root.unobserve(update);
			};
		});
	}

	/** Ally id -> the group's revealed placement. */
	get revealed(): Map<string, RevealedPlacement> {
		this.#subscribe();
		return readAllyMap(this.#doc);
	}

	/** This person's user id, once the server told it. */
	get selfId(): string | null {
		return this.#selfId;
	}

	/** Whose placements count (the workshop's scoring voice mode). */
	get voice(): VoiceMode {
		this.#subscribe();
		return readScoringVoice(this.#doc);
	}

	get onBehalfOf(): string | null {
		return this.#onBehalfOf;
	}
	get progress(): MapProgress | null {
		return this.#progress;
	}
	get error(): CommandError | null {
		return this.#error;
	}

	placement(allyId: string): Placement | null {
		return this.#placements[allyId] ?? null;
	}

	enteredByOther(allyId: string): boolean {
		return this.#enteredByOthers.includes(allyId);
	}

	async enterFor(userId: string | null): Promise<void> {
		this.#onBehalfOf = userId;
		this.#placements = {};
		this.#pending = {};
		await this.load();
	}

	async load(): Promise<void> {
		const target = this.#onBehalfOf;
		const result = await this.#commands.send('map:mine', target ? { onBehalfOf: target } : {});
		if (this.#onBehalfOf !== target) return;
		if (!result.ok) return void (this.#error = result.error);
		if (target === null) this.#selfId = result.value.userId;
		this.#placements = result.value.inputs;
		this.#enteredByOthers = result.value.enteredByOthers;
	}

	/**
	 * Sets one axis of the ally's placement. A placement needs both axes: until the other one is
	 * chosen it stays here (`pending`), unsent.
	 */
	async place(allyId: string, axis: MapAxis, value: number): Promise<void> {
		const next: Partial<Placement> = {
			...(this.#placements[allyId] ?? this.#pending[allyId]),
			[axis]: value
		};
		if (next.influence === undefined || next.interest === undefined) {
			this.#pending = { ...this.#pending, [allyId]: next };
			return;
		}
		await this.#send(allyId, { influence: next.influence, interest: next.interest });
	}

	/** The axis value chosen so far (sent or pending). */
	value(allyId: string, axis: MapAxis): number | null {
		return this.#placements[allyId]?.[axis] ?? this.#pending[allyId]?.[axis] ?? null;
	}

	async clear(allyId: string): Promise<void> {
		this.#dropPending(allyId);
		if (this.#placements[allyId]) await this.#send(allyId, null);
	}

	async followProgress(): Promise<void> {
		this.#stopProgress ??= this.#commands.on(
			'map:progress',
			(progress) => (this.#progress = progress)
		);
		const result = await this.#commands.send('map:status', {});
		if (result.ok) this.#progress = result.value;
	}

	reveal(allyId: string | null) {
		return this.#commands.send('map:reveal', { allyId });
	}

	destroy(): void {
		this.#stopProgress?.();
	}

	async #send(allyId: string, placement: Placement | null): Promise<void> {
		const target = this.#onBehalfOf;
		const previous = this.#placements[allyId] ?? null;
		this.#set(allyId, placement);
		const payload = withKey({ allyId, placement, ...(target ? { onBehalfOf: target } : {}) });
		const result = await this.#commands.send('map:place', payload);
		if (this.#onBehalfOf !== target) return;
		if (!result.ok) {
			this.#error = result.error;
			return this.#set(allyId, previous);
		}
		this.#error = null;
		this.#dropPending(allyId);
		this.#markEnteredBy(
			allyId,
			result.value.enteredBy !== result.value.userId && placement !== null
		);
	}

	#markEnteredBy(item: string, byOther: boolean): void {
		const others = this.#enteredByOthers.filter((other) => other !== item);
		this.#enteredByOthers = byOther ? [...others, item] : others;
	}

	#dropPending(allyId: string): void {
		const { [allyId]: _dropped, ...rest } = this.#pending;
		this.#pending = rest;
	}

	#set(allyId: string, placement: Placement | null): void {
		const { [allyId]: _old, ...rest } = this.#placements;
		this.#placements = placement ? { ...rest, [allyId]: placement } : rest;
	}
}
