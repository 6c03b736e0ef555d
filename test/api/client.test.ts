import { describe, expect, it, vi } from 'vitest';
import { LacunaClient } from '../../src/api/client';
import { createDispatcher } from '../../src/api/dispatch';
import { ApiError, isApiError } from '../../src/api/errors';
import type { Transport } from '../../src/api/transport';
import { LacunaError } from '../../src/engine/util/errors';
import { handlersFor } from './handlersFor';

/** A transport whose replies and events the test controls, standing in for IPC or HTTP. */
function fakeTransport(reply: (channel: string, input: unknown) => Promise<unknown>) {
  let listener: ((name: string, payload: unknown) => void) | null = null;
  const transport: Transport = {
    invoke: reply,
    subscribe(l) {
      listener = l;
      return () => {
        listener = null;
      };
    },
    mediaBase: 'http://x/media',
  };
  return { transport, push: (name: string, payload: unknown) => listener?.(name, payload) };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('LacunaClient over the dispatcher', () => {
  const dispatch = createDispatcher(
    handlersFor({
      'jobs.list': async () => [],
      'project.save': async () => {
        throw new LacunaError('PROJECT_INVALID', 'the project file is damaged', 'Restore the .bak beside it.');
      },
    }),
  );
  const { transport } = fakeTransport((channel, input) => dispatch(channel, input));
  const client = new LacunaClient(transport);

  it('returns validated values', async () => {
    await expect(client.call('jobs.list', {})).resolves.toEqual([]);
  });

  it('rethrows the main side’s error as a typed ApiError with code and hint', async () => {
    const e = await rejection(client.call('project.save', {}));
    expect(isApiError(e, 'PROJECT_INVALID')).toBe(true);
    expect(e.message).toBe('the project file is damaged');
    expect(e.hint).toBe('Restore the .bak beside it.');
    expect(e.channel).toBe('project.save');
  });

  it('surfaces input validation errors from the main side', async () => {
    const e = await rejection(client.call('media.import', { paths: [] }));
    expect(e.code).toBe('INVALID_INPUT');
  });
});

describe('LacunaClient defends against bad replies', () => {
  it('rejects a reply that does not match the output schema', async () => {
    const { transport } = fakeTransport(async () => ({ ok: true, value: [{ id: 'j1' }] }));
    const e = await rejection(new LacunaClient(transport).call('jobs.list', {}));
    expect(e.code).toBe('INVALID_OUTPUT');
    expect(e.message).toMatch(/^jobs\.list: output\[0\]\./);
  });

  it('rejects a reply that is not an envelope', async () => {
    const { transport } = fakeTransport(async () => 'hello');
    expect((await rejection(new LacunaClient(transport).call('jobs.list', {}))).code).toBe('INVALID_OUTPUT');
  });

  it('reports a dead transport as TRANSPORT', async () => {
    const { transport } = fakeTransport(async () => {
      throw new Error('Failed to fetch');
    });
    const e = await rejection(new LacunaClient(transport).call('jobs.list', {}));
    expect(e.code).toBe('TRANSPORT');
    expect(e.message).toContain('Failed to fetch');
  });
});

describe('LacunaClient events', () => {
  it('delivers valid events to their listeners only, and drops malformed ones', () => {
    const { transport, push } = fakeTransport(async () => null);
    const onBad = vi.fn();
    const client = new LacunaClient(transport, onBad);
    const progress = vi.fn();
    const state = vi.fn();
    client.on('jobs.progress', progress);
    const off = client.on('jobs.state', state);

    push('jobs.progress', { jobId: 'j', progress: 0.25, etaSeconds: null, message: 'encoding' });
    push('jobs.progress', { jobId: 'j', progress: 'lots' });
    push('nonsense.event', {});
    expect(progress).toHaveBeenCalledExactlyOnceWith({ jobId: 'j', progress: 0.25, etaSeconds: null, message: 'encoding' });
    expect(state).not.toHaveBeenCalled();
    expect(onBad).toHaveBeenCalledTimes(2);

    off();
    push('jobs.state', {});
    expect(onBad).toHaveBeenCalledTimes(2); // nobody listens: not even parsed
  });
});
