import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chatTurn, endpointModel } from '../../src/engine/chat/chatTurn';
import { completionsUrl, DEFAULT_ENDPOINT_SETTINGS, type EndpointSettings } from '../../src/engine/chat/openAiEndpoint';
import { LacunaError } from '../../src/engine/util/errors';
import { startFakeChatServer, type FakeChatServer } from './fakeChatServer';

const SCENE = 'Objects in the first frame, left to right:\n1. bird, left\n2. bird, right';
let server: FakeChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function settings(url: string, extra: Partial<EndpointSettings> = {}): EndpointSettings {
  return { ...DEFAULT_ENDPOINT_SETTINGS, url, model: 'tiny-llm', ...extra };
}

async function errorOf(p: Promise<unknown>): Promise<LacunaError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(LacunaError);
  return e as LacunaError;
}

describe('two-stage chat through an OpenAI-compatible endpoint on loopback', () => {
  it('sends the scene, the conversation and the reply schema, and returns the model\'s instruction', async () => {
    server = await startFakeChatServer(() => ({ content: '{"answer":"Sure, the pelican stays.","instruction":"remove the bird on the right"}' }));
    const d = await chatTurn({
      request: 'Make this shot only about the pelican, please.',
      history: [],
      model: endpointModel(settings(server.url, { apiKey: 'k3y' })),
      scene: async () => SCENE,
    });
    expect(d).toEqual({ answer: 'Sure, the pelican stays.', instruction: 'remove the bird on the right', responder: 'endpoint' });
    const [req] = server.requests;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer k3y');
    expect(req.body.model).toBe('tiny-llm');
    expect(req.body.temperature).toBe(0.2);
    const messages = req.body.messages as { role: string; content: string }[];
    expect(messages[0].content).toContain(SCENE);
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Make this shot only about the pelican, please.' });
    expect((req.body.response_format as { type: string }).type).toBe('json_schema');
  });

  it('removes nothing when the model has no instruction, or one the engine cannot read', async () => {
    server = await startFakeChatServer((body) => {
      const last = (body.messages as { content: string }[]).at(-1)!.content;
      return { content: last.includes('vague') ? '{"answer":"Which one do you mean?","instruction":null}' : '{"answer":"Ok!","instruction":"remove it"}' };
    });
    const model = endpointModel(settings(server.url));
    const vague = await chatTurn({ request: 'something vague', history: [], model, scene: async () => SCENE });
    expect(vague.instruction).toBeNull();
    expect(vague.answer).toBe('Which one do you mean?');
    const unreadable = await chatTurn({ request: 'that one', history: [], model, scene: async () => SCENE });
    expect(unreadable.instruction).toBeNull();
    expect(unreadable.answer).toMatch(/The model suggested "remove it", which the removal engine cannot read/);
  });

  it('answers "undo that" without asking the model', async () => {
    server = await startFakeChatServer(() => ({ content: '{"answer":"x","instruction":"remove the dog"}' }));
    const d = await chatTurn({ request: 'undo that', history: [], model: endpointModel(settings(server.url)), scene: async () => SCENE });
    expect(d.undo).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('says clearly when nothing listens, the server errs, it is not an OpenAI endpoint, or it is too slow', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await errorOf(endpointModel(settings(`http://127.0.0.1:${port}/v1`)).complete([]));
    expect(refused.code).toBe('LLM_UNAVAILABLE');
    expect(refused.message).toBe(`could not reach a model server at http://127.0.0.1:${port} (nothing is listening there)`);
    expect(refused.hint).toMatch(/ollama serve/);

    server = await startFakeChatServer((body) =>
      body.model === 'missing' ? { status: 404, raw: '{"error":{"message":"model \\"missing\\" not found"}}' } : body.model === 'html' ? { raw: '<html>hi</html>' } : { content: '{}', delayMs: 3000 },
    );
    const missing = await errorOf(endpointModel(settings(server.url, { model: 'missing' })).complete([]));
    expect(missing.message).toMatch(/answered 404: model "missing" not found/);
    expect(missing.hint).toMatch(/ollama list/);
    const html = await errorOf(endpointModel(settings(server.url, { model: 'html' })).complete([]));
    expect(html.message).toMatch(/did not answer like an OpenAI-compatible chat endpoint/);
    const slow = await errorOf(endpointModel(settings(server.url, { timeoutSeconds: 0.3 })).complete([]));
    expect(slow.message).toMatch(/did not answer within 0.3 s/);
  });

  it('builds the completions URL from a base and refuses what is not http(s)', () => {
    expect(completionsUrl('http://127.0.0.1:11434/v1').href).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(completionsUrl('http://127.0.0.1:8080/v1/chat/completions/').href).toBe('http://127.0.0.1:8080/v1/chat/completions');
    expect(() => completionsUrl('file:///etc/passwd')).toThrow(/not an http\(s\) URL/);
    expect(() => completionsUrl('nonsense')).toThrow(/not a URL/);
  });
});
