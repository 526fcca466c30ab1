/**
 * A console line with its control characters (C0, DEL, C1, the Unicode line separators)
 * written as `\uXXXX`: names, reasons and record fields come from the wire, and a name
 * holding a newline or an escape code would otherwise forge a line of the trace or drive
 * the terminal.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function printable(line: string): string {
  return line.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
