import { InvalidArgumentError } from 'commander';
import { CODEC_PROFILES } from '../engine/media/deliveryCodecs';
import type { DeliveryCodec } from '../engine/media/types';
import { parseRational, type Rational } from '../engine/util/rational';

/**
 * Option parsers shared by the commands. They throw commander's InvalidArgumentError so a bad
 * value is reported as a usage error (exit 2) naming the option, before any work starts.
 */

export function fpsOption(text: string): Rational {
  let fps: Rational;
  try {
    fps = parseRational(text);
  } catch {
    throw new InvalidArgumentError(`"${text}" is not a frame rate (examples: 24, 25, 29.97, 30000/1001)`);
  }
  if (fps.num <= 0) throw new InvalidArgumentError(`a frame rate must be positive, got "${text}"`);
  return fps;
}

const DELIVERY_CODECS = Object.keys(CODEC_PROFILES) as DeliveryCodec[];

export function codecOption(text: string): DeliveryCodec {
  const codec = text.toLowerCase().replace(/-/g, '_');
  if (!(DELIVERY_CODECS as readonly string[]).includes(codec)) {
    throw new InvalidArgumentError(`"${text}" is not a codec Lacuna writes; choose one of ${DELIVERY_CODECS.join(', ')}`);
  }
  return codec as DeliveryCodec;
}
