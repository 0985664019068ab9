export { CalibrationStore, CalibrationError, DEFAULT_CALIBRATION, DEFAULT_MM_PER_PX, CALIBRATION_FILE, type Calibration, type CalibrationRecord } from './store.ts';
export { measureDisk, MIN_DISK_PX, MIN_DISK_CONTRAST, type DiskMeasurement } from './measure.ts';
