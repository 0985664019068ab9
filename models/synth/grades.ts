/** The grading scales, in order from best to worst. */
export const COLOUR_GRADES = ['D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z'] as const;
export const CLARITY_GRADES = ['FL', 'IF', 'VVS1', 'VVS2', 'VS1', 'VS2', 'SI1', 'SI2', 'I1', 'I2', 'I3'] as const;
export const CUT_GRADES = ['Excellent', 'Very Good', 'Good', 'Fair', 'Poor'] as const;

export type ColourGrade = (typeof COLOUR_GRADES)[number];
export type ClarityGrade = (typeof CLARITY_GRADES)[number];
export type CutGrade = (typeof CUT_GRADES)[number];
