// The real systeminformation, loaded as it loads on Windows, with its PowerShell answered from recordings
// (test/fixtures/agent/windows/, sources in the README there). Each of its modules reads process.platform
// once, when it is evaluated, so the platform is 'win32' while they load and restored right after; from
// then on its win32 branches run, and their parsing meets bytes a Windows machine printed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as SiModule from "systeminformation";
import { repoRoot } from "../../helpers/cli.js";
import { joinedRegExp } from "../../helpers/joinedRegExp.js";

type Si = typeof SiModule;

interface SiUtil {
  powerShell: (command: string) => Promise<string>;
  powerShellStart: () => void;
  powerShellRelease: () => void;
  getCodepage: () => string;
}

/** A recorded console text as PowerShell writes it to a pipe: CRLF line ends (published pages show LF). */
export function recordedOutput(name: string): string {
  return readFileSync(join(repoRoot, "test", "fixtures", "agent", "windows", name), "utf8").replace(/\r?\n/g, "\r\n");
}

/** The commands systeminformation 5.x sends to PowerShell, and the recording that answers each. */
const answers: { command: RegExp; output: () => string }[] = [
  // fsSize()
  {
    command: /^Get-WmiObject Win32_logicaldisk \| select Access,Caption,FileSystem,FreeSpace,Size\s*\| fl$/,
    output: () => recordedOutput("Win32_LogicalDisk.windows-server.txt"),
  },
  // osInfo(): the recording selects every property (Select-Object -Property *); systeminformation reads
  // its five by name, so the others are ignored as they would be in a narrower selection.
  {
    command: joinedRegExp([
      /^Get-CimInstance Win32_OperatingSystem \| select /,
      /Caption,SerialNumber,BuildNumber,ServicePackMajorVersion,ServicePackMinorVersion \| fl$/,
    ]),
    output: () => recordedOutput("Win32_OperatingSystem.windows-11.txt"),
  },
  // osInfo() also asks these; no recording of them was found, so they print nothing, as PowerShell
  // does when a value is absent. None of them feeds a label the agent exports.
  { command: /^\(Get-CimInstance Win32_ComputerSystem\)\.HypervisorPresent$/, output: () => "" },
  {
    command: joinedRegExp([
      /^Add-Type -AssemblyName System\.Windows\.Forms; /,
      /\[System\.Windows\.Forms\.SystemInformation\]::TerminalServerSession$/,
    ]),
    output: () => "",
  },
  {
    command: /^reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" \/v DisplayVersion$/,
    output: () => "",
  },
];

export interface WindowsSystemInformation {
  si: Si;
  /** Every command systeminformation sent to PowerShell, in order. */
  commands: string[];
  /** Commands with no recording: a test fails on any, since the parsing would have run on nothing. */
  unanswered: string[];
}

export function loadWindowsSystemInformation(): WindowsSystemInformation {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("systeminformation/package.json"));
  const forget = (): void => {
    for (const key of Object.keys(require.cache)) if (key.startsWith(root)) Reflect.deleteProperty(require.cache, key);
  };
  const commands: string[] = [];
  const unanswered: string[] = [];
  const platform = Object.getOwnPropertyDescriptor(process, "platform");
  if (!platform) throw new Error("process.platform has no descriptor");
  forget();
  Object.defineProperty(process, "platform", { ...platform, value: "win32" });
  try {
    // util.js first: the other modules call these through its exports object, so replacing them there
    // reaches every caller. chcp (the code page) is not recorded either; 437 is systeminformation's own
    // fallback.
    const util = require(join(root, "lib", "util.js")) as SiUtil;
    util.powerShell = (command) => {
      commands.push(command);
      const answer = answers.find((a) => a.command.test(command));
      if (!answer) unanswered.push(command);
      return Promise.resolve(answer ? answer.output() : "");
    };
    util.powerShellStart = () => undefined;
    util.powerShellRelease = () => undefined;
    util.getCodepage = () => "437";
    const si = require(root) as Si;
    return { si, commands, unanswered };
  } finally {
    Object.defineProperty(process, "platform", platform);
    // Keep this win32 copy out of the cache, so nothing else in the process gets it by accident.
    forget();
  }
}
