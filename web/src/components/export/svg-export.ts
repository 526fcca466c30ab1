/**
 * Pictures of the page's own SVGs (the ring, the time-space diagram) as files that stand
 * alone: their look comes from the page's CSS and its theme variables, so every element's
 * computed paint is written onto its copy, and the panel colour behind it. PNG at twice
 * the size, for slides. Browser-only (the DOM, canvas); what to name them is `session.ts`.
 */

/** The computed properties that make an SVG element look as it does on the page. */
const PAINT = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-opacity",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "text-anchor",
  "dominant-baseline",
  "paint-order",
  "text-decoration",
  "letter-spacing",
  "text-transform",
  "visibility",
  "display",
  "transform",
] as const;

export interface SvgHeader {
  height: number;
  /** Titles along the top, e.g. the diagram's lane names (HTML on the page). */
  titles: { x: number; text: string }[];
}

/** `svg` as a self-contained SVG document, with an optional band of titles above it. */
export function standaloneSvg(svg: SVGSVGElement, header: SvgHeader | null = null): string {
  const box = svg.getBoundingClientRect();
  const viewBox = svg.viewBox.baseVal;
  const width = viewBox !== null && viewBox.width > 0 ? viewBox.width : box.width;
  const height = viewBox !== null && viewBox.height > 0 ? viewBox.height : box.height;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [clone, ...clone.querySelectorAll("*")];
  originals.forEach((original, index) => {
    const copy = copies[index];
    if (!(copy instanceof SVGElement)) return;
    const style = getComputedStyle(original);
    copy.setAttribute(
      "style",
      PAINT.map((name) => `${name}:${style.getPropertyValue(name)}`).join(";"),
    );
    copy.removeAttribute("class");
  });
  const top = header?.height ?? 0;
  const ns = "http://www.w3.org/2000/svg";
  const page = getComputedStyle(svg.closest(".panel") ?? document.body);
  const picture = document.implementation.createDocument(ns, "svg", null);
  const root = picture.documentElement;
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height + top));
  root.setAttribute("viewBox", `0 0 ${width} ${height + top}`);
  const background = picture.createElementNS(ns, "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", page.backgroundColor);
  root.append(background);
  for (const title of header?.titles ?? []) {
    const text = picture.createElementNS(ns, "text");
    text.setAttribute("x", String(title.x));
    text.setAttribute("y", String(top - 8));
    text.setAttribute("text-anchor", "middle");
    text.setAttribute("style", `fill:${page.color};font:600 12px ${page.fontFamily}`);
    text.textContent = title.text;
    root.append(text);
  }
  const body = picture.createElementNS(ns, "g");
  body.setAttribute("transform", `translate(0 ${top})`);
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  body.append(clone);
  root.append(body);
  return new XMLSerializer().serializeToString(picture);
}

/** The SVG text drawn on a canvas at `scale` times its size, as a PNG. */
export async function pngOf(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(image.naturalWidth * scale);
    canvas.height = Math.ceil(image.naturalHeight * scale);
    const context = canvas.getContext("2d");
    if (context === null) throw new Error("no 2D canvas in this browser");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob === null ? reject(new Error("PNG failed")) : resolve(blob)),
        "image/png",
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offers `blob` as a download named `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
