import { describe, expect, it } from 'vitest';
import { toolFailure, toolMessage } from '../../src/engine/util/toolFailure';

describe("ffmpeg's reason, in a line", () => {
  it('keeps the cause and drops the echoes and component prefixes', () => {
    const stderr = [
      "[prores @ 0x55750a641540] vendor ID should be 4 bytes",
      '[prores @ 0x55750a5efcc0] ff_frame_thread_encoder_init failed',
      'Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height',
      'Conversion failed!',
    ].join('\n');
    expect(toolMessage(stderr)).toBe('vendor ID should be 4 bytes');
    const e = toolFailure('the matte encoder (m.mov)', stderr, { code: 1, signal: null });
    expect(e.code).toBe('FFMPEG_FAILED');
    expect(e.message).toBe('the matte encoder (m.mov) failed: vendor ID should be 4 bytes');
    expect(e.detail).toContain('Conversion failed!');
  });

  it('names a full disk and an unwritable folder as such, and a kill', () => {
    expect(toolFailure('x', 'Error writing trailer of o.mov: No space left on device\nError closing file o.mov: No space left on device', { code: 0, signal: null })).toMatchObject({
      code: 'DISK_FULL',
      message: 'x failed: Error writing trailer of o.mov: No space left on device',
    });
    expect(toolFailure('x', '/ro/o.mov: Read-only file system', { code: 1, signal: null }).code).toBe('CANNOT_WRITE');
    const killed = toolFailure('the take encoder (t.mov)', '', { code: null, signal: 'SIGKILL' });
    expect(killed.message).toBe('the take encoder (t.mov) failed (ffmpeg was stopped by SIGKILL, no message)');
    expect(killed.hint).toMatch(/outside Lacuna/);
  });
});
