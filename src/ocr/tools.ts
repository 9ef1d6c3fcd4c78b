// The command-line programs the reader calls: poppler-utils for PDFs, ImageMagick for the image
// formats the OCR engine does not read itself.
//
// Why poppler (pdfinfo, pdftotext, pdftoppm) and not a JavaScript PDF library: it is Debian's
// standard, maintained PDF stack, robust on damaged and unusual files, fully offline, and gives
// both halves we need: a layout-preserving text layer (`pdftotext -layout` keeps seller and buyer
// columns apart, which the invoice parser uses) and rasterisation of scanned pages (`pdftoppm`).
// pdfjs-dist would need a canvas implementation with native binaries to rasterise in Node, and
// its text items carry no line layout. Each call is a short-lived process with a time limit, so a
// pathological file cannot hang or crash the Node process.
import { execFile } from "node:child_process";
import { DocumentError } from "./errors";

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
}

export class ToolFailure extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${tool} failed${exitCode !== null ? ` (exit ${exitCode})` : ""}: ${firstLine(stderr) || "no message"}`);
  }
}

const INSTALL_HINT: Record<string, string> = {
  pdfinfo: "poppler-utils (apt-get install poppler-utils)",
  pdftotext: "poppler-utils (apt-get install poppler-utils)",
  pdftoppm: "poppler-utils (apt-get install poppler-utils)",
  pdfimages: "poppler-utils (apt-get install poppler-utils)",
};

export function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}

/** Runs a program; rejects with DocumentError("missing_tool") when it is not installed, ToolFailure when it fails. */
export function runTool(program: string, args: string[], options: { timeoutMs?: number; path?: string } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { encoding: "buffer", maxBuffer: 512 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000, killSignal: "SIGKILL", env: { ...process.env, LC_ALL: "C.UTF-8" } },
      (err, stdout, stderr) => {
        const errText = stderr.toString("utf8");
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
          if (e.code === "ENOENT") {
            const name = program.split("/").pop() ?? program;
            const hint = INSTALL_HINT[name] ?? "ImageMagick (apt-get install imagemagick), or set HVAC_CONVERT";
            reject(new DocumentError("missing_tool", `${name} is not installed: install ${hint}`, options.path));
            return;
          }
          if (e.killed) {
            reject(new DocumentError("timeout", `${program.split("/").pop()} took too long and was stopped`, options.path));
            return;
          }
          reject(new ToolFailure(program.split("/").pop() ?? program, typeof e.code === "number" ? e.code : null, errText));
          return;
        }
        resolve({ stdout, stderr: errText });
      },
    );
  });
}
