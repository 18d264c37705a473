"""Loopback servers for the egress tests, in one process (threads), on ephemeral ports of 127.0.0.1.

    python3 netserve.py DIR READY-FILE LOG-FILE

DIR is served over HTTP (GET and HEAD, files as they are). A TCP echo server answers each line it
gets with "echo: LINE", and writes "open N" and "closed N" to LOG-FILE as its connections come and
go (to see that sbox left none behind). READY-FILE gets "HTTP-PORT ECHO-PORT" once both listen.
The process ends on its own after 300 s.
"""
import http.server
import os
import socket
import socketserver
import sys
import threading

directory, ready, log = sys.argv[1:4]
lock = threading.Lock()
count = [0]


def note(text):
    with lock, open(log, "a") as out:
        out.write(text + "\n")


class Files(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=directory, **kwargs)

    def log_message(self, *args):
        pass


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        with lock:
            count[0] += 1
            number = count[0]
        note(f"open {number}")
        try:
            for line in self.rfile:
                self.wfile.write(b"echo: " + line)
        except OSError:
            pass
        note(f"closed {number}")


class Threaded(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512


web = Threaded(("127.0.0.1", 0), Files)
echo = Threaded(("127.0.0.1", 0), Echo)
for server in (web, echo):
    threading.Thread(target=server.serve_forever, daemon=True).start()
with open(ready + ".tmp", "w") as out:
    out.write(f"{web.server_address[1]} {echo.server_address[1]}\n")
os.rename(ready + ".tmp", ready)
threading.Event().wait(300)
