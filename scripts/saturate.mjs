#!/usr/bin/env node
// Keeps every core of the machine busy, so that a test pass proves it does not depend on the machine's speed
// (.ci/run runs its second pass beside it). One worker thread per core spins until this process is stopped, or
// until the time limit (first argument, seconds; default 1200) so that it never outlives a forgotten run.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const limitSeconds = Number(process.argv[2] ?? 1200);
const spin = 'for (;;) { Math.sqrt(Math.random()); }';
const workers = Array.from({ length: availableParallelism() }, () => new Worker(spin, { eval: true }));
const stop = () => {
  for (const worker of workers) worker.terminate();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, limitSeconds * 1000);
console.log(`saturate: ${workers.length} busy threads for at most ${limitSeconds} s (pid ${process.pid})`);
