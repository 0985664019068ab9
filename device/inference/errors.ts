export type ModelErrorCode =
  | 'RELEASE_NOT_FOUND'
  | 'MANIFEST_UNREADABLE'
  | 'MANIFEST_INVALID'
  | 'MODEL_FILE_MISSING'
  | 'MODEL_SIZE_MISMATCH'
  | 'MODEL_HASH_MISMATCH'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_NO_PROVIDER'
  | 'MODEL_INPUT_MISMATCH'
  | 'MODEL_OUTPUT_MISMATCH'
  | 'MODEL_GOLDEN_MISMATCH'
  | 'MODEL_NOT_READY'
  | 'INFERENCE_TIMEOUT'
  | 'INFERENCE_FAILED';

/** A model that cannot be used, or a run that failed; the code says which, the message says why. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
