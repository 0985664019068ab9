"""Loupe's reference grading model: data, network, training, INT8 export, calibration, release."""
