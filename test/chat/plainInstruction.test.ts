import { describe, expect, it } from 'vitest';
import { plainInstruction } from '../../src/engine/chat/plainInstruction';
import type { ChatMessage } from '../../src/engine/chat/types';

describe('plainInstruction: the chat task with no language model', () => {
  it.each([
    ['could you remove the dog?', 'remove the dog'],
    ['please get rid of the bird on the left', 'get rid of the bird on the left'],
    ['Can you remove the bird on the left?', 'remove the bird on the left'],
    ['Hey, could you erase both birds please', 'erase both birds please'],
    ['the bird on the left', 'the bird on the left'],
  ])('reads a polite request: %s', (message, instruction) => {
    const d = plainInstruction(message);
    expect(d.instruction).toBe(instruction);
    expect(d.responder).toBe('parser');
    expect(d.answer).toMatch(/^I'll /);
  });

  it('finds the request among remarks: the pelican request is keep-only, not "remove the bird"', () => {
    const d = plainInstruction('I love this shot of the pelican, but another bird sneaks in; can you make it only about the pelican?');
    expect(d.instruction).toBe('make it only about the pelican');
    expect(d.answer).toBe("I'll keep only the pelican and remove everything else.");
  });

  it('resolves "him" from the object named earlier in the message', () => {
    const d = plainInstruction('Hi there! The guy on the right ruins it. Could you take him out?');
    expect(d.instruction).toBe('take The guy on the right out');
    expect(d.answer).toBe("I'll remove the guy on the right.");
  });

  it('resolves "the other one" from the last instruction of the conversation', () => {
    const history: ChatMessage[] = [
      { role: 'user', text: 'remove the bird on the left' },
      { role: 'assistant', text: "I'll remove the bird on the left.", instruction: 'remove the bird on the left' },
    ];
    expect(plainInstruction('now remove the other one too', history).instruction).toBe('remove the other bird too');
    // With no conversation, "the other one" names nothing: no guess.
    const alone = plainInstruction('now remove the other one too');
    expect(alone.instruction).toBeNull();
    expect(alone.answer).toMatch(/does not say which object/);
  });

  it('says "undo that" is an undo, not a removal', () => {
    const d = plainInstruction('undo that');
    expect(d.undo).toBe(true);
    expect(d.instruction).toBeNull();
  });

  it.each(['what a lovely day', 'remove it', 'could you make it brighter'])('refuses with examples and a pointer to a model: %s', (message) => {
    const d = plainInstruction(message);
    expect(d.instruction).toBeNull();
    expect(d.answer).toMatch(/Without a language model I understand plain requests such as "remove the bird on the left"/);
    expect(d.answer).toMatch(/GGUF file, or an OpenAI-compatible server/);
  });

  it('caps the message length as the API does', () => {
    expect(() => plainInstruction('remove the dog '.repeat(200))).toThrow(/at most 2000 are read/);
  });
});
