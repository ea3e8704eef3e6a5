// The plain Node.js `ws` broadcast server, as a baseline for `loadgen baselines`: the broadcast
// example of the `ws` documentation, with no database, no authentication and no replay.
//
// - `GET /ws` (WebSocket) receives every message published from then on.
// - `POST /publish` sends its body, as is, to every open socket.
"use strict";
const http = require("http");
const { WebSocketServer, WebSocket } = require("ws");

const [host, port] = (process.env.BASELINE_ADDR || "127.0.0.1:3901").split(":");

const server = http.createServer((request, response) => {
  if (request.method === "POST" && request.url === "/publish") {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const message = Buffer.concat(chunks).toString();
      for (const client of sockets.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(message);
      }
      response.writeHead(204).end();
    });
  } else {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  }
});

const sockets = new WebSocketServer({ server, path: "/ws" });
server.listen(Number(port), host);
