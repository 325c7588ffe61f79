// One step's guide, a chunk of its own (see stepGuides in ../../step-labels.ts).
import { m } from '$lib/paraglide/messages';

export default m.step_mobilise_guide;
