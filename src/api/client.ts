import { calls, events, isEventName, type CallInput, type CallName, type CallOutput, type EventName, type EventPayload } from './contract';
import { EnvelopeSchema } from './envelope';
import { ApiError, describeIssues } from './errors';
import type { Transport } from './transport';

type Listener<N extends EventName> = (payload: EventPayload<N>) => void;

/**
 * The renderer's typed view of the contract. Every reply and event is validated against the
 * contract's schema, so a renderer never acts on data the main side did not mean to send (an
 * older build, a bug); failures reject with ApiError carrying the main side's code and hint.
 */
export class LacunaClient {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private unsubscribeTransport: (() => void) | null = null;

  constructor(
    readonly transport: Transport,
    /** Told about events that fail validation (they are dropped); defaults to console.error. */
    private readonly onBadEvent: (name: string, problem: string) => void = (name, problem) =>
      console.error(`lacuna: dropped malformed event ${name}: ${problem}`),
  ) {}

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    let raw: unknown;
    try {
      raw = await this.transport.invoke(name, input);
    } catch (e) {
      throw new ApiError(
        { code: 'TRANSPORT', message: `${name}: could not reach Lacuna's engine (${e instanceof Error ? e.message : String(e)})` },
        name,
      );
    }
    const envelope = EnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      throw new ApiError({ code: 'INVALID_OUTPUT', message: `${name}: reply is not an envelope` }, name);
    }
    if (!envelope.data.ok) throw new ApiError(envelope.data.error, name);
    const value = calls[name].output.safeParse(envelope.data.value);
    if (!value.success) {
      throw new ApiError(
        { code: 'INVALID_OUTPUT', message: `${name}: ${describeIssues(value.error, 'output')}`, hint: 'This is a bug in Lacuna; please report it.' },
        name,
      );
    }
    return value.data as CallOutput<N>;
  }

  /** Listens for one event; returns a function that stops listening. */
  on<N extends EventName>(name: N, listener: Listener<N>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    this.unsubscribeTransport ??= this.transport.subscribe((n, p) => this.deliver(n, p));
    return () => {
      set.delete(untyped);
    };
  }

  /** Stops all event delivery (window teardown, tests). */
  close(): void {
    this.unsubscribeTransport?.();
    this.unsubscribeTransport = null;
    this.listeners.clear();
  }

  private deliver(name: string, payload: unknown): void {
    if (!isEventName(name)) return this.onBadEvent(name, 'unknown event');
    const set = this.listeners.get(name);
    if (!set?.size) return;
    const parsed = events[name].payload.safeParse(payload);
    if (!parsed.success) return this.onBadEvent(name, describeIssues(parsed.error, 'payload'));
    for (const listener of [...set]) listener(parsed.data);
  }
}
