export type CameraErrorCode =
  /** The device is missing, busy, or the capture program produced no image. */
  | 'CAMERA_UNAVAILABLE'
  /** The capture program (fswebcam, gst-launch-1.0) is not installed. */
  | 'CAMERA_PROGRAM_MISSING'
  /** The capture took longer than its timeout. */
  | 'CAMERA_TIMEOUT'
  /** capture() before start() or after stop(). */
  | 'CAMERA_NOT_STARTED'
  /** `--camera` / config spec could not be parsed. */
  | 'CAMERA_SPEC_INVALID'
  /** folder: replay folder missing, unreadable, or without images. */
  | 'CAMERA_FOLDER_EMPTY'
  | 'CAMERA_FOLDER_MISSING';

/** Every camera failure carries a code the API/kiosk can map, and a reason a person can act on. */
export class CameraError extends Error {
  override readonly name = 'CameraError';
  constructor(
    readonly code: CameraErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isCameraError(error: unknown): error is CameraError {
  return error instanceof CameraError;
}
