import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../device/vision/decode.ts';
import { locateStone } from '../../device/vision/locate.ts';
import { downsampleStride, locateStoneCoarseToFine } from '../../device/vision/locate-coarse.ts';
import { makeFrameFixtures } from '../fixtures/bad-frames.ts';

describe('coarse-to-fine girdle search', () => {
  it('samples the centre pixel of each block', () => {
    const data = new Uint8Array(4 * 2 * 3);
    for (let i = 0; i < data.length; i++) data[i] = i;
    const small = downsampleStride({ width: 4, height: 2, data }, 2);
    expect([small.width, small.height]).toEqual([2, 1]);
    // block (0,0) → pixel (1,1) = index 5; block (1,0) → pixel (3,1) = index 7
    expect(Array.from(small.data)).toEqual([15, 16, 17, 21, 22, 23]);
  });

  it('gives the full-frame answer on good and bad frames alike', async () => {
    const set = await makeFrameFixtures();
    const frames = [set.good, ...Object.values(set.bad)];
    let compared = 0;
    for (const frame of frames) {
      let image;
      try {
        image = await decodeImage(frame.bytes);
      } catch {
        continue; // frames the decoder refuses never reach the locator
      }
      const full = locateStone(image);
      const fast = locateStoneCoarseToFine(image);
      expect(fast === null, frame.name).toBe(full === null);
      if (full && fast) {
        expect(fast.cutOff, frame.name).toBe(full.cutOff);
        expect(Math.abs(fast.centreX - full.centreX), frame.name).toBeLessThan(0.25);
        expect(Math.abs(fast.centreY - full.centreY), frame.name).toBeLessThan(0.25);
        expect(Math.abs(fast.diameterPx - full.diameterPx), frame.name).toBeLessThan(0.5);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});
