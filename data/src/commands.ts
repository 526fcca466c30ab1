/**
 * `npm run data -- <command>`: convert, fetch and list storm data files.
 * Exit codes: 0 done, 1 a command failed, 2 a usage error.
 */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { detailsFileFor, loadYear } from "../../daemons/src/data/csv-loader.ts";
import { dataDirFrom } from "../../daemons/src/data/data-dir.ts";
import { convertFile } from "./convert.ts";
import { DEFAULT_BASE_URL, fetchListing, resolveBaseUrl } from "./fetch.ts";
import { fetchYearsReporting, secondsSince } from "./fetch-years.ts";
import { formatBytes, type ProgressOutput, progressLine } from "./progress.ts";
import { synthesizeYear } from "./synthesize.ts";
import { listYears } from "./years.ts";

export type CliIo = {
  stdout: { write(text: string): unknown };
  stderr: ProgressOutput;
  env: NodeJS.ProcessEnv;
};

export const USAGE = `usage: npm run data -- <command> [options]

commands:
  convert <file> [--out <dir>] [--gzip]
                                   convert a NOAA Storm Events details CSV (.csv or .csv.gz)
                                   into <dir>/details-YYYY.csv (14 fields, PROTOCOL section 3)
  fetch <year>... [--out <dir>] [--base-url <url>] [--gzip]
                                   download each year's details file from NCEI and convert it
  list [--out <dir>]               the years present in <dir>, with their record counts and
                                   the file read (details-YYYY.csv before details-YYYY.csv.gz)
  synthesize <YYYY> --records <N> [--from <YYYY>] [--seed <S>] [--out <dir>] [--gzip]
                                   a synthetic year of N records for scale tests: the records
                                   of --from (default 1996, from $DHT_DATA_DIR, else the
                                   package's data/) re-keyed with unique ids from the seed
                                   (default 1), written to <dir>

options:
  --out <dir>        data folder (default: $DHT_DATA_DIR, else the package's data/)
  --gzip             write details-YYYY.csv.gz instead of details-YYYY.csv
  --base-url <url>   NOAA csvfiles listing (default: $STORMRING_NOAA_BASE_URL, else
                     ${DEFAULT_BASE_URL})
  -h, --help         this help

exit codes: 0 done, 1 a command failed, 2 a usage error
`;

class UsageError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { command, args, values } = parsed;
  if (values.help === true || command === "help") {
    io.stdout.write(USAGE);
    return 0;
  }
  const outDir = resolve(dataDirFrom(values.out, io.env));
  const gzipOutput = values.gzip === true;
  try {
    if (command === "convert") return await convert(args, outDir, gzipOutput, io);
    if (command === "synthesize") return await synthesize(args, values, outDir, gzipOutput, io);
    if (command === "fetch") {
      return await fetchYears(args, outDir, values["base-url"], gzipOutput, io);
    }
    return await list(outDir, io);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: "string" },
      "base-url": { type: "string" },
      gzip: { type: "boolean" },
      records: { type: "string" },
      from: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...args] = positionals;
  if (values.help === true) return { command, args, values };
  if (command === undefined) throw new UsageError("no command given");
  if (command === "convert") {
    if (args.length !== 1) throw new UsageError("convert takes exactly one file");
  } else if (command === "fetch") {
    if (args.length === 0) throw new UsageError("fetch needs at least one year");
    const bad = args.find((year) => !/^[0-9]{4}$/.test(year));
    if (bad !== undefined) throw new UsageError(`not a year (YYYY): ${JSON.stringify(bad)}`);
  } else if (command === "synthesize") {
    if (args.length !== 1 || !/^[0-9]{4}$/.test(args[0] ?? "")) {
      throw new UsageError("synthesize takes one year (YYYY) to write");
    }
    if (!/^[1-9][0-9]*$/.test(values.records ?? "")) {
      throw new UsageError("synthesize needs --records <N>, a positive integer");
    }
    if (values.from !== undefined && !/^[0-9]{4}$/.test(values.from)) {
      throw new UsageError(`--from is not a year (YYYY): ${JSON.stringify(values.from)}`);
    }
    if (values.seed !== undefined && !/^[0-9]+$/.test(values.seed)) {
      throw new UsageError(`--seed is not a non-negative integer: ${JSON.stringify(values.seed)}`);
    }
  } else if (command === "list") {
    if (args.length !== 0) throw new UsageError("list takes no arguments");
  } else if (command !== "help") {
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
  if (command !== "fetch" && values["base-url"] !== undefined) {
    throw new UsageError("--base-url is for fetch only");
  }
  const synthesizing = command === "synthesize";
  if (!synthesizing && command !== "fetch" && command !== "convert" && values.gzip !== undefined) {
    throw new UsageError("--gzip is for fetch, convert and synthesize only");
  }
  const synthesisOption = ["records", "from", "seed"].find(
    (option) => values[option as "records"] !== undefined,
  );
  if (!synthesizing && synthesisOption !== undefined) {
    throw new UsageError(`--${synthesisOption} is for synthesize only`);
  }
  return { command, args, values };
}

async function convert(
  args: string[],
  outDir: string,
  gzipOutput: boolean,
  io: CliIo,
): Promise<number> {
  const file = args[0] ?? "";
  const progress = progressLine(io.stderr, `converting ${file}`);
  const started = Date.now();
  try {
    const result = await convertFile(file, { outDir, gzipOutput, onProgress: progress.update });
    progress.clear();
    io.stderr.write(
      `converted ${result.records} records of ${result.year} (${formatBytes(result.bytesRead)} read) ` +
        `into ${result.file} in ${secondsSince(started)}\n`,
    );
    return 0;
  } finally {
    progress.clear();
  }
}

async function fetchYears(
  years: string[],
  outDir: string,
  baseOption: string | undefined,
  gzipOutput: boolean,
  io: CliIo,
): Promise<number> {
  const baseUrl = resolveBaseUrl(baseOption, io.env);
  const listing = await fetchListing(baseUrl);
  const failures = await fetchYearsReporting(years, {
    outDir,
    baseUrl,
    listing,
    gzipOutput,
    stderr: io.stderr,
  });
  return failures.length === 0 ? 0 : 1;
}

async function synthesize(
  args: string[],
  values: { records?: string; from?: string; seed?: string },
  outDir: string,
  gzipOutput: boolean,
  io: CliIo,
): Promise<number> {
  const started = Date.now();
  const result = await synthesizeYear({
    year: args[0] ?? "",
    records: Number(values.records),
    sourceYear: values.from ?? "1996",
    seed: Number(values.seed ?? "1"),
    dataDir: resolve(dataDirFrom(undefined, io.env)),
    outDir,
    gzipOutput,
  });
  io.stderr.write(
    `wrote ${result.records} records (re-keyed from ${result.sourceRecords} of ` +
      `${values.from ?? "1996"}) into ${result.file} in ${secondsSince(started)}\n`,
  );
  return 0;
}

async function list(outDir: string, io: CliIo): Promise<number> {
  const years = await listYears(outDir);
  if (years.length === 0) {
    io.stdout.write(`no details-YYYY.csv or details-YYYY.csv.gz files in ${outDir}\n`);
    return 0;
  }
  io.stdout.write(`${outDir}:\n`);
  for (const year of years) {
    const file = basename(await detailsFileFor(outDir, year));
    const { records, problems } = await loadYear(outDir, year);
    const note = problems.length === 0 ? "" : `, ${problems.length} problem lines`;
    io.stdout.write(`${year}  ${String(records.length).padStart(7)} records${note}  (${file})\n`);
  }
  return 0;
}
