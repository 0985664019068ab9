/** Every API error is `{ error: { code, message } }`; the code decides the HTTP status. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const FRAME_REFUSALS = /^(FRAME_|STONE_|IMAGE_)/;

/** HTTP status for a coded error from any part of the device. */
export function statusForCode(code: string): number {
  if (FRAME_REFUSALS.test(code)) return 422;
  switch (code) {
    case 'MODEL_NOT_READY':
    case 'CAMERA_NOT_READY':
    case 'CAMERA_NOT_STARTED':
    case 'CAMERA_UNAVAILABLE':
    case 'CAMERA_PROGRAM_MISSING':
    case 'CAMERA_FOLDER_EMPTY':
    case 'CAMERA_FOLDER_MISSING':
    case 'SHUTTING_DOWN':
    case 'PREVIEW_UNAVAILABLE':
      return 503;
    case 'INFERENCE_TIMEOUT':
    case 'CAMERA_TIMEOUT':
      return 504;
    default:
      return 500;
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const coded = error as { code?: unknown; message?: unknown };
  if (typeof coded?.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(coded.code)) {
    return new ApiError(statusForCode(coded.code), coded.code, String(coded.message ?? coded.code));
  }
  return new ApiError(500, 'INTERNAL', `unexpected error: ${(error as Error)?.message ?? String(error)}`);
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}
