import { describe, expect, it } from 'vitest';
import { describeScene, sceneObjects } from '../../src/engine/chat/sceneDescription';
import { readableInstruction, readModelReply, twoStageMessages } from '../../src/engine/chat/twoStagePrompt';

describe('two-stage prompt: the scene in words, the conversation, and the model reply', () => {
  it('describes detections left to right with positions the grammar reads back', () => {
    const objects = sceneObjects(
      [
        { frame: 0, label: 'bird', score: 0.8, box: { x: 400, y: 100, width: 100, height: 80 } },
        { frame: 0, label: 'bird', score: 0.9, box: { x: 40, y: 20, width: 100, height: 80 } },
      ],
      568,
      320,
    );
    expect(objects.map((o) => o.label)).toEqual(['bird', 'bird']);
    expect(objects[0].cx).toBeLessThan(objects[1].cx);
    expect(describeScene(objects)).toBe(
      'Objects in the first frame, left to right:\n1. bird, top left, 18% of the width and 25% of the height\n2. bird, right, 18% of the width and 25% of the height',
    );
    expect(describeScene([])).toMatch(/found no objects/);
  });

  it('puts the scene in the system prompt and earlier assistant turns back as JSON', () => {
    const m = twoStageMessages('Objects: 1. dog, left', [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'Which one?', instruction: undefined },
    ], 'the dog');
    expect(m[0].role).toBe('system');
    expect(m[0].content).toMatch(/JSON only/);
    expect(m[0].content).toMatch(/Objects: 1\. dog, left$/);
    expect(m[2]).toEqual({ role: 'assistant', content: '{"answer":"Which one?","instruction":null}' });
    expect(m[3]).toEqual({ role: 'user', content: 'the dog' });
  });

  it('reads JSON replies, fenced or not, and never invents an instruction', () => {
    expect(readModelReply('{"answer":"Sure.","instruction":"remove the dog"}', 'm')).toEqual({ answer: 'Sure.', instruction: 'remove the dog' });
    expect(readModelReply('```json\n{"answer":"Sure.","instruction":null}\n```', 'm')).toEqual({ answer: 'Sure.', instruction: null });
    expect(readModelReply('Here you go: {"answer":"Ok","instruction":"erase both birds"} hope it helps', 'm').instruction).toBe('erase both birds');
    const junk = readModelReply('I think the bird should go', 'tiny');
    expect(junk.instruction).toBeNull();
    expect(junk.answer).toMatch(/tiny gave no answer I could read, so nothing was removed/);
  });

  it('judges whether the engine can read an instruction', () => {
    expect(readableInstruction('remove the bird on the left')).toEqual({ ok: true });
    const r = readableInstruction('remove it');
    expect(r.ok).toBe(false);
  });
});
