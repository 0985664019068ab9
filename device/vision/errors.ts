export type DecodeErrorCode =
  | 'IMAGE_EMPTY'
  | 'IMAGE_UNSUPPORTED'
  | 'IMAGE_TRUNCATED'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_GREYSCALE';

export type VisionErrorCode = DecodeErrorCode | 'TENSOR_SPEC_INVALID' | 'CALIBRATION_DISK_NOT_FOUND' | 'CALIBRATION_DISK_CUT_OFF';

/** A refused image or an impossible request, with a code and a reason a person can act on. */
export class VisionError extends Error {
  override readonly name = 'VisionError';
  constructor(
    readonly code: VisionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
