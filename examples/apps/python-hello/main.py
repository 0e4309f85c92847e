"""Python Hello: a HomeHelper service app using only the standard library.

GET /health answers {"status": "ok"}; GET / shows a greeting and how many times the page was opened, a count
kept in a file under HOMEHELPER_DATA_DIR so it survives restarts.
"""

import html
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

APP_ID = os.environ["HOMEHELPER_APP_ID"]
DATA_DIR = Path(os.environ["HOMEHELPER_DATA_DIR"])
PORT = int(os.environ["PORT"])
GREETING = os.environ.get("GREETING", "Hello")

VISITS_FILE = DATA_DIR / "visits.txt"
visits_lock = threading.Lock()


def count_visit():
    """Adds one to the stored count and returns it. The new count replaces the file in one rename, so a
    crash mid-write never leaves a half-written number behind."""
    with visits_lock:
        try:
            visits = int(VISITS_FILE.read_text()) + 1
        except (FileNotFoundError, ValueError):
            visits = 1
        partial = VISITS_FILE.with_suffix(".tmp")
        partial.write_text(str(visits))
        os.replace(partial, VISITS_FILE)
        return visits


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self.reply(200, "application/json", json.dumps({"status": "ok"}))
        elif path == "/":
            visits = count_visit()
            page = (
                "<!doctype html><meta charset=utf-8><title>Python Hello</title>"
                f"<h1>{html.escape(GREETING)}</h1>"
                f"<p>I am <code>{html.escape(APP_ID)}</code>, opened {visits} time{'' if visits == 1 else 's'}.</p>"
            )
            self.reply(200, "text/html; charset=utf-8", page)
        else:
            self.reply(404, "application/json", json.dumps({"error": "not found"}))

    def reply(self, status, content_type, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        # HomeHelper keeps each app's stdout as its log; flushed so every line shows up as it happens rather
        # than when a pipe buffer fills.
        print(f"{self.address_string()} {format % args}", flush=True)


class Stopping(Exception):
    """Raised by the signal handler to leave serve_forever() at once, rather than at its next poll."""


def stop(signum, _frame):
    print(f"{signal.Signals(signum).name}: shutting down", flush=True)
    raise Stopping()


def main():
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    try:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        print(f"{APP_ID} listening on http://127.0.0.1:{PORT}", flush=True)
        server.serve_forever()
    except Stopping:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
