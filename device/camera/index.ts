/** device/camera: one Camera interface, four adapters, and the spec parser that picks one. */
export type { Camera, Frame } from './types.ts';
export { CameraError, isCameraError, type CameraErrorCode } from './errors.ts';
export { V4l2Camera, fswebcamArgs, type V4l2Options } from './v4l2.ts';
export { GstreamerCamera, gstreamerArgs, type GstreamerOptions } from './gstreamer.ts';
export { FolderReplayCamera } from './folder-replay.ts';
export { SyntheticCamera, type SyntheticOptions, type SyntheticShot } from './synthetic.ts';
export { createCamera, parseCameraSpec, detectCamera, type CameraSpec, type CameraOptions } from './factory.ts';
