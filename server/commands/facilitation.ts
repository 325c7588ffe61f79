/** Facilitation controls: commands only facilitators send, written by the server. */
import { defineCommand } from './command';
import { isBoardStep } from '../../src/lib/shared/steps';

/** "Bring everyone to this step": participants follow, and can break away and come back. */
export const setStep = defineCommand<'facilitation:step'>({
	roles: ['facilitator'],
	parse(payload) {
		const step = (payload as { step?: unknown } | null)?.step;
		return step === null || isBoardStep(step) ? { step } : null;
	},
	async run({ changeDocument }, { step }) {
		await changeDocument((doc) => doc.getMap('facilitation').set('step', step));
		return { step };
	}
});
