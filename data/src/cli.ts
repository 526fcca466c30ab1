/** Entry point of `npm run data -- <command>` (see commands.ts). */
import { runCli } from "./commands.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
