// Half-precision conversion must round as hardware does (nearest, ties to even), or fp16 packs
// would see inputs off by one ulp from what the same model sees elsewhere.
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from '../../src/engine/onnx/float16';
import { seededRandom } from '../helpers/packs/seededRandom';

describe('float16', () => {
  it('converts exact values both ways', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // largest half
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
    ];
    for (const [value, bits] of cases) {
      expect(toFloat16Bits(value)).toBe(bits);
      expect(fromFloat16Bits(bits)).toBe(value);
    }
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  });

  it('rounds to nearest, ties to even', () => {
    // Halves between 1 and 2 are 2^-10 apart.
    const ulp = 2 ** -10;
    expect(toFloat16Bits(1 + ulp / 2)).toBe(0x3c00); // tie -> even (1.0)
    expect(toFloat16Bits(1 + (3 * ulp) / 2)).toBe(0x3c02); // tie -> even (1 + 2 ulp)
    expect(toFloat16Bits(1 + ulp * 0.51)).toBe(0x3c01);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // rounds past the largest half to infinity
    expect(toFloat16Bits(65519)).toBe(0x7bff);
    expect(toFloat16Bits(2 ** -25)).toBe(0x0000); // tie at half the smallest subnormal -> even (0)
    expect(toFloat16Bits(2 ** -25 * 1.01)).toBe(0x0001);
    expect(toFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // subnormal tie -> even
  });

  it('round-trips every half through float32 and back', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const back = float32ToFloat16(float16ToFloat32(all));
    for (let i = 0; i < 65536; i++) {
      const isNaN = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
      if (!isNaN && back[i] !== i) throw new Error(`half ${i.toString(16)} came back as ${back[i].toString(16)}`);
    }
  });

  it('stays within half an ulp on random float32 values', () => {
    const rng = seededRandom(3);
    for (let i = 0; i < 10000; i++) {
      // float32 inputs, as the engine's tensors are (a float64 would be rounded twice).
      const v = Math.fround((rng.next() - 0.5) * 2 ** (rng.next() * 30 - 15));
      const h = fromFloat16Bits(toFloat16Bits(v));
      const exp = Math.max(Math.floor(Math.log2(Math.abs(v))), -14);
      expect(Math.abs(h - v)).toBeLessThanOrEqual(2 ** (exp - 11) + 1e-300);
    }
  });
});
