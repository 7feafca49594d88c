// Starts `endpaper serve` on a free loopback port for a browser test: the child process at once
// (so the test can stop it whatever happens) and the address it prints once it listens.
"use strict";
const readline = require("node:readline");
const { spawn } = require("node:child_process");

function serve(bin, args, timeout = 30000) {
  const server = spawn(bin, ["serve", "--port", "0", ...args], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const address = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve printed no address")), timeout);
    readline.createInterface({ input: server.stdout }).on("line", (line) => {
      const m = line.match(/http:\/\/[^/\s]+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
  });
  return { server, address };
}

module.exports = { serve };
