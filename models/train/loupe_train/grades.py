"""The grading scales in head order (docs/INTERFACES.md §1), and the proportions the regression head predicts."""

COLOUR_GRADES = list("DEFGHIJKLMNOPQRSTUVWXYZ")
CLARITY_GRADES = ["FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1", "I2", "I3"]
CUT_GRADES = ["Excellent", "Very Good", "Good", "Fair", "Poor"]

HEADS = {"colour": COLOUR_GRADES, "clarity": CLARITY_GRADES, "cut": CUT_GRADES}
HEAD_NAMES = list(HEADS)

PROPORTION_NAMES = ["table_pct", "crown_angle_deg", "pavilion_angle_deg", "total_depth_pct"]

# The input spec every release ships (docs/INTERFACES.md §2); the size is a training option.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# The crop is 1.12 × the girdle diameter: room for the locator's error (about 2 %) and the
# training jitter (3 % of centre and size), and every other pixel on the stone (1.0.0 used 1.25).
CROP_FACTOR = 1.12
