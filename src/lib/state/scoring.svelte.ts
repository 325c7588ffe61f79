/**
 * A person's private Option 1 scores, through commands only (they never enter the document), and
 * for facilitators the scoring progress and the person they are entering scores for.
 */
import type { CommandsState } from './commands.svelte';
import { withKey } from '$lib/realtime/idempotency';
import type { Criterion, Decision } from '$lib/shared/candidates';
import type { VoiceMode } from '$lib/shared/consensus';
import type { CommandError } from '$lib/shared/events';
import type { ScoringProgress } from '$lib/shared/voices';

type Scores = Record<string, Partial<Record<Criterion, number>>>;

export class ScoringState {
	readonly #commands: CommandsState;
	#scores = $state<Scores>({});
	#enteredByOthers = $state<string[]>([]);
	/** A facilitator entering scores for this member (null: for themselves). */
	#onBehalfOf = $state<string | null>(null);
	#progress = $state<ScoringProgress | null>(null);
	#error = $state<CommandError | null>(null);
	#selfId = $state<string | null>(null);
	#stopProgress: (() => void) | null = null;

	constructor(commands: CommandsState) {
		this.#commands = commands;
	}

	/** This person's user id, once the server told it. */
	get selfId(): string | null {
		return this.#selfId;
	}

	get onBehalfOf(): string | null {
		return this.#onBehalfOf;
	}
	get progress(): ScoringProgress | null {
		return this.#progress;
	}
	/** The last refusal or failure, until the next success. */
	get error(): CommandError | null {
		return this.#error;
	}

	score(candidateId: string, criterion: Criterion): number | null {
		return this.#scores[candidateId]?.[criterion] ?? null;
	}

	/** Whether this score was entered by someone else (the facilitator) for this person. */
	enteredByOther(candidateId: string, criterion: Criterion): boolean {
		return this.#enteredByOthers.includes(`${candidateId}:${criterion}`);
	}

	/** Switches whose scores are shown and entered (facilitators), and loads them. */
	async enterFor(userId: string | null): Promise<void> {
		this.#onBehalfOf = userId;
		this.#scores = {};
		await this.load();
	}

	async load(): Promise<void> {
		const target = this.#onBehalfOf;
		const result = await this.#commands.send('scores:mine', target ? { onBehalfOf: target } : {});
		if (this.#onBehalfOf !== target) return;
		if (!result.ok) return void (this.#error = result.error);
		if (target === null) this.#selfId = result.value.userId;
		this.#scores = result.value.inputs;
		this.#enteredByOthers = result.value.enteredByOthers;
	}

	/** Sets one score (null clears it), shown at once and put back if the server refuses it. */
	async set(candidateId: string, criterion: Criterion, score: number | null): Promise<void> {
		const target = this.#onBehalfOf;
		const previous = this.score(candidateId, criterion);
		this.#put(candidateId, criterion, score);
		const payload = withKey({
			candidateId,
			scores: { [criterion]: score },
			...(target ? { onBehalfOf: target } : {})
		});
		const result = await this.#commands.send('scores:set', payload);
		if (this.#onBehalfOf !== target) return;
		if (!result.ok) {
			this.#error = result.error;
			return this.#put(candidateId, criterion, previous);
		}
		this.#error = null;
		this.#scores = { ...this.#scores, [candidateId]: result.value.scores };
		const item = `${candidateId}:${criterion}`;
		const others = this.#enteredByOthers.filter((other) => other !== item);
		const byOther = result.value.enteredBy !== result.value.userId && score !== null;
		this.#enteredByOthers = byOther ? [...others, item] : others;
	}

	/** Facilitators: follows progress (pushed to the facilitators' room) after a first read. */
	async followProgress(): Promise<void> {
		this.#stopProgress ??= this.#commands.on(
			'scores:progress',
			(progress) => (this.#progress = progress)
		);
		const result = await this.#commands.send('scores:status', {});
		if (result.ok) this.#progress = result.value;
	}

	reveal(candidateId: string | null) {
		return this.#commands.send('scores:reveal', { candidateId });
	}

	decide(candidateId: string, decision: Decision | null) {
		return this.#commands.send('candidate:decide', { candidateId, decision });
	}

	setVoice(voice: VoiceMode) {
		return this.#commands.send('scores:mode', { voice });
	}

	destroy(): void {
		this.#stopProgress?.();
	}

	#put(candidateId: string, criterion: Criterion, score: number | null): void {
		const scores = { ...this.#scores[candidateId] };
		if (score === null) delete scores[criterion];
		else scores[criterion] = score;
		this.#scores = { ...this.#scores, [candidateId]: scores };
	}
}
