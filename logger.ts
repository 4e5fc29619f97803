// Structured logs with pino, on stderr so that stdout stays free for a command's output (JSON, tables).
// JSON when stderr is not a terminal (services, CI, log shippers); readable lines on a terminal.
import { pino, type Logger, type LevelWithSilent } from "pino";
import pretty from "pino-pretty";
import { defineSetting, z } from "./settings.js";

export type { Logger };
export const logLevels = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof logLevels)[number];

export const logLevelSetting = defineSetting({
  key: "logLevel",
  type: "string",
  schema: z.enum(logLevels),
  default: "info",
  flag: "--log-level",
  description: "how much to log (logs go to stderr: JSON, or readable lines on a terminal)",
});

// Keys that must never reach a log line, wherever they appear in a logged object.
const redactPaths = [
  "password",
  "passphrase",
  "privateKey",
  "token",
  "secret",
  "*.password",
  "*.passphrase",
  "*.privateKey",
  "*.token",
  "*.secret",
  "clientSecret",
  "*.clientSecret",
  "client_secret",
  "*.client_secret",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
];

let root: Logger | undefined;

export function createLogger(level: LogLevel = "info", pretty_: boolean = process.stderr.isTTY): Logger {
  const options = { level, base: { pid: process.pid }, redact: { paths: redactPaths, censor: "[redacted]" } };
  const destination = pretty_
    ? pretty({ destination: 2, colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", sync: true })
    : pino.destination({ fd: 2, sync: true });
  return pino(options, destination);
}

/** The process-wide logger, configured once by the CLI from --log-level. */
export function configureLogger(level: LogLevel): Logger {
  root = createLogger(level);
  return root;
}

export function logger(): Logger {
  root ??= createLogger((process.env.MUNIOPS_LOG_LEVEL as LogLevel | undefined) ?? "info");
  return root;
}
