/** Least-squares circle fits, plain and robust to outlying boundary points. */

export interface Point {
  x: number;
  y: number;
}

export interface Circle {
  cx: number;
  cy: number;
  r: number;
}

/** Kåsa's algebraic fit: minimises Σ(x² + y² + Dx + Ey + F)². Null if the points are collinear. */
export function fitCircle(points: readonly Point[]): Circle | null {
  const n = points.length;
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= n;
  my /= n;
  // Centred coordinates keep the normal equations well conditioned.
  let suu = 0, svv = 0, suv = 0, suuu = 0, svvv = 0, suvv = 0, svuu = 0;
  for (const p of points) {
    const u = p.x - mx;
    const v = p.y - my;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suuu += u * u * u;
    svvv += v * v * v;
    suvv += u * v * v;
    svuu += v * u * u;
  }
  const det = suu * svv - suv * suv;
  if (Math.abs(det) < 1e-9) return null;
  const bu = 0.5 * (suuu + suvv);
  const bv = 0.5 * (svvv + svuu);
  const uc = (bu * svv - bv * suv) / det;
  const vc = (suu * bv - suv * bu) / det;
  const r = Math.sqrt(uc * uc + vc * vc + (suu + svv) / n);
  return { cx: uc + mx, cy: vc + my, r };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Refit after dropping points whose distance from the circle is more than `k` robust
 * standard deviations (1.4826 × MAD) away, a few times over. Bites into the outline
 * (a facet the colour of the tray) and dust touching it both fall out this way.
 */
export function fitCircleRobust(points: readonly Point[], k = 2.5, rounds = 4): { circle: Circle; inliers: number } | null {
  let kept = [...points];
  let circle = fitCircle(kept);
  for (let round = 0; round < rounds && circle; round++) {
    const c = circle;
    const residuals = kept.map((p) => Math.hypot(p.x - c.cx, p.y - c.cy) - c.r);
    const med = median(residuals);
    const spread = Math.max(0.5, 1.4826 * median(residuals.map((e) => Math.abs(e - med))));
    const next = kept.filter((_, i) => Math.abs(residuals[i] - med) <= k * spread);
    if (next.length === kept.length || next.length < 8) break;
    kept = next;
    circle = fitCircle(kept);
  }
  return circle ? { circle, inliers: kept.length } : null;
}
