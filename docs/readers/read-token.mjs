// Read an alegra-wizard token from the OS keyring with the OS's own tool.
// Usage: node read-token.mjs <profile id>
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export function readToken(profileId) {
  const service = `alegra-wizard:${profileId}`;
  const run = (command, args) => execFileSync(command, args, { encoding: "utf8" });
  let out;
  if (process.platform === "win32") {
    const script = fileURLToPath(new URL("read-token.ps1", import.meta.url));
    const args = ["-NoProfile", "-ExecutionPolicy", "Bypass", "-File", script, profileId];
    out = run("powershell", args);
  } else if (process.platform === "darwin") {
    out = run("security", ["find-generic-password", "-s", service, "-w"]);
  } else {
    out = run("secret-tool", ["lookup", "service", service]);
  }
  return out.replace(/\r?\n$/, "");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(readToken(process.argv[2]));
}
