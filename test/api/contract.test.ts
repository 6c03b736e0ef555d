import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { calls, callNames, eventNames, events } from '../../src/api/contract';
import type { ProjectDto } from '../../src/api/schemas/project';
import { createDispatcher, createEmitter } from '../../src/api/dispatch';
import { ApiError, apiErrorCodes } from '../../src/api/errors';
import { mediaUrl, parseMediaRequest } from '../../src/api/mediaUrl';
import { LacunaError } from '../../src/engine/util/errors';
import { handlersFor } from './handlersFor';

const project: ProjectDto = {
  id: 'project_1',
  name: 'Test',
  path: null,
  dirty: false,
  history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
  media: [],
  sequences: [],
};

describe('contract declaration', () => {
  it('names every call and event group.verb and gives each a zod schema and summary', () => {
    for (const name of callNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(calls[name].input).toBeInstanceOf(z.ZodType);
      expect(calls[name].output).toBeInstanceOf(z.ZodType);
      expect(calls[name].summary.length).toBeGreaterThan(5);
    }
    for (const name of eventNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(events[name].payload).toBeInstanceOf(z.ZodType);
    }
  });

  it('includes the channels the renderer relies on', () => {
    expect(callNames).toEqual(
      expect.arrayContaining([
        'app.info', 'ffmpeg.status', 'project.new', 'project.open', 'project.save', 'project.saveAs', 'project.get',
        'project.undo', 'project.redo', 'media.import', 'clip.add', 'take.setActive', 'take.delete',
        'jobs.list', 'jobs.kinds', 'jobs.submit', 'jobs.cancel', 'jobs.retry',
      ]),
    );
    expect(eventNames).toEqual(expect.arrayContaining(['project.changed', 'jobs.progress', 'jobs.state']));
  });

  it('can carry every engine error code', () => {
    const engineCodes: LacunaError['code'][] = ['FFMPEG_NOT_FOUND', 'PROJECT_INVALID', 'CANCELLED', 'UNSUPPORTED', 'MODEL_PACK_NOT_FOUND'];
    for (const code of engineCodes) expect(apiErrorCodes).toContain(code);
  });
});

