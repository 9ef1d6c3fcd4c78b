// Playwright reporter: after the run, one short block per failed test (title, where, the first
// lines of the error). The list reporter's own failure report is long (screenshots, traces), and
// CI logs are often read from the end: this puts the cause in the last lines.
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

const ERROR_LINES = 14;

function strip(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

export default class FailureSummary implements Reporter {
  private readonly failed: Array<{ test: TestCase; result: TestResult }> = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== "passed" && result.status !== "skipped" && result.status !== test.expectedStatus) {
      this.failed.push({ test, result });
    }
  }

  onEnd(result: FullResult): void {
    if (this.failed.length === 0) return;
    const out: string[] = ["", `=== ${this.failed.length} browser test(s) failed (run: ${result.status}) ===`];
    for (const { test, result: r } of this.failed) {
      out.push(`✘ ${test.titlePath().filter(Boolean).slice(1).join(" › ")}`);
      out.push(`  at ${test.location.file.replace(process.cwd() + "/", "")}:${test.location.line} after ${r.duration} ms (${r.status})`);
      for (const error of r.errors) {
        const lines = strip(error.message ?? error.value ?? String(error)).split("\n").filter((l) => l.trim());
        for (const line of lines.slice(0, ERROR_LINES)) out.push(`  ${line}`);
        if (error.location) out.push(`  → ${error.location.file.replace(process.cwd() + "/", "")}:${error.location.line}`);
      }
    }
    process.stdout.write(out.join("\n") + "\n");
  }

  printsToStdio(): boolean {
    return false;
  }
}
