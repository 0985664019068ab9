/** The grading scales, in the order the model's heads emit them (docs/INTERFACES.md §1). */
export const COLOUR_GRADES = 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('');
export const CLARITY_GRADES = ['FL', 'IF', 'VVS1', 'VVS2', 'VS1', 'VS2', 'SI1', 'SI2', 'I1', 'I2', 'I3'];
export const CUT_GRADES = ['Excellent', 'Very Good', 'Good', 'Fair', 'Poor'];

export const HEAD_NAMES = ['colour', 'clarity', 'cut'] as const;
export type HeadName = (typeof HEAD_NAMES)[number];

export const PROPORTION_NAMES = ['table_pct', 'crown_angle_deg', 'pavilion_angle_deg', 'total_depth_pct'] as const;
export type ProportionName = (typeof PROPORTION_NAMES)[number];

/** Shown instead of a grade when the calibrated confidence is below the head's threshold. */
export const REFER = 'refer';