describe('dispatcher: inputs', () => {
  const dispatch = createDispatcher(handlersFor({}));

  it('refuses an unknown channel', async () => {
    const r = await dispatch('project.explode', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(!r.ok && r.error.message).toContain('project.explode');
  });

  it('refuses a missing or wrongly typed field, saying where', async () => {
    const r1 = await dispatch('media.import', { paths: [] });
    expect(r1).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!r1.ok && r1.error.message).toBe('media.import: input.paths: give at least one path');

    const r2 = await dispatch('media.import', { paths: ['/a.mov', 42] });
    expect(!r2.ok && r2.error.message).toMatch(/^media\.import: input\.paths\[1\]: .*string/);

    const r3 = await dispatch('take.setActive', { clipId: 'clip_1' });
    expect(!r3.ok && r3.error.message).toMatch(/input\.takeId/);

    const r4 = await dispatch('project.saveAs', null);
    expect(r4).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses unknown keys rather than ignoring them (a typo must not silently do nothing)', async () => {
    const r = await dispatch('project.open', { path: '/p.lacuna', discardChange: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!r.ok && r.error.message).toMatch(/discardChange/);
  });

  it('refuses a job request of an unknown kind or with bad parameters', async () => {
    const r1 = await dispatch('jobs.submit', { kind: 'explode', clipId: 'c' });
    expect(r1).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const r2 = await dispatch('jobs.submit', { kind: 'transcode', clipId: 'c', codec: 'mpeg1' });
    expect(!r2.ok && r2.error.message).toMatch(/input\.codec/);
    const r3 = await dispatch('jobs.submit', { kind: 'remove', clipId: 'c', expression: '   ' });
    expect(!r3.ok && r3.error.message).toMatch(/describe what to remove/);
  });

  it('passes validated input with defaults filled in', async () => {
    const seen = vi.fn(async () => project);
    const d = createDispatcher(handlersFor({ 'project.new': seen }));
    const r = await d('project.new', {});
    expect(r).toEqual({ ok: true, value: project });
    expect(seen).toHaveBeenCalledWith({ discardChanges: false, name: 'Untitled' });
  });
});

describe('dispatcher: outputs and errors', () => {
  it('refuses to send a malformed reply and reports it as a bug', async () => {
    const onBug = vi.fn();
    const d = createDispatcher(
      handlersFor({ 'project.get': async () => ({ ...project, dirty: 'yes' }) as unknown as ProjectDto }),
      { onBug },
    );
    const r = await d('project.get', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_OUTPUT' } });
    expect(!r.ok && r.error.message).toMatch(/output\.dirty/);
    expect(onBug).toHaveBeenCalledOnce();
  });

  it('keeps an engine error’s code and hint', async () => {
    const onBug = vi.fn();
    const d = createDispatcher(
      handlersFor({
        'project.open': async () => {
          throw new LacunaError('PROJECT_NOT_FOUND', 'no project at /x.lacuna', 'Check the path.');
        },
      }),
      { onBug },
    );
    const r = await d('project.open', { path: '/x.lacuna' });
    expect(r).toEqual({ ok: false, error: { code: 'PROJECT_NOT_FOUND', message: 'no project at /x.lacuna', hint: 'Check the path.' } });
    expect(onBug).not.toHaveBeenCalled();
  });

  it('turns an unexpected error into INTERNAL and reports it as a bug', async () => {
    const onBug = vi.fn();
    const boom = new TypeError('cannot read properties of undefined');
    const d = createDispatcher(
      handlersFor({
        'jobs.list': async () => {
          throw boom;
        },
      }),
      { onBug },
    );
    const r = await d('jobs.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'cannot read properties of undefined' } });
    expect(onBug).toHaveBeenCalledWith('jobs.list', boom);
  });

  it('survives JSON and structured clone (what IPC and HTTP do to it)', async () => {
    const d = createDispatcher(handlersFor({ 'project.get': async () => project }));
    const r = await d('project.get', {});
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(structuredClone(r)).toEqual(r);
  });
});

describe('emitter', () => {
  it('sends valid events and drops malformed ones as bugs', () => {
    const sent: unknown[] = [];
    const onBug = vi.fn();
    const emit = createEmitter((name, payload) => sent.push([name, payload]), { onBug });
    emit('jobs.progress', { jobId: 'j1', progress: 0.5, etaSeconds: 3, message: null });
    emit('jobs.progress', { jobId: 'j1', progress: 2, etaSeconds: 3, message: null });
    expect(sent).toEqual([['jobs.progress', { jobId: 'j1', progress: 0.5, etaSeconds: 3, message: null }]]);
    expect(onBug).toHaveBeenCalledOnce();
  });
});

describe('ApiError', () => {
  it('round-trips its wire shape', () => {
    const e = new ApiError({ code: 'NO_PROJECT', message: 'no project is open', hint: 'Create or open one.' }, 'project.save');
    expect(e.toShape()).toEqual({ code: 'NO_PROJECT', message: 'no project is open', hint: 'Create or open one.' });
    expect(e.channel).toBe('project.save');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('media URLs', () => {
  it('round-trip paths with spaces, unicode and reserved characters', () => {
    for (const path of ['/media/A001 C002.mov', '/média/ß/%20#?.mp4', 'C:\\Footage\\shot 1.mxf']) {
      const url = new URL(mediaUrl('http://127.0.0.1:1/media', { mode: 'file', path }));
      expect(parseMediaRequest(url.pathname.slice('/media'.length), url.search)).toEqual({ mode: 'file', path });
      const proxied = new URL(mediaUrl('lacuna-media://media', { mode: 'proxy', path, start: 12.3456 }));
      expect(parseMediaRequest(proxied.pathname, proxied.search)).toEqual({ mode: 'proxy', path, start: 12.346 });
    }
  });

  it('rejects malformed media paths', () => {
    expect(parseMediaRequest('/file/', '')).toBeNull();
    expect(parseMediaRequest('/other/x', '')).toBeNull();
    expect(parseMediaRequest('/file/%E0%A4%A', '')).toBeNull();
    expect(parseMediaRequest('/proxy/x', '?t=-5')).toEqual({ mode: 'proxy', path: 'x', start: 0 });
  });
});
