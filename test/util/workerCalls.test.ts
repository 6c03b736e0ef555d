// WorkerCalls: replies reach their own callers whatever order they come in, a worker that dies
// fails the calls still waiting (a job must not hang), and a worker replaced on purpose does not
// fail its successor's calls.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerCalls } from '../../src/engine/util/workerCalls';

// Echoes { id, value * 2 } after `delay` ms; exits on `die`.
const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.die) process.exit(3);
  setTimeout(() => parentPort.postMessage({ id: m.id, value: m.value * 2 }), m.delay);
});`;

const workers: Worker[] = [];
const start = () => {
  const w = new Worker(ECHO, { eval: true });
  workers.push(w);
  return w;
};
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe('WorkerCalls', () => {
  it('matches replies to calls out of order and counts what is waiting', async () => {
    const calls = new WorkerCalls<{ id: number; value: number }>('the echo thread');
    const worker = start();
    calls.attach(worker);
    const slow = calls.call(worker, { id: 0, value: 1, delay: 60 });
    const fast = calls.call(worker, { id: 0, value: 5, delay: 0 });
    expect(calls.waiting).toBe(2);
    expect((await fast).value).toBe(10);
    expect((await slow).value).toBe(2);
    expect(calls.waiting).toBe(0);
  });

  it('fails waiting calls with the reason when the worker dies', async () => {
    const calls = new WorkerCalls<{ id: number; value: number }>('the echo thread');
    const worker = start();
    let lost = 0;
    calls.attach(worker, { onLost: () => lost++ });
    const waiting = calls.call(worker, { id: 0, value: 1, delay: 10_000 });
    void calls.call(worker, { id: 0, die: true }).catch(() => {});
    await expect(waiting).rejects.toThrow(/the echo thread stopped: exit code 3/);
    expect(lost).toBe(1);
    expect(calls.waiting).toBe(0);
  });

  it('ignores the exit of a worker that is no longer the current one', async () => {
    const calls = new WorkerCalls<{ id: number; value: number }>('the echo thread');
    const old = start();
    let current = old;
    calls.attach(old, { isCurrent: () => current === old });
    const next = start();
    calls.attach(next, { isCurrent: () => current === next });
    current = next;
    const waiting = calls.call(next, { id: 0, value: 4, delay: 50 });
    await old.terminate();
    expect((await waiting).value).toBe(8);
  });
});
