import { describe, expect, it } from 'vitest';
import type { ClipDto, TakeDto } from '../../src/api/schemas/project';
import { chatThread, openInstruction, pendingAfterReply, withEditedInstruction } from '../../src/renderer/src/chat/chatThread';

const take = (id: string, conversation?: TakeDto['conversation']): TakeDto => ({
  id,
  label: id,
  kind: id === 'orig' ? 'original' : 'generated',
  mediaId: `m-${id}`,
  path: `/media/${id}.mov`,
  playback: 'native',
  online: true,
  createdAt: '2026-12-03T00:00:00.000Z',
  ...(conversation && { conversation }),
});

function clip(active: string, takes: TakeDto[]): ClipDto {
  return { id: 'c1', name: 'birds', activeTakeId: active, takes } as unknown as ClipDto;
}

const saved = [
  { role: 'user' as const, text: 'remove the bird on the left' },
  { role: 'assistant' as const, text: "I'll remove the bird on the left.", instruction: 'remove the bird on the left' },
];

describe('the chat panel\'s thread (pure)', () => {
  it('shows the active take\'s saved conversation, then the turns since it', () => {
    const c = clip('t1', [take('orig'), take('t1', saved)]);
    const reply = [...saved, { role: 'user' as const, text: 'now the other one' }, { role: 'assistant' as const, text: "I'll remove the other bird.", instruction: 'remove the other bird' }];
    const pending = pendingAfterReply(c, reply);
    expect(pending).toEqual({ baseTakeId: 't1', turns: reply.slice(2) });
    expect(chatThread(c, pending)).toEqual(reply);
    expect(openInstruction(c, pending)).toBe('remove the other bird');
    expect(openInstruction(c, { ...pending, rendering: true })).toBeNull();
  });

  it('drops pending turns when the clip shows another take, whose own conversation is shown', () => {
    const pending = { baseTakeId: 't1', turns: [{ role: 'user' as const, text: 'hm' }] };
    expect(chatThread(clip('orig', [take('orig'), take('t1', saved)]), pending)).toEqual([]);
    expect(chatThread(clip('t1', [take('orig'), take('t1', saved)]), pending)).toHaveLength(3);
  });

  it('has no open instruction for a rendered take\'s conversation or once the user spoke after it, and renders the edited one', () => {
    const c = clip('t1', [take('orig'), take('t1', saved)]);
    expect(openInstruction(c, undefined)).toBeNull();
    expect(openInstruction(c, { baseTakeId: 't1', turns: [{ role: 'user', text: 'wait' }] })).toBeNull();
    const edited = withEditedInstruction(saved, 'remove the bird on the left and its shadow');
    expect(edited[1].instruction).toBe('remove the bird on the left and its shadow');
    expect(saved[1].instruction).toBe('remove the bird on the left');
  });
});
