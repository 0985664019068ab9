/**
 * Crops with the device's own code (device/vision cropStone + estimateTrayColour), for the
 * trainer's test that its Pillow crops are the device's crops byte for byte.
 *
 *   node --import tsx models/train/crop-bridge.ts --image FRAME.png --jobs jobs.json --out crops.u8
 *
 * jobs.json: [{ "centreX": .., "centreY": .., "diameterPx": .., "size": .., "factor": .. }, ...];
 * crops.u8: the packed RGB8 crops one after another; the tray colour (padding) is the device's estimate.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { cropStone, estimateTrayColour } from '../../device/vision/index.ts';

interface CropJob {
  centreX: number;
  centreY: number;
  diameterPx: number;
  size: number;
  factor: number;
}

const { values } = parseArgs({ options: { image: { type: 'string' }, jobs: { type: 'string' }, out: { type: 'string' } } });
if (!values.image || !values.jobs || !values.out) throw new Error('--image, --jobs and --out are required');
const { data, info } = await sharp(values.image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const image = { width: info.width, height: info.height, data: new Uint8Array(data) };
const tray = estimateTrayColour(image);
const jobs = JSON.parse(readFileSync(values.jobs, 'utf8')) as CropJob[];
const crops = jobs.map((j) => cropStone(image, { centreX: j.centreX, centreY: j.centreY, diameterPx: j.diameterPx }, j.size, j.factor, tray));
writeFileSync(values.out, Buffer.concat(crops.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
