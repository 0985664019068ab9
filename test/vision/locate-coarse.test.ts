import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../device/vision/decode.ts';
import { locateStone } from '../../device/vision/locate.ts';
import { downsampleBox, locateStoneCoarseToFine } from '../../device/vision/locate-coarse.ts';
import { makeFrameFixtures } from '../fixtures/bad-frames.ts';

describe('coarse-to-fine girdle search', () => {
  it('box-downsamples by block means', () => {
    const data = new Uint8Array(4 * 2 * 3);
    for (let i = 0; i < data.length; i++) data[i] = i * 10;
    const small = downsampleBox({ width: 4, height: 2, data }, 2);
    expect(small.width).toBe(2);
    expect(small.height).toBe(1);
    // block (0,0): pixels 0, 1, 4, 5 → red channel values 0, 30, 120, 150 → mean 75
    expect(small.data[0]).toBe(75);
    expect(Array.from(small.data)).toHaveLength(6);
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
