import { calls, events, isCallName, isEventName, type EmitEvent, type Handlers } from './contract';
import { describeIssues, toApiErrorShape } from './errors';
import { failure, success, type Envelope } from './envelope';

export interface DispatchOptions {
  /**
   * Told about failures that are bugs rather than user errors (INTERNAL, INVALID_OUTPUT), with
   * the original error, so the host can log the stack the wire shape leaves out.
   */
  onBug?: (channel: string, error: unknown) => void;
}

export type Dispatch = (channel: string, input: unknown) => Promise<Envelope>;

/**
 * The serving half of the contract, shared by Electron IPC and the HTTP bridge: looks up the
 * channel, validates the input, runs the handler, validates its output, and always resolves to
 * an envelope (never rejects), so no transport needs its own error handling.
 */
export function createDispatcher(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, input) => {
    if (!isCallName(channel)) {
      return failure({
        code: 'UNKNOWN_CHANNEL',
        message: `no such call: "${channel}"`,
        hint: 'The renderer and the main process are from different builds; restart Lacuna.',
      });
    }
    const def = calls[channel];
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      return failure({ code: 'INVALID_INPUT', message: `${channel}: ${describeIssues(parsed.error, 'input')}` });
    }
    let result: unknown;
    try {
      const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
      result = await handler(parsed.data);
    } catch (e) {
      const shape = toApiErrorShape(e);
      if (shape.code === 'INTERNAL') options.onBug?.(channel, e);
      return failure(shape);
    }
    const checked = def.output.safeParse(result);
    if (!checked.success) {
      const message = `${channel} returned malformed data: ${describeIssues(checked.error, 'output')}`;
      options.onBug?.(channel, new Error(message));
      return failure({ code: 'INVALID_OUTPUT', message, hint: 'This is a bug in Lacuna; please report it.' });
    }
    return success(checked.data);
  };
}

/**
 * Wraps a host's raw send so every event is checked against its schema before it leaves the
 * process; a malformed event is a bug, reported through onBug and not sent.
 */
export function createEmitter(send: (name: string, payload: unknown) => void, options: DispatchOptions = {}): EmitEvent {
  return (name, payload) => {
    if (!isEventName(name)) throw new Error(`not an event: ${String(name)}`);
    const checked = events[name].payload.safeParse(payload);
    if (!checked.success) {
      options.onBug?.(name, new Error(`event ${name} is malformed: ${describeIssues(checked.error, 'payload')}`));
      return;
    }
    send(name, checked.data);
  };
}
