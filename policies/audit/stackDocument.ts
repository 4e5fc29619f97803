// The Pulumi document of a stack planned offline (`muniops plan`), for `muniops audit --stack` and
// `muniops vvt --stack`.
import { parsePulumiDocument, type PulumiDocument } from "./pulumiDocument.js";

export async function planStackDocument(stack: string): Promise<PulumiDocument> {
  // Imported lazily: auditing a preview file never loads the Pulumi program or its mocks.
  const { planStack } = await import("../../stacks/plan.js");
  const { digest } = await planStack({ stack });
  // Through the same reader as a file, so a plan is judged exactly as the CLI's preview would be.
  return parsePulumiDocument(JSON.stringify(digest), `the plan of stack ${stack}`);
}
