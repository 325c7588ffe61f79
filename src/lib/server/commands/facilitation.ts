/** Facilitation controls: commands only facilitators send, written by the server. */
import { defineCommand, type CommandContext } from './command';
import { recordHistory, snapshotOf, type DocSnapshot } from './history';
import { isBoardStep, isPathOption, type BoardStep } from '../../shared/steps';
import { setFacilitationSetting } from '../../shared/facilitation-settings';
import { isCountdownDuration } from '../../shared/countdown';
import { isProjectorScreen } from '../../shared/projector-screen';

/**
 * "Bring everyone to this step": participants follow, and can break away and come back. The first
 * time the group is brought to a step, the event log records it ("step reached", with the board as
 * it then stood) for the history's timeline. Commands run one at a time per workshop in a process,
 * so two facilitators bringing the group there at once record it once; should two instances, or two
 * merged copies, both record it, the timeline shows the first.
 */
export const setStep = defineCommand<'facilitation:step'>({
	roles: ['facilitator'],
	parse(payload) {
		const step = (payload as { step?: unknown } | null)?.step;
		return step === null || isBoardStep(step) ? { step } : null;
	},
	async run(context, { step }) {
		const at = Date.now();
		const first = step !== null && !(await hasReached(context, step));
		const outcome: { snapshot?: DocSnapshot } = {};
		await context.changeDocument((doc) => {
			const facilitation = doc.getMap('facilitation');
			setFacilitationSetting(doc, 'step', step, at);
			// The room looks where it is brought: the projector goes back to the board.
			if (step !== null && facilitation.get('screen') !== 'board')
				facilitation.set('screen', 'board');
			if (first) outcome.snapshot = snapshotOf(doc);
		});
		if (step !== null && outcome.snapshot)
			await recordHistory(context, 'step', at, step, outcome.snapshot);
		return { step };
	}
});

async function hasReached(context: CommandContext, step: BoardStep): Promise<boolean> {
	const events = await context.services.storage.history.listEvents(context.workshopId);
	return events.some((event) => event.kind === 'step' && event.reason === step);
}

/**
 * The countdown travels as a duration and the server's start time; each client corrects for its
 * own clock's offset (CommandsState.serverNow()), so every screen shows the same time left.
 */
export const setCountdown = defineCommand<'facilitation:countdown'>({
	roles: ['facilitator'],
	parse(payload) {
		const durationMs = (payload as { durationMs?: unknown } | null)?.durationMs;
		return durationMs === null || isCountdownDuration(durationMs) ? { durationMs } : null;
	},
	async run({ changeDocument }, { durationMs }) {
		const countdown = durationMs === null ? null : { durationMs, startedAt: Date.now() };
		await changeDocument((doc) => doc.getMap('facilitation').set('countdown', countdown));
		return { countdown };
	}
});

/** Option 1 (join), Option 2 (create) or both: the path everyone's navigation shows. */
export const setPath = defineCommand<'facilitation:path'>({
	roles: ['facilitator'],
	parse(payload) {
		const path = (payload as { path?: unknown } | null)?.path;
		return isPathOption(path) ? { path } : null;
	},
	async run({ changeDocument }, { path }) {
		await changeDocument((doc) => setFacilitationSetting(doc, 'path', path, Date.now()));
		return { path };
	}
});

/** What the projector shows: the group's step, the join screen or the charter. */
export const setScreen = defineCommand<'facilitation:screen'>({
	roles: ['facilitator'],
	parse(payload) {
		const screen = (payload as { screen?: unknown } | null)?.screen;
		return isProjectorScreen(screen) ? { screen } : null;
	},
	async run({ changeDocument }, { screen }) {
		await changeDocument((doc) => doc.getMap('facilitation').set('screen', screen));
		return { screen };
	}
});
