/**
 * The market mix: stones drawn from the 53,940-stone `diamonds` table that ships with R's
 * ggplot2 (Debian r-cran-ggplot2; exported to data/ggplot2-diamonds.csv.gz with its carat,
 * cut, color, clarity, depth and table columns). A row gives a realistic joint draw of
 * colour, clarity, carat, total depth and table.
 *
 * The table only covers colours D–J and clarities IF–I1. The rest of each scale is drawn
 * from tails we set: K–Z in 7 % of stones with geometrically falling frequency (the trade's
 * commercial goods below J), FL in 0.4 %, I2 in 1 % and I3 in 0.6 %.
 *
 * Cut is not copied from the table (its Ideal/Premium names are not a GIA scale): the row's
 * depth and table are kept, the pavilion angle is drawn with a spread that widens as the
 * row's cut name falls, the crown angle is solved from the depth, and the grade then comes
 * from the proportions by the rule table in cut.ts.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { CLARITY_GRADES, COLOUR_GRADES, type ClarityGrade, type ColourGrade } from './grades.ts';
import type { Rng } from './rng.ts';

export interface MarketRow {
  carat: number;
  cut: string;
  colour: ColourGrade;
  clarity: ClarityGrade;
  depthPct: number;
  tablePct: number;
}

let cached: MarketRow[] | undefined;

export function loadMarketTable(): MarketRow[] {
  if (cached) return cached;
  const path = fileURLToPath(new URL('./data/ggplot2-diamonds.csv.gz', import.meta.url));
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n').slice(1);
  cached = lines.map((line) => {
    const [carat, cut, colour, clarity, depth, table] = line.split(',');
    return { carat: Number(carat), cut, colour: colour as ColourGrade, clarity: clarity as ClarityGrade, depthPct: Number(depth), tablePct: Number(table) };
  });
  return cached;
}

/** Spread of pavilion angle (degrees) by the table's cut name: better makes hold it tighter. */
export const PAVILION_SPREAD_BY_CUT: Record<string, number> = { Ideal: 0.35, Premium: 0.6, 'Very Good': 0.8, Good: 1.2, Fair: 1.8 };

const K_TO_Z = COLOUR_GRADES.slice(COLOUR_GRADES.indexOf('K'));

export function drawMarketRow(rng: Rng): MarketRow {
  const table = loadMarketTable();
  const row = { ...table[rng.int(0, table.length)] };
  if (rng.next() < 0.07) {
    // Geometric tail: each grade below J is about 80 % as common as the one above.
    let i = 0;
    while (i < K_TO_Z.length - 1 && rng.next() < 0.8) i++;
    row.colour = K_TO_Z[i];
  }
  const u = rng.next();
  if (u < 0.004) row.clarity = 'FL';
  else if (u < 0.014) row.clarity = 'I2';
  else if (u < 0.02) row.clarity = 'I3';
  if (!CLARITY_GRADES.includes(row.clarity)) throw new Error(`market table: unknown clarity ${row.clarity}`);
  return row;
}
