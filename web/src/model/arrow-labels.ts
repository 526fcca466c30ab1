/**
 * Which of the diagram's arrows may carry their message type as a label: each at its
 * arrow's middle, in order, unless it would touch a label already placed or one that must
 * stay (a bulk store's band): so labels never overlap, and dense stretches go unlabelled.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelCandidate extends Box {
  key: string;
}

/** A label of `text` centred on (x, y): `charWidth` per character, `height` tall. */
export function labelBox(
  x: number,
  y: number,
  text: string,
  charWidth: number,
  height: number,
): Box {
  const width = text.length * charWidth;
  return { x: x - width / 2, y: y - height / 2, width, height };
}

export function placeLabels(
  candidates: readonly LabelCandidate[],
  obstacles: readonly Box[],
): Set<string> {
  const placed: Box[] = [...obstacles];
  const accepted = new Set<string>();
  for (const candidate of candidates) {
    if (placed.some((box) => overlaps(box, candidate))) continue;
    placed.push(candidate);
    accepted.add(candidate.key);
  }
  return accepted;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
