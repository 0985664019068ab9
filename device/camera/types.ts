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
  /**
   * A source that stands in for a tray (folder replay): the stone was taken off and the next one
   * put on. Until then every capture, preview or grade, sees the same stone, as a real camera
   * would. A real camera has nothing to do here and leaves it out, and so does the synthetic
   * camera: its next stone is a ~1 s render on the daemon's thread (placeNext() is for tests).
   */
  nextStone?(): Promise<void>;
  stop(): Promise<void>;
}
