/**
 * The one camera interface. Every adapter (fswebcam/V4L2, GStreamer CSI, folder replay,
 * synthetic renders) yields encoded frames; decoding happens later in device/vision.
 */
export interface Frame {
  /** Encoded JPEG or PNG bytes exactly as captured (hashed into the grade record). */
  data: Buffer;
  width: number;
  height: number;
  /** ISO-8601 UTC. */
  capturedAt: string;
  /** Where the frame came from, e.g. "v4l2:/dev/video0" or "folder:/data/replay/003.jpg". */
  source: string;
}

export interface Camera {
  /** "v4l2" | "gst" | "folder" | "synthetic" */
  readonly kind: string;
  /** Checks the device/folder/renderer is usable; throws a CameraError if not. */
  start(): Promise<void>;
  /** One frame. Throws a CameraError (code CAMERA_*) on failure; the camera stays usable. */
  capture(): Promise<Frame>;
  stop(): Promise<void>;
}
