/**
 * The WAL's checkpointer: a worker thread (sqlite-checkpoint-worker.js) with its own connection
 * checkpoints the WAL every `intervalMs`, so that no commit ever carries a checkpoint's two fsyncs
 * (issue #17: SQLite's automatic checkpoint ran inside the commit that crossed 1,000 pages, and on
 * a 20 ms-per-fsync disk held that commit's edits 40 ms longer). It needs no answer from the
 * thread: a checkpoint that fails or a thread that dies loses nothing, the WAL only grows until
 * the next one (a thread that dies is started again at the next interval).
 */
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
	file: string;
	busyTimeoutMs: number;
	/** How often the WAL is checkpointed. */
	intervalMs?: number;
}

/** What the last checkpoint reported (SQLite's wal_checkpoint row), for tests and metrics. */
export interface CheckpointResult {
	busy: number;
	log: number;
	checkpointed: number;
}

const WORKER_URL = new URL('./sqlite-checkpoint-worker.js', import.meta.url);

export class SqliteCheckpointer {
	#worker: Worker | null = null;
	#restart: ReturnType<typeof setTimeout> | null = null;
	#closed = false;
	#waiters: ((result: CheckpointResult) => void)[] = [];
	/** Checkpoints made so far, and the last one's figures. */
	count = 0;
	last: CheckpointResult | null = null;

	constructor(readonly options: CheckpointerOptions) {}

	/** The running thread, if any (for tests that crash it). */
	get worker(): Worker | null {
		return this.#worker;
	}

	start(): void {
		if (this.#closed || this.#worker) return;
		const intervalMs = this.options.intervalMs ?? 1000;
		const worker = new Worker(WORKER_URL, {
			workerData: { file: this.options.file, busyTimeoutMs: this.options.busyTimeoutMs, intervalMs }
		});
		this.#worker = worker;
		worker.on('message', (message: { op: string } & CheckpointResult) => {
			if (message.op !== 'checkpointed') return;
			this.count += 1;
			this.last = { busy: message.busy, log: message.log, checkpointed: message.checkpointed };
			for (const resolve of this.#waiters.splice(0)) resolve(this.last);
		});
		worker.on('error', () => {}); // its exit follows; the WAL waits for the next thread
		worker.on('exit', () => {
			if (this.#worker === worker) this.#worker = null;
			if (this.#closed) return;
			this.#restart = setTimeout(() => this.start(), intervalMs);
			this.#restart.unref();
		});
		// Never what keeps a process alive: a CLI that opened the storage exits when it is done.
		// (After the listeners: attaching a 'message' listener refs the worker's port again.)
		worker.unref();
	}

	/** Checkpoints now, and resolves with what it did (tests; the interval goes on as before). */
	checkpointNow(): Promise<CheckpointResult> {
		this.start();
		const done = new Promise<CheckpointResult>((resolve) => this.#waiters.push(resolve));
		this.#worker?.postMessage({ op: 'now' });
		return done;
	}

	async close(): Promise<void> {
		this.#closed = true;
		if (this.#restart) clearTimeout(this.#restart);
		const worker = this.#worker;
		if (!worker) return;
		const exited = new Promise((resolve) => worker.once('exit', resolve));
		worker.ref(); // until it has closed its connection
		worker.postMessage({ op: 'close' });
		await exited;
	}
}
