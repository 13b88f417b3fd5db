// Start the pinned `emulate` Twilio emulator on 127.0.0.1 only (its CLI binds every interface).
import net from "node:net";
import { pathToFileURL } from "node:url";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, host, ...rest) {
  if (typeof port === "number" && (host === undefined || typeof host === "function")) {
    return listen.call(this, port, "127.0.0.1", ...(host ? [host] : []), ...rest);
  }
  return listen.call(this, port, host, ...rest);
};

const [apiPath, port] = process.argv.slice(2);
const { createEmulator } = await import(pathToFileURL(apiPath).href);
const emulator = await createEmulator({ service: "twilio", port: Number(port) });
console.log(`ready ${emulator.url}`);
