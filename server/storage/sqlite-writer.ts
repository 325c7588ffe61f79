/**
 * The update log's writer: a worker thread (sqlite-writer-worker.js) with its own connection
 * commits doc_updates and doc_snapshots, fsync included, so a slow disk delays only what waits
 * for the commit and never the event loop. Requests run one at a time in the order they were made.
 * A worker that dies fails what it had been asked and not answered; the next request starts a
 * new one.
 *
 * The main thread's own writes (the other tables) take turns with the writer's requests through
 * `exclusive`, in one queue: the two connections never wait for each other's lock, so neither
 * blocks on the other's fsync nor fails with SQLITE_BUSY because of it. The busy timeout is left
 * for locks held by other processes. The main connection commits without an fsync; `exclusive`
 * resolves once this thread has synced the WAL its write went to, so no fsync runs on the event
 * loop.
 */
import { Worker } from 'node:worker_threads';
import type { UpdateRow } from '../../src/lib/server/ports/storage';

export interface WriterOptions {
	/** The database file; its schema already exists (the main connection creates it). */
	file: string;
	busyTimeoutMs: number;
	/** Told roughly how many bytes each write adds to the WAL (for when checkpoints are needed). */
	onWrite?: (bytes: number) => void;
}

/** What a main-connection write is counted as: a page or so. */
const MAIN_WRITE_BYTES = 4096;

/** Beside this module: server/storage/ from the sources, build/ in the compiled server. */
const WORKER_URL = new URL('./sqlite-writer-worker.js', import.meta.url);

export class SqliteWriter {
	#worker: Worker | null = null;
	readonly #pending = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();
	// (One at a time: #tail posts a request once the previous one is answered.)
	#nextId = 1;
	#closed = false;
	/** Settles when everything queued so far (requests and exclusive writes) has. */
	#tail: Promise<unknown> = Promise.resolve();
	/** Requests and exclusive writes asked and not yet settled. */
	#queued = 0;
	#starts = 0;

	constructor(readonly options: WriterOptions) {}

	/** Starts the thread now rather than on the first request; rejects if it cannot answer. */
	async start(): Promise<void> {
		await this.#request('settings', {});
	}

	/** The running worker thread, if any (for tests that crash it). */
	get worker(): Worker | null {
		return this.#worker;
	}

	/** Worker threads started so far, the first included. */
	get starts(): number {
		return this.#starts;
	}

	append(rows: UpdateRow[]): Promise<number[]> {
		this.options.onWrite?.(rows.reduce((sum, row) => sum + row.update.length, 0));
		return this.#request('append', { rows });
	}

	compact(doc: string, snapshot: Uint8Array, upto: number, owned: string): Promise<void> {
		this.options.onWrite?.(snapshot.length);
		return this.#request('compact', { doc, snapshot, upto, owned });
	}

	delete(doc: string): Promise<void> {
		return this.#request('delete', { doc });
	}

	/** Whether the writer can open a write transaction right now (after what it was asked before). */
	checkWritable(): Promise<boolean> {
		return this.#request<boolean>('checkWritable', {}).catch(() => false);
	}

	/** The writer connection's journal mode, synchronous level (2: FULL) and automatic checkpoint. */
	settings(): Promise<{ journalMode: string; synchronous: number; autocheckpoint: number }> {
		return this.#request('settings', {});
	}

	/** Lets the worker finish what it was asked, then closes its connection and stops it. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true; // asked before: still done; asked after: refused
		await this.#enqueue(async () => {
			const worker = this.#worker;
			if (!worker) return;
			const exited = new Promise((resolve) => worker.once('exit', resolve));
			await this.#post('close', {}).catch(() => {});
			// Answered, so unref'd again: hold the process (a CLI has nothing else) until it exits.
			worker.ref();
			await exited;
		});
	}

	/**
	 * Runs `write` (synchronous, on the calling thread's connection) once the writer has answered
	 * everything asked before, and before anything asked after.
	 */
	exclusive<T>(write: () => T): Promise<T> {
		if (this.#closed) return Promise.reject(new Error('storage writer closed'));
		this.options.onWrite?.(MAIN_WRITE_BYTES);
		return this.#enqueue(async () => {
			const result = write();
			// Committed without an fsync (synchronous=NORMAL on that connection): done once the
			// writer has synced the WAL, off the event loop.
			await this.#post('sync', {});
			return result;
		});
	}

	#enqueue<T>(task: () => T | Promise<T>): Promise<T> {
		// Nothing ahead of it: it starts now rather than a microtask later, so that a commit asked
		// just before the relays of the previous one are sent reaches the thread before them.
		const started =
			this.#queued === 0 ? new Promise<T>((resolve) => resolve(task())) : this.#tail.then(task);
		this.#queued += 1;
		// Counted out before whoever awaits it resumes: the next commit, asked from there, is the
		// one with nothing ahead of it.
		const done = () => (this.#queued -= 1);
		const run = started.then(
			(value) => (done(), value),
			(error: unknown) => {
				done();
				throw error;
			}
		);
		this.#tail = run.catch(() => {});
		return run;
	}

	#request<T>(op: string, request: object): Promise<T> {
		if (this.#closed) return Promise.reject(new Error('storage writer closed'));
		return this.#enqueue(() => this.#post<T>(op, request));
	}

	#post<T>(op: string, request: object): Promise<T> {
		const worker = this.#worker ?? this.#start();
		const id = this.#nextId++;
		return new Promise<T>((resolve, reject) => {
			if (this.#pending.size === 0) worker.ref();
			// The worker answers each operation with its own result type (T for this request).
			this.#pending.set(id, { resolve: (value) => resolve(value as T), reject });
			worker.postMessage({ id, op, ...request });
		});
	}

	#start(): Worker {
		const worker = new Worker(WORKER_URL, {
			workerData: {
				file: this.options.file,
				busyTimeoutMs: this.options.busyTimeoutMs
			}
		});
		this.#starts += 1;
		this.#worker = worker;
		let failure: Error | null = null;
		worker.on('message', (response: WorkerResponse) => {
			const pending = this.#pending.get(response.id);
			if (!pending) return;
			this.#pending.delete(response.id);
			if (this.#pending.size === 0) worker.unref();
			if (response.ok) pending.resolve(response.result);
			else
				pending.reject(
					Object.assign(new Error(response.error.message), { code: response.error.code })
				);
		});
		worker.on('error', (error) => (failure = error));
		worker.on('exit', (code) => {
			if (this.#worker === worker) this.#worker = null;
			// Whatever it had not answered is not known to be committed: it fails, never succeeds.
			const error = new Error(
				`storage writer exited (code ${code})${failure ? `: ${failure.message}` : ''}`
			);
			for (const pending of this.#pending.values()) pending.reject(error);
			this.#pending.clear();
		});
		return worker;
	}
}

/** Runs a synchronous write on the main connection in its turn (SqliteWriter.exclusive). */
export type WriteGate = <T>(write: () => T) => Promise<T>;

type WorkerResponse =
	| { id: number; ok: true; result: unknown }
	| { id: number; ok: false; error: { message: string; code?: string } };
