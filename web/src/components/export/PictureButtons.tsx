/**
 * `Export <what> as SVG` and `Export <what> as PNG` beside a panel's title: the picture of
 * its SVG as it is drawn now (`svg-export.ts`), named by what and when.
 */
import { notify } from "../../model/notices.ts";
import { sessionFileName } from "../../model/session.ts";
import { download, pngOf, type SvgHeader, standaloneSvg } from "./svg-export.ts";
import "./PictureButtons.css";

export function PictureButtons({
  what,
  svg,
}: {
  /** "ring" or "diagram": in the buttons' names and the files'. */
  what: string;
  /** The SVG now, with titles to add above it; null when there is none to picture. */
  svg: () => { element: SVGSVGElement; header: SvgHeader | null } | null;
}) {
  const save = async (format: "svg" | "png") => {
    const found = svg();
    if (found === null) return;
    try {
      const text = standaloneSvg(found.element, found.header);
      const blob =
        format === "svg" ? new Blob([text], { type: "image/svg+xml" }) : await pngOf(text);
      download(sessionFileName(new Date(), what, format), blob);
    } catch (error) {
      notify("error", `Could not export the ${what}`, [String(error)]);
    }
  };
  return (
    <span className="picture-buttons">
      <button
        type="button"
        aria-label={`Export ${what} as SVG`}
        title={`Save the ${what} as SVG`}
        onClick={() => void save("svg")}
      >
        SVG
      </button>
      <button
        type="button"
        aria-label={`Export ${what} as PNG`}
        title={`Save the ${what} as PNG`}
        onClick={() => void save("png")}
      >
        PNG
      </button>
    </span>
  );
}
