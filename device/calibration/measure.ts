/**
 * Scale from a reference disk: a dark disk of known diameter lying on the tray is found the
 * way the girdle is (device/vision/locate), and mm per capture pixel = disk mm / disk px.
 */
import { VisionError } from '../vision/errors.ts';
import { locateStone } from '../vision/locate.ts';
import type { RgbImage } from '../vision/types.ts';

export interface DiskMeasurement {
  centreX: number;
  centreY: number;
  /** Disk diameter in capture pixels (decoded pixels × pxScale). */
  diskPx: number;
  mmPerPx: number;
}

/** A disk narrower than this many capture pixels gives a scale too coarse to grade carats with. */
export const MIN_DISK_PX = 50;

export function measureDisk(image: RgbImage, diskMm: number): DiskMeasurement {
  if (!(diskMm > 0)) throw new VisionError('CALIBRATION_DISK_NOT_FOUND', `--disk-mm must be a positive diameter in mm, got ${diskMm}.`);
  const finding = locateStone(image);
  const scale = image.pxScale ?? 1;
  if (!finding || finding.diameterPx * scale < MIN_DISK_PX) {
    throw new VisionError('CALIBRATION_DISK_NOT_FOUND', `No reference disk found (one at least ${MIN_DISK_PX} px wide); lay the ${diskMm} mm disk flat in the middle of the empty tray and capture again.`);
  }
  if (finding.cutOff) {
    throw new VisionError('CALIBRATION_DISK_CUT_OFF', 'The reference disk runs off the edge of the picture; move it to the centre of the tray and capture again.');
  }
  const diskPx = finding.diameterPx * scale;
  return { centreX: finding.centreX * scale, centreY: finding.centreY * scale, diskPx, mmPerPx: diskMm / diskPx };
}
