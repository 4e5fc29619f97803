// The demo's start-up steps as they happen: a spinner line per step on a terminal, one plain line per
// finished step otherwise (CI logs, the end-to-end test), each with how long it took.
const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class StepProgress {
  private readonly tty: boolean;
  readonly startedAt: number;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
    startedAt = Date.now(),
  ) {
    this.tty = out.isTTY === true;
    this.startedAt = startedAt;
  }

  /** Run one step; `detail` turns its result into a few words shown after the title. */
  async step<T>(title: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const started = Date.now();
    let frame = 0;
    const timer = this.tty
      ? setInterval(() => {
          this.out.write(
            `\r\x1b[2K  ${frames[frame++ % frames.length] ?? ""} ${title} (${seconds(Date.now() - started)})`,
          );
        }, 100)
      : undefined;
    try {
      const result = await fn();
      this.finish("✔", title, detail ? detail(result) : "", started);
      return result;
    } catch (error) {
      this.finish("✘", title, "failed", started);
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  private finish(mark: string, title: string, detail: string, started: number): void {
    this.out.write(
      `${this.tty ? "\r\x1b[2K" : ""}  ${mark} ${title}${detail ? `: ${detail}` : ""} ` +
        `(${seconds(Date.now() - started)})\n`,
    );
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
