/** device/vision: decoding, the frame quality gate, girdle location, and the model input tensor. */
export { decodeImage, shrinkFactor, DEFAULT_DECODE_LIMITS, MAX_DECODED_PIXELS, WORKING_MIN_SIDE } from './decode.ts';
export { checkFrame, inspectFrame, REJECT_MESSAGES, DEFAULT_GATE, type GateThresholds } from './quality.ts';
export { locateStone, type StoneFinding } from './locate.ts';
export { buildInputTensor, cropStone, normaliseCrop, cropBox, type InputTensor } from './tensor.ts';
export { prepareFrame, type PreparedStone, type RefusedFrame, type PrepareOptions } from './pipeline.ts';
export { estimateTrayColour, DEFAULT_TRAY_COLOUR } from './tray.ts';
export { VisionError, type VisionErrorCode, type DecodeErrorCode } from './errors.ts';
export type * from './types.ts';
