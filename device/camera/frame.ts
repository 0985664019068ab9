import sharp from 'sharp';
import type { Frame } from './types.ts';

/** Image dimensions from the header only; 0×0 if the bytes are not a readable image. */
export async function imageSize(data: Buffer): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(data, { limitInputPixels: false, failOn: 'none' }).metadata();
    return { width: meta.width ?? 0, height: meta.height ?? 0 };
  } catch {
    return { width: 0, height: 0 };
  }
}

export async function frameFromBytes(data: Buffer, source: string, capturedAt = new Date()): Promise<Frame> {
  const { width, height } = await imageSize(data);
  return { data, width, height, capturedAt: capturedAt.toISOString(), source };
}
