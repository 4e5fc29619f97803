// Records what the program registers while it runs under mocks: wraps the mock monitor's
// registerResource to capture the request as the engine would receive it (parent, dependencies,
// property dependencies, provider, raw inputs with secrets still marked) and the mocks' answer.
import type { Registration } from "./planMocks.js";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: unknown, response: RegisterResponse | undefined) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

export class PlanRecorder {
  readonly registrations: Registration[] = [];
  readonly duplicates: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly onRegistered?: (count: number) => void) {}

  attach(monitor: unknown): void {
    const target = monitor as Monitor;
    const original = target.registerResource.bind(target);
    target.registerResource = (req, callback) =>
      original(req, (err, response) => {
        if (!err && response) this.record(req, response);
        callback(err, response);
      });
  }

  private record(req: RegisterRequest, response: RegisterResponse): void {
    const urn = response.getUrn();
    // The mock engine accepts the same URN twice; the real engine refuses, so the plan must too.
    if (this.seen.has(urn)) this.duplicates.push(urn);
    this.seen.add(urn);
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    this.registrations.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      provider: req.getProvider(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      inputs: req.getObject()?.toJavaScript() ?? {},
      outputs: response.getObject()?.toJavaScript() ?? {},
      id: response.getId(),
    });
    this.onRegistered?.(this.registrations.length);
  }
}
