/** One merge of agglomerative clustering: clusters `a` and `b` joined at `distance`. */
export interface Merge {
  a: number;
  b: number;
  distance: number;
}

/**
 * Average-linkage agglomerative clustering of unit vectors by cosine distance. Returns the n-1
 * merges in order (cluster ids are the index of the first item a cluster held). Distances are
 * kept in one n×n matrix, updated by the Lance–Williams rule; each row's nearest neighbour is
 * cached and recomputed only when it is merged away, which keeps the work near n² in practice.
 */
export function clusterAverageLinkage(vectors: Float64Array[]): Merge[] {
  const n = vectors.length;
  const distance = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const u = vectors[i]!;
      const v = vectors[j]!;
      for (let d = 0; d < u.length; d++) dot += u[d]! * v[d]!;
      distance[i * n + j] = distance[j * n + i] = 1 - dot;
    }
  }
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const nearest = new Int32Array(n).fill(-1);
  const nearestDistance = new Float64Array(n).fill(Infinity);
  const findNearest = (i: number) => {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i || !active[j]) continue;
      const value = distance[i * n + j]!;
      if (value < bestDistance) {
        bestDistance = value;
        best = j;
      }
    }
    nearest[i] = best;
    nearestDistance[i] = bestDistance;
  };
  for (let i = 0; i < n; i++) findNearest(i);

  const merges: Merge[] = [];
  for (let step = 0; step < n - 1; step++) {
    let a = -1;
    for (let i = 0; i < n; i++) {
      if (active[i] && (a < 0 || nearestDistance[i]! < nearestDistance[a]!)) a = i;
    }
    const b = nearest[a]!;
    const [keep, gone] = a < b ? [a, b] : [b, a];
    merges.push({ a: keep, b: gone, distance: nearestDistance[a]! });
    active[gone] = 0;
    const total = size[keep]! + size[gone]!;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === keep) continue;
      const value = (size[keep]! * distance[keep * n + k]! + size[gone]! * distance[gone * n + k]!) / total;
      distance[keep * n + k] = distance[k * n + keep] = value;
    }
    size[keep] = total;
    for (let k = 0; k < n; k++) {
      if (!active[k]) continue;
      if (k === keep || nearest[k] === keep || nearest[k] === gone) findNearest(k);
      else if (distance[k * n + keep]! < nearestDistance[k]!) {
        nearest[k] = keep;
        nearestDistance[k] = distance[k * n + keep]!;
      }
    }
  }
  return merges;
}

/** Labels 0…k-1 of the n items once only the first n-k merges are made (the tree cut into k). */
export function cutTree(n: number, merges: readonly Merge[], k: number): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const merge of merges.slice(0, Math.max(0, n - k))) parent[root(merge.b)] = root(merge.a);
  const ids = new Map<number, number>();
  return Int32Array.from({ length: n }, (_, i) => {
    const r = root(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    return ids.get(r)!;
  });
}
