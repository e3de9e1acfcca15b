/**
 * Powertools Metrics writes Embedded Metric Format lines to stdout: `captureMetrics()` captures
 * stdout for each test of the file (so the lines do not clutter jest) and returns a function that
 * gives the counters emitted since the test began, one object per EMF line (ColdStart aside).
 */
type EmfLine = { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } } & Record<string, number>;

export function captureMetrics(): () => Record<string, number>[] {
  let stdout: jest.SpiedFunction<typeof process.stdout.write> | undefined;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout?.mockRestore());
  return () =>
    (stdout?.mock.calls ?? [])
      .map(([line]) => String(line))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as EmfLine)
      .map((emf) => Object.fromEntries(emf._aws.CloudWatchMetrics[0].Metrics.map((m) => [m.Name, emf[m.Name]])))
      .filter((counters) => !('ColdStart' in counters));
}
