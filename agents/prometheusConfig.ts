export function writePrometheusConfig(_options: { inventoryPath: string; outDir: string }): string[] {
  throw new Error("not yet");
}
