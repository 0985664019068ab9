/** Binary masks (1 byte per pixel, any non-zero value is set) and the morphology and labelling locate needs. */

export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Square max (dilate) or min (erode) of half-width r, done separably with a running count of
 * "hit" pixels (set for dilation, unset for erosion) in the window, so the cost does not grow
 * with r. Only pixels inside the image count: erosion does not eat in from the frame edge.
 */
function squareFilter(mask: Mask, r: number, dilate: boolean): Mask {
  const { width: W, height: H, data } = mask;
  const hits = new Uint8Array(W * H);
  for (let i = 0; i < hits.length; i++) hits[i] = (data[i] !== 0) === dilate ? 1 : 0;
  const tmp = new Uint8Array(W * H);
  const out = new Uint8Array(W * H);
  const hitValue = dilate ? 1 : 0;
  for (let y = 0; y < H; y++) {
    const row = y * W;
    let count = 0;
    for (let k = 0; k <= Math.min(r, W - 1); k++) count += hits[row + k];
    for (let x = 0; x < W; x++) {
      tmp[row + x] = count > 0 ? 1 : 0;
      const enter = x + r + 1;
      const leave = x - r;
      if (enter < W) count += hits[row + enter];
      if (leave >= 0) count -= hits[row + leave];
    }
  }
  for (let x = 0; x < W; x++) {
    let count = 0;
    for (let k = 0; k <= Math.min(r, H - 1); k++) count += tmp[k * W + x];
    for (let y = 0; y < H; y++) {
      out[y * W + x] = count > 0 ? hitValue : 1 - hitValue;
      const enter = y + r + 1;
      const leave = y - r;
      if (enter < H) count += tmp[enter * W + x];
      if (leave >= 0) count -= tmp[leave * W + x];
    }
  }
  return { width: W, height: H, data: out };
}

/** Closing (dilate then erode) fills gaps narrower than 2r+1 without moving the outline. */
export function close(mask: Mask, r: number): Mask {
  return r <= 0 ? mask : squareFilter(squareFilter(mask, r, true), r, false);
}

export interface Component {
  label: number;
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  sumX: number;
  sumY: number;
}

/** 8-connected components by flood fill; labels[] holds 1-based labels, 0 = background. */
export function labelComponents(mask: Mask): { labels: Int32Array; components: Component[] } {
  const { width: W, height: H, data } = mask;
  const labels = new Int32Array(W * H);
  const components: Component[] = [];
  const stack = new Int32Array(W * H);
  for (let start = 0; start < W * H; start++) {
    if (data[start] === 0 || labels[start] !== 0) continue;
    const label = components.length + 1;
    const c: Component = { label, area: 0, minX: W, minY: H, maxX: -1, maxY: -1, sumX: 0, sumY: 0 };
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const p = stack[--top];
      const x = p % W;
      const y = (p - x) / W;
      c.area++;
      c.sumX += x;
      c.sumY += y;
      if (x < c.minX) c.minX = x;
      if (x > c.maxX) c.maxX = x;
      if (y < c.minY) c.minY = y;
      if (y > c.maxY) c.maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= W) continue;
          const q = ny * W + nx;
          if (data[q] !== 0 && labels[q] === 0) {
            labels[q] = label;
            stack[top++] = q;
          }
        }
      }
    }
    components.push(c);
  }
  return { labels, components };
}
